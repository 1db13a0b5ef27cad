"""Shared builders for the archive tests: small ledgers written by synth, in a tmp folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from xinfang_toolkit.synth import generate_cases, write_ledger


def base_cases(n: int = 12, seed: int = 3) -> pd.DataFrame:
    """n open cases received in the first half of 2026, each with a number."""
    cases = generate_cases(n, seed=seed, start="2026-01-01", end="2026-06-30", today="2026-07-31")
    cases = cases.sort_values("received_date", kind="stable").reset_index(drop=True)
    cases["case_id"] = [f"XF2026-{i:04d}" for i in range(len(cases))]
    for col in ("closed_date", "outcome", "satisfaction", "leader"):
        cases[col] = cases[col].where(pd.Series(False, index=cases.index))
    return cases


def ledger(cases: pd.DataFrame, folder: Path, month: str, *, seed: int = 0) -> Path:
    """Write ``cases`` as the county ledger of ``month`` (2026-07 -> 河东县台账_2026年07月.xlsx)."""
    y, m = month.split("-")
    return write_ledger(
        cases, Path(folder) / f"河东县台账_{y}年{m}月.xlsx", layout="county", seed=seed, messy=False
    )


def closed(cases: pd.DataFrame, rows, day: str) -> pd.DataFrame:
    out = cases.copy()
    out.loc[rows, "closed_date"] = pd.Timestamp(day)
    out.loc[rows, "outcome"] = "已答复信访人"
    out.loc[rows, "satisfaction"] = "满意"
    return out
