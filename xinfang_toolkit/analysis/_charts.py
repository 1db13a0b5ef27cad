"""The tables behind the charts, counted with the figure registry's row selections.

A chart shows a figure split by month or by level; its table selects the same rows as the
registry's figure (``analysis.FIGURES``) so that a chart and a card, a report sentence or a
notebook table never disagree: 信访去向 counts 来访批次 (visits only), the on-time chart the
rows of 按期办结率, 同比 the rows of 信访总量. ``plots`` only draws these tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schema import TEXT_DTYPE, VISIT_LEVEL_REPORT_NAMES, VISIT_LEVELS, label
from ._backlog import open_at
from ._enrich import AS_OF_ATTR
from ._escalation import escalation_table
from ._figures import Scope, figure
from ._periods import to_day
from ._util import column, dates

__all__ = [
    "AGE_BINS",
    "backlog_ageing",
    "category_counts",
    "count_by_month",
    "counted_rows",
    "escalation_counts",
    "month_counts",
    "on_time_by_month",
    "require_columns",
    "year_over_year",
]

#: backlog ageing buckets, in days since the case was received
AGE_BINS: tuple[tuple[int, int | None, str], ...] = (
    (0, 30, "30天内"),
    (31, 60, "31-60天"),
    (61, 90, "61-90天"),
    (91, 180, "91-180天"),
    (181, 365, "181-365天"),
    (366, None, "1年以上"),
)


def require_columns(cases: pd.DataFrame, columns: list[str], chart: str) -> None:
    """A KeyError naming, in Chinese and English, the ``columns`` the ``chart`` needs and the
    cases lack (derived columns come from ``analysis.enrich``)."""
    missing = [c for c in columns if c not in cases.columns]
    if missing:
        names = "、".join(f"{label(c)}({c})" for c in missing)
        raise KeyError(
            f"{chart}需要列 {names},数据中没有。派生列请先运行 analysis.enrich(cases)。"
            f" / {chart} needs columns {missing}; run analysis.enrich(cases) first."
        )


def chart_scope(cases: pd.DataFrame, as_of: object = None) -> Scope:
    """The registry scope of a chart: as of ``as_of``, else the day the cases were prepared
    as of (``enrich``), else the latest day in the data (every case received counts)."""
    if as_of is None:
        as_of = cases.attrs.get(AS_OF_ATTR)
    if as_of is None:
        days = [dates(cases, c).max() for c in ("received_date", "closed_date")]
        days = [d for d in days if d is not None and not pd.isna(d)]
        as_of = max(days) if days else pd.Timestamp("1970-01-01")
    return Scope.of(as_of=as_of)


def count_by_month(days: pd.Series) -> pd.Series:
    """Counts per month ("2026-03" -> n) of the days given (NaT left out), months in order."""
    values = days.dropna().to_numpy().astype("datetime64[M]")
    months, counts = np.unique(values, return_counts=True)
    return pd.Series(counts.astype("int64"), index=months.astype(str))


def counted_rows(cases: pd.DataFrame, *, as_of: object = None) -> np.ndarray:
    """The rows a chart of 信访总量 counts (the registry's ``cases`` rows as of ``as_of``: a
    case received after that day is not counted), as a boolean array."""
    return figure("cases").rows(cases, chart_scope(cases, as_of)).to_numpy(dtype=bool)


def month_counts(cases: pd.DataFrame, *, as_of: object = None) -> pd.Series:
    """信访总量 (the registry's ``cases`` rows) per month received: "2026-03" -> n."""
    return count_by_month(dates(cases, "received_date")[counted_rows(cases, as_of=as_of)])


def category_counts(cases: pd.DataFrame, column: str, *, weights: str | None = None) -> pd.Series:
    """Cases per value of ``column`` (blank as "(空白)"), largest first; with ``weights`` (e.g.
    ``"person_count"``, 人次) the sum of that column instead (a missing weight counts 1)."""
    keys = cases[column].astype(TEXT_DTYPE).fillna("(空白)")
    if weights is None:
        return keys.value_counts()
    weight = pd.to_numeric(cases[weights], errors="coerce").fillna(1)
    return weight.groupby(keys).sum().sort_values(ascending=False)


def year_over_year(month_counts: pd.Series, *, year: int | None = None) -> pd.DataFrame:
    """Counts per month ("2026-03" -> n) as a table of the 12 months of ``year`` (default: the
    latest year) beside the same months of the year before: index 1月..12月, columns
    "2025年", "2026年" (whole numbers)."""
    keys = pd.Index([str(k) for k in month_counts.index])
    years = keys.str[:4].astype(int) if len(keys) else pd.Index([], dtype=int)
    year = int(year if year is not None else (years.max() if len(years) else 0))
    counts = pd.Series(month_counts.to_numpy(), index=keys)
    table = {}
    for y in (year - 1, year):
        table[f"{y}年"] = [int(counts.get(f"{y}-{m:02d}", 0)) for m in range(1, 13)]
    return pd.DataFrame(table, index=[f"{m}月" for m in range(1, 13)]).astype("int64")


def escalation_counts(cases: pd.DataFrame, *, as_of: object = None) -> pd.DataFrame:
    """来访批次 and 人次 per visit level, in level order (index 乡镇, 到县 … 进京): the rows of
    the registry's ``visits`` figure (letters, online petitions and calls go to no level)."""
    require_columns(cases, ["visit_level", "person_count"], "信访去向图")
    rows = figure("visits").rows(cases, chart_scope(cases, as_of)).to_numpy(dtype=bool)
    table = escalation_table(cases[rows], by=None, responsible_level=None, visits_only=False)
    line = table.iloc[0]
    names = [VISIT_LEVEL_REPORT_NAMES[v] for v in VISIT_LEVELS]
    return pd.DataFrame(
        {
            "批次": [int(line[f"{n}批次"]) for n in names],
            "人次": [int(line[f"{n}人次"]) for n in names],
        },
        index=names,
    ).astype("int64")


def on_time_by_month(cases: pd.DataFrame, *, as_of: object = None) -> pd.DataFrame:
    """按期办结率 per month of closing: index "2026-03", columns ``rate`` (0..1) and ``n``.

    The rows are the registry's: ``n`` the cases counted by 按期办结率 (closed by the day, the
    on-time flag known), ``rate`` the share of them in 按期办结件 (``on_time``).
    """
    require_columns(cases, ["closed_date", "on_time"], "按期办结率图")
    scope = chart_scope(cases, as_of)
    known = figure("on_time_rate").rows(cases, scope).to_numpy(dtype=bool)
    hits = figure("on_time").rows(cases, scope).to_numpy(dtype=bool)
    closed = dates(cases, "closed_date").to_numpy()
    keep = known & ~pd.isna(closed)
    # months as integers (numpy), named once per month: strftime per row is slow on big frames
    month = closed[keep].astype("datetime64[M]").astype(np.int64)
    if not len(month):
        return pd.DataFrame({"rate": pd.Series(dtype=float), "n": pd.Series(dtype="int64")})
    lo = int(month.min())
    n = np.bincount(month - lo)
    on = np.bincount(month - lo, weights=hits[keep].astype(float))
    used = np.flatnonzero(n)
    names = (used + lo).astype("datetime64[M]").astype(str)
    return pd.DataFrame({"rate": on[used] / n[used], "n": n[used].astype("int64")}, index=names)


def backlog_ageing(cases: pd.DataFrame, *, today: object = None) -> pd.DataFrame:
    """Open cases (not closed on ``today``, :func:`open_at`) by age since received
    (:data:`AGE_BINS`), split into 未超期 and 已超期 (``overdue_days > 0``): index the bucket
    names, two count columns."""
    require_columns(cases, ["received_date", "closed_date", "overdue_days"], "积案账龄图")
    today = to_day(today, default_today=True)
    open_ = open_at(cases, today).to_numpy()  # the one definition of "still open on the day"
    age = (today - pd.to_datetime(cases.loc[open_, "received_date"])).dt.days.to_numpy()
    overdue = pd.to_numeric(column(cases, "overdue_days")[open_], errors="coerce").fillna(0)
    overdue = overdue.to_numpy() > 0
    edges = [lo for lo, _, _ in AGE_BINS[1:]]
    bucket = np.searchsorted(edges, age, side="right")
    k = len(AGE_BINS)
    return pd.DataFrame(
        {
            "未超期": np.bincount(bucket[~overdue], minlength=k),
            "已超期": np.bincount(bucket[overdue], minlength=k),
        },
        index=[name for _, _, name in AGE_BINS],
    ).astype("int64")
