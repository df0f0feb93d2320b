"""Times scikit-learn's GridSearchCV on a Tuna job config (same data, grid, folds and scoring).

    python bench/sklearn_bench.py JOB.toml --n-jobs 1 --repeats 3

Prints one JSON object: the fit times in seconds (GridSearchCV.fit only, refit
included as in Tuna's default), the fit and score times of every (candidate, fold)
summed (fits_s, from the last run's cv_results_), each run's fit times alone summed
(fit_times), best_score and best_params; and the process's resident memory once the
data is read (loaded_rss_bytes) and at its peak (peak_rss_bytes, getrusage's ru_maxrss).
The data is read once, before the runs.
"""

import argparse
import json
import math
import os
import resource
import sys
import time
import tomllib
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from sklearn.model_selection import GridSearchCV, KFold, ShuffleSplit, StratifiedKFold, TimeSeriesSplit  # noqa: E402
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


def train_test(n_rows, test_size=0.2, shuffle=False, random_state=42):
    """Tuna's TrainTestSplitter as a one-split cv: a fraction of the rows rounded up (scikit-learn's
    rule) or a count; the last rows, or ShuffleSplit's permutation when shuffled (as Tuna does)."""
    if shuffle:
        return ShuffleSplit(n_splits=1, test_size=test_size, random_state=random_state)
    n_test = math.ceil(test_size * n_rows) if isinstance(test_size, float) else test_size
    return [(np.arange(n_rows - n_test), np.arange(n_rows - n_test, n_rows))]


def rss_bytes():
    """This process's resident memory now (VmRSS), or None without /proc."""
    try:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:"))
    except OSError:
        return None


def load(job_path):
    """The job config and its data (inputs, targets)."""
    job = tomllib.loads(Path(job_path).read_text())
    here = Path(job_path).resolve().parent
    x = read_csv(here / job["inputs"]["path"])
    y = read_csv(here / job["targets"]["path"], job["targets"].get("column"))
    return job, x, y


def search(job, n_rows, n_jobs):
    """The job's GridSearchCV, not fitted."""
    model = {k: v for k, v in job["model"].items() if k != "KIND"}
    estimator = dict(all_estimators())[job["model"]["KIND"]](**model)
    splitter = {k: v for k, v in job["splitter"].items() if k != "KIND"}
    kind = job["splitter"]["KIND"]
    cv = train_test(n_rows, **splitter) if kind == "TrainTestSplitter" else SPLITTERS[kind](**splitter)
    name = job["metric"]["name"]
    scoring = f"neg_{name}" if name in NEGATED else name
    searcher = job["searcher"]
    return GridSearchCV(estimator, searcher["param_grid"], scoring=scoring, cv=cv, n_jobs=n_jobs,
                        refit=searcher.get("refit", True), error_score=np.nan
                        if searcher.get("error_score", "raise") != "raise" else "raise")


def main():
    args = argparse.ArgumentParser()
    args.add_argument("job")
    args.add_argument("--n-jobs", type=int, default=1)
    args.add_argument("--repeats", type=int, default=3)
    a = args.parse_args()
    job, x, y = load(a.job)
    loaded = rss_bytes()
    times = []
    fit_times = []
    for _ in range(a.repeats):
        grid = search(job, len(y), a.n_jobs)
        start = time.perf_counter()
        grid.fit(x, y)
        times.append(time.perf_counter() - start)
        fit_times.append(float(np.sum(grid.cv_results_["mean_fit_time"]) * grid.n_splits_))
    params = {k: (v.item() if hasattr(v, "item") else v) for k, v in grid.best_params_.items()}
    cv = grid.cv_results_
    fits = float(np.sum(cv["mean_fit_time"] + cv["mean_score_time"]) * grid.n_splits_)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux
    json.dump({"times": times, "fits_s": fits, "fit_times": fit_times, "best_score": float(grid.best_score_),
               "best_params": params, "loaded_rss_bytes": loaded, "peak_rss_bytes": peak}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
