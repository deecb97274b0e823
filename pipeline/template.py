"""Which national template a report follows: 2019, 2021 or a mix, from the rows and columns it prints."""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.spec import ACTIVE_2019_COLUMNS, ACTIVE_2019_ROWS
from pipeline.tables.grid import KeyedCell

_ACTIVE_2021_COLUMNS = frozenset({"issued", "repealed", "in_force", "amount_10k_yuan"})


def detect_template(cells: Iterable[KeyedCell]) -> str | None:
    """Return "2019", "2021" or "mixed" from the keyed cells of a report, or None without evidence.

    2019 signs: the 2019 columns of table 二 (本年新制作数量, 上一年项目数量 …), its rows
    其他对外管理服务事项 and 政府集中采购, the single （六）其他处理 row of table 三.
    2021 signs: 本年制发件数 / 本年废止件数 / 现行有效件数, 本年收费金额, the three （六） sub-rows.
    """
    signs_2019 = signs_2021 = False
    for cell in cells:
        if cell.table == "active_disclosure":
            signs_2019 |= cell.column in ACTIVE_2019_COLUMNS or cell.row in ACTIVE_2019_ROWS
            signs_2021 |= cell.column in _ACTIVE_2021_COLUMNS
        elif cell.table == "applications":
            signs_2019 |= cell.row == "other"
            signs_2021 |= cell.row.startswith("other.")
    if signs_2019 and signs_2021:
        return "mixed"
    if signs_2019:
        return "2019"
    return "2021" if signs_2021 else None
