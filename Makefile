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
	$(BIN)/hub serve --port 8000

build: $(STAMP)
	$(BIN)/hub build

AXE := tests/browser/node_modules/axe-core/axe.min.js

browser:
	sh scripts/install-browser.sh
	$(MAKE) --no-print-directory $(AXE)

# axe-core for the accessibility tests, pinned in tests/browser/package-lock.json.
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund
	touch $(AXE)

test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf site .cache .hub digest-out .pytest_cache
