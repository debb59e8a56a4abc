# The two commands of the README: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` is the embedded default: debug off (the Vietnamese error pages a user really gets),
# plain http on this machine, and the demo accounts asked for in so many words.
EMBEDDED_ENV := DJANGO_DEBUG=False DJANGO_EMBEDDED=True DJANGO_DEMO_DATA=True
# Tests run on every core (pytest-xdist); PYTEST_ARGS="-n 0" runs them in one process.
PYTEST_ARGS ?= -n auto

.PHONY: run test lint format e2e worker beat setup migrate demo collectstatic bench clean

# The virtual environment is rebuilt only when the requirements change.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

.env:
	cp .env.example .env

setup: $(VENV)/.installed node_modules/.installed .env

migrate: setup
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_backan_2024
	$(EMBEDDED_ENV) $(MANAGE) load_demo_data

run: demo
	@echo "Cổng OCOP Bắc Kạn: http://$(HOST):$(PORT)/  (Ctrl+C để dừng)"
	$(EMBEDDED_ENV) $(MANAGE) runserver $(HOST):$(PORT)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The browser journeys alone; asked for by name, a missing Chromium is a failure, not a skip.
e2e: setup
	OCOP_E2E_REQUIRED=1 $(VENV)/bin/pytest -m e2e $(PYTEST_ARGS)

worker: setup
	$(VENV)/bin/celery -A ocop_portal worker --loglevel=info

beat: setup
	$(VENV)/bin/celery -A ocop_portal beat --loglevel=info

collectstatic: setup
	$(MANAGE) collectstatic --noinput

# The national-scale benchmark (issue 12): on a temporary SQLite file, or on DATABASE_URL (a
# PostgreSQL database of its own, dropped and created again); BENCH_ARGS="--only dashboard".
bench: migrate
	$(PY) benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
