"""化解 (settled) of a case on a day: the ledger's word where it has one, else the chain's silence.

办结 is not 化解: a written answer closes a case, but the matter is settled only when the person
stops coming back (案结事了, 息诉罢访). A case is settled on a day (:func:`settled_at`):

* where its ledger (source file) records 化解 at all (a 化解时间 or 是否化解 column with values):
  by the ledger, a 化解时间 on or before the day, or 是否化解 = 是 without a date;
* else: closed on or before ``day - settle_days`` with no new submission of the same matter
  (repeat chain) received from the day after its closing to ``settle_days`` days later.

:data:`SETTLE_DAYS` (90) is the default of that parameter. :func:`settle_rule` says in Chinese
which rule the cases were judged by, for reports.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from ..schema import TEXT_DTYPE
from ._backlog import chain_codes
from ._periods import to_day
from ._util import column, dates

__all__ = ["SETTLE_DAYS", "ledger_records_settling", "settle_rule", "settled_at"]

#: days of silence after closing that make a closed case settled where the ledger says nothing
SETTLE_DAYS = 90


def ledger_records_settling(cases: pd.DataFrame) -> pd.Series:
    """Per row: whether its ledger (source_file; the whole frame without one) records 化解."""
    said = dates(cases, "resolved_date").notna() | column(cases, "resolved_flag").notna()
    said = said.fillna(False).astype(bool)
    files = column(cases, "source_file")
    if files.isna().all():
        return pd.Series(bool(said.any()), index=cases.index)
    keys = files.astype(TEXT_DTYPE).fillna("")
    by_file = said.groupby(keys.to_numpy()).transform("any")
    return pd.Series(by_file.to_numpy(dtype=bool), index=cases.index)


def _quiet_after_closing(
    cases: pd.DataFrame,
    day: pd.Timestamp,
    settle_days: int,
    rows: np.ndarray | None,
    find_chains: Callable[[], np.ndarray],
) -> pd.Series:
    """Closed by ``day - settle_days`` with no submission of its chain in the next settle_days
    (``find_chains()``: the chain codes, asked for only when some case is a candidate)."""
    closed = dates(cases, "closed_date")
    limit = day - pd.Timedelta(days=settle_days)
    candidate = (closed <= limit).fillna(False).to_numpy(dtype=bool).copy()
    if rows is not None:
        candidate &= rows
    out = np.zeros(len(cases), dtype=bool)
    if not candidate.any():
        return pd.Series(out, index=cases.index)
    chains = find_chains()
    received = dates(cases, "received_date").to_numpy()
    rows = np.flatnonzero(candidate)
    has_chain = chains[rows] >= 0
    out[rows[~has_chain]] = True  # no chain known: nothing came back
    rows = rows[has_chain]
    if len(rows):
        # the submissions of the candidates' chains only (integer keys: fast)
        mine = np.isin(chains, np.unique(chains[rows])) & ~np.isnat(received)
        subs = pd.DataFrame({"chain": chains[mine], "next": received[mine]})
        subs = subs.sort_values("next", kind="stable")
        subs["day"] = subs["next"]
        probe = pd.DataFrame(
            {
                "chain": chains[rows],
                "day": closed.to_numpy()[rows] + np.timedelta64(1, "D"),
                "row": rows,
            }
        ).sort_values("day", kind="stable")
        nxt = pd.merge_asof(probe, subs, on="day", by="chain", direction="forward")
        window_end = nxt["day"] - pd.Timedelta(days=1) + pd.Timedelta(days=settle_days)
        quiet = (nxt["next"].isna() | (nxt["next"] > window_end)).to_numpy(dtype=bool)
        out[nxt["row"].to_numpy()[quiet]] = True
    return pd.Series(out, index=cases.index)


def settled_at(
    cases: pd.DataFrame,
    day: object,
    *,
    settle_days: int = SETTLE_DAYS,
    rows: pd.Series | np.ndarray | None = None,
) -> pd.Series:
    """化解 on ``day``, one boolean per case (see the module docstring). Needs ``chain_id``
    (``enrich``) for the rule of silence; ``settle_days`` is its number of days. ``rows``: judge
    only these (a boolean mask; the others are False), e.g. the backlog cases of a figure."""
    return _settled(cases, day, settle_days, rows, lambda: chain_codes(cases))


def _settled(
    cases: pd.DataFrame,
    day: object,
    settle_days: int,
    rows: pd.Series | np.ndarray | None,
    find_chains: Callable[[], np.ndarray],
) -> pd.Series:
    """:func:`settled_at`, with the chain codes from ``find_chains()`` (the figure registry's
    codes of the frame, found once for all its figures)."""
    if settle_days < 0:
        raise ValueError(f"settle_days 必须 >= 0，而不是 {settle_days}")
    when = to_day(day, name="day 日期")
    by_ledger = ledger_records_settling(cases)
    resolved = dates(cases, "resolved_date")
    flag = column(cases, "resolved_flag").astype(TEXT_DTYPE)
    ledger_says = (resolved <= when).fillna(False) | (
        resolved.isna() & (flag == "是").fillna(False)
    )
    mask = None if rows is None else np.asarray(rows, dtype=bool)
    quiet = _quiet_after_closing(cases, when, settle_days, mask, find_chains)
    out = np.where(by_ledger.to_numpy(), ledger_says.to_numpy(dtype=bool), quiet.to_numpy()).astype(
        bool
    )
    if mask is not None:
        out &= mask
    return pd.Series(out.astype(bool), index=cases.index)


def settle_rule(cases: pd.DataFrame, *, settle_days: int = SETTLE_DAYS) -> str:
    """Which rule judged 化解 for these cases, in Chinese (for reports and the 说明 sheet)."""
    by_ledger = ledger_records_settling(cases)
    ledger_text = "按台账填写的化解时间、是否化解认定"
    quiet_text = f"台账未填写化解情况的，按办结后{settle_days}天内同一事项没有再次信访认定"
    if len(cases) and by_ledger.all():
        return f"积案化解{ledger_text}。"
    if not by_ledger.any():
        return f"积案化解：{quiet_text}（办结不等于化解）。"
    return f"积案化解{ledger_text}；{quiet_text}。"
