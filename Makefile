# Set-up is part of every target: a fresh machine with python3 needs only `make run` or `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
CORPUS ?= ../shared/corpus
SAMPLES := fixtures/synthetic

.PHONY: help install run test lint eval bench fixtures clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,dask]'
	touch $@

install: $(VENV)/.installed  ## create .venv and install the project with its test tools and Dask

.PHONY: deps report

deps:  ## install the Debian packages the browser tests drive (chromium, chromium-driver) when missing
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium chromium-driver)
	test -x /usr/bin/chromedriver || (apt-get update && apt-get install -y chromium-driver)

run: install  ## parse the bundled sample reports into output/
	$(VENV)/bin/govreport parse $(SAMPLES) -o output
	@echo "Output tables: $$(ls output/*.parquet output/*.csv | tr '\n' ' ')"

test: install  ## run the whole test suite (includes lint and the evaluation)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -q

lint: install  ## ruff
	$(VENV)/bin/ruff check .

eval: install  ## compare parses with the truth, cell by cell (exit 1 on any miss)
	$(PY) -m pipeline.evaluate $(SAMPLES) $(CORPUS)

bench: install  ## pages/s and peak memory against a plain pdfplumber pass
	$(PY) -m pipeline.benchmark $(CORPUS) $(SAMPLES)

fixtures: install  ## regenerate the synthetic reports (installs LibreOffice and a CJK font when missing)
	command -v soffice >/dev/null || (apt-get update && apt-get install -y libreoffice-writer-nogui fonts-noto-cjk)
	$(PY) fixtures/generate.py --out $(SAMPLES)

report: run  ## check the parsed samples and write output/report.html and output/report.xlsx
	$(VENV)/bin/govreport report output -o output/report.html

clean:  ## remove the virtual environment and outputs
	rm -rf $(VENV) output/*.parquet output/*.csv
