from pipeline.tables.grid import KeyedCell
from pipeline.template import detect_template


def cell(table, row, column):
    return KeyedCell(table, row, column, "0", 1)


def test_2021_signs():
    cells = [cell("active_disclosure", "regulations", "issued"), cell("applications", "other.misc", "total")]
    assert detect_template(cells) == "2021"


def test_2019_signs():
    cells = [cell("active_disclosure", "regulations", "new_made"), cell("applications", "other", "total")]
    assert detect_template(cells) == "2019"


def test_2021_table_two_with_the_single_other_row_is_mixed():
    cells = [cell("active_disclosure", "administrative_fees", "amount_10k_yuan"), cell("applications", "other", "total")]
    assert detect_template(cells) == "mixed"


def test_no_evidence_no_template():
    assert detect_template([cell("review_litigation", "administrative_review", "total")]) is None
