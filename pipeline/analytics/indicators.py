"""Indicators derived from a report's tables, each with its formula; None where not computable.

Every indicator reads printed cells only (records with a value). A ratio whose denominator is
zero, or any of whose cells is blank or not printed, is None rather than a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

Cells = Mapping[tuple[str, str, str], float]  # (table, row, column) → value


@dataclass(frozen=True, slots=True)
class Indicator:
    key: str
    name: str  # Chinese name as reports and researchers use it
    formula: str
    compute: Callable[[Cells], float | None]


def _v(cells: Cells, table: str, row: str, column: str) -> float | None:
    return cells.get((table, row, column))


def _sum(values: Iterable[float | None]) -> float | None:
    values = list(values)
    return None if any(v is None for v in values) or not values else float(sum(values))  # type: ignore[arg-type]


def _difference(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator in (None, 0):
        return None
    return round(numerator / denominator, 6)


def _app(cells: Cells, row: str) -> float | None:
    return _v(cells, "applications", row, "total")


def _rows_with(cells: Cells, prefix: str) -> list[float | None]:
    return [v for (t, r, c), v in cells.items() if t == "applications" and c == "total" and r.startswith(prefix)]


def _review(cells: Cells, row: str, column: str) -> float | None:
    return _v(cells, "review_litigation", row, column)


def _decided(cells: Cells, row: str) -> float | None:
    return _sum(_review(cells, row, c) for c in ("maintained", "corrected", "other"))


INDICATORS: tuple[Indicator, ...] = (
    Indicator("applications_received", "本年新收申请数", "applications.new_received.total",
              lambda c: _app(c, "new_received")),
    Indicator("applications_handled", "本年办理结果总计", "applications.total.total", lambda c: _app(c, "total")),
    Indicator("substantive_disclosure_rate", "实质公开率",
              "(granted.total + partially_granted.total) / total.total",
              lambda c: _ratio(_sum([_app(c, "granted"), _app(c, "partially_granted")]), _app(c, "total"))),
    Indicator("denial_rate", "不予公开率", "Σ denied.*.total / total.total",
              lambda c: _ratio(_sum(_rows_with(c, "denied.")), _app(c, "total"))),
    Indicator("unavailable_rate", "无法提供率", "Σ unavailable.*.total / total.total",
              lambda c: _ratio(_sum(_rows_with(c, "unavailable.")), _app(c, "total"))),
    Indicator("completion_rate", "办结率", "total.total / (new_received.total + carried_over.total)",
              lambda c: _ratio(_app(c, "total"), _sum([_app(c, "new_received"), _app(c, "carried_over")]))),
    Indicator("organisation_share", "法人或其他组织申请占比",
              "(new_received.total - new_received.natural_person) / new_received.total",
              lambda c: _ratio(_difference(_app(c, "new_received"), _v(c, "applications", "new_received",
                                                                           "natural_person")),
                               _app(c, "new_received"))),
    Indicator("reviews", "行政复议数", "review_litigation.administrative_review.total",
              lambda c: _review(c, "administrative_review", "total")),
    Indicator("lawsuits", "行政诉讼数", "litigation_direct.total + litigation_after_review.total",
              lambda c: _sum([_review(c, "litigation_direct", "total"),
                              _review(c, "litigation_after_review", "total")])),
    Indicator("review_correction_rate", "复议纠错率",
              "administrative_review.corrected / (maintained + corrected + other)",
              lambda c: _ratio(_review(c, "administrative_review", "corrected"), _decided(c, "administrative_review"))),
    Indicator("litigation_correction_rate", "诉讼纠错率",
              "(litigation_direct.corrected + litigation_after_review.corrected) / Σ (maintained + corrected + other)",
              lambda c: _ratio(_sum([_review(c, "litigation_direct", "corrected"),
                                     _review(c, "litigation_after_review", "corrected")]),
                               _sum([_decided(c, "litigation_direct"), _decided(c, "litigation_after_review")]))),
)


def cells_of(records: Iterable[Any]) -> dict[tuple[str, str, str], float]:
    """Return {(table, row, column): value} of the printed numeric cells."""
    return {(r.table, r.row, r.column): r.value for r in records if r.value is not None}


def indicator_rows(doc_id: str, records: Iterable[Any]) -> list[dict[str, Any]]:
    """Return rows of the indicators table (doc_id, indicator, name, value, formula)."""
    cells = cells_of(records)
    return [{"doc_id": doc_id, "indicator": i.key, "name": i.name, "value": i.compute(cells), "formula": i.formula}
            for i in INDICATORS]
