# All set-up lives here: `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
OUT    ?= demo_output
# Only folders present in the checkout (a fresh clone has no empty folders).
CODE   := hgcredit tests setup.py $(wildcard benchmarks sample_data templates docs)

.PHONY: install demo test lint format bench sample-data templates pictures clean

$(STAMP): pyproject.toml setup.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "需要 Python 3.11 或更高版本")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	@touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check $(CODE)
	$(VENV)/bin/ruff format --check $(CODE)
	$(VENV)/bin/mypy hgcredit

format: $(STAMP)
	$(VENV)/bin/ruff check --fix $(CODE)
	$(VENV)/bin/ruff format $(CODE)

test: lint
	$(PY) -m pytest hgcredit tests

demo: $(STAMP)
	@bash sample_data/demo.sh $(VENV)/bin/hgcredit $(OUT)

sample-data: $(STAMP)
	$(PY) sample_data/make_sample_data.py

bench: $(STAMP)
	$(PY) benchmarks/bench_doublea.py
	$(PY) benchmarks/bench_startup.py
	$(PY) benchmarks/bench_ratings.py
	$(PY) benchmarks/bench_summary.py
	$(PY) benchmarks/bench_reconcile.py
	$(PY) benchmarks/bench_notice.py
	$(PY) benchmarks/bench_month.py

# The notices' Word templates, rebuilt from templates/build_templates.py (same bytes each time).
templates: $(STAMP)
	$(PY) templates/build_templates.py

# The README's pictures (docs/*.png): needs LibreOffice and poppler (see docs/pictures.py).
pictures: $(STAMP)
	$(PY) docs/pictures.py
	bash docs/render_summary.sh $(VENV)/bin/hgcredit

clean:
	rm -rf $(VENV) $(OUT) build *.egg-info
