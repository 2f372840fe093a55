# Two commands do all the set-up on a fresh machine with Python 3.11 and make:
#   make demo   — environment, database, seed notice units and demo data, server and scheduler
#   make test   — environment, then lint and the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test test-dates venv setup lint format browser-test clean

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
	$(BIN)/lint-imports --no-cache
	OVERSIGHT_MODE=test $(BIN)/oversight makemigrations --check --dry-run
	OVERSIGHT_MODE=test $(BIN)/pytest $(PYTEST_ARGS)

# The date-sensitive tests again as of next year's first week of January and 1 July, so a test or
# the demo data that only works in part of the year fails before that part of the year comes.
NEXT_YEAR := $(shell echo $$(( $$(date +%Y) + 1 )))
test-dates: venv
	OVERSIGHT_MODE=test OVERSIGHT_TEST_TODAY=$(NEXT_YEAR)-01-05 $(BIN)/pytest -m date_sensitive -q -p no:randomly
	OVERSIGHT_MODE=test OVERSIGHT_TEST_TODAY=$(NEXT_YEAR)-07-01 $(BIN)/pytest -m date_sensitive -q -p no:randomly

clean:
	rm -rf $(VENV) var/static
