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


_Y = r"(?:19[89]|20\d)\d"
#: a day: 2026年9月20日 (or 号), 2026-09-20, 2026/9/20, 2026.9.20
_DAY = re.compile(
    rf"(?<!\d)({_Y})\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*[日号]"
    rf"|(?<!\d)({_Y})([-./])(\d{{1,2}})\5(\d{{1,2}})(?!\d)"
)
#: a month: 2026年9月, 2026年1-9月 (the last month), 2026-09, 2026_09, 2026.9, 202609
_MONTH = re.compile(
    rf"(?<!\d)({_Y})\s*(?:年\s*(?:\d{{1,2}}\s*(?:月\s*)?(?:-|—|–|~|至|到)\s*)?(\d{{1,2}})\s*月"
    r"|[-_.](\d{1,2})(?!\d)|(0[1-9]|1[0-2])(?!\d))"
)
#: the date of a fill-in line (填报时间: 2026年10月8日) is when the sheet was filled in, no period
_FILL_IN = re.compile(r"(填报|填表|导出|制表|打印|报送)(时间|日期)[:：]?\s*\S*")


def _month_end(year: int, month: int) -> pd.Timestamp | None:
    if not 1 <= month <= 12:
        return None
    return pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)


#: the end of a range of days written without its year: 2026年9月1日至9月30日, 至30日
_SHORT_END = re.compile(r"\s*(?:至|到|-|—|–|~)\s*(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*[日号]")


def _day(year: object, month: object, day: object) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(year=int(year), month=int(month), day=int(day))
    except ValueError:
        return None


def period_from_text(text: str) -> pd.Timestamp | None:
    """The period a title, sheet or file name names, or None: a day (2026年9月20日, 2026-09-20)
    -> that day, a month (2026年9月, 2026-09, 202609, 2026年1-9月) -> its last day; a range
    (2026年1月1日至2026年9月30日, 2026年9月1日至30日, 2026.1-2026.9) -> the end of its last part.
    The date of a fill-in phrase (填报时间/导出时间/制表日期 ...) is not a period."""
    text = _FILL_IN.sub(" ", fold_width(str(text)))
    days = list(_DAY.finditer(text))
    if days:
        m = days[-1]
        year, month, day = (m[1], m[2], m[3]) if m[1] else (m[4], m[6], m[7])
        if end := _SHORT_END.match(text, m.end()):  # the range ends in the same year
            month, day = end[1] or month, end[2]
        return _day(year, month, day)
    found = None
    for m in _MONTH.finditer(text):  # the last month named (2026.1-2026.9: September)
        month = next(g for g in m.groups()[1:] if g is not None)
        found = _month_end(int(m[1]), int(month)) or found
    return found


#: where a sheet's period was found, in the order looked at
TITLE, SHEET_NAME, FILE_NAME = "标题", "工作表名", "文件名"


def title_period(
    cells: np.ndarray, header_top: int, sheet: str, file: Path
) -> tuple[pd.Timestamp | None, str]:
    """``(period day, where found)`` of one sheet: the day or the last day of the months named
    by its title rows (above the header), else by the sheet name, else by the file name;
    ``(None, "")`` when none names one."""
    titles = [v for row in cells[:header_top] for v in row if isinstance(v, str)]
    places = [*((t, TITLE) for t in titles), (sheet, SHEET_NAME), (file.stem, FILE_NAME)]
    for text, place in places:
        found = period_from_text(text)
        if found is not None:
            return found, place
    return None, ""
