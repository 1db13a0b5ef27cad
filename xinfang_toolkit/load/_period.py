"""The year and the period a sheet's title names (2026年9月, 2026年1-9月, 截至2026年9月20日):
one parser for the loader and the archive."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..clean import fold_width

_YEAR = re.compile(r"(?<!\d)((?:19[89]|20\d)\d)(?:年|(?!\d))")

_FILL_IN_DATE = re.compile(
    r"(填报|填表|导出|制表|打印|统计|报送|截止)(时间|日期)[:：]?\s*\S*"
    r"|(?<!\d)\d{4}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|([-/.])\d{1,2}\1\d{1,2}(?!\d))"
)


def infer_year(cells: np.ndarray, header_top: int, sheet: str, file: Path) -> int | None:
    """The year of a sheet's dates written without one: from the title rows (not from the
    填报时间/导出时间 of the fill-in line or other full dates), else the sheet name, else the file."""
    for row in cells[:header_top]:
        for value in row:
            if not isinstance(value, str):
                continue
            text = _FILL_IN_DATE.sub(" ", fold_width(value))
            if m := _YEAR.search(text):
                return int(m[1])
    for text in (sheet, file.stem):
        if m := _YEAR.search(text):
            return int(m[1])
    return None


_TITLE_MONTHS = re.compile(
    r"(?<!\d)((?:19[89]|20\d)\d)\s*年\s*(?:(\d{1,2})\s*月?\s*[-—~至到]\s*)?(\d{1,2})\s*月(?!\s*\d{1,2}\s*[日号])"
)


def title_period_end(cells: np.ndarray, header_top: int, sheet: str, file: Path):
    """The last day of the months a title names (2026年10月, 2026年1-10月), else None."""
    texts = [v for row in cells[:header_top] for v in row if isinstance(v, str)]
    for text in [*texts, sheet, file.stem]:
        m = _TITLE_MONTHS.search(_FILL_IN_DATE.sub(" ", fold_width(text)))
        if m and 1 <= int(m[3]) <= 12:
            return (pd.Timestamp(int(m[1]), int(m[3]), 1) + pd.offsets.MonthEnd(0)).date()
    return None
