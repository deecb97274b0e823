"""The rule catalogue: every check's id, severity and one-line description, in one dict.

A rule is a function registered with `@rule(...)`. A document rule takes a `DocView` and a
batch rule takes every `DocView` of a run; both yield `Finding`s and never raise. Every rule
reads only what the output tables hold (documents, sections, records), so the same rules run
at parse time and again on written output (`govreport check`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pipeline.output.schema import FINDINGS

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
Scope = Literal["document", "batch"]
# Which finding field names the place a truth file's "RULE:WHERE" string gives.
Where = Literal["table", "row", "column", "cell", "document"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One result of a rule: the cell it concerns, what was expected and what is printed.

    `page` is where the cell is printed; it is kept for the report and stays out of the
    findings table, whose columns are the contract's plus `needs_review` and `fingerprint` at the end.
    """

    doc_id: str
    rule: str
    severity: str
    table: str | None
    row: str | None
    column: str | None
    expected: float | None
    actual: float | None
    message: str
    page: int | None = None
    # True where the finding's table needs review (reconstructed and not supported by its evidence):
    # it may come from a misread, so it is checked against the printed page before anyone acts on it.
    needs_review: bool = False

    def as_row(self) -> dict[str, Any]:
        """Return the finding as a row of the findings table."""
        # The fingerprint needs the document's sha256 and the findings before it: fingerprint.stamp adds it.
        return {name: getattr(self, name) for name in FINDINGS.names if name != "fingerprint"}

    @property
    def where(self) -> str:
        """Return the place named in a truth file: the row, the column or the cell of the rule."""
        return where_of(self.rule, self.table, self.row, self.column)


@dataclass(frozen=True)
class Rule:
    """A registered check."""

    id: str
    severity: Severity
    description: str
    scope: Scope
    where: Where
    check: Callable[..., Iterator[Finding]]
    # A document rule that does not apply to a document (a 2019 report has no fee statement
    # to make) is not run on it, and the report shows it as not applicable, not as passed.
    applies: Callable[[Any], bool] | None = None


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, description: str, *, scope: Scope = "document",
         where: Where = "cell", applies: Callable[[Any], bool] | None = None) -> Callable:
    """Register the decorated function as the check `rule_id`."""
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r} for {rule_id}")

    def register(func: Callable[..., Iterator[Finding]]) -> Callable[..., Iterator[Finding]]:
        """Add the rule to RULES and return the function unchanged."""
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} is registered twice")
        RULES[rule_id] = Rule(rule_id, severity, description, scope, where, func, applies)
        return func

    return register


def finding(rule_id: str, doc_id: str, message: str, *, table: str | None = None, row: str | None = None,
            column: str | None = None, expected: float | None = None, actual: float | None = None,
            page: int | None = None, severity: Severity | None = None) -> Finding:
    """Return a Finding of `rule_id`, at the rule's severity unless another is given."""
    return Finding(doc_id, rule_id, severity or RULES[rule_id].severity, table, row, column, expected, actual,
                   message, page)


def where_of(rule_id: str, table: str | None, row: str | None, column: str | None) -> str:
    """Return the WHERE part of "RULE:WHERE" for a finding of `rule_id` at (table, row, column)."""
    registered = RULES.get(rule_id)
    kind = registered.where if registered else "cell"
    if kind == "table":
        return table or ""
    if kind == "row":
        return row or ""
    if kind == "column":
        return column or ""
    if kind == "document":
        return ""
    return ".".join(part for part in (row, column) if part)
