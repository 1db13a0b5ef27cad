"""clean_cases(): a frame of raw canonical columns cleaned in one call, with one issue row per
cell a person should look at."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from ..schema import (
    FLAG_COLUMNS,
    ISSUE_COLUMNS,
    PROVENANCE_COLUMNS,
    TEXT_DTYPE,
    conform_cases,
    empty_issues,
)
from ._columns import by_year, map_unique, text_column
from ._date_columns import dates_unique, due_dates, parse_datetime_column
from ._dates import closed_value
from ._handling import HANDLED, clean_handling
from ._ids import id_column, normalize_account, phone_column
from ._numbers import parse_count
from ._text import is_missing
from ._vocab import (
    normalize_channel,
    normalize_matter_type,
    normalize_satisfaction,
    normalize_visit_level,
    parse_flag,
)

__all__ = ["clean_cases"]


def _issue_rows(raw: pd.DataFrame, column: str, problems: pd.Series) -> pd.DataFrame | None:
    mask = problems.notna().to_numpy()
    if not mask.any():
        return None
    sub = raw.loc[mask]
    n = int(mask.sum())
    original = raw[column].loc[mask] if column in raw.columns else pd.Series([""] * n)
    return pd.DataFrame(
        {
            "source_file": sub["source_file"].to_numpy() if "source_file" in sub else [None] * n,
            "source_sheet": sub["source_sheet"].to_numpy() if "source_sheet" in sub else [None] * n,
            "source_row": sub["source_row"].to_numpy() if "source_row" in sub else [None] * n,
            "column": column,
            "value": [_issue_value(v) for v in original],
            "problem": problems.loc[mask].to_numpy(),
        }
    )


def _issue_value(value: Any) -> str:
    if is_missing(value):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1e15:
        # the digits Excel kept (15 significant), as Excel shows them in a number format
        return format(Decimal(f"{value:.15g}"), "f")
    return str(value)


def _as_date(value: _dt.date | str | None) -> _dt.date | None:
    return None if value is None else pd.Timestamp(value).date()


#: columns read on their own, as (values, problems), by their column reader
_COLUMN_READERS: dict[str, Callable[[pd.Series], tuple[pd.Series, pd.Series]]] = {
    "id_number": id_column,
    "phone": phone_column,
} | {
    col: partial(map_unique, func=scalar)
    for col, scalar in (
        ("channel", normalize_channel),
        ("visit_level", normalize_visit_level),
        ("satisfaction", normalize_satisfaction),
        ("matter_type", normalize_matter_type),
        ("person_count", parse_count),
        ("account_id", normalize_account),
    )
}


def _late_dates(
    received: pd.Series,
    year: int | None | pd.Series,
    today: _dt.date | None,
    period_end: _dt.date | None = None,
) -> pd.Series:
    """Problems for received dates after today, after the period the sheet's title names, or
    after the year the sheet belongs to."""
    problems = pd.Series(None, index=received.index, dtype=object)
    limit = pd.Timestamp(today or _dt.date.today())
    after_today = (received > limit).to_numpy().copy()
    if after_today.any():
        problems[after_today] = f"登记日期晚于今天 ({limit.date()}), 请核对"
    if period_end is not None:
        after_period = (received > pd.Timestamp(period_end)).to_numpy() & ~after_today
        if after_period.any():
            problems[after_period] = f"登记日期晚于本表标题的统计期 (截至 {period_end}), 请核对"
        after_today |= after_period
    if year is not None:
        years = year if isinstance(year, pd.Series) else pd.Series(year, index=received.index)
        years = pd.to_numeric(years, errors="coerce").reindex(received.index)
        late = (received.dt.year > years).fillna(False).to_numpy(dtype=bool) & ~after_today
        if late.any():
            problems[late] = [
                f"登记日期晚于本表所属的 {int(y)} 年, 请核对" for y in years[late].tolist()
            ]
    return problems


def clean_cases(
    raw: pd.DataFrame,
    *,
    year: int | None | pd.Series = None,
    today: _dt.date | str | None = None,
    period_end: _dt.date | str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean a frame of raw canonical columns; return ``(cases, issues)``.

    ``raw`` holds cell values as read (any of the canonical columns, the flag columns
    ``closed_flag/repeat_flag/backlog_flag/extended_flag``, provenance, and any other columns,
    which are kept as trimmed text). ``year`` is the default year for dates written without one
    (``3月5日``): one value, or a Series giving it row by row; a received date in a later year,
    after ``period_end`` (the last day a sheet's title names) or after ``today`` (default: the
    computer's date) is reported. A received date with a time
    of day fills ``received_time`` ("HH:MM:SS"). The input is not modified.
    Cases come back in :func:`schema.conform_cases` form (flag columns always present, boolean);
    issues in ``schema.ISSUE_COLUMNS``, one row per cell a person should look at.
    """
    out: dict[str, pd.Series] = {}
    issues: list[pd.DataFrame] = []

    def note(column: str, problems: pd.Series) -> None:
        frame = _issue_rows(raw, column, problems)
        if frame is not None:
            issues.append(frame)

    received_problems = None
    for col in raw.columns:  # in the ledger's order (the issues come in it)
        if col == "received_date":
            received_problems = _received(raw, out, year, (today, period_end), note)
        elif col not in HANDLED and col != "deadline":  # those two: below
            out[col] = _clean_column(col, raw[col], year, note)
    sheet_notes = clean_handling(raw, out, year=year, note=note)
    if sheet_notes:
        issues.append(pd.DataFrame(sheet_notes))
    _deadline(raw, out, year, note)
    cases = _with_flag_columns(conform_cases(pd.DataFrame(out, index=raw.index)))
    _cross_checks(raw, cases, received_problems, note)
    return cases, _issue_frame(issues)


def _clean_column(col: str, values: pd.Series, year, note) -> pd.Series:
    """One column that needs no other column: its clean values (its problems go to ``note``)."""
    if col in PROVENANCE_COLUMNS:
        return values
    if col == "closed_date":
        dates, _days, prob = by_year(
            values,
            year,
            lambda v, y: dates_unique(v, lambda x, o: closed_value(x, y, o), common=True),
        )
        note(col, prob)
        return dates.astype("datetime64[ns]")
    if col in _COLUMN_READERS:
        cleaned, prob = _COLUMN_READERS[col](values)
        note(col, prob)
        return cleaned
    if col in FLAG_COLUMNS:
        flags, prob = map_unique(values, parse_flag)
        note(col, prob)
        return flags.astype("boolean")
    # a case number is a code: NFKC as well (full-width letters and digits)
    return text_column(values, fold=col == "case_id")


def _received(raw: pd.DataFrame, out: dict, year, limits: tuple, note) -> pd.Series:
    """The received date and its time of day into ``out``; returns the date problems.
    ``limits``: (today, period_end), the days a received date must not be after."""
    today, period_end = (_as_date(limit) for limit in limits)
    days, clock, problems = parse_datetime_column(raw["received_date"], year=year)
    out["received_date"] = days
    if clock.notna().any():
        out["received_time"] = clock
    note("received_date", problems)
    note("received_date", _late_dates(days, year, today, period_end))
    return problems


def _deadline(raw: pd.DataFrame, out: dict, year, note) -> None:
    """办理时限: a date, or a number of days counted from the received date."""
    if "deadline" not in raw.columns:
        return
    out["deadline"], problems = due_dates(
        raw["deadline"],
        out.get("received_date"),
        year,
        "时限写成天数, 但没有登记日期, 无法算出截止日期",
    )
    note("deadline", problems)


def _with_flag_columns(cases: pd.DataFrame) -> pd.DataFrame:
    """Every flag column present (all missing where the ledger had none)."""
    for col in FLAG_COLUMNS:
        if col not in cases.columns:
            n = len(cases)
            cases[col] = pd.arrays.BooleanArray(np.zeros(n, dtype=bool), np.ones(n, dtype=bool))
    return cases


def _cross_checks(raw: pd.DataFrame, cases: pd.DataFrame, received_problems, note) -> None:
    """Checks across fields a person should know about: closed before received, no date."""
    if "received_date" in raw.columns and "closed_date" in raw.columns:
        bad = cases["closed_date"] < cases["received_date"]
        if bad.any():
            note(
                "closed_date",
                pd.Series(None, index=raw.index, dtype=object).where(~bad, "办结日期早于登记日期"),
            )
    if "received_date" in raw.columns:
        missing = cases["received_date"].isna() & received_problems.isna()
        if missing.any():
            note(
                "received_date",
                pd.Series(None, index=raw.index, dtype=object).where(~missing, "缺少登记日期"),
            )


def _issue_frame(issues: list[pd.DataFrame]) -> pd.DataFrame:
    """The issue rows in ``schema.ISSUE_COLUMNS`` form."""
    frame = pd.concat(issues, ignore_index=True) if issues else empty_issues()
    frame = frame.astype({c: TEXT_DTYPE for c in ISSUE_COLUMNS if c != "source_row"})
    frame["source_row"] = pd.to_numeric(frame["source_row"]).astype("Int64")
    return frame
