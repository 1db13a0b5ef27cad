"""The period of a ledger: the day its facts are as of (a 积案台账 of 2026年9月 -> 2026-09-30).

Looked for in this order: ``period=`` given by the user; the file name (2026年9月, 2026-09,
2026.09, 202609, 2026年1-9月 -> the last month); the title rows of the first sheet that names a
period in its title (or sheet name), as ``load_cases`` recorded it in ``LoadResult.sources``
(read by the loader's one parser, :func:`xinfang_toolkit.load.period_from_text`; the workbook is
not opened again); else the latest received or closing day in the file's cases ("按数据推断",
reported so).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..load import LoadResult, period_from_text

__all__ = ["ledger_period", "period_from_text"]

#: where the loader found a sheet's period that the archive takes as the ledger's title period
_TITLE_SOURCES = ("标题", "工作表名")


def _title_period(loaded: LoadResult | pd.DataFrame) -> tuple[pd.Timestamp | None, str]:
    """The period the first sheet of a loaded file names in its title (or sheet name), as the
    loader recorded it in ``LoadResult.sources``: the workbook is not opened again."""
    sources = getattr(loaded, "sources", None)
    if sources is None or "period" not in sources.columns:
        return None, ""
    named = sources[sources["period"].notna() & sources["period_source"].isin(_TITLE_SOURCES)]
    if not len(named):
        return None, ""
    first = named.iloc[0]
    return pd.Timestamp(first["period"]), str(first["period_source"])


def ledger_period(
    path: Path, loaded: LoadResult | pd.DataFrame, given: object = None
) -> tuple[pd.Timestamp, str]:
    """``(period day, where it came from)`` for one ledger file read by ``load_cases``
    (``loaded``: its LoadResult; a bare cases frame has no title to go by); see the module
    docstring."""
    cases = loaded.cases if isinstance(loaded, LoadResult) else loaded
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
    found, where = _title_period(loaded)
    if found is not None:
        return found, where
    days = pd.concat([cases["received_date"], cases["closed_date"]]).dropna()
    if days.empty:
        raise ValueError(
            f"{path.name}: 无法确定台账所属月份 (文件名和标题中没有, 也没有日期), "
            "请用 period= 指定 / give period="
        )
    return pd.Timestamp(days.max()).normalize(), "按数据推断"
