# Recueil: every task of the project. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.DEFAULT_GOAL := help

.PHONY: help install node-deps system-deps serve build check lint typecheck test bench clean

help: ## List the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: $(BIN)/.installed ## Create .venv and install the project with its test tools

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

node-deps: node_modules/.installed ## Install the test-only npm packages (axe-core) from package-lock.json

system-deps: ## Install the Debian packages the tests need (as root), or say which are missing
	@scripts/system-deps.sh

serve: install ## Serve the site at http://127.0.0.1:8000, rebuilt on every change
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: install ## Build the site into site/ (strict: any warning fails)
	$(BIN)/mkdocs build --strict

check: install ## Check every practice sheet (recueil check)
	$(BIN)/recueil check

lint: install ## Lint the code with ruff
	$(BIN)/ruff check hooks tests scripts

typecheck: install ## Type-check the core with mypy (strict)
	$(BIN)/mypy

test: install node-deps system-deps lint typecheck ## Everything: lint, types, the whole test suite
	$(BIN)/pytest

bench: install system-deps ## Explorer benchmark at 5,000 practices (Markdown table)
	$(BIN)/python scripts/bench_explorer.py

clean: ## Remove the built site and caches (keeps .venv)
	rm -rf site .pytest_cache .mypy_cache .ruff_cache
