# Tuna's tasks. `make test` sets up everything a fresh machine lacks and runs every test.
SHELL := /bin/bash
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)

TRUNK_VERSION := 0.21.14
# Trunk runs offline and takes wasm-opt (npm's binaryen) from PATH.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
PORT ?= 8080

.PHONY: help setup setup-node setup-browser setup-mlflow setup-clang parquet-files check test test-fast fuzz test-native test-wasm test-e2e page serve build expected mlflow-digests
.DEFAULT_GOAL := help

## help: list the tasks
help:
	@grep -E '^## [a-z-]+:' $(MAKEFILE_LIST) | sed -e 's/^## //' | awk -F': ' '{ printf "  %-14s %s\n", $$1, substr($$0, length($$1) + 3) }'

## setup: wasm32 target, wasm-bindgen CLI equal to Cargo.lock's, Trunk, Node.js and npm tools (skips what is there)
setup: setup-node setup-clang
	rustup target add wasm32-unknown-unknown
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
		echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (about 6 minutes)"; \
		cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi
	@if [ "$$(trunk --version 2>/dev/null)" != "trunk $(TRUNK_VERSION)" ]; then \
		echo "installing trunk $(TRUNK_VERSION) (10 to 17 minutes)"; \
		cargo install --locked trunk --version $(TRUNK_VERSION); \
	fi
	cargo fetch --locked

## setup-clang: clang, which builds the ZSTD codec (C, for Parquet files) for wasm32; Debian's package
setup-clang:
	@command -v clang >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clang)

## setup-node: Node.js, and the npm packages of package-lock.json (again only when it changes)
setup-node: node_modules/.tuna-installed
node_modules/.tuna-installed: package-lock.json
	@command -v node >/dev/null || (apt-get update && apt-get install -y nodejs npm)
	npm ci --no-audit --no-fund
	touch $@

## check: formatting, clippy for the native and the wasm32 targets, and rustdoc, warnings as errors
check: setup-clang
	rustup target add wasm32-unknown-unknown
	cargo fmt --check
	cargo clippy --locked --all-targets -- -D warnings
	cargo clippy --locked --target wasm32-unknown-unknown --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc --locked --no-deps --lib

## test-fast: unit and native integration tests: no browser, no MLflow server (its tests print that they skipped)
test-fast:
	cargo test --locked

## fuzz: the property tests' long pass, TUNA_FUZZ_SECONDS (default 600) per target at release speed (not part of `make test`)
TUNA_FUZZ_SECONDS ?= 600
fuzz:
	for target in csv config splitters; do \
		TUNA_FUZZ_SECONDS=$(TUNA_FUZZ_SECONDS) nice -n 19 cargo test --locked --profile fuzz --test properties -- \
			--ignored --exact fuzz_$$target --nocapture || exit 1; \
	done

# $(call venv,DIR,REQUIREMENTS): a Python virtual environment at DIR with REQUIREMENTS
# installed; skipped when they are installed already, remade when they change.
define venv
@if [ -x $(1)/bin/python ] && cmp -s $(2) $(1)/tuna-requirements.txt; then \
	echo "$(2) is installed in $(1)"; \
else \
	echo "installing $(2) into $(1) (a minute or two)"; \
	rm -rf $(1); \
	python3 -m venv $(1) || { apt-get update && apt-get install -y python3-venv && python3 -m venv $(1); }; \
	$(1)/bin/pip install -q --disable-pip-version-check -r $(2) && cp $(2) $(1)/tuna-requirements.txt; \
fi
endef

## setup-mlflow: .venv-mlflow with the MLflow server and client pinned in tests/mlflow/requirements.txt (skips when installed)
MLFLOW_VENV := $(CURDIR)/.venv-mlflow
SKLEARN_VENV := $(CURDIR)/.venv-sklearn
setup-mlflow:
	$(call venv,$(MLFLOW_VENV),tests/mlflow/requirements.txt)

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

# The MLflow tests start `mlflow server` from the venv named by TUNA_MLFLOW;
# TUNA_REQUIRE_MLFLOW makes them fail, not skip, without it.
test-native: setup-mlflow
	TUNA_MLFLOW=$(MLFLOW_VENV) TUNA_REQUIRE_MLFLOW=1 cargo test --locked

test-wasm: setup-browser
	cargo test --locked --target wasm32-unknown-unknown --test wasm_determinism --test wasm_parquet
	CHROMEDRIVER=$$(command -v chromedriver) cargo test --locked --target wasm32-unknown-unknown --test web_protocol

## build: the release CLI at target/release/tuna
build:
	cargo build --locked --release

## expected: rerun scikit-learn to regenerate tests/data (searches, pipelines, random-search draws), examples/bikes and examples/penguins (needs PyPI; not part of `make test`)
expected: setup-sklearn
	$(SKLEARN_VENV)/bin/python tests/sklearn/make_expected.py
	$(SKLEARN_VENV)/bin/python tests/sklearn/make_trees.py
	$(SKLEARN_VENV)/bin/python tests/sklearn/make_pipelines.py
	$(SKLEARN_VENV)/bin/python tests/sklearn/make_samplers.py

## parquet-files: rewrite tests/data/parquet and tests/data/expected/parquet.json with pyarrow, Polars and pandas (needs PyPI; not part of `make test`)
PARQUET_VENV := $(CURDIR)/.venv-parquet
parquet-files:
	$(call venv,$(PARQUET_VENV),tests/parquet/requirements.txt)
	$(PARQUET_VENV)/bin/python tests/parquet/make_files.py

## mlflow-digests: recompute tests/data/expected/mlflow_digests.json with the real MLflow and pandas
mlflow-digests: setup-mlflow
	$(MLFLOW_VENV)/bin/python tests/mlflow/make_digests.py

## bench: the benchmark (issue 6): bench/jobs/ on the page (headless Chromium), `tuna run` and scikit-learn; prints the table, writes bench/results/ (BENCH_ONLY=scaling: the scaling table alone)
BENCH_REPEATS ?= 5
BENCH_ONLY ?=
.PHONY: bench setup-sklearn
## setup-sklearn: .venv-sklearn with scikit-learn pinned in tests/sklearn/requirements.txt (skips when installed)
setup-sklearn:
	$(call venv,$(SKLEARN_VENV),tests/sklearn/requirements.txt)

bench: setup setup-browser page build setup-sklearn
	$(SKLEARN_VENV)/bin/python bench/make_data.py
	BENCH_PYTHON=$(SKLEARN_VENV)/bin/python node bench/run.mjs --repeats $(BENCH_REPEATS)$(if $(BENCH_ONLY), --only $(BENCH_ONLY))
