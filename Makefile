# wirewatch: `make demo` runs the whole system on the seed article; `make test` runs every test.
# Both install what they need first (idempotent: a second run is quick and works offline).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: install jars demo test unit lint format broker-start broker-stop clean

install: $(STAMP) jars

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

# Kafka 4.1.1 jars from Maven Central into .cache/kafka-libs (skipped when already there).
jars: $(STAMP)
	@$(BIN)/wirewatch broker jars

demo: install
	$(BIN)/wirewatch demo

# Starts the local broker unless WIREWATCH_KAFKA_BOOTSTRAP names one (or one already runs),
# runs unit + integration tests, and stops the broker it started, pass or fail.
test: install
	@started=0; \
	if [ -z "$$WIREWATCH_KAFKA_BOOTSTRAP" ] && ! $(BIN)/wirewatch broker status >/dev/null 2>&1; then \
	  $(BIN)/wirewatch broker start || exit 1; started=1; \
	fi; \
	rc=0; $(BIN)/pytest -q -rfEs $(PYTEST_ARGS) || rc=$$?; \
	if [ $$started = 1 ]; then $(BIN)/wirewatch broker stop; fi; \
	exit $$rc

unit: $(STAMP)
	$(BIN)/pytest -q -m "not integration" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check services tests
	$(BIN)/ruff format --check services tests

format: $(STAMP)
	$(BIN)/ruff format services tests
	$(BIN)/ruff check --fix services tests

broker-start: install
	$(BIN)/wirewatch broker start

broker-stop: $(STAMP)
	$(BIN)/wirewatch broker stop

clean:
	-$(BIN)/wirewatch broker stop
	rm -rf .wirewatch .pytest_cache .ruff_cache
