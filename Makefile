# Two entry points (README): `make demo` and `make test`. Both set up .venv themselves.
VENV   ?= .venv
PY     := $(VENV)/bin/python
TK     := $(VENV)/bin/toolkit
STAMP  := $(VENV)/.installed

.PHONY: setup demo test lint typecheck unit bench bench-long clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# CPU build of torch first: the [argos] extra (argostranslate, the reference path that
	# tests and benchmarks compare against) imports it, and an unpinned resolve would pull a
	# multi-GB CUDA build. The toolkit's own [mt] extra needs no torch.
	$(PY) -m pip install --quiet "torch==2.13.0"
	$(PY) -m pip install --quiet -e ".[mt,argos,dev,dask]"
	# Byte-code now, as a regular install does (an editable install leaves it to the first
	# import, and with PYTHONDONTWRITEBYTECODE set every command would compile every module).
	$(PY) -m compileall -q toolkit
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(TK) extract
	$(TK) update
	$(TK) compile
	$(TK) check
	$(TK) status
	$(TK) showcase --out out
	@echo "Catalogs: locales/messages.pot and locales/<locale>/LC_MESSAGES/messages.po/.mo"
	@echo "Rendered messages: open out/index.html in a browser (source and each locale side by side)"

lint: setup
	$(VENV)/bin/ruff check .

typecheck: setup
	$(VENV)/bin/mypy toolkit

unit: setup
	$(PY) -m pytest -q

test: lint typecheck unit

# One table of every ratio, written into docs/benchmarks.md (BENCH_ARGS= for default sizes).
BENCH_ARGS ?= --quick
bench: setup
	$(PY) benchmarks/bench_all.py $(BENCH_ARGS)

# The long per-area benchmarks (minutes each).
bench-long: setup
	$(PY) benchmarks/bench_translate.py
	$(PY) benchmarks/bench_render.py
	$(PY) benchmarks/bench_check.py
	$(PY) benchmarks/bench_review.py
	$(PY) benchmarks/bench_retention.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
