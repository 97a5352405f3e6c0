# wirewatch: `make demo` runs the whole system on the seed article; `make test` runs every test.
# Both install what they need first (idempotent: a second run is quick and works offline).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: install jars tools demo test unit lint format broker-start broker-stop clean

install: $(STAMP) jars tools

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

# Kafka 4.1.1 jars from Maven Central into .cache/kafka-libs (skipped when already there).
jars: $(STAMP)
	@$(BIN)/wirewatch broker jars

# Tools some tests use beside the Python ones: kcat (a Kafka client nobody here wrote) from Debian,
# kubeconform for the k8s manifests from the Go proxy. Best effort: the tests that need them say
# why they skip when a tool cannot be had on a machine.
KUBECONFORM := .cache/bin/kubeconform
tools: $(KUBECONFORM)
	@command -v kcat >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat) >/dev/null 2>&1 || \
	  echo "make: kcat not installed (tests that use it will skip)"; }

$(KUBECONFORM):
	@command -v go >/dev/null 2>&1 && GOBIN=$(CURDIR)/.cache/bin GOFLAGS=-mod=mod go install \
	  github.com/yannh/kubeconform/cmd/kubeconform@v0.8.0 >/dev/null 2>&1 || \
	  echo "make: kubeconform not installed (the k8s schema check with it will skip)"

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
