"""Times scikit-learn's GridSearchCV on a Tuna job config (same data, grid, folds and scoring).

    python bench/sklearn_bench.py JOB.toml --n-jobs 1 --repeats 3

Prints one JSON object: the fit times in seconds (GridSearchCV.fit only, refit
included as in Tuna's default), the fit and score times of every (candidate, fold)
summed (fits_s, from the last run's cv_results_), best_score and best_params.
"""

import argparse
import json
import os
import sys
import time
import tomllib
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold, TimeSeriesSplit  # noqa: E402
from sklearn.utils import all_estimators  # noqa: E402

# Tuna's splitter KINDs and the scikit-learn classes they name.
SPLITTERS = {"TimeSeriesSplitter": TimeSeriesSplit, "KFoldSplitter": KFold, "StratifiedKFoldSplitter": StratifiedKFold}
# Tuna's error metrics are negated, as scikit-learn's scorers are.
NEGATED = {"mean_squared_error", "root_mean_squared_error", "mean_absolute_error",
           "mean_absolute_percentage_error", "max_error", "log_loss"}


def read_csv(path, column=None):
    with open(path) as f:
        header = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    return data[:, header.index(column)] if column else (data if data.shape[1] > 1 else data[:, 0])


def search(job_path, n_jobs):
    job = tomllib.loads(Path(job_path).read_text())
    here = Path(job_path).resolve().parent
    x = read_csv(here / job["inputs"]["path"])
    y = read_csv(here / job["targets"]["path"], job["targets"].get("column"))
    model = {k: v for k, v in job["model"].items() if k != "KIND"}
    estimator = dict(all_estimators())[job["model"]["KIND"]](**model)
    splitter = {k: v for k, v in job["splitter"].items() if k != "KIND"}
    cv = SPLITTERS[job["splitter"]["KIND"]](**splitter)
    name = job["metric"]["name"]
    scoring = f"neg_{name}" if name in NEGATED else name
    searcher = job["searcher"]
    return x, y, GridSearchCV(estimator, searcher["param_grid"], scoring=scoring, cv=cv, n_jobs=n_jobs,
                              refit=searcher.get("refit", True), error_score=np.nan
                              if searcher.get("error_score", "raise") != "raise" else "raise")


def main():
    args = argparse.ArgumentParser()
    args.add_argument("job")
    args.add_argument("--n-jobs", type=int, default=1)
    args.add_argument("--repeats", type=int, default=3)
    a = args.parse_args()
    times = []
    for _ in range(a.repeats):
        x, y, grid = search(a.job, a.n_jobs)
        start = time.perf_counter()
        grid.fit(x, y)
        times.append(time.perf_counter() - start)
    params = {k: (v.item() if hasattr(v, "item") else v) for k, v in grid.best_params_.items()}
    cv = grid.cv_results_
    fits = float(np.sum(cv["mean_fit_time"] + cv["mean_score_time"]) * grid.n_splits_)
    json.dump({"times": times, "fits_s": fits, "best_score": float(grid.best_score_), "best_params": params}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
