# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The first Python >= 3.11 on the PATH.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PO := $(wildcard locale/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)
EN_PO := locale/en/LC_MESSAGES/django.po
VI_PO := locale/vi/LC_MESSAGES/django.po
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD := $(shell sed -n 's/^DEMO_PASSWORD = "\(.*\)"/\1/p' communes/demo.py)

.PHONY: help install messages system-run system-test run test fuzz bench faults lint format makemessages worker clean

help:
	@echo "make run    - install, migrate, load the demo data and serve on http://$(HOST):$(PORT)"
	@echo "make test   - lint, check migrations and run the test suite"
	@echo "make fuzz   - the property-based form tests with random seeds, for longer"
	@echo "make bench  - time the key pages as in production (SCALE=demo|district|province|national)"
	@echo "make faults - stop and hang Redis, kill the worker, race two editors; print what happened"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed and none was found." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	@touch $@

# axe-core for the browser tests' accessibility checks, pinned by package-lock.json; only the
# tests need it, so `make run` works without Node.js.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

install: $(STAMP)

# The Debian packages of debian-packages.txt, checked first: a missing one stops here with the
# apt-get command that installs it (or is installed, when run as root).
system-run:
	@scripts/system-packages.sh run

system-test:
	@scripts/system-packages.sh run test

# Compiled catalogues are build output; the .po files are committed.
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	msgfmt --check-format -o $@ $<

messages: $(MO)

# Local settings for manage.py commands typed by hand (DEBUG on); never used in production.
.env:
	cp .env.example .env

run: export DEBUG ?= 1
run: system-run install messages .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo
	@echo "Demo logins (password for all: $(DEMO_PASSWORD))"
	@echo "  bandanvantinh  board staff, Hưng Yên (and Thái Bình's history)"
	@echo "  xavuthu        commune officer, xã Vũ Thư (and its six predecessors' records)"
	@echo "  xatanthuan     commune officer, xã Tân Thuận"
	@echo "  bandanvan, dungnghia, bachthuan, lanhdao: the 2019 users, moved by the reorganisation"
	@echo "  tnmt           agency responder, land & environment"
	@echo "  admin          administrator (/admin/)"
	@echo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: export SECRET_KEY ?= insecure-key-for-make-test-only
test: system-test install node_modules/.package-lock.json messages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# The property-based tests with random seeds and 400 examples each (`make test` draws the same 25
# every run). A failure prints the example and a @reproduce_failure line; keep the example as an
# explicit @example in tests/test_fuzz_forms.py once it is fixed.
fuzz: export SECRET_KEY ?= insecure-key-for-make-test-only
fuzz: export HYPOTHESIS_PROFILE = fuzz
fuzz: system-run install messages
	$(BIN)/pytest tests/test_fuzz_forms.py

# The app as in production (gunicorn, PostgreSQL, DEBUG off), timed against the targets of issue 7;
# writes docs/benchmarks.md. Its own PostgreSQL database, tiepxuc_bench_$(SCALE), created if missing.
SCALE ?= district
bench: install messages
	$(BIN)/python scripts/bench.py --scale $(SCALE)

# Faults: Redis stopped and hung, the worker killed mid-render, two editors at once (issue 17).
# A private redis-server on a free port and its own PostgreSQL database, tiepxuc_faults.
faults: install messages
	$(BIN)/python scripts/faults.py $(FAULTS_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# For developers changing user-visible text (needs gettext's xgettext).
makemessages: export DEBUG ?= 1
makemessages: install
	$(BIN)/python manage.py makemessages -l vi -l en --no-location --no-obsolete --ignore=.venv
	@# English source strings: the English catalogue is the source itself (fuzzy guesses dropped).
	msgattrib --no-location --clear-fuzzy --clear-previous --empty -o $(EN_PO) $(EN_PO)
	msgen --no-location -o $(EN_PO) $(EN_PO)
	@# The Vietnamese catalogue is kept at 100 columns with no creation date, so diffs stay small.
	msgcat --no-location --width=100 -o $(VI_PO) $(VI_PO)
	sed -i '/^"POT-Creation-Date: /d' $(PO)

worker: export DEBUG ?= 1
worker: install messages
	$(BIN)/celery -A config worker --loglevel=INFO

clean:
	rm -rf $(VENV) node_modules staticfiles $(MO)
