"""Tests for pipeline.tables.grid: the keyed cell marked with how its table was read."""

from __future__ import annotations

from dataclasses import fields, replace

from pipeline.model import Box, GridRef
from pipeline.tables.grid import KeyedCell, with_method


def test_with_method_is_replace_over_every_field() -> None:
    cell = KeyedCell("active", "row", "column", "12", 3, item="item", confidence=0.5, method="grid",
                     box=Box(1.0, 2.0, 3.0, 4.0), grid_ref=GridRef(1, 2, 3))
    # A field added to KeyedCell must be added to with_method too.
    assert [f.name for f in fields(KeyedCell)] == ["table", "row", "column", "raw", "page", "item", "confidence",
                                                  "method", "box", "grid_ref"]
    marked = with_method(cell, "positions")
    expected = replace(cell, method="positions")
    assert all(getattr(marked, f.name) == getattr(expected, f.name) for f in fields(KeyedCell))
    assert marked.method == "positions"
