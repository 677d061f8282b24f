# Festa: `make run` serves the console, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test lint doctor chromium clean-venv

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## run: install, migrate, seed the demo workspace (first start only), serve worker + console
run: $(VENV)/.runtime
	$(PY) -m app migrate
	$(PY) -m app seed-demo
	$(PY) -m app serve

## test: ruff and the whole pytest suite (unit, integration, connectors, app, e2e)
test: $(VENV)/.dev chromium
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

doctor: $(VENV)/.runtime
	$(PY) -m app doctor

# Debian's chromium for the browser tests (never `playwright install`), and a CJK font
# so that screenshots of the Chinese pages are legible (a missing font is only a warning).
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
APT_GET := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq
chromium:
	@if [ "$$(id -u)" = 0 ] && { [ ! -x /usr/bin/chromium ] || [ ! -f $(CJK_FONT) ]; }; then \
	  apt-get update -qq && $(APT_GET) chromium fonts-wqy-zenhei; \
	fi
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "make test needs /usr/bin/chromium: run 'sudo apt-get install chromium'" >&2; exit 1; \
	fi
	@[ -f $(CJK_FONT) ] || echo "note: no CJK font (fonts-wqy-zenhei); Chinese screenshots will show boxes" >&2

clean-venv:
	rm -rf $(VENV)
