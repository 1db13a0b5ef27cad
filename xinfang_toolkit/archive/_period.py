"""The period of a ledger: the day its facts are as of (a 积案台账 of 2026年9月 -> 2026-09-30).

Looked for in this order: ``period=`` given by the user; the file name (2026年9月, 2026-09,
2026.09, 202609, 2026年1-9月 -> the last month); the title lines of the first sheet (same
spellings; 填报时间/导出时间 lines are not titles); else the latest received or closing day in the
file's cases ("按数据推断", reported so).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

_YM = re.compile(
    r"(?<!\d)(20\d\d)\s*(?:年\s*(?:\d{1,2}\s*(?:月\s*)?(?:-|—|–|~|至|到)\s*)?(\d{1,2})\s*月"
    r"|[-_.](\d{1,2})(?!\d)|(0[1-9]|1[0-2])(?!\d))"
)
_DAY = re.compile(
    r"(?<!\d)(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
    r"|(?<!\d)(20\d\d)([-./])(\d{1,2})\5(\d{1,2})(?!\d)"
)
_FILL_IN = re.compile(r"(填报|填表|导出|制表|打印|报送)(时间|日期)")


def _month_end(year: int, month: int) -> pd.Timestamp | None:
    if not 1 <= month <= 12:
        return None
    return pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)


def period_from_text(text: str) -> pd.Timestamp | None:
    """The period a title or file name names, or None: a day (2026年9月20日, 2026-09-20) -> that
    day, a month (2026年9月, 2026-09, 202609, 2026年1-9月) -> its last day."""
    text = unicodedata.normalize("NFKC", text)
    if m := _DAY.search(text):
        y, mo, d = (m[1], m[2], m[3]) if m[1] else (m[4], m[6], m[7])
        try:
            return pd.Timestamp(year=int(y), month=int(mo), day=int(d))
        except ValueError:
            return None
    for m in _YM.finditer(text):
        month = next(g for g in m.groups()[1:] if g is not None)
        found = _month_end(int(m[1]), int(month))
        if found is not None:
            return found
    return None


def _title_lines(path: Path) -> list[str]:
    """The text of the first rows of the first sheet (workbooks only)."""
    if path.suffix.lower() not in {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}:
        return []
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
        rows = wb.get_sheet_by_index(0).to_python(nrows=4)
    except Exception:  # an unreadable file is reported by load_cases
        return []
    lines = []
    for row in rows:
        text = " ".join(str(v) for v in row if isinstance(v, str) and v.strip())
        if text and not _FILL_IN.search(text):
            lines.append(text)
    return lines


def ledger_period(
    path: Path, cases: pd.DataFrame, given: object = None
) -> tuple[pd.Timestamp, str]:
    """``(period day, where it came from)`` for one ledger file; see the module docstring."""
    if given is not None:
        found = period_from_text(str(given)) if isinstance(given, str) else None
        if found is None:
            try:
                found = pd.Timestamp(given).normalize()
            except (ValueError, TypeError):
                raise ValueError(
                    f"period={given!r} 无法识别, 请写成 2026-09 或 2026-09-30 / unreadable period"
                ) from None
            if isinstance(given, str) and re.fullmatch(r"\s*\d{4}-\d{1,2}\s*", given):
                found = found + pd.offsets.MonthEnd(0)
        return found, "参数 period="
    found = period_from_text(path.stem)
    if found is not None:
        return found, "文件名"
    for line in _title_lines(path):
        found = period_from_text(line)
        if found is not None:
            return found, "标题"
    days = pd.concat([cases["received_date"], cases["closed_date"]]).dropna()
    if days.empty:
        raise ValueError(
            f"{path.name}: 无法确定台账所属月份 (文件名和标题中没有, 也没有日期), "
            "请用 period= 指定 / give period="
        )
    return pd.Timestamp(days.max()).normalize(), "按数据推断"
