# Two commands: `make run` and `make test`. Each sets up what is missing
# (system packages when root, .venv, a project-local PostgreSQL, migrations,
# translations, demo data) and skips what is already done.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PGPORT ?= 54329
HOST ?= 127.0.0.1
PORT ?= 8000
export PGPORT
export DATABASE_URL ?= postgres://postgres@127.0.0.1:$(PGPORT)/portal

PY := .venv/bin/python
MANAGE := $(PY) manage.py
DEV_ENV := DEBUG=1
PO := $(wildcard locale/*/LC_MESSAGES/*.po)
MO := $(PO:.po=.mo)

.PHONY: bench help run test stop setup system-deps system-deps-test db migrate messages demo lint format makemessages

help:
	@echo "make run    set everything up and serve http://$(HOST):$(PORT)/"
	@echo "make test   set everything up and run every test (browser tests included)"
	@echo "make stop   stop the project-local PostgreSQL"
	@echo "make lint   ruff and the migrations check, as CI runs them"
	@echo "make bench  page timings on a large throw-away database"

run: setup
	@echo
	@echo "  Portal:  http://$(HOST):$(PORT)/"
	@echo "  Admin:   http://$(HOST):$(PORT)/ky/admin/"
	@echo "           logins demo, staff, moderator; password demo-portal-2026"
	@echo
	$(DEV_ENV) $(MANAGE) runserver $(HOST):$(PORT)

test: setup system-deps-test
	$(PY) -m pytest $(PYTEST_ARGS)

stop:
	@scripts/db.sh stop

setup: .env system-deps .venv/.synced db migrate messages demo

# Development settings for commands run by hand (manage.py shell, ...).
# Never copied to a server: production sets DEBUG=0 and SECRET_KEY itself.
.env:
	@printf '# Development checkout only (written by make). Never use on a server.\nDEBUG=1\n' > $@

system-deps:
	@scripts/system-deps.sh run

system-deps-test:
	@scripts/system-deps.sh test

.venv/.synced: pyproject.toml uv.lock .python-version
	scripts/venv.sh
	@touch $@

db:
	@scripts/db.sh start

migrate: .venv/.synced db
	@$(DEV_ENV) $(MANAGE) migrate --no-input -v 0

messages: $(MO)

locale/%.mo: locale/%.po
	msgfmt --check -o $@ $<

demo: migrate
	@$(DEV_ENV) $(MANAGE) load_demo

lint: .env .venv/.synced
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(DEV_ENV) $(MANAGE) makemigrations --check --dry-run

# Page timings on a large, throw-away database (not part of the tests).
bench: .venv/.synced db
	$(PY) scripts/bench.py $(BENCH_ARGS)

format: .venv/.synced
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# Refresh the catalogues from the sources (then translate what is new).
makemessages: .venv/.synced
	$(DEV_ENV) $(MANAGE) makemessages -l ky -l ru --no-obsolete --ignore '.venv/*' --ignore '.tools/*' --ignore 'staticfiles/*' --ignore 'tests/*'
