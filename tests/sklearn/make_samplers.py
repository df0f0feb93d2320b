"""Writes tests/data/expected/samplers.json: the candidates scikit-learn's
ParameterSampler (what RandomizedSearchCV runs) draws for RandomCVSearcher
configs, so `tests/samplers.rs` can check Tuna draws the same ones, draw for
draw, with the same random_state.

Each case is a Tuna `[searcher]` (its `param_distributions` as Tuna writes
them: lists, or tables with `distribution`, `low`, `high`), the names
scikit-learn gives its keys in `Pipeline([("preprocess", ...), ("model", ...)])`,
and what ParameterSampler yields, with the warning it gives when the lists hold
fewer combinations than n_iter. Deterministic: running it twice gives the same
file. Run from the project root (or `make expected`):

    .venv-sklearn/bin/python tests/sklearn/make_samplers.py
"""

import json
import warnings
from pathlib import Path

from scipy.stats import loguniform, randint, uniform
from sklearn.model_selection import ParameterSampler

OUT = Path("tests/data/expected/samplers.json")
PREPROCESS = "preprocess__"


def sklearn_name(key):
    return key if key.startswith(PREPROCESS) else f"model__{key}"


def space(v):
    """A Tuna param_distributions entry as scikit-learn's."""
    if isinstance(v, list):
        return v
    kind, low, high = v["distribution"], v["low"], v["high"]
    if kind == "uniform":
        return uniform(loc=low, scale=high - low)
    if kind == "loguniform":
        return loguniform(low, high)
    if kind == "randint":
        return randint(low, high)
    raise ValueError(kind)


def plain(value):
    """numpy scalars as JSON's."""
    if hasattr(value, "item"):
        value = value.item()
    return value


def sample(searcher):
    names = {sklearn_name(k): k for k in searcher["param_distributions"]}
    distributions = {sklearn_name(k): space(v) for k, v in searcher["param_distributions"].items()}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        drawn = list(ParameterSampler(distributions, n_iter=searcher["n_iter"], random_state=searcher["random_state"]))
    candidates = [{names[k]: plain(v) for k, v in c.items()} for c in drawn]
    return candidates, [str(w.message) for w in caught]


LISTS = {"alpha": [0.001, 0.01, 0.1, 1.0, 10.0], "fit_intercept": [True, False]}
WIDE = {"a": list(range(10)), "b": list(range(10)), "c": list(range(10))}
MIXED = {
    "alpha": {"distribution": "loguniform", "low": 0.001, "high": 10.0},
    "max_depth": {"distribution": "randint", "low": 2, "high": 12},
    "fit_intercept": [True, False],
    "l1_ratio": {"distribution": "uniform", "low": 0.0, "high": 1.0},
    "preprocess__num__strategy": ["mean", "median"],
}

CASES = [
    # 3 of 10 points: a permutation's head.
    ("lists, 30% of the grid (permutation)", LISTS, 3, 0),
    ("lists, 30% of the grid, another seed", LISTS, 3, 42),
    # 5 of 1000: tracking selection; 990 of 1000: reservoir sampling.
    ("lists, 0.5% of the grid (tracking selection)", WIDE, 5, 7),
    ("lists, 99% of the grid (reservoir sampling)", WIDE, 990, 3),
    # The whole grid, and more than it: every point once, in grid order, with a warning.
    ("lists, n_iter equal to the grid", LISTS, 10, 0),
    ("lists, n_iter past the grid (capped, warned)", {"fit_intercept": [True, False]}, 40, 0),
    # Distributions and lists: independent draws, keys in scikit-learn's order.
    ("distributions and lists", MIXED, 12, 0),
    ("distributions and lists, another seed", MIXED, 12, 2**32 - 1),
]


def main():
    cases = []
    for name, distributions, n_iter, seed in CASES:
        searcher = {"param_distributions": distributions, "n_iter": n_iter, "random_state": seed}
        candidates, warned = sample(searcher)
        cases.append({"name": name, "searcher": searcher, "candidates": candidates, "warnings": warned})
    OUT.write_text(json.dumps(cases, indent=1) + "\n")
    print(f"wrote {OUT} ({len(cases)} cases)")


if __name__ == "__main__":
    main()
