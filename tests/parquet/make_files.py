"""Write the Parquet files Tuna's reader is tested on, and what pandas reads from them.

Parquet files come from two writers: pandas through pyarrow (with a pandas index
stored in the file) and Polars (no index). Each is written with every codec
pandas and Polars offer, with nulls in every kind of column, strings,
dictionary-encoded categories, dates, timestamps and several row groups.
`pd.read_parquet` of each file is the expected read: tests/parquet_files.rs
compares Tuna's `Table` with it cell for cell.

It also writes a slice of the bikes seed data as Parquet and as CSV, so that a
job on either gives the same scores bit for bit (tests/parquet_files.rs), and
files Tuna must refuse (a list column).

Run from the project root (`make parquet-files` makes the venv):

    .venv-parquet/bin/python tests/parquet/make_files.py

Everything is deterministic: running it twice gives identical files.
"""

import datetime as dt
import json
import math
import os

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join("tests", "data", "parquet")
CODECS = ["none", "snappy", "gzip", "lz4", "brotli", "zstd"]
SEED = os.path.join(os.path.dirname(ROOT), "shared", "seed-bikes")
ROWS = 40


def pandas_frame():
    """Every column kind pandas writes, nulls included, indexed by a named column."""
    i = np.arange(ROWS)
    cities = ["Zürich", "São Paulo", "東京", "Lyon", None]
    df = pd.DataFrame(
        {
            "count": (i * 7919) % 101 - 50,
            "small": ((i % 5) - 2).astype("int8"),
            "unsigned": (i * 3).astype("uint32"),
            "int_null": pd.array([None if k % 6 == 0 else int(k) for k in i], dtype="Int64"),
            "x": [math.nan if k % 7 == 3 else k / 7 for k in i],
            "f32": (i / 4).astype("float32"),
            "flag": i % 3 == 0,
            "flag_null": pd.array([None if k % 5 == 1 else bool(k % 2) for k in i], dtype="boolean"),
            "city": [cities[k % 5] for k in i],
            "cat": pd.Categorical([["low", "mid", "high"][k % 3] for k in i], categories=["low", "mid", "high"]),
            "day": [dt.date(2011, 1, 1) + dt.timedelta(days=int(k) * 17) for k in i],
            "when": pd.array(
                [pd.NaT if k % 9 == 4 else pd.Timestamp("2011-01-01 06:00") + pd.Timedelta(minutes=int(k) * 97) for k in i],
                dtype="datetime64[ns]",
            ),
        },
        index=pd.Index(1000 + i, name="id"),
    )
    return df


def polars_frame():
    """What Polars writes: its own types, nulls, a categorical, dates and datetimes."""
    i = list(range(ROWS))
    return pl.DataFrame(
        {
            "n": [(k * 31) % 17 for k in i],
            "maybe": [None if k % 4 == 2 else k * 1.5 for k in i],
            "word": [None if k % 6 == 5 else ["alpha", "beta", "gamma", "ünïcode"][k % 4] for k in i],
            "kind": pl.Series([["a", "b"][k % 2] for k in i], dtype=pl.Categorical),
            "ok": [None if k % 7 == 0 else k % 2 == 0 for k in i],
            "date": [dt.date(2012, 2, 28) + dt.timedelta(days=k) for k in i],
            "stamp": [dt.datetime(2012, 3, 1, 12, 30) + dt.timedelta(seconds=k * 3601) for k in i],
        }
    )


def cell(value):
    """A pandas cell as JSON: numbers, booleans, text; dates and times as pandas prints them; missing as null."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (np.floating, np.integer)):
        value = value.item()
        return None if isinstance(value, float) and math.isnan(value) else value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, str)):
        return value
    return str(value)


def expected(path):
    """What `pd.read_parquet` gives: the index, then each column's dtype and cells."""
    df = pd.read_parquet(os.path.join(ROOT, path))
    if isinstance(df.index, pd.RangeIndex):
        index = {"range": [df.index.start, df.index.step]}
    else:
        index = {"name": df.index.name, "cells": [cell(v) for v in df.index]}
    columns = [{"name": str(c), "dtype": str(df[c].dtype), "cells": [cell(v) for v in df[c]]} for c in df.columns]
    return {"file": path, "index": index, "columns": columns}


def write(path, table_writer):
    full = os.path.join(ROOT, path)
    table_writer(full)
    return path


def main():
    os.makedirs(os.path.join(ROOT, OUT), exist_ok=True)
    files = []
    df = pandas_frame()
    for codec in CODECS:
        path = os.path.join(OUT, f"pyarrow_{codec}.parquet")
        # Row groups of 16 rows: a file of several row groups, as big files are.
        files.append(write(path, lambda f: df.to_parquet(f, engine="pyarrow", compression=codec, row_group_size=16)))
    polars = polars_frame()
    for codec in CODECS:
        path = os.path.join(OUT, f"polars_{codec}.parquet")
        name = "uncompressed" if codec == "none" else codec
        files.append(write(path, lambda f: polars.write_parquet(f, compression=name, row_group_size=16)))
    # A RangeIndex that does not start at 0 (a slice of a frame), and an unnamed index.
    files.append(write(os.path.join(OUT, "range_index.parquet"), lambda f: df.reset_index(drop=True).iloc[5:12][["count", "x"]].to_parquet(f)))
    unnamed = df.iloc[:8][["count", "x"]].set_axis(pd.Index([f"r{k}" for k in range(8)]), axis=0)
    files.append(write(os.path.join(OUT, "unnamed_index.parquet"), lambda f: unnamed.to_parquet(f)))
    # Lists are not a column of cells: Tuna refuses them by name.
    nested = pa.table({"a": [1, 2, 3], "tags": [[1, 2], [], [3]]})
    write(os.path.join(OUT, "invalid_list_column.parquet"), lambda f: pq.write_table(nested, f))
    # The bikes seed data's first rows, as Parquet (pandas' default: Snappy) and as CSV.
    bikes = os.path.join(OUT, "bikes")
    os.makedirs(os.path.join(ROOT, bikes), exist_ok=True)
    for part in ["inputs", "targets"]:
        frame = pd.read_parquet(os.path.join(SEED, f"{part}_train.parquet")).head(2000)
        frame.to_parquet(os.path.join(ROOT, bikes, f"{part}.parquet"))
        frame.to_csv(os.path.join(ROOT, bikes, f"{part}.csv"), index=False)
    out = {
        "generated_by": "tests/parquet/make_files.py",
        "versions": {"pandas": pd.__version__, "pyarrow": pa.__version__, "polars": pl.__version__},
        "files": [expected(p) for p in files],
    }
    target = os.path.join(ROOT, "tests", "data", "expected", "parquet.json")
    with open(target, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(files)} Parquet files and their reads to {os.path.relpath(target, ROOT)}")


if __name__ == "__main__":
    main()
