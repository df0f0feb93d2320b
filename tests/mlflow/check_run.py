"""Read a run that `tuna run` logged, with MLflow's own Python client.

Proves that other MLflow tooling reads what Tuna logs: `mlflow.search_runs`
finds the parent and one child per candidate, `MlflowClient().get_run(...).inputs`
has both datasets with their context, source and schema, the logged digest
equals `mlflow.data.from_pandas(pd.read_csv(source))` computed here, now, and
the artifacts download. Run by tests/mlflow_server.rs (the CLI) and
tests/e2e/tracking.test.mjs (the page):

    python check_run.py TRACKING_URI EXPERIMENT PARENT_RUN_ID N_CANDIDATES CV_RESULTS_CSV
        [--param NAME] [--data-dir DIR]

`--param` names a hyperparameter every child run has (default alpha);
`--data-dir` is where to find a source logged as a bare file name (the page
logs the picked file's name, not a path).

Prints one `ok:` line per check and exits 0, or fails with an AssertionError.
"""

import argparse
import json
import os
import tempfile
import warnings

import mlflow
import pandas as pd
from mlflow import MlflowClient

warnings.simplefilter("ignore")


def main():
    parser = argparse.ArgumentParser()
    for name in ["uri", "experiment", "parent_id", "n_candidates", "cv_results_csv"]:
        parser.add_argument(name)
    parser.add_argument("--param", default="alpha")
    parser.add_argument("--data-dir", default="")
    args = parser.parse_args()
    uri, experiment, parent_id, cv_results_csv = args.uri, args.experiment, args.parent_id, args.cv_results_csv
    n_candidates = int(args.n_candidates)
    mlflow.set_tracking_uri(uri)
    client = MlflowClient()

    runs = mlflow.search_runs(experiment_names=[experiment], filter_string=f"run_id = '{parent_id}'")
    assert len(runs) == 1, f"search_runs found {len(runs)} parent runs"
    assert runs.iloc[0]["status"] == "FINISHED", runs.iloc[0]["status"]
    assert runs.iloc[0]["metrics.best_cv_score"] < 0, runs.iloc[0]["metrics.best_cv_score"]
    print("ok: search_runs finds the parent run, FINISHED, with best_cv_score")

    children = mlflow.search_runs(
        experiment_names=[experiment], filter_string=f"tags.mlflow.parentRunId = '{parent_id}'"
    )
    assert len(children) == n_candidates, f"{len(children)} child runs, expected {n_candidates}"
    assert children["metrics.mean_test_score"].notna().all()
    assert set(children["metrics.rank_test_score"]) == set(range(1, n_candidates + 1)), children[
        "metrics.rank_test_score"
    ]
    assert children[f"params.{args.param}"].notna().all()
    print(f"ok: search_runs finds {n_candidates} child runs with params and metrics")

    run = client.get_run(parent_id)
    inputs = run.inputs.dataset_inputs
    assert sorted(i.dataset.name for i in inputs) == ["inputs", "targets"], [i.dataset.name for i in inputs]
    for di in inputs:
        tags = {t.key: t.value for t in di.tags}
        assert tags.get("mlflow.data.context") == "Tuning", tags
        source = mlflow.data.get_source(di)
        df = pd.read_csv(os.path.join(args.data_dir, source.uri))
        expected = mlflow.data.from_pandas(df, source=source.uri, name=di.dataset.name)
        assert di.dataset.digest == expected.digest, (di.dataset.name, di.dataset.digest, expected.digest)
        assert di.dataset.source_type == "local", di.dataset.source_type
        assert json.loads(di.dataset.schema) == json.loads(expected.to_dict()["schema"]), di.dataset.schema
        assert json.loads(di.dataset.profile) == json.loads(expected.to_dict()["profile"]), di.dataset.profile
        print(
            f"ok: get_run(...).inputs has `{di.dataset.name}`, digest {di.dataset.digest} "
            "equal to mlflow.data.from_pandas(pd.read_csv(source)), schema and profile equal too"
        )

    names = sorted(a.path for a in client.list_artifacts(parent_id))
    assert names == ["cv_results.csv", "job.log", "job.toml"], names
    with tempfile.TemporaryDirectory() as tmp:
        path = mlflow.artifacts.download_artifacts(run_id=parent_id, artifact_path="cv_results.csv", dst_path=tmp)
        with open(path, encoding="utf-8") as got, open(cv_results_csv, encoding="utf-8") as want:
            assert got.read() == want.read(), f"cv_results.csv differs from {cv_results_csv}"
        logged = pd.read_csv(path)
        assert len(logged) == n_candidates
    print(f"ok: artifacts cv_results.csv, job.log, job.toml download; cv_results.csv equals {cv_results_csv}")


if __name__ == "__main__":
    main()
