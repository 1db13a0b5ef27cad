"""积案 in the archive: one definition, applied to the archive's state on a day.

:func:`backlog_on` is the only place the archive decides what is 积案: it calls
``analysis.flag_backlog`` (``is_backlog_at`` of the figure registry on that day, plus the
reasons) on the cases as they stood that day, so every archive figure (changes, monthly trend,
campaign) uses the one definition of the reports and the dashboard.
"""

from __future__ import annotations

import pandas as pd

from ..analysis import flag_backlog

#: the columns :func:`backlog_on` returns besides the input's
BACKLOG_COLUMNS = ("status", "overdue_days", "is_backlog", "backlog_reason")

#: the columns of the archive's state that ``analysis.flag_backlog`` reads (deadlines, repeat
#: chains and their order, the ledger's own flags). Judging a day on these alone gives the same
#: answer as on every column, and leaves personal data, leaders, units, outcomes and
#: satisfaction out of the millions of rows a large archive judges; the stored ``person_key``
#: stands for the personal data (it was computed from them on import).
JUDGE_COLUMNS: tuple[str, ...] = (
    "case_key",
    "person_key",
    "case_id",
    "received_date",
    "channel",
    "person_count",
    "locality",
    "category",
    "summary",
    "matter_type",
    "visit_level",
    "deadline",
    "closed_date",
    "closed_flag",
    "repeat_flag",
    "backlog_flag",
    "extended_flag",
    "source_file",
    "source_sheet",
    "source_row",
)


def state_on(cases: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """The cases as they stood on ``day``: received by then; closed after it -> still open."""
    out = cases[~(cases["received_date"] > day)].copy()
    later = out["closed_date"] > day
    if later.any():
        out.loc[later, "closed_date"] = pd.NaT
    return out


def backlog_on(cases: pd.DataFrame, day: object) -> pd.DataFrame:
    """The cases of ``day`` (see :func:`state_on`) with ``status``, ``overdue_days``,
    ``is_backlog`` and ``backlog_reason`` judged on that day (analysis.flag_backlog)."""
    day = pd.Timestamp(day).normalize()
    state = state_on(cases, day)
    drop = [c for c in state.columns if c in BACKLOG_COLUMNS or c in ("chain_id", "due_date")]
    flagged = flag_backlog(state.drop(columns=drop), today=day)
    flagged["is_backlog"] = flagged["is_backlog"].fillna(False).astype(bool)
    return flagged


def backlog_candidates(cases: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """Rows that can matter for 积案 on ``day``: open then, plus the other cases of the same
    persons (a repeat chain links one person's cases). A closed case is never 积案, and a chain
    never spans two persons, so judging only these rows gives the same answer as all rows."""
    received = ~(cases["received_date"] > day)
    open_ = received & (cases["closed_date"].isna() | (cases["closed_date"] > day))
    persons = cases.loc[open_, "person_key"].dropna().unique()
    return (open_ | cases["person_key"].isin(persons)).fillna(False).astype(bool)
