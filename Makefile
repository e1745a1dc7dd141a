PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
STAMP_BENCH := $(VENV)/.installed-bench

.PHONY: run test smoke lint bench references trajectories clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(VENV)/bin/trainer run configs/seed.yaml

test: $(STAMP_TEST)
	$(VENV)/bin/ruff check trainer tests tools benchmarks
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest

# The default install alone (no extras, so no pytest) in its own venv: every README command must work there.
SMOKE_VENV := .venv-smoke
SMOKE_PY := $(SMOKE_VENV)/bin/python
STAMP_SMOKE := $(SMOKE_VENV)/.installed

$(STAMP_SMOKE): pyproject.toml
	rm -rf $(SMOKE_VENV)
	$(PYTHON) -m venv $(SMOKE_VENV)
	$(SMOKE_PY) -m pip install --quiet --upgrade pip
	$(SMOKE_PY) -m pip install --quiet -e .
	touch $@

smoke: $(STAMP_SMOKE)
	$(SMOKE_PY) tools/smoke.py

lint: $(STAMP_TEST)
	$(VENV)/bin/ruff check trainer tests tools benchmarks
	$(VENV)/bin/lint-imports --no-cache

$(STAMP_BENCH): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@ $(STAMP_TEST) $(STAMP_RUN)

# `make bench` runs in the project venv (no PyTorch: its columns are skipped with a note).
# `make bench BENCH_TORCH=1` runs it in .venv-bench: the project plus torch==2.13.0, for the PyTorch columns.
# BENCH_ARGS passes options, e.g. BENCH_ARGS="--baseline-engine ../wt-base --only seed,mlp,deep".
BENCH_VENV := .venv-bench
STAMP_BENCH_TORCH := $(BENCH_VENV)/.installed-bench-torch

$(STAMP_BENCH_TORCH): pyproject.toml
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet -e '.[test,bench]' torch==2.13.0
	touch $@

ifeq ($(BENCH_TORCH),1)
bench: $(STAMP_BENCH_TORCH)
	$(BENCH_VENV)/bin/python -m benchmarks.run $(BENCH_ARGS)
else
bench: $(STAMP_BENCH)
	$(PY) -m benchmarks.run $(BENCH_ARGS)
endif

# The README's picture: optimizer paths on Rosenbrock (configs/rosenbrock.yaml's compare: list).
trajectories: $(STAMP_RUN)
	$(VENV)/bin/trainer compare configs/rosenbrock.yaml --out runs/trajectories-rosenbrock -q
	mkdir -p docs
	cp runs/trajectories-rosenbrock/trajectories.png docs/trajectories-rosenbrock.png

# PyTorch's reference values: TORCH_PYTHON is an interpreter with torch==2.13.0 and numpy installed.
TORCH_PYTHON ?= python3
references:
	$(TORCH_PYTHON) tools/make_references.py

clean:
	rm -rf $(VENV) $(SMOKE_VENV) $(BENCH_VENV) .pytest_cache .ruff_cache
