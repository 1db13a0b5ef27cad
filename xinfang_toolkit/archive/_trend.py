"""积案 over time from the archive: the count at each month end, and a campaign's progress."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from ..analysis import open_at
from ..privacy import mask_pii
from ._backlog import JUDGE_COLUMNS, backlog_on, state_on
from ._query import candidates, states_of

#: open on the day (SQL on the state's columns; the day twice as parameters)
_OPEN_ON = (
    "(received_date IS NULL OR received_date <= ?) AND (closed_date IS NULL OR closed_date > ?)"
)


def _judged(con: duckdb.DuckDBPyConnection, day: pd.Timestamp) -> pd.DataFrame:
    """The cases that can be 积案 on ``day`` (open then, and their persons' other cases),
    judged on the columns that decide it (``JUDGE_COLUMNS``): :func:`backlog_on`."""
    cands = candidates(con, day, _OPEN_ON, [day.date(), day.date()], columns=JUDGE_COLUMNS)
    return backlog_on(cands, day)


def backlog_at(con: duckdb.DuckDBPyConnection, day: pd.Timestamp) -> pd.DataFrame:
    """The 积案 cases on ``day`` (archive state of that day; :func:`backlog_on`), whole rows
    with the judged columns, ordered by case key."""
    flagged = _judged(con, day)
    flagged = flagged[flagged["is_backlog"]].set_index("case_key")
    rows = states_of(con, day, flagged.index)
    state = state_on(rows, day)
    added = [c for c in flagged.columns if c not in state.columns]
    return state.join(flagged[added], on="case_key").reset_index(drop=True)


def month_ends(con: duckdb.DuckDBPyConnection, start=None, end=None) -> list[pd.Timestamp]:
    first, last = con.execute("SELECT min(period), max(period) FROM imports").fetchall()[0]
    if first is None:
        return []
    s = pd.Timestamp(start) if start is not None else pd.Timestamp(first)
    e = pd.Timestamp(end) if end is not None else pd.Timestamp(last)
    return list(pd.date_range(s + pd.offsets.MonthEnd(0), e, freq="ME"))


def backlog_trend(con: duckdb.DuckDBPyConnection, start=None, end=None) -> pd.DataFrame:
    """One row per month end: ``month_end``, ``backlog`` (积案件数), ``open`` (未办结件数),
    ``known`` (cases the archive knew by then)."""
    rows = []
    for day in month_ends(con, start, end):
        flagged = _judged(con, day)
        known = con.execute(
            "SELECT count(DISTINCT case_key) FROM seen WHERE period <= ?", [day.date()]
        ).fetchall()[0][0]
        rows.append(
            {
                "month_end": day,
                "backlog": int(flagged["is_backlog"].sum()),
                "open": int(open_at(flagged, day).sum()),
                "known": int(known),
            }
        )
    frame = pd.DataFrame(rows, columns=["month_end", "backlog", "open", "known"])
    frame.attrs["labels"] = {
        "month_end": "月末",
        "backlog": "积案",
        "open": "未办结",
        "known": "累计件数",
    }
    return frame


@dataclass(frozen=True, eq=False)
class CampaignProgress:
    """攻坚 progress: of the ``total`` 积案 cases on ``start``, ``resolved`` are no longer 积案 on
    ``end`` (办结: closed, or no longer meeting the definition; 办结 is not 化解, which the
    analysis figure ``backlog.settled`` counts), ``remaining`` still are.
    ``rows``: those cases with their state on ``end`` and ``resolved`` (masked by default)."""

    start: pd.Timestamp
    end: pd.Timestamp
    total: int
    resolved: int
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def remaining(self) -> int:
        return self.total - self.resolved

    @property
    def rate(self) -> float | None:
        return self.resolved / self.total if self.total else None

    def summary(self) -> str:
        rate = "—" if self.rate is None else f"{self.rate:.1%}"
        return (
            f"攻坚开始 {self.start:%Y-%m-%d} 时有积案 {self.total} 件; 截至 {self.end:%Y-%m-%d}"
            f" 已办结(不再是积案) {self.resolved} 件, 尚余 {self.remaining} 件, 办结率 {rate}。"
        )

    def __repr__(self) -> str:
        return f"CampaignProgress({self.summary()})"

    def _repr_html_(self) -> str:
        return f"<div><b>攻坚进度</b> {html.escape(self.summary())}</div>"


def campaign(con, start: pd.Timestamp, end: pd.Timestamp, *, mask: bool = True) -> CampaignProgress:
    at_start = _judged(con, start)
    keys = set(at_start.loc[at_start["is_backlog"], "case_key"])
    later = _judged(con, end)
    still = set(later.loc[later["is_backlog"], "case_key"])
    rows = states_of(con, end, sorted(keys))
    rows["resolved"] = ~rows["case_key"].isin(still)
    if mask:
        rows = mask_pii(rows)
    return CampaignProgress(
        start=start, end=end, total=len(keys), resolved=int(rows["resolved"].sum()), rows=rows
    )
