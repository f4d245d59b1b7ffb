# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
# Both create .venv/ when missing and are safe to re-run.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.drift-installed

.PHONY: install browser check demo test bench weights clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch first, pinned: an unpinned torch pulls a multi-GB CUDA build.
$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/drift compare examples/seeds/*.txt

# The HTML report is tested in a real headless browser: Debian's chromium and its driver.
# Installed only when missing; without root the browser tests skip (and fail on CI).
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "make: chromium missing and not root: browser tests will skip (apt-get install chromium chromium-driver)" >&2; fi; \
	fi

# Lint and type checks first: they take seconds and catch what the suite would take minutes to.
check: install
	$(BIN)/ruff check drift tests benchmarks docs
	$(BIN)/mypy drift

test: install browser check
	$(BIN)/python -m pytest

# Every benchmark: results.json, results.md and plots in bench-out/ (data from ../shared when present).
bench: install
	$(BIN)/drift bench --out bench-out

# The learned scorer's weights, rebuilt exactly from ../shared (benchmarks/README.md, "Learned scorer").
weights: install
	$(BIN)/python benchmarks/train_scorer.py

clean:
	rm -rf $(VENV) build *.egg-info
