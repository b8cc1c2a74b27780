# Two commands for a newcomer: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py

.PHONY: run test serve setup messages compilemessages migrate lint format bench clean backup restore

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Leergang needs Python 3.11 or newer.")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP) compilemessages

# .mo files are built from the committed .po files with Babel, so no system gettext is needed.
compilemessages: $(STAMP)
	@$(BIN)/python -m leergang.core.compile_messages

migrate: setup
	$(MANAGE) migrate --noinput

run: migrate
	$(MANAGE) load_demo
	@echo ""
	@echo "Leergang runs at http://127.0.0.1:$(PORT)/nl/  (Ctrl+C stops it)"
	@echo "The e-mail worker runs beside it; without EMAIL_HOST it prints e-mails here."
	$(MANAGE) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) runserver 127.0.0.1:$(PORT)

# gunicorn runs several worker processes: they share one cache (rate limits, public pages) in the database.
serve: export CACHE_URL ?= db
serve: migrate
	DJANGO_SETTINGS_MODULE=config.settings.prod $(MANAGE) createcachetable
	DJANGO_SETTINGS_MODULE=config.settings.prod $(MANAGE) collectstatic --noinput --verbosity 0
	DJANGO_SETTINGS_MODULE=config.settings.prod $(MANAGE) load_demo
	DJANGO_SETTINGS_MODULE=config.settings.prod $(MANAGE) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		DJANGO_SETTINGS_MODULE=config.settings.prod $(BIN)/gunicorn config.wsgi:application \
		--bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-2} --access-logfile - --forwarded-allow-ips=127.0.0.1

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Regenerate the .po files after changing texts (needs GNU gettext on the developer's machine).
messages: setup
	$(MANAGE) makemessages --locale nl --ignore '.venv/*' --ignore 'staticfiles/*' --no-obsolete

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# One .tar.gz with the database (SQLite copy or pg_dump) and the uploads; the database comes from
# DATABASE_URL as for every other target. Default file: backups/leergang-<kind>-<UTC time>.tar.gz.
backup: $(STAMP)
	$(MANAGE) backup $(if $(FILE),--output "$(FILE)")

# Puts a backup back and migrates it forward; a database that holds data is replaced only after
# a typed "yes" or with YES=1.
restore: $(STAMP)
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/leergang-....tar.gz [YES=1]" >&2; exit 2; }
	$(MANAGE) restore "$(FILE)" $(if $(YES),--yes)

bench: migrate
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
