# Two commands do all the set-up on a fresh machine with Python 3.11 and make:
#   make demo   — environment, database, seed notice units and demo data, server and scheduler
#   make test   — environment, then lint and the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test venv setup lint format browser-test clean

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "需要 Python 3.11 或更新版本"'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: venv
	OVERSIGHT_MODE=demo $(BIN)/oversight setup

demo: setup
	OVERSIGHT_MODE=demo $(BIN)/oversight demo --host $(HOST) --port $(PORT)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: venv lint
	OVERSIGHT_MODE=test $(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var/static
