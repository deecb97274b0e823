"""Inline SVG bar charts, drawn in Python: no script, no external file, every label escaped."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

PALETTE: tuple[str, ...] = ("#2b6cb0", "#38a169", "#d69e2e", "#c53030", "#805ad5", "#718096")
_WIDTH = 860
_LABEL = 250  # room for a body's name and year on the left
_VALUE = 80  # room for the total on the right
_ROW = 22
_BAR = 14
_LEGEND = 26


def bar_chart(title: str, series: Sequence[str], bars: Sequence[tuple[str, Sequence[float]]]) -> str:
    """Return an SVG of horizontal bars, one per (label, values), each stacked by `series`."""
    if not bars:
        return f'<figure class="chart"><figcaption>{escape(title)}</figcaption><p class="empty">no data</p></figure>'
    top = _LEGEND if len(series) > 1 else 6
    height = top + _ROW * len(bars) + 6
    peak = max(sum(values) for _, values in bars) or 1.0
    scale = (_WIDTH - _LABEL - _VALUE) / peak
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" '
             f'viewBox="0 0 {_WIDTH} {height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    if len(series) > 1:
        parts.append(_legend(series))
    for index, (label, values) in enumerate(bars):
        parts.append(_bar(top + index * _ROW, label, series, values, scale))
    parts.append("</svg>")
    return f'<figure class="chart"><figcaption>{escape(title)}</figcaption>{"".join(parts)}</figure>'


def _legend(series: Sequence[str]) -> str:
    """Return the legend: a colour swatch and name per series."""
    items = []
    x = _LABEL
    for index, name in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        items.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{x + 16}" y="16" font-size="12">{escape(name)}</text>')
        x += 24 + 13 * len(name)
    return "".join(items)


def _bar(y: int, label: str, series: Sequence[str], values: Sequence[float], scale: float) -> str:
    """Return one labelled, stacked bar with its total."""
    shown = label if len(label) <= 20 else label[:19] + "…"
    parts = [f'<text x="{_LABEL - 8}" y="{y + _BAR - 2}" font-size="12" text-anchor="end">'
             f"<title>{escape(label)}</title>{escape(shown)}</text>"]
    x = float(_LABEL)
    for index, (name, value) in enumerate(zip(series, values, strict=True)):
        width = value * scale
        if width <= 0:
            continue
        colour = PALETTE[index % len(PALETTE)]
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{_BAR}" fill="{colour}">'
                     f"<title>{escape(label)} · {escape(name)}: {_figure(value)}</title></rect>")
        x += width
    parts.append(f'<text x="{x + 6:.1f}" y="{y + _BAR - 2}" font-size="12">{_figure(sum(values))}</text>')
    return "".join(parts)


def _figure(value: float) -> str:
    """Return a value as shown on a chart: 3,119 or 96,171.60."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"
