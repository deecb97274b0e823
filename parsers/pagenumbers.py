"""Running page numbers ("- 3 -", "— 3 —", "3", "第 3 页", "3/12") printed at the top or bottom of a page.

They are page furniture, not report text: a reader drops a line that looks like one when it
stands near the top or bottom edge of its page.
"""

from __future__ import annotations

import re

__all__ = ["is_running_page_number"]

_PAGE_NUMBER = re.compile(r"^[-—–_\s]*(第\s*)?\d{1,4}(\s*页)?(\s*/\s*\d{1,4})?[-—–_\s]*$")


def is_running_page_number(text: str, top: float, height: float) -> bool:
    """Return True when a line at `top` of a page `height` tall is a running page number."""
    near_edge = top > height * 0.85 or top < height * 0.08
    return near_edge and bool(_PAGE_NUMBER.match(text.strip()))
