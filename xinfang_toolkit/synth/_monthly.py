"""Monthly ledgers of one county: the same open and backlog cases come back, updated.

A 积案台账 is cumulative: the ledger of a month lists the cases received that month and every
case still open at the start of it. Each case appears as it stood at the month end: a closing
date, outcome and satisfaction only once it is closed, a 包案领导 only from the month after it
came in. ``monthly_states`` gives those frames; ``write_monthly_ledgers`` writes them as county
ledgers named ``河东县信访台账_2026年09月.xlsx`` (period in the file name and the title).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import _text as T
from ._cases import generate_cases
from ._ledger import write_ledger

MONTHLY_FOLDER = "月度台账"
MONTHLY_MONTHS = ("2026-08", "2026-09", "2026-10")


def _month(value: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    first = pd.Timestamp(f"{value}-01")
    return first, first + pd.offsets.MonthEnd(0)


def monthly_states(cases: pd.DataFrame, months=MONTHLY_MONTHS) -> dict[str, pd.DataFrame]:
    """{``"2026-09"``: the cases of that month's ledger as they stood at its end}.

    The ledger holds the cases received in the month and the older ones still open when it
    began. Closing date, outcome and satisfaction appear only once closed (by the month end);
    the leader only from the month after the case came in. The input is not changed.
    """
    out = {}
    for value in months:
        first, last = _month(value)
        received = cases["received_date"]
        this_month = (received >= first) & (received <= last)
        carried = (received < first) & ~(cases["closed_date"] < first)
        part = cases[this_month | carried].copy()
        open_ = ~(part["closed_date"] <= last)
        for col in ("closed_date", "outcome", "satisfaction"):
            part[col] = part[col].where(~open_)
        new_open = open_ & (part["received_date"] >= first)
        part["leader"] = part["leader"].where(~new_open)
        out[value] = part
    return out


def write_monthly_ledgers(
    folder=Path("sample_data") / MONTHLY_FOLDER,
    *,
    seed: int = 2026,
    n: int = 420,
    months=MONTHLY_MONTHS,
    messy: bool = True,
    no_number_share: float = 0.05,
) -> list[Path]:
    """Write one county ledger per month of ``months`` into ``folder``; returns the paths.

    ``n`` cases received from January to the last month of ``months``; a share
    ``no_number_share`` of them carry no case number (the archive keys them by content); in the
    last ledger one case closed the month before is listed again with its closing date left
    empty (a clerk's slip the archive reports and does not lose). Deterministic for a seed.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    year = months[0][:4]
    end = _month(months[-1])[1]
    cases = generate_cases(n, seed=seed, start=f"{year}-01-01", end=end, today=end)
    rng = np.random.default_rng([seed, 12])
    drop = rng.random(len(cases)) < no_number_share
    cases.loc[drop, "case_id"] = pd.NA
    states = monthly_states(cases, months)
    if len(months) > 1:
        before, last = states[months[-2]], states[months[-1]]
        closed = before[before["closed_date"].notna() & before["case_id"].notna()]
        slip = closed[~closed.index.isin(last.index)].head(1).copy()
        slip[["closed_date", "outcome", "satisfaction"]] = pd.NA
        states[months[-1]] = pd.concat([last, slip])
    paths = []
    for k, (value, frame) in enumerate(states.items()):
        y, m = value.split("-")
        path = folder / f"{T.COUNTY}信访台账_{y}年{m}月.xlsx"
        paths.append(write_ledger(frame, path, layout="county", seed=seed + k, messy=messy))
    return paths
