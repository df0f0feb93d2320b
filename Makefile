# Tuna's tasks. `make test` sets up everything a fresh machine lacks and runs every test.
SHELL := /bin/bash
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)

TRUNK_VERSION := 0.21.14
# Trunk runs offline and takes wasm-opt (npm's binaryen) from PATH.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
PORT ?= 8080

.PHONY: setup setup-browser test test-native test-wasm test-e2e page serve build expected

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

test-e2e: page build
	npm run e2e

test-native:
	cargo test --locked

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
