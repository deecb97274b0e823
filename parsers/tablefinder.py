"""Ruled tables from edges: pdfplumber's table finder, with its search for cells indexed.

pdfplumber finds the cells of a ruled table from the crossings of its rules: for every crossing
it looks for the smallest rectangle whose four corners are crossings joined by rules. Its search
scans every later crossing for each one and rebuilds the sets of rules at both ends of every
pair it compares: quadratic, a tenth of a parse on the statistics tables of a report.
`cells_from_intersections` returns the same cells in the same order, with each crossing's rules
collected once and the crossings indexed by column and by row. Edges, crossings and the
grouping of cells into tables are pdfplumber's own functions.

Also here: the border a table cut by a page break lacks (`closing_lines`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

from pdfplumber import table as plumber_table
from pdfplumber.table import TableSettings
from pdfplumber.utils import obj_to_bbox

from parsers.chartext import clusters

__all__ = ["cells_from_intersections", "cells_to_tables", "closing_lines", "edges_to_intersections", "find_tables",
           "ruling_edges"]

_SNAP = 2.0  # points: rule ends closer than this meet
_SETTINGS = TableSettings.resolve({})  # pdfplumber's defaults: its tolerances and least lengths

Point = tuple[float, float]
Box = tuple[float, float, float, float]


def find_tables(page: Any, edges: Sequence[dict[str, Any]]) -> list[tuple[Box, list[Box]]]:
    """Return (bbox, cell boxes) of each ruled table pdfplumber finds on `page` (whose rules are `edges`)."""
    crossings = edges_to_intersections(ruling_edges(edges, closing_lines(edges)), _SETTINGS.intersection_x_tolerance,
                                       _SETTINGS.intersection_y_tolerance)
    cells = cells_from_intersections(crossings)
    tables = [plumber_table.Table(page, group) for group in cells_to_tables(cells)]
    return [(t.bbox, t.cells) for t in tables if t.cells]


def ruling_edges(edges: Sequence[dict[str, Any]], closing: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """Return the rules pdfplumber's `TableFinder.get_edges` returns for a page's `edges` with the `closing`
    lines (`closing_lines`) as its explicit horizontal lines, in its order, with its default settings.

    Its steps, without copying every edge dict at each of them (a page of rules drawn as thin boxes has
    a thousand edges): edges shorter than the prefilter dropped; each orientation snapped, clusters of
    positions within the snap tolerance moved to their mean; collinear edges joined where they meet
    within the join tolerance; edges shorter than the minimum dropped. Each value is computed as
    pdfplumber computes it (a moved edge keeps its length; a joined one's length grows by the difference
    of its ends), so that the crossings found from them are its own to the last bit.
    """
    prefilter, least = _SETTINGS.edge_min_length_prefilter, _SETTINGS.edge_min_length
    # (x0, x1, top, bottom, length): length is pdfplumber's "width" of a horizontal edge, "height" of a vertical one
    vertical = [(e["x0"], e["x1"], e["top"], e["bottom"], e["height"]) for e in edges
                if e["orientation"] == "v" and e["height"] >= prefilter]
    horizontal = [(e["x0"], e["x1"], e["top"], e["bottom"], e["width"]) for e in edges
                  if e["orientation"] == "h" and e["width"] >= prefilter]
    horizontal += [(e["x0"], e["x1"], e["top"], e["bottom"], e["width"]) for e in closing
                   if e["top"] == e["bottom"]]  # (pdfplumber's line_to_edge: a line is horizontal when flat)
    out: list[dict[str, Any]] = []
    for orientation, found, at, tolerance in (("h", horizontal, 2, _SETTINGS.join_x_tolerance),
                                              ("v", vertical, 0, _SETTINGS.join_y_tolerance)):
        snapped = _snapped(found, at, _SETTINGS.snap_y_tolerance if at == 2 else _SETTINGS.snap_x_tolerance)
        snapped.sort(key=itemgetter(at))  # (stable, as pdfplumber's sort by its group key)
        start, end = (0, 1) if orientation == "h" else (2, 3)
        for _, group in groupby(snapped, key=itemgetter(at)):
            joined: list[list[float]] = []
            for edge in sorted(group, key=itemgetter(start)):
                last = joined[-1] if joined else None
                if last is None or edge[start] > last[end] + tolerance:
                    joined.append(list(edge))
                elif edge[end] > last[end]:  # pdfplumber's resize_object
                    last[4] = edge[end] - last[start] if orientation == "h" else last[4] + (edge[end] - last[end])
                    last[end] = edge[end]
            out.extend({"orientation": orientation, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                        ("width" if orientation == "h" else "height"): length}
                       for x0, x1, top, bottom, length in joined if length >= least)
    return out


def _snapped(edges: list[tuple[float, float, float, float, float]], at: int,
             tolerance: float) -> list[tuple[float, float, float, float, float]]:
    """Return edges snapped as pdfplumber's `snap_objects` snaps them on the coordinate at index `at` (0: x0,
    moving x0 and x1; 2: top, moving top and bottom): clustered by that coordinate as its `cluster_objects`
    clusters them (`chartext.clusters`), each edge moved by its cluster's mean less its own position."""
    groups = clusters(edges, [edge[at] for edge in edges], tolerance)
    out = []
    for cluster in groups:
        mean = sum(edge[at] for edge in cluster) / len(cluster)
        for edge in cluster:
            shift = mean - edge[at]
            out.append((edge[0] + shift, edge[1] + shift, edge[2], edge[3], edge[4]) if at == 0
                       else (edge[0], edge[1], edge[2] + shift, edge[3] + shift, edge[4]))
    return out


def edges_to_intersections(edges: Sequence[dict[str, Any]], x_tolerance: float,
                           y_tolerance: float) -> dict[Point, dict[str, list[dict[str, Any]]]]:
    """Return the crossings pdfplumber's `edges_to_intersections` returns, in its order.

    It sorts the horizontal rules again for every vertical one and tests every pair; here they are
    sorted once, and a vertical rule is tested only against those whose height lies within its reach.
    """
    vertical = sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    horizontal = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    tops = [h["top"] for h in horizontal]
    intersections: dict[Point, dict[str, list[dict[str, Any]]]] = {}
    for v in vertical:
        # v["top"] <= h["top"] + y_tolerance and v["bottom"] >= h["top"] - y_tolerance, as a slice of the
        # rules by height (a point of slack at both ends; the test itself is pdfplumber's).
        low = bisect_left(tops, v["top"] - y_tolerance - 1)
        high = bisect_right(tops, v["bottom"] + y_tolerance + 1)
        for h in horizontal[low:high]:
            if (v["top"] <= h["top"] + y_tolerance and v["bottom"] >= h["top"] - y_tolerance
                    and v["x0"] >= h["x0"] - x_tolerance and v["x0"] <= h["x1"] + x_tolerance):
                vertex = (v["x0"], h["top"])
                if vertex not in intersections:
                    intersections[vertex] = {"v": [], "h": []}
                intersections[vertex]["v"].append(v)
                intersections[vertex]["h"].append(h)
    return intersections


def cells_to_tables(cells: Sequence[Box]) -> list[list[Box]]:
    """Return the cells grouped into tables as pdfplumber's `cells_to_tables` does, in its order.

    Its passes are kept (a table grows by the cells that touch one of its corners, pass after pass
    over the cells left, in their order); a cell taken is struck off where pdfplumber's
    `list.remove` would strike it (the first cell left of its value), without searching the list.
    """
    left: list[Box | None] = list(cells)
    places: dict[Box, list[int]] = defaultdict(list)
    for index, cell in enumerate(left):
        places[cell].append(index)  # type: ignore[index]
    corners: set[Point] = set()
    current: list[Box] = []
    tables: list[list[Box]] = []
    remaining = len(left)
    while remaining:
        before = len(current)
        for cell in [c for c in left if c is not None]:
            x0, top, x1, bottom = cell
            cell_corners = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if current and not any(c in corners for c in cell_corners):
                continue
            corners.update(cell_corners)
            current.append(cell)
            left[places[cell].pop(0)] = None
            remaining -= 1
        if len(current) == before:
            tables.append(list(current))
            corners.clear()
            current.clear()
    if current:
        tables.append(list(current))
    return [t for t in sorted(tables, key=lambda t: min((c[1], c[0]) for c in t)) if len(t) > 1]


def cells_from_intersections(intersections: dict[Point, dict[str, list[dict[str, Any]]]]) -> list[Box]:
    """Return the cells pdfplumber's `intersections_to_cells` returns for these crossings, in its order."""
    vertical = {p: {obj_to_bbox(e) for e in found["v"]} for p, found in intersections.items()}
    horizontal = {p: {obj_to_bbox(e) for e in found["h"]} for p, found in intersections.items()}
    points = sorted(intersections)
    # Crossings after each one in sorted order: below it on its column, right of it on its row.
    column: dict[float, list[Point]] = defaultdict(list)
    row: dict[float, list[Point]] = defaultdict(list)
    for point in points:
        column[point[0]].append(point)
        row[point[1]].append(point)
    below_at = {p: column[p[0]][i + 1:] for col in column.values() for i, p in enumerate(col)}
    right_at = {p: row[p[1]][i + 1:] for line in row.values() for i, p in enumerate(line)}
    cells = []
    for point in points:
        cell = _smallest_cell(point, below_at[point], right_at[point], vertical, horizontal)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(point: Point, below: Sequence[Point], right: Sequence[Point],
                   vertical: dict[Point, set[Box]], horizontal: dict[Point, set[Box]]) -> Box | None:
    """Return the first cell with its top-left corner at `point`, searched as pdfplumber does.

    pdfplumber joins two crossings when they share a rule: a vertical one for two crossings on one
    column, a horizontal one for two on one row. Every pair compared here lies on one column or one
    row, so each test asks only the rules of that direction.
    """
    down, across = vertical[point], horizontal[point]
    joined: list[Point] | None = None  # the crossings right of `point` joined to it, found once
    for below_pt in below:
        if down.isdisjoint(vertical[below_pt]):
            continue
        if joined is None:
            joined = [r for r in right if not across.isdisjoint(horizontal[r])]
        below_rules = horizontal[below_pt]
        for right_pt in joined:
            corner = (right_pt[0], below_pt[1])
            rules = vertical.get(corner)
            if rules is not None and not rules.isdisjoint(vertical[right_pt]) \
                    and not horizontal[corner].isdisjoint(below_rules):
                return (point[0], point[1], corner[0], corner[1])
    return None


def closing_lines(edges: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return horizontal rules where a table's vertical lines end with no border drawn.

    A table cut by a page break often lacks the bottom (or top) border on that page; without
    it pdfplumber drops the last row. Vertical rules ending at one height imply the border.
    Chromium draws no top border on the page a table continues on (a collapsed border belongs
    to the row above the break).
    """
    vertical = _joined_verticals([e for e in edges if e["orientation"] == "v"])
    # A rule drawn as a thin filled rectangle (Chromium's borders) has two tiny horizontal sides at
    # its ends: they close nothing.
    horizontal = [e for e in edges if e["orientation"] == "h" and e["x1"] - e["x0"] > _SNAP]
    ends: dict[float, list[list[float]]] = {}
    # The horizontal rules by height: each end is tested only against those near its height (a
    # point of slack around the window, the test itself unchanged).
    by_top = sorted(horizontal, key=lambda h: h["top"])
    tops = [h["top"] for h in by_top]
    for edge in vertical:
        x = edge[0]
        for y in (edge[2], edge[3]):
            near = by_top[bisect_left(tops, y - _SNAP - 1):bisect_right(tops, y + _SNAP + 1)]
            closed = any(abs(h["top"] - y) <= _SNAP and h["x0"] - _SNAP <= x <= h["x1"] + _SNAP for h in near)
            if not closed:
                key = next((k for k in ends if abs(k - y) <= _SNAP), y)
                ends.setdefault(key, []).append(edge)
    lines = []
    for y, group in ends.items():
        if len(group) >= 2:
            # The cut goes on along rules drawn at its height (the rows' own bottom rules of the
            # columns whose cells end there), so that a merged cell cut with them is closed too.
            along = [h for h in horizontal if abs(h["top"] - y) <= _SNAP]
            x0 = min([e[0] for e in group] + [h["x0"] for h in along])
            x1 = max([e[1] for e in group] + [h["x1"] for h in along])
            lines.append({"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y,
                          "width": x1 - x0, "height": 0.0, "doctop": y})
    return lines


def _joined_verticals(vertical: Sequence[dict[str, Any]]) -> list[list[float]]:
    """Return [x0, x1, top, bottom] of the vertical rules with collinear pieces that meet joined into one.

    Chromium draws a column's rule in one piece per row, also down a merged cell: the piece ends
    there are no ends of the rule (a page of such tables has hundreds of pieces: kept as lists, not dicts).
    """
    out: list[list[float]] = []
    column = None  # the x0 to a tenth of a point of the last rule
    for key, top, edge in sorted(((round(e["x0"], 1), e["top"], e) for e in vertical), key=itemgetter(0, 1)):
        if key == column and top <= out[-1][3] + _SNAP:
            if edge["bottom"] > out[-1][3]:
                out[-1][3] = edge["bottom"]
        else:
            out.append([edge["x0"], edge["x1"], top, edge["bottom"]])
            column = key
    return out
