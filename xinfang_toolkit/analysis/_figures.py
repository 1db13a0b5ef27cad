"""The figure registry: every headline figure defined once, as data.

Each :class:`Figure` has its key, Chinese name, a one-sentence definition (the dashboard's
tooltip, the report's 说明 sheet), its unit (件, 批次, 人次, 个, %, 天) and the function that
selects the rows behind it. ``kpis`` (the dashboard's cards), ``summarize`` (the report, its
text and its Excel file), the notebooks and the command line all read figures from
:data:`FIGURES`; none counts on its own.

A figure is computed on cases prepared by :func:`enrich` (as of a day) within a
:class:`Scope`: the cases received from ``start`` to ``end`` and by ``as_of`` (flows such as
信访总量), and the state on ``as_of`` (and on the day before ``start``) for stocks such as 积案.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import wraps

import numpy as np
import pandas as pd

from ..schema import STATUS_VALUES, TEXT_DTYPE
from ._backlog import _is_backlog, chain_codes
from ._escalation import visit_flags
from ._periods import to_day
from ._settle import SETTLE_DAYS, _settled
from ._util import column, dates, one_of, person_counts, stripped

__all__ = [
    "FIGURES",
    "HANDLING_FIGURES",
    "Figure",
    "Scope",
    "figure",
    "figure_rows",
    "HEADLINE_KEYS",
    "figure_series",
    "figure_table",
    "figure_values",
]

CLOSED, _OPEN, DUE_SOON, OVERDUE, _BAD_DATE = STATUS_VALUES
_HAPPY = ("满意", "基本满意")
_RATED = ("满意", "基本满意", "不满意")


@dataclass(frozen=True)
class Scope:
    """Which cases a figure counts: received from ``start`` to ``end`` (None: no bound) and by
    ``as_of``; stocks (积案) on ``as_of`` and, for 期初, on the day before ``start``."""

    as_of: pd.Timestamp
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    #: masks shared by the figures of one frame (computed once per frame)
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    def memo(self, cases: pd.DataFrame, key: str, compute: Callable[[], pd.Series]) -> pd.Series:
        """``compute()`` once per frame and key (the figures share masks such as 积案 on a day)."""
        if self._memo.get("_frame") is not cases:
            self._memo.clear()
            self._memo["_frame"] = cases
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @classmethod
    def of(cls, *, as_of: object, start: object = None, end: object = None) -> Scope:
        day = to_day(as_of, name="as_of 统计截止日")
        s = None if start is None else to_day(start, name="start 起始日期")
        e = None if end is None else to_day(end, name="end 截止日期")
        return cls(as_of=day, start=s, end=e)

    def received(self, cases: pd.DataFrame) -> pd.Series:
        """The flow: cases received in the period and by ``as_of``."""
        return self.memo(cases, "received", lambda: self._received(cases))

    def _received(self, cases: pd.DataFrame) -> pd.Series:
        day = dates(cases, "received_date")
        keep = (day <= self.as_of).fillna(False)
        if self.start is not None:
            keep &= (day >= self.start).fillna(False)
        if self.end is not None:
            keep &= (day <= self.end).fillna(False)
        return keep.astype(bool)


Select = Callable[[pd.DataFrame, Scope], pd.Series]


@dataclass(frozen=True)
class Figure:
    """One figure: ``select(cases, scope)`` gives the rows behind it (a boolean Series).

    ``reduce`` says how the rows become the number: ``count`` (rows), ``persons`` (sum of 人数,
    a missing count is one person), ``matters`` (distinct repeat chains), ``rate`` (rows of
    ``numerator`` among the selected rows), ``median_days`` (median days taken).
    """

    key: str
    name: str
    definition: str
    unit: str
    select: Select
    reduce: str = "count"
    numerator: Select | None = None
    #: False for stocks that need a period start (期初, 化解, 新增): None without one
    needs_start: bool = False
    #: ``reduce="sum"``: the column summed over the rows; ``reduce="distinct"``: the columns
    #: whose distinct combinations are counted (领导接访次数: day and leader)
    columns: tuple[str, ...] = ()
    #: columns of which at least one must hold a value somewhere in the frame, else the figure
    #: is None (unknown), not 0: a ledger without 批示 says nothing about 领导阅批件
    needs: tuple[str, ...] = ()

    def rows(self, cases: pd.DataFrame, scope: Scope) -> pd.Series:
        """The rows behind the figure (for a rate: its denominator), once per frame and scope."""
        if self.needs_start and scope.start is None:
            return pd.Series(False, index=cases.index)
        return scope.memo(cases, f"rows:{self.key}", lambda: self._rows(cases, scope))

    def _rows(self, cases: pd.DataFrame, scope: Scope) -> pd.Series:
        return self.select(cases, scope).reindex(cases.index).fillna(False).astype(bool)

    def value(self, cases: pd.DataFrame, scope: Scope) -> float | int | None:
        if self.needs_start and scope.start is None:
            return None
        if self.needs and not scope.memo(cases, f"has:{self.needs}", lambda: self._has(cases)):
            return None
        rows = self.rows(cases, scope)
        if self.reduce == "count":
            return int(rows.sum())
        if self.reduce == "persons":
            persons = scope.memo(cases, "person_counts", lambda: person_counts(cases))
            return int(persons[rows.to_numpy()].sum())
        if self.reduce == "matters":
            return int(column(cases, "chain_id")[rows].dropna().nunique())
        if self.reduce == "rate":
            den = int(rows.sum())
            if not den:
                return None
            assert self.numerator is not None
            return int((self.numerator(cases, scope) & rows).sum()) / den
        if self.reduce == "sum":
            values = pd.to_numeric(column(cases, self.columns[0])[rows], errors="coerce")
            return int(values.fillna(0).sum())
        if self.reduce == "distinct":
            parts = pd.DataFrame({c: stripped(column(cases, c)[rows]) for c in self.columns})
            return int(len(parts.dropna().drop_duplicates()))
        if self.reduce == "median_days":
            taken = pd.to_numeric(column(cases, "days_taken")[rows], errors="coerce").dropna()
            return float(taken.median()) if len(taken) else None
        raise ValueError(f"未知的汇总方式 reduce={self.reduce!r}")

    def _has(self, cases: pd.DataFrame) -> pd.Series:
        return any(c in cases.columns and bool(cases[c].notna().any()) for c in self.needs)

    @property
    def label(self) -> str:
        """越级访（批次）: the name with its unit, as tables show it."""
        if self.unit in ("%", "") or self.name.endswith(self.unit):
            return self.name
        return f"{self.name}（{self.unit}）"


def _bool(cases: pd.DataFrame, name: str) -> pd.Series:
    col = column(cases, name)
    return col.astype("boolean").fillna(False).astype(bool)


def _status(cases: pd.DataFrame, value: str, scope: Scope) -> pd.Series:
    def compute() -> pd.Series:
        status = scope.memo(cases, "status", lambda: column(cases, "status").astype(TEXT_DTYPE))
        return (status == value).fillna(False).astype(bool)

    return scope.memo(cases, f"status:{value}", compute)


def _text(cases: pd.DataFrame, name: str, scope: Scope) -> pd.Series:
    """A text column stripped (once per frame: several figures read leader, satisfaction)."""
    return scope.memo(cases, f"text:{name}", lambda: stripped(column(cases, name)))


def _shared(select: Select) -> Select:
    """A selection made once per frame and scope: several figures count the same rows (批次 and
    人次, 已办结 inside 按期办结 and the rate)."""

    @wraps(select)
    def once(c, s):
        return s.memo(c, f"select:{select.__name__}", lambda: select(c, s))

    return once


def _all(c, s):
    return s.received(c)


@_shared
def _visits(c, s):
    return s.received(c) & visit_flags(c)


@_shared
def _group(c, s):
    return _visits(c, s) & _bool(c, "is_group")


@_shared
def _skip(c, s):
    return _visits(c, s) & _bool(c, "is_skip_level")


@_shared
def _repeat(c, s):
    return s.received(c) & _bool(c, "is_repeat")


@_shared
def _closed(c, s):
    return s.received(c) & _status(c, CLOSED, s)


@_shared
def _on_time(c, s):
    return _closed(c, s) & _bool(c, "on_time")


def _on_time_known(c, s):
    return _closed(c, s) & column(c, "on_time").notna()


def _overdue(c, s):
    return s.received(c) & _status(c, OVERDUE, s)


def _due_soon(c, s):
    return s.received(c) & _status(c, DUE_SOON, s)


@_shared
def _leader(c, s):
    lead = _text(c, "leader", s)
    return s.received(c) & (lead.notna() & (lead != "")).fillna(False)


def _leader_closed(c, s):
    return _leader(c, s) & _status(c, CLOSED, s)


@_shared
def _rated(c, s):
    return s.received(c) & one_of(_text(c, "satisfaction", s), _RATED)


def _happy(c, s):
    return s.received(c) & one_of(_text(c, "satisfaction", s), _HAPPY)


def _day_before(scope: Scope) -> pd.Timestamp:
    assert scope.start is not None
    return scope.start - pd.Timedelta(days=1)


def _chains(c, s) -> np.ndarray:
    """The chain codes of the frame (:func:`chain_codes`), found once for all its figures."""
    return s.memo(c, "chain_codes", lambda: chain_codes(c))


def _backlog_on(c, s, day) -> pd.Series:
    """积案 on ``day`` (the chains of the frame factorized once for 期初 and 期末)."""
    return _is_backlog(c, day, _chains(c, s))


def _backlog_end(c, s):
    return s.memo(c, "backlog_end", lambda: _backlog_on(c, s, s.as_of))


def _backlog_start(c, s):
    return s.memo(c, "backlog_start", lambda: _backlog_on(c, s, _day_before(s)))


def _backlog_resolved(c, s):
    return _backlog_start(c, s) & ~_backlog_end(c, s)


def _backlog_new(c, s):
    return _backlog_end(c, s) & ~_backlog_start(c, s)


# --- how the office handled the cases (交办, 批示, 接访, 督办, 回访, 重点, 化解) ------------------
#: an assigning organ that is the office itself: no 交办件
OWN_LEVEL = "本级"
#: the columns without which a handling figure is unknown (None), not 0
_ASSIGNED = ("assigned_by",)
_FOLLOW_UP = ("follow_up_date", "follow_up_result")


def _filled(c, s, name: str) -> pd.Series:
    text = _text(c, name, s)
    return (text.notna() & (text != "")).fillna(False).astype(bool)


@_shared
def _assigned(c, s):
    return s.received(c) & _filled(c, s, "assigned_by") & (_text(c, "assigned_by", s) != OWN_LEVEL)


def _fed_back_by(c, s) -> pd.Series:
    """Fed back (办结/反馈) on or before the day counted as of."""
    return (dates(c, "closed_date") <= s.as_of).fillna(False)


@_shared
def _assigned_on_time(c, s):
    due = dates(c, "feedback_due")
    return _assigned(c, s) & _fed_back_by(c, s) & (dates(c, "closed_date") <= due).fillna(False)


@_shared
def _assigned_overdue(c, s):
    due = dates(c, "feedback_due")
    return _assigned(c, s) & (due < s.as_of).fillna(False) & ~_fed_back_by(c, s)


def _assigned_judged(c, s):
    """交办件 whose feedback can be judged: a 反馈期限, and fed back or past it."""
    due = dates(c, "feedback_due")
    return _assigned(c, s) & due.notna() & (_fed_back_by(c, s) | (due < s.as_of).fillna(False))


def _instruction(c, s):
    return s.received(c) & (_filled(c, s, "instruction") | _filled(c, s, "instruction_leader"))


@_shared
def _received_by_leader(c, s):
    return _visits(c, s) & _filled(c, s, "reception_leader")


@_shared
def _supervised(c, s):
    count = pd.to_numeric(column(c, "supervision_count"), errors="coerce")
    return s.received(c) & (count > 0).fillna(False)


def _supervision_rows(c, s):
    return s.received(c) & column(c, "supervision_count").notna()


#: 回访结果 (or 是否回访) cells that say there was no call-back
_NO_FOLLOW_UP = ("否", "未回访", "没有回访", "无法回访", "未")


@_shared
def _followed_up(c, s):
    day = dates(c, "follow_up_date")
    dated = (day <= s.as_of).fillna(False)
    result = _text(c, "follow_up_result", s)
    said = _filled(c, s, "follow_up_result") & ~one_of(result, _NO_FOLLOW_UP)
    said &= ~result.str.startswith("未回访").fillna(False).astype(bool)
    return s.received(c) & (dated | (day.isna() & said))


def _closed_where_call_backs_kept(c, s):
    """已办结件 of the ledgers (source files) that record call-backs at all (回访时间 or 回访结果):
    a ledger without such columns says nothing about 回访, so its cases are no denominator."""

    def compute() -> pd.Series:
        said = dates(c, "follow_up_date").notna() | column(c, "follow_up_result").notna()
        said = said.fillna(False).astype(bool)
        files = column(c, "source_file")
        if files.isna().all():
            return pd.Series(bool(said.any()), index=c.index)
        keys = files.astype(TEXT_DTYPE).fillna("").to_numpy()
        return pd.Series(said.groupby(keys).transform("any").to_numpy(dtype=bool), index=c.index)

    return _closed(c, s) & s.memo(c, "call_back_ledgers", compute)


def _followed_up_closed(c, s):
    return _followed_up(c, s) & _closed(c, s)


def _key(c, s):
    return s.received(c) & (_text(c, "key_case", s) == "是").fillna(False)


def _backlog_with_leader(c, s):
    return _backlog_end(c, s) & _filled(c, s, "leader")


def _leader_open(c, s):
    return _leader(c, s) & ~_status(c, CLOSED, s)


@_shared
def _backlog_settled(c, s):
    """期初积案 that are no longer 积案 on the day counted as of and are 化解 by then."""
    resolved = _backlog_resolved(c, s)
    settled = _settled(c, s.as_of, SETTLE_DAYS, resolved.to_numpy(), lambda: _chains(c, s))
    return resolved & settled


def _settled_by(way: str) -> Select:
    def select(c, s):
        return _backlog_settled(c, s) & (_text(c, "resolution_type", s) == way).fillna(False)

    select.__name__ = f"_backlog_settled_{way}"
    return select


_SETTLE = (
    f"化解不等于办结：台账有化解时间、是否化解的按台账认定；没有的，按办结后{SETTLE_DAYS}天内"
    "同一事项没有再次信访认定"
)
_WAYS = {
    "化解": "问题得到解决（案结事了）",
    "分流": "引导通过诉讼、仲裁、复议等法定途径或移送有权机关",
    "疏导": "解释政策、说明理由、答复",
    "救助帮扶": "困难救助、帮扶",
}

_BACKLOG = (
    "积案：统计日仍未办结，并且已超过办理期限、或同一事项反复信访（3次以上、跨度超过180天）、"
    "或台账标记为积案；统计日前已办结的从不计入"
)

#: the registry, in the order reports list the figures
FIGURES: tuple[Figure, ...] = (
    Figure("cases", "信访总量", "统计期内登记的信访件数（来信、来访、网上信访、来电等全部形式）。", "件", _all),
    Figure("persons", "信访人次", "统计期内全部信访件的人数之和，未填人数的按1人计。", "人次", _all, "persons"),
    Figure("visits", "来访批次", "统计期内信访形式为来访（走访）的批次，一件来访为一批。", "批次", _visits),
    Figure("visit_persons", "来访人次", "统计期内来访的人数之和，未填人数的按1人计。", "人次", _visits, "persons"),
    Figure("group.batches", "集体访批次", "人数达到集体访门槛（默认5人）的来访批次；来信、网上信访不计。", "批次", _group),
    Figure("group.persons", "集体访人次", "集体访的人数之和。", "人次", _group, "persons"),
    Figure(
        "skip_level",
        "越级访",
        "越过责任层级的来访：只计信访形式为来访的批次，去向高于责任层级（案件未写明的按乡镇）；"
        "向上级来信、网上信访不属越级访。",
        "批次",
        _skip,
    ),
    Figure("skip_level.persons", "越级访人次", "越级访的人数之和。", "人次", _skip, "persons"),
    Figure("repeat.cases", "重复信访件", "同一信访人就同一事项此前已有信访件的信访件（事项链中不是第一件）。", "件", _repeat),
    Figure("repeat.chains", "重复信访事项", "统计期内有重复信访件的事项数（事项链有2件以上）。", "个", _repeat, "matters"),
    Figure("leader.cases", "领导包案件", "统计期内登记、填写了包案领导的信访件。", "件", _leader),
    Figure("leader.resolved", "包案已办结", "领导包案件中截至统计日已办结的。", "件", _leader_closed),
    Figure("closed", "已办结件", "统计期内登记、截至统计日已办结的信访件（统计日后的办结不计）。", "件", _closed),
    Figure("on_time", "按期办结件", "已办结件中在办理期限内办结的。", "件", _on_time),
    Figure(
        "on_time_rate",
        "按期办结率",
        "按期办结件占办结日期和期限均已知的已办结件的比例。",
        "%",
        _on_time_known,
        "rate",
        numerator=_on_time,
    ),
    Figure("overdue", "超期未办结件", "统计期内登记、截至统计日仍未办结且已过办理期限的信访件。", "件", _overdue),
    Figure("due_soon", "即将到期件", "截至统计日未办结、7天内到期的信访件。", "件", _due_soon),
    Figure("median_days", "办理天数中位数", "已办结件从登记到办结的天数的中位数。", "天", _closed, "median_days"),
    Figure(
        "satisfaction_rate",
        "满意率",
        "满意和基本满意的件数占参与评价（满意、基本满意、不满意）件数的比例。",
        "%",
        _rated,
        "rate",
        numerator=_happy,
    ),
    Figure("backlog.start", "期初积案", _BACKLOG + "。期初为统计期第一天的前一天。", "件", _backlog_start, needs_start=True),
    Figure("backlog.resolved", "本期办结积案", "期初是积案、到统计日已不是积案（已办结）的信访件。办结不等于化解：其中已化解的是“积案化解”。", "件", _backlog_resolved, needs_start=True),
    Figure("backlog.new", "本期新增积案", "统计日是积案、期初不是积案的信访件；期末 = 期初 - 办结 + 新增。", "件", _backlog_new, needs_start=True),
    Figure("backlog.end", "期末积案", _BACKLOG + "。期末为统计日。", "件", _backlog_end),
    Figure("backlog.matters", "积案事项", "统计日有积案信访件的事项（事项链）数。", "个", _backlog_end, "matters"),
)  # fmt: skip

#: the office's handling: 交办, 批示, 接访, 督办, 回访, 重点, 包案, 积案化解 by way of resolution
HANDLING_FIGURES: tuple[Figure, ...] = (
    Figure("assigned.cases", "交办件", "统计期内登记、由上级机关交办的信访件（国家信访局、省市信访局、联席办、12345、纪委监委等；本级自收的不计）。", "件", _assigned, needs=_ASSIGNED),
    Figure("assigned.on_time", "交办件按期反馈", "交办件中截至统计日已反馈（办结）、且反馈不晚于反馈期限的。", "件", _assigned_on_time, needs=_ASSIGNED),
    Figure("assigned.overdue", "交办件超期未反馈", "交办件中反馈期限已过、截至统计日仍未反馈（办结）的。", "件", _assigned_overdue, needs=_ASSIGNED),
    Figure("assigned.on_time_rate", "交办件按期反馈率", "按期反馈的交办件占有反馈期限、且已反馈或已过期限的交办件的比例。", "%", _assigned_judged, "rate", numerator=_assigned_on_time, needs=_ASSIGNED),
    Figure("instruction.cases", "领导阅批件", "统计期内登记、有领导批示（阅批）的信访件。", "件", _instruction, needs=("instruction", "instruction_leader")),
    Figure("reception.sessions", "领导接访次数", "统计期内来访中填写了接访领导的，按“日期＋接访领导”计次（同一领导同一天接访多批计1次）。", "次", _received_by_leader, "distinct", columns=("received_date", "reception_leader"), needs=("reception_leader",)),
    Figure("supervision.count", "督办次数", "统计期内登记的信访件的督办次数之和（督办情况按其中写有日期的条数计）。", "次", _supervision_rows, "sum", columns=("supervision_count",), needs=("supervision_count",)),
    Figure("supervision.cases", "督办件", "统计期内登记、督办过（督办次数大于0）的信访件。", "件", _supervised, needs=("supervision_count",)),
    Figure("follow_up.cases", "回访件", "统计期内登记、截至统计日已回访（有回访时间，或回访结果/是否回访写明已回访）的信访件。", "件", _followed_up, needs=_FOLLOW_UP),
    Figure("follow_up_rate", "回访率", "已办结件中已回访的比例（只计记录回访情况的台账；没有回访列的台账不计）。", "%", _closed_where_call_backs_kept, "rate", numerator=_followed_up_closed, needs=_FOLLOW_UP),
    Figure("key.cases", "重点案件", "统计期内登记、台账标为重点的信访件。", "件", _key, needs=("key_case",)),
    Figure("backlog.leader_rate", "积案包案率", "统计日的积案中填写了包案领导的比例。", "%", _backlog_end, "rate", numerator=_backlog_with_leader),
    Figure("leader.open", "包案未办结", "领导包案件中截至统计日仍未办结的。", "件", _leader_open),
    Figure("backlog.settled", "积案化解", f"期初积案中到统计日已不是积案、并且已化解的信访件；{_SETTLE}。", "件", _backlog_settled, needs_start=True),
    *(
        Figure(f"backlog.resolved.{way}", f"积案化解：{way}", f"已化解的积案中化解方式为“{way}”的（{meaning}）；化解方式取台账的化解方式，没有的由办理结果文字判断（classify_resolution）。", "件", _settled_by(way), needs_start=True, needs=("resolution_type",))
        for way, meaning in _WAYS.items()
    ),
)  # fmt: skip
FIGURES = FIGURES + HANDLING_FIGURES

_BY_KEY = {f.key: f for f in FIGURES}


def figure(key: str) -> Figure:
    """The registry entry of ``key`` (e.g. ``"skip_level"``)."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"没有这个指标：{key!r}（可用：{', '.join(_BY_KEY)}）") from None


def _scope(as_of, start, end) -> Scope:
    return as_of if isinstance(as_of, Scope) else Scope.of(as_of=as_of, start=start, end=end)


def figure_values(
    cases: pd.DataFrame, *, as_of: object, start: object = None, end: object = None
) -> dict[str, float | int | None]:
    """Every registry figure of prepared (``enrich``-ed) cases, by key."""
    scope = _scope(as_of, start, end)
    return {f.key: f.value(cases, scope) for f in FIGURES}


def figure_rows(
    cases: pd.DataFrame, key: str, *, as_of: object, start: object = None, end: object = None
) -> pd.DataFrame:
    """The rows behind a figure: ``case_id`` and the provenance (source_file, source_sheet,
    source_row), so that a figure can be traced even where the ledger has no case number."""
    scope = _scope(as_of, start, end)
    rows = figure(key).rows(cases, scope).to_numpy(dtype=bool)
    cols = ["case_id", "source_file", "source_sheet", "source_row"]
    out = pd.DataFrame({c: column(cases, c).to_numpy()[rows] for c in cols})
    out.index = cases.index[np.flatnonzero(rows)]
    return out


#: the headline figures of a period, in the order the dashboard's period cards and the
#: notebooks show them
HEADLINE_KEYS: tuple[str, ...] = (
    "cases",
    "visits",
    "skip_level",
    "repeat.chains",
    "on_time_rate",
    "backlog.start",
    "backlog.resolved",
    "backlog.new",
    "backlog.end",
)


def _shown(unit: str, value: object) -> object:
    """A figure as a table shows it: a rate as a percentage (93.7%), a missing one as —."""
    if value is None or pd.isna(value):
        return "—"
    return f"{float(value):.1%}" if unit == "%" else value


def figure_series(values: Mapping[str, object], keys: Iterable[str] = HEADLINE_KEYS) -> pd.Series:
    """Figures under their registry labels (越级访（批次） ...), from values by key (``kpis``,
    ``Summary.numbers``): the table a notebook shows (rates as percentages)."""
    shown = {figure(k).label: _shown(figure(k).unit, values[k]) for k in keys}
    return pd.Series(shown, name="数值", dtype=object)


def figure_table() -> pd.DataFrame:
    """The registry as a table with Chinese headers: 指标, 单位, 口径说明 (the 说明 sheet)."""
    return pd.DataFrame(
        {
            "指标": [f.name for f in FIGURES],
            "单位": [f.unit for f in FIGURES],
            "口径说明": [f.definition for f in FIGURES],
        }
    )
