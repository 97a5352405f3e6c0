# wirewatch: `make demo` runs the whole system on the seed article; `make test` runs every test.
# Both install what they need first (idempotent: a second run is quick and works offline).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=
# The native rule matcher (Rust, PyO3): built into the venv when cargo is there.
NATIVE       := native/wirewatch_match
NATIVE_STAMP := $(VENV)/.native-installed
NATIVE_SRC   := $(NATIVE)/Cargo.toml $(NATIVE)/Cargo.lock $(NATIVE)/pyproject.toml $(wildcard $(NATIVE)/src/*.rs)
# make test / make unit fail (instead of skipping) when the native matcher is not importable;
# WIREWATCH_REQUIRE_NATIVE=0 make test runs them on a machine without Rust.
WIREWATCH_REQUIRE_NATIVE ?= 1
export WIREWATCH_REQUIRE_NATIVE

.PHONY: install native jars tools demo test unit lint format broker-start broker-stop clean

install: $(STAMP) native jars tools

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

# Rebuilt only when its sources change (cargo keeps crates in ~/.cargo, so a rebuild works
# offline); about a minute the first time. Without cargo: a note, and the pure-Python matcher.
native: $(NATIVE_STAMP)

$(NATIVE_STAMP): $(STAMP) $(NATIVE_SRC)
	@if command -v cargo >/dev/null 2>&1; then \
	  echo "make: building the native rule matcher ($(NATIVE))"; \
	  PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pip install --quiet --disable-pip-version-check \
	    --no-build-isolation --force-reinstall --no-deps ./$(NATIVE) </dev/null && touch $@; \
	else \
	  echo "make: cargo not found: native rule matcher not built (rules match in pure Python)"; \
	fi

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

unit: $(STAMP) native
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
