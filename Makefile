# Two commands: `make run` starts the whole system with demo data, `make test` runs every test.
# Needs only Python >= 3.11 and make: uv is installed into .tools/ and builds .venv from uv.lock.
PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .tools/bin/uv
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test lint fmt env bench clean

run: .venv/.synced
	.venv/bin/thidua up

test: .venv/.synced
	.venv/bin/ruff check .
	.venv/bin/lint-imports
	.venv/bin/mypy .
	.venv/bin/pytest

lint: .venv/.synced
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports
	.venv/bin/mypy .

bench: .venv/.synced
	.venv/bin/python bench/scoring.py

fmt: .venv/.synced
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

env: .venv/.synced

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	@touch $@

clean:
	rm -rf .venv .tools
