"""Generate the mixed-type ("real data") reference data: text columns, missing
values, string class labels and the optional [preprocess] section.

scikit-learn (pinned in tests/sklearn/requirements.txt, with pandas and
pyarrow) is the reference. This script writes:

  tests/data/<dataset>/inputs.csv, targets.csv   mixed-type datasets
      housing   regression, text `neighborhood`/`condition`/`heating`
      penguins  3 classes "Adelie"/"Chinstrap"/"Gentoo", text `island`/`sex`
      churn     binary "yes"/"no", text `plan`/`region`/`contract`/...
      sales     dated regression (a `date` text column that must be dropped)
  tests/data/expected/pipelines.json      GridSearchCV(Pipeline(ColumnTransformer, model))
  tests/data/expected/transformers.json   each transformer on its own
  tests/data/expected/bikes.json          the original project's job on its data
  examples/bikes/inputs_train.csv, targets_train.csv, tuning.toml
  examples/penguins/inputs.csv, targets.csv, job.toml

Every CSV is read back with plain pd.read_csv(path), so scikit-learn sees
exactly what pandas gives; every job is written as TOML text first and the
search is run from that text parsed back (tomllib), so the config and the
reference cannot disagree.

Everything is deterministic: running it twice gives byte-identical files.
Run from the project root (or `make expected`):

    .venv-sklearn/bin/python tests/sklearn/make_pipelines.py
"""

import os

# Single-threaded BLAS/OpenMP (as make_expected.py): must be set before numpy.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import csv
import io
import json
import math
import sys
import tomllib
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
from pandas._libs.parsers import STR_NA_VALUES
from sklearn import metrics
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.model_selection import (
    GridSearchCV,
    KFold,
    ParameterGrid,
    StratifiedKFold,
    TimeSeriesSplit,
)
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, OrdinalEncoder, StandardScaler

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_expected import dumps  # noqa: E402  (same JSON layout as the other files)

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "tests" / "data"
EXPECTED_DIR = DATA_DIR / "expected"
EXAMPLES_DIR = ROOT / "examples"
# The original project's parquet files (shared/seed-bikes beside the repository).
BIKES_SEED = Path(os.environ.get("TUNA_SEED_BIKES", ROOT.parent / "shared" / "seed-bikes"))

# pandas' default missing markers (read_csv's na_values when keep_default_na).
PANDAS_NA = frozenset(STR_NA_VALUES)


# --------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------


def plain(obj):
    """numpy values (recursively) to plain Python; NaN becomes None (JSON null).

    Infinities are rejected loudly.
    """
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, np.ndarray)):
        return [plain(v) for v in obj]
    if obj is None or obj is pd.NA:
        return None
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        value = float(obj)
        if math.isnan(value):
            return None
        if not math.isfinite(value):
            raise ValueError(f"infinite float in expected data: {value}")
        return value
    if isinstance(obj, str):
        return str(obj)
    raise TypeError(f"cannot convert {type(obj).__name__} to JSON: {obj!r}")


def write_json(path, cases):
    path.parent.mkdir(parents=True, exist_ok=True)
    text = dumps(plain(cases)) + "\n"
    json.loads(text)  # sanity: valid JSON
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------
# TOML (the job text Tuna reads). Written by hand so the layout is stable.
# --------------------------------------------------------------------------


def toml_key(key):
    if key and all(c.isascii() and (c.isalnum() or c in "_-") for c in key):
        return key
    return json.dumps(key, ensure_ascii=False)


def toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        assert math.isfinite(v), v
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        if not v:
            return "{}"
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"no TOML for {v!r}")


def toml_table(lines, header, table):
    """Append `[header]` and the table's scalar keys (None values left out)."""
    lines.append("")
    lines.append(f"[{header}]")
    for k, v in table.items():
        if v is not None:
            lines.append(f"{toml_key(k)} = {toml_value(v)}")


SECTIONS = ["run_config", "inputs", "targets", "model", "metric", "splitter", "searcher"]


def job_toml(job, comments=()):
    """TOML text of a job dict (keys in SECTIONS, plus "preprocess")."""
    lines = [f"# {c}" if c else "#" for c in comments]
    lines.append('KIND = "TuningJob"')
    for section in SECTIONS:
        if section in job:
            toml_table(lines, section, job[section])
    pre = job.get("preprocess")
    if pre is not None:
        toml_table(lines, "preprocess", {k: v for k, v in pre.items() if k != "transformers"})
        for t in pre["transformers"]:
            lines.append("")
            lines.append("[[preprocess.transformers]]")
            lines.append(f"name = {toml_value(t['name'])}")
            lines.append(f"columns = {toml_value(t['columns'])}")
            if t["steps"] == "passthrough":
                lines.append('steps = "passthrough"')
            else:
                lines.append("steps = [")
                for step in t["steps"]:
                    lines.append(f"  {toml_value(step)},")
                lines.append("]")
    text = "\n".join(lines) + "\n"
    parsed = tomllib.loads(text)
    expected = {"KIND": "TuningJob", **drop_none(job)}
    assert same(parsed, expected), (parsed, expected)
    return text


def drop_none(obj):
    if isinstance(obj, dict):
        return {k: drop_none(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, list):
        return [drop_none(v) for v in obj]
    return obj


def same(a, b):
    """Equality that takes NaN == NaN (TOML's nan) and tuples as lists."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


# --------------------------------------------------------------------------
# CSV writing and the column-type rule
# --------------------------------------------------------------------------


class Quoted(str):
    """A cell written in double quotes even when it need not be."""


def csv_cell(cell):
    text = str(cell)
    if isinstance(cell, Quoted) or any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_csv(path, header, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [",".join(csv_cell(c) for c in header)]
    lines += [",".join(csv_cell(c) for c in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def parses_as_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def tuna_numeric_columns(path):
    """Tuna's rule on the raw text: a column is numeric when every cell that is not
    a pandas missing marker parses as a number (the reference data has no
    true/false columns)."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    numeric = []
    for j, name in enumerate(header):
        cells = [r[j] for r in body if r[j] not in PANDAS_NA]
        if all(parses_as_number(c) for c in cells):
            numeric.append(name)
    return header, numeric, body


def check_read_back(folder):
    """pd.read_csv agrees with Tuna's column rule and with correctly rounded
    float parsing on every numeric cell; returns the inputs frame."""
    path = folder / "inputs.csv"
    frame = pd.read_csv(path)
    header, numeric, body = tuna_numeric_columns(path)
    assert list(frame.columns) == header, folder
    for j, name in enumerate(header):
        col = frame[name]
        assert col.dtype != bool, (folder, name)
        assert pd.api.types.is_numeric_dtype(col) == (name in numeric), (folder, name, col.dtype)
        for i, raw in enumerate(r[j] for r in body):
            if raw in PANDAS_NA:
                assert pd.isna(col.iloc[i]), (folder, name, i, raw)
            elif name in numeric:
                assert float(col.iloc[i]) == float(raw), (folder, name, i, raw)
            else:
                assert col.iloc[i] == raw, (folder, name, i, raw)
    return frame


# --------------------------------------------------------------------------
# Datasets
# --------------------------------------------------------------------------

# The markers the datasets use for missing cells (all in pandas' default list).
NA_COMMON = ["", "NA", "NaN", "null", "N/A"]
NA_MORE = ["None", "n/a", "NULL", "nan", "#N/A", "<NA>", "-NaN"]


def with_missing(rng, values, rate, spellings, keep=()):
    """Replace about `rate` of `values` by a missing marker drawn from `spellings`
    (rows in `keep` never). Returns the new list."""
    out = list(values)
    for i in range(len(out)):
        if i not in keep and rng.random() < rate:
            out[i] = spellings[int(rng.integers(len(spellings)))]
    return out


def fmt(x, decimals):
    return f"{x:.{decimals}f}" if decimals else str(int(round(x)))


def housing():
    """Apartment prices (in thousands): 240 rows, regression.

    The rare neighborhood "Höngg" appears only in the last 4 rows (KFold without
    shuffle: the last test fold only), "Witikon" only in row 120 (whatever the
    folds, the test fold holding that row never saw it in training)."""
    rng = np.random.default_rng(101)
    n, n_rare = 240, 4
    hoods = {"Altstadt": 90.0, "Seefeld": 120.0, "Oerlikon": 20.0, "Wiedikon": 45.0,
             "Hottingen, Nord": 100.0, "Zürich-West": 60.0}
    names = list(hoods)
    hood = [names[int(rng.integers(len(names)))] for _ in range(n - n_rare)] + ["Höngg"] * n_rare
    hood[120] = "Witikon"
    conditions = {"good": 40.0, "fair": 0.0, "poor": -50.0}
    cond = [["good", "fair", "poor"][int(rng.choice(3, p=[0.45, 0.4, 0.15]))] for _ in range(n)]
    heating = ["gas" if rng.random() < 0.6 else "electric" for _ in range(n)]
    area = rng.uniform(35.0, 180.0, n).round(1)
    rooms = np.clip(np.round(area / 28.0 + rng.normal(0.0, 0.6, n)), 1, 7)
    year = rng.integers(1905, 2023, n)
    distance = rng.uniform(0.3, 9.5, n).round(2)
    price = (4.1 * area + 12.0 * rooms - 0.35 * (2024 - year) - 9.0 * distance
             + np.array([hoods.get(h, 70.0) for h in hood])
             + np.array([conditions[c] for c in cond])
             + np.where(np.array(heating) == "gas", 10.0, 0.0)
             + rng.normal(0.0, 30.0, n)).round(1)
    cols = {
        "area_m2": [fmt(v, 1) for v in area],
        "rooms": [fmt(v, 0) for v in rooms],
        "year_built": [str(int(v)) for v in year],
        "distance_km": [fmt(v, 2) for v in distance],
        "levy_rate": ["1.35"] * n,  # constant: StandardScaler's zero variance case
        "neighborhood": hood,
        "condition": cond,
        "heating": heating,
    }
    rare = set(range(n - n_rare, n)) | {120}
    cols["area_m2"] = with_missing(rng, cols["area_m2"], 0.06, NA_COMMON)
    cols["rooms"] = with_missing(rng, cols["rooms"], 0.05, NA_COMMON)
    cols["year_built"] = with_missing(rng, cols["year_built"], 0.05, NA_COMMON)
    cols["neighborhood"] = with_missing(rng, cols["neighborhood"], 0.05, NA_COMMON, keep=rare)
    cols["condition"] = with_missing(rng, cols["condition"], 0.05, NA_COMMON)
    header = list(cols)
    rows = [[cols[c][i] for c in header] for i in range(n)]
    return header, rows, ["price"], [[fmt(v, 1)] for v in price]


def penguins():
    """Penguin measurements, 3 species as text labels: 270 rows, classification.

    The first row is a Gentoo (label order of appearance differs from sorted
    order). The rare island "Île Petermann" appears only in the last 2 rows,
    which are the last of their species, so StratifiedKFold without shuffle puts
    them in the last test fold; "Cuverville" appears only in row 135."""
    rng = np.random.default_rng(202)
    n = 270
    species = ["Adelie", "Chinstrap", "Gentoo"]
    # mean/std of bill length, bill depth, flipper length, body mass
    shape = {"Adelie": [(38.8, 2.6), (18.3, 1.2), (190.0, 6.5), (3700.0, 450.0)],
             "Chinstrap": [(48.8, 3.3), (18.4, 1.1), (196.0, 7.0), (3730.0, 380.0)],
             "Gentoo": [(47.5, 3.0), (15.0, 1.0), (217.0, 6.5), (5080.0, 500.0)]}
    islands = {"Adelie": ["Biscoe", "Dream", "Torgersen"], "Chinstrap": ["Dream"],
               "Gentoo": ["Biscoe"]}
    labels = ["Gentoo"] + [species[int(rng.choice(3, p=[0.44, 0.2, 0.36]))]
                           for _ in range(n - 3)] + ["Chinstrap", "Adelie"]
    rows, targets = [], []
    for i, sp in enumerate(labels):
        male = rng.random() < 0.5
        scale = 1.04 if male else 0.96
        (bl, bls), (bd, bds), (fl, fls), (bm, bms) = shape[sp]
        island = islands[sp][int(rng.integers(len(islands[sp])))]
        if i >= n - 2:
            island = "Île Petermann"
        if i == 135:
            island = "Cuverville"
        rows.append([
            island,
            fmt(rng.normal(bl, bls) * scale, 1),
            fmt(rng.normal(bd, bds) * scale, 1),
            fmt(rng.normal(fl, fls) * (1.01 if male else 0.99), 0),
            str(int(round(rng.normal(bm, bms) * (1.06 if male else 0.94) / 25.0) * 25)),
            "male" if male else "female",
            str(int(rng.integers(2007, 2010))),
        ])
        targets.append([sp])
    header = ["island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm",
              "body_mass_g", "sex", "year"]
    rare = {135, n - 2, n - 1}
    for j, rate in [(0, 0.04), (1, 0.04), (2, 0.03), (4, 0.04), (5, 0.08)]:
        col = with_missing(rng, [r[j] for r in rows], rate, NA_COMMON,
                           keep=rare if j == 0 else ())
        for r, v in zip(rows, col):
            r[j] = v
    # The last two rows must be the last of their species (stratified fold 4).
    last = {sp: max(i for i, s in enumerate(labels) if s == sp) for sp in species}
    assert {n - 2, n - 1} <= set(last.values()), last
    return header, rows, ["species"], targets


def churn():
    """Telecom customers, did they leave ("yes"/"no"): 300 rows, binary.

    The rare region "Graubünden" appears only in the last 3 rows (all "no", the
    last of their class: StratifiedKFold's last test fold). One `plan` cell is a
    quoted "NA", which pandas reads as missing all the same."""
    rng = np.random.default_rng(303)
    n, n_rare = 300, 3
    plans = {"basic": 0.6, "plus": 0.0, "premium, annual": -0.9}
    regions = {"Zürich": 0.1, "Genève": 0.3, "Bern": -0.2, "Lausanne": 0.2, "Basel": 0.0}
    plan = [list(plans)[int(rng.choice(3, p=[0.5, 0.3, 0.2]))] for _ in range(n)]
    region = [list(regions)[int(rng.integers(5))] for _ in range(n - n_rare)]
    region += ["Graubünden"] * n_rare
    contract = ["monthly" if rng.random() < 0.65 else "yearly" for _ in range(n)]
    paperless = ["yes" if rng.random() < 0.55 else "no" for _ in range(n)]
    tenure = rng.integers(1, 73, n)
    fee = rng.uniform(19.0, 119.0, n).round(2)
    calls = rng.poisson(1.6, n)
    logit = (-0.4 + np.array([plans[p] for p in plan]) + np.array([regions.get(r, 0.0)
                                                                     for r in region])
             + np.where(np.array(contract) == "monthly", 0.9, -0.9)
             + np.where(np.array(paperless) == "yes", 0.3, 0.0)
             - 0.045 * tenure + 0.012 * (fee - 60.0) + 0.45 * calls)
    churned = ["yes" if v else "no" for v in rng.random(n) < 1.0 / (1.0 + np.exp(-logit))]
    # The rare rows: the last three "no" rows of the file.
    for i in range(n - n_rare, n):
        churned[i] = "no"
    cols = {
        "tenure_months": [str(int(v)) for v in tenure],
        "monthly_fee": [fmt(v, 2) for v in fee],
        "support_calls": [str(int(v)) for v in calls],
        "plan": plan,
        "region": region,
        "contract": contract,
        "paperless_billing": paperless,
    }
    rare = set(range(n - n_rare, n))
    cols["tenure_months"] = with_missing(rng, cols["tenure_months"], 0.05, NA_COMMON)
    cols["monthly_fee"] = with_missing(rng, cols["monthly_fee"], 0.04, NA_COMMON)
    cols["support_calls"] = with_missing(rng, cols["support_calls"], 0.04, NA_COMMON)
    cols["plan"] = with_missing(rng, cols["plan"], 0.05, NA_COMMON)
    cols["region"] = with_missing(rng, cols["region"], 0.05, NA_COMMON, keep=rare)
    cols["plan"][7] = Quoted("NA")
    header = list(cols)
    rows = [[cols[c][i] for c in header] for i in range(n)]
    return header, rows, ["churned"], [[v] for v in churned]


def sales():
    """Daily units sold by a shop, 2023-03-01 on: 280 rows, regression in time
    order (the `date` text column is not a feature). It is the dataset that uses
    pandas' rarer missing markers (None, n/a, NULL, nan, #N/A, <NA>, -NaN).
    The weather "snow" appears only in the last 8 rows (December): with
    TimeSeriesSplit(4, test_size=40) only in the last test fold."""
    rng = np.random.default_rng(404)
    n = 280
    dates = pd.date_range("2023-03-01", periods=n, freq="D")
    weekday = [d.strftime("%a") for d in dates]
    season = np.cos((np.arange(n) - 137) / 365.0 * 2 * np.pi)  # warmest mid-July
    temp = (12.0 + 10.0 * season + rng.normal(0.0, 3.0, n)).round(1)
    weathers = ["sunny", "cloudy", "rain, heavy", "Föhn"]
    weather = [weathers[int(rng.choice(4, p=[0.4, 0.35, 0.15, 0.1]))] for _ in range(n - 8)]
    weather += ["snow"] * 8
    promo = (rng.random(n) < 0.2).astype(int)
    holiday = np.array([1 if (d.month, d.day) in {(4, 7), (4, 10), (5, 1), (5, 18), (5, 29),
                                                  (8, 1), (12, 25), (12, 26)} else 0
                        for d in dates])
    price_index = (1.0 + 0.0004 * np.arange(n) + rng.normal(0.0, 0.01, n)).round(3)
    effect = {"sunny": 25.0, "cloudy": 5.0, "rain, heavy": -30.0, "Föhn": 12.0, "snow": -45.0}
    week = {"Mon": -10.0, "Tue": -8.0, "Wed": -5.0, "Thu": 0.0, "Fri": 15.0, "Sat": 40.0,
            "Sun": -20.0}
    units = (150.0 + 2.5 * temp + np.array([effect[w] for w in weather])
             + np.array([week[w] for w in weekday]) + 35.0 * promo - 25.0 * holiday
             - 60.0 * (price_index - 1.0) * 10 + rng.normal(0.0, 12.0, n)).round(0)
    cols = {
        "date": [d.strftime("%Y-%m-%d") for d in dates],
        "weekday": weekday,
        "weather": weather,
        "temperature_c": [fmt(v, 1) for v in temp],
        "promo": [str(int(v)) for v in promo],
        "holiday": [str(int(v)) for v in holiday],
        "price_index": [fmt(v, 3) for v in price_index],
    }
    rare = set(range(n - 8, n))
    cols["weather"] = with_missing(rng, cols["weather"], 0.06, NA_MORE, keep=rare)
    cols["temperature_c"] = with_missing(rng, cols["temperature_c"], 0.06, NA_MORE)
    cols["promo"] = with_missing(rng, cols["promo"], 0.04, NA_MORE)
    header = list(cols)
    rows = [[cols[c][i] for c in header] for i in range(n)]
    return header, rows, ["units_sold"], [[fmt(v, 0)] for v in units]


DATASETS = {"housing": housing, "penguins": penguins, "churn": churn, "sales": sales}


def write_datasets():
    """Write every dataset; returns name -> (inputs frame, targets frame)."""
    frames = {}
    for name, make in DATASETS.items():
        header, rows, target_header, targets = make()
        folder = DATA_DIR / name
        write_csv(folder / "inputs.csv", header, rows)
        write_csv(folder / "targets.csv", target_header, targets)
        inputs = check_read_back(folder)
        target_frame = pd.read_csv(folder / "targets.csv")
        assert len(target_frame) == len(inputs) and not target_frame.isna().any().any(), name
        frames[name] = (inputs, target_frame)
        missing = {c: int(v) for c, v in inputs.isna().sum().items() if v}
        print(f"  dataset {name}: {inputs.shape[0]}x{inputs.shape[1]}, missing {missing}")
    return frames


# --------------------------------------------------------------------------
# From a Tuna config to scikit-learn objects
# --------------------------------------------------------------------------

STEPS = {"SimpleImputer": SimpleImputer, "StandardScaler": StandardScaler,
         "MinMaxScaler": MinMaxScaler, "OneHotEncoder": OneHotEncoder,
         "OrdinalEncoder": OrdinalEncoder}
MODELS = {cls.__name__: cls for cls in [
    Ridge, LinearRegression, KNeighborsRegressor, KNeighborsClassifier, GaussianNB,
    LogisticRegression, RandomForestRegressor,
]}


def numeric_columns(frame):
    """The "numeric" selector: columns pandas read as numbers (no bool columns
    exist in the reference data; check_read_back asserts this equals Tuna's rule)."""
    return [c for c in frame.columns
            if pd.api.types.is_numeric_dtype(frame[c]) and frame[c].dtype != bool]


def selected_columns(columns, frame):
    if columns == "numeric":
        return numeric_columns(frame)
    if columns == "categorical":
        numeric = set(numeric_columns(frame))
        return [c for c in frame.columns if c not in numeric]
    assert isinstance(columns, list), columns
    return list(columns)


def make_step(step):
    params = {k: v for k, v in step.items() if k != "KIND"}
    if step["KIND"] == "MinMaxScaler" and "feature_range" in params:
        params["feature_range"] = tuple(params["feature_range"])
    if step["KIND"] == "OneHotEncoder":
        params["sparse_output"] = False
    return STEPS[step["KIND"]](**params)


def column_transformer(pre, frame):
    """ColumnTransformer for a [preprocess] table; selectors resolved on `frame`
    (the whole inputs file, as Tuna decides column types on the whole file)."""
    assert pre["KIND"] == "ColumnTransformer", pre
    parts = []
    for t in pre["transformers"]:
        steps = t["steps"]
        inner = "passthrough" if steps == "passthrough" else make_pipeline(
            *[make_step(s) for s in steps])
        parts.append((t["name"], inner, selected_columns(t["columns"], frame)))
    return ColumnTransformer(parts, remainder=pre.get("remainder", "drop"))


def sk_key(key):
    """Tuna's grid key -> the Pipeline's parameter name."""
    return key if key.startswith("preprocess__") else "model__" + key


def tuna_key(key):
    return key if key.startswith("preprocess__") else key.removeprefix("model__")


def sklearn_splitter(config):
    params = {k: v for k, v in config.items() if k != "KIND"}
    cls = {"KFoldSplitter": KFold, "StratifiedKFoldSplitter": StratifiedKFold,
           "TimeSeriesSplitter": TimeSeriesSplit}[config["KIND"]]
    return cls(**params)


# Metric names Tuna takes without the neg_ prefix; scikit-learn's scorer is neg_<name>.
ERROR_METRICS = {"mean_squared_error", "root_mean_squared_error", "mean_absolute_error",
                 "mean_absolute_percentage_error", "max_error", "log_loss"}
POS_LABEL_METRICS = {"f1": metrics.f1_score, "precision": metrics.precision_score,
                     "recall": metrics.recall_score}


def scorer_for(config):
    assert config["KIND"] == "SklearnMetric", config
    name = config["name"]
    if "pos_label" in config:
        return metrics.make_scorer(POS_LABEL_METRICS[name], pos_label=config["pos_label"])
    return metrics.get_scorer("neg_" + name if name in ERROR_METRICS else name)


def error_score(value):
    return value if value == "raise" else float(value)


def make_search(job, frame):
    model_cfg = job["model"]
    model = MODELS[model_cfg["KIND"]](**{k: v for k, v in model_cfg.items() if k != "KIND"})
    steps = [("model", model)]
    if "preprocess" in job:
        steps.insert(0, ("preprocess", column_transformer(job["preprocess"], frame)))
    searcher = job["searcher"]
    assert searcher["KIND"] == "GridCVSearcher", searcher
    grid = {sk_key(k): v for k, v in searcher["param_grid"].items()}
    return GridSearchCV(Pipeline(steps), grid, scoring=scorer_for(job["metric"]),
                        cv=sklearn_splitter(job["splitter"]), refit=False,
                        error_score=error_score(searcher.get("error_score", "raise")),
                        return_train_score=searcher.get("return_train_score", False),
                        n_jobs=1)


def read_job_data(job, folder):
    inputs = pd.read_csv(folder / job["inputs"]["path"])
    targets = pd.read_csv(folder / job["targets"]["path"])
    column = job["targets"].get("column")
    if column is None:
        assert targets.shape[1] == 1, folder
        column = targets.columns[0]
    return inputs, targets[column]


def run_job(text, folder):
    """Run a job's TOML text in scikit-learn; returns (results dict, search, X, y)."""
    job = tomllib.loads(text)
    X, y = read_job_data(job, folder)
    search = make_search(job, X)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        search.fit(X, y)
    res = search.cv_results_
    n = search.n_splits_
    candidates = len(res["params"])
    assert candidates == len(ParameterGrid(search.param_grid))

    def tuna_params(p):
        return {tuna_key(k): v for k, v in p.items()}

    def per_candidate(kind):
        return [[res[f"split{k}_{kind}_score"][c] for k in range(n)] for c in range(candidates)]

    out = {
        "params": [tuna_params(p) for p in res["params"]],
        "mean_test_score": res["mean_test_score"],
        "std_test_score": res["std_test_score"],
        "split_test_scores": per_candidate("test"),
        "rank_test_score": res["rank_test_score"],
        "best_index": search.best_index_,
        "best_params": tuna_params(search.best_params_),
        "best_score": search.best_score_,
    }
    if search.return_train_score:
        out["mean_train_score"] = res["mean_train_score"]
        out["std_train_score"] = res["std_train_score"]
        out["split_train_scores"] = per_candidate("train")
    messages = sorted({f"{w.category.__name__}: {str(w.message).strip().splitlines()[0]}"
                       for w in caught})
    return out, messages, search, job, X, y


# --------------------------------------------------------------------------
# Pipeline cases
# --------------------------------------------------------------------------


def inputs_targets(column):
    return {"inputs": {"KIND": "CsvReader", "path": "inputs.csv"},
            "targets": {"KIND": "CsvReader", "path": "targets.csv", "column": column}}


def metric(name, **extra):
    return {"KIND": "SklearnMetric", "name": name, **extra}


def kfold(n_splits=5, shuffle=False, random_state=None):
    return {"KIND": "KFoldSplitter", "n_splits": n_splits, "shuffle": shuffle,
            "random_state": random_state}


def stratified(n_splits=5, shuffle=False, random_state=None):
    return {"KIND": "StratifiedKFoldSplitter", "n_splits": n_splits, "shuffle": shuffle,
            "random_state": random_state}


def time_series(n_splits, test_size, gap=0):
    return {"KIND": "TimeSeriesSplitter", "n_splits": n_splits, "test_size": test_size,
            "gap": gap}


def grid(param_grid, error_score="raise", return_train_score=False):
    return {"KIND": "GridCVSearcher", "param_grid": param_grid, "error_score": error_score,
            "return_train_score": return_train_score}


def preprocess(*transformers, remainder="drop"):
    return {"KIND": "ColumnTransformer", "remainder": remainder,
            "transformers": [{"name": n, "columns": c, "steps": s}
                             for n, c, s in transformers]}


def imputer(strategy, **kw):
    return {"KIND": "SimpleImputer", "strategy": strategy, **kw}


def step(kind, **kw):
    return {"KIND": kind, **kw}


def job(target, model, metric_cfg, splitter, searcher, pre):
    return {**inputs_targets(target), "model": model, "metric": metric_cfg,
            "splitter": splitter, "searcher": searcher, "preprocess": pre}


HOUSING_NUM = ["area_m2", "rooms", "year_built"]
PENGUIN_NUM = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]

# The example in examples/penguins/ (also a pipelines.json case).
PENGUINS_EXAMPLE = {
    "run_config": {"name": "Penguins",
                   "description": "k-NN on penguin measurements with blanks and text columns"},
    **job("species", {"KIND": "KNeighborsClassifier"}, metric("accuracy"), stratified(5),
          grid({"n_neighbors": [3, 5, 9, 15], "weights": ["uniform", "distance"]}),
          preprocess(
              ("num", PENGUIN_NUM, [imputer("median"), step("StandardScaler")]),
              ("cat", ["island", "sex"],
               [imputer("constant", fill_value="unknown"),
                step("OneHotEncoder", handle_unknown="ignore")]))),
}
PENGUINS_EXAMPLE_COMMENTS = [
    "Tune k-NN on penguin measurements: text columns, blank cells, text class labels.",
    "The [preprocess] section is fitted on each training fold only (as a scikit-learn",
    "Pipeline of a ColumnTransformer and the model). The island \"Île Petermann\" appears",
    "only in the last two rows, so one-hot encoding must ignore it in the last fold.",
    "The data is synthetic, shaped like the Palmer penguins (see tests/data/README.md).",
    "Generated by tests/sklearn/make_pipelines.py; scikit-learn's results for it are the",
    "case `penguins_example` in tests/data/expected/pipelines.json.",
    "Run: tuna run examples/penguins/job.toml --out results.json",
]


def pipeline_specs():
    """(name, dataset, job dict, note). Each note says what the case covers."""
    return [
        ("ridge_housing_selectors", "housing", job(
            "price", {"KIND": "Ridge"}, metric("mean_squared_error"), kfold(5),
            grid({"alpha": [0.1, 10.0], "preprocess__num__simpleimputer__strategy":
                  ["mean", "median"]}, return_train_score=True),
            preprocess(
                ("num", "numeric", [imputer("median"), step("StandardScaler")]),
                ("cat", "categorical", [imputer("most_frequent"),
                                        step("OneHotEncoder", handle_unknown="ignore")]))),
         "numeric/categorical selectors; levy_rate is constant (StandardScaler scale 1); "
         "grid key into the imputer; train scores"),
        ("linear_regression_housing_drop_first", "housing", job(
            "price", {"KIND": "LinearRegression"}, metric("mean_absolute_error"), kfold(5),
            grid({"fit_intercept": [True, False]}),
            preprocess(
                ("num", HOUSING_NUM + ["distance_km"],
                 [imputer("mean"), step("MinMaxScaler", feature_range=[-1, 1])]),
                ("cat", ["neighborhood", "condition"],
                 [imputer("constant", fill_value="unknown"),
                  step("OneHotEncoder", handle_unknown="ignore", drop="first")]),
                ("bin", ["heating"], [step("OneHotEncoder", drop="if_binary")]))),
         "full-rank design (no constant column): drop first + ignore (an unknown row is all "
         "zeros), if_binary on a 2-category column, MinMaxScaler [-1, 1], constant text fill"),
        ("ridge_housing_remainder_passthrough", "housing", job(
            "price", {"KIND": "Ridge"}, metric("root_mean_squared_error"), kfold(5),
            grid({"alpha": [1.0, 100.0]}),
            preprocess(
                ("num", HOUSING_NUM, [imputer("median"), step("StandardScaler")]),
                ("cat", ["neighborhood", "condition", "heating"],
                 [imputer("most_frequent"), step("OneHotEncoder", handle_unknown="ignore")]),
                remainder="passthrough")),
         "remainder passthrough: distance_km and the constant levy_rate, unscaled, after "
         "the transformers' columns"),
        ("knn_regressor_housing_ordinal_shuffle", "housing", job(
            "price", {"KIND": "KNeighborsRegressor"}, metric("r2"), kfold(4, True, 7),
            grid({"n_neighbors": [4, 10], "weights": ["uniform", "distance"]}),
            preprocess(
                ("num", HOUSING_NUM + ["distance_km"],
                 [imputer("constant", fill_value=0), step("MinMaxScaler")]),
                ("ord", ["neighborhood", "condition"],
                 [imputer("most_frequent"),
                  step("OrdinalEncoder", handle_unknown="use_encoded_value",
                       unknown_value=-1)]))),
         "OrdinalEncoder use_encoded_value -1; numeric constant fill 0; MinMaxScaler "
         "default range; KFold with shuffle"),
        ("ridge_housing_unknown_error_nan", "housing", job(
            "price", {"KIND": "Ridge"}, metric("mean_squared_error"), kfold(5),
            grid({"preprocess__cat__onehotencoder__handle_unknown": ["error", "ignore"]},
                 error_score=float("nan")),
            preprocess(
                ("num", HOUSING_NUM, [imputer("median"), step("StandardScaler")]),
                ("cat", ["neighborhood"], [imputer("most_frequent"), step("OneHotEncoder")]))),
         "handle_unknown error fails to score the folds that hold a neighborhood unseen in "
         "training (Witikon in fold 2, Höngg in fold 4): with error_score nan their scores "
         "are null, so are the candidate's mean and std, and it ranks last"),
        ("knn_classifier_penguins_missing_category", "penguins", job(
            "species", {"KIND": "KNeighborsClassifier"}, metric("accuracy"), stratified(5),
            grid({"n_neighbors": [3, 7], "weights": ["uniform", "distance"],
                  "preprocess__num__simpleimputer__strategy": ["mean", "median"]}),
            preprocess(
                ("num", PENGUIN_NUM, [imputer("mean"), step("StandardScaler")]),
                ("cat", ["island", "sex"], [step("OneHotEncoder", handle_unknown="ignore")]))),
         "missing island/sex is its own one-hot category; text labels; grid key order: "
         "scikit-learn sorts model__weights before preprocess__..."),
        ("gaussian_nb_penguins_selectors_f1_macro", "penguins", job(
            "species", {"KIND": "GaussianNB"}, metric("f1_macro"), stratified(4),
            grid({"var_smoothing": [1e-9, 0.01],
                  "preprocess__num__standardscaler__with_std": [True, False]}),
            preprocess(
                ("num", "numeric", [imputer("median"), step("StandardScaler", with_mean=False)]),
                ("cat", "categorical", [imputer("constant", fill_value="unknown"),
                                        step("OneHotEncoder", handle_unknown="ignore")]))),
         "StandardScaler with_mean false, with_std in the grid; selectors (year is numeric)"),
        ("logistic_regression_penguins_multiclass", "penguins", job(
            "species", {"KIND": "LogisticRegression", "max_iter": 1000}, metric("accuracy"),
            stratified(5, True, 0),
            grid({"C": [0.01, 1.0]}),
            preprocess(
                ("num", PENGUIN_NUM, [imputer("median"), step("StandardScaler")]),
                ("cat", ["island", "sex"],
                 [imputer("most_frequent"), step("OneHotEncoder", handle_unknown="ignore",
                                                 drop="if_binary")]),
                ("year", ["year"], "passthrough"))),
         "multinomial L-BFGS on 3 text classes; passthrough steps; if_binary on sex; "
         "StratifiedKFold with shuffle"),
        ("logistic_regression_churn_roc_auc", "churn", job(
            "churned", {"KIND": "LogisticRegression", "max_iter": 1000}, metric("roc_auc"),
            stratified(5),
            grid({"C": [0.01, 0.1, 1.0, 10.0]}),
            preprocess(
                ("num", "numeric", [imputer("median"), step("StandardScaler")]),
                ("cat", "categorical", [imputer("most_frequent"),
                                        step("OneHotEncoder", handle_unknown="ignore")]))),
         "binary text labels: roc_auc's positive class is classes_[1] = \"yes\""),
        ("logistic_regression_churn_f1_yes", "churn", job(
            "churned", {"KIND": "LogisticRegression", "max_iter": 1000},
            metric("f1", pos_label="yes"), stratified(5),
            grid({"C": [0.1, 1.0], "preprocess__cat__onehotencoder__drop":
                  ["first", "if_binary"]}),
            preprocess(
                ("num", ["tenure_months", "monthly_fee", "support_calls"],
                 [imputer("mean"), step("StandardScaler")]),
                ("cat", ["plan", "region", "contract", "paperless_billing"],
                 [imputer("constant", fill_value="missing"),
                  step("OneHotEncoder", handle_unknown="ignore", drop="first")]))),
         "f1 with pos_label \"yes\"; drop first / if_binary in the grid"),
        ("gaussian_nb_churn_unknown_error_zero", "churn", job(
            "churned", {"KIND": "GaussianNB"}, metric("f1", pos_label="yes"), stratified(5),
            grid({"preprocess__cat__onehotencoder__handle_unknown": ["error", "ignore"]},
                 error_score=0.0),
            preprocess(
                ("num", "numeric", [imputer("median"), step("MinMaxScaler")]),
                ("cat", ["region"], [imputer("most_frequent"), step("OneHotEncoder")]))),
         "handle_unknown error fails to score the last fold (Graubünden only there): "
         "error_score 0.0 replaces that fold's score"),
        ("ridge_sales_timeseries", "sales", job(
            "units_sold", {"KIND": "Ridge"}, metric("mean_absolute_error"),
            time_series(4, 40, gap=2),
            grid({"alpha": [0.01, 1.0, 100.0]}),
            preprocess(
                ("cat", ["weekday", "weather"], [imputer("constant", fill_value="unknown"),
                                                 step("OneHotEncoder", handle_unknown="ignore")]),
                ("num", ["temperature_c", "promo", "price_index"],
                 [imputer("mean"), step("StandardScaler")]),
                ("flags", ["holiday"], "passthrough"))),
         "the date text column is dropped by remainder drop; snow appears only in the "
         "last test fold; rarer pandas missing markers"),
        ("knn_regressor_sales_timeseries", "sales", job(
            "units_sold", {"KIND": "KNeighborsRegressor"}, metric("mean_squared_error"),
            time_series(4, 40),
            grid({"n_neighbors": [5, 11],
                  "preprocess__num__simpleimputer__strategy": ["mean", "median",
                                                               "most_frequent"]}),
            preprocess(
                ("num", ["temperature_c", "price_index", "promo", "holiday"],
                 [imputer("mean"), step("MinMaxScaler")]),
                ("cat", ["weekday", "weather"],
                 [imputer("most_frequent"),
                  step("OrdinalEncoder", handle_unknown="use_encoded_value",
                       unknown_value=-1)]))),
         "three imputer strategies in the grid; OrdinalEncoder on text"),
        ("penguins_example", "penguins", PENGUINS_EXAMPLE,
         "the job of examples/penguins/job.toml (its data equals tests/data/penguins)"),
    ]


def encoded_columns(pre, frame):
    """The columns that go through a OneHotEncoder or OrdinalEncoder, in order."""
    out = []
    for t in pre["transformers"]:
        if t["steps"] != "passthrough" and any(
                s["KIND"] in ("OneHotEncoder", "OrdinalEncoder") for s in t["steps"]):
            out += [c for c in selected_columns(t["columns"], frame) if c not in out]
    return out


def unseen_categories(job, X, y):
    """Per fold: {encoded column: sorted raw values in the test rows absent from the
    train rows} (a missing cell as null), only the columns that have some."""
    columns = encoded_columns(job["preprocess"], X)
    out = []
    for train, test in sklearn_splitter(job["splitter"]).split(X, y):
        fold = {}
        for c in columns:
            seen = {None if pd.isna(v) else v for v in X[c].iloc[train]}
            new = {None if pd.isna(v) else v for v in X[c].iloc[test]} - seen
            if new:
                fold[c] = sorted(new, key=lambda v: (v is None, str(v)))
        out.append(fold)
    return out


def check_no_near_ties(name, means):
    """Two candidates' mean scores are either exactly equal (a real tie, which
    rank_test_score shares) or clearly apart, so the ranks do not hang on rounding."""
    values = [m for m in means if not math.isnan(m)]
    for i, a in enumerate(values):
        for b in values[i + 1:]:
            assert a == b or abs(a - b) > 1e-9 * max(abs(a), abs(b)), (name, a, b)


def knn_ties(search, job, X, y):
    """For k-NN cases: the smallest relative gap between the k-th and (k+1)-th
    nearest training point over every test point, candidate and fold, and the
    number of uniform-vote ties (classifier). Both must show no ties."""
    worst_gap, vote_ties = math.inf, 0
    for params in ParameterGrid(search.param_grid):
        for train, test in search.cv.split(X, y):
            pipe = clone(search.estimator).set_params(**params)
            pre = pipe.named_steps["preprocess"]
            A = np.asarray(pre.fit_transform(X.iloc[train]), dtype=float)
            B = np.asarray(pre.transform(X.iloc[test]), dtype=float)
            k = params["model__n_neighbors"]
            d = np.sqrt(((B[:, None, :] - A[None, :, :]) ** 2).sum(axis=2))
            order = np.sort(d, axis=1)
            assert order[:, 0].min() > 0.0  # no zero distance (weights="distance")
            gap = (order[:, k] - order[:, k - 1]) / order[:, k]
            worst_gap = min(worst_gap, float(gap.min()))
            if job["model"]["KIND"] == "KNeighborsClassifier" and \
                    params["model__weights"] == "uniform":
                idx = np.argsort(d, axis=1, kind="stable")[:, :k]
                labels = np.asarray(y.iloc[train])[idx]
                for row in labels:
                    counts = sorted(pd.Series(row).value_counts().tolist(), reverse=True)
                    if len(counts) > 1 and counts[0] == counts[1]:
                        vote_ties += 1
    return worst_gap, vote_ties


def pipeline_cases():
    cases = []
    for name, dataset, job_dict, note in pipeline_specs():
        folder = DATA_DIR / dataset
        comments = PENGUINS_EXAMPLE_COMMENTS if job_dict is PENGUINS_EXAMPLE else ()
        text = job_toml(job_dict, comments)
        results, messages, search, parsed, X, y = run_job(text, folder)
        case = {"name": name, "data": dataset, "job": text, **results, "note": note}
        check_no_near_ties(name, [float(m) for m in results["mean_test_score"]])
        unseen = unseen_categories(parsed, X, y)
        assert any(fold for fold in unseen), (name, "no category unseen in training")
        case["unseen_categories"] = unseen
        if parsed["searcher"].get("error_score", "raise") != "raise":
            failed = failing_fits(search, X, y, results)
            assert failed, name
            case["failed_fits"] = failed
        else:
            failed = []
        kind = parsed["model"]["KIND"]
        if kind.startswith("KNeighbors"):
            gap, vote_ties = knn_ties(search, parsed, X, y)
            assert gap > 1e-9 and vote_ties == 0, (name, gap, vote_ties)
            case["knn_min_relative_gap"] = gap
        if kind == "LogisticRegression":
            assert not any("Convergence" in m for m in messages), (name, messages)
        case["sklearn_warnings"] = messages
        cases.append(case)
        print(f"  pipeline {name}: {len(results['params'])} candidates, best "
              f"{results['best_params']} score {results['best_score']:.6g}"
              + (f", failed (candidate, fold) {failed}" if failed else ""))
        for m in messages:
            print(f"    warning: {m}")
    return cases


def failing_fits(search, X, y, results):
    """[candidate, fold] pairs whose fit or scoring raises (GridSearchCV then records
    error_score); the other pairs must reproduce GridSearchCV's fold scores."""
    failed = []
    for c, params in enumerate(ParameterGrid(search.param_grid)):
        assert {tuna_key(k): v for k, v in params.items()} == results["params"][c]
        for k, (train, test) in enumerate(search.cv.split(X, y)):
            pipe = clone(search.estimator).set_params(**params)
            try:
                pipe.fit(X.iloc[train], y.iloc[train])
                score = search.scorer_(pipe, X.iloc[test], y.iloc[test])
            except ValueError:
                failed.append([c, k])
                continue
            assert score == results["split_test_scores"][c][k], (c, k, score)
    return failed


# --------------------------------------------------------------------------
# Transformer cases
# --------------------------------------------------------------------------


def table(columns, *rows):
    return {"columns": columns, "rows": [list(r) for r in rows]}


def frames_for(train, test):
    """Train and test frames as Tuna would read them: one CSV (train rows then test
    rows) read with pd.read_csv, so column types come from all the rows."""
    assert train["columns"] == test["columns"]
    for rows in (train["rows"], test["rows"]):
        for r in rows:
            assert len(r) == len(train["columns"])
    all_rows = train["rows"] + test["rows"]
    for j, name in enumerate(train["columns"]):
        kinds = {type(r[j]) for r in all_rows if r[j] is not None}
        assert kinds <= {int, float} or kinds == {str}, (name, kinds)
        for r in all_rows:
            if isinstance(r[j], str):
                assert r[j] not in PANDAS_NA and not parses_as_number(r[j]), r[j]

    def cell(v):
        if v is None:  # not blank: pandas skips a blank line (a one-column row)
            return "NA"
        return repr(v) if isinstance(v, float) else str(v)

    buffer = io.StringIO()
    buffer.write(",".join(csv_cell(c) for c in train["columns"]) + "\n")
    for r in all_rows:
        buffer.write(",".join(csv_cell(cell(v)) for v in r) + "\n")
    buffer.seek(0)
    frame = pd.read_csv(buffer)
    n = len(train["rows"])
    return frame, frame.iloc[:n].reset_index(drop=True), frame.iloc[n:].reset_index(drop=True)


def transformer_specs():
    """(name, preprocess, train, test, note)."""
    one = lambda steps, columns=None, remainder="drop": preprocess(  # noqa: E731
        ("t", columns or ["x"], steps), remainder=remainder)
    ohe = lambda **kw: step("OneHotEncoder", **kw)  # noqa: E731
    ordinal = lambda **kw: step("OrdinalEncoder", **kw)  # noqa: E731
    x = lambda *vals: table(["x"], *[[v] for v in vals])  # noqa: E731
    return [
        # SimpleImputer
        ("imputer_mean", one([imputer("mean")]), x(1.0, None, 4.0, 10.5), x(None, 3.0),
         "mean of the observed training values"),
        ("imputer_median_even_count", one([imputer("median")]),
         x(7.0, 1.0, None, 4.0, 2.0), x(None, 100.0),
         "median of 4 values: the mean of the middle two, (2 + 4) / 2"),
        ("imputer_median_odd_count", one([imputer("median")]), x(9, 1, 5, None, 3, 8),
         x(None,), "integers: median 5"),
        ("imputer_most_frequent_tie_numbers", one([imputer("most_frequent")]),
         x(3.5, 1.0, 3.5, None, 1.0, 2.0), x(None, 7.0), "1.0 and 3.5 tie: the smallest wins"),
        ("imputer_most_frequent_tie_strings", one([imputer("most_frequent")]),
         x("b", "Åre", "a", None, "b", "a", "Åre"), x(None, "z"),
         "three-way tie: the smallest by code point wins ('a' < 'b' < 'Åre')"),
        ("imputer_most_frequent_text_comma", one([imputer("most_frequent")]),
         x("Zürich, HB", None, "Bern", "Zürich, HB"), x(None, "Basel"),
         "text with a comma and non-ASCII"),
        ("imputer_constant_text", one([imputer("constant", fill_value="unknown")]),
         x("red", None, "blue"), x(None, "green"), "text fill value"),
        ("imputer_constant_number", one([imputer("constant", fill_value=-1)]),
         x(2.5, None, 0.5), x(None, 8.0), "numeric fill value"),
        ("imputer_constant_default_fill", preprocess(
            ("t", ["n", "s"], [imputer("constant")])),
         table(["n", "s"], [1.5, "a"], [None, None], [3.0, "b"]),
         table(["n", "s"], [None, None]),
         "no fill_value, a numeric and a text column in one imputer: the two make an "
         "object array, so scikit-learn fills 'missing_value' in both (text in the "
         "numeric column)"),
        ("imputer_constant_default_fill_numeric_only", one([imputer("constant")]),
         x(1.5, None), x(None,), "no fill_value, numeric column: 0"),
        ("imputer_constant_default_fill_text_only", one([imputer("constant")]),
         x("a", None), x(None,), "no fill_value, text column: 'missing_value'"),
        ("imputer_constant_number_fill_on_text", one([imputer("constant", fill_value=0)]),
         x("a", None), x(None,), "a numeric fill value in a text column: the number 0 "
         "(the output mixes text and numbers)"),
        ("imputer_constant_text_fill_on_numbers", one([imputer("constant", fill_value="x")]),
         x(1.0, None), x(None,), "a text fill value in a numeric column: fit fails"),
        ("imputer_median_on_text", one([imputer("median")]), x("a", None, "b"), x(None,),
         "median (or mean) of a text column: fit fails"),
        ("standard_scaler_on_text", one([step("StandardScaler")]), x("a", "b"), x("a",),
         "scaling a text column: fit fails"),
        ("imputer_all_missing_train_column_dropped", preprocess(
            ("t", ["a", "b", "c"], [imputer("mean")])),
         table(["a", "b", "c"], [1.0, None, 10.0], [3.0, None, None], [None, None, 30.0]),
         table(["a", "b", "c"], [None, 5.0, None], [2.0, 6.0, 20.0]),
         "b has no observed training value: scikit-learn drops it from the output "
         "(keep_empty_features=False), in train and test"),
        ("imputer_all_missing_train_column_constant_dropped", preprocess(
            ("t", ["a", "b"], [imputer("constant", fill_value=0)])),
         table(["a", "b"], [1.0, None], [None, None]), table(["a", "b"], [None, 4.0]),
         "scikit-learn 1.9.1 drops an all-missing training column even with strategy "
         "constant (its statistics_ is NaN there; keep_empty_features=False)"),
        ("imputer_most_frequent_all_missing_column_dropped", preprocess(
            ("t", ["a", "s"], [imputer("most_frequent")])),
         table(["a", "s"], [1.0, None], [1.0, None], [2.0, None]),
         table(["a", "s"], [None, None]),
         "an all-missing column reads as numeric (float NaN); most_frequent drops it"),
        # StandardScaler
        ("standard_scaler", one([step("StandardScaler")]), x(1.0, 2.0, 4.0, 9.0),
         x(0.0, 5.0), "population std (ddof 0)"),
        ("standard_scaler_constant_column", preprocess(
            ("t", ["a", "c"], [step("StandardScaler")])),
         table(["a", "c"], [1.0, 0.3], [3.0, 0.3], [5.0, 0.3]),
         table(["a", "c"], [2.0, 0.3], [0.0, 1.3]),
         "c is constant in training: scale 1, so values minus the mean"),
        ("standard_scaler_constant_column_rounding", preprocess(
            ("t", ["a", "c"], [step("StandardScaler")])),
         table(["a", "c"], *[[float(i), 1.35] for i in range(6)]),
         table(["a", "c"], [2.0, 1.35], [0.0, 2.35]),
         "c is 1.35 on 6 rows: the float mean is 1.3499999999999999, so c - mean is "
         "2.2e-16, not 0, and a naive variance is 4.9e-32 (std 2.2e-16, which would "
         "turn c into 1.0); scikit-learn's variance (with its correction term) is "
         "exactly 0 and it treats the column as constant: scale 1, output 2.2e-16"),
        ("standard_scaler_with_mean_false", one([step("StandardScaler", with_mean=False)]),
         x(1.0, 2.0, 4.0, 9.0), x(-2.0,), "divides by the std only"),
        ("standard_scaler_with_std_false", one([step("StandardScaler", with_std=False)]),
         x(1.0, 2.0, 4.0, 9.0), x(-2.0,), "subtracts the mean only"),
        ("standard_scaler_missing_kept", one([step("StandardScaler")]),
         x(1.0, None, 3.0), x(None, 2.0),
         "scikit-learn ignores NaN when fitting and keeps it in the output"),
        # MinMaxScaler
        ("min_max_scaler", one([step("MinMaxScaler")]), x(2.0, 4.0, 10.0),
         x(0.0, 6.0, 12.0), "test values outside the training range are not clipped"),
        ("min_max_scaler_feature_range", one([step("MinMaxScaler", feature_range=[-1, 1])]),
         x(2.0, 4.0, 10.0), x(6.0,), "feature_range [-1, 1]"),
        ("min_max_scaler_constant_column", preprocess(
            ("t", ["a", "c"], [step("MinMaxScaler", feature_range=[5, 10])])),
         table(["a", "c"], [1.0, 7.0], [3.0, 7.0]), table(["a", "c"], [2.0, 7.0], [0.0, 8.0]),
         "c is constant in training: range 1, so the constant maps to the range's minimum"),
        # OneHotEncoder
        ("one_hot_strings_sorted_by_code_point", one([ohe()]),
         x("banana", "Zürich", "apple", "Éclair", "apple", "Zug"), x("Zug", "Éclair"),
         "categories sorted by code point: 'Zug' < 'Zürich' < 'apple' < 'banana' < 'Éclair'"),
        ("one_hot_numbers_sorted_numerically", one([ohe()]), x(10, 2, 9, 2, 10), x(9,),
         "numeric categories sorted as numbers: 2, 9, 10"),
        ("one_hot_float_categories", one([ohe()]), x(0.5, 1.25, 0.5), x(1.25,),
         "float categories"),
        ("one_hot_unknown_error", one([ohe()]), x("a", "b", "a"), x("b", "c"),
         "handle_unknown error (the default): transform fails"),
        ("one_hot_unknown_error_two_columns", preprocess(
            ("t", ["p", "q"], [ohe(handle_unknown="error")])),
         table(["p", "q"], ["a", "x"], ["b", "y"]), table(["p", "q"], ["a", "x"], ["b", "z"]),
         "the message names the column's index within the transformer"),
        ("one_hot_unknown_ignore", one([ohe(handle_unknown="ignore")]),
         x("a", "b", "a"), x("b", "c"), "unknown: all zeros"),
        ("one_hot_drop_first", one([ohe(drop="first")]), x("m", "k", "z", "k"),
         x("z", "m", "k"), "drops the first sorted category ('k')"),
        ("one_hot_drop_first_unknown_ignore", one([ohe(drop="first", handle_unknown="ignore")]),
         x("m", "k", "z"), x("q", "k"),
         "unknown with drop first: all zeros, like the dropped category (with a warning)"),
        ("one_hot_if_binary_2_and_3_categories", preprocess(
            ("t", ["two", "three"], [ohe(drop="if_binary")])),
         table(["two", "three"], ["yes", "red"], ["no", "green"], ["yes", "blue"]),
         table(["two", "three"], ["no", "blue"]),
         "if_binary drops the first category of the 2-category column only"),
        ("one_hot_if_binary_one_category", one([ohe(drop="if_binary")]), x("a", "a"),
         x("a",), "a single category is kept"),
        ("one_hot_missing_as_category", one([ohe()]), x("b", None, "a", "b"),
         x(None, "a"), "missing is its own category, sorted last"),
        ("one_hot_missing_as_category_numeric", one([ohe()]), x(3.0, None, 1.0),
         x(None, 3.0), "numeric column: NaN is a category, after the numbers"),
        ("one_hot_missing_as_category_if_binary", one([ohe(drop="if_binary")]),
         x("no", None, "yes"), x(None,),
         "two values and missing make 3 categories: nothing dropped"),
        ("one_hot_missing_only_in_test_ignore", one([ohe(handle_unknown="ignore")]),
         x("a", "b"), x(None, "a"), "missing never seen in training: unknown, all zeros"),
        ("one_hot_missing_only_in_test_error", one([ohe()]), x("a", "b"), x(None,),
         "missing never seen in training with handle_unknown error: transform fails"),
        # OrdinalEncoder
        ("ordinal", one([ordinal()]), x("medium", "low", "high", "low"),
         x("high", "medium"), "codes in sorted category order: high 0, low 1, medium 2"),
        ("ordinal_numbers", one([ordinal()]), x(10, 2, 9), x(2, 10), "numbers sorted numerically"),
        ("ordinal_unknown_error", one([ordinal()]), x("a", "b"), x("c",),
         "handle_unknown error: transform fails"),
        ("ordinal_unknown_use_encoded_value", one([
            ordinal(handle_unknown="use_encoded_value", unknown_value=-1)]),
         x("a", "b"), x("c", "b"), "unknown becomes -1"),
        ("ordinal_missing", one([ordinal()]), x("b", None, "a"), x(None, "b"),
         "missing stays missing (encoded_missing_value NaN): null"),
        ("ordinal_missing_only_in_test", one([
            ordinal(handle_unknown="use_encoded_value", unknown_value=-1)]),
         x("b", "a"), x(None,), "missing never seen in training is an unknown category: -1, not NaN "
         "(encoded_missing_value only applies to a missing value seen in training)"),
        # Steps in a row, several transformers, remainder, selectors
        ("imputer_then_one_hot", one([imputer("most_frequent"),
                                      ohe(handle_unknown="ignore")]),
         x("b", None, "a", "b"), x(None, "c"), "the imputer's fill is a training category"),
        ("imputer_then_scaler", one([imputer("median"), step("StandardScaler")]),
         x(1.0, None, 3.0, 8.0), x(None, 0.0), "scaling sees the imputed value"),
        ("imputer_constant_then_one_hot", one([imputer("constant", fill_value="missing"),
                                               ohe()]),
         x("b", None, "a"), x(None,), "the fill value is a category of its own"),
        ("remainder_passthrough_order", preprocess(
            ("s", ["c"], [step("StandardScaler")]), ("o", ["a"], [ohe()]),
            remainder="passthrough"),
         table(["a", "b", "c", "d"], ["x", 1.0, 2.0, 5.0], ["y", 2.0, 4.0, 6.0]),
         table(["a", "b", "c", "d"], ["y", 3.0, 3.0, 7.0]),
         "output: transformers in their order (c, then a's one-hot), then the remainder "
         "(b, d) in file order"),
        ("remainder_drop", preprocess(("s", ["c"], [step("MinMaxScaler")])),
         table(["a", "b", "c"], ["x", 1.0, 2.0], ["y", 2.0, 4.0]),
         table(["a", "b", "c"], ["y", 3.0, 3.0]), "only c"),
        ("remainder_passthrough_text", preprocess(("s", ["b"], [step("StandardScaler")]),
                                                  remainder="passthrough"),
         table(["a", "b"], ["Zürich, HB", 1.0], [None, 3.0]),
         table(["a", "b"], ["Bern", 2.0]),
         "a text column passed through stays text (and missing stays missing)"),
        ("passthrough_steps", preprocess(("keep", ["b", "a"], "passthrough")),
         table(["a", "b", "c"], [1.0, 2.0, 3.0], [4.0, None, 6.0]),
         table(["a", "b", "c"], [7.0, 8.0, None]),
         "steps \"passthrough\": the columns as listed (b before a), unchanged"),
        ("selectors_numeric_categorical", preprocess(
            ("num", "numeric", [imputer("mean"), step("StandardScaler")]),
            ("cat", "categorical", [imputer("most_frequent"), ohe(handle_unknown="ignore")])),
         table(["city", "size", "kind", "price"],
               ["Genève", 3.0, "flat", 100.0], ["Zürich", None, "house", 300.0],
               [None, 5.0, "flat", None], ["Genève", 4.0, None, 200.0]),
         table(["city", "size", "kind", "price"], ["Basel", None, "house", 150.0]),
         "numeric = size, price; categorical = city, kind (file order)"),
        ("selectors_with_remainder", preprocess(
            ("cat", "categorical", [ohe()]), remainder="passthrough"),
         table(["n", "s", "m"], [1, "b", 2.5], [2, "a", 3.5]),
         table(["n", "s", "m"], [3, "a", 4.5]),
         "categorical first, then the numeric remainder n, m"),
        ("same_column_twice", preprocess(
            ("scaled", ["x"], [step("StandardScaler")]), ("raw", ["x"], "passthrough")),
         x(1.0, 3.0), x(2.0,), "a column may feed two transformers"),
    ]


def transformer_cases():
    cases = []
    for name, pre, train, test, note in transformer_specs():
        frame, train_df, test_df = frames_for(train, test)
        ct = column_transformer(pre, frame)
        case = {"name": name, "preprocess": pre, "train": train, "test": test, "note": note}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                train_out = ct.fit_transform(train_df)
            except ValueError as e:
                case["train_error"] = str(e)
            else:
                case["train_out"] = np.asarray(train_out, dtype=object).tolist()
                try:
                    case["test_out"] = np.asarray(ct.transform(test_df), dtype=object).tolist()
                except ValueError as e:
                    case["test_error"] = str(e)
                case["columns_out"] = list(ct.get_feature_names_out())
        case["sklearn_warnings"] = sorted(
            {f"{w.category.__name__}: {str(w.message).strip().splitlines()[0]}"
             for w in caught})
        cases.append(case)
        outcome = case.get("train_error") or case.get("test_error") or \
            f"{len(case['train_out'][0])} columns out"
        print(f"  transformer {name}: {outcome}")
    return cases


# --------------------------------------------------------------------------
# The original project's data and job (bikes)
# --------------------------------------------------------------------------

BIKES_NUMERIC = ["yr", "mnth", "hr", "holiday", "weekday", "workingday", "temp", "atemp",
                 "hum", "windspeed", "casual", "registered"]
BIKES_JOB = {
    "run_config": {"name": "Tuning",
                   "description": "Tune a random forest on bike rentals (the original job)"},
    "inputs": {"KIND": "CsvReader", "path": "inputs_train.csv"},
    "targets": {"KIND": "CsvReader", "path": "targets_train.csv", "column": "cnt"},
    "model": {"KIND": "RandomForestRegressor", "max_depth": 20, "n_estimators": 200,
              "random_state": 42},
    "metric": metric("mean_squared_error"),
    "splitter": time_series(4, 1440, gap=0),
    "searcher": grid({"max_depth": [3, 5, 7]}),
    "preprocess": preprocess(
        ("categoricals", ["season", "weathersit"], [step("OneHotEncoder",
                                                         handle_unknown="ignore")]),
        ("numericals", BIKES_NUMERIC, "passthrough")),
}
BIKES_COMMENTS = [
    "The original project's tuning job (bikes: hourly bike rentals) as a Tuna config.",
    "Its data: inputs_train.csv / targets_train.csv, written by tests/sklearn/make_pipelines.py",
    "from the project's parquet files. scikit-learn's results are tests/data/expected/bikes.json:",
    "best {max_depth = 7}, mean_test_score -316.2531 (depth 3: -2834.4995, depth 5: -708.1853).",
    "dteday is dropped (remainder \"drop\"); season and weathersit are one-hot encoded first.",
    "Run: tuna run examples/bikes/tuning.toml --out results.json",
]
# scikit-learn 1.9.1 on the parquet files (seed-bikes README), to 4 decimals.
BIKES_README = {3: -2834.4995, 5: -708.1853, 7: -316.2531}

def bikes():
    """examples/bikes/: the CSVs from the seed parquet files (when the folder is
    there; else the committed CSVs are used as they are), the job, and its
    scikit-learn results, checked against the seed README's figures."""
    folder = EXAMPLES_DIR / "bikes"
    folder.mkdir(parents=True, exist_ok=True)
    parts = ("inputs_train", "targets_train")
    if not all((BIKES_SEED / f"{p}.parquet").exists() for p in parts):
        print(f"  bikes: no parquet files in {BIKES_SEED} (set TUNA_SEED_BIKES); "
              "using the committed CSVs")
        parts = ()
    for part in parts:
        frame = pd.read_parquet(BIKES_SEED / f"{part}.parquet")
        assert frame.index.name == "instant" and frame.index.is_monotonic_increasing, part
        frame = frame.reset_index(drop=True)
        path = folder / f"{part}.csv"
        frame.to_csv(path, index=False, lineterminator="\n")
        back = pd.read_csv(path)
        # Exact round trip: same columns, dtypes and every value bit for bit.
        assert back.dtypes.equals(frame.dtypes) and back.equals(frame), part
        for c in frame.columns:
            if frame[c].dtype == float:
                assert np.array_equal(back[c].to_numpy().view(np.int64),
                                      frame[c].to_numpy().view(np.int64)), c
    header, numeric, _ = tuna_numeric_columns(folder / "inputs_train.csv")
    assert numeric == [c for c in header if c != "dteday"], numeric
    text = job_toml(BIKES_JOB, BIKES_COMMENTS)
    (folder / "tuning.toml").write_text(text, encoding="utf-8")
    results, messages, search, _, X, _ = run_job(text, folder)
    for params, mean in zip(results["params"], results["mean_test_score"]):
        assert round(float(mean), 4) == BIKES_README[params["max_depth"]], (params, mean)
    assert results["best_params"] == {"max_depth": 7}, results["best_params"]
    case = {"name": "bikes", "data": "examples/bikes", "job": text,
            "config": "examples/bikes/tuning.toml", **results,
            "n_samples": len(X),
            # Each fold's rows as a half-open range [first, end) (TimeSeriesSplit's
            # folds are contiguous).
            "folds": [{"train_range": [int(tr[0]), int(tr[-1]) + 1],
                       "test_range": [int(te[0]), int(te[-1]) + 1]}
                      for tr, te in search.cv.split(X)],
            "sklearn_warnings": messages}
    write_json(EXPECTED_DIR / "bikes.json", case)
    for params, mean in zip(results["params"], results["mean_test_score"]):
        print(f"  bikes {params}: mean_test_score {mean:.4f}")


# --------------------------------------------------------------------------


def write_example():
    """examples/penguins/: the penguins data and the example job."""
    folder = EXAMPLES_DIR / "penguins"
    folder.mkdir(parents=True, exist_ok=True)
    for part in ("inputs.csv", "targets.csv"):
        (folder / part).write_bytes((DATA_DIR / "penguins" / part).read_bytes())
    (folder / "job.toml").write_text(job_toml(PENGUINS_EXAMPLE, PENGUINS_EXAMPLE_COMMENTS),
                                     encoding="utf-8")


def main(argv):
    print(f"scikit-learn {sklearn.__version__}, pandas {pd.__version__}, numpy {np.__version__}")
    write_datasets()
    write_example()
    cases = pipeline_cases()
    write_json(EXPECTED_DIR / "pipelines.json", cases)
    print(f"  pipelines.json: {len(cases)} cases")
    tcases = transformer_cases()
    write_json(EXPECTED_DIR / "transformers.json", tcases)
    print(f"  transformers.json: {len(tcases)} cases")
    if "--no-bikes" not in argv:
        bikes()
        print("  bikes.json: 1 case")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
