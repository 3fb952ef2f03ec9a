# The two commands: `make run` and `make test`. Each does its own set-up on a fresh
# Debian machine with Python 3.11 (as root): a .venv, the Python packages, and any
# Debian packages the tests need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

# The translations (docs/web.md "Languages"): each catalogue's .po is kept in git, its .mo is
# compiled here with GNU gettext's msgfmt (Debian's `gettext`), never committed.
LOCALE := src/taper/web/locale
MO := $(patsubst %.po,%.mo,$(wildcard $(LOCALE)/*/LC_MESSAGES/django.po))

.PHONY: run test check bench bench-quick mutate clean install system-deps messages compilemessages

run: $(STAMP) $(MO)
	$(BIN)/taper serve --demo

# The whole suite twice: on SQLite (the default), then on a throwaway PostgreSQL server.
test: $(STAMP) system-deps $(MO)
	$(BIN)/python -m pytest -q
	scripts/with-postgres $(BIN)/python -m pytest -q

check: $(STAMP)
	$(BIN)/ruff check src tests bench
	TAPER_DEBUG=1 TAPER_DATA_DIR=$$(mktemp -d) $(BIN)/mypy src/taper

# The full benchmark (about 20 minutes; bench/results.json) and a reduced one for development
# (at most about 3 minutes; bench/results-quick.json, not committed). docs/performance.md.
bench: $(STAMP)
	$(BIN)/python bench/run.py

bench-quick: $(STAMP)
	$(BIN)/python bench/run.py --quick

# Mutation testing of the clinical core (docs/adr/0019-mutation-testing.md): only the modules
# whose code, tests or data changed since docs/quality/mutation.json was written.
# `make mutate MODULES=src/taper/core/monitoring/pacing.py,...`, `make mutate FORCE=1`, JOBS=2,
# BUDGET=seconds per module (a stopped module resumes on the next run).
MODULES ?=
JOBS ?= 2
BUDGET ?=
mutate: $(STAMP)
	$(BIN)/python scripts/mutate.py --jobs $(JOBS) $(if $(MODULES),--modules $(MODULES)) $(if $(FORCE),--force) $(if $(BUDGET),--budget $(BUDGET))

install: $(STAMP) $(MO)

compilemessages: $(MO)

%.mo: %.po
	scripts/system-deps gettext
	msgfmt --check -o $@ $<

# After adding or changing patient wording: refresh the catalogues from the code (every
# app, every template and .txt e-mail), then translate each new or "fuzzy" entry in
# $(LOCALE)/<lang>/LC_MESSAGES/django.po. tests/web/test_languages.py fails until done.
messages: $(STAMP)
	cd src/taper && TAPER_DEBUG=1 TAPER_DATA_DIR=$$(mktemp -d) PYTHONPATH=$(CURDIR)/src \
	  $(CURDIR)/$(BIN)/python -m django makemessages --settings=taper.web.settings \
	  --all --extension html,txt,py --no-location --ignore '*/migrations/*'

# Debian's python3 lacks venv until python3-venv is installed; install it only when needed.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv && \
	  $(PYTHON) -m venv $(VENV); }

# Debian packages the tests need (poppler-utils, chromium, postgresql), only if missing.
system-deps:
	scripts/system-deps

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev,pk,exports,web]"
	rm -f $(VENV)/.installed-*
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
