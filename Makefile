# SIGAP: `make run` sets everything up and serves the app; `make test` type-checks and runs the whole suite;
# `make prod` runs the production topology (docker-compose.yml's, without Docker) with prod.env;
# `make load` puts 20 simulated clerks on it for 2 minutes (not part of `make test`).
VENV    ?= .venv
PYTHON  := $(VENV)/bin/python
STAMP   := $(VENV)/.installed-stamp
CATALOG := app/translations/id/LC_MESSAGES/messages
export FLASK_APP := app

.PHONY: run test install init translations prod load ocr

run: install ocr
	$(PYTHON) app.py

# OCR reads scanned pages (app/archive/ocr.py): Tesseract and its Indonesian model, installed when missing
# and this user may (root with apt-get, as .ci/run does); otherwise SIGAP warns at start-up and on the
# Admin's home page, and runs without it.
ocr:
	@if ! command -v tesseract >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -qx ind; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing tesseract-ocr and tesseract-ocr-ind ..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-ind >/dev/null; \
	  else \
	    echo "OCR is missing: install tesseract-ocr and tesseract-ocr-ind (as root: make ocr). SIGAP runs without it."; \
	  fi; \
	fi

test: install
	$(PYTHON) -m mypy
	$(PYTHON) -m pytest

install: $(STAMP) $(CATALOG).mo

prod: install
	set -a && . ./prod.env && set +a && $(VENV)/bin/flask sigap serve-prod --local-services

load: install
	$(PYTHON) -m bench.load

init: install
	$(VENV)/bin/flask sigap init

$(STAMP): pyproject.toml
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e ".[local,test]"
	touch $(STAMP)

$(CATALOG).mo: $(CATALOG).po $(STAMP)
	$(VENV)/bin/pybabel compile --use-fuzzy -d app/translations

translations: $(CATALOG).mo
