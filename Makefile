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

.PHONY: run test lint format bench a11y e2e migrate demo install fonts clean ci twohost

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The informe global de observaciones embeds DejaVu Sans (or Liberation Sans) in its PDF.
fonts:
	@test -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
		|| test -e /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf \
		|| apt-get install -y -q fonts-dejavu-core || { \
		echo "the informe's PDF needs a font: apt-get install fonts-dejavu-core (as root)"; exit 1; }

install: $(STAMP) fonts

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

# lint-imports checks the layers declared in pyproject.toml (docs/architecture.md).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run -v0

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# bench/intake.py drives its load with wrk (Debian/Ubuntu package `wrk`).
bench: install
	@command -v wrk >/dev/null || apt-get install -y -q wrk || { \
		echo "bench/intake.py needs wrk: apt-get install wrk (as root)"; exit 1; }
	@for script in bench/intake.py bench/queries.py bench/channels.py bench/mixed.py bench/insights.py bench/themes_quality.py bench/insights_pages.py bench/matrix.py bench/informe.py bench/opendata.py bench/personal_data.py; do \
		if [ -f $$script ]; then echo "== $$script"; $(BIN)/python $$script || exit 1; fi; \
	done

# bench/a11y.py audits every page with axe-core in headless Chromium (Debian package `chromium`,
# driven by playwright-core; no browser download). The node packages go to var/a11y-node, never
# into the repository. Not part of `make test`; .ci/run runs it after the suite (A11Y_ARGS=--ci).
A11Y_NODE_DIR ?= var/a11y-node
AXE_CORE_VERSION ?= 4.14.1
PLAYWRIGHT_CORE_VERSION ?= 1.65.1
A11Y_ARGS ?=
a11y: install
	@command -v chromium >/dev/null || apt-get install -y -q chromium \
		|| { apt-get update -q && apt-get install -y -q chromium; } || { \
		echo "bench/a11y.py needs Chromium: apt-get install chromium (as root)"; exit 1; }
	@command -v npm >/dev/null || apt-get install -y -q nodejs npm || { \
		echo "bench/a11y.py needs Node.js: apt-get install nodejs npm (as root)"; exit 1; }
	@mkdir -p $(A11Y_NODE_DIR)
	@test -f $(A11Y_NODE_DIR)/package.json || echo '{"private": true}' > $(A11Y_NODE_DIR)/package.json
	@test -d $(A11Y_NODE_DIR)/node_modules/axe-core -a -d $(A11Y_NODE_DIR)/node_modules/playwright-core || \
		PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix $(A11Y_NODE_DIR) --no-audit --no-fund \
		axe-core@$(AXE_CORE_VERSION) playwright-core@$(PLAYWRIGHT_CORE_VERSION)
	A11Y_NODE_DIR=$(A11Y_NODE_DIR) $(BIN)/python bench/a11y.py $(A11Y_ARGS)

# Browser tests (e2e/): the citizen's and each staff role's journeys at 360 px and 1280 px, with
# Playwright driving the Debian Chromium (never a downloaded browser) against a fresh demo site.
# A failing test leaves its screenshot and HTML under var/e2e-artifacts/.
e2e: install
	@command -v chromium >/dev/null || apt-get install -y -q chromium \
		|| { apt-get update -q && apt-get install -y -q chromium; } || { \
		echo "e2e/ needs Chromium: apt-get install chromium (as root)"; exit 1; }
	$(BIN)/python -m pytest e2e -p no:xdist

# The two-host layout (README, "Deploying the two-host layout"): two network namespaces behind
# nginx on PostgreSQL and Redis, then its cross-host checks. As root; `deploy/twohost down` undoes it.
twohost: install
	deploy/twohost up
	$(BIN)/python deploy/check_cross_host.py

clean:
	rm -rf $(VENV) var
