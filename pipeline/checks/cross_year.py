"""Rules across the reports of one batch: a body's report against its report of the year before.

Two reports are of the same body when they have the same body_id (pipeline.bodies: one
identity however the name is printed; rows without one: the same agency, spaces and full-width
forms aside). Where a batch holds one report in several formats (a .docx and its
.pdf), the previous year's copy in the same format is preferred, so each finding is made once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence

from pipeline.checks.arithmetic import APPLICATION_KEYS
from pipeline.checks.registry import Finding, finding, rule
from pipeline.checks.view import DocView, cell_label, number, page_note
from pipeline.textnorm import squeeze

_IN_FORCE_ROWS = ("regulations", "normative_documents")
_SENTENCE_END = re.compile(r"[。!?;]")
_MIN_SENTENCE = 12  # shorter sentences ("无。", "具体情况如下:") repeat in every report
_DIGITS = re.compile(r"\d+")
_MIN_SHARE = 1.0  # percent: below it the prose is new and there is nothing to report


def previous_reports(views: Sequence[DocView]) -> dict[str, DocView]:
    """Map doc_id → the same body's report of the year before, for each report that has one."""
    by_body_year: dict[tuple[str, int], list[DocView]] = defaultdict(list)
    for view in views:
        if view.body and isinstance(view.year, int):
            by_body_year[(view.body, view.year)].append(view)
    out: dict[str, DocView] = {}
    for view in views:
        if not (view.body and isinstance(view.year, int)):
            continue
        candidates = by_body_year.get((view.body, view.year - 1))
        if candidates:
            fmt = view.document.get("format")
            out[view.doc_id] = min(candidates, key=lambda c: (c.document.get("format") != fmt, c.doc_id))
    return out


def paired_documents(views: Sequence[DocView]) -> set[str]:
    """Return the doc_ids of the reports the batch rules compare: each one with its body's report of
    the year before or after. Only the documents rows are read (agency, year, format)."""
    previous = previous_reports(views)
    return set(previous) | {view.doc_id for view in previous.values()}


def body_groups(views: Sequence[DocView], size: int) -> list[set[str]]:
    """Return the doc_ids of `paired_documents` in groups of about `size` documents.

    A body's reports are never split between two groups, and the batch rules only compare a
    body's reports with each other, so each group can be checked on its own: the memory of the
    whole-batch step then follows `size`, not the size of the archive.
    """
    paired = paired_documents(views)
    by_body: dict[str | None, list[str]] = defaultdict(list)
    for view in views:
        if view.doc_id in paired:
            by_body[view.body].append(view.doc_id)
    groups: list[set[str]] = []
    for ids in by_body.values():
        if not groups or len(groups[-1]) + len(ids) > size:
            groups.append(set())
        groups[-1].update(ids)
    return groups


def _pairs(views: Sequence[DocView]) -> Iterator[tuple[DocView, DocView]]:
    """Yield (report, the same body's report of the year before) for each report that has one."""
    previous = previous_reports(views)
    for view in views:
        if view.doc_id in previous:
            yield view, previous[view.doc_id]


@rule("cross_year.carried_over", "error",
      "表三 every column: 上年结转 equals the same body's 结转下年度继续办理 of the year before",
      scope="batch", where="column")
def carried_over(views: Sequence[DocView]) -> Iterator[Finding]:
    """Yield an error per column whose 上年结转 differs from last year's 结转下年度."""
    for view, before in _pairs(views):
        for column in APPLICATION_KEYS:
            now = view.cell("applications", "carried_over", column)
            then = before.cell("applications", "carried_forward", column)
            if now is None or then is None or now.value is None or then.value is None:
                continue
            if abs(now.value - then.value) > 1e-6:
                yield finding("cross_year.carried_over", view.doc_id,
                              f"{cell_label('applications', 'carried_over', column)} printed {number(now.value)}"
                              f"{page_note(now)}, but the {before.year} report's 结转下年度继续办理 "
                              f"{cell_label('applications', None, column)} is {number(then.value)}{page_note(then)}",
                              table="applications", row="carried_over", column=column, expected=then.value,
                              actual=now.value, page=now.page)


@rule("cross_year.in_force", "warning",
      "表二 规章 and 规范性文件: 现行有效 = last year's 现行有效 + 本年制发 - 本年废止", scope="batch", where="row")
def in_force(views: Sequence[DocView]) -> Iterator[Finding]:
    """Yield a warning per row of 规章 / 规范性文件 whose 现行有效 does not follow from last year's."""
    for view, before in _pairs(views):
        for row in _IN_FORCE_ROWS:
            cells = [view.cell("active_disclosure", row, c) for c in ("in_force", "issued", "repealed")]
            then = before.cell("active_disclosure", row, "in_force")
            if any(c is None or c.value is None for c in (*cells, then)):
                continue  # a 2019-template year prints no 现行有效件数: not assessable
            now, issued, repealed = (c.value for c in cells)  # type: ignore[union-attr]
            expected = then.value + issued - repealed  # type: ignore[union-attr,operator]
            if abs(expected - now) > 1e-6:  # type: ignore[operator]
                yield finding("cross_year.in_force", view.doc_id,
                              f"{cell_label('active_disclosure', row, 'in_force')} printed {number(now)}"
                              f"{page_note(cells[0])}; the {before.year} report's {number(then.value)}"  # type: ignore[union-attr]
                              f" + {number(issued)} issued - {number(repealed)} repealed = {number(expected)}",
                              table="active_disclosure", row=row, column="in_force", expected=expected, actual=now,
                              page=cells[0].page)  # type: ignore[union-attr]


@rule("cross_year.repeated_prose", "info",
      "the share of the report's prose repeated from the same body's report of the year before",
      scope="batch", where="document")
def repeated_prose(views: Sequence[DocView]) -> Iterator[Finding]:
    """Yield an info with the share of prose repeated from last year's report."""
    for view, before in _pairs(views):
        sentences = _sentences(view)
        total = sum(len(s) for s in sentences)
        if not total:
            continue
        earlier = set(_sentences(before))
        repeated = [s for s in sentences if s in earlier]
        share = 100.0 * sum(len(s) for s in repeated) / total
        if share < _MIN_SHARE:
            continue
        yield finding("cross_year.repeated_prose", view.doc_id,
                      f"{share:.0f}% of the prose ({len(repeated)} of {len(sentences)} sentences) repeats the "
                      f"{before.year} report", actual=round(share, 1))


def _sentences(view: DocView) -> list[str]:
    """Return the report's prose sentences, figures masked so that only the wording is compared."""
    out = []
    for section in view.sections:
        text = squeeze("".join(section.prose_lines()))
        out += [_DIGITS.sub("#", s) for s in _SENTENCE_END.split(text) if len(s) >= _MIN_SENTENCE]
    return out
