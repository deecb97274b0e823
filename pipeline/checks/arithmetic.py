"""The printed sums of tables 三 and 四 (勾稽关系), whole-number counts, and the split-cell hint.

Each sum rule is a set of equations Σ parts = Σ totals over cells of one table. An equation is
assessable only when every cell it uses is printed with a number: a blank cell makes it
not assessable (reported once per rule and document, at info severity), never an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise

from pipeline.checks.registry import Finding, finding, rule
from pipeline.checks.view import DocView, cell_label, column_label, number, page_note, row_label
from pipeline.records import Record
from pipeline.spec import APPLICATION_COLUMNS, APPLICATION_ROWS, REVIEW_ROWS
from pipeline.textnorm import squeeze

APPLICATION_KEYS: tuple[str, ...] = tuple(c.key for c in APPLICATION_COLUMNS)
APPLICANT_KEYS: tuple[str, ...] = tuple(k for k in APPLICATION_KEYS if k != "total")
REVIEW_PARTS: tuple[str, ...] = ("maintained", "corrected", "other", "pending")
OUTCOME_GROUPS: tuple[str, ...] = ("denied.", "unavailable.", "not_processed.", "other.")
# Amounts (万元, 采购总金额) and 本年增/减 may be fractional or negative; every other cell is a count.
EXEMPT_COLUMNS = frozenset({"amount_10k_yuan", "procurement_amount", "change"})
_TOLERANCE = 1e-6
_MAX_LISTED = 8  # places named in a "not assessable" message

Cell = tuple[str, str]  # (row, column)


@dataclass(frozen=True, slots=True)
class Equation:
    """Σ parts = Σ totals over cells of `table`, running along one row or one column."""

    rule: str
    table: str
    row: str | None  # the row a row rule runs along
    column: str | None  # the column a column rule runs along
    parts: tuple[Cell, ...]
    totals: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Evaluated:
    """An assessable equation with its printed cells and both sides' sums."""

    equation: Equation
    parts: tuple[Record, ...]
    totals: tuple[Record, ...]
    expected: float  # Σ parts
    actual: float  # Σ totals, as printed

    @property
    def holds(self) -> bool:
        """Return True when both sides agree."""
        return abs(self.expected - self.actual) <= _TOLERANCE


def evaluate(equation: Equation, view: DocView) -> Evaluated | None:
    """Return the equation with its printed cells, or None when it is not assessable."""
    found = [view.cell(equation.table, r, c) for r, c in (*equation.parts, *equation.totals)]
    cells = [c for c in found if c is not None and c.value is not None]
    if not equation.parts or len(cells) < len(found):
        return None
    parts, totals = cells[:len(equation.parts)], cells[len(equation.parts):]
    return Evaluated(equation, tuple(parts), tuple(totals), sum(c.value or 0.0 for c in parts),
                     sum(c.value or 0.0 for c in totals))


# --- the equations of each rule ------------------------------------------------------------

def balance_equations(view: DocView) -> list[Equation]:
    """本年新收 + 上年结转 = 总计 + 结转下年度, one equation per column of table 三."""
    if not view.printed_rows("applications"):
        return []
    return [Equation("applications.balance", "applications", None, col, (("new_received", col), ("carried_over", col)),
                     (("total", col), ("carried_forward", col))) for col in APPLICATION_KEYS]


def row_total_equations(view: DocView) -> list[Equation]:
    """The six applicant columns = 总计, one equation per printed row of table 三."""
    printed = view.printed_rows("applications")
    return [Equation("applications.row_total", "applications", spec.key, None,
                     tuple((spec.key, c) for c in APPLICANT_KEYS), ((spec.key, "total"),))
            for spec in APPLICATION_ROWS if spec.key in printed]


def outcome_rows(printed: set[str]) -> list[str]:
    """Return the printed outcome rows of table 三 in order; （六） as its sub-rows when they are printed."""
    has_sub_rows = any(r.startswith("other.") for r in printed)
    rows = []
    for spec in APPLICATION_ROWS:
        key = spec.key
        if key not in printed or (key == "other" and has_sub_rows):
            continue
        if key in ("granted", "partially_granted", "other") or key.startswith(OUTCOME_GROUPS):
            rows.append(key)
    return rows


def outcome_equations(view: DocView) -> list[Equation]:
    """（七）总计 = the outcome rows （一）…（六）, one equation per column of table 三."""
    printed = view.printed_rows("applications")
    if not printed:
        return []
    rows = outcome_rows(printed)
    return [Equation("applications.outcomes", "applications", None, col, tuple((r, col) for r in rows),
                     (("total", col),)) for col in APPLICATION_KEYS]


def review_equations(view: DocView) -> list[Equation]:
    """结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计, one equation per printed row of table 四."""
    printed = view.printed_rows("review_litigation")
    return [Equation("review_litigation.total", "review_litigation", spec.key, None,
                     tuple((spec.key, c) for c in REVIEW_PARTS), ((spec.key, "total"),))
            for spec in REVIEW_ROWS if spec.key in printed]


EQUATIONS: tuple[Callable[[DocView], list[Equation]], ...] = (
    balance_equations, row_total_equations, outcome_equations, review_equations,
)


# --- the rules -----------------------------------------------------------------------------

@rule("applications.balance", "error",
      "表三 every column: 本年新收 + 上年结转 = （七）总计 + 结转下年度继续办理", where="column")
def balance(view: DocView) -> Iterator[Finding]:
    """Yield an error per column of table 三 whose two sides differ."""
    yield from _violations(view, balance_equations(view))


@rule("applications.row_total", "error", "表三 every row: the six applicant columns add up to 总计", where="row")
def row_total(view: DocView) -> Iterator[Finding]:
    """Yield an error per row of table 三 whose applicant columns miss its 总计."""
    yield from _violations(view, row_total_equations(view))


@rule("applications.outcomes", "error",
      "表三 every column: （七）总计 = （一）…（五） + （六）其他处理 (or its sub-rows)", where="column")
def outcomes(view: DocView) -> Iterator[Finding]:
    """Yield an error per column of table 三 whose outcome rows miss its 总计."""
    yield from _violations(view, outcome_equations(view))


@rule("review_litigation.total", "error", "表四 every row: 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计",
      where="row")
def review_total(view: DocView) -> Iterator[Finding]:
    """Yield an error per row of table 四 whose results miss its 总计."""
    yield from _violations(view, review_equations(view))


@rule("values.whole_number", "error",
      "counts are non-negative whole numbers (amounts and 本年增/减 excepted)")
def whole_number(view: DocView) -> Iterator[Finding]:
    """Yield an error per count printed negative or fractional."""
    for record in view.records:
        if record.value is None or record.column in EXEMPT_COLUMNS:
            continue
        if record.value < 0 or not float(record.value).is_integer():
            yield finding("values.whole_number", view.doc_id,
                          f"{cell_label(record.table, record.row, record.column)} printed {record.raw!r}: "
                          f"a count is a non-negative whole number{page_note(record)}",
                          table=record.table, row=record.row, column=record.column, actual=record.value,
                          page=record.page)


@rule("values.split_cell", "warning",
      "a failed row sum would hold if two adjacent one-digit cells were one number (\"1\",\"0\" printed for \"10\")")
def split_cell(view: DocView) -> Iterator[Finding]:
    """Yield a warning per pair of cells that, read as one number, would mend a failed row sum."""
    seen: set[tuple[Cell, Cell]] = set()
    for equations in EQUATIONS:
        for equation in equations(view):
            evaluated = evaluate(equation, view)
            if evaluated is None or evaluated.holds:
                continue
            for a, b, merged in _mending_pairs(evaluated):
                key = ((a.row, a.column), (b.row, b.column))
                if key not in seen:
                    seen.add(key)
                    yield _split_finding(view, equation, a, b, merged)


# --- helpers -------------------------------------------------------------------------------

def _violations(view: DocView, equations: Sequence[Equation]) -> Iterator[Finding]:
    """Yield an error per failed equation and one info naming the equations not assessable."""
    skipped = []
    for equation in equations:
        evaluated = evaluate(equation, view)
        if evaluated is None:
            skipped.append(equation)
        elif not evaluated.holds:
            yield _violation(view, evaluated)
    if skipped:
        yield _not_assessable(view, skipped, len(equations))


def _violation(view: DocView, evaluated: Evaluated) -> Finding:
    """Return the error finding of a failed equation, naming the printed total and the parts' sum."""
    equation = evaluated.equation
    first_total = evaluated.totals[0]
    column: str | None
    if len(evaluated.totals) == 1:
        row, column = first_total.row, first_total.column
        message = (f"{cell_label(equation.table, row, column)} printed {number(evaluated.actual)}, "
                   f"parts sum to {number(evaluated.expected)}")
    else:
        row, column = "+".join(c.row for c in evaluated.totals), equation.column
        parts = "+".join(c.row for c in evaluated.parts)
        message = (f"{column_label(equation.table, column)}: {row_label(equation.table, row)} = "
                   f"{number(evaluated.actual)}, but {row_label(equation.table, parts)} = {number(evaluated.expected)}")
    return finding(equation.rule, view.doc_id, message + page_note(first_total, *evaluated.parts),
                   table=equation.table, row=row, column=column, expected=evaluated.expected,
                   actual=evaluated.actual, page=first_total.page)


def _not_assessable(view: DocView, skipped: Sequence[Equation], total: int) -> Finding:
    """Return the info finding that names the equations a blank or missing cell left unassessed."""
    first = skipped[0]
    by_row = first.row is not None
    places = [row_label(first.table, e.row) if by_row else column_label(first.table, e.column) for e in skipped]
    noun = "rows" if by_row else "columns"
    if len(skipped) == total:
        message = f"not assessable in any of the {total} {noun}: a cell of each is blank or not printed"
    else:
        shown = ", ".join(places[:_MAX_LISTED]) + (", …" if len(places) > _MAX_LISTED else "")
        message = f"not assessable in {len(skipped)} of {total} {noun} (a cell is blank or not printed): {shown}"
    return finding(first.rule, view.doc_id, message, table=first.table, severity="info")


def _is_digit_cell(record: Record) -> bool:
    """Return True for a cell printing a single digit."""
    return record.value is not None and len(squeeze(record.raw)) == 1 and 0 <= record.value <= 9


def _mending_pairs(evaluated: Evaluated) -> Iterator[tuple[Record, Record, float]]:
    """Yield (a, b, ab) for adjacent one-digit cells of one row that, read as one number, balance the sum."""
    for side in ("parts", "totals"):
        for a, b in pairwise(getattr(evaluated, side)):
            # Only cells side by side in a row: a reader splits a figure across columns, not rows.
            # Merging "a","b" adds 9a to a sum, as a digit transposition (84 → 48) does, so
            # pairs stacked in a column would mostly explain transpositions, not splits.
            if a.row != b.row or not (_is_digit_cell(a) and _is_digit_cell(b)) or a.value < 1:  # type: ignore[operator]
                continue
            merged = 10 * a.value + b.value  # type: ignore[operator]
            delta = merged - a.value - b.value  # type: ignore[operator]
            expected = evaluated.expected + (delta if side == "parts" else 0)
            actual = evaluated.actual + (delta if side == "totals" else 0)
            if abs(expected - actual) <= _TOLERANCE:
                yield a, b, merged


def _split_finding(view: DocView, equation: Equation, a: Record, b: Record, merged: float) -> Finding:
    """Return the warning pointing at both cells of a likely split figure."""
    same_row = a.row == b.row
    row = a.row if same_row else f"{a.row}+{b.row}"
    column = f"{a.column}+{b.column}" if same_row else a.column
    return finding("values.split_cell", view.doc_id,
                   f"{cell_label(a.table, a.row, a.column)} {a.raw!r} and {cell_label(b.table, b.row, b.column)} "
                   f"{b.raw!r} may be one number {number(merged)} split over two cells: "
                   f"{equation.rule} would then hold{page_note(a, b)}",
                   table=a.table, row=row, column=column, expected=merged, actual=a.value, page=a.page)
