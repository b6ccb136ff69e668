# Two commands for a fresh machine: `make serve` (build and preview the sample hub)
# and `make test` (the whole test suite). Both create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve build test lint browser clean smtp subscriptions

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/hub serve --port 8000

build: $(STAMP)
	$(BIN)/hub build

# A local SMTP server on 127.0.0.1:8025: keeps every message in ./maildir and shows it.
smtp: $(STAMP)
	$(BIN)/python scripts/local_smtp.py --port 8025 --maildir maildir

# The subscription service on 127.0.0.1:8100 (extra.hub.subscriptions.url), taking the
# forms of `make serve`'s preview and mailing through `make smtp`. Needs HUB_UNSUBSCRIBE_SECRET.
subscriptions: $(STAMP)
	$(BIN)/hub subscribers serve --port 8100 --smtp smtp://127.0.0.1:8025 --allow-origin http://127.0.0.1:8000

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
	rm -rf site .cache .hub digest-out maildir .pytest_cache
