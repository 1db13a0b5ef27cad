"""Reporting periods: parsing the bounds and finding the comparison period (同比 / 环比)."""

from __future__ import annotations

import pandas as pd

COMPARE_NAMES: dict[str, str] = {"yoy": "同比", "mom": "环比"}
COMPARE_PERIOD_NAMES: dict[str, str] = {"yoy": "去年同期", "mom": "上期"}


def to_day(value: object, *, name: str) -> pd.Timestamp:
    """A date given as text, date or Timestamp, normalised to the day; a clear error otherwise."""
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} 不是有效日期：{value!r} (not a valid date)") from exc
    if pd.isna(ts):
        raise ValueError(f"{name} 不能为空 (a date is required)")
    return ts.tz_localize(None).normalize() if ts.tzinfo else ts.normalize()


def check_period(start: object, end: object) -> tuple[pd.Timestamp, pd.Timestamp]:
    s, e = to_day(start, name="start 起始日期"), to_day(end, name="end 截止日期")
    if s > e:
        raise ValueError(
            f"起始日期 {s.date()} 晚于截止日期 {e.date()} (start is after end)",
        )
    return s, e


def _is_month_end(day: pd.Timestamp) -> bool:
    return day == day + pd.offsets.MonthEnd(0)


def months_spanned(
    start: pd.Timestamp, end: pd.Timestamp, *, period_cutoff_day: int | None = None
) -> int | None:
    """Number of whole statistical months from start to end, or None if not month-aligned.

    Calendar months run from the 1st to the month end; with ``period_cutoff_day`` (e.g. 20, the
    office closes its month on the 20th) they run from the 21st to the 20th.
    """
    if period_cutoff_day is None:
        aligned = start.day == 1 and _is_month_end(end)
        months = (end.year - start.year) * 12 + end.month - start.month + 1
    else:
        aligned = start.day == period_cutoff_day + 1 and end.day == period_cutoff_day
        months = (end.year - start.year) * 12 + end.month - start.month
    return months if aligned and months > 0 else None


def previous_period(
    start: pd.Timestamp,
    end: pd.Timestamp,
    compare: str,
    *,
    period_cutoff_day: int | None = None,
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The comparison period: the same dates a year before (yoy) or the period just before (mom).

    For mom, a period of whole (statistical) months is shifted back by its number of months;
    any other period by its length in days.
    """
    if compare == "yoy":
        return start - pd.DateOffset(years=1), end - pd.DateOffset(years=1)
    if compare == "mom":
        months = months_spanned(start, end, period_cutoff_day=period_cutoff_day)
        if months is not None:
            new_end = end - pd.DateOffset(months=months)
            if period_cutoff_day is None:
                new_end = new_end + pd.offsets.MonthEnd(0)
            return start - pd.DateOffset(months=months), new_end
        days = (end - start).days + 1
        return start - pd.Timedelta(days=days), start - pd.Timedelta(days=1)
    raise ValueError(f"compare 只能是 'yoy'（同比）或 'mom'（环比），收到 {compare!r}")


def period_text(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """2021年1月1日至2021年4月30日"""

    def one(d: pd.Timestamp) -> str:
        return f"{d.year}年{d.month}月{d.day}日"

    return one(start) if start == end else f"{one(start)}至{one(end)}"
