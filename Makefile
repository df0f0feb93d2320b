# Tuna's tasks. `make test` sets up everything a fresh machine lacks and runs every test.
SHELL := /bin/bash
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)

.PHONY: setup test test-native test-wasm build expected

## setup: the wasm32 target, a wasm-bindgen CLI equal to Cargo.lock's, Node.js (skips what is there)
setup:
	rustup target add wasm32-unknown-unknown
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
		echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (about 6 minutes)"; \
		cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi
	@command -v node >/dev/null || (apt-get update && apt-get install -y nodejs)

## test: every test, native and wasm32
test: setup test-native test-wasm

test-native:
	cargo test --locked

test-wasm:
	cargo test --locked --target wasm32-unknown-unknown --test wasm_determinism

## build: the release CLI at target/release/tuna
build:
	cargo build --locked --release

## expected: rerun scikit-learn to regenerate tests/data (needs PyPI; not part of `make test`)
expected:
	python3 -m venv .venv-sklearn
	.venv-sklearn/bin/pip install -q -r tests/sklearn/requirements.txt
	.venv-sklearn/bin/python tests/sklearn/make_expected.py
