"""summarize(): the statistics of a work report, computed from the cases and traceable to them.

Deadlines, repeat chains, group visits and backlog flags come from ``xinfang_toolkit.analysis``
(``enrich``); this module only counts what those columns say, per period, and remembers which
rows stand behind each number (``Summary.cases_for``).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..analysis import ENRICH_COLUMNS, enrich, normalize_levels, person_counts
from ..schema import (
    CHANNELS,
    LABELS_ZH,
    SATISFACTION_VALUES,
    STATUS_VALUES,
    UNCLASSIFIED,
    VISIT_LEVEL_REPORT_NAMES,
    VISIT_LEVELS,
    conform_cases,
)
from ..schema import (
    UNKNOWN_LEVEL as LEVEL_UNKNOWN,
)
from ._period import (
    COMPARE_NAMES,
    COMPARE_PERIOD_NAMES,
    check_period,
    period_text,
    previous_period,
    to_day,
)

__all__ = ["Summary", "summarize"]

#: columns written by analysis.enrich; dropped from the input before enriching again
DERIVED_COLUMNS: tuple[str, ...] = ENRICH_COLUMNS
_ROW = "_xf_row"
#: escalation levels, highest first, as reports list them (进京, 赴省, 到市, 到县, 乡镇)
LEVELS_HIGH_FIRST: tuple[str, ...] = tuple(reversed(VISIT_LEVELS))
NOT_FILLED = "未填写"
VISIT_CHANNEL = "来访"

#: the Chinese label of each figure shown in the overview and comparison tables
FIGURE_LABELS: dict[str, str] = {
    "cases": "信访总量（件）",
    "persons": "信访人次",
    "visits": "来访批次",
    "visit_persons": "来访人次",
    "group.batches": "集体访批次",
    "group.persons": "集体访人次",
    "level.国家.batches": "进京批次",
    "level.省.batches": "赴省批次",
    "level.市.batches": "到市批次",
    "repeat.cases": "重复信访件",
    "skip_level": "越级访件",
    "leader.cases": "领导包案件",
    "leader.resolved": "包案已办结",
    "closed": "已办结件",
    "on_time": "按期办结件",
    "on_time_rate": "按期办结率",
    "overdue": "超期未办结件",
    "median_days": "办理天数（中位数）",
    "satisfaction_rate": "满意率",
    "backlog.start": "期初积案",
    "backlog.resolved": "本期化解积案",
    "backlog.end": "期末积案",
}
#: figures compared against the previous period
COMPARED: tuple[str, ...] = (
    "cases",
    "persons",
    "visits",
    "visit_persons",
    "group.batches",
    "group.persons",
    "level.国家.batches",
    "level.省.batches",
    "level.市.batches",
    "repeat.cases",
    "closed",
    "on_time_rate",
    "overdue",
    "backlog.end",
)


@dataclass(frozen=True, eq=False)
class Summary:
    """The figures of one reporting period.

    ``numbers`` holds every figure the drafted text may state (keys such as ``"cases"``,
    ``"category.土地纠纷"``, ``"level.国家.batches"``, ``"on_time_rate"``, ``"backlog.end"``);
    ``tables`` the same figures as DataFrames with Chinese column labels, keyed by a Chinese
    title; ``cases_for(key)`` the cases behind a figure. ``cases`` are the enriched cases
    received in the period, unmasked: every export masks them (see ``export_xlsx``).
    """

    start: pd.Timestamp
    end: pd.Timestamp
    as_of: pd.Timestamp
    numbers: dict[str, float | int | None]
    tables: dict[str, pd.DataFrame]
    cases: pd.DataFrame
    compare: str | None = None
    previous: Summary | None = None
    notes: tuple[str, ...] = ()
    group_threshold: int = 5
    _rows: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _pool: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def period_text(self) -> str:
        """2021年1月1日至2021年4月30日"""
        return period_text(self.start, self.end)

    @property
    def title(self) -> str:
        return f"信访工作情况报告（{self.period_text}）"

    @property
    def compare_name(self) -> str | None:
        """同比 or 环比 (None without comparison)."""
        return COMPARE_NAMES.get(self.compare) if self.compare else None

    @property
    def previous_name(self) -> str | None:
        """去年同期 or 上期."""
        return COMPARE_PERIOD_NAMES.get(self.compare) if self.compare else None

    def __repr__(self) -> str:
        n = self.numbers
        extra = f"，{self.compare_name}" if self.compare else ""
        return (
            f"Summary({self.period_text}：{n.get('cases', 0)}件{n.get('persons', 0)}人次{extra}；"
            f"表 {len(self.tables)} 张，统计项 {len(self.numbers)} 个)"
        )

    def keys(self) -> list[str]:
        """The keys that ``cases_for`` accepts."""
        return sorted(self._rows)

    def cases_for(self, key: str) -> pd.DataFrame:
        """The cases counted in ``numbers[key]`` (for a rate: the cases of its denominator).

        Backlog keys also reach cases received before the period.
        """
        if key not in self._rows:
            raise KeyError(f"没有这个统计项：{key!r}（可用：{', '.join(self.keys()[:12])} …）")
        pool = self._pool if self._pool is not None else self.cases
        rows = self._rows[key]
        out = pool[pool[_ROW].isin(rows)] if _ROW in pool.columns else pool.iloc[0:0]
        return out.drop(columns=[_ROW]).reset_index(drop=True)

    def ids_for(self, key: str) -> list[str]:
        """The case numbers (信访件编号) behind ``numbers[key]``; empty numbers left out."""
        ids = self.cases_for(key)["case_id"].dropna()
        return [str(x) for x in ids]


# --- helpers ----------------------------------------------------------------------------------


def _enrich(
    cases: pd.DataFrame,
    *,
    today: pd.Timestamp,
    group_threshold: int,
    period_cutoff_day: int | None,
) -> pd.DataFrame:
    """Run analysis.enrich (deadlines, repeats, group visits, backlog) as of ``today``."""
    params = inspect.signature(enrich).parameters
    kwargs: dict[str, object] = {"today": today}
    if "group_threshold" in params:
        kwargs["group_threshold"] = group_threshold
    for name in ("period_cutoff_day", "cutoff_day"):
        if name in params and period_cutoff_day is not None:
            kwargs[name] = period_cutoff_day
    return enrich(cases, **kwargs)


def _as_of(cases: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """The ledger as it stood at the end of ``day``: later cases absent, later closings undone."""
    out = cases[cases["received_date"] <= day].copy()
    later = out["closed_date"] > day
    if later.any():
        out.loc[later, "closed_date"] = pd.NaT
    return out


def _flag(df: pd.DataFrame, column: str) -> pd.Series:
    """A boolean column as plain bool (missing -> False); all False if the column is absent."""
    if column not in df.columns:
        return pd.Series(False, index=df.index)
    col = df[column]
    if col.dtype == bool:
        return col
    return col.astype("boolean").fillna(False).astype(bool)


def _text(df: pd.DataFrame, column: str) -> pd.Series:
    s = df[column].astype("string").str.strip()
    return s.where(s.notna() & (s != ""), pd.NA)


def _category(df: pd.DataFrame) -> pd.Series:
    """The category to count: classify's ``category_pred`` when the cases were classified (the
    given category normalised to the taxonomy, or the suggestion), else the ledger's category,
    else 未分类."""
    given = _text(df, "category")
    if "category_pred" in df.columns:
        pred = _text(df, "category_pred")
        cat = pred.where(pred != UNCLASSIFIED, pd.NA).fillna(given)
    else:
        cat = given
    cat = cat.where(cat != UNCLASSIFIED, pd.NA)
    return cat.fillna(UNCLASSIFIED)


def _rate(num: int, den: int) -> float | None:
    return None if den == 0 else num / den


class _Counter:
    """Collects numbers and the rows behind them."""

    def __init__(self) -> None:
        self.numbers: dict[str, float | int | None] = {}
        self.rows: dict[str, np.ndarray] = {}

    def count(self, key: str, frame: pd.DataFrame, *, persons: bool = False) -> int:
        n = int(len(frame))
        self.numbers[key] = n
        self.rows[key] = frame[_ROW].to_numpy()
        if persons:
            self.numbers[key.removesuffix(".batches") + ".persons"] = int(
                person_counts(frame).sum()
            )
            self.rows[key.removesuffix(".batches") + ".persons"] = self.rows[key]
        return n


def _breakdown(
    period: pd.DataFrame,
    values: pd.Series,
    *,
    key: str,
    label: str,
    counter: _Counter,
    order: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Counts (件数, 人次, 占比) per value, largest first (or in ``order``), and their rows."""
    filled = values.fillna(NOT_FILLED)
    persons = person_counts(period)
    total = len(period)
    names = list(order) if order else []
    counts = filled.value_counts(sort=False)
    extra = sorted(
        (v for v in counts.index if v not in names),
        key=lambda v: (v in (NOT_FILLED, UNCLASSIFIED), -counts[v], v),
    )
    rows = []
    for name in names + extra:
        mask = filled == name
        n = int(mask.sum())
        if n == 0:
            continue
        counter.count(f"{key}.{name}", period[mask])
        counter.numbers[f"{key}_persons.{name}"] = int(persons[mask].sum())
        counter.rows[f"{key}_persons.{name}"] = counter.rows[f"{key}.{name}"]
        rows.append({label: name, "件数": n, "人次": int(persons[mask].sum()), "占比": n / total})
    return pd.DataFrame(rows, columns=[label, "件数", "人次", "占比"])


# --- summarize ----------------------------------------------------------------------------------


def summarize(
    cases: pd.DataFrame,
    *,
    start: object,
    end: object,
    compare: str | None = None,
    group_threshold: int = 5,
    today: object = None,
    period_cutoff_day: int | None = None,
    top_n: int = 10,
    _cache: dict | None = None,
) -> Summary:
    """Compute the figures of a work report for cases received from ``start`` to ``end``.

    ``cases`` are clean canonical cases (``load_cases(...).cases``). Handling and backlog are
    judged as of ``end``, or as of ``today`` if that is earlier (a period still running); a case
    closed after that day counts as open. ``compare="yoy"`` (同比) or ``"mom"`` (环比) also
    summarises the previous period and adds a comparison table. The input is not changed.
    """
    _cache = {} if _cache is None else _cache  # enriched ledgers by as-of day, for this call
    if not isinstance(cases, pd.DataFrame):
        raise TypeError("cases 必须是 DataFrame（load_cases(...).cases）")
    if compare not in (None, "yoy", "mom"):
        raise ValueError(f"compare 只能是 'yoy'（同比）、'mom'（环比）或 None，收到 {compare!r}")
    s, e = check_period(start, end)
    today_ts = (
        pd.Timestamp.today().normalize() if today is None else to_day(today, name="today 今天")
    )
    as_of = min(e, today_ts)

    base = cases.drop(columns=[c for c in DERIVED_COLUMNS + (_ROW,) if c in cases.columns])
    base = conform_cases(base).reset_index(drop=True)
    base[_ROW] = np.arange(len(base))
    notes: list[str] = []
    undated = int(base["received_date"].isna().sum())
    if undated:
        notes.append(f"有{undated}件没有登记日期，未计入任何统计期。")

    opts = {"group_threshold": group_threshold, "period_cutoff_day": period_cutoff_day}

    def as_of_day(day: pd.Timestamp) -> pd.DataFrame:
        """The ledger as it stood on ``day``, enriched; shared with the comparison period."""
        if day not in _cache:
            _cache[day] = _enrich(_as_of(base, day), today=day, **opts)
        return _cache[day]

    at_end = as_of_day(as_of)
    in_period = (at_end["received_date"] >= s) & (at_end["received_date"] <= e)
    period = at_end[in_period]
    day_before = s - pd.Timedelta(days=1)
    has_before = bool((base["received_date"] <= day_before).any())
    at_start = as_of_day(day_before) if has_before else at_end.iloc[0:0]

    c = _Counter()
    tables: dict[str, pd.DataFrame] = {}
    persons = person_counts(period)

    # totals and channels
    c.count("cases", period)
    c.numbers["persons"] = int(persons.sum())
    c.rows["persons"] = c.rows["cases"]
    channel = _text(period, "channel")
    visits = period[channel == VISIT_CHANNEL]
    c.count("visits", visits)
    c.numbers["visit_persons"] = int(person_counts(visits).sum())
    c.rows["visit_persons"] = c.rows["visits"]
    tables["信访形式"] = _breakdown(
        period, channel, key="channel", label=LABELS_ZH["channel"], counter=c, order=CHANNELS
    )
    tables["内容分类"] = _breakdown(
        period, _category(period), key="category", label=LABELS_ZH["category"], counter=c
    )
    tables["问题属地"] = _breakdown(
        period, _text(period, "locality"), key="locality", label=LABELS_ZH["locality"], counter=c
    )

    # escalation (信访去向) of visits, highest level first
    level = normalize_levels(visits["visit_level"])  # 到区 -> 县区, empty -> 未知
    esc_rows = []
    for lv in LEVELS_HIGH_FIRST + (LEVEL_UNKNOWN,):
        sub = visits[(level == lv).to_numpy(dtype=bool, na_value=False)]
        if lv == LEVEL_UNKNOWN and sub.empty:
            continue
        c.count(f"level.{lv}.batches", sub, persons=True)
        c.rows[f"level.{lv}"] = c.rows[f"level.{lv}.batches"]
        esc_rows.append(
            {
                LABELS_ZH["visit_level"]: lv,
                "报告用语": VISIT_LEVEL_REPORT_NAMES.get(lv, lv),
                "批次": len(sub),
                "人次": c.numbers[f"level.{lv}.persons"],
            }
        )
    tables["信访去向"] = pd.DataFrame(esc_rows)
    skip = _flag(period, "is_skip_level")
    c.count("skip_level", period[skip])

    # group and individual visits
    group = _flag(visits, "is_group")
    c.count("group.batches", visits[group], persons=True)
    c.count("individual.batches", visits[~group], persons=True)
    tables["集体访与个访"] = pd.DataFrame(
        {
            "类型": ["集体访", "个访"],
            "批次": [c.numbers["group.batches"], c.numbers["individual.batches"]],
            "人次": [c.numbers["group.persons"], c.numbers["individual.persons"]],
        }
    )

    # repeat submissions
    repeat = _flag(period, "is_repeat")
    c.count("repeat.cases", period[repeat])
    chains = period.loc[repeat, "chain_id"].dropna() if "chain_id" in period.columns else []
    c.numbers["repeat.chains"] = int(pd.Series(chains).nunique())
    c.rows["repeat.chains"] = c.rows["repeat.cases"]
    rep_cat = _category(period[repeat]).value_counts()
    tables["重复信访"] = pd.DataFrame(
        {LABELS_ZH["category"]: rep_cat.index.astype(str), "重复信访件": rep_cat.to_numpy()}
    )

    # handling
    closed_mask = period["closed_date"].notna()
    closed = period[closed_mask]
    c.count("closed", closed)
    c.count("open", period[~closed_mask])
    on_time = closed["on_time"] if "on_time" in closed.columns else pd.Series(dtype="boolean")
    known = closed[on_time.notna()] if len(on_time) else closed.iloc[0:0]
    c.count("on_time_known", known)
    c.count("on_time", known[_flag(known, "on_time")])
    c.numbers["on_time_rate"] = _rate(c.numbers["on_time"], c.numbers["on_time_known"])
    c.rows["on_time_rate"] = c.rows["on_time_known"]
    status = _text(period, "status") if "status" in period.columns else pd.Series(dtype="string")
    c.count("overdue", period[status == "已超期"] if len(status) else period.iloc[0:0])
    days = pd.to_numeric(closed.get("days_taken", pd.Series(dtype=float)), errors="coerce")
    days = days.dropna()
    c.numbers["median_days"] = float(days.median()) if len(days) else None
    c.rows["median_days"] = closed[_ROW].to_numpy()
    status_rows = []
    if len(status):
        for st in STATUS_VALUES:
            n = int((status == st).sum())
            if n:
                c.count(f"status.{st}", period[status == st])
                status_rows.append({LABELS_ZH["status"]: st, "件数": n, "占比": n / len(period)})
    tables["办理状态"] = pd.DataFrame(status_rows, columns=[LABELS_ZH["status"], "件数", "占比"])

    # leader-assigned cases (包案)
    leader = _text(period, "leader")
    led = period[leader.notna()]
    c.count("leader.cases", led)
    c.count("leader.resolved", led[led["closed_date"].notna()])
    lead_rows = []
    for name, sub in led.groupby(leader[leader.notna()], sort=True):
        lead_rows.append(
            {
                LABELS_ZH["leader"]: str(name),
                "包案件数": len(sub),
                "已办结": int(sub["closed_date"].notna().sum()),
            }
        )
    tables["领导包案"] = pd.DataFrame(
        lead_rows, columns=[LABELS_ZH["leader"], "包案件数", "已办结"]
    )

    # satisfaction
    sat = _text(period, "satisfaction")
    sat_rows = []
    for v in SATISFACTION_VALUES:
        n = int((sat == v).sum())
        if n:
            c.count(f"satisfaction.{v}", period[sat == v])
            sat_rows.append({LABELS_ZH["satisfaction"]: v, "件数": n})
    rated = period[sat.isin(["满意", "基本满意", "不满意"]).fillna(False).astype(bool)]
    c.count("satisfaction.rated", rated)
    happy = int(sat.isin(["满意", "基本满意"]).fillna(False).sum())
    c.numbers["satisfaction_rate"] = _rate(happy, len(rated))
    c.rows["satisfaction_rate"] = c.rows["satisfaction.rated"]
    sat_table = pd.DataFrame(sat_rows, columns=[LABELS_ZH["satisfaction"], "件数"])
    sat_table["占比"] = sat_table["件数"] / max(len(period), 1)
    tables["满意度"] = sat_table

    # backlog: at the start, resolved in the period, new, at the end
    start_bl = at_start[_flag(at_start, "is_backlog")]
    end_bl = at_end[_flag(at_end, "is_backlog")]
    c.count("backlog.start", start_bl)
    # 化解 = backlog at the start and no longer backlog at the end, so that always
    # 期末 = 期初 - 化解 + 新增 (the report states all four)
    resolved = at_end[at_end[_ROW].isin(start_bl[_ROW]) & ~at_end[_ROW].isin(end_bl[_ROW])]
    c.count("backlog.resolved", resolved)
    c.count("backlog.new", end_bl[~end_bl[_ROW].isin(start_bl[_ROW])])
    c.count("backlog.end", end_bl)
    tables["积案"] = pd.DataFrame(
        {
            "项目": ["期初积案", "本期化解", "本期新增", "期末积案"],
            "件数": [
                c.numbers["backlog.start"],
                c.numbers["backlog.resolved"],
                c.numbers["backlog.new"],
                c.numbers["backlog.end"],
            ],
        }
    )

    # responsible units
    unit = _text(period, "responsible_unit")
    unit_rows = []
    for name, sub in period.groupby(unit.fillna(NOT_FILLED), sort=False):
        name = str(name)
        c.count(f"unit.{name}", sub)
        sub_status = status.loc[sub.index] if len(status) else pd.Series(dtype="string")
        sub_known = sub[sub["closed_date"].notna()]
        sub_on = _flag(sub_known, "on_time")
        unit_rows.append(
            {
                LABELS_ZH["responsible_unit"]: name,
                "件数": len(sub),
                "已办结": int(sub["closed_date"].notna().sum()),
                "按期办结": int(sub_on.sum()),
                "超期未办结": int((sub_status == "已超期").sum()) if len(sub_status) else 0,
                "占比": len(sub) / len(period),
            }
        )
    units = pd.DataFrame(
        unit_rows,
        columns=[LABELS_ZH["responsible_unit"], "件数", "已办结", "按期办结", "超期未办结", "占比"],
    )
    units = units.sort_values(["件数", LABELS_ZH["responsible_unit"]], ascending=[False, True])
    tables["责任单位"] = units.reset_index(drop=True)
    top = units[units[LABELS_ZH["responsible_unit"]] != NOT_FILLED].head(top_n)
    tables["信访量较多的单位"] = top.reset_index(drop=True)

    c.numbers["undated"] = undated
    tables = {"总体情况": _overview(c.numbers), **tables}

    previous = None
    if compare:
        ps, pe = previous_period(s, e, compare, period_cutoff_day=period_cutoff_day)
        previous = summarize(
            cases,
            start=ps,
            end=pe,
            compare=None,
            group_threshold=group_threshold,
            today=min(today_ts, pe),
            period_cutoff_day=period_cutoff_day,
            top_n=top_n,
            _cache=_cache,
        )
        table = _comparison(c.numbers, previous.numbers, c)
        tables[COMPARE_NAMES[compare]] = table

    pool = at_end
    if len(at_start):
        extra = at_start[~at_start[_ROW].isin(at_end[_ROW])]
        if len(extra):
            pool = pd.concat([at_end, extra], ignore_index=True)
    return Summary(
        start=s,
        end=e,
        as_of=as_of,
        numbers=c.numbers,
        tables=tables,
        cases=period.drop(columns=[_ROW]).reset_index(drop=True),
        compare=compare,
        previous=previous,
        notes=tuple(notes),
        group_threshold=group_threshold,
        _rows=c.rows,
        _pool=pool.reset_index(drop=True),
    )


#: figures of the overview table, in order
_OVERVIEW: tuple[str, ...] = tuple(k for k in FIGURE_LABELS if not k.startswith("level."))


def _overview(numbers: dict[str, float | int | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "指标": [FIGURE_LABELS[k] for k in _OVERVIEW],
            "数值": pd.array([numbers.get(k) for k in _OVERVIEW], dtype="Float64"),
        }
    )


def _comparison(
    now: dict[str, float | int | None],
    before: dict[str, float | int | None],
    counter: _Counter,
) -> pd.DataFrame:
    rows = []
    for key in COMPARED:
        lbl = FIGURE_LABELS[key]
        a, b = now.get(key), before.get(key)
        prev_key = f"previous.{key}"
        counter.numbers[prev_key] = b
        change = None if a is None or b is None else a - b
        rate = None if change is None or not b or key.endswith("_rate") else change / b
        counter.numbers[f"change.{key}"] = change
        counter.numbers[f"change_rate.{key}"] = rate
        rows.append({"指标": lbl, "本期": a, "上期": b, "增减": change, "增减幅度": rate})
    out = pd.DataFrame(rows)
    for col in ("本期", "上期", "增减", "增减幅度"):
        out[col] = pd.array(out[col].tolist(), dtype="Float64")
    return out
