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
# scripts/db.sh creates the database DATABASE_URL names (e.g. portal_mutate).
export PGDATABASE_NAME ?= $(firstword $(subst ?, ,$(lastword $(subst /, ,$(DATABASE_URL)))))

PY := .venv/bin/python
MANAGE := $(PY) manage.py
DEV_ENV := DEBUG=1
PO := $(wildcard locale/*/LC_MESSAGES/*.po)
MO := $(PO:.po=.mo)
# axe-core and the Nu Html Checker, pinned in scripts/node/package-lock.json.
NODE_TOOLS := scripts/node/node_modules/.installed

.PHONY: test-newyear coverage-check mutate serve bench-reports bench help run test stop setup system-deps system-deps-test db migrate messages demo lint format makemessages

help:
	@echo "make run    set everything up and serve http://$(HOST):$(PORT)/"
	@echo "make test   set everything up and run every test (browser tests included)"
	@echo "make test-newyear  every test again, the clock at New Year's Eve in Bishkek"
	@echo "make serve  the production-like stack (gunicorn, DEBUG off) on http://$(HOST):$(PORT)/"
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

# The production-like stack on this machine, to measure what residents get:
# DEBUG off, collected static files (compressed, hashed) served by WhiteNoise,
# gunicorn; plain http on localhost (portal/settings_serve.py).
serve: setup
	DJANGO_SETTINGS_MODULE=portal.settings_serve $(MANAGE) collectstatic --no-input -v 0
	@echo
	@echo "  Production-like portal: http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	@echo
	DJANGO_SETTINGS_MODULE=portal.settings_serve .venv/bin/gunicorn portal.wsgi \
	  --bind $(HOST):$(PORT) --workers 3 --no-control-socket --access-logfile -

# Every test in random order (pytest-randomly prints the seed; repeat an
# order with PYTEST_ARGS=--randomly-seed=N), on two workers with a database
# each (XDIST= for one), with branch coverage: under 95 % of the whole, or
# under 100 % of the modules scripts/coverage_check.py lists, fails
# (COVERAGE= skips it, e.g. to run a few tests: PYTEST_ARGS=tests/test_demo.py).
XDIST ?= -n 2
COVERAGE ?= --cov --cov-report=term-missing:skip-covered
test: setup system-deps-test $(NODE_TOOLS)
	$(PY) -m pytest $(XDIST) $(COVERAGE) $(PYTEST_ARGS)
	@if [ -n "$(COVERAGE)" ]; then $(PY) scripts/coverage_check.py; fi

coverage-check: .venv/.synced
	$(PY) scripts/coverage_check.py

# The whole suite again with its clock starting on New Year's Eve, 22:30 in
# Bishkek (tests/conftest.py); CI runs it after `make test`.
test-newyear: setup system-deps-test $(NODE_TOOLS)
	TEST_CLOCK=2026-12-31T22:30:00+06:00 $(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

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

$(NODE_TOOLS): scripts/node/package.json scripts/node/package-lock.json | system-deps-test
	npm ci --prefix scripts/node --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# .venv/bin/pytest: a .venv stripped of its dev tools (uv sync --no-dev)
# is synced again, whatever the stamp says.
.venv/.synced: pyproject.toml uv.lock .python-version .venv/bin/pytest
	scripts/venv.sh
	@touch $@

.venv/bin/pytest: ;

db:
	@scripts/db.sh start

migrate: .venv/.synced db
	@$(DEV_ENV) $(MANAGE) migrate --no-input -v 0
	@$(DEV_ENV) $(MANAGE) createcachetable

messages: $(MO)

locale/%.mo: locale/%.po
	msgfmt --check -o $@ $<

demo: migrate
	@$(DEV_ENV) $(MANAGE) load_demo

lint: .env .venv/.synced
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(DEV_ENV) $(MANAGE) makemigrations --check --dry-run

# Mutation testing, by hand (slow, not part of `make test`): plants bugs in
# the services, the models' rules, the composition figures, the middleware
# and the admin's permission code; prints the score and the survivors.
mutate: setup
	rm -rf mutants
	.venv/bin/mutmut run || true
	.venv/bin/mutmut export-cicd-stats
	$(PY) scripts/mutation_score.py

# Render times of the PDF reports, demo and large data (not part of the tests).
bench-reports: .venv/.synced db
	$(PY) scripts/bench_reports.py

# Page timings on a large, throw-away database (not part of the tests).
# BENCH_ARGS=--national: the national set (451 municipalities, 520 000
# proposals) in portal_bench_national, served by gunicorn; add --keep to keep
# the database and --reuse to measure it again without refilling
# (options: scripts/bench_national.py).
bench: .venv/.synced db
	$(PY) scripts/bench.py $(BENCH_ARGS)

format: .venv/.synced
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

# Refresh the catalogues from the sources (then translate what is new).
makemessages: .venv/.synced
	$(DEV_ENV) $(MANAGE) makemessages -l ky -l ru --no-obsolete --ignore '.venv/*' --ignore '.tools/*' --ignore 'staticfiles/*' --ignore 'tests/*' --ignore node_modules
