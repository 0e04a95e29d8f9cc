# Two ways in: `make run` (set up and serve with demo content) and `make test` (the whole suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
STAMP := $(VENV)/.installed

.PHONY: install run serve test test-fast lint migrate content editor browser-deps bench load backup restore clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

content: migrate
	$(PY) manage.py load_content

editor: migrate
	PORT=$(PORT) DJANGO_DEBUG=1 $(PY) manage.py ensure_editor

run: content editor
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production-like: DEBUG off, hashed static files served by WhiteNoise, gunicorn in front.
# TLS redirects are off here because nothing terminates TLS on a developer's machine.
serve: content
	DJANGO_DEBUG=0 $(PY) manage.py collectstatic --noinput --verbosity 0
	DJANGO_DEBUG=0 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SESSION_COOKIE_SECURE=0 \
	  DJANGO_CSRF_COOKIE_SECURE=0 DJANGO_SECURE_HSTS_SECONDS=0 PORT=$(PORT) \
	  $(BIN)/gunicorn kb.wsgi:application -c gunicorn.conf.py

# Browser tests drive Debian's Chromium, never a downloaded browser.
browser-deps:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Browser tests need Debian's Chromium: sudo apt-get install chromium"; exit 1; fi; }

test: install browser-deps
	$(BIN)/pytest

test-fast: install
	$(BIN)/pytest -m "not browser"

lint: install
	$(BIN)/ruff check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

bench: migrate
	$(PY) manage.py bench

# Everything (content, history, users, groups, media) in one file; FILE= chooses where.
backup: migrate
	$(PY) manage.py backup $(if $(FILE),--output "$(FILE)",)

# Into an empty database (migrated first); FORCE=1 replaces whatever the database holds.
restore: migrate
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/kb-….tar.gz [FORCE=1]"; exit 1; }
	$(PY) manage.py restore "$(FILE)" $(if $(FORCE),--force,)

# Against a running `make serve` (same PORT): 50 clients for 30 s, then a static file.
load: install
	$(PY) manage.py loadtest --port $(PORT)

clean:
	rm -rf $(VENV) staticfiles test-artifacts .pytest_cache
