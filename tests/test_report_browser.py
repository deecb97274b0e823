"""The oversight report in a real headless browser (Debian's chromium and chromium-driver).

The corpus is parsed and reported through the CLI; the page must load without console errors,
show the corpus findings, filter and sort them, and never run script from a document. A
screenshot is kept in test-artifacts/. In CI (CI=true) a missing browser fails the run
instead of skipping it: `make deps` installs it.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import viewbuilders as vb
from click.testing import CliRunner
from conftest import CORPUS, ROOT, needs_corpus

from pipeline.cli import cli
from pipeline.output.write import to_arrow, write_tables

CHROMEDRIVER = Path("/usr/bin/chromedriver")
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
ARTIFACTS = ROOT / "test-artifacts"
BROWSER_ARGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,1000")


def _missing_browser() -> str | None:
    """Return what is missing to drive the browser, or None."""
    if importlib.util.find_spec("selenium") is None:
        return "selenium is not installed (pip install -e '.[dev]')"
    if shutil.which("chromium") is None:
        return "chromium is not installed"
    if not CHROMEDRIVER.is_file():
        return f"{CHROMEDRIVER} is not installed"
    return None


@pytest.fixture(scope="module")
def driver():
    missing = _missing_browser()
    if missing and IN_CI:
        pytest.fail(f"{missing}; CI runs the browser tests (`make deps` installs chromium and chromium-driver)")
    if missing:
        pytest.skip(f"{missing} (not in CI, so the browser tests are skipped): `make deps` installs the browser")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    profile = tempfile.mkdtemp(prefix="govreport-chromium-")
    for argument in (*BROWSER_ARGS, f"--user-data-dir={profile}"):
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # Service with an explicit driver path: Selenium Manager is skipped, nothing is downloaded.
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield browser
    browser.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus-output")
    runner = CliRunner()
    assert runner.invoke(cli, ["parse", str(CORPUS), "-o", str(out)]).exit_code == 0
    run = runner.invoke(cli, ["report", str(out), "-o", str(out / "report.html")])
    assert run.exit_code == 0, run.output
    return out / "report.html"


def _visible(driver, selector: str = "#findings-table tbody tr"):
    return [row for row in driver.find_elements("css selector", selector) if row.is_displayed()]


def _severe(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


@needs_corpus
def test_the_corpus_report_in_a_browser(driver, corpus_report):
    driver.get(corpus_report.as_uri())
    assert _severe(driver) == []
    assert driver.title.startswith("政府信息公开工作年度报告")
    rows = _visible(driver)
    assert len(rows) == len(driver.find_elements("css selector", "#findings-table tbody tr")) > 0
    errors = driver.find_elements("css selector", '#findings-table tr[data-severity="error"]')
    assert [e.get_attribute("data-rule") for e in errors] == ["review_litigation.total"] * 2
    assert all("洪泽区" in e.text for e in errors)
    assert "行政复议 总计 printed 0, parts sum to 11 (p.4)" in errors[0].text
    # Every picture of the page loads, and each error beside its printed cells has its crop.
    loaded = driver.execute_script("return Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)")
    assert loaded
    assert all(loaded)
    assert all(e.find_elements("css selector", "img") for e in errors)

    ARTIFACTS.mkdir(exist_ok=True)
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(1400, min(height + 50, 8000))
    assert driver.save_screenshot(str(ARTIFACTS / "report-corpus.png"))


@needs_corpus
def test_the_filter_box_narrows_the_findings(driver, corpus_report):
    driver.get(corpus_report.as_uri())
    total = len(_visible(driver))
    box = driver.find_element("id", "filter")
    box.send_keys("review_litigation.total error")
    assert len(_visible(driver)) == 2
    assert driver.find_element("id", "shown").text == f"2 of {total} findings shown"
    box.clear()
    box.send_keys(" ")  # an input event with an empty query shows every row again
    assert len(_visible(driver)) == total
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", "severity")).select_by_value("warning")
    warnings = _visible(driver)
    assert warnings
    assert {r.get_attribute("data-severity") for r in warnings} == {"warning"}
    assert _severe(driver) == []


@needs_corpus
def test_clicking_a_header_sorts_the_findings(driver, corpus_report):
    driver.get(corpus_report.as_uri())
    headers = driver.find_elements("css selector", "#findings-table thead th")
    page_header = next(h for h in headers if h.text.startswith("Page"))

    def pages() -> list[float]:
        values = [r.find_elements("tag name", "td")[4].get_attribute("data-sort") for r in _visible(driver)]
        return [float(v) for v in values if v]

    page_header.click()
    assert page_header.get_attribute("aria-sort") == "ascending"
    ascending = pages()
    assert ascending == sorted(ascending)
    assert ascending
    page_header.click()
    assert page_header.get_attribute("aria-sort") == "descending"
    assert pages() == sorted(ascending, reverse=True)
    rule_header = next(h for h in headers if h.text.startswith("Rule"))
    rule_header.click()
    rules = [r.find_elements("tag name", "td")[2].text for r in _visible(driver)]
    assert rules == sorted(rules)
    assert _severe(driver) == []


def test_markup_in_a_document_stays_text(driver, tmp_path):
    rows = vb.report("evil", agency="<script>alert(1)</script>人民政府")
    rows = vb.with_cell(rows, "review_litigation", "administrative_review", "total", 0)
    for section in rows["sections"]:
        section["heading"] = "<img src=x onerror=alert(2)>"
    rows = vb.with_text(rows, "problems_improvements", "无")
    write_tables(tmp_path, {name: to_arrow(name, rows[name]) for name in ("documents", "sections", "records")})
    run = CliRunner().invoke(cli, ["report", str(tmp_path), "-o", str(tmp_path / "report.html")])
    assert run.exit_code == 0, run.output
    driver.get((tmp_path / "report.html").as_uri())
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018  (reading it is what raises when there is none)
    assert driver.find_elements("css selector", "#findings-table script") == []
    pictures = driver.find_elements("css selector", "#findings-table img")  # only the crops of printed cells
    assert all(p.get_attribute("src").startswith("data:image/png;base64,") for p in pictures)
    assert "<script>alert(1)</script>人民政府" in driver.find_element("id", "findings-table").text
    assert "<img src=x onerror=alert(2)>" in driver.find_element("id", "findings-table").text
    assert _severe(driver) == []


def test_the_coverage_heat_table_and_to_act_list_in_a_browser(driver, tmp_path):
    from test_compliance import run_coverage, write_output

    out = write_output(tmp_path)
    run_coverage(out)
    assert CliRunner().invoke(cli, ["report", str(out), "-o", str(out / "report.html")]).exit_code == 0
    driver.get((out / "report.html").as_uri())
    assert _severe(driver) == []
    heat = driver.find_element("css selector", "table.coverage-heat")
    assert heat.is_displayed()
    rows = {r.find_elements("tag name", "td")[0].text: [td.text for td in r.find_elements("tag name", "td")[1:]]
            for r in heat.find_elements("css selector", "tbody tr") if r.find_elements("tag name", "td")}
    assert rows["福建省福州市平潭综合实验区"] == ["missing", "late", "missing"]
    assert rows["江苏省淮安市洪泽区人民政府"] == ["published"] * 3
    items = [li.text for li in driver.find_elements("css selector", "ul.to-act li")]
    assert "福建省福州市平潭综合实验区 2023: late, published 2024-03-08" in items
    assert len(items) == 6


@pytest.fixture
def urgent_report(tmp_path):
    """A report of four documents: a failed file, a refused archive member, a report in doubt, a good one."""
    good = vb.with_cell(vb.report("good2023"), "review_litigation", "administrative_review", "total", 0)
    doubt = vb.with_document(vb.report("doubt2022", 2022), status="needs_review",
                             error="applications (表三 依申请公开, read as ocr): its printed cells break "
                                   "applications.balance")
    rows = vb.merged(good, doubt)
    rows["documents"] += [
        {"doc_id": None, "source_path": "/in/broken.pdf", "status": "failed", "error": "empty file (0 bytes)"},
        {"doc_id": None, "source_path": "/in/a.zip!../x.pdf", "status": "failed",
         "error": "unsafe path in zip archive (absolute or ../, zip-slip): ../x.pdf"},
    ]
    write_tables(tmp_path, {name: to_arrow(name, rows[name]) for name in ("documents", "sections", "records")})
    run = CliRunner().invoke(cli, ["report", str(tmp_path), "-o", str(tmp_path / "report.html")])
    assert run.exit_code == 0, run.output
    return tmp_path / "report.html"


def _column(driver, table: str, index: int) -> list[str]:
    return [r.find_elements("css selector", "td, th")[index].text for r in _visible(driver, f"#{table} tbody tr")]


def test_failed_reports_show_their_reason_and_every_table_sorts_and_filters(driver, urgent_report):
    driver.get(urgent_report.as_uri())
    assert _severe(driver) == []
    problems = driver.find_element("id", "problems-table").text
    assert "empty file (0 bytes)" in problems
    assert "unsafe path in zip archive (absolute or ../, zip-slip): ../x.pdf" in problems
    assert "its printed cells break applications.balance" in problems
    assert _column(driver, "documents-table", 0)[:2] == ["broken.pdf", "a.zip!../x.pdf"]  # failed first
    assert _column(driver, "documents-table", 4) == ["failed", "failed", "needs_review", "ok"]

    headers = driver.find_elements("css selector", "#documents-table thead th")
    header = next(h for h in headers if h.text.startswith("Report"))
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    names = _column(driver, "documents-table", 0)
    header.click()
    assert _column(driver, "documents-table", 0) == names[::-1]
    errors = next(h for h in headers if h.text.startswith("errors"))
    errors.click()
    values = [float(v) if v else float("inf") for v in _column(driver, "documents-table", 16)]
    assert values == sorted(values)
    errors.click()
    assert errors.get_attribute("aria-sort") == "descending"
    assert _column(driver, "documents-table", 16) == ["1", "0", "", ""]  # blanks stay last

    box = driver.find_element("css selector", 'input[data-for="documents-table"]')
    box.send_keys("zip-slip")
    assert _column(driver, "documents-table", 0) == ["a.zip!../x.pdf"]
    assert driver.find_element("css selector", 'span.shown[data-for="documents-table"]').text == "1 of 4 reports shown"
    assert _severe(driver) == []


def test_a_matrix_cell_leads_to_its_finding_even_when_filtered_out(driver, urgent_report):
    driver.get(urgent_report.as_uri())
    driver.find_element("id", "filter").send_keys("no finding says this")
    assert _visible(driver) == []
    link = driver.find_element("css selector", '#matrix-table td.state.error a')
    target = link.get_attribute("href").split("#", 1)[1]
    link.click()
    row = driver.find_element("id", target)
    assert row.is_displayed()  # the findings filter was cleared to show it
    assert row.get_attribute("data-rule") == "review_litigation.total"
    assert driver.execute_script("return location.hash") == f"#{target}"
    assert _severe(driver) == []
