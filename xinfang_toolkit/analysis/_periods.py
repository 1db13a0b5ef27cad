"""Statistical periods: calendar months, or months closing on a cut-off day.

With ``cutoff_day=20`` a period runs from the 21st of one month to the 20th of the next and is
labelled by the month it ends in: 2025-03-21 .. 2025-04-20 is period "2025-04".
"""

from __future__ import annotations

import pandas as pd

__all__ = ["assign_period", "period_bounds"]


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
    labels = pd.Series(pd.NA, index=d.index, dtype="string", name="period")
    labels[codes.index] = codes.map(names).astype("string")
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
