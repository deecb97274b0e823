"""The indexed cell search gives pdfplumber's own cells, in its order, on every ruled page."""

from __future__ import annotations

import pypdfium2 as pdfium
from conftest import CORPUS, SYNTHETIC, needs_corpus
from pdfplumber import table as plumber_table
from pdfplumber.table import TableFinder, TableSettings

from parsers import pdfium_page, tablefinder


def _crossings(paths):
    """Yield the rule crossings of every ruled page, as pdfplumber's finder computes them."""
    for path in paths:
        document = pdfium.PdfDocument(str(path))
        try:
            for page in document:
                data = pdfium_page.read_page(page)
                if data is None or not data.edges:
                    continue
                closing = tablefinder.closing_lines(data.edges)
                settings = TableSettings.resolve({"explicit_horizontal_lines": closing} if closing else {})
                finder = TableFinder(data, settings)
                yield finder.intersections, finder
        finally:
            document.close()


@needs_corpus
def test_cells_and_tables_are_pdfplumbers_own():
    pages = list(_crossings([*sorted(CORPUS.glob("*.pdf")), *sorted(SYNTHETIC.glob("*.pdf"))[::2]]))
    assert len(pages) > 20
    total = 0
    for crossings, finder in pages:
        cells = tablefinder.cells_from_intersections(crossings)
        assert cells == plumber_table.intersections_to_cells(crossings) == finder.cells
        total += len(cells)
    assert total > 4000


def test_a_grid_with_a_merged_cell():
    def rule(x0, top, x1, bottom):
        return {"object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0,
                "height": bottom - top, "doctop": top, "orientation": "h" if top == bottom else "v"}

    # Two rows, three columns; no rule between the first two cells of the top row.
    edges = [rule(0, y, 90, y) for y in (0, 10, 20)] + [rule(x, 0, x, 20) for x in (0, 60, 90)]
    edges.append(rule(30, 10, 30, 20))
    crossings = plumber_table.edges_to_intersections(edges, 3, 3)
    cells = tablefinder.cells_from_intersections(crossings)
    assert cells == plumber_table.intersections_to_cells(crossings)
    assert sorted(cells) == [(0, 0, 60, 10), (0, 10, 30, 20), (30, 10, 60, 20), (60, 0, 90, 10), (60, 10, 90, 20)]
