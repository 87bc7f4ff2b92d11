# danvan — the two commands a newcomer needs: `make run` and `make test`.
# Everything is installed into .venv by these targets; nothing system-wide is required
# beyond Python >= 3.11 with venv.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run test install messages migrate demo lint format migrations-check ci clean worker tick bench-data bench

$(PY):
	$(PYTHON) -m venv $(VENV)

# Re-install only when the dependency list changes. uv is used when it can be had (fast);
# plain pip otherwise. vietnam-provinces 2026.9 (with the legacy 63-province data) declares
# Python >= 3.12 but runs on 3.11 (checked: imports and legacy lookups), so it is installed
# last with --ignore-requires-python; see docs/operations.md.
$(VENV)/.installed: pyproject.toml | $(PY)
	@$(PY) -m pip install -q --disable-pip-version-check uv >/dev/null 2>&1 || true
	@if $(VENV)/bin/uv --version >/dev/null 2>&1; then \
		$(VENV)/bin/uv pip install -q -p $(PY) -e '.[dev]'; \
	else \
		$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'; \
	fi
	@$(PY) -m pip install -q --disable-pip-version-check --no-deps --ignore-requires-python \
		'vietnam-provinces==2026.9.0' || echo "warning: legacy unit data unavailable"
	@touch $@

install: $(VENV)/.installed

messages: install
	@$(PY) manage.py compile_catalogues

migrate: messages
	@$(PY) manage.py migrate --no-input -v0

demo: migrate
	@$(PY) manage.py load_demo

run: demo
	@echo "danvan: http://$(HOST):$(PORT)/  (Ctrl-C stops the web server and the worker)"
	@DEBUG=$${DEBUG:-1} bash -c 'trap "kill 0" INT TERM EXIT; \
		$(PY) manage.py db_worker --no-reload --no-startup-delay --interval 2 & \
		while sleep $${TICK_SECONDS:-300}; do $(PY) manage.py tick -v0; done & \
		$(PY) manage.py runserver --noreload $(HOST):$(PORT) & \
		wait -n'

worker: migrate
	@$(PY) manage.py db_worker --no-reload --no-startup-delay

tick: migrate
	@$(PY) manage.py tick

test: messages
	@DANVAN_TESTING=1 $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	@$(VENV)/bin/ruff check .

format: install
	@$(VENV)/bin/ruff format .

migrations-check: install
	@$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var

# Benchmarks (PostgreSQL only): `DATABASE_URL=postgres://… make bench-data SIZE=1m && make bench`.
# Use a fresh database: bench-data refuses one that already holds a bench data set.
SIZE ?= 100k
bench-data: migrate
	@$(PY) -m benchmarks.generate --size $(SIZE)

bench: messages
	@$(PY) -m benchmarks.run $(BENCH_ARGS)
