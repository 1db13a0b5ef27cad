"""Days and statistical periods: parsing a day, calendar months or months closing on a cut-off
day, a report's bounds and its comparison period (同比 / 环比).

With ``cutoff_day=20`` a period runs from the 21st of one month to the 20th of the next and is
labelled by the month it ends in: 2025-03-21 .. 2025-04-20 is period "2025-04".
"""

from __future__ import annotations

import pandas as pd

from ..schema import TEXT_DTYPE

__all__ = [
    "COMPARE_NAMES",
    "COMPARE_PERIOD_NAMES",
    "data_as_of",
    "assign_period",
    "check_period",
    "data_period",
    "months_spanned",
    "period_bounds",
    "period_text",
    "previous_period",
    "to_day",
]

COMPARE_NAMES: dict[str, str] = {"yoy": "同比", "mom": "环比"}
COMPARE_PERIOD_NAMES: dict[str, str] = {"yoy": "去年同期", "mom": "上期"}


def to_day(value: object, *, name: str = "today 今天", default_today: bool = False) -> pd.Timestamp:
    """A date given as text, date or Timestamp, normalised to the day; a clear error otherwise.

    ``default_today=True``: ``None`` means the real today (how ``today=`` options read it).
    """
    if value is None and default_today:
        return pd.Timestamp.today().normalize()
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} 不是有效日期：{value!r} (not a valid date)") from exc
    if pd.isna(ts):
        raise ValueError(f"{name} 不能为空 (a date is required)")
    return ts.tz_localize(None).normalize() if ts.tzinfo else ts.normalize()


def check_period(start: object, end: object) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day of a report period; start after end is an error."""
    s, e = to_day(start, name="start 起始日期"), to_day(end, name="end 截止日期")
    if s > e:
        raise ValueError(
            f"起始日期 {s.date()} 晚于截止日期 {e.date()} (start is after end)",
        )
    return s, e


def data_period(dates: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The data's own months: the first day of the earliest month to the last day of the latest.

    None when no date is known. (The command line's default report period.)
    """
    d = pd.to_datetime(dates, errors="coerce").dropna()
    if d.empty:
        return None
    first, last = d.min().normalize(), d.max().normalize()
    return first.replace(day=1), last + pd.offsets.MonthEnd(0)


def data_as_of(cases: pd.DataFrame) -> pd.Timestamp | None:
    """The latest day the ledgers know of (a case received or closed): the day a page counts
    as of when no day is given, instead of a day written into a notebook. None without dates."""
    days = []
    for name in ("received_date", "closed_date"):
        if name in cases.columns:
            d = pd.to_datetime(cases[name], errors="coerce").max()
            if not pd.isna(d):
                days.append(pd.Timestamp(d).normalize())
    return max(days) if days else None


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


def _check_cutoff(cutoff_day: int | None) -> None:
    if cutoff_day is None:
        return
    if isinstance(cutoff_day, bool) or not isinstance(cutoff_day, int) or not 1 <= cutoff_day <= 28:
        raise ValueError(
            f"统计截止日 period_cutoff_day 必须是 1–28 之间的整数（或 None 表示自然月），"
            f"而不是 {cutoff_day!r}"
        )


def assign_period(dates: pd.Series, *, cutoff_day: int | None = None) -> pd.Series:
    """Period label "YYYY-MM" of each date (string Series; NaT -> NA)."""
    _check_cutoff(cutoff_day)
    d = pd.to_datetime(dates)
    month = d.dt.year * 12 + d.dt.month - 1  # months since year 0, float with NaN for NaT
    if cutoff_day is not None:
        month = month + (d.dt.day > cutoff_day).astype(int)
    codes = month.dropna().astype("int64")
    names = {m: f"{m // 12:04d}-{m % 12 + 1:02d}" for m in codes.unique()}
    labels = pd.Series(pd.NA, index=d.index, dtype=TEXT_DTYPE, name="period")
    labels[codes.index] = codes.map(names).astype(TEXT_DTYPE)
    return labels


def period_bounds(
    label: str, *, cutoff_day: int | None = None
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day (inclusive) of the period labelled ``label`` ("2025-04")."""
    _check_cutoff(cutoff_day)
    try:
        month = pd.Period(str(label), freq="M")
    except ValueError as exc:
        raise ValueError(f"统计期标签应形如 2025-04，而不是 {label!r}") from exc
    if cutoff_day is None:
        return month.start_time.normalize(), month.end_time.normalize()
    prev = month - 1
    start = pd.Timestamp(prev.year, prev.month, cutoff_day) + pd.Timedelta(days=1)
    return start, pd.Timestamp(month.year, month.month, cutoff_day)
