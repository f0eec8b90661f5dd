# Two commands do all the set-up: `make run` and `make test` (see README.md).
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PLAN := data/plans/bachu-2026.txt

.PHONY: run test bench eval lint clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	# bytecode for the editable sources, as pip writes it for installed packages: the command line then
	# starts without compiling them, also where PYTHONDONTWRITEBYTECODE is set (edited files are recompiled)
	$(BIN)/python -m compileall -q src > /dev/null
	touch $(STAMP)

HOST ?= 127.0.0.1
PORT ?= 8000

run: $(STAMP)
	$(BIN)/landreserve db upgrade
	$(BIN)/landreserve demo --plan $(PLAN)
	$(BIN)/landreserve serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	$(BIN)/python -m benchmarks

# the importer and auditor on the real published documents of ../shared/corpus/real (truth, not speed)
eval: $(STAMP)
	$(BIN)/python -m benchmarks evaluate -- --perturb

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
