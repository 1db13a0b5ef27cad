"""Due dates, time taken, on-time closing, overdue days, status and period of each case."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ..clean import fold_width, value_words
from ..schema import ISSUE_COLUMNS, STATUS_VALUES, TEXT_DTYPE, empty_issues
from ._calendar import add_working_days_series
from ._periods import assign_period
from ._rules import Rules, load_rules
from ._util import as_today, closed_flags, closing_dates, column, dates, flag, text_rows

__all__ = ["closed_by_status", "compute_deadlines", "date_issues"]

CLOSED, OPEN, DUE_SOON, OVERDUE, BAD_DATE = STATUS_VALUES
_NO_RECEIVED = "缺少登记日期，无法计算办理时限"
_CLOSED_BEFORE = "办结日期早于登记日期"


@lru_cache(maxsize=1)
def _status_words() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return value_words("status")


def status_state(text: object) -> str | None:
    """The state a ledger's status text says (value_words.csv, field ``status``): 已办结,
    办理中 or 退回 (办结/已办结/完成 -> 已办结; 办理中/已转办/待回复 -> 办理中), else None.
    An exact word first, then the first word of the file contained in the text (未办结 is
    listed before 办结)."""
    if not isinstance(text, str) or not text.strip():
        return None
    key = fold_width(text).replace(" ", "").lower()
    words = _status_words()
    for canonical, variants in words:
        if key == canonical or key in variants:
            return canonical
    for canonical, variants in words:
        if any(v in key for v in variants):
            return canonical
    return None


def closed_by_status(cases: pd.DataFrame) -> pd.Series:
    """Cases whose ``status_text`` (工单状态) says they are closed (办结, 已办结, 完成 ...)."""
    if "status_text" not in cases.columns:
        return pd.Series(False, index=cases.index)
    text = cases["status_text"].astype(TEXT_DTYPE).fillna("")
    states = {u: status_state(u) == CLOSED for u in text.unique()}
    return text.map(states).astype(bool)


def _add_limit(start: pd.Series, days: int | pd.Series, unit: str) -> pd.Series:
    if unit == "working":
        return add_working_days_series(start, days)
    return start + pd.to_timedelta(days, unit="D")


def compute_deadlines(
    cases: pd.DataFrame,
    *,
    rules: str | Rules | dict = "2022",
    handling_days: int | None = None,
    extension_days: int | None = None,
    today: object = None,
    period_cutoff_day: int | None = None,
) -> pd.DataFrame:
    """A copy of ``cases`` with the handling deadline and status of every case.

    Adds:

    - ``due_date``: the ledger's ``deadline`` when given; otherwise ``received_date`` + the
      handling limit of ``rules`` (60 days in 2022 and 2005) or ``handling_days``, plus the
      extension (30 days, or ``extension_days``) when the case was extended.
    - ``extended``: the ledger says the case was extended (``extended_flag``: 是/1/已延期 ...).
    - ``days_taken``: calendar days from received to closed (closed cases with both dates).
    - ``on_time``: closed on or before ``due_date`` (NA for open cases or unknown dates).
    - ``overdue_days``: days past ``due_date`` -- as of ``today`` for open cases, at closing for
      cases closed late; 0 when not late.
    - ``status`` as of ``today`` (a closing dated after ``today`` counts as not yet done):
      已办结 (closed: a closed_date, or without one the ledger's ``closed_flag`` or a
      ``status_text`` saying 办结/已办结/完成), 已超期 (open and
      past due), 即将到期 (open, due within ``due_soon_days`` = 7), 办理中 (other open cases), or
      日期有误 (no received_date, or closed before received) -- such rows are kept.
    - ``date_problem``: the text of the date problem (NA when none); see :func:`date_issues`.
    - ``period``: the statistical period of ``received_date`` ("2025-04"); calendar months, or
      with ``period_cutoff_day=20`` months running from the 21st to the 20th, labelled by the
      month they end in.

    ``today`` defaults to the real today; pass a fixed date for reproducible results.
    """
    rule = load_rules(rules)
    now = as_today(today)
    received = dates(cases, "received_date")
    recorded_close = closing_dates(cases)  # closed_date, else 化解时间
    # as of ``today``: a closing dated after it had not happened yet (the case was open then)
    closed_date = recorded_close.where(~(recorded_close > now))
    given = dates(cases, "deadline")
    extended = flag(cases, "extended_flag")
    due = given.where(
        given.notna(),
        _computed_due(received, extended, rule, handling_days, extension_days),
    )

    no_received = received.isna()
    closed_before = closed_date.notna() & received.notna() & (closed_date < received)
    bad = no_received | closed_before
    closed_said = closed_flags(cases) | closed_by_status(cases)
    is_closed = closed_date.notna() | (recorded_close.isna() & closed_said)
    dated_close = ~bad & closed_date.notna()

    problem = pd.Series(pd.NA, index=cases.index, dtype=TEXT_DTYPE)
    problem[no_received] = _NO_RECEIVED
    problem[closed_before] = _CLOSED_BEFORE
    out = cases.copy(deep=False)  # copy-on-write (pandas 3): new columns never reach the input
    out["due_date"] = due.where(received.notna() | given.notna()).astype("datetime64[ns]")
    out["extended"] = extended.astype(bool)
    out["days_taken"] = (closed_date - received).dt.days.where(dated_close).astype("Int64")
    on_time = (closed_date <= due).astype("boolean")
    out["on_time"] = on_time.where(dated_close & due.notna(), pd.NA)
    out["overdue_days"] = (
        _overdue_days(due, closed_date, is_closed, now).where(~bad & due.notna()).astype("Int64")
    )
    status = _status_places(bad, is_closed, (due - now).dt.days, rule.due_soon_days)
    out["status"] = text_rows(STATUS_VALUES, status, cases.index)
    out["date_problem"] = problem
    out["period"] = assign_period(received, cutoff_day=period_cutoff_day)
    return out


def _computed_due(
    received: pd.Series,
    extended: pd.Series,
    rule: Rules,
    handling_days: int | None,
    extension_days: int | None,
) -> pd.Series:
    """``received_date`` + the handling limit (the rules', or ``handling_days``), + the
    extension (the rules', 30 calendar days without one, or ``extension_days``) where the case
    was extended."""
    handling = rule.limit("handling")
    limit_days = handling.days if handling_days is None else int(handling_days)
    extension = rule.limits.get("extension")
    default_extension = extension.days if extension else 30
    extra_days = default_extension if extension_days is None else int(extension_days)
    extra_unit = extension.unit if extension else "calendar"
    computed = _add_limit(received, limit_days, handling.unit)
    if extended.any():
        later = _add_limit(computed.where(extended), extra_days, extra_unit)
        computed = computed.where(~extended, later)
    return computed


def _overdue_days(
    due: pd.Series, closed_date: pd.Series, is_closed: pd.Series, now: pd.Timestamp
) -> pd.Series:
    """Days past due: at closing for closed cases, as of ``now`` for open ones; 0 when not late."""
    late_open = (now - due).dt.days
    late_closed = (closed_date - due).dt.days
    return late_closed.where(closed_date.notna(), late_open.where(~is_closed)).clip(lower=0)


def _status_places(
    bad: pd.Series, is_closed: pd.Series, days_left: pd.Series, due_soon_days: int
) -> np.ndarray:
    """The place of each case's status in STATUS_VALUES: 日期有误, 已办结, 已超期, 即将到期,
    the first that holds, else 办理中."""
    return np.select(
        [
            bad.to_numpy(),
            is_closed.to_numpy(),
            (days_left < 0).fillna(False).to_numpy(),
            (days_left <= due_soon_days).fillna(False).to_numpy(),
        ],
        [STATUS_VALUES.index(v) for v in (BAD_DATE, CLOSED, OVERDUE, DUE_SOON)],
        default=STATUS_VALUES.index(OPEN),
    )


def date_issues(cases: pd.DataFrame) -> pd.DataFrame:
    """The date problems found by :func:`compute_deadlines`, one row each, in the issues shape.

    Columns are ``schema.ISSUE_COLUMNS`` (source_file, source_sheet, source_row, column, value,
    problem), so they can be appended to ``LoadResult.issues``. Runs compute_deadlines first when
    ``cases`` has no ``date_problem`` column.
    """
    if "date_problem" not in cases.columns:
        cases = compute_deadlines(cases)
    rows = cases[cases["date_problem"].notna()]
    if rows.empty:
        return empty_issues()
    problem = rows["date_problem"].astype(TEXT_DTYPE)
    which = np.where(problem == _NO_RECEIVED, "received_date", "closed_date")
    value = [
        ""
        if col == "received_date"
        else f"{pd.Timestamp(c).date()}（登记 {pd.Timestamp(r).date()}）"
        for col, c, r in zip(
            which,
            column(rows, "closed_date").tolist(),
            column(rows, "received_date").tolist(),
            strict=True,
        )
    ]
    out = pd.DataFrame(
        {
            "source_file": column(rows, "source_file").astype(TEXT_DTYPE).to_numpy(),
            "source_sheet": column(rows, "source_sheet").astype(TEXT_DTYPE).to_numpy(),
            "source_row": pd.array(
                pd.to_numeric(column(rows, "source_row"), errors="coerce"), dtype="Int64"
            ),
            "column": which,
            "value": value,
            "problem": problem.to_numpy(),
        }
    )
    for col in ("column", "value", "problem"):
        out[col] = out[col].astype(TEXT_DTYPE)
    return out[list(ISSUE_COLUMNS)].reset_index(drop=True)
