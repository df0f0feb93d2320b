"""Writes the benchmark's data into bench/data/ (gitignored); skips files that exist.

- friedman1_inputs.csv / friedman1_targets.csv: make_friedman1(n_samples=17379,
  n_features=10, noise=1.0, random_state=42), written with 17 significant digits
  so every engine reads exactly the same floats.
- classification_inputs.csv / classification_targets.csv: make_classification
  (3000 rows, 20 features, 2 classes, random_state=0).
- big_inputs.csv / big_targets.csv: 1,000,000 rows x 20 standard-normal columns
  (6 significant digits) and a 1,000,000-row target, for the page's load test.
- big_inputs.parquet / big_targets.parquet: the same two tables as Parquet
  (pandas' default: pyarrow, Snappy, no index), for the same test.
- scaling_<10k|100k|1m>_inputs.csv / _targets.csv: make_friedman1(n_samples=N,
  n_features=20, noise=1.0, random_state=0) for N = 10,000, 100,000 and 1,000,000, for
  the scaling table (9 significant digits: the engines all parse the same text).
"""

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification, make_friedman1

DATA = Path(__file__).resolve().parent / "data"
# The scaling table's row counts, by the label in their file names (bench/run.mjs uses the same labels).
SCALING_ROWS = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}


def write(name, array, columns, fmt):
    path = DATA / name
    if path.exists():
        return
    tmp = path.with_suffix(".tmp")
    np.savetxt(tmp, array, fmt=fmt, delimiter=",", header=",".join(columns), comments="")
    tmp.rename(path)
    print(f"wrote {path.relative_to(DATA.parent.parent)} ({path.stat().st_size / 1e6:.1f} MB)")


def main():
    DATA.mkdir(exist_ok=True)
    x, y = make_friedman1(n_samples=17379, n_features=10, noise=1.0, random_state=42)
    write("friedman1_inputs.csv", x, [f"x{i}" for i in range(10)], "%.17g")
    write("friedman1_targets.csv", y, ["y"], "%.17g")

    x, y = make_classification(n_samples=3000, n_features=20, n_informative=6, n_classes=2, random_state=0)
    write("classification_inputs.csv", x, [f"x{i}" for i in range(20)], "%.17g")
    write("classification_targets.csv", y, ["label"], "%d")

    if not (DATA / "big_inputs.csv").exists() or not (DATA / "big_targets.csv").exists():
        rng = np.random.default_rng(0)
        write("big_inputs.csv", rng.standard_normal((1_000_000, 20)), [f"x{i}" for i in range(20)], "%.6g")
        write("big_targets.csv", rng.standard_normal(1_000_000), ["y"], "%.6g")
    for part in ["inputs", "targets"]:
        path = DATA / f"big_{part}.parquet"
        if not path.exists():
            pd.read_csv(DATA / f"big_{part}.csv").to_parquet(path, index=False)
            print(f"wrote {path.relative_to(DATA.parent.parent)} ({path.stat().st_size / 1e6:.1f} MB)")

    for label, rows in SCALING_ROWS.items():
        if all((DATA / f"scaling_{label}_{part}.csv").exists() for part in ["inputs", "targets"]):
            continue
        x, y = make_friedman1(n_samples=rows, n_features=20, noise=1.0, random_state=0)
        write(f"scaling_{label}_inputs.csv", x, [f"x{i}" for i in range(20)], "%.9g")
        write(f"scaling_{label}_targets.csv", y, ["y"], "%.9g")


if __name__ == "__main__":
    main()
