"""A synthetic activity register (工作台账): office activities of one county, as offices keep it."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import openpyxl
import pandas as pd

from .._atomic import atomic_path
from . import _text as T

__all__ = ["ACTIVITY_FILE", "generate_activities", "write_activity_register"]

#: the sample file (in its own folder of sample_data: it holds no cases)
ACTIVITY_FILE = "工作台账/工作台账_2026.xlsx"

_WORDS = T.synth_yaml("activities.yaml")
_LEADERS: tuple[str, ...] = _WORDS["leaders"]
_UNITS: tuple[str, ...] = _WORDS["units"]
#: kind, how the register writes it, weight, whether a leader leads it
_KINDS: tuple[tuple[str, tuple[str, ...], int, bool], ...] = _WORDS["kinds"]


def generate_activities(
    n: int = 120, *, seed: int = 2026, start: str = "2026-01-01", end: str = "2026-10-31"
) -> pd.DataFrame:
    """``n`` activities (canonical columns of ``load_activities``) with their register spelling
    in ``written_kind``. Its own random stream: the sample cases do not change."""
    rng = random.Random(f"activities-{seed}")
    first, last = pd.Timestamp(start).date(), pd.Timestamp(end).date()
    span = (last - first).days + 1
    weights = [k[2] for k in _KINDS]
    rows = []
    for _ in range(n):
        kind, spellings, _w, led = rng.choices(_KINDS, weights=weights)[0]
        day = first + dt.timedelta(days=rng.randrange(span))
        rows.append(
            {
                "activity_date": pd.Timestamp(day),
                "kind": kind,
                "written_kind": rng.choice(spellings),
                "leader": rng.choice(_LEADERS) if led else None,
                "unit": rng.choice(_UNITS),
                "count": rng.choice([1, 1, 1, 2, 3]) if kind in ("接访", "下访", "回访") else 1,
                "note": f"{T.COUNTY}{rng.choice(['征地拆迁', '拖欠工资', '环境污染', '物业纠纷'])}问题",
            }
        )
    out = pd.DataFrame(rows).sort_values("activity_date", kind="stable")
    return out.reset_index(drop=True)


def write_activity_register(
    path, *, n: int = 120, seed: int = 2026, start: str = "2026-01-01", end: str = "2026-10-31"
) -> Path:
    """Write a 工作台账 workbook (title row, 填报单位 line, header, one row per activity, dates
    written as offices do) and return its path; the frame is :func:`generate_activities`."""
    acts = generate_activities(n, seed=seed, start=start, end=end)
    rng = random.Random(f"activity-cells-{seed}")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "工作台账"
    ws.append([f"{T.COUNTY}信访工作台账（{start[:4]}年）"])
    ws.append(["填报单位：县信访局", None, None, None, None, "填报时间：" + end])
    ws.append(["序号", "日期", "工作类型", "带队领导", "责任单位", "次数", "工作内容"])
    for i, a in enumerate(acts.itertuples(index=False), start=1):
        day = a.activity_date
        written = rng.choice(
            [f"{day:%Y-%m-%d}", f"{day.year}年{day.month}月{day.day}日", day.date()]
        )
        ws.append([i, written, a.written_kind, a.leader, a.unit, f"{a.count}次", a.note])
    ws.append(["填表人：王某", None, None, None, "审核人：李某"])
    ws.merge_cells("A1:G1")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # a synthetic ledger carries no mark (it is read as a ledger): regenerating sample data
    # replaces the previous one
    with atomic_path(path, replace_unmarked=True) as tmp:
        wb.save(tmp)
    return path
