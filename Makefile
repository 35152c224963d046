# Urna — the README's two commands: `make run` and `make test`.
# Everything they need is installed here: the virtualenv, the package and its dependencies.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
export PORT
# `make run` serves like production (DEBUG off, hashed static files); the environment wins.
RUN_DEBUG := $(if $(DEBUG),$(DEBUG),false)

.PHONY: run test lint format bench migrate demo install clean ci

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v0

demo: migrate
	$(BIN)/python manage.py seed_demo
	DEBUG=$(RUN_DEBUG) $(BIN)/python manage.py collectstatic --noinput -v0

# Serves http://127.0.0.1:$(PORT) with gunicorn (sync workers) and one background worker.
run: demo
	DEBUG=$(RUN_DEBUG) bin/serve

test: install
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v0

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# bench/intake.py drives its load with wrk (Debian/Ubuntu package `wrk`).
bench: install
	@command -v wrk >/dev/null || apt-get install -y -q wrk || { \
		echo "bench/intake.py needs wrk: apt-get install wrk (as root)"; exit 1; }
	@for script in bench/intake.py bench/queries.py bench/channels.py bench/insights.py bench/opendata.py; do \
		if [ -f $$script ]; then echo "== $$script"; $(BIN)/python $$script || exit 1; fi; \
	done

clean:
	rm -rf $(VENV) var
