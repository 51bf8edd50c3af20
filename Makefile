# `make demo` and `make test` do their own set-up: a .venv in this checkout, the project
# installed into it, and (for tests) a redis-server binary. Both are idempotent.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.driftq-installed
PYTEST_ARGS ?=

DEMO_STAMP := $(VENV)/.driftq-demo-installed
# the image's dependencies, pinned with hashes (Dockerfile: pip install --require-hashes)
IMAGE_EXTRAS := --extra cluster --extra postgres --extra metrics

.PHONY: demo test lint setup bench lock clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "driftq needs Python 3.11 or newer")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

# the demo needs only the package and its AWS emulator (the `demo` extra)
$(DEMO_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "driftq needs Python 3.11 or newer")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -e '.[demo]'
	@touch $(DEMO_STAMP)

demo: $(DEMO_STAMP)
	$(VENV)/bin/driftq demo

lint: $(STAMP)
	$(PY) -m ruff check driftq workers tests benchmarks
	$(PY) -m ruff format --check driftq workers tests benchmarks
	$(PY) -m mypy

test: $(STAMP)
	@scripts/ensure-services
	$(PY) -m ruff check driftq workers tests benchmarks
	$(PY) -m mypy
	$(PY) -m pytest -n 2 --dist loadfile -q $(PYTEST_ARGS)

bench: $(STAMP)
	@scripts/ensure-services
	$(PY) -m benchmarks.run_all

# uv compiles the lock; installed here only, the tests do not need it
lock: $(STAMP)
	@$(PY) -m pip install --quiet --disable-pip-version-check 'uv>=0.4'
	$(VENV)/bin/uv pip compile pyproject.toml $(IMAGE_EXTRAS) --universal --python-version 3.11 \
		--generate-hashes --quiet -o requirements.lock

clean:
	rm -rf $(VENV) reports .pytest_cache
