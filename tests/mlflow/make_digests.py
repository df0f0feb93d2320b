"""Compute MLflow's dataset digests for Tuna's CSV and Parquet files with the real MLflow and pandas.

Tuna logs each dataset with a digest that must equal
`mlflow.data.from_pandas(pd.read_csv(file)).digest`, so that the same data
logged from Python and from Tuna is recognisable as the same. This script runs
the real thing (versions pinned in tests/mlflow/requirements.txt) and writes
tests/data/expected/mlflow_digests.json, which `src/io/mlflow/digest.rs`'s
tests compare against. It also writes the edge-case CSVs under
tests/mlflow/data/ (booleans, -0.0, more than 10,000 rows, long decimals, text,
missing cells, mixed files). The files named `known_*.csv` show what Tuna
does not reproduce (the "Known differences" of src/io/mlflow/digest.rs):
tests/mlflow_digests.rs checks that they still differ.

Run from the project root (`make setup-mlflow` makes the venv):

    .venv-mlflow/bin/python tests/mlflow/make_digests.py

Everything is deterministic: running it twice gives byte-identical files.
"""

import glob
import json
import os
import warnings

import mlflow
import numpy as np
import pandas as pd

warnings.simplefilter("ignore")  # MLflow's "integer columns cannot hold missing values" hint

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EDGE = os.path.join("tests", "mlflow", "data")


def write_edge_cases():
    """Small files for what the bundled data does not exercise."""
    os.makedirs(os.path.join(ROOT, EDGE), exist_ok=True)
    files = {
        # int, float with -0.0 and 0.0, booleans in every spelling pandas knows,
        # a float column written with integral values, exponents, a non-ASCII name.
        "types.csv": "id,x,flag,whole,température\n"
        "1,-0.0,True,127.0,1e3\n"
        "2,0.0,false,3.0,-2.5E-7\n"
        "-3,1.5,TRUE,-0.0,12345678901234.5\n"
        "4,2.25,False,8.0,0.1\n",
        # Only booleans: MLflow hashes no column, only the index.
        "only_bool.csv": "a,b\ntrue,false\nfalse,false\ntrue,true\n",
        # Decimals with more digits than a double holds: pandas' own float parser.
        "long_decimals.csv": "a,b\n"
        "0.12345678901234567890123,1.0000000000000002220446\n"
        "3.14159265358979323846264,2.7182818284590452353602\n"
        "0.00000000000000000000012345678901234567,123456789012345678901234567890.5\n"
        "9007199254740993.0,0.30000000000000004\n",
    }
    # More rows than MLflow hashes (10,000): only the first rows count, plus the row count.
    rows = ["i,x,y"]
    for i in range(10_050):
        rows.append(f"{i},{repr(i / 7)},{(i * 7919) % 101 - 50}")
    files["many_rows.csv"] = "\n".join(rows) + "\n"
    files.update(text_edge_cases())
    for name, text in files.items():
        with open(os.path.join(ROOT, EDGE, name), "w", encoding="utf-8", newline="") as f:
            f.write(text)


def text_edge_cases():
    """Text, missing cells and mixed files (issue 13's typed columns)."""
    files = {
        # Text and numbers: MLflow hashes them in the order of
        # `string_columns.union(numeric_columns)`, which sorts the names
        # (upper case first, non-ASCII last). Quoted commas, doubled quotes, a
        # line break in a cell, non-ASCII and an emoji; a repeated value; a
        # date and a date-time, which pandas 3 leaves as text.
        "text.csv": "city,Population,date,note,é_score,id,when\n"
        'Zürich,415367,2011-01-01,"quoted, comma",1.5,1,2011-01-01 10:00:00\n'
        'São Paulo,12325232,2011-01-02,"say ""hi""",2.25,2,2011-01-02 11:30:00\n'
        '東京,13960000,2011-01-03,"line\nbreak",-0.0,3,2011-01-03 00:00:00\n'
        "Zürich,415367,2011-01-04,plain 🙂,3e2,4,2011-01-04 23:59:59\n",
        # Missing cells in every kind of column, in pandas' default NA spellings:
        # an integer column with a blank (float64), a float column of NA
        # markers, an all-missing column (float64 of NaN), a text column with
        # every cell present (hashed) and one with missing cells (left out),
        # booleans with blanks (object: left out, typed boolean).
        "missing.csv": "int_blank,float_na,all_missing,text_full,text_missing,bool_blank,count\n"
        "1,1.5,,a,x,true,10\n"
        ",NaN,NA,b,,false,20\n"
        "3,null,N/A,a,NULL,,30\n"
        "4,2.5,None,c,y,True,40\n"
        "5,n/a,#N/A,b,<NA>,FALSE,50\n"
        "6,-NaN,nan,c,n/a,#NA,60\n"
        "7,1.#QNAN,-1.#IND,a,z,,70\n",
        # Only text, every cell present: hashed in the file's order (no union sort).
        "only_text.csv": "zeta,alpha,Mid\nx,y,z\nx,b,Ä\nw,y,z\n",
        # Nothing hashable: text with a missing cell, booleans with blanks, and
        # text whose only missing cell is a quoted empty string.
        "only_text_missing.csv": 'b,t,q\ntrue,x,"a"\n,y,""\nfalse,,c\n',
        # Cells that make a column text keep their text as written: "2.50",
        # "007", "+3", "1e5", booleans among words.
        "mixed_cells.csv": "num_text,bool_text,code,n\n"
        "1,true,007,1\n"
        "2.50,maybe,+3,2\n"
        "x,False,1e5,3\n"
        "1,true,007,4\n",
        # Quoted numbers are numbers, a quoted empty cell is missing; CRLF line endings.
        "quoted.csv": 'a,b,c\r\n"1","x","2.5"\r\n"2","y",""\r\n"3","x","4"\r\n',
        # Known differences (see src/io/mlflow/digest.rs).
        # Spaces: pandas keeps " NA" and " False" as text, and " name" as the header.
        "known_spaces.csv": " name,a,b,c\nx, NA,True,1\ny,2, False,2\n",
        # NaN spellings pandas does not list are text to pandas.
        "known_nan_spellings.csv": "a,b\nNAN,1\n+nan,2\n1.5,3\n",
        # Booleans among numbers: text to pandas, numbers to Tuna.
        "known_bool_numbers.csv": "a,b\ntrue,1\n1.50,2\nfalse,3\n",
        # Integers beyond 2^53 (int64 to pandas) and 2^63 (uint64: MLflow logs no schema).
        "known_big_ints.csv": "a,b,c\n9007199254740993,18446744073709551615,1\n1,1,2\n",
    }
    # Text, more rows than MLflow hashes: a text column whose only missing cell
    # is past row 10,000 is still left out (MLflow checks the whole frame);
    # with nrows=9,999 it has none and is hashed.
    rows = ["k,label,late_gap,v"]
    for i in range(10_050):
        late = "" if i == 10_020 else f"g{i % 3}"
        rows.append(f"{i % 17},{['red', 'green', 'blue', 'grün'][i % 4]},{late},{i * 0.5}")
    files["text_many_rows.csv"] = "\n".join(rows) + "\n"
    # pandas' low_memory parser types each chunk of rows on its own (the
    # largest power of two below 2**20 / columns: 4,096 rows for 128 columns):
    # a column of numbers with text only in a later chunk is `object` of ints
    # and strs, which MLflow neither hashes nor types (no schema).
    header = ",".join(["n"] + [f"c{j}" for j in range(1, 128)])
    rows = [header] + [
        ",".join(["x" if i == 4_150 else str(i % 10)] + [str((i + j) % 10) for j in range(1, 128)]) for i in range(4_200)
    ]
    files["known_low_memory.csv"] = "\n".join(rows) + "\n"
    return files


def entry(path, nrows=None):
    if path.endswith(".parquet"):
        df = pd.read_parquet(os.path.join(ROOT, path))
        df = df if nrows is None else df.head(nrows)
    else:
        df = pd.read_csv(os.path.join(ROOT, path), nrows=nrows)
    ds = mlflow.data.from_pandas(df, source=path, name=os.path.basename(path))
    # None when MLflow cannot type a column (uint64, object of ints and strs).
    schema = ds.to_dict()["schema"]
    schema = json.loads(schema)["mlflow_colspec"] if schema else None
    return {
        "file": path,
        "nrows": nrows,
        "digest": ds.digest,
        "profile": json.loads(ds.to_dict()["profile"]),
        "schema": [[c["name"], c["type"]] for c in schema] if schema is not None else None,
        "required": [c["required"] for c in schema] if schema is not None else None,
        "dtypes": [str(t) for t in df.dtypes],
    }


def main():
    write_edge_cases()
    # tests/data/invalid/ holds files Tuna rejects: they have no digest.
    paths = sorted(
        [p for p in glob.glob("tests/data/*/*.csv", root_dir=ROOT) if not p.startswith("tests/data/invalid/")]
        + glob.glob("examples/data/*.csv", root_dir=ROOT)
        + glob.glob(os.path.join(EDGE, "*.csv"), root_dir=ROOT)
    )
    # Parquet files as `pd.read_parquet` reads them (issue 14): pyarrow's with an
    # index column, Polars', and the bikes seed files the original project logs.
    paths += sorted(p for p in glob.glob("tests/data/parquet/**/*.parquet", root_dir=ROOT, recursive=True) if "invalid" not in p)
    paths += [os.path.join("..", "shared", "seed-bikes", f"{part}.parquet") for part in ["inputs_train", "targets_train"]]
    cases = [entry(p) for p in paths]
    # `limit = N` in a job: the digest of the first N rows (pd.read_csv(..., nrows=N)).
    cases.append(entry("examples/data/randhie_inputs.csv", nrows=1500))
    cases.append(entry(os.path.join(EDGE, "many_rows.csv"), nrows=9_999))
    cases.append(entry(os.path.join(EDGE, "text_many_rows.csv"), nrows=9_999))
    out = {
        "generated_by": "tests/mlflow/make_digests.py",
        "versions": {"mlflow": mlflow.__version__, "pandas": pd.__version__, "numpy": np.__version__},
        "cases": cases,
    }
    target = os.path.join(ROOT, "tests", "data", "expected", "mlflow_digests.json")
    with open(target, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(cases)} digests to {os.path.relpath(target, ROOT)}")


if __name__ == "__main__":
    main()
