"""Compute MLflow's dataset digests for Tuna's CSVs with the real MLflow and pandas.

Tuna logs each dataset with a digest that must equal
`mlflow.data.from_pandas(pd.read_csv(file)).digest`, so that the same data
logged from Python and from Tuna is recognisable as the same. This script runs
the real thing (versions pinned in tests/mlflow/requirements.txt) and writes
tests/data/expected/mlflow_digests.json, which `src/io/mlflow/digest.rs`'s
tests compare against. It also writes the edge-case CSVs under
tests/mlflow/data/ (booleans, -0.0, more than 10,000 rows, long decimals).

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
    for name, text in files.items():
        with open(os.path.join(ROOT, EDGE, name), "w", encoding="utf-8", newline="") as f:
            f.write(text)


def entry(path, nrows=None):
    df = pd.read_csv(os.path.join(ROOT, path), nrows=nrows)
    ds = mlflow.data.from_pandas(df, source=path, name=os.path.basename(path))
    schema = json.loads(ds.to_dict()["schema"])["mlflow_colspec"]
    return {
        "file": path,
        "nrows": nrows,
        "digest": ds.digest,
        "profile": json.loads(ds.to_dict()["profile"]),
        "schema": [[c["name"], c["type"]] for c in schema],
        "dtypes": [str(t) for t in df.dtypes],
    }


def main():
    write_edge_cases()
    paths = sorted(
        glob.glob("tests/data/*/*.csv", root_dir=ROOT)
        + glob.glob("examples/data/*.csv", root_dir=ROOT)
        + glob.glob(os.path.join(EDGE, "*.csv"), root_dir=ROOT)
    )
    cases = [entry(p) for p in paths]
    # `limit = N` in a job: the digest of the first N rows (pd.read_csv(..., nrows=N)).
    cases.append(entry("examples/data/randhie_inputs.csv", nrows=1500))
    cases.append(entry(os.path.join(EDGE, "many_rows.csv"), nrows=9_999))
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
