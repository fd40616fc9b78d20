# Two commands a newcomer needs: `make run` (demo) and `make test` (test suite).
# Both create and fill .venv on first use; nothing has to be installed by hand.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

NATIVE := backend_client/store/_native/.tried
STORE_SOURCES := $(wildcard backend_client/store/*.py protocol/*.py) tools/build_native.py

.PHONY: run test lint bench clean translations native

$(STAMP): pyproject.toml
	@$(PYTHON) tools/check_python.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dev,postgres]'
	@touch $(STAMP)

# The case store compiled with mypyc (docs/architecture.md, "The store is compiled where it can be"): tried again when a
# source changes. Without a C compiler it fails, says so, and the store runs as Python: nothing else
# depends on it, and the store never loads a build older than its sources.
$(NATIVE): $(STAMP) $(STORE_SOURCES)
	@$(PY) tools/build_native.py || echo "the compiled store could not be built (above): the store runs as Python"
	@mkdir -p $(dir $(NATIVE)) && touch $(NATIVE)

native: $(NATIVE)

run: $(STAMP) $(NATIVE)
	$(PY) main.py $(ARGS)

test: $(STAMP) $(NATIVE)
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy protocol hub backend_client widgets views console main.py
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	$(PY) bench/feed_throughput.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
