# Recueil: every task of the project. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.DEFAULT_GOAL := help

.PHONY: help install npm vendor system-deps serve build pdf check lint typecheck test bench bench-explorer bench-pdf clean

help: ## List the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: $(BIN)/.installed ## Create .venv and install the project with its test tools

# --ignore-scripts: vnu-jar's install script would download a Java runtime where none is installed.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

npm: node_modules/.installed ## Install the npm packages: axe-core and vnu-jar (tests), ajv-dist (vendored for the form)

vendor: npm ## Copy the browser libraries into docs/assets/vendor/ (committed: the site builds without npm)
	cp node_modules/ajv-dist/dist/ajv2020.min.js docs/assets/vendor/ajv2020.min.js

system-deps: ## Install the Debian packages the tests need (as root), or say which are missing
	@scripts/system-deps.sh

serve: install ## Serve the site at http://127.0.0.1:8000, rebuilt on every change
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: install ## Build the site into site/ (strict: any warning fails)
	$(BIN)/mkdocs build --strict

pdf: install ## Write the compendium PDFs (recueil.pdf, one per theme) into site/ without building the site
	$(BIN)/python scripts/build_pdf.py site

check: install ## Check every practice sheet (recueil check)
	$(BIN)/recueil check

lint: install ## Lint and format-check the code with ruff (`ruff format hooks tests scripts` fixes the format)
	$(BIN)/ruff check hooks tests scripts
	$(BIN)/ruff format --check hooks tests scripts

typecheck: install ## Type-check the core with mypy (strict)
	$(BIN)/mypy

test: install npm system-deps lint typecheck ## Everything: lint, types, the whole test suite
	$(BIN)/pytest

bench: install ## Benchmark 100 / 1,000 synthetic practices (validation at 5,000), against plain Material (prints Markdown tables, several minutes)
	$(BIN)/python scripts/bench.py

bench-explorer: install system-deps ## Explorer benchmark at 5,000 practices: facet click time, filter data size
	$(BIN)/python scripts/bench_explorer.py

bench-pdf: install system-deps ## PDF benchmark: time and peak memory, real collection and 500 practices
	$(BIN)/python scripts/bench_pdf.py

clean: ## Remove the built site and caches (keeps .venv)
	rm -rf site .cache .pytest_cache .mypy_cache .ruff_cache
