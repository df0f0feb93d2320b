# Tuna's tasks. `make test` sets up everything a fresh machine lacks and runs every test.
SHELL := /bin/bash
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)

TRUNK_VERSION := 0.21.14
# Trunk runs offline and takes wasm-opt (npm's binaryen) from PATH.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
PORT ?= 8080

.PHONY: setup setup-browser setup-mlflow test test-native test-wasm test-e2e page serve build expected mlflow-digests

## setup: wasm32 target, wasm-bindgen CLI equal to Cargo.lock's, Trunk, Node.js and npm tools (skips what is there)
setup:
	rustup target add wasm32-unknown-unknown
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
		echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (about 6 minutes)"; \
		cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi
	@if [ "$$(trunk --version 2>/dev/null)" != "trunk $(TRUNK_VERSION)" ]; then \
		echo "installing trunk $(TRUNK_VERSION) (10 to 17 minutes)"; \
		cargo install --locked trunk --version $(TRUNK_VERSION); \
	fi
	@command -v node >/dev/null || (apt-get update && apt-get install -y nodejs npm)
	npm ci --no-audit --no-fund
	cargo fetch --locked

## setup-mlflow: .venv-mlflow with the MLflow server and client pinned in tests/mlflow/requirements.txt (skips when installed)
MLFLOW_VENV := $(CURDIR)/.venv-mlflow
setup-mlflow:
	@if [ -x $(MLFLOW_VENV)/bin/mlflow ] && cmp -s tests/mlflow/requirements.txt $(MLFLOW_VENV)/tuna-requirements.txt; then \
		echo "MLflow from tests/mlflow/requirements.txt is installed in .venv-mlflow"; \
	else \
		echo "installing MLflow into .venv-mlflow (about 2 minutes)"; \
		rm -rf $(MLFLOW_VENV); \
		python3 -m venv $(MLFLOW_VENV) || { apt-get update && apt-get install -y python3-venv && python3 -m venv $(MLFLOW_VENV); }; \
		$(MLFLOW_VENV)/bin/pip install -q --disable-pip-version-check -r tests/mlflow/requirements.txt && \
		cp tests/mlflow/requirements.txt $(MLFLOW_VENV)/tuna-requirements.txt; \
	fi

## setup-browser: Debian's Chromium and ChromeDriver for browser tests
setup-browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		(apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver)

## test: every test: native, wasm32, and the page end to end in Chromium
test: setup setup-browser test-native test-wasm test-e2e

## page: build the page into dist/
page: setup
	trunk build

## serve: set up, build and serve the page on http://127.0.0.1:$(PORT)
serve: page
	@echo "Tuna is at http://127.0.0.1:$(PORT)/"
	python3 -m http.server $(PORT) --bind 127.0.0.1 --directory dist

# The tracking tests start `mlflow server` from the venv named by TUNA_MLFLOW.
test-e2e: page build setup-mlflow
	TUNA_MLFLOW=$(MLFLOW_VENV) npm run e2e

# The MLflow tests start `mlflow server` from the venv named by TUNA_MLFLOW (and fail without it).
test-native: setup-mlflow
	TUNA_MLFLOW=$(MLFLOW_VENV) cargo test --locked

test-wasm: setup-browser
	cargo test --locked --target wasm32-unknown-unknown --test wasm_determinism
	CHROMEDRIVER=$$(command -v chromedriver) cargo test --locked --target wasm32-unknown-unknown --test web_protocol

## build: the release CLI at target/release/tuna
build:
	cargo build --locked --release

## expected: rerun scikit-learn to regenerate tests/data (needs PyPI; not part of `make test`)
expected:
	python3 -m venv .venv-sklearn
	.venv-sklearn/bin/pip install -q -r tests/sklearn/requirements.txt
	.venv-sklearn/bin/python tests/sklearn/make_expected.py

## mlflow-digests: recompute tests/data/expected/mlflow_digests.json with the real MLflow and pandas
mlflow-digests: setup-mlflow
	$(MLFLOW_VENV)/bin/python tests/mlflow/make_digests.py

## bench: the benchmark (issue 6): bench/jobs/ on the page (headless Chromium), `tuna run` and scikit-learn; prints the table, writes bench/results/
BENCH_VENV := $(CURDIR)/.venv-bench
BENCH_REPEATS ?= 3
.PHONY: bench setup-bench
setup-bench:
	@if [ -x $(BENCH_VENV)/bin/python ] && cmp -s tests/sklearn/requirements.txt $(BENCH_VENV)/tuna-requirements.txt; then \
		echo "scikit-learn from tests/sklearn/requirements.txt is installed in .venv-bench"; \
	else \
		echo "installing scikit-learn into .venv-bench (about 1 minute)"; \
		rm -rf $(BENCH_VENV); \
		python3 -m venv $(BENCH_VENV) || { apt-get update && apt-get install -y python3-venv && python3 -m venv $(BENCH_VENV); }; \
		$(BENCH_VENV)/bin/pip install -q --disable-pip-version-check -r tests/sklearn/requirements.txt && \
		cp tests/sklearn/requirements.txt $(BENCH_VENV)/tuna-requirements.txt; \
	fi

bench: setup setup-browser page build setup-bench
	$(BENCH_VENV)/bin/python bench/make_data.py
	BENCH_PYTHON=$(BENCH_VENV)/bin/python node bench/run.mjs --repeats $(BENCH_REPEATS)
