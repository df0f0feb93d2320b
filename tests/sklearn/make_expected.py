"""Generate the scikit-learn reference data that Tuna's Rust tests compare against.

Tuna must produce the same numbers as scikit-learn. This script runs the real
scikit-learn (versions pinned in tests/sklearn/requirements.txt) and writes:

  tests/data/<dataset>/inputs.csv, targets.csv   datasets (floats as Python repr)
  tests/data/expected/splitters.json             CV splitter folds
  tests/data/expected/metrics.json               metric values on small vectors
  tests/data/expected/searches.json              GridSearchCV cv_results_

Tree and forest searches run on data with many tied values too
(`ties_regression`, `ties_classification`), where which of several equally good
splits a tree keeps decides its scores; Tuna's trees are scikit-learn's (see
tests/sklearn/make_trees.py), so these are compared exactly like the rest.

Everything is deterministic: running it twice gives byte-identical files.

Run from the project root:

    python3 -m venv .venv-sklearn
    .venv-sklearn/bin/pip install -r tests/sklearn/requirements.txt
    .venv-sklearn/bin/python tests/sklearn/make_expected.py

Splitter folds are always stored as explicit index lists
{"train": [...], "test": [...]}, sorted ascending exactly as scikit-learn
yields them (no compact range encoding is used).
"""

import os

# Single-threaded BLAS/OpenMP so floating-point reductions do not depend on
# the machine's core count. Must be set before numpy/scipy are imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import csv
import json
import math
import sys
import warnings
from pathlib import Path

import numpy as np
import sklearn
from sklearn import datasets, metrics
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.linear_model import (
    ElasticNet,
    Lasso,
    LinearRegression,
    LogisticRegression,
    Ridge,
)
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    ParameterGrid,
    StratifiedKFold,
    TimeSeriesSplit,
    train_test_split,
)
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.svm import SVC, SVR
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "tests" / "data"
EXPECTED_DIR = DATA_DIR / "expected"


# --------------------------------------------------------------------------
# JSON helpers
# --------------------------------------------------------------------------


def plain(obj):
    """Convert numpy scalars/arrays (recursively) to plain Python values.

    Masked entries (np.ma.masked) become None. NaN/inf are rejected loudly.
    """
    if obj is np.ma.masked:
        return None
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, np.ma.MaskedArray):
        return [None if m else plain(v) for v, m in zip(obj.data, np.ma.getmaskarray(obj))]
    if isinstance(obj, (list, tuple, np.ndarray)):
        return [plain(v) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        value = float(obj)
        if not math.isfinite(value):
            raise ValueError(f"non-finite float in expected data: {value}")
        return value
    if obj is None or isinstance(obj, str):
        return obj
    raise TypeError(f"cannot convert {type(obj).__name__} to JSON: {obj!r}")


def _is_scalar(v):
    return not isinstance(v, (dict, list))


def dumps(obj, indent=0):
    """JSON text: objects indented one key per line, lists of scalars on one line."""
    pad, inner = " " * indent, " " * (indent + 2)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f"{inner}{json.dumps(k)}: {dumps(v, indent + 2)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if all(_is_scalar(v) for v in obj):
            return "[" + ", ".join(dumps(v) for v in obj) + "]"
        items = [inner + dumps(v, indent + 2) for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(obj, allow_nan=False)


def write_json(path, cases):
    path.parent.mkdir(parents=True, exist_ok=True)
    text = dumps(plain(cases)) + "\n"
    json.loads(text)  # sanity: valid JSON
    path.write_text(text)


# --------------------------------------------------------------------------
# Datasets
# --------------------------------------------------------------------------


CLASSIFICATION2_SEED = 3


def load_datasets():
    """name -> (X, y, feature_names, is_classification)."""
    out = {}
    for name, loader in [
        ("diabetes", datasets.load_diabetes),
        ("breast_cancer", datasets.load_breast_cancer),
        ("iris", datasets.load_iris),
        ("wine", datasets.load_wine),
    ]:
        bunch = loader()
        out[name] = (bunch.data, bunch.target, list(bunch.feature_names), name != "diabetes")
    X, y = datasets.make_friedman1(n_samples=1000, n_features=10, noise=1.0, random_state=42)
    out["friedman1"] = (X, y, [f"x{i}" for i in range(X.shape[1])], False)
    # Continuous features, three classes (the seed was once picked for a
    # classification tree without tied splits; kept so the data stays the same).
    X, y = datasets.make_classification(n_samples=600, n_features=6, n_informative=4,
                                        n_redundant=0, n_classes=3,
                                        random_state=CLASSIFICATION2_SEED)
    out["classification2"] = (X, y, [f"x{i}" for i in range(X.shape[1])], True)
    # Many tied values: diabetes on a coarse integer grid, with a one-hot pair (two
    # columns that split the rows identically) and a copy of bmi; wine with every
    # feature rounded to one step of its own magnitude.
    X, y, names, _ = out["diabetes"]
    grid = np.round(X * 40)
    sex = (X[:, 1] > 0).astype(float)
    out["ties_regression"] = (np.column_stack([grid, sex, 1.0 - sex, grid[:, 2]]), y,
                              [*names, "sex_a", "sex_b", "bmi_copy"], False)
    X, y, names, _ = out["wine"]
    steps = 10.0 ** np.floor(np.log10(np.abs(X).mean(axis=0)))
    out["ties_classification"] = (np.round(X / steps) * steps, y, names, True)
    return out


def write_datasets(all_data):
    for name, (X, y, names, is_clf) in all_data.items():
        folder = DATA_DIR / name
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "inputs.csv", "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(names)
            for row in X:
                w.writerow([repr(float(v)) for v in row])
        with open(folder / "targets.csv", "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["target"])
            for v in y:
                w.writerow([str(int(v))] if is_clf else [repr(float(v))])
        check_roundtrip(folder, X, y)


def check_roundtrip(folder, X, y):
    """Re-read the CSVs and make sure every value is bit-identical."""
    with open(folder / "inputs.csv") as f:
        rows = list(csv.reader(f))[1:]
    with open(folder / "targets.csv") as f:
        targets = [r[0] for r in list(csv.reader(f))[1:]]
    assert np.array_equal(np.array(rows, dtype=float), X), folder
    assert np.array_equal(np.array([float(t) for t in targets]), y), folder


# --------------------------------------------------------------------------
# Splitters
# --------------------------------------------------------------------------


def kfold(n_splits=5, shuffle=False, random_state=None):
    return {"KIND": "KFoldSplitter", "n_splits": n_splits, "shuffle": shuffle,
            "random_state": random_state}


def stratified(n_splits=5, shuffle=False, random_state=None):
    return {"KIND": "StratifiedKFoldSplitter", "n_splits": n_splits, "shuffle": shuffle,
            "random_state": random_state}


def time_series(n_splits=5, test_size=None, gap=0, max_train_size=None):
    return {"KIND": "TimeSeriesSplitter", "n_splits": n_splits, "test_size": test_size,
            "gap": gap, "max_train_size": max_train_size}


def train_test(test_size, shuffle=False):
    return {"KIND": "TrainTestSplitter", "test_size": test_size, "shuffle": shuffle}


def folds_for(config, n_samples, y=None):
    """Train/test index lists produced by scikit-learn for a Tuna splitter config."""
    if config["KIND"] == "TrainTestSplitter":
        params = {k: v for k, v in config.items() if k != "KIND"}
        train, test = train_test_split(np.arange(n_samples), **params)
        return [(train, test)]
    return list(sklearn_splitter(config).split(np.zeros((n_samples, 1)), y))


def sklearn_splitter(config):
    """scikit-learn CV object for a Tuna splitter config (not TrainTestSplitter)."""
    kind = config["KIND"]
    params = {k: v for k, v in config.items() if k != "KIND"}
    cls = {"KFoldSplitter": KFold, "StratifiedKFoldSplitter": StratifiedKFold,
           "TimeSeriesSplitter": TimeSeriesSplit}[kind]
    return cls(**params)


def imbalanced_labels():
    """60 labels, classes 2/0/1 with counts 30/20/10, shuffled by a seeded permutation."""
    y = np.array([2] * 30 + [0] * 20 + [1] * 10)
    y = y[np.random.RandomState(3).permutation(len(y))]
    first_seen = list(dict.fromkeys(y.tolist()))
    assert first_seen != sorted(first_seen), first_seen  # appearance order != sorted order
    return y


def splitter_cases():
    iris_y = datasets.load_iris().target
    imb_y = imbalanced_labels()
    cases = [
        ("kfold_5_n23", kfold(5), 23, None),
        ("kfold_3_shuffle_rs0_n10", kfold(3, True, 0), 10, None),
        ("kfold_4_shuffle_rs42_n101", kfold(4, True, 42), 101, None),
        ("kfold_5_shuffle_rs123456789_n1000", kfold(5, True, 123456789), 1000, None),
        ("stratified_3_iris", stratified(3), len(iris_y), iris_y),
        ("stratified_5_iris", stratified(5), len(iris_y), iris_y),
        ("stratified_5_shuffle_rs7_imbalanced60", stratified(5, True, 7), 60, imb_y),
        ("stratified_4_imbalanced60", stratified(4, False), 60, imb_y),
        ("timeseries_default_n50", time_series(), 50, None),
        ("timeseries_4_test10_gap2_n60", time_series(4, test_size=10, gap=2), 60, None),
        ("timeseries_3_maxtrain20_n80", time_series(3, max_train_size=20), 80, None),
        ("timeseries_4_test1440_n17379", time_series(4, test_size=1440, gap=0), 17379, None),
        ("train_test_0.2_n101", train_test(0.2), 101, None),
        ("train_test_7_n30", train_test(7), 30, None),
        ("train_test_0.25_n10", train_test(0.25), 10, None),
        # 0.07 * 100 == 7.000000000000001 in f64, so ceil() gives 8 test samples.
        ("train_test_0.07_n100_float_rounding", train_test(0.07), 100, None),
    ]
    out = []
    for name, config, n, y in cases:
        folds = folds_for(config, n, y)
        out.append({
            "name": name,
            "splitter": config,
            "n_samples": n,
            "y": None if y is None else y.tolist(),
            "folds": [{"train": tr, "test": te} for tr, te in folds],
        })
    return out


# --------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------

# name -> (sklearn function, keyword arguments, response method used by scorers)
METRICS = {
    "mean_squared_error": (metrics.mean_squared_error, {}, "predict"),
    "root_mean_squared_error": (metrics.root_mean_squared_error, {}, "predict"),
    "mean_absolute_error": (metrics.mean_absolute_error, {}, "predict"),
    "r2": (metrics.r2_score, {}, "predict"),
    "mean_absolute_percentage_error": (metrics.mean_absolute_percentage_error, {}, "predict"),
    "max_error": (metrics.max_error, {}, "predict"),
    "accuracy": (metrics.accuracy_score, {}, "predict"),
    "balanced_accuracy": (metrics.balanced_accuracy_score, {}, "predict"),
    "f1": (metrics.f1_score, {"average": "binary", "pos_label": 1}, "predict"),
    "precision": (metrics.precision_score, {"average": "binary", "pos_label": 1}, "predict"),
    "recall": (metrics.recall_score, {"average": "binary", "pos_label": 1}, "predict"),
    "f1_macro": (metrics.f1_score, {"average": "macro"}, "predict"),
    "precision_macro": (metrics.precision_score, {"average": "macro"}, "predict"),
    "recall_macro": (metrics.recall_score, {"average": "macro"}, "predict"),
    "roc_auc": (metrics.roc_auc_score, {}, "predict_proba"),
    "log_loss": (metrics.log_loss, {}, "predict_proba"),
}
REGRESSION_METRICS = ["mean_squared_error", "root_mean_squared_error", "mean_absolute_error",
                      "r2", "mean_absolute_percentage_error", "max_error"]
LABEL_METRICS = ["accuracy", "balanced_accuracy", "f1", "precision", "recall",
                 "f1_macro", "precision_macro", "recall_macro"]


def random_proba(rng, n, n_classes, decimals):
    """Rows summing to 1 (last column = 1 - sum of the others, after rounding)."""
    raw = rng.dirichlet(np.ones(n_classes), size=n)
    head = np.round(raw[:, :-1], decimals)
    return np.column_stack([head, 1.0 - head.sum(axis=1)])


def metric_cases():
    rng = np.random.default_rng(20240601)
    cases = []

    def add(name, case, y_true, y_pred=None, y_proba=None, classes=None, note=None):
        func, kwargs, _ = METRICS[name]
        if y_proba is not None:
            y_proba = np.asarray(y_proba, dtype=float)
            if name == "roc_auc":
                value = func(y_true, y_proba[:, 1], **kwargs)
            else:
                value = func(y_true, y_proba, labels=classes, **kwargs)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UndefinedMetricWarning)
                value = func(y_true, y_pred, **kwargs)
        entry = {"name": name, "case": case, "y_true": y_true, "y_pred": y_pred,
                 "y_proba": y_proba, "classes": classes, "value": value}
        if note:
            entry["note"] = note
        cases.append(entry)

    # Regression: 20 values, strictly positive y_true (MAPE is well-behaved).
    y_true = np.round(rng.normal(50.0, 10.0, size=20), 3)
    y_pred = np.round(y_true + rng.normal(0.0, 5.0, size=20), 3)
    for name in REGRESSION_METRICS:
        add(name, "regression_20", y_true, y_pred)
    # MAPE with a zero target: sklearn divides by max(|y_true|, float64 eps).
    y_true_zero = y_true.copy()
    y_true_zero[3] = 0.0
    add("mean_absolute_percentage_error", "regression_20_with_zero_target", y_true_zero, y_pred,
        note="y_true[3] == 0: denominator is max(|y|, 2.220446049250313e-16)")

    # Binary labels.
    yb_true = rng.integers(0, 2, size=20)
    yb_pred = np.where(rng.random(20) < 0.75, yb_true, 1 - yb_true)
    for name in LABEL_METRICS:
        add(name, "binary_20", yb_true, yb_pred, classes=[0, 1])
    # Binary with the positive class never predicted: precision/f1 are 0/0 ->
    # sklearn's default zero_division="warn" returns 0.0 (with a warning).
    yb_none = np.zeros(20, dtype=int)
    for name in ["precision", "f1", "recall", "accuracy", "balanced_accuracy",
                 "precision_macro", "f1_macro"]:
        add(name, "binary_20_positive_never_predicted", yb_true, yb_none, classes=[0, 1],
            note="class 1 never predicted: precision of class 1 is 0/0 -> 0.0")

    # Three classes.
    y3_true = rng.integers(0, 3, size=20)
    y3_pred = np.where(rng.random(20) < 0.6, y3_true, rng.integers(0, 3, size=20))
    for name in ["accuracy", "balanced_accuracy", "f1_macro", "precision_macro", "recall_macro"]:
        add(name, "multiclass3_20", y3_true, y3_pred, classes=[0, 1, 2])
    # Three classes, class 2 never predicted.
    y3_pred_no2 = np.where(y3_pred == 2, (y3_true + 1) % 2, y3_pred)
    assert 2 not in y3_pred_no2 and 2 in y3_true
    for name in ["accuracy", "balanced_accuracy", "f1_macro", "precision_macro", "recall_macro"]:
        add(name, "multiclass3_20_class2_never_predicted", y3_true, y3_pred_no2,
            classes=[0, 1, 2],
            note="class 2 never predicted: its precision is 0/0 -> 0.0 and counts in the macro mean")

    # Binary probabilities.
    pb = random_proba(rng, 20, 2, decimals=4)
    add("roc_auc", "binary_20", yb_true, y_proba=pb, classes=[0, 1])
    pb_ties = random_proba(rng, 20, 2, decimals=1)  # many tied scores
    add("roc_auc", "binary_20_tied_scores", yb_true, y_proba=pb_ties, classes=[0, 1],
        note="scores rounded to 1 decimal: ties count half (trapezoidal ROC)")
    add("log_loss", "binary_20", yb_true, y_proba=pb, classes=[0, 1])
    pb_clip = pb.copy()
    pb_clip[0] = [1.0, 0.0] if yb_true[0] == 1 else [0.0, 1.0]
    add("log_loss", "binary_20_zero_proba_for_true_class", yb_true, y_proba=pb_clip,
        classes=[0, 1],
        note="row 0 gives probability 0 to the true class: clipped to float64 eps")

    # Three-class probabilities.
    p3 = random_proba(rng, 20, 3, decimals=4)
    add("log_loss", "multiclass3_20", y3_true, y_proba=p3, classes=[0, 1, 2])
    return cases


# --------------------------------------------------------------------------
# Grid searches
# --------------------------------------------------------------------------

MODELS = {cls.__name__: cls for cls in [
    LinearRegression, Ridge, Lasso, ElasticNet, KNeighborsRegressor, KNeighborsClassifier,
    DecisionTreeRegressor, DecisionTreeClassifier, RandomForestRegressor,
    RandomForestClassifier, ExtraTreesRegressor, ExtraTreesClassifier, GradientBoostingRegressor,
    GradientBoostingClassifier, LogisticRegression, GaussianNB, SVR, SVC,
]}


def scorer_for(metric):
    """sklearn scorer equal to Tuna's: metric if greater_is_better else -metric."""
    func, kwargs, response = METRICS[metric["name"]]
    return metrics.make_scorer(func, greater_is_better=metric["greater_is_better"],
                               response_method=response, **kwargs)


def metric(name, greater_is_better):
    return {"name": name, "greater_is_better": greater_is_better}


def search_specs():
    mse, r2, mae = metric("mean_squared_error", False), metric("r2", True), \
        metric("mean_absolute_error", False)
    acc, f1m = metric("accuracy", True), metric("f1_macro", True)
    auc, logloss = metric("roc_auc", True), metric("log_loss", False)
    k5, s5 = kfold(5), stratified(5)
    return [
        # name, dataset, model, metric, splitter, param_grid, return_train_score
        ("linear_regression_diabetes", "diabetes", {"KIND": "LinearRegression"}, mse, k5,
         {"fit_intercept": [True, False]}, False),
        ("ridge_diabetes_alpha", "diabetes", {"KIND": "Ridge"}, mse, k5,
         {"alpha": [0.01, 0.1, 1.0, 10.0]}, True),
        ("ridge_friedman1_timeseries", "friedman1", {"KIND": "Ridge"}, r2,
         time_series(4, test_size=100),
         {"alpha": [0.001, 1.0, 1000.0], "fit_intercept": [True, False]}, False),
        ("lasso_diabetes", "diabetes", {"KIND": "Lasso"}, mae, k5,
         {"alpha": [0.01, 0.1, 1.0]}, False),
        ("elastic_net_diabetes", "diabetes", {"KIND": "ElasticNet"}, mse, k5,
         {"alpha": [0.01, 0.1, 1.0], "l1_ratio": [0.2, 0.5, 0.8]}, False),
        ("knn_regressor_friedman1", "friedman1", {"KIND": "KNeighborsRegressor"}, mse,
         kfold(5, True, 0), {"n_neighbors": [1, 5, 15], "weights": ["uniform", "distance"]},
         False),
        ("decision_tree_regressor_friedman1_depth", "friedman1",
         {"KIND": "DecisionTreeRegressor", "random_state": 0}, mse, k5,
         {"max_depth": [1, 2, 3, 4]}, False),
        ("decision_tree_regressor_friedman1_leaf_split", "friedman1",
         {"KIND": "DecisionTreeRegressor", "random_state": 0, "max_depth": 3}, mse, k5,
         {"min_samples_leaf": [1, 5, 20], "min_samples_split": [2, 10]}, False),
        ("random_forest_regressor_friedman1", "friedman1",
         {"KIND": "RandomForestRegressor", "random_state": 0}, mse,
         time_series(4, test_size=150), {"max_depth": [3, 5], "n_estimators": [10, 50]},
         False),
        ("knn_classifier_iris", "iris", {"KIND": "KNeighborsClassifier"}, acc, s5,
         {"n_neighbors": [1, 3, 7, 15]}, False),
        ("decision_tree_classifier_breast_cancer", "breast_cancer",
         {"KIND": "DecisionTreeClassifier", "random_state": 0}, acc, s5,
         {"max_depth": [1, 2, 3]}, False),
        ("decision_tree_classifier_wine_f1_macro", "wine",
         {"KIND": "DecisionTreeClassifier", "random_state": 0}, f1m, stratified(3),
         {"max_depth": [1, 2], "criterion": ["gini", "entropy"]}, False),
        # Must be tie-free (asserted in search_cases): checks Tuna's
        # classification tree exactly.
        ("decision_tree_classifier_classification2", "classification2",
         {"KIND": "DecisionTreeClassifier", "random_state": 0}, acc, s5,
         {"max_depth": [1, 2, 3], "criterion": ["gini", "entropy"]}, False),
        ("decision_tree_regressor_ties", "ties_regression",
         {"KIND": "DecisionTreeRegressor", "random_state": 0}, mse, k5,
         {"max_depth": [3, 6, None], "max_features": [None, "sqrt", 0.5]}, False),
        ("decision_tree_regressor_ties_criteria", "ties_regression",
         {"KIND": "DecisionTreeRegressor", "random_state": 2, "max_depth": 5}, mse,
         kfold(4, True, 1), {"criterion": ["squared_error", "poisson"],
                             "splitter": ["best", "random"], "max_leaf_nodes": [None, 10]},
         True),
        ("decision_tree_regressor_ties_absolute_error", "ties_regression",
         {"KIND": "DecisionTreeRegressor", "criterion": "absolute_error", "random_state": 1}, mae,
         kfold(4, True, 3), {"max_depth": [3, None], "min_samples_leaf": [1, 5]}, False),
        ("random_forest_regressor_absolute_error", "diabetes",
         {"KIND": "RandomForestRegressor", "criterion": "absolute_error", "n_estimators": 8,
          "random_state": 4}, mse, k5, {"max_depth": [4, None], "max_features": [1.0, 0.5]}, False),
        ("decision_tree_regressor_ties_ccp_alpha", "ties_regression",
         {"KIND": "DecisionTreeRegressor", "random_state": 0}, mse, k5,
         {"ccp_alpha": [0.0, 5.0, 50.0]}, True),
        ("random_forest_regressor_ties", "ties_regression",
         {"KIND": "RandomForestRegressor", "random_state": 42, "n_estimators": 20}, mse, k5,
         {"max_depth": [4, 8], "max_features": [1.0, "sqrt"]}, False),
        ("extra_trees_regressor_friedman1", "friedman1",
         {"KIND": "ExtraTreesRegressor", "random_state": 0, "n_estimators": 20}, r2, k5,
         {"max_depth": [4, None], "bootstrap": [False, True]}, False),
        ("decision_tree_classifier_ties", "ties_classification",
         {"KIND": "DecisionTreeClassifier", "random_state": 0}, acc, s5,
         {"max_depth": [2, 4, None], "criterion": ["gini", "entropy"],
          "max_features": [None, "sqrt"]}, False),
        ("random_forest_classifier_ties_roc_auc", "breast_cancer",
         {"KIND": "RandomForestClassifier", "random_state": 3, "n_estimators": 15}, auc, s5,
         {"max_samples": [None, 0.5], "min_samples_leaf": [1, 4]}, False),
        ("extra_trees_classifier_ties_log_loss", "ties_classification",
         {"KIND": "ExtraTreesClassifier", "random_state": 0, "n_estimators": 20}, logloss, s5,
         {"max_features": ["sqrt", None], "criterion": ["gini", "log_loss"]}, False),
        ("random_forest_classifier_class_weight", "wine",
         {"KIND": "RandomForestClassifier", "random_state": 7, "n_estimators": 10}, f1m, s5,
         {"class_weight": [None, "balanced", "balanced_subsample"], "max_depth": [2, None]}, False),
        ("decision_tree_classifier_class_weight", "breast_cancer",
         {"KIND": "DecisionTreeClassifier", "random_state": 0, "max_depth": 4}, metric("balanced_accuracy", True), s5,
         {"class_weight": [None, "balanced", {0: 1, 1: 3}], "min_weight_fraction_leaf": [0.0, 0.05]}, False),
        ("random_forest_classifier_breast_cancer", "breast_cancer",
         {"KIND": "RandomForestClassifier", "random_state": 0}, acc, s5,
         {"n_estimators": [10, 50], "max_depth": [2, 4]}, False),
        ("gradient_boosting_regressor_diabetes", "diabetes",
         {"KIND": "GradientBoostingRegressor", "random_state": 0, "n_estimators": 50}, mse, k5,
         {"loss": ["squared_error", "huber", "absolute_error"], "learning_rate": [0.1, 0.3]}, False),
        ("gradient_boosting_regressor_ties_quantile", "ties_regression",
         {"KIND": "GradientBoostingRegressor", "random_state": 3, "loss": "quantile", "subsample": 0.7}, r2, k5,
         {"alpha": [0.5, 0.9], "max_features": [None, "sqrt"]}, False),
        ("gradient_boosting_classifier_breast_cancer_log_loss", "breast_cancer",
         {"KIND": "GradientBoostingClassifier", "random_state": 1, "subsample": 0.8}, logloss, s5,
         {"max_depth": [2, 3], "loss": ["log_loss", "exponential"]}, False),
        ("gradient_boosting_classifier_early_stopping", "breast_cancer",
         {"KIND": "GradientBoostingClassifier", "random_state": 2, "n_estimators": 300,
          "learning_rate": 0.3}, acc, s5,
         {"n_iter_no_change": [None, 2, 5], "validation_fraction": [0.1, 0.2]}, False),
        ("gradient_boosting_classifier_wine", "wine",
         {"KIND": "GradientBoostingClassifier", "random_state": 5}, acc, s5,
         {"learning_rate": [0.05, 0.2], "max_features": [None, "sqrt"]}, False),
        ("logistic_regression_breast_cancer_accuracy", "breast_cancer",
         {"KIND": "LogisticRegression", "max_iter": 1000}, acc, s5,
         {"C": [0.01, 1.0, 100.0]}, False),
        ("logistic_regression_breast_cancer_roc_auc", "breast_cancer",
         {"KIND": "LogisticRegression", "max_iter": 1000}, auc, s5, {"C": [0.1, 1.0]}, False),
        ("gaussian_nb_iris", "iris", {"KIND": "GaussianNB"}, acc, s5,
         {"var_smoothing": [1e-9, 1e-3, 1e-1]}, False),
        ("gaussian_nb_breast_cancer_log_loss", "breast_cancer", {"KIND": "GaussianNB"},
         logloss, s5, {"var_smoothing": [1e-9, 1e-5]}, False),
        ("svr_diabetes", "diabetes", {"KIND": "SVR", "gamma": "scale"}, mse, k5,
         {"C": [1.0, 100.0], "kernel": ["linear", "rbf"]}, False),
        ("svc_iris", "iris", {"KIND": "SVC"}, acc, s5,
         {"C": [0.1, 1.0, 10.0], "kernel": ["linear", "rbf"]}, False),
        ("ridge_diabetes_list_of_grids", "diabetes", {"KIND": "Ridge"}, mse, k5,
         [{"alpha": [0.1, 1.0]}, {"alpha": [10.0], "fit_intercept": [False]}], False),
    ]


def make_search(model, metric_cfg, splitter, grid, train_score, **overrides):
    """GridSearchCV (n_jobs=1, no refit) for a case; overrides replace model params."""
    params = {k: v for k, v in model.items() if k != "KIND"}
    params.update(overrides)
    estimator = MODELS[model["KIND"]](**params)
    return GridSearchCV(estimator, grid, scoring=scorer_for(metric_cfg),
                        cv=sklearn_splitter(splitter), refit=False, error_score="raise",
                        return_train_score=train_score, n_jobs=1)


def run_search(all_data, name, dataset, model, metric_cfg, splitter, grid, train_score):
    X, y, _, _ = all_data[dataset]
    search = make_search(model, metric_cfg, splitter, grid, train_score)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search.fit(X, y)
    res = search.cv_results_
    n_splits = search.n_splits_
    columns = ["params"] + sorted(k for k in res if k.startswith("param_"))
    columns += [f"split{i}_test_score" for i in range(n_splits)]
    columns += ["mean_test_score", "std_test_score", "rank_test_score"]
    if train_score:
        columns += [f"split{i}_train_score" for i in range(n_splits)]
        columns += ["mean_train_score", "std_train_score"]
    assert len(res["params"]) == len(ParameterGrid(grid)), name
    case = {
        "name": name,
        "dataset": dataset,
        "model": model,
        "metric": metric_cfg,
        "splitter": splitter,
        "param_grid": grid,
        "return_train_score": train_score,
        "cv_results": {c: res[c] for c in columns},
        "best_index": search.best_index_,
        "best_score": search.best_score_,
        "best_params": search.best_params_,
    }
    # Distinct warnings raised while fitting (e.g. ConvergenceWarning): a hint
    # that Tuna may only match such a case loosely.
    messages = sorted({f"{w.category.__name__}: {str(w.message).splitlines()[0]}"
                       for w in caught})
    case["sklearn_warnings"] = messages
    return case, messages


def search_cases(all_data):
    cases = []
    for spec in search_specs():
        case, messages = run_search(all_data, *spec)
        cases.append(case)
        best = case["cv_results"]["mean_test_score"][case["best_index"]]
        print(f"  search {case['name']}: {len(case['cv_results']['params'])} candidates, "
              f"best {case['best_params']} score {best:.6g}")
        for m in messages:
            print(f"    warning: {m}")
    return cases


# --------------------------------------------------------------------------


def main():
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}")
    all_data = load_datasets()
    write_datasets(all_data)
    for name, (X, y, _, _) in all_data.items():
        print(f"  dataset {name}: {X.shape[0]}x{X.shape[1]}")
    splits = splitter_cases()
    write_json(EXPECTED_DIR / "splitters.json", splits)
    print(f"  splitters.json: {len(splits)} cases")
    mets = metric_cases()
    write_json(EXPECTED_DIR / "metrics.json", mets)
    print(f"  metrics.json: {len(mets)} cases")
    searches = search_cases(all_data)
    write_json(EXPECTED_DIR / "searches.json", searches)
    print(f"  searches.json: {len(searches)} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
