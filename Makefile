# Two commands do everything: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test lint check pdf offline bench clean golden

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)  ## build the site, its PDFs and its offline copy into site/
	$(BIN)/mkdocs build --clean

SERVE_ADDR ?= 127.0.0.1:8000
serve: $(STAMP)  ## live preview on http://127.0.0.1:8000 (SERVE_ADDR=host:port for another)
	$(BIN)/mkdocs serve --dev-addr $(SERVE_ADDR)

pdf: $(STAMP)  ## the site with its PDFs, listed (as `make site`; kept for old scripts)
	ALLIANCE_PDF=1 $(BIN)/alliance pdf

offline: $(STAMP)  ## the offline copy unpacked in site-offline/ (make site zips it into site/downloads/)
	ALLIANCE_OFFLINE=true ALLIANCE_PDF=0 $(BIN)/mkdocs build --clean --site-dir site-offline
	@echo "Open site-offline/index.html in a browser: no server needed"

check: $(STAMP)  ## validate the content only
	$(BIN)/alliance check

test: $(STAMP) lint  ## the whole test suite (lint and type check first)
	$(BIN)/python -m pytest -n auto -q

golden: $(STAMP)  ## rewrite tests/golden/*.md from their YAML (then read the diff)
	ALLIANCE_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q -p no:xdist tests/test_golden.py

lint: $(STAMP)  ## ruff over the code, mypy --strict over the package
	$(BIN)/ruff check plugins tests benchmarks
	$(BIN)/mypy

BENCH_ARGS ?=
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)  ## the benchmarks (benchmarks/README.md); BENCH_ARGS passes options to benchmarks/run.py
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf site site-offline .pytest_cache test-screenshots
