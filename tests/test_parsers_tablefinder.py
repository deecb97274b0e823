"""The indexed cell search gives pdfplumber's own cells, in its order, on every ruled page."""

from __future__ import annotations

import pdfplumber
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


def _flat(edges):
    return [(e["orientation"], e["x0"], e["x1"], e["top"], e["bottom"], e["width" if e["orientation"] == "h" else "height"])
            for e in edges]


@needs_corpus
def test_ruling_edges_are_pdfplumbers_own():
    pages = list(_crossings([*sorted(CORPUS.glob("*.pdf")), *sorted(SYNTHETIC.glob("*.pdf"))]))
    assert len(pages) > 50
    closed = 0
    for _, finder in pages:
        closing = finder.settings.explicit_horizontal_lines or []
        closed += len(closing)
        assert _flat(tablefinder.ruling_edges(finder.page.edges, closing)) == _flat(finder.get_edges())
    assert closed > 0  # pages of tables cut by a page break among them
    # And on pdfplumber's own edges (its route for pages pdfium cannot describe: curves among them).
    for path in sorted(CORPUS.glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                closing = tablefinder.closing_lines(page.edges)
                finder = TableFinder(page, TableSettings.resolve({"explicit_horizontal_lines": closing} if closing
                                                                 else {}))
                assert _flat(tablefinder.ruling_edges(page.edges, closing)) == _flat(finder.get_edges())


def test_ruling_edges_snap_join_and_drop_as_pdfplumber_does():
    def edge(x0, top, x1, bottom):
        return {"object_type": "line_edge", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0,
                "height": bottom - top, "doctop": top, "orientation": "h" if top == bottom else "v"}

    # Borders drawn as thin boxes (two long sides, two short ends), pieces of one rule a little apart or
    # overlapping, a rule drawn twice a hair apart, a stub too short to keep, and a cut closed by a line.
    edges = [edge(10, 100, 200, 100), edge(10, 100.75, 200, 100.75), edge(10, 100, 10, 100.75),
             edge(200, 100, 200, 100.75), edge(10.2, 100, 10.2, 180), edge(10.6, 178, 10.6, 260.5),
             edge(120, 100.4, 120, 260), edge(120.3, 262, 120.3, 300), edge(200, 101, 200, 300),
             edge(10, 260, 130, 260), edge(128, 260.2, 200.5, 260.2), edge(50, 150, 51.5, 150),
             edge(60, 40, 60, 40.5)]
    closing = [{"object_type": "line", "x0": 10, "x1": 200, "top": 300, "bottom": 300, "width": 190,
                "height": 0.0, "doctop": 300}]
    page = type("Page", (), {"edges": edges, "bbox": (0, 0, 595, 842)})()
    finder = TableFinder(page, TableSettings.resolve({"explicit_horizontal_lines": closing}))
    mine = tablefinder.ruling_edges(edges, closing)
    assert _flat(mine) == _flat(finder.get_edges())
    assert [(e["orientation"], round(e["x0"], 3), round(e["x1"], 3), round(e["top"], 3), round(e["bottom"], 3))
            for e in mine] == [
        ("h", 10, 200, 100.375, 100.375), ("h", 10, 200.5, 260.1, 260.1), ("h", 10, 200, 300, 300),
        ("v", 10.4, 10.4, 100, 260.5), ("v", 120.15, 120.15, 100.4, 300), ("v", 200, 200, 101, 300)]


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
