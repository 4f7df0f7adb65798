# SIGAP: `make run` sets everything up and serves the app; `make test` runs the whole suite.
VENV    ?= .venv
PYTHON  := $(VENV)/bin/python
STAMP   := $(VENV)/.installed-stamp
CATALOG := app/translations/id/LC_MESSAGES/messages
export FLASK_APP := app

.PHONY: run test install init translations ocr

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
	$(PYTHON) -m pytest

install: $(STAMP) $(CATALOG).mo

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
