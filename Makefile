# make run: a local server on SQLite with demo data.  make serve: gunicorn on DATABASE_URL.  make test: the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app shelter_monitor
TRANSLATIONS := shelter_monitor/translations

.PHONY: run serve worker test install install-dev translations messages lint bench clean

$(VENV)/.installed: setup.cfg setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

translations: install
	$(BIN)/pybabel compile --use-fuzzy -d $(TRANSLATIONS) --statistics 2>&1 | tail -n 2

messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ --no-location --sort-output -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching

run: install translations
	$(FLASK) db upgrade
	$(FLASK) demo load
	$(FLASK) results refresh
	@echo "Serving on http://127.0.0.1:5000 (Ctrl+C to stop)"
	SESSION_COOKIE_SECURE=0 $(FLASK) run --host 127.0.0.1 --port 5000

# Production serving: the configured database (DATABASE_URL), WORKERS gunicorn processes on BIND.
serve: install translations
	$(FLASK) db upgrade
	$(BIN)/gunicorn --workers $${WORKERS:-2} --bind $${BIND:-127.0.0.1:8000} 'shelter_monitor:create_app()'

# The background jobs (exports) from REDIS_URL, next to `make serve`.
worker: install
	$(FLASK) worker

test: install-dev translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check shelter_monitor tests bench migrations

bench: install
	$(BIN)/python -m bench.rules_bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
