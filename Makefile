# Two commands for a fresh machine: `make serve` (build and preview the sample hub)
# and `make test` (the whole test suite). Both create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The second supported engine: ProperDocs (the maintained MkDocs 1.x) with MkDocs absent.
PROPERDOCS_VENV := .venv-properdocs
PROPERDOCS_STAMP := $(PROPERDOCS_VENV)/.installed

.PHONY: serve build test lint browser screenshots clean smtp subscriptions catalogs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

$(PROPERDOCS_STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(PROPERDOCS_VENV)
	$(PROPERDOCS_VENV)/bin/pip install --quiet --upgrade pip
	$(PROPERDOCS_VENV)/bin/pip install --quiet -e '.[test]' 'properdocs>=1.6.7,<1.7'
	# mkdocs-material asks for MkDocs; ProperDocs answers its imports instead.
	$(PROPERDOCS_VENV)/bin/pip uninstall --quiet --yes mkdocs
	touch $(PROPERDOCS_STAMP)

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

# axe-core and Lighthouse for the browser tests, pinned in tests/browser/package-lock.json.
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund
	touch $(AXE)

# A PNG of every page type at 390 and 1280 px, light and dark, in screenshots/ (git-ignored).
screenshots: $(STAMP) browser
	$(BIN)/python scripts/screenshots.py

# Every test on MkDocs (test_engines builds the sample hub on both engines and compares), then
# the golden sites again, built on ProperDocs alone.
test: $(STAMP) $(PROPERDOCS_STAMP) browser
	$(BIN)/ruff check .
	HUB_PROPERDOCS=$(PROPERDOCS_VENV)/bin/properdocs $(BIN)/pytest -n 2 -q
	$(PROPERDOCS_VENV)/bin/pytest -n 2 -q tests/golden --ignore=tests/golden/test_engines.py

# The interface text's catalogs (themes/hub/locales/<lang>/LC_MESSAGES/hub.po): new strings
# from the templates and the generator are added to every language, to be translated there.
# The build compiles them itself; `pybabel compile` here only reports what is untranslated.
# Lines wrap at 100 columns, as the committed catalogs are written.
CATALOGS := themes/hub/locales
catalogs: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k words -k N_ -k Criterion:3 --no-location --sort-output --width 100 -o $(CATALOGS)/hub.pot .
	$(BIN)/pybabel update -i $(CATALOGS)/hub.pot -d $(CATALOGS) -D hub --no-fuzzy-matching --ignore-obsolete --width 100
	$(BIN)/pybabel compile --statistics -d $(CATALOGS) -D hub

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf site .cache .hub digest-out maildir .pytest_cache
