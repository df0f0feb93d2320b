"""Fit scikit-learn's trees and forests and record what they predict and how they are built.

Tuna's trees must be scikit-learn's, tree for tree (tests/trees.rs). This script fits the
real estimators (versions pinned in tests/sklearn/requirements.txt) on the first three
quarters of each dataset's rows, predicts every row, and writes
tests/data/expected/trees.json: per case the predictions (and class probabilities), and for
single trees the fitted structure (each node's feature, threshold, value and row count,
the depth).

The datasets (written by make_expected.py, which runs first) include many tied values,
where the choice between equally good splits decides the tree: `ties_regression` is
diabetes with its features on a coarse integer grid, a one-hot pair (two columns that
split the rows identically) and a copy of a column; `ties_classification` is wine with
every feature rounded to one step of its own magnitude.

Everything is deterministic: running it twice gives byte-identical files.

    .venv-sklearn/bin/python tests/sklearn/make_expected.py
    .venv-sklearn/bin/python tests/sklearn/make_trees.py
"""

import csv
import json
import warnings
from pathlib import Path

import numpy as np
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
ESTIMATORS = {
    "DecisionTreeRegressor": DecisionTreeRegressor,
    "DecisionTreeClassifier": DecisionTreeClassifier,
    "RandomForestRegressor": RandomForestRegressor,
    "RandomForestClassifier": RandomForestClassifier,
    "ExtraTreesRegressor": ExtraTreesRegressor,
    "ExtraTreesClassifier": ExtraTreesClassifier,
    "GradientBoostingRegressor": GradientBoostingRegressor,
    "GradientBoostingClassifier": GradientBoostingClassifier,
}


def read(name):
    def rows(path):
        with open(path, newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            return header, np.array([[float(v) for v in row] for row in reader])

    names, X = rows(DATA / name / "inputs.csv")
    _, y = rows(DATA / name / "targets.csv")
    return names, X, y[:, 0]


REGRESSION = ["diabetes", "friedman1", "ties_regression"]
CLASSIFICATION = ["wine", "breast_cancer", "classification2", "ties_classification"]

TREE_REGRESSOR = [
    {"random_state": 0},
    {"max_depth": 6, "random_state": 3},
    {"max_features": "sqrt", "random_state": 1},
    {"max_features": 0.5, "random_state": 7, "min_samples_leaf": 3},
    {"criterion": "poisson", "max_depth": 5, "random_state": 0},
    {"criterion": "absolute_error", "random_state": 0},
    {"criterion": "absolute_error", "max_depth": 4, "min_samples_leaf": 3, "max_features": 0.5,
     "random_state": 1},
    {"criterion": "absolute_error", "splitter": "random", "max_leaf_nodes": 15, "random_state": 2},
    {"splitter": "random", "random_state": 2},
    {"max_leaf_nodes": 12, "random_state": 0},
    {"min_samples_leaf": 5, "min_weight_fraction_leaf": 0.01, "random_state": 4},
    {"min_impurity_decrease": 20.0, "random_state": 0},
    {"min_samples_split": 0.05, "max_depth": 8, "random_state": 5},
    {"ccp_alpha": 2.0, "random_state": 0},
    {"ccp_alpha": 0.5, "max_leaf_nodes": 30, "random_state": 1},
]
TREE_CLASSIFIER = [
    {"random_state": 0},
    {"criterion": "entropy", "random_state": 1},
    {"criterion": "log_loss", "max_features": "log2", "random_state": 2},
    {"splitter": "random", "random_state": 3},
    {"max_leaf_nodes": 8, "random_state": 0},
    {"min_samples_leaf": 3, "max_depth": 4, "random_state": 6},
    {"ccp_alpha": 0.01, "random_state": 0},
    {"class_weight": "balanced", "random_state": 0},
    {"class_weight": "balanced", "min_weight_fraction_leaf": 0.05, "random_state": 2},
    {"class_weight": {0: 1.0, 1: 4.0}, "random_state": 3},
    {"class_weight": {1: 2.5}, "max_depth": 5, "random_state": 4},
]
FOREST_REGRESSOR = [
    {"n_estimators": 10, "random_state": 0},
    {"n_estimators": 8, "max_features": "sqrt", "max_depth": 6, "random_state": 5},
    {"n_estimators": 5, "max_samples": 0.5, "random_state": 1},
    {"n_estimators": 5, "bootstrap": False, "max_features": 0.3, "random_state": 2},
    {"n_estimators": 4, "max_leaf_nodes": 20, "random_state": 9},
    {"n_estimators": 4, "ccp_alpha": 1.0, "random_state": 6},
    {"n_estimators": 4, "criterion": "absolute_error", "max_depth": 6, "random_state": 2},
    {"n_estimators": 12, "oob_score": True, "random_state": 3},
    {"n_estimators": 3, "oob_score": True, "max_samples": 0.4, "max_depth": 5, "random_state": 8},
]
FOREST_CLASSIFIER = [
    {"n_estimators": 10, "random_state": 0},
    {"n_estimators": 6, "criterion": "entropy", "max_samples": 40, "random_state": 3},
    {"n_estimators": 5, "class_weight": "balanced", "random_state": 1},
    {"n_estimators": 5, "class_weight": "balanced", "max_samples": 0.5, "random_state": 2},
    {"n_estimators": 5, "class_weight": "balanced_subsample", "min_weight_fraction_leaf": 0.02,
     "random_state": 3},
    {"n_estimators": 4, "class_weight": "balanced", "bootstrap": False, "max_features": 0.5,
     "random_state": 4},
    {"n_estimators": 12, "oob_score": True, "random_state": 5},
    {"n_estimators": 5, "class_weight": {0: 3.0, 2: 0.5}, "random_state": 8},
    {"n_estimators": 5, "class_weight": {1: 2.0}, "bootstrap": False, "random_state": 9},
    {"n_estimators": 6, "oob_score": True, "class_weight": "balanced", "random_state": 6},
    {"n_estimators": 6, "oob_score": True, "class_weight": "balanced_subsample", "max_samples": 0.7,
     "random_state": 7},
]
EXTRA_REGRESSOR = [
    {"n_estimators": 10, "random_state": 0},
    {"n_estimators": 5, "bootstrap": True, "max_depth": 7, "random_state": 1},
    {"n_estimators": 3, "criterion": "absolute_error", "bootstrap": True, "random_state": 3},
    {"n_estimators": 8, "bootstrap": True, "oob_score": True, "random_state": 4},
]
EXTRA_CLASSIFIER = [
    {"n_estimators": 10, "random_state": 0},
    {"n_estimators": 5, "max_features": None, "random_state": 4},
    {"n_estimators": 5, "class_weight": "balanced_subsample", "random_state": 5},
    {"n_estimators": 8, "bootstrap": True, "oob_score": True, "random_state": 6},
]

BOOSTING_REGRESSOR = [
    {"n_estimators": 20, "random_state": 0},
    {"loss": "absolute_error", "n_estimators": 15, "random_state": 1},
    {"loss": "huber", "alpha": 0.8, "n_estimators": 15, "random_state": 2},
    {"loss": "quantile", "alpha": 0.3, "n_estimators": 15, "random_state": 0},
    {"subsample": 0.7, "max_features": "sqrt", "n_estimators": 15, "random_state": 4},
    {"learning_rate": 0.3, "max_depth": 5, "min_samples_leaf": 4, "n_estimators": 10, "random_state": 0},
    {"max_leaf_nodes": 6, "max_depth": None, "init": "zero", "n_estimators": 10, "random_state": 3},
    {"loss": "huber", "subsample": 0.5, "n_estimators": 10, "random_state": 5},
    {"random_state": 0},
    {"n_iter_no_change": 3, "n_estimators": 300, "learning_rate": 0.3, "random_state": 0},
    {"n_iter_no_change": 2, "validation_fraction": 0.25, "tol": 0.0, "loss": "huber",
     "n_estimators": 200, "learning_rate": 0.5, "random_state": 1},
    {"n_iter_no_change": 4, "loss": "absolute_error", "subsample": 0.8, "n_estimators": 200,
     "learning_rate": 0.4, "random_state": 2},
    {"n_iter_no_change": 2, "loss": "quantile", "alpha": 0.7, "n_estimators": 150, "random_state": 3},
]
BOOSTING_CLASSIFIER = [
    {"n_estimators": 15, "random_state": 0},
    {"subsample": 0.6, "max_features": 0.5, "n_estimators": 10, "random_state": 1},
    {"learning_rate": 0.5, "max_depth": 2, "n_estimators": 10, "random_state": 2},
    {"loss": "exponential", "n_estimators": 10, "random_state": 0},
    {"init": "zero", "min_samples_leaf": 3, "n_estimators": 8, "random_state": 3},
    {"random_state": 0},
    {"subsample": 0.8, "max_features": "sqrt", "random_state": 6},
    {"loss": "exponential", "subsample": 0.5, "random_state": 7},
    {"n_iter_no_change": 3, "n_estimators": 300, "learning_rate": 0.5, "random_state": 0},
    {"n_iter_no_change": 2, "validation_fraction": 0.3, "tol": 0.0, "n_estimators": 200,
     "max_depth": 2, "random_state": 4},
    {"n_iter_no_change": 2, "loss": "exponential", "n_estimators": 200, "learning_rate": 0.5,
     "random_state": 5},
]


def fits(params, y):
    """Whether scikit-learn accepts `params` for targets `y` (poisson needs y >= 0,
    the exponential loss two classes, a class_weight table labels of y)."""
    if params.get("criterion") == "poisson":
        return y.min() >= 0
    if params.get("loss") == "exponential":
        return len(np.unique(y)) == 2
    if isinstance(params.get("class_weight"), dict):
        return set(params["class_weight"]) <= set(np.unique(y).astype(int))
    return True


def structure(tree):
    t = tree.tree_
    return {
        "node_count": int(t.node_count),
        "max_depth": int(t.max_depth),
        "feature": [int(f) for f in t.feature],
        "threshold": [float(v) if f >= 0 else None for f, v in zip(t.feature, t.threshold)],
        "value": [[float(v) for v in node[0]] for node in t.value],
        "n_node_samples": [int(v) for v in t.n_node_samples],
    }


def case(kind, dataset, params):
    _, X, y = read(dataset)
    n_train = len(y) * 3 // 4
    with warnings.catch_warnings():
        # A few trees leave some rows in every bootstrap sample ("Some inputs do
        # not have OOB scores"): those rows score as predicted 0, in Tuna too.
        warnings.simplefilter("ignore", UserWarning)
        model = ESTIMATORS[kind](**params).fit(X[:n_train], y[:n_train])
    out = {"kind": kind, "dataset": dataset, "params": params, "n_train": n_train,
           "predict": [float(v) for v in model.predict(X)]}
    if hasattr(model, "predict_proba"):
        out["predict_proba"] = [[float(v) for v in row] for row in model.predict_proba(X)]
    if params.get("n_iter_no_change"):
        out["n_estimators_"] = int(model.n_estimators_)
    if params.get("oob_score"):
        out["oob_score"] = float(model.oob_score_)
    if hasattr(model, "tree_"):
        out["tree"] = structure(model)
    return out


def main():
    groups = [
        ("DecisionTreeRegressor", REGRESSION, TREE_REGRESSOR),
        ("DecisionTreeClassifier", CLASSIFICATION, TREE_CLASSIFIER),
        ("RandomForestRegressor", REGRESSION, FOREST_REGRESSOR),
        ("RandomForestClassifier", CLASSIFICATION, FOREST_CLASSIFIER),
        ("ExtraTreesRegressor", REGRESSION, EXTRA_REGRESSOR),
        ("ExtraTreesClassifier", CLASSIFICATION, EXTRA_CLASSIFIER),
        ("GradientBoostingRegressor", REGRESSION, BOOSTING_REGRESSOR),
        ("GradientBoostingClassifier", CLASSIFICATION, BOOSTING_CLASSIFIER),
    ]
    cases = [case(kind, d, p) for kind, datasets, settings in groups for d in datasets for p in settings
             if fits(p, read(d)[2])]
    path = DATA / "expected" / "trees.json"
    path.write_text(json.dumps(cases, separators=(",", ":")) + "\n")
    print(f"wrote {len(cases)} cases to {path.relative_to(ROOT)}")
    refit_oob()


def refit_oob():
    """A search whose refit best forest reports oob_score_ (tests/cli.rs runs it with `tuna run`)."""
    _, X, y = read("diabetes")
    search = GridSearchCV(RandomForestRegressor(n_estimators=10, oob_score=True, random_state=0),
                          {"max_depth": [3, None]}, scoring="neg_mean_squared_error", cv=KFold(5),
                          n_jobs=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        search.fit(X, y)
    out = {"best_params": {k: v for k, v in search.best_params_.items()},
           "best_score": float(search.best_score_),
           "oob_score": float(search.best_estimator_.oob_score_),
           # Rows in every tree's bootstrap sample: scikit-learn predicts them 0 (and warns).
           "oob_unscored_rows": int(np.sum(search.best_estimator_.oob_prediction_ == 0))}
    path = DATA / "expected" / "refit_oob.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path.relative_to(ROOT)}: {out}")


if __name__ == "__main__":
    main()
