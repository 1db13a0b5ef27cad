# Two commands for a fresh machine: `make lab` (set up, open JupyterLab) and `make test`.
# Windows without make: see README.md for the plain pip / jupyter commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Jupyter refuses to run as root unless told; only then is the flag added
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

.PHONY: setup lab test test-fast test-browser browser-deps app demo bench lint format clean bundle bundle-check

setup: $(STAMP)

# uv resolves and downloads in parallel (a cold set-up in about a third of pip's time) and, like
# pip, compiles the .pyc files at install (an old package's SyntaxWarning then never shows); where
# uv cannot be had or fails (a pip mirror that only pip.conf knows), plain pip does the same.
$(STAMP): pyproject.toml jupyter/lab/settings/overrides.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	( $(BIN)/python -m pip install --quiet --disable-pip-version-check uv && \
	  $(BIN)/python -m uv pip install --compile-bytecode --python $(BIN)/python --upgrade pip -e ".[dev]" ) || \
	( $(BIN)/python -m pip install --upgrade pip && $(BIN)/python -m pip install -e ".[dev]" )
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (xinfang)"
	$(BIN)/python tools/install_lab_settings.py
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks $(ROOT_FLAG)

# lint-imports: the layers contract of pyproject.toml (docs/architecture.md); an upward import fails
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

test: $(STAMP) lint
	$(BIN)/python -m pytest -m "not browser"

# While working: lint, then the tests without the slow ones (the notebook runs, the Voila page, the
# command line end to end, large generated data: listed in tests/slow_tests.py), on every core
# (pytest-xdist): about 60 CPU-seconds in one process, 75 in two. On a busy machine one process is
# quicker: `make test-fast FAST_WORKERS=0`. `make test` still runs them all.
FAST_WORKERS ?= auto
test-fast: $(STAMP) lint
	$(BIN)/python -m pytest -m "not slow and not browser" -q -n $(FAST_WORKERS)

# The browser test needs Debian's chromium and a CJK font for the page (`make browser-deps`, as root).
browser-deps:
	(command -v chromium >/dev/null 2>&1 && fc-list :lang=zh | grep -q .) || \
		(apt-get update && apt-get install -y chromium fonts-wqy-microhei)

test-browser: $(STAMP)
	$(BIN)/python -m pytest -m browser

# Voila with the package's page template: localhost only, nothing fetched from outside servers
app: $(STAMP)
	$(BIN)/python -m xinfang_toolkit.widgets.app notebooks/04_数据看板.ipynb

# exit code 1 = data problems were reported (out/ lists them) but the outputs were written
demo: $(STAMP)
	$(BIN)/xinfang load sample_data -o out/ || [ $$? -eq 1 ]
	$(BIN)/xinfang report sample_data -o out/report.docx --xlsx out/report.xlsx || [ $$? -eq 1 ]

# each script's figures are printed and written to benchmarks/results/<date>_bench_x.txt with the
# machine, versions and commit (benchmarks/_timing.py)
bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python benchmarks/_timing.py $$f || exit 1; done

# The offline bundle for machines without network (downloads the wheels; see tools/bundle.py)
bundle: $(STAMP)
	$(BIN)/python tools/bundle.py

# Builds the bundle, then installs and uses it with no network (`unshare -n` as root)
bundle-check: $(STAMP)
	$(BIN)/python tools/bundle_check.py

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache .hypothesis
