# pilotmgr — `make run` serves the app with demo data; `make test` runs the whole suite.
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask
export FLASK_APP := wsgi.py
# Debian packages the test suite drives: a real browser, PDF text extraction, a font, and
# Pango for WeasyPrint (the leader digest's PDF).
DEB_PACKAGES := chromium poppler-utils fonts-liberation2 libpango-1.0-0 libpangoft2-1.0-0

.PHONY: install run serve test test-sqlite test-postgres lint format translations messages system-deps bench clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed translations

translations: $(VENV)/.installed
	@$(VENV)/bin/pybabel compile -d pilotmgr/translations >/dev/null

# After changing UI texts: refresh the catalogs, then fill the new Vietnamese msgstrs.
messages: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k tr --no-location \
	  --sort-output -o pilotmgr/translations/messages.pot .
	$(VENV)/bin/pybabel update -i pilotmgr/translations/messages.pot -d pilotmgr/translations \
	  --no-fuzzy-matching --ignore-obsolete

run: install
	$(FLASK) db upgrade
	$(FLASK) demo load
	@$(MAKE) --no-print-directory serve

# The scheduler runs beside the web server and stops with it.
serve:
	@$(FLASK) scheduler run & sched=$$!; \
	trap 'kill $$sched 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	[ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || missing="$$missing fonts-liberation2"; \
	dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "warning: missing Debian packages:$$missing (install them as root); tests needing them will skip"; fi; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: install system-deps lint test-sqlite test-postgres

test-sqlite: install
	env -u PILOTMGR_TEST_DATABASE_URL $(PY) -m pytest

test-postgres: install
	@if [ -n "$$PILOTMGR_TEST_DATABASE_URL" ]; then \
	  echo "== the suite again on PostgreSQL"; \
	  $(PY) -m pytest; \
	elif [ "$$CI" = "true" ]; then \
	  echo "CI=true but PILOTMGR_TEST_DATABASE_URL is not set: the PostgreSQL pass cannot be skipped"; exit 1; \
	else echo "PILOTMGR_TEST_DATABASE_URL not set: PostgreSQL pass skipped"; fi

bench: install
	$(FLASK) bench --json bench.json

clean:
	rm -rf $(VENV) instance/*.sqlite* .pytest_cache
