"""draft_report(): Chinese report paragraphs from a Summary, through editable Jinja2 templates.

The templates live in ``xinfang_toolkit/data/templates`` (report.j2 includes one file per
section). Every number in the text comes from ``Summary.numbers``; a missing name is an error
(StrictUndefined), never an empty string.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import jinja2
import pandas as pd
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .. import privacy
from .._datafile import DataFileError, load_yaml, read_text
from ..analysis._escalation import VISIT_CHANNEL
from ..analysis._movements import direction_word, largest_movements, trend_phrase
from ..analysis._periods import period_text
from ..load._activities import ACTIVITY_KINDS  # the one list of office activities
from ..schema import (
    CHANNELS,
    RESOLUTION_TYPES,
    TEXT_DTYPE,
    UNCLASSIFIED,
    VISIT_LEVEL_REPORT_NAMES,
    VISIT_LEVELS,
)
from ._summary import LEVELS_HIGH_FIRST, NOT_FILLED, UNIT_TABLE, Summary

__all__ = [
    "TEMPLATE_DIR",
    "TemplateError",
    "draft_report",
    "report_profiles",
    "report_schemes",
    "unit_bullets",
]

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "data" / "templates"
OTHER = "其他"
_NUMERALS = "一二三四五六七八九十"
#: figures compared in the 同比/环比 paragraph: key, label, unit ("" for a rate)
_CHANGES: tuple[tuple[str, str, str], ...] = (
    ("cases", "信访总量", "件"),
    ("persons", "信访群众", "人次"),
    ("visits", "来访", "批"),
    ("visit_persons", "来访群众", "人次"),
    ("group.batches", "集体访", "批"),
    ("level.国家.batches", "进京访", "批"),
    ("level.省.batches", "赴省访", "批"),
    ("repeat.cases", "重复信访", "件"),
    ("on_time_rate", "按期办结率", ""),
    ("overdue", "超期未办结", "件"),
    ("backlog.end", "期末积案", "件"),
)
#: at most this many problems (categories) in the 主要问题 paragraph, and units named
TOP_PROBLEMS = 5
#: categories named one by one in the 基本情况 paragraph (the rest are summed)
TOP_CATEGORIES = 8
TOP_UNITS = 5
#: kinds of the remaining 积案 named one by one (the rest summed as 其他)
TOP_BACKLOG_KINDS = 5


def zh_list(items: Iterable[object], *, last: str = "和", sep: str = "、") -> str:
    """["甲", "乙", "丙"] -> "甲、乙和丙"; one item alone; ``last=sep`` for a plain list."""
    parts = [str(x) for x in items]
    if len(parts) <= 1:
        return "".join(parts)
    return sep.join(parts[:-1]) + last + parts[-1]


def fmt_num(value: float | int) -> str:
    """15.0 -> "15", 15.5 -> "15.5" (at most one decimal)."""
    v = round(float(value), 1)
    return str(int(v)) if v == int(v) else f"{v:.1f}"


def fmt_pct(value: float) -> str:
    """0.8 -> "80%", 2/3 -> "66.7%"."""
    return fmt_num(float(value) * 100) + "%"


def fmt_points(value: float) -> str:
    """A change of two rates in percentage points: 0.125 -> "12.5"."""
    return fmt_num(float(value) * 100)


#: where an office writes what only it knows (the draft's placeholders)
FILL = "【请补充：{}】"
#: a figure the data does not have: a labelled blank (领导接访__次)
BLANK = "__"
#: ways a 积案 is resolved (``backlog.resolved.<way>``), as reports list them: the contract's
#: 化解方式 without 未化解
RESOLUTION_WAYS: tuple[str, ...] = tuple(w for w in RESOLUTION_TYPES if w != "未化解")
#: the movements the 同比 paragraph names: rises and falls, from these breakdowns
#: (dimension, rises named, falls named): five movements at most, categories first
MOVES_NAMED: tuple[tuple[str, int, int], ...] = (("内容分类", 2, 1), ("问题属地", 1, 1))
#: categories named as 上升较快 in 存在的问题: clear rises (明显上升), fastest first
FAST_RISES = 3
#: units named in each bullet of 存在的问题
BULLET_UNITS = 3
NATIONAL = "全国分类"
PROFILES_FILE = TEMPLATE_DIR.parent / "report_profiles.yaml"
SCHEMES_FILE = TEMPLATE_DIR.parent / "report_schemes.yaml"


def _yaml(path: Path) -> dict:
    try:  # UTF-8 or GBK; a typo names the file and line
        data = load_yaml(path, name=f"报告配置文件 {path}") or {}
    except DataFileError as exc:
        raise TemplateError(f"读不了{exc}") from None
    if not isinstance(data, dict):
        raise TemplateError(f"报告配置文件 {path} 的格式不对：最外层应是键值对")
    return data


def report_profiles(path: str | Path | None = None) -> dict[str, dict]:
    """The report profiles (乡镇 / 县 / 区 / 市: levels written and their words, the office's
    level, the scheme), from ``data/report_profiles.yaml`` or ``path``."""
    data = _yaml(Path(path) if path else PROFILES_FILE)
    profiles = data.get("profiles") or {}
    for name, prof in profiles.items():
        missing = [k for k in ("office_level", "levels", "level_words") if k not in prof]
        if missing:
            raise TemplateError(f"报告档次「{name}」缺少：{'、'.join(missing)}")
        unknown = [lv for lv in prof["levels"] if lv not in VISIT_LEVELS]
        if unknown or prof["office_level"] not in VISIT_LEVELS:
            raise TemplateError(
                f"报告档次「{name}」的层级只能是 {'、'.join(VISIT_LEVELS)}，"
                f"收到 {'、'.join(map(str, unknown or [prof['office_level']]))}"
            )
    return {str(k): dict(v, name=str(k)) for k, v in profiles.items()}


def report_schemes(path: str | Path | None = None) -> dict[str, dict | None]:
    """The report schemes (an office's own groups of national classes), from
    ``data/report_schemes.yaml`` or ``path``; 全国分类 (None) is always there."""
    data = _yaml(Path(path) if path else SCHEMES_FILE)
    out: dict[str, dict | None] = {NATIONAL: None}
    for name, scheme in (data.get("schemes") or {}).items():
        groups = scheme.get("groups") or []
        if not groups or not all(isinstance(g, dict) and g.get("name") for g in groups):
            raise TemplateError(f"分类方案「{name}」需要 groups，每一项有 name")
        out[str(name)] = scheme
    return out


def _pick(options: dict, name: str | None, default: str, what: str) -> object:
    key = default if name is None else name
    if key not in options:
        raise ValueError(f"没有这个{what}：{key!r}（可用：{'、'.join(options)}）")
    return options[key]


# --- figures and their changes ------------------------------------------------------------------


class _Figures:
    """The numbers of a Summary for the templates: ``fill`` (a value or a labelled blank) and
    the changes folded into a sentence (同比上升21.4%)."""

    def __init__(self, summary: Summary) -> None:
        self.n = summary.numbers
        self.before = summary.previous.numbers if summary.previous is not None else None
        self.compare = summary.compare_name or ""
        self.previous = summary.previous_name or ""

    def has(self, key: str) -> bool:
        return self.n.get(key) is not None

    def fill(self, key: str, unit: str = "", *, rate: bool = False) -> str:
        """ "7次" from the Summary, or "__次" (a labelled blank) where it has no such figure."""
        value = self.n.get(key)
        if value is None:
            return BLANK + ("" if rate else unit)
        return fmt_pct(value) if rate else fmt_num(value) + unit

    def _move(self, key: str) -> tuple[float, float] | None:
        if self.before is None:
            return None
        now, before = self.n.get(key), self.before.get(key)
        if now is None or before is None:
            return None
        return float(now), float(before)

    def _word(self, key: str, *, rate: bool) -> str | None:
        move = self._move(key)
        if move is None:
            return None
        now, before = move
        if rate:
            pts = now - before
            if abs(pts) < 0.0005:
                return "持平"
            return f"{'提高' if pts > 0 else '下降'}{fmt_points(abs(pts))}个百分点"
        if not before:
            return None if not now else "新增"
        change = (now - before) / before
        if round(change * 1000) == 0:
            return "持平"
        return f"{'上升' if change > 0 else '下降'}{fmt_pct(abs(change))}"

    def change(self, *keys: str, rate: bool = False) -> str:
        """ "同比上升21.4%" / "同比分别上升21.4%和30.7%" / "同比提高7.3个百分点" ("" without a
        comparison, or where the earlier figure was 0)."""
        words = [self._word(k, rate=rate) for k in keys]
        if not self.compare or any(w is None for w in words):
            return ""
        if all(w == "持平" for w in words):
            return f"与{self.previous}持平"
        if len(words) == 1:
            return f"{self.compare}{words[0]}"
        verbs = {w[:2] for w in words}
        if len(verbs) == 1 and "持平" not in verbs and "新增" not in verbs:
            verb = words[0][:2]
            return f"{self.compare}分别{verb}" + zh_list([w[2:] for w in words])
        return f"{self.compare}分别" + zh_list(words, last="、")

    def direction(self, key: str, *, rate: bool = False) -> str:
        """明显上升 / 略有下降 / 基本持平 … (``analysis._movements.direction_word``) against the earlier
        period; "" without one."""
        move = self._move(key)
        return "" if move is None else direction_word(move[0], move[1], rate=rate)

    def before_value(self, key: str, unit: str = "", *, rate: bool = False) -> str:
        """The earlier figure ("72.8%", "168批") or ""."""
        move = self._move(key)
        if move is None:
            return ""
        return fmt_pct(move[1]) if rate else fmt_num(move[1]) + unit


# --- the parts of the draft ---------------------------------------------------------------------


def _levels(n: dict, profile: dict) -> list[dict]:
    """信访去向 as the profile writes them: 进京 / 到区 …, below the office's level 乡镇接待."""
    office = VISIT_LEVELS.index(profile["office_level"])
    words = profile["level_words"]
    below = profile.get("below_word") or "{level}接待"
    names = profile.get("below_names") or {}
    out = []
    for lv in LEVELS_HIGH_FIRST:
        if lv not in profile["levels"]:
            continue
        b = n.get(f"level.{lv}.batches", 0)
        if not b:
            continue
        p = n[f"level.{lv}.persons"]
        if VISIT_LEVELS.index(lv) < office:
            word = below.format(level=names.get(lv, lv))
        else:
            word = words.get(lv) or VISIT_LEVEL_REPORT_NAMES.get(lv, lv)
        out.append(
            {"level": lv, "word": word, "batches": b, "persons": p, "phrase": f"{word}{b}批{p}人次"}
        )
    return out


def _subclasses(n: dict) -> dict[str, dict[str, int]]:
    """category -> {sub-class: cases} (``subcategory.城乡建设/城市拆迁``)."""
    out: dict[str, dict[str, int]] = {}
    for key, value in n.items():
        if key.startswith("subcategory.") and value:
            cat, _, sub = key.removeprefix("subcategory.").partition("/")
            out.setdefault(cat, {})[sub] = int(value)
    return out


def _national_groups(n: dict) -> list[dict]:
    """National first-level classes, largest first, each with its sub-classes."""
    subs = _subclasses(n)
    groups = []
    for key, value in n.items():
        if key.startswith("category.") and value:
            name = key.removeprefix("category.")
            parts = sorted(subs.get(name, {}).items(), key=lambda kv: (-kv[1], kv[0]))
            groups.append({"name": name, "cases": int(value), "about": "", "parts": parts})
    groups.sort(key=lambda g: (g["name"] == UNCLASSIFIED, g["name"] == OTHER, -g["cases"]))
    return groups


def _scheme_groups(n: dict, scheme: dict) -> list[dict]:
    """An office's own groups: each national class / sub-class counted in the group its scheme
    names (a member "一级/二级" before a member "一级"); the rest in ``rest`` (其他)."""
    rest = scheme.get("rest") or OTHER
    member_of: dict[str, str] = {}
    for g in scheme["groups"]:
        for m in g.get("members") or []:
            member_of[str(m)] = g["name"]
    counts: dict[str, dict[str, int]] = {g["name"]: {} for g in scheme["groups"]}
    counts.setdefault(rest, {})
    unclassified = 0
    subs = _subclasses(n)
    for key, value in n.items():
        if not (key.startswith("category.") and value):
            continue
        cat = key.removeprefix("category.")
        if cat in (UNCLASSIFIED, NOT_FILLED):
            unclassified += int(value)
            continue
        left = int(value)
        for sub, k in subs.get(cat, {}).items():
            pair = f"{cat}/{sub}"
            if pair in member_of:
                counts[member_of[pair]][sub] = counts[member_of[pair]].get(sub, 0) + k
                left -= k
        if left:
            group = member_of.get(cat, rest)
            counts[group][cat] = counts[group].get(cat, 0) + left
    about = {g["name"]: g.get("about") or "" for g in scheme["groups"]}
    groups = [
        {
            "name": name,
            "cases": sum(parts.values()),
            "about": about.get(name, ""),
            "parts": sorted(parts.items(), key=lambda kv: (-kv[1], kv[0])),
        }
        for name, parts in counts.items()
        if sum(parts.values())
    ]
    if unclassified:
        groups.append({"name": UNCLASSIFIED, "cases": unclassified, "about": "", "parts": []})
    return groups


def _listed(groups: list[dict], total: int) -> list[dict]:
    """The groups as the 基本情况 sentence names them: the largest seven, and one 其他 for the
    rest (其他 itself included); 未分类 last."""
    known = [g for g in groups if g["name"] not in (UNCLASSIFIED, OTHER)]
    other = sum(g["cases"] for g in groups if g["name"] == OTHER)
    unknown = [g for g in groups if g["name"] == UNCLASSIFIED]
    head = known
    if len(known) + (1 if other else 0) > TOP_CATEGORIES:
        head = sorted(known, key=lambda g: -g["cases"])[: TOP_CATEGORIES - 1]
        other += sum(g["cases"] for g in known if g not in head)
    out = [dict(g) for g in head]
    if other:
        out.append({"name": OTHER, "cases": other, "about": "", "parts": []})
    out += [dict(g) for g in unknown]
    for g in out:
        g["share"] = g["cases"] / total if total else 0.0
        g["phrase"] = f"{g['name']}{g['cases']}件"
    return out


def _parts_phrase(group: dict, limit: int = 3) -> str:
    """城市拆迁44件、物业管理8件 (the group's largest parts; "" for a group of one part that is
    the group itself)."""
    parts = [(k, v) for k, v in group["parts"] if k != group["name"]][:limit]
    return "、".join(f"{k}{v}件" for k, v in parts)


#: how the 同比 paragraph names an item of each breakdown
_MOVE_NAMES = {"内容分类": "{}类信访", "问题属地": "{}的信访", "责任单位": "{}承办的信访"}


def _move_phrase(row: pd.Series, previous: str) -> str:
    rate = row["增减幅度"]
    verb = "增加" if row["增减"] > 0 else "减少"
    name = _MOVE_NAMES.get(row["维度"], "{}").format(row["项目"])
    said = f"{name}{verb}{abs(int(row['增减']))}件（{int(row['上期'])}件→{int(row['本期'])}件"
    if pd.notna(rate):
        said += f"，{'上升' if rate > 0 else '下降'}{fmt_pct(abs(rate))}"
    return said + "）"


def _moves(summary: Summary) -> dict[str, object]:
    """The phrases of the largest movements (:data:`MOVES_NAMED`, by number of cases), the
    categories rising fastest (by relative change) and the trend phrase."""
    moves = summary.movements
    if moves is None or moves.empty:
        return {"rising": [], "falling": [], "rising_categories": [], "trend": None}
    prev = summary.previous_name or ""
    rising, falling = [], []
    for dim, ups, downs in MOVES_NAMED:
        for rows, n, up in ((rising, ups, True), (falling, downs, False)):
            picked = largest_movements(moves, n=n, rising=up, dimensions=(dim,))
            rows += [_move_phrase(r, prev) for _, r in picked.iterrows()]
    cats = moves[(moves["维度"] == "内容分类") & (moves["变化"] == "明显上升")]
    fast = cats.assign(_r=cats["增减幅度"].fillna(float("inf")))
    fast = fast.sort_values(["_r", "增减", "项目"], ascending=[False, False, True])
    return {
        "rising": rising,
        "falling": falling,
        "rising_categories": [_move_phrase(r, prev) for _, r in fast.head(FAST_RISES).iterrows()],
        "trend": trend_phrase(moves),
    }


def unit_bullets(units: pd.DataFrame | None, *, top: int = BULLET_UNITS) -> list[str]:
    """Evidence for 存在的问题 from a unit table (``analysis.unit_table`` or summarize's
    责任单位): the units with the most 超期未办结 and 重复信访件, the lowest 交办按期反馈率, the
    most 积案. Each bullet names at most ``top`` units with their figure; a column the table
    lacks, or where every unit has 0, gives no bullet."""
    if units is None or units.empty:
        return []
    name = "责任单位" if "责任单位" in units.columns else units.columns[0]
    units = units[units[name].astype(TEXT_DTYPE).fillna(NOT_FILLED) != NOT_FILLED]
    out = []
    for col, what in (
        ("超期未办结", "超期未办结件较多"),
        ("重复信访件", "重复信访件较多"),
        ("积案", "积案较多"),
        ("越级访", "越级访较多"),
    ):
        if col not in units.columns:
            continue
        values = pd.to_numeric(units[col], errors="coerce").fillna(0)
        pick = units.assign(_v=values)[values > 0]
        pick = pick.sort_values(["_v", name], ascending=[False, True]).head(top)
        if len(pick):
            listed = zh_list(
                [f"{u}（{fmt_num(v)}件）" for u, v in zip(pick[name], pick["_v"], strict=True)]
            )
            out.append(f"{what}的单位有{listed}")
    rate = "交办按期反馈率"
    if rate in units.columns and "交办件" in units.columns:
        has = units[pd.to_numeric(units["交办件"], errors="coerce").fillna(0) > 0]
        values = pd.to_numeric(has[rate], errors="coerce")
        low = has.assign(_v=values)[values < 1].sort_values(["_v", name]).head(top)
        if len(low):
            listed = zh_list(
                [f"{u}（{fmt_pct(v)}）" for u, v in zip(low[name], low["_v"], strict=True)]
            )
            out.append(f"交办件按期反馈率偏低的单位有{listed}")
    return out


def _resolved_examples(summary: Summary, limit: int = 3) -> list[str]:
    """Resolved 积案 named by place and matter: 甲镇城市拆迁问题 (never a person)."""
    table = summary.tables.get("化解积案")
    if table is None or table.empty:
        return []
    out = []
    for place, cat, sub, _k in table.head(limit).itertuples(index=False):
        where = "" if place == NOT_FILLED else str(place)
        out.append(f"{where}{sub or cat}问题")
    return out


def _campaign(campaign: object) -> dict | None:
    """Campaign progress (``CaseArchive.campaign(...)``: start, end, total, resolved)."""
    if campaign is None:
        return None
    total, done = int(campaign.total), int(campaign.resolved)
    return {
        "start": period_text(campaign.start, campaign.start),
        "end": period_text(campaign.end, campaign.end),
        "total": total,
        "resolved": done,
        "remaining": total - done,
        "rate": done / total if total else None,
    }


def _channel_phrases(numbers: dict) -> list[dict]:
    """The channels with cases, each with its phrase: 来访12批30人次, 来信8件 ..."""
    out = []
    for channel in CHANNELS:
        cases = numbers.get(f"channel.{channel}", 0)
        if not cases:
            continue
        if channel == VISIT_CHANNEL:
            phrase = f"来访{cases}批{numbers[f'channel_persons.{channel}']}人次"
        else:
            phrase = f"{channel}{cases}件"
        out.append({"name": channel, "cases": cases, "phrase": phrase})
    return out


def _problems(groups: list[dict], total: int, *, scheme: dict | None) -> list[dict]:
    """The classified groups with their share of all cases (the national scheme: the largest
    few only)."""
    problems = [
        dict(
            group, share=group["cases"] / total if total else 0.0, parts_phrase=_parts_phrase(group)
        )
        for group in groups
        if group["name"] not in (UNCLASSIFIED, NOT_FILLED)
    ]
    return problems[:TOP_PROBLEMS] if scheme is None else problems


def _satisfaction_phrases(numbers: dict) -> list[dict]:
    """满意, 基本满意, 不满意 with cases, each with its phrase."""
    return [
        {
            "name": v,
            "cases": numbers[f"satisfaction.{v}"],
            "phrase": f"{v}{numbers[f'satisfaction.{v}']}件",
        }
        for v in ("满意", "基本满意", "不满意")
        if numbers.get(f"satisfaction.{v}", 0)
    ]


def _top_units(summary: Summary) -> list[dict]:
    """The units with the most cases (table 信访量较多的单位), the first TOP_UNITS."""
    table = summary.tables.get("信访量较多的单位")
    if table is None:
        return []
    units = [
        {"name": name, "cases": int(cases), "phrase": f"{name}（{int(cases)}件）"}
        for name, cases in zip(table.iloc[:, 0], table["件数"], strict=True)
    ]
    return units[:TOP_UNITS]


def _backlog_kinds(summary: Summary) -> list[dict]:
    """期末积案 by class (table 积案类别): the largest TOP_BACKLOG_KINDS, the rest as 其他."""
    table = summary.tables.get("积案类别")
    if table is None:
        return []
    kinds = [
        {"name": str(name), "cases": int(cases), "phrase": f"{name}{int(cases)}件"}
        for name, cases in zip(table.iloc[:, 0], table["期末积案"], strict=True)
    ]
    if len(kinds) > TOP_BACKLOG_KINDS + 1:
        rest = sum(kind["cases"] for kind in kinds[TOP_BACKLOG_KINDS:])
        kinds = kinds[:TOP_BACKLOG_KINDS] + [
            {"name": OTHER, "cases": rest, "phrase": f"{OTHER}{rest}件"}
        ]
    return kinds


def _difficulties(numbers: dict, bullets: list[str], moves: dict) -> list[str]:
    """存在的困难: the units' bullets, overdue 交办件, categories rising fast."""
    out = list(bullets)
    if (numbers.get("assigned.overdue") or 0) > 0:
        out.append(f"上级交办件中有{numbers['assigned.overdue']}件超期未办结")
    if moves["rising_categories"]:
        rising = zh_list(moves["rising_categories"], last="、")
        out.append(f"部分类别信访量上升较快，{rising}")
    return out


def _resolution_ways(numbers: dict) -> list[dict]:
    """化解积案 by way of resolution, the ways the summary counted."""
    return [
        {"name": way, "cases": numbers[f"backlog.resolved.{way}"]}
        for way in RESOLUTION_WAYS
        if numbers.get(f"backlog.resolved.{way}") is not None
    ]


def _section_titles() -> Callable[[str], str]:
    """``section(title)``: 一、title, then 二、title ... (one counter per rendering)."""
    counter = iter(_NUMERALS)

    def section(title: str) -> str:
        return f"{next(counter, '')}、{title}"

    return section


def _context(
    summary: Summary,
    *,
    profile: dict | None = None,
    scheme: dict | None = None,
    campaign: object = None,
) -> dict[str, object]:
    """The variables a report template sees."""
    numbers = summary.numbers
    if profile is None:
        profile = report_profiles()[_yaml(PROFILES_FILE).get("default", "县")]
    figs = _Figures(summary)
    groups = _national_groups(numbers) if scheme is None else _scheme_groups(numbers, scheme)
    unit_table = summary.tables.get(UNIT_TABLE)
    bullets = unit_bullets(unit_table if unit_table is not None else summary.tables.get("责任单位"))
    moves = _moves(summary)
    return {
        "s": summary,
        "n": numbers,
        "f": figs,
        "fill": figs.fill,
        "change": figs.change,
        "before": figs.before_value,
        "direction": figs.direction,
        "has": figs.has,
        "todo": FILL.format,
        "profile": profile,
        "we": profile.get("we") or "我单位",
        "period": summary.period_text,
        "as_of": summary.as_of_text,
        "channels": _channel_phrases(numbers),
        "categories": _listed(groups, int(numbers.get("cases") or 0)),
        "all_categories": groups,
        "problems": _problems(groups, int(numbers.get("cases") or 0), scheme=scheme),
        "levels": _levels(numbers, profile),
        "satisfaction": _satisfaction_phrases(numbers),
        "units": _top_units(summary),
        "backlog_kinds": _backlog_kinds(summary),
        "resolved_examples": _resolved_examples(summary),
        "resolution_ways": _resolution_ways(numbers),
        "activity": {k: numbers.get(f"activity.{k}") for k in ACTIVITY_KINDS},
        "moves": moves,
        "unit_bullets": bullets,
        "difficulties": _difficulties(numbers, bullets, moves),
        "ordinals": [f"{d}" for d in _NUMERALS],
        "campaign": _campaign(campaign),
        "compare_name": summary.compare_name or "",
        "previous_name": summary.previous_name or "",
        "notes": list(summary.notes),
        "section": _section_titles(),
    }


class TemplateError(ValueError):
    """A report template that cannot be used: bad syntax, an unknown variable, or an attempt
    to reach Python internals (templates run in Jinja2's sandbox)."""


def _template_line(exc: BaseException, folder: Path) -> tuple[str | None, int | None]:
    """The template file and line where rendering failed (Jinja2 puts them in the traceback)."""
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    roots = (str(folder), str(TEMPLATE_DIR))
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or filename.startswith(roots):
            found = (Path(filename).name, tb.tb_lineno)
        tb = tb.tb_next
    return found


class _TemplateFiles(jinja2.FileSystemLoader):
    """Templates from folders, read in UTF-8 or GBK (a copy saved by Notepad on Chinese
    Windows) through the one reader of editable data files."""

    def get_source(self, environment: jinja2.Environment, template: str):  # type: ignore[override]
        pieces = split_template_path(template)
        for folder in self.searchpath:
            path = Path(folder, *pieces)
            if path.is_file():
                text = read_text(path, name=f"报告模板 {path.name}")
                mtime = path.stat().st_mtime

                def fresh(path: Path = path, mtime: float = mtime) -> bool:
                    try:
                        return path.stat().st_mtime == mtime
                    except OSError:
                        return False

                return text, str(path), fresh
        raise jinja2.TemplateNotFound(template)


def _environment(folder: Path) -> jinja2.Environment:
    # a template is data an analyst may get from anywhere: it runs in the sandbox, which
    # refuses attributes such as __class__ / __globals__ and never changes Python objects
    env = ImmutableSandboxedEnvironment(
        loader=_TemplateFiles([str(folder), str(TEMPLATE_DIR)]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["zh_list"] = zh_list
    env.filters["num"] = fmt_num
    env.filters["pct"] = fmt_pct
    env.filters["points"] = fmt_points
    return env


def draft_report(
    summary: Summary,
    *,
    template: str | Path | None = None,
    mask: bool = True,
    profile: str | None = None,
    scheme: str | None = None,
    campaign: object = None,
    profiles: str | Path | None = None,
    schemes: str | Path | None = None,
) -> str:
    """The drafted text of a work report (工作汇报), one paragraph per line: an opening, then
    一、基本情况 (同比 folded into each figure), 二、反映的主要问题 (trend phrase, the office's
    groups with their sub-classes, the largest movements), 三、工作开展情况 (handling figures,
    labelled blanks "领导接访__次" where the data has none), 四、积案化解, 五、存在的问题和困难
    (evidence bullets), 六、下一步工作打算; 【请补充：…】 marks what only the office knows.

    ``profile`` (乡镇 / 县 / 区 / 市, ``data/report_profiles.yaml`` or ``profiles``) chooses the
    levels written and their words (到县 or 到区, 乡镇接待 below the office's level) and the
    default ``scheme`` (全国分类, or a group scheme of ``data/report_schemes.yaml`` /
    ``schemes`` such as 五类问题: 三农问题 / 涉法涉诉 / 干部作风 / 城建拆迁 / 其他). ``campaign``:
    the progress of a 积案 campaign (``CaseArchive.campaign(...)``), said in 四、积案化解.

    Lines such as "一、基本情况" are section headings. ``template`` is the path of a Jinja2
    template to use instead of the packaged ``report.j2``; it may include the packaged section
    templates (basic.j2, escalation.j2, handling.j2, backlog.j2, problems.j2, compare.j2) or
    copies of them kept next to it. Templates run in Jinja2's sandbox: one that reaches for
    Python internals raises ``TemplateError`` naming its line. With ``mask`` (default) the text
    is masked like every other output (numbers, names of the persons the cases know).
    """
    if not isinstance(summary, Summary):
        raise TypeError("draft_report 需要 summarize(...) 的结果 (a Summary)")
    if template is None:
        path = TEMPLATE_DIR / "report.j2"
    else:
        path = Path(template)
        if not path.is_file():
            raise FileNotFoundError(f"找不到报告模板：{path} (template file not found)")
    all_profiles = report_profiles(profiles)
    default = _yaml(Path(profiles) if profiles else PROFILES_FILE).get("default", "县")
    prof = _pick(all_profiles, profile, str(default), "报告档次")
    all_schemes = report_schemes(schemes)
    chosen = _pick(all_schemes, scheme, str(prof.get("scheme") or NATIONAL), "分类方案")
    context = _context(summary, profile=prof, scheme=chosen, campaign=campaign)
    env = _environment(path.parent)
    try:
        text = env.get_template(path.name).render(context)
    except SecurityError as exc:
        name, line = _template_line(exc, path.parent)
        name = name or path.name
        raise TemplateError(
            f"报告模板 {name} 第{line or '?'}行试图访问 Python 内部对象，已拒绝（{exc}）/ "
            f"template {name} line {line or '?'} reaches for Python internals: refused"
        ) from exc
    except jinja2.UndefinedError as exc:
        name, line = _template_line(exc, path.parent)
        where = f"{name or path.name}" + (f" 第{line}行" if line else "")
        raise TemplateError(f"报告模板 {where} 用了不存在的变量：{exc.message}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"报告模板 {exc.filename or path.name} 第{exc.lineno}行有语法错误：{exc.message}"
        ) from exc
    lines = [line.strip() for line in text.splitlines()]
    text = "\n".join(line for line in lines if line)
    if mask:
        text = privacy.TextMasker(privacy.known_names(summary.cases))(text)
    return text
