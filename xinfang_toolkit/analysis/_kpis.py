"""Headline figures of case handling (never of persons)."""

from __future__ import annotations

import pandas as pd

from ..schema import STATUS_VALUES
from ._deadlines import compute_deadlines
from ._rules import Rules
from ._util import person_counts

__all__ = ["kpis"]

CLOSED, _OPEN, DUE_SOON, OVERDUE, BAD_DATE = STATUS_VALUES


def _count(mask: pd.Series) -> int:
    return int(mask.fillna(False).astype(bool).sum())


def kpis(
    cases: pd.DataFrame,
    *,
    today: object = None,
    rules: str | Rules | dict = "2022",
    period_cutoff_day: int | None = None,
) -> dict:
    """Headline figures of a cases frame (enriched or not; compute_deadlines runs if needed).

    - ``cases`` and ``batches`` (批次): rows; ``persons`` (人次): sum of person_count, a missing
      count taken as 1 person;
    - ``closed`` (status 已办结), ``on_time`` (closed by the due date), ``on_time_rate``
      (按期办结率 = on_time / closed cases whose closing date is known), ``overdue`` (open past
      due, 已超期), ``due_soon`` (即将到期), ``date_problems`` (日期有误);
    - ``median_days``: median days from received to closed;
    - ``backlog``: backlog matters (distinct chains with a backlog case) when the frame was
      enriched, else None; ``repeats`` (is_repeat rows) and ``group_visits`` (is_group rows)
      likewise.

    Rates are floats in 0..1, or None when there is nothing to divide by.
    """
    if "status" not in cases.columns or "on_time" not in cases.columns:
        cases = compute_deadlines(
            cases, today=today, rules=rules, period_cutoff_day=period_cutoff_day
        )
    status = cases["status"]
    on_time = cases["on_time"].astype("boolean")
    known = int(on_time.notna().sum())
    n_on_time = int(on_time.fillna(False).sum())
    taken = pd.to_numeric(cases["days_taken"], errors="coerce").dropna()
    backlog = None
    if "is_backlog" in cases.columns:
        flagged = cases["is_backlog"].fillna(False).astype(bool)
        if "chain_id" in cases.columns:
            backlog = int(cases.loc[flagged, "chain_id"].nunique())
        else:
            backlog = int(flagged.sum())
    return {
        "cases": len(cases),
        "batches": len(cases),
        "persons": int(person_counts(cases).sum()),
        "closed": _count(status == CLOSED),
        "on_time": n_on_time,
        "on_time_rate": (n_on_time / known) if known else None,
        "overdue": _count(status == OVERDUE),
        "due_soon": _count(status == DUE_SOON),
        "date_problems": _count(status == BAD_DATE),
        "median_days": float(taken.median()) if len(taken) else None,
        "backlog": backlog,
        "repeats": _count(cases["is_repeat"]) if "is_repeat" in cases.columns else None,
        "group_visits": _count(cases["is_group"]) if "is_group" in cases.columns else None,
    }
