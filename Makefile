# Two commands do all the set-up on a fresh machine with Python 3.11 and make:
#   make demo   — environment, database, seed notice units and demo data, server and scheduler
#   make test   — environment, then lint and the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Production's pins (requirements/base.lock) for the platform; the test tools (dev.lock) only for
# `make test`. Both are pinned with hashes: pip refuses a file that does not match.
STAMP := $(VENV)/.installed-$(shell cat requirements/base.lock pyproject.toml | cksum | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.dev-$(shell cat requirements/dev.lock pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test test-dates test-cluster venv venv-dev setup lint format browser-test clean lock

venv: $(STAMP)

$(STAMP): requirements/base.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "需要 Python 3.11 或更新版本"'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/base.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

venv-dev: $(DEV_STAMP)

$(DEV_STAMP): $(STAMP) requirements/dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.lock
	@rm -f $(VENV)/.dev-*
	@touch $@

# Re-pin after editing requirements/*.in (needs pip-tools, outside the project's venv).
lock:
	cd requirements && pip-compile -q --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o base.lock base.in
	cd requirements && pip-compile -q --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o dev.lock dev.in

setup: venv
	OVERSIGHT_MODE=demo $(BIN)/oversight setup

demo: setup
	OVERSIGHT_MODE=demo $(BIN)/oversight demo --host $(HOST) --port $(PORT)

lint: venv-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint --lint oversight

format: venv-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: venv lint
	$(BIN)/lint-imports --no-cache
	OVERSIGHT_MODE=test $(BIN)/oversight makemigrations --check --dry-run
	OVERSIGHT_MODE=test $(BIN)/pytest $(PYTEST_ARGS)

# The platform's processes as a small cluster on 127.0.0.1 (tests/cluster): two web nodes, two
# workers, two schedulers and an S3 server (moto's), against the PostgreSQL in DATABASE_URL and
# Redis on port 6379. `make test` runs it too when both are there (CI), and skips it otherwise.
test-cluster: venv-dev
	OVERSIGHT_REQUIRE_CLUSTER=1 $(BIN)/pytest tests/cluster -q -p no:randomly

# The date-sensitive tests again as of next year's first week of January and 1 July, so a test or
# the demo data that only works in part of the year fails before that part of the year comes.
NEXT_YEAR := $(shell echo $$(( $$(date +%Y) + 1 )))
test-dates: venv-dev
	OVERSIGHT_MODE=test OVERSIGHT_TEST_TODAY=$(NEXT_YEAR)-01-05 $(BIN)/pytest -m date_sensitive -q -p no:randomly
	OVERSIGHT_MODE=test OVERSIGHT_TEST_TODAY=$(NEXT_YEAR)-07-01 $(BIN)/pytest -m date_sensitive -q -p no:randomly

clean:
	rm -rf $(VENV) var/static
