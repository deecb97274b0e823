"""Was the report published on time: by 31 January of the year after the report year (《条例》第四十九条).

The publication date is read from the written sections as the metadata reads it (a 发布日期 above the
report, else the date line that closes it). A report that prints no date is not judged here:
nothing is known about it (`govreport coverage` also takes a web page's date or a user's manifest).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from pipeline.checks.registry import Finding, finding, rule
from pipeline.checks.view import DocView
from pipeline.metadata import publication_of

_CLOSING_LINES = 8  # the report's last lines, where a closing date stands


def deadline(year: int) -> dt.date:
    """Return the last day a report of `year` may be published: 31 January of the next year."""
    return dt.date(year + 1, 1, 31)


def published_date(view: DocView) -> str | None:
    """Return the ISO publication date the written sections print, or None."""
    preamble = next((s.text for s in view.sections if s.section == "preamble"), "")
    closing = view.sections[-1].text.splitlines()[-_CLOSING_LINES:] if view.sections else []
    return publication_of(preamble, closing)[0]


@rule("timeliness.late", "warning", "the report is published by 31 January of the year after the report year",
      where="document")
def late(view: DocView) -> Iterator[Finding]:
    """Yield a warning when the printed publication date is after the deadline."""
    published = published_date(view)
    if not published or not isinstance(view.year, int):
        return
    due = deadline(view.year)
    days = (dt.date.fromisoformat(published) - due).days
    if days > 0:
        yield finding("timeliness.late", view.doc_id, f"published {published}, {days} day(s) after the deadline "
                      f"{due.isoformat()} (31 January after the report year)", actual=float(days))
