# Set-up is part of every target: a fresh machine with python3 needs only `make run` or `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
CORPUS ?= ../shared/corpus
SAMPLES := fixtures/synthetic
FORMATS := fixtures/formats

.PHONY: help install run test lint eval eval-robust bench bench-stages bench-instructions bench-archive bench-corpus bench-report bench-formats fixtures formats-deps clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,dask]'
	touch $@

install: $(VENV)/.installed  ## create .venv and install the project with its test tools and Dask

.PHONY: deps tools robust-deps report

deps: formats-deps  ## install the Debian packages the tests drive (chromium, chromium-driver, LibreOffice, pandoc, Ghostscript, ImageMagick) when missing
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium chromium-driver)
	(command -v gs && command -v convert) >/dev/null || (apt-get update && apt-get install -y ghostscript imagemagick)
	test -x /usr/bin/chromedriver || (apt-get update && apt-get install -y chromium-driver)
	command -v pandoc >/dev/null || (apt-get update && apt-get install -y pandoc)

formats-deps:  ## install LibreOffice and a CJK font (reads .doc/.wps, makes the fixtures) when missing
	command -v soffice >/dev/null || (apt-get update && apt-get install -y libreoffice-writer-nogui fonts-noto-cjk)

run: install  ## parse the bundled sample reports into output/
	$(VENV)/bin/govreport parse $(SAMPLES) -o output
	@echo "Output tables: $$(ls output/*.parquet output/*.csv output/datapackage.json | tr '\n' ' ')"

tools:  ## install the programs the tests drive where this machine lets us (root with apt-get); otherwise their tests skip
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		$(MAKE) --no-print-directory deps || echo "could not install LibreOffice / Chromium / pandoc: the tests that drive them skip"; \
	else echo "not root with apt-get: tests that need LibreOffice, Chromium or pandoc skip where those are missing"; fi

test: install tools lint  ## run the whole test suite (after lint; includes the evaluation)
	$(VENV)/bin/pytest -q

lint: install  ## ruff, the layering contracts (lint-imports) and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

eval: install tools  ## compare parses with the truth, cell by cell (exit 1 on any miss); OCRs the scans in fixtures/formats
	$(PY) -m pipeline.measure.evaluate $(SAMPLES) $(FORMATS) $(CORPUS)

ROBUST ?= build/robust

robust-deps: deps  ## also what the robustness set's other producers use (ocrmypdf with Tesseract's Chinese), when missing
	command -v ocrmypdf >/dev/null || (apt-get update && apt-get install -y ocrmypdf tesseract-ocr tesseract-ocr-chi-sim)

eval-robust: install robust-deps  ## degrade synthetic reports along every axis (fixtures/robust.py), score per axis and level
	rm -rf $(ROBUST)
	$(PY) fixtures/robust.py --out $(ROBUST)
	$(PY) -m pipeline.measure.evaluate --robust $(ROBUST)

bench: install  ## pages/s and peak memory against a plain pdfplumber pass
	$(PY) -m pipeline.measure.benchmark $(CORPUS) $(SAMPLES)

bench-stages: install  ## CPU per page of each stage of parse_file, per folder, beside pdfium's floor
	$(PY) -m pipeline.measure.stages $(CORPUS) $(SAMPLES)

bench-instructions: install  ## instructions per page of parse_file and the floor under callgrind (needs valgrind): compares versions on a shared host
	$(PY) -m pipeline.measure.instructions $(CORPUS) $(SAMPLES) --sides ours,floor

bench-archive: install  ## seconds and peak memory of the end of a batch (whole-batch step, CSV/DuckDB copies), 20,000 reports
	$(PY) -m pipeline.measure.benchmark_archive $(CORPUS) $(SAMPLES) --reports 20000

bench-corpus: install  ## batch over 2,000 documents in the archive's mix of formats (a tenth scans): per format, 1 and 2 workers, Dask, 100,000-report projection
	$(PY) -m pipeline.measure.benchmark_corpus $(SAMPLES) $(FORMATS) $(CORPUS) --documents 2000

bench-report: install  ## build time and size of the oversight report and its crops on the sample set
	$(PY) -m pipeline.measure.evidence_bench $(SAMPLES) $(FORMATS) $(CORPUS)

bench-formats: install  ## OCR seconds per page, documents/s of .docx, .html and .doc
	$(PY) -m pipeline.measure.benchmark --formats $(FORMATS) $(SAMPLES)

fixtures: install formats-deps  ## regenerate the synthetic reports and the other formats made from them
	$(PY) fixtures/generate.py --out $(SAMPLES)
	$(PY) fixtures/formats.py --synthetic $(SAMPLES) --out $(FORMATS)

report: run  ## check the parsed samples and write output/report.html and output/report.xlsx
	$(VENV)/bin/govreport report output -o output/report.html

clean:  ## remove the virtual environment and outputs
	rm -rf $(VENV) output/*.parquet output/*.csv output/report.html output/report.xlsx
