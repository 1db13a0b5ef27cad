"""summarize(): the statistics of a work report, computed from the cases and traceable to them.

The cases are prepared once by ``analysis.enrich`` (classification, deadlines, repeat chains,
group visits, 越级, backlog) as of the period end; the headline figures come from the figure
registry ``analysis.FIGURES`` (one definition each, the same the dashboard shows); each
section below is one small function (period, counter) -> table that adds its breakdown.
``Summary.rows_for(key)`` gives the rows behind any number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from .. import analysis
from ..analysis import (
    ENRICH_COLUMNS,
    FIGURES,
    Scope,
    activity_table,
    activity_values,
    assigned_table,
    enrich,
    figure,
    movements,
    to_day,
    visit_flags,
)
from ..analysis._enrich import AS_OF_ATTR
from ..analysis._escalation import normalize_levels
from ..analysis._periods import (
    COMPARE_NAMES,
    COMPARE_PERIOD_NAMES,
    check_period,
    period_text,
    previous_period,
)
from ..analysis._settle import settle_rule
from ..analysis._util import person_counts, stripped
from ..schema import (
    CHANNELS,
    LABELS_ZH,
    SATISFACTION_VALUES,
    STATUS_VALUES,
    TEXT_DTYPE,
    UNCLASSIFIED,
    VISIT_LEVEL_REPORT_NAMES,
    VISIT_LEVELS,
    conform_cases,
)
from ..schema import (
    UNKNOWN_LEVEL as LEVEL_UNKNOWN,
)

__all__ = ["Summary", "summarize"]

#: columns written by analysis.enrich; dropped from the input before enriching again (a person
#: key is computed afresh, so it never goes stale after an ID number or phone is corrected)
DERIVED_COLUMNS: tuple[str, ...] = tuple(c for c in ENRICH_COLUMNS if c != "category_original")
_ROW = "_xf_row"
#: escalation levels, highest first, as reports list them (进京, 赴省, 到市, 到县, 乡镇)
LEVELS_HIGH_FIRST: tuple[str, ...] = tuple(reversed(VISIT_LEVELS))
NOT_FILLED = "未填写"
#: the tables of how organs assigned cases and of the office's activities (UNIT_TABLE: below)
ASSIGNED_TABLE = "交办件按交办机关"
ACTIVITY_TABLE = "工作开展情况"
CLOSED, OPEN, DUE_SOON, OVERDUE, BAD_DATE = STATUS_VALUES

#: the Chinese label of each registry figure (name and unit) in the overview and comparison
FIGURE_LABELS: dict[str, str] = {f.key: f.label for f in FIGURES}
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
    "skip_level",
    "repeat.cases",
    "closed",
    "on_time_rate",
    "overdue",
    "backlog.end",
)
#: the title of the movements table (every breakdown against the previous period)
MOVEMENTS_TABLE = "增减变化"
#: the title of the unit table (analysis.unit_table, when the analysis layer has it)
UNIT_TABLE = "责任单位办理情况"
#: breakdowns compared item by item: dimension -> prefix of their keys in ``numbers``
BREAKDOWNS: tuple[tuple[str, str], ...] = (
    ("信访形式", "channel."),
    ("内容分类", "category."),
    ("二级分类", "subcategory."),
    ("问题属地", "locality."),
    ("责任单位", "unit."),
)
_LEVEL_LABELS = {
    f"level.{lv}.batches": f"{VISIT_LEVEL_REPORT_NAMES[lv]}批次" for lv in ("国家", "省", "市")
}


@dataclass(frozen=True, eq=False)
class Summary:
    """The figures of one reporting period.

    ``numbers`` holds every figure the drafted text may state (the registry's keys such as
    ``"cases"``, ``"skip_level"``, ``"backlog.end"``, and breakdowns such as
    ``"category.城乡建设"``, ``"subcategory.城乡建设/城市拆迁"``, ``"level.国家.batches"``,
    ``"backlog_kind.政法"`` (期末积案 by class), ``"leader.open"``); ``tables`` the same figures as
    DataFrames (with a comparison also 增减变化, :attr:`movements`)
    with Chinese column labels, keyed by a Chinese title; ``rows_for(key)`` / ``cases_for(key)``
    the cases behind a figure. ``cases`` are the prepared cases received in the period,
    unmasked: every export masks them (see ``export_xlsx``). Everything is counted as of
    ``as_of`` (the period end, or today if that is earlier).
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
    def as_of_text(self) -> str:
        """统计截至2021年4月30日 (what the report and its Excel file say)."""
        return f"统计截至{period_text(self.as_of, self.as_of)}"

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

    @property
    def movements(self) -> pd.DataFrame | None:
        """The change of every breakdown against the previous period (``analysis.movements``:
        维度, 项目, 本期, 上期, 增减, 增减幅度, 变化); None without comparison."""
        return self.tables.get(MOVEMENTS_TABLE)

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

    def rows_for(self, key: str) -> pd.DataFrame:
        """The rows behind ``numbers[key]``: case_id, source_file, source_sheet, source_row."""
        cols = ["case_id", "source_file", "source_sheet", "source_row"]
        return self.cases_for(key)[cols]

    def ids_for(self, key: str) -> list[object]:
        """Each row behind ``numbers[key]``: its case number (信访件编号), or where the ledger has
        none, its place in the source as (source_file, source_sheet, source_row)."""
        out: list[object] = []
        for cid, f, sh, r in self.rows_for(key).itertuples(index=False):
            if pd.notna(cid) and str(cid).strip():
                out.append(str(cid))
            else:
                out.append(
                    (
                        None if pd.isna(f) else str(f),
                        None if pd.isna(sh) else str(sh),
                        None if pd.isna(r) else int(r),
                    )
                )
        return out


# --- preparing the cases ----------------------------------------------------------------------


def _base(cases: pd.DataFrame) -> pd.DataFrame:
    """The input without derived columns, in the canonical form (columns shared with the input
    until written: copy-on-write, so the input never changes)."""
    base = cases.drop(columns=[c for c in DERIVED_COLUMNS + (_ROW,) if c in cases.columns])
    return conform_cases(base, copy=False).reset_index(drop=True)


def _is_prepared_as_of(cases: pd.DataFrame, day: pd.Timestamp) -> bool:
    recorded = cases.attrs.get(AS_OF_ATTR)
    has_all = all(c in cases.columns for c in ENRICH_COLUMNS)
    later = pd.to_datetime(cases.get("received_date"), errors="coerce") > day
    return has_all and (recorded is None or to_day(recorded) == day) and not bool(later.any())


def _prepare(
    cases: pd.DataFrame, day: pd.Timestamp, *, group_threshold: int, period_cutoff_day: int | None
) -> pd.DataFrame:
    """The ledger as it stood on ``day``, prepared by analysis.enrich as of that day.

    Cases received later are left out; a frame already prepared as of ``day`` is used as it is.
    """
    if _is_prepared_as_of(cases, day):
        out = conform_cases(cases.drop(columns=[_ROW], errors="ignore"), copy=False)
        out = out.reset_index(drop=True)
    else:
        base = _base(cases)
        later = (base["received_date"] > day).to_numpy()
        if later.any():  # else every row is kept, and nothing copied
            base = base[~later].reset_index(drop=True)
        out = enrich(
            base, today=day, group_threshold=group_threshold, period_cutoff_day=period_cutoff_day
        )
    out[_ROW] = np.arange(len(out))
    return out


# --- the period and the counter the sections share --------------------------------------------


@dataclass(frozen=True)
class _Period:
    frame: pd.DataFrame  # prepared cases as of the period's as-of day (all received by then)
    scope: Scope
    top_n: int

    @cached_property
    def period(self) -> pd.DataFrame:
        return self.frame[self.scope.received(self.frame).to_numpy()]

    @cached_property
    def rows(self) -> np.ndarray:
        """The row number (``_ROW``) of each case of the period."""
        return self.period[_ROW].to_numpy()

    @cached_property
    def persons(self) -> np.ndarray:
        """The persons (人次) of each case of the period."""
        return person_counts(self.period).to_numpy()

    @cached_property
    def closed(self) -> np.ndarray:
        """Which cases of the period are closed (已办结) as of the as-of day."""
        return (self.period["status"] == CLOSED).fillna(False).to_numpy(dtype=bool)

    @cached_property
    def visit(self) -> np.ndarray:
        """Which cases of the period are visits (来访)."""
        return visit_flags(self.period).to_numpy(dtype=bool)


class _Counter:
    """Collects numbers and the rows behind them."""

    def __init__(self) -> None:
        self.numbers: dict[str, float | int | None] = {}
        self.rows: dict[str, np.ndarray] = {}

    def count(self, key: str, rows: np.ndarray, *, persons: np.ndarray | None = None) -> int:
        """``numbers[key]``: how many ``rows`` (row numbers); with ``persons`` (their 人次), also
        the ``.persons`` figure of the same rows."""
        n = int(len(rows))
        self.numbers[key] = n
        self.rows[key] = rows
        if persons is not None:
            pkey = key.removesuffix(".batches") + ".persons"
            self.numbers[pkey] = int(persons.sum())
            self.rows[pkey] = rows
        return n

    def figures(self, p: _Period) -> None:
        """Every registry figure, with its rows."""
        for f in FIGURES:
            self.numbers[f.key] = f.value(p.frame, p.scope)
            self.rows[f.key] = p.frame.loc[f.rows(p.frame, p.scope).to_numpy(), _ROW].to_numpy()


def _text(df: pd.DataFrame, column: str) -> pd.Series:
    """Stripped text (analysis._util.stripped: once per distinct value) with empty text as missing."""
    return stripped(df[column], empty_missing=True)


def _positions(codes: np.ndarray, n: int) -> list[np.ndarray]:
    """The positions of each code 0 .. n-1 (ascending), from one stable sort of the codes."""
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(n + 1))
    return [order[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _breakdown(
    p: _Period,
    c: _Counter,
    values: pd.Series,
    *,
    key: str,
    label: str,
    order: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Counts (件数, 人次, 占比) per value, largest first (or in ``order``), and their rows."""
    filled = values.fillna(NOT_FILLED)
    persons = p.persons
    total = len(p.period)
    names = list(order) if order else []
    codes, uniques = pd.factorize(filled)  # one pass; then each value's positions
    where = dict(zip(uniques, _positions(codes, len(uniques)), strict=True))
    counts = pd.Series(np.bincount(codes, minlength=len(uniques)), index=uniques)
    extra = sorted(
        (v for v in counts.index if v not in names),
        key=lambda v: (v in (NOT_FILLED, UNCLASSIFIED), -counts[v], v),
    )
    rows = []
    for name in names + extra:
        pos = where.get(name)
        if pos is None or len(pos) == 0:
            continue
        n = len(pos)
        c.numbers[f"{key}.{name}"] = n
        c.rows[f"{key}.{name}"] = p.rows[pos]
        c.numbers[f"{key}_persons.{name}"] = int(persons[pos].sum())
        c.rows[f"{key}_persons.{name}"] = c.rows[f"{key}.{name}"]
        rows.append({label: name, "件数": n, "人次": int(persons[pos].sum()), "占比": n / total})
    return pd.DataFrame(rows, columns=[label, "件数", "人次", "占比"])


# --- one function per section: (period, counter) -> table --------------------------------------


def _channels(p: _Period, c: _Counter) -> pd.DataFrame:
    channel = _text(p.period, "channel")
    return _breakdown(p, c, channel, key="channel", label=LABELS_ZH["channel"], order=CHANNELS)


def _categories(p: _Period, c: _Counter) -> pd.DataFrame:
    """By national first-level class (prepare mapped the local names); 未分类 last."""
    cat = _text(p.period, "category").fillna(UNCLASSIFIED)
    table = _breakdown(p, c, cat, key="category", label=LABELS_ZH["category"])
    if "category_original" in p.period.columns and len(table):
        # the ledger's names of each class, from the distinct (class, name) pairs
        cat_codes, cats = pd.factorize(cat)
        orig_codes, origs = pd.factorize(_text(p.period, "category_original"))
        both = (cat_codes >= 0) & (orig_codes >= 0)
        width = np.int64(max(len(origs), 1))
        found: dict[str, set[str]] = {}
        for pair in np.unique(cat_codes[both] * width + orig_codes[both]):
            found.setdefault(cats[pair // width], set()).add(origs[pair % width])
        names = {
            k: "、".join(sorted(found.get(k, set()) - {k})) for k in table[LABELS_ZH["category"]]
        }
        table["原分类"] = table[LABELS_ZH["category"]].map(names)
    return table


def _subcategories(p: _Period, c: _Counter) -> pd.DataFrame:
    """By second-level class within its first-level class (``subcategory.城乡建设/城市拆迁``);
    cases without one are left out (the first-level counts hold them)."""
    label = LABELS_ZH["category"]
    cols = [label, "二级分类", "件数", "人次", "占比"]
    if "category_level2" not in p.period.columns:
        return pd.DataFrame(columns=cols)
    cat = _text(p.period, "category").fillna(UNCLASSIFIED)
    sub = _text(p.period, "category_level2")
    # the pair of each row from the codes of its two texts (no text built per row)
    cat_codes, cats = pd.factorize(cat)
    sub_codes, subs = pd.factorize(sub)
    if not (sub_codes >= 0).any():
        return pd.DataFrame(columns=cols)
    width = np.int64(len(subs))
    pair_codes = np.where(sub_codes >= 0, cat_codes * width + sub_codes, -1)
    used, codes = np.unique(pair_codes, return_inverse=True)
    names = [f"{cats[k // width]}/{subs[k % width]}" if k >= 0 else None for k in used]
    pair = pd.Series(
        pd.array(names, dtype=TEXT_DTYPE).take(codes.ravel()), index=sub.index, dtype=TEXT_DTYPE
    )
    table = _breakdown(p, c, pair, key="subcategory", label="_pair")
    table = table[table["_pair"] != NOT_FILLED]
    for k in [k for k in c.numbers if k.endswith(f".{NOT_FILLED}") and "subcategory" in k]:
        c.numbers.pop(k)
        c.rows.pop(k, None)
    parts = table["_pair"].str.split("/", n=1)
    out = pd.DataFrame(
        {
            label: parts.str[0],
            "二级分类": parts.str[1],
            "件数": table["件数"],
            "人次": table["人次"],
            "占比": table["占比"],
        }
    )
    return out.reset_index(drop=True)


def _localities(p: _Period, c: _Counter) -> pd.DataFrame:
    loc = _text(p.period, "locality")
    return _breakdown(p, c, loc, key="locality", label=LABELS_ZH["locality"])


def _levels(p: _Period, c: _Counter) -> pd.DataFrame:
    """信访去向 of visits, highest level first."""
    visit = p.visit
    level = normalize_levels(p.period["visit_level"][visit])  # 到区 -> 县区, empty -> 未知
    rows = []
    for lv in LEVELS_HIGH_FIRST + (LEVEL_UNKNOWN,):
        sub = (level == lv).to_numpy(dtype=bool, na_value=False)
        if lv == LEVEL_UNKNOWN and not sub.any():
            continue
        n = c.count(f"level.{lv}.batches", p.rows[visit][sub], persons=p.persons[visit][sub])
        c.rows[f"level.{lv}"] = c.rows[f"level.{lv}.batches"]
        rows.append(
            {
                LABELS_ZH["visit_level"]: lv,
                "报告用语": VISIT_LEVEL_REPORT_NAMES.get(lv, lv),
                "批次": n,
                "人次": c.numbers[f"level.{lv}.persons"],
            }
        )
    return pd.DataFrame(rows, columns=[LABELS_ZH["visit_level"], "报告用语", "批次", "人次"])


def _groups(p: _Period, c: _Counter) -> pd.DataFrame:
    visit = p.visit
    group = p.period["is_group"][visit].astype("boolean").fillna(False).to_numpy(dtype=bool)
    c.count("individual.batches", p.rows[visit][~group], persons=p.persons[visit][~group])
    return pd.DataFrame(
        {
            "类型": ["集体访", "个访"],
            "批次": [c.numbers["group.batches"], c.numbers["individual.batches"]],
            "人次": [c.numbers["group.persons"], c.numbers["individual.persons"]],
        }
    )


def _repeats(p: _Period, c: _Counter) -> pd.DataFrame:
    period = p.period
    repeat = period[period["is_repeat"].astype("boolean").fillna(False).to_numpy(dtype=bool)]
    cat = _text(repeat, "category").fillna(UNCLASSIFIED)
    table = (
        repeat.assign(_cat=cat.to_numpy())
        .groupby("_cat", sort=False)
        .agg(件数=("_cat", "size"), 事项数=("chain_id", "nunique"))
        .sort_values(["件数", "事项数"], ascending=False, kind="mergesort")
    )
    return pd.DataFrame(
        {
            LABELS_ZH["category"]: table.index.astype(str),
            "重复信访件": table["件数"].to_numpy(dtype="int64"),
            "重复信访事项": table["事项数"].to_numpy(dtype="int64"),
        }
    )


def _counts_of(
    p: _Period, c: _Counter, column: str, values: tuple[str, ...], text: pd.Series | None = None
) -> pd.DataFrame:
    """件数 and 占比 of each of ``values`` in ``column`` (values absent from the period left out);
    ``text``: ``_text`` of the column when the caller has it."""
    period = p.period
    text = _text(period, column) if text is None else text
    codes, uniques = pd.factorize(text)
    code_of = {u: i for i, u in enumerate(uniques)}
    rows = []
    for v in values:
        mask = codes == code_of.get(v, -2)  # -2: no row (missing values are -1)
        if mask.any():
            n = c.count(f"{column}.{v}", p.rows[mask])
            rows.append({LABELS_ZH[column]: v, "件数": n, "占比": n / len(period)})
    return pd.DataFrame(rows, columns=[LABELS_ZH[column], "件数", "占比"])


def _status(p: _Period, c: _Counter) -> pd.DataFrame:
    status = _text(p.period, "status")
    c.count("open", p.rows[status.isin([OPEN, DUE_SOON, OVERDUE]).fillna(False).to_numpy()])
    known = figure("on_time_rate").rows(p.frame, p.scope).to_numpy()
    c.count("on_time_known", p.frame[_ROW].to_numpy()[known])
    return _counts_of(p, c, "status", STATUS_VALUES, status)


def _leaders(p: _Period, c: _Counter) -> pd.DataFrame:
    leader = _text(p.period, "leader")
    led = leader.notna().to_numpy()
    codes, names = pd.factorize(leader[led], sort=True)
    cases = np.bincount(codes, minlength=len(names))
    done = np.bincount(codes, weights=p.closed[led], minlength=len(names))
    rows = [
        {LABELS_ZH["leader"]: str(name), "包案件数": int(n), "已办结": int(d)}
        for name, n, d in zip(names, cases, done, strict=True)
    ]
    return pd.DataFrame(rows, columns=[LABELS_ZH["leader"], "包案件数", "已办结"])


def _satisfaction(p: _Period, c: _Counter) -> pd.DataFrame:
    rated = figure("satisfaction_rate").rows(p.frame, p.scope).to_numpy()
    c.count("satisfaction.rated", p.frame[_ROW].to_numpy()[rated])
    return _counts_of(p, c, "satisfaction", SATISFACTION_VALUES)


def _backlog(p: _Period, c: _Counter) -> pd.DataFrame:
    keys = ("backlog.start", "backlog.resolved", "backlog.new", "backlog.end")
    return pd.DataFrame(
        {
            "项目": [figure(k).name for k in keys],
            "件数": [c.numbers[k] for k in keys],
            "说明": [
                f"截至{p.scope.start - pd.Timedelta(days=1):%Y-%m-%d}",
                "",
                "",
                f"截至{p.scope.as_of:%Y-%m-%d}",
            ],
        }
    )


def _backlog_kinds(p: _Period, c: _Counter) -> pd.DataFrame:
    """期末积案 by kind (national class: ``backlog_kind.政法``), largest first; and the 积案
    resolved in the period by matter and place (属地 and class, never a person)."""
    frame = p.frame
    label = LABELS_ZH["category"]
    # _ROW is each row's position in the frame (np.arange in _prepare): the rows are positions
    pos = np.sort(np.asarray(c.rows.get("backlog.end", []), dtype=np.int64))
    cat = stripped(frame["category"].iloc[pos], empty_missing=True).fillna(UNCLASSIFIED)
    codes, names = pd.factorize(cat)
    rows = []
    for name, where in zip(names, _positions(codes, len(names)), strict=True):
        c.count(f"backlog_kind.{name}", frame[_ROW].to_numpy()[pos[where]])
        rows.append({label: str(name), "期末积案": len(where)})
    out = pd.DataFrame(rows, columns=[label, "期末积案"])
    return out.sort_values(["期末积案", label], ascending=[False, True]).reset_index(drop=True)


def _resolved_matters(p: _Period, c: _Counter) -> pd.DataFrame:
    """The 积案 化解 in the period (``backlog.settled``: closed, and settled by the ledger or the
    settle rule; 办结 alone is not 化解), by place and matter (问题属地, 内容分类, 二级分类, 件数):
    what a report names as examples ("康王乡征地拆迁问题"), never a person."""
    frame = p.frame
    cols = [LABELS_ZH["locality"], LABELS_ZH["category"], "二级分类", "件数"]
    pos = np.sort(np.asarray(c.rows.get("backlog.settled", []), dtype=np.int64))
    if not len(pos):
        return pd.DataFrame(columns=cols)
    done = frame[[c for c in ("locality", "category", "category_level2") if c in frame]].iloc[pos]
    sub = (
        _text(done, "category_level2")
        if "category_level2" in done.columns
        else pd.Series(pd.NA, index=done.index, dtype=TEXT_DTYPE)
    )
    key = pd.DataFrame(
        {
            cols[0]: _text(done, "locality").fillna(NOT_FILLED).to_numpy(),
            cols[1]: _text(done, "category").fillna(UNCLASSIFIED).to_numpy(),
            cols[2]: sub.fillna("").to_numpy(),
        }
    )
    out = key.groupby(cols[:3], sort=False).size().rename("件数").reset_index()
    out = out.sort_values(["件数", cols[0]], ascending=[False, True], kind="mergesort")
    return out.reset_index(drop=True)


def _units(p: _Period, c: _Counter) -> pd.DataFrame:
    period = p.period
    unit = _text(period, "responsible_unit").fillna(NOT_FILLED)
    codes, names = pd.factorize(unit)  # in order of first appearance
    # the registry's rows (closed, on_time, overdue), so the columns add up to them; 重复信访件
    # by unit is the 责任单位办理情况 table's (counted for the unit of the matter's first case),
    # not a second count here by each case's own unit
    closed, on_time, overdue = (
        np.isin(p.rows, c.rows[key]) for key in ("closed", "on_time", "overdue")
    )
    rows = []
    for name, pos in zip(names, _positions(codes, len(names)), strict=True):
        name = str(name)
        c.count(f"unit.{name}", p.rows[pos])
        rows.append(
            {
                LABELS_ZH["responsible_unit"]: name,
                "件数": len(pos),
                "已办结": int(closed[pos].sum()),
                "按期办结": int(on_time[pos].sum()),
                "超期未办结": int(overdue[pos].sum()),
                "占比": len(pos) / len(period),
            }
        )
    cols = [
        LABELS_ZH["responsible_unit"],
        "件数",
        "已办结",
        "按期办结",
        "超期未办结",
        "占比",
    ]
    units = pd.DataFrame(rows, columns=cols)
    units = units.sort_values(["件数", cols[0]], ascending=[False, True])
    return units.reset_index(drop=True)


def _top_units(p: _Period, c: _Counter, units: pd.DataFrame) -> pd.DataFrame:
    col = LABELS_ZH["responsible_unit"]
    return units[units[col] != NOT_FILLED].head(p.top_n).reset_index(drop=True)


Section = Callable[[_Period, _Counter], pd.DataFrame]
#: the tables of a report, in order (title, section)
SECTIONS: tuple[tuple[str, Section], ...] = (
    ("信访形式", _channels),
    ("内容分类", _categories),
    ("二级分类", _subcategories),
    ("问题属地", _localities),
    ("信访去向", _levels),
    ("集体访与个访", _groups),
    ("重复信访", _repeats),
    ("办理状态", _status),
    ("领导包案", _leaders),
    ("满意度", _satisfaction),
    ("积案", _backlog),
    ("积案类别", _backlog_kinds),
    ("化解积案", _resolved_matters),
    ("责任单位", _units),
)


def _overview(numbers: dict[str, float | int | None]) -> pd.DataFrame:
    """总体情况: every registry figure with its name and unit."""
    shown = [f for f in FIGURES if numbers.get(f.key) is not None or not f.needs_start]
    return pd.DataFrame(
        {
            "指标": [f.label for f in shown],
            "数值": pd.array([numbers.get(f.key) for f in shown], dtype="Float64"),
            "单位": [f.unit for f in shown],
        }
    )


def _signed_percent(rate: float | None) -> str | None:
    """0.214 -> "+21.4%", -0.05 -> "-5.0%" (the 同比 column: one decimal, as every percentage)."""
    if rate is None:
        return None
    v = round(float(rate) * 100, 1)
    return ("+" if v > 0 else "") + f"{v:.1f}%"


def _comparison(now: dict, before: dict, counter: _Counter) -> pd.DataFrame:
    rows = []
    for key in COMPARED:
        lbl = FIGURE_LABELS.get(key) or _LEVEL_LABELS[key]
        a, b = now.get(key), before.get(key)
        counter.numbers[f"previous.{key}"] = b
        change = None if a is None or b is None else a - b
        rate = None if change is None or not b or key.endswith("_rate") else change / b
        counter.numbers[f"change.{key}"] = change
        counter.numbers[f"change_rate.{key}"] = rate
        rows.append(
            {"指标": lbl, "本期": a, "上期": b, "增减": change, "增减幅度": _signed_percent(rate)}
        )
    out = pd.DataFrame(rows)
    for col in ("本期", "上期", "增减"):
        out[col] = pd.array(out[col].tolist(), dtype="Float64")
    return out


def _count_period(p: _Period) -> tuple[_Counter, dict[str, pd.DataFrame]]:
    c = _Counter()
    c.figures(p)
    tables: dict[str, pd.DataFrame] = {}
    for title, section in SECTIONS:
        tables[title] = section(p, c)
    tables["信访量较多的单位"] = _top_units(p, c, tables["责任单位"])
    # 责任单位办理情况: the registry's rows by unit (analysis.unit_table, looked up when called)
    tables[UNIT_TABLE] = analysis.unit_table(
        p.frame.drop(columns=[_ROW]),
        as_of=p.scope.as_of,
        start=p.scope.start,
        end=p.scope.end,
    )
    return c, tables


def _handling_tables(frame: pd.DataFrame, scope: Scope) -> dict[str, pd.DataFrame]:
    """交办件按交办机关 (assigned_table), only when there are 交办件."""
    out = {}
    organs = assigned_table(frame, as_of=scope)
    if len(organs):
        out[ASSIGNED_TABLE] = organs
    return out


def _breakdowns(numbers: dict[str, float | int | None]) -> dict[str, dict[str, float]]:
    """The breakdowns of a period's numbers (dimension -> item -> count) for ``movements``."""
    out: dict[str, dict[str, float]] = {dim: {} for dim, _ in BREAKDOWNS}
    for dim, prefix in BREAKDOWNS:
        for key, value in numbers.items():
            if key.startswith(prefix) and value is not None:
                out[dim][key.removeprefix(prefix)] = value
    out["来访类型"] = {
        "个访": numbers.get("individual.batches") or 0,
        "集体访": numbers.get("group.batches") or 0,
    }
    out["信访去向"] = {
        lv: numbers.get(f"level.{lv}.batches") or 0
        for lv in LEVELS_HIGH_FIRST
        if numbers.get(f"level.{lv}.batches") is not None
    }
    return out


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
    activities: pd.DataFrame | None = None,
) -> Summary:
    """Compute the figures of a work report for cases received from ``start`` to ``end``.

    ``cases`` are clean canonical cases (``load_cases(...).cases``), or cases already prepared
    by ``analysis.enrich`` as of the period end (used as they are). Everything is counted as of
    ``end``, or as of ``today`` if that is earlier (a period still running): a case closed after
    that day counts as open, and 积案 is judged on that day (期初: on the day before ``start``).
    The figures follow the registry ``analysis.FIGURES``. ``compare="yoy"`` (同比) or ``"mom"``
    (环比) also summarises the previous period and adds a comparison table. ``activities``
    (``load_activities(...).activities``, the 工作台账) adds the ``activity.<kind>`` figures of
    the period and the table 工作开展情况. The input is not changed.
    """
    if not isinstance(cases, pd.DataFrame):
        raise TypeError("cases 必须是 DataFrame（load_cases(...).cases）")
    if compare not in (None, "yoy", "mom"):
        raise ValueError(f"compare 只能是 'yoy'（同比）、'mom'（环比）或 None，收到 {compare!r}")
    first_day, last_day = check_period(start, end)
    real_today = to_day(today, name="today 今天", default_today=True)
    opts = {"group_threshold": group_threshold, "period_cutoff_day": period_cutoff_day}
    as_of = min(last_day, real_today)
    undated = _undated(cases)
    notes = [f"有{undated}件没有登记日期，未计入任何统计期。"] if undated else []

    period = _Period(
        _prepare(cases, as_of, **opts), Scope(as_of=as_of, start=first_day, end=last_day), top_n
    )
    counter, tables = _count_period(period)
    counter.numbers["undated"] = undated
    tables = {
        "总体情况": _overview(counter.numbers),
        **tables,
        **_handling_tables(period.frame, period.scope),
    }
    notes.append(settle_rule(period.frame))
    if activities is not None:
        counter.numbers.update(activity_values(activities, start=first_day, end=as_of))
        tables[ACTIVITY_TABLE] = activity_table(activities, start=first_day, end=as_of)

    previous = None
    if compare:
        previous = _previous_summary(
            cases, first_day, last_day, compare, today=real_today, top_n=top_n, **opts
        )
        tables[COMPARE_NAMES[compare]] = _comparison(counter.numbers, previous.numbers, counter)
        tables[MOVEMENTS_TABLE] = movements(
            _breakdowns(counter.numbers), _breakdowns(previous.numbers)
        )

    return Summary(
        start=first_day,
        end=last_day,
        as_of=as_of,
        numbers=counter.numbers,
        tables=tables,
        cases=period.period.drop(columns=[_ROW]).reset_index(drop=True),
        compare=compare,
        previous=previous,
        notes=tuple(notes),
        group_threshold=group_threshold,
        _rows=counter.rows,
        _pool=period.frame,
    )


def _undated(cases: pd.DataFrame) -> int:
    """How many cases have no (readable) received date: they count in no period."""
    if not len(cases):
        return 0
    return int(pd.to_datetime(cases.get("received_date"), errors="coerce").isna().sum())


def _previous_summary(
    cases: pd.DataFrame,
    first_day: pd.Timestamp,
    last_day: pd.Timestamp,
    compare: str,
    *,
    today: pd.Timestamp,
    top_n: int,
    group_threshold: int,
    period_cutoff_day: int | None,
) -> Summary:
    """The summary of the period compared with (``compare``: 同比 or 环比), as of its own end
    (or today, if that is earlier), prepared again as the ledger stood then."""
    start, end = previous_period(first_day, last_day, compare, period_cutoff_day=period_cutoff_day)
    as_of = min(today, end)
    prepared = _prepare(
        _base(cases), as_of, group_threshold=group_threshold, period_cutoff_day=period_cutoff_day
    )
    period = _Period(prepared, Scope(as_of=as_of, start=start, end=end), top_n)
    counter, tables = _count_period(period)
    counter.numbers["undated"] = _undated(cases)  # the same cases: the same count as now
    return Summary(
        start=start,
        end=end,
        as_of=as_of,
        numbers=counter.numbers,
        tables={"总体情况": _overview(counter.numbers), **tables},
        cases=period.period.drop(columns=[_ROW]).reset_index(drop=True),
        group_threshold=group_threshold,
        _rows=counter.rows,
        _pool=period.frame,
    )
