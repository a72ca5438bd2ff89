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

site: $(STAMP)  ## build the site (and its PDF) into site/
	$(BIN)/mkdocs build --clean

serve: $(STAMP)  ## live preview on http://127.0.0.1:8000
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

pdf: $(STAMP)  ## the site with its PDF (the PDF is on unless ALLIANCE_PDF=0)
	ALLIANCE_PDF=1 $(BIN)/alliance pdf

offline: $(STAMP)  ## a build for file:// browsing, zipped for handing out
	ALLIANCE_OFFLINE=true $(BIN)/mkdocs build --clean --site-dir site-offline
	rm -f alliance-playbook-offline.zip
	cd site-offline && $(BIN)/python -m zipfile -c ../alliance-playbook-offline.zip .
	@echo "Wrote alliance-playbook-offline.zip: unzip it anywhere and open index.html"

check: $(STAMP)  ## validate the content only
	$(BIN)/alliance check

test: $(STAMP) lint  ## the whole test suite (lint and type check first)
	$(BIN)/python -m pytest -n auto -q

golden: $(STAMP)  ## rewrite tests/golden/*.md from their YAML (then read the diff)
	ALLIANCE_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q -p no:xdist tests/test_golden.py

lint: $(STAMP)  ## ruff over the code, mypy --strict over the package
	$(BIN)/ruff check plugins tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf site .pytest_cache
