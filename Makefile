# Repères — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Where `make run` and `make dev` serve. Links that leave the site (certificates and
# their QR codes, e-mails, calendar feeds) follow them: settings.py builds the base URL
# from HOST and PORT unless WAGTAILADMIN_BASE_URL is set.
SERVE_ENV = HOST=$(HOST) PORT=$(PORT)
# `make run` serves plain HTTP on this machine: HTTPS settings off, a local secret, image
# renditions served by the app (no proxy in front).
# Certificates are signed with the demo key (its subject says « démonstration »); a
# deployment names its own PKCS#12 file (docs/deployment.md).
SIGNING_ENV = SIGNING_KEY_FILE=var/signing/demo.p12 SIGNING_KEY_PASSPHRASE="$$(cat var/signing/demo.passphrase)"
RUN_ENV = $(SERVE_ENV) DEBUG=0 HTTPS=0 SERVE_MEDIA_IMAGES=1 ALLOWED_HOSTS=127.0.0.1,localhost,$(HOST) SECRET_KEY="$$(cat var/secret_key)" $(SIGNING_ENV)
DEV_ENV = $(SERVE_ENV) DEBUG=1 $(SIGNING_ENV)

.PHONY: run dev test test-browser test-postgres lint format check bench bench-scale load messages clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
	@chmod 600 var/secret_key

var/signing/demo.p12: $(STAMP)
	@DEBUG=1 $(PY) manage.py create_signing_key var/signing/demo.p12 --passphrase-file var/signing/demo.passphrase --demo

install: $(STAMP)

syscheck: $(STAMP)
	@$(PY) scripts/check_system.py

# The port is checked before the minute of migrations and demo content, not by gunicorn
# failing to bind after it. Migrations and static files are applied quietly (errors
# still stop the run). gunicorn runs with the production settings file (redacted
# access log, one time zone for master and workers), on HOST:PORT with 2 workers.
run: $(STAMP) var/secret_key var/signing/demo.p12
	@$(PY) scripts/check_system.py --bind $(HOST):$(PORT) --make-target run
	$(RUN_ENV) $(PY) manage.py migrate --no-input --verbosity 0
	$(RUN_ENV) LOG_LEVEL=WARNING $(PY) manage.py load_demo --force
	$(RUN_ENV) $(PY) manage.py collectstatic --no-input --verbosity 0
	@$(RUN_ENV) $(PY) manage.py demo_logins
	@echo "Repères : http://$(HOST):$(PORT)/"
	$(RUN_ENV) $(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py --bind $(HOST):$(PORT) --workers 2

dev: $(STAMP) var/signing/demo.p12
	@$(PY) scripts/check_system.py --bind $(HOST):$(PORT) --make-target dev
	$(DEV_ENV) $(PY) manage.py migrate --no-input --verbosity 0
	$(DEV_ENV) $(PY) manage.py load_demo
	@$(DEV_ENV) $(PY) manage.py demo_logins
	$(DEV_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite, browser tests included (skipped with a notice when Chromium is
# missing, except on CI). Browser tests run in their own pytest process: they use
# transactional tests against a live server, which flush the database between tests.
test: $(STAMP)
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

# The multi-node test (tests/multinode/) makes its own PostgreSQL database whatever the
# suite runs on: `make test` runs it once, this target leaves it out.
test-postgres: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(PY) -m pytest -m "not browser and not multinode" $(PYTEST_ARGS)

test-browser: $(STAMP)
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

check: $(STAMP)
	DEBUG=1 $(PY) manage.py check
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

# The catalogues of the whole project (every app, templates included): English to
# translate, French for its plural forms only (scripts/french_catalogue.py); both
# compiled, and checked by scripts/check_translations.py in CI.
MESSAGES_IGNORE := --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'scripts/*' --ignore 'static/*'

messages: $(STAMP)
	DEBUG=1 $(PY) manage.py makemessages -l en -l fr --no-location --no-obsolete $(MESSAGES_IGNORE)
	$(PY) scripts/french_catalogue.py
	for lang in en fr; do msgfmt --check -o locale/$$lang/LC_MESSAGES/django.mo locale/$$lang/LC_MESSAGES/django.po; done
	$(PY) scripts/check_translations.py

bench: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --no-input --verbosity 0
	DEBUG=1 $(PY) manage.py load_demo > /dev/null
	$(PY) scripts/bench.py

# Pages on 100,000 generated learners (PostgreSQL: DATABASE_URL, by default its own base
# reperes_scale, created, filled once and reused); p50/p95 and EXPLAIN in var/bench-scale.json.
bench-scale: $(STAMP)
	$(PY) scripts/bench_scale.py

# 200 simulated people for 5 minutes against gunicorn, two db_workers, PostgreSQL and
# Redis on this machine (LOAD_USERS, LOAD_DURATION); LOAD_MODE=capacity for the highest
# rate kept under p99 500 ms, LOAD_MODE=burst for 200 people finishing one module in a
# minute. Figures in var/load.json; never part of `make test`.
load: $(STAMP)
	$(PY) scripts/load/run.py

clean:
	rm -rf $(VENV) var
