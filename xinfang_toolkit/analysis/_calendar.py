"""Working days on the official Chinese holiday calendar, including swapped workdays (调休).

The calendar comes from the ``chinese_calendar`` package, which knows each year's holidays and the
weekend days that become workdays. It only covers the years it has data for; a date outside them
raises a clear error instead of silently treating holidays as workdays.

Counting convention (as the regulation counts a limit): the start date itself is not counted;
``add_working_days(d, n)`` is the n-th working day after ``d``.
"""

from __future__ import annotations

from functools import lru_cache

import chinese_calendar
import numpy as np
import pandas as pd

__all__ = [
    "add_working_days",
    "is_working_day",
    "objection_deadline",
    "supported_years",
    "working_days_between",
]


def supported_years() -> tuple[int, int]:
    """First and last year the installed holiday calendar knows (e.g. (2004, 2026))."""
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


@lru_cache(maxsize=1)
def _table() -> tuple[np.datetime64, np.ndarray, np.ndarray]:
    """Day-by-day workday flags over the supported years and their running count."""
    first, last = supported_years()
    start = np.datetime64(f"{first}-01-01", "D")
    days = pd.date_range(f"{first}-01-01", f"{last}-12-31", freq="D")
    weekday = days.day_of_week.to_numpy() < 5
    holidays = days.isin(pd.DatetimeIndex(list(chinese_calendar.holidays)))
    extra = days.isin(pd.DatetimeIndex(list(chinese_calendar.workdays)))
    flags = (weekday & ~holidays) | extra
    return start, flags, np.cumsum(flags)


def _out_of_range(value: object) -> ValueError:
    first, last = supported_years()
    return ValueError(
        f"工作日计算只支持 {first}–{last} 年（chinese_calendar 包的节假日数据范围），"
        f"日期 {value} 超出范围；请升级 chinese-calendar 包。"
        f" / Working days are only known for {first}-{last}; {value} is outside."
    )


def _to_day(value: object) -> np.datetime64:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        raise ValueError("日期为空，无法计算工作日 / date is empty")
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"无法识别的日期：{value!r} / not a date") from exc
    return np.datetime64(ts.normalize().date(), "D")


def _offset(day: np.datetime64) -> int:
    start, flags, _ = _table()
    pos = int((day - start).astype(int))
    if pos < 0 or pos >= len(flags):
        raise _out_of_range(pd.Timestamp(day).date())
    return pos


def is_working_day(date: object) -> bool:
    """True when ``date`` is a working day (weekday not a holiday, or a 调休 weekend workday)."""
    _, flags, _ = _table()
    return bool(flags[_offset(_to_day(date))])


def add_working_days(date: object, n: int) -> pd.Timestamp:
    """The ``n``-th working day after ``date`` (``date`` itself not counted; n >= 0).

    2024-09-29 (a 调休 Sunday) + 5 -> 2024-10-11: 09-30 counts, 10-01..10-07 are 国庆 holidays.
    ``n == 0`` returns ``date`` unchanged.
    """
    if int(n) != n or n < 0:
        raise ValueError(f"工作日数必须是非负整数，而不是 {n!r} / n must be a non-negative integer")
    day = _to_day(date)
    if n == 0:
        return pd.Timestamp(day)
    start, flags, cum = _table()
    pos = _offset(day)
    target = cum[pos] + int(n)
    idx = int(np.searchsorted(cum, target, side="left"))
    if idx >= len(cum):
        raise _out_of_range(f"{pd.Timestamp(day).date()} + {n} 个工作日")
    return pd.Timestamp(start + np.timedelta64(idx, "D"))


def working_days_between(start: object, end: object) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end < start).

    ``working_days_between(d, add_working_days(d, n)) == n``.
    """
    a, b = _to_day(start), _to_day(end)
    _, _, cum = _table()
    return int(cum[_offset(b)] - cum[_offset(a)])


def objection_deadline(date: object, *, working_days: int = 5) -> pd.Timestamp:
    """Last day to object to a wrongly assigned case: 5 working days after ``date``."""
    return add_working_days(date, working_days)


def add_working_days_series(dates: pd.Series, n: int | pd.Series) -> pd.Series:
    """Vectorised ``add_working_days`` for a date Series; NaT stays NaT.

    Raises the same clear error when a non-empty date (or its result) is outside the calendar.
    """
    start, flags, cum = _table()
    values = pd.to_datetime(dates).dt.normalize()
    ns = pd.Series(n, index=values.index) if np.isscalar(n) else pd.Series(n, index=values.index)
    mask = values.notna() & ns.notna()
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if not mask.any():
        return out
    days = values[mask].to_numpy().astype("datetime64[D]")
    pos = (days - start).astype(np.int64)
    bad = (pos < 0) | (pos >= len(flags))
    if bad.any():
        raise _out_of_range(pd.Timestamp(days[bad][0]).date())
    target = cum[pos] + ns[mask].to_numpy().astype(np.int64)
    idx = np.searchsorted(cum, target, side="left")
    zero = ns[mask].to_numpy() == 0
    if (idx[~zero] >= len(cum)).any():
        first = pd.Timestamp(days[~zero][idx[~zero] >= len(cum)][0]).date()
        raise _out_of_range(f"{first} + {int(ns[mask].max())} 个工作日")
    res = np.where(zero, days, start + np.minimum(idx, len(cum) - 1).astype("timedelta64[D]"))
    out[mask] = pd.to_datetime(res.astype("datetime64[ns]"))
    return out
