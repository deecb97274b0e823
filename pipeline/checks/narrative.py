"""Prose against tables: figures stated in the running text, and years named in work statements.

Reports restate their headline figures in prose ("全年共受理政府信息公开申请21件",
"行政复议351件"); when the prose and the table disagree one of them was not updated.
Only running text is read: the rows of tables printed inside a section are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.checks.registry import Finding, finding, rule
from pipeline.checks.view import DocView, Prose, cell_label, number, page_note
from pipeline.textnorm import squeeze

_N = r"(\d{1,3}(?:,\d{3})+|\d+)件"  # squeeze() has already turned ，into , (NFKC)


@dataclass(frozen=True)
class Statement:
    """A figure the prose states, the table cells it restates, and how the prose words it."""

    name: str
    table: str
    rows: tuple[str, ...]  # summed: 行政诉讼 is 未经复议直接起诉 + 复议后起诉
    column: str
    patterns: tuple[re.Pattern[str], ...]


STATEMENTS: tuple[Statement, ...] = (
    Statement("受理申请", "applications", ("new_received",), "total", (
        re.compile(r"(?:受理|收到|新收)(?:各类)?(?:政府信息公开|信息公开)?申请(?:共计|共)?" + _N),)),
    Statement("上年结转", "applications", ("carried_over",), "total", (
        re.compile(r"上一?年度?结转(?:的)?(?:政府信息公开)?(?:申请)?" + _N),)),
    Statement("办结", "applications", ("total",), "total", (
        re.compile(r"(?:已办结|办结|答复)(?:政府信息公开)?(?:申请)?" + _N),)),
    Statement("结转下年度", "applications", ("carried_forward",), "total", (
        re.compile(r"结转(?:至|到)?下一?年度?(?:继续)?(?:办理)?" + _N),
        re.compile(_N + r"(?:申请)?[^,。;]{0,12}?顺延(?:到|至)下一?年度"),)),
    Statement("行政复议", "review_litigation", ("administrative_review",), "total", (
        re.compile(r"行政复议(?:案件)?(?:共)?" + _N),)),
    Statement("行政诉讼", "review_litigation", ("litigation_direct", "litigation_after_review"), "total", (
        re.compile(r"(?<!复议)(?:行政)?诉讼(?:案件)?(?:共)?" + _N),)),
)

_SENTENCE_END = re.compile(r"[。!?;]")
_ENUMERATOR = re.compile(r"^(?:\([一二三四五六七八九十\d]+\)|[一二三四五六七八九十]+是|\d+\.)")
_YEAR_OPENER = re.compile(r"^(\d{4})年(?:度)?(?!\d{1,2}月)")


def prose_text(section: Prose) -> str:
    """Return the section's running text, squeezed: wrapped lines joined, NFKC, no spaces."""
    return squeeze("".join(section.prose_lines()))


def stated(view: DocView, statement: Statement) -> list[tuple[float, Prose]]:
    """Return each distinct figure the prose states for `statement`, with the section stating it first."""
    out: dict[float, Prose] = {}
    for section in view.sections:
        text = prose_text(section)
        for pattern in statement.patterns:
            for match in pattern.finditer(text):
                out.setdefault(float(match.group(1).replace(",", "")), section)
    return list(out.items())


@rule("narrative.figures", "warning",
      "figures stated in prose (受理申请, 上年结转, 办结, 结转下年度, 行政复议, 行政诉讼) match the tables")
def figures(view: DocView) -> Iterator[Finding]:
    """Yield a warning per figure the prose states differently from the table."""
    for statement in STATEMENTS:
        cells = [view.cell(statement.table, row, statement.column) for row in statement.rows]
        if any(c is None or c.value is None for c in cells):
            continue  # the table does not print the figure: nothing to compare
        table_value = sum(c.value for c in cells)  # type: ignore[union-attr,misc]
        row = "+".join(statement.rows)
        for value, section in stated(view, statement):
            if abs(value - table_value) > 1e-6:
                where = f"{section.heading or section.section} {section.pages()}".strip()
                yield finding("narrative.figures", view.doc_id,
                              f"prose states {statement.name} {number(value)}件 ({where}); "
                              f"{cell_label(statement.table, row, statement.column)} prints "
                              f"{number(table_value)}{page_note(*cells)}",
                              table=statement.table, row=row, column=statement.column, expected=table_value,
                              actual=value, page=cells[0].page if cells[0] else None)


@rule("narrative.other_year", "info",
      "work statements open with the report's year (another year suggests text kept from an older report)",
      applies=lambda view: isinstance(view.year, int))
def other_year(view: DocView) -> Iterator[Finding]:
    # The next year is expected: section 五 plans the work of year + 1.
    """Yield an info per section whose work statements open with another year."""
    allowed = {view.year, view.year + 1}  # type: ignore[operator]
    for section in view.sections:
        if section.section == "preamble":
            continue
        years = sorted({y for y in _sentence_years(prose_text(section)) if y not in allowed})
        if years:
            named = ", ".join(f"{y}年" for y in years)
            yield finding("narrative.other_year", view.doc_id,
                          f"{section.heading or section.section}: work statements open with {named} "
                          f"in the {view.year} report", table="sections", row=section.section,
                          expected=float(view.year), actual=float(years[0]), page=section.page_start)  # type: ignore[arg-type]


def _sentence_years(text: str) -> Iterator[int]:
    """Yield the year each sentence opens with ("2022年，我区…"), past any （一）… or 一是 prefix."""
    for sentence in _SENTENCE_END.split(text):
        opener = _ENUMERATOR.sub("", sentence)
        match = _YEAR_OPENER.match(opener)
        if match:
            yield int(match.group(1))
