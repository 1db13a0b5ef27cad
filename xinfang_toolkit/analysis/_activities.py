"""Figures of office activities (工作台账): how many 接访, 下访, 督办 ... in a period.

Each figure ``activity.<kind>`` is defined once here (:data:`ACTIVITY_FIGURES`) and counts the
activities of one kind dated from ``start`` to ``end``: the sum of their 次数 (a row without a
count is one). These count the office's work, never persons.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..load._activities import ACTIVITY_KINDS
from ..schema import TEXT_DTYPE
from ._periods import to_day

__all__ = ["ACTIVITY_FIGURES", "ActivityFigure", "activity_table", "activity_values"]


@dataclass(frozen=True)
class ActivityFigure:
    key: str
    name: str
    definition: str
    unit: str = "次"

    @property
    def label(self) -> str:
        return f"{self.name}（{self.unit}）"


ACTIVITY_FIGURES: tuple[ActivityFigure, ...] = tuple(
    ActivityFigure(
        f"activity.{kind}",
        kind,
        f"统计期内工作台账中类型为“{kind}”的工作次数之和（未填次数的按1次计）。",
    )
    for kind in ACTIVITY_KINDS
)


def _in_period(activities: pd.DataFrame, start, end) -> pd.Series:
    day = pd.to_datetime(activities["activity_date"], errors="coerce")
    keep = day.notna()
    if start is not None:
        keep &= day >= to_day(start, name="start 起始日期")
    if end is not None:
        keep &= day <= to_day(end, name="end 截止日期")
    return keep.fillna(False).astype(bool)


def activity_values(
    activities: pd.DataFrame, *, start: object = None, end: object = None
) -> dict[str, int]:
    """Every ``activity.<kind>`` figure of ``load_activities(...).activities`` in the period."""
    rows = activities[_in_period(activities, start, end)]
    counts = pd.to_numeric(rows["count"], errors="coerce").fillna(1)
    by_kind = counts.groupby(rows["kind"].astype(TEXT_DTYPE)).sum()
    return {f.key: int(by_kind.get(f.name, 0)) for f in ACTIVITY_FIGURES}


def activity_table(
    activities: pd.DataFrame, *, start: object = None, end: object = None
) -> pd.DataFrame:
    """工作开展情况: per kind, 次数 (:func:`activity_values`) and 领导带队 (rows with a leader)."""
    rows = activities[_in_period(activities, start, end)]
    counts = pd.to_numeric(rows["count"], errors="coerce").fillna(1)
    led = rows["leader"].astype(TEXT_DTYPE).str.strip().fillna("").ne("")
    values = activity_values(activities, start=start, end=end)
    kinds = rows["kind"].astype(TEXT_DTYPE)
    return pd.DataFrame(
        {
            "工作类型": list(ACTIVITY_KINDS),
            "次数": [values[f"activity.{k}"] for k in ACTIVITY_KINDS],
            "其中领导带队": [
                int(counts[(kinds == k).fillna(False) & led].sum()) for k in ACTIVITY_KINDS
            ],
        }
    )
