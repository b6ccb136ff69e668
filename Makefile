# Two commands for a fresh machine: `make serve` (build and preview the sample hub)
# and `make test` (the whole test suite). Both create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve build test lint browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/hub build --no-strict
	$(BIN)/hub serve --port 8000

build: $(STAMP)
	$(BIN)/hub build

browser:
	sh scripts/install-browser.sh

test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf site .cache .hub digest-out .pytest_cache
