"""Is the report complete: the six sections, the three tables, blank cells, the preamble's facts.

None of these is an error: the published numbers are what the error rules judge; a missing
section or contact is something an oversight office asks the body to add.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.checks.registry import Finding, finding, rule
from pipeline.checks.view import TABLE_LABELS, DocView, row_label, section_keys
from pipeline.spec import TABLE_KEYS, TABLE_SPECS
from pipeline.textnorm import squeeze

_PERIOD = re.compile(r"统计(?:期限|期间|时限|时段|区间|时间)|\d{4}年1月1日(?:起)?(?:至|到)(?:\d{4}年)?12月31日")
_PHONE = re.compile(r"电话|\d{3,4}-\d{7,8}|\(\d{3,4}\)\d{7,8}|\d{11}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|电子邮箱|电子信箱|邮箱")
_ADDRESS = re.compile(r"地址|通讯地址|联系地址")
_FEE = re.compile(r"信息处理费|处理费")
_MEANINGLESS = re.compile(r"[\W_]+")
# Section 五 with fewer characters than this (after punctuation is dropped) says nothing, e.g. "无。".
_MIN_PROBLEMS_CHARS = 8
_NOTHING = frozenset({"无", "暂无", "没有", "无问题", "不涉及", "文字描述"})


def _checked_year(view: DocView) -> bool:
    """Return True for a report year under the national templates (2019 on)."""
    return isinstance(view.year, int) and view.year >= 2019


@rule("completeness.section_missing", "warning", "each of the six sections 一 … 六 is printed", where="row")
def section_missing(view: DocView) -> Iterator[Finding]:
    """Yield a warning per standard section the report does not print."""
    present = {s.section for s in view.sections}
    for key in section_keys():
        if key not in present:
            yield finding("completeness.section_missing", view.doc_id, f"section {row_label('sections', key)} "
                          "not found", table="sections", row=key)


@rule("completeness.section_order", "warning", "the sections follow the order 一 … 六", where="row")
def section_order(view: DocView) -> Iterator[Finding]:
    """Yield a warning when the sections are printed out of order."""
    order = [s.section for s in view.sections if s.section in section_keys()]
    expected = [k for k in section_keys() if k in order]
    if order != expected:
        first = next((got for got, want in zip(order, expected, strict=False) if got != want), order[-1])
        yield finding("completeness.section_order", view.doc_id,
                      f"sections out of order: {' '.join(row_label('sections', k)[:1] for k in order)}",
                      table="sections", row=first)


@rule("completeness.section_empty", "warning", "no section is empty; 五 states real problems and improvements",
      where="row")
def section_empty(view: DocView) -> Iterator[Finding]:
    """Yield a warning per section with no content (section 五: nothing but 无 or a placeholder)."""
    for section in view.sections:
        if section.section == "preamble":
            continue
        content = _MEANINGLESS.sub("", squeeze(section.text))
        empty = not content
        if section.section == "problems_improvements":
            empty = empty or content in _NOTHING or len(content) < _MIN_PROBLEMS_CHARS
        if empty:
            shown = section.text.strip()[:20] or "nothing"
            yield finding("completeness.section_empty", view.doc_id,
                          f"section {section.heading or row_label('sections', section.section)} holds only "
                          f"{shown!r}", table="sections", row=section.section, page=section.page_start)


def tables_present(view: DocView) -> list[str]:
    """Return the tables the document prints: with data rows, or at least their header."""
    with_rows = {r.table for r in view.records}
    if all(t in with_rows for t in TABLE_KEYS):
        return list(TABLE_KEYS)
    text = squeeze("\n".join(s.text for s in view.sections))  # only when a table has no data rows
    # The header words each table prints even when no data row is: the table is there, empty.
    return [t for t in TABLE_KEYS if t in with_rows or TABLE_SPECS[t].anchor in text]


@rule("completeness.table_missing", "warning", "each of the three tables 二 三 四 is printed", where="table")
def table_missing(view: DocView) -> Iterator[Finding]:
    """Yield a warning per table the report does not print."""
    present = tables_present(view)
    for table in TABLE_KEYS:
        if table not in present:
            yield finding("completeness.table_missing", view.doc_id, f"{TABLE_LABELS[table]} not found",
                          table=table)


@rule("completeness.blank_cells", "info", "blank cells (empty, —, /, 无) are counted per table", where="table")
def blank_cells(view: DocView) -> Iterator[Finding]:
    """Yield an info per table with blank cells, with their count."""
    for table in TABLE_KEYS:
        records = view.table_records(table)
        blank = [r for r in records if r.value is None]
        if blank:
            yield finding("completeness.blank_cells", view.doc_id,
                          f"{TABLE_LABELS[table]}: {len(blank)} of {len(records)} printed cells are blank",
                          table=table, actual=float(len(blank)), page=blank[0].page)


@rule("completeness.statistics_period", "warning", "the preamble states the statistics period (统计期限)",
      where="document")
def statistics_period(view: DocView) -> Iterator[Finding]:
    """Yield a warning when the preamble states no statistics period."""
    preamble = view.section("preamble")
    if preamble is None or not _PERIOD.search(squeeze(preamble.text)):
        yield finding("completeness.statistics_period", view.doc_id,
                      "the preamble states no statistics period (统计期限)", table="sections", row="preamble")


@rule("completeness.contact", "warning", "the preamble gives a contact: phone, e-mail or address",
      where="document")
def contact(view: DocView) -> Iterator[Finding]:
    """Yield a warning when the preamble gives no phone, e-mail or address."""
    preamble = view.section("preamble")
    text = squeeze(preamble.text) if preamble else ""
    if not any(p.search(text) for p in (_PHONE, _EMAIL, _ADDRESS)):
        yield finding("completeness.contact", view.doc_id,
                      "the preamble gives no contact (电话, 电子邮箱 or 地址)", table="sections", row="preamble")


@rule("completeness.processing_fee", "warning", "from the 2021 reports on, section 六 reports 信息处理费",
      where="document", applies=lambda view: isinstance(view.year, int) and view.year >= 2021)
def processing_fee(view: DocView) -> Iterator[Finding]:
    """Yield a warning when section 六 of a 2021-or-later report says nothing of 信息处理费."""
    other = view.section("other_matters")
    if other is not None and not _FEE.search(squeeze(other.text)):
        yield finding("completeness.processing_fee", view.doc_id,
                      f"section 六 says nothing about 信息处理费 (required from the 2021 reports on; "
                      f"this is the {view.year} report)", table="sections", row="other_matters",
                      page=other.page_start)


@rule("completeness.template", "warning",
      "the tables follow the template of the year (2019 template for 2019–2020, 2021 template from 2021)",
      where="document", applies=_checked_year)
def template(view: DocView) -> Iterator[Finding]:
    """Yield a warning when the tables follow another template than the year's."""
    printed = view.document.get("template")
    expected = "2021" if view.year >= 2021 else "2019"  # type: ignore[operator]
    if printed and printed != expected:
        yield finding("completeness.template", view.doc_id,
                      f"the {view.year} report follows the {printed} template; expected the {expected} template",
                      expected=float(expected), actual=float(printed) if printed.isdigit() else None)


@rule("completeness.metadata", "warning", "the title names the publishing body and the report year",
      where="document")
def metadata(view: DocView) -> Iterator[Finding]:
    """Yield a warning when the title gives no agency or no year."""
    missing = [name for name in ("agency", "year") if not view.document.get(name)]
    if missing:
        yield finding("completeness.metadata", view.doc_id,
                      f"the title gives no {' and no '.join(missing)}: the report cannot be joined across years")
