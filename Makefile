# The README's two commands: `make run` and `make test`. Both set up what they need first.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: setup system run test lint bench corpus

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

setup: $(BIN)/.installed

# PostgreSQL and Chromium for the tests (Debian packages; needs root or sudo).
system:
	bash scripts/install-system-packages.sh

run: setup
	$(BIN)/klimamaal ingest
	$(BIN)/klimamaal documents

test: setup system
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_extract.py

corpus: setup
	$(BIN)/python scripts/build_corpus.py
