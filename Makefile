# One task runner, the same locally and in CI. `make run` and `make test` set themselves up.
VENV   := .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
BSTAMP := $(VENV)/.installed-bench
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: setup run test test-sqlite test-postgres lint bench docs clean

$(STAMP): pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python.sh)" -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

$(BSTAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[dev,bench]'
	# polvader (language benchmark baseline): its declared deps pull torch/transformers, so no deps
	$(PY) -m pip install -q --no-deps 'polvader>=1.0.1,<2'
	@touch $(BSTAMP)

setup: $(STAMP)

## run: set up, load the register and the demo data into SQLite (first time only), serve on http://$(HOST):$(PORT)/
run: setup
	$(BIN)/ratusz migrate
	$(BIN)/ratusz registry load
	$(BIN)/ratusz demo --scale 1 --if-empty
	$(BIN)/ratusz language score-stored
	$(BIN)/ratusz serve --host $(HOST) --port $(PORT)

## test: the whole suite on SQLite, then on PostgreSQL when RATUSZ_TEST_POSTGRES is set
test: setup test-sqlite test-postgres

test-sqlite: setup
	$(BIN)/pytest -p no:cacheprovider

test-postgres: setup
	@if [ -n "$$RATUSZ_TEST_POSTGRES" ]; then \
	  echo "== the suite again on PostgreSQL ($$RATUSZ_TEST_POSTGRES)"; \
	  RATUSZ_DATABASE_URL="$$RATUSZ_TEST_POSTGRES" $(BIN)/pytest -p no:cacheprovider; \
	else \
	  echo "SKIPPED: the PostgreSQL run (set RATUSZ_TEST_POSTGRES=postgresql://postgres@127.0.0.1:5432/postgres to run it)"; \
	fi

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ratusz-manage makemigrations --check --dry-run

## bench: benchmarks printing figures (not timed tests); BENCH=import|ranking|collect|language|vote picks one
bench: $(BSTAMP)
	$(PY) -m benchmarks $(BENCH)

docs: setup
	$(BIN)/ratusz settings --markdown > docs/settings.md

clean:
	rm -rf $(VENV) var
