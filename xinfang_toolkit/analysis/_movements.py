"""Movements: how each breakdown changed against the comparison period, and the words for it.

Computed once here and read by every surface (the drafted text, the Excel file, the Word
appendix). A breakdown is a mapping ``dimension -> {item: count}`` (内容分类 -> {城乡建设: 61},
信访形式 -> {来信: 77}, 来访类型 -> {个访: 202, 集体访: 9} ...), for this period and for the one it
is compared with (去年同期 or 上期).

The thresholds below are the documented rules the text follows:

- a direction word (:func:`direction_word`) for a count: 基本持平 when the change is smaller
  than :data:`FLAT_CASES` cases or :data:`FLAT_RATE` of the earlier count; 明显上升 / 明显下降
  from :data:`CLEAR_RATE`; 有所上升 / 有所下降 from :data:`SOME_RATE`; 略有上升 / 略有下降
  below that. Something new (0 -> n, n >= FLAT_CASES) is 明显上升. A rate (按期办结率) is judged
  in percentage points: below :data:`FLAT_POINTS` 基本持平, from :data:`CLEAR_POINTS` 明显.
- the trend phrase (:func:`trend_phrase`, "呈现'一增两减'特点：个访增多，集访、来信减少") names
  only the main channel movements that are clear: at least :data:`TREND_CASES` cases and
  :data:`TREND_RATE` of the earlier count; it is said only when at least two of them are clear.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

__all__ = [
    "CLEAR_POINTS",
    "CLEAR_RATE",
    "FLAT_CASES",
    "FLAT_POINTS",
    "FLAT_RATE",
    "MOVEMENT_COLUMNS",
    "SOME_RATE",
    "TREND_CASES",
    "TREND_ITEMS",
    "TREND_RATE",
    "direction_word",
    "largest_movements",
    "movements",
    "trend_phrase",
]

#: a change of fewer cases than this is 基本持平 (whatever its relative size)
FLAT_CASES = 3
#: a relative change below 5% is 基本持平
FLAT_RATE = 0.05
#: from 10%: 有所上升 / 有所下降 (below: 略有)
SOME_RATE = 0.10
#: from 20%: 明显上升 / 明显下降
CLEAR_RATE = 0.20
#: a rate (按期办结率, 满意率) moving less than 1 percentage point is 基本持平
FLAT_POINTS = 0.01
#: from 5 percentage points: 明显
CLEAR_POINTS = 0.05
#: the trend phrase counts a channel movement only from this many cases ...
TREND_CASES = 5
#: ... and this relative change
TREND_RATE = 0.10
#: the movements the trend phrase reads: (dimension, item, the word reports use)
TREND_ITEMS: tuple[tuple[str, str, str], ...] = (
    ("来访类型", "个访", "个访"),
    ("来访类型", "集体访", "集访"),
    ("信访形式", "来信", "来信"),
)
#: the columns of a movements table
MOVEMENT_COLUMNS: tuple[str, ...] = ("维度", "项目", "本期", "上期", "增减", "增减幅度", "变化")
_COUNT = ("上升", "下降")
_NUMERALS = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五"}


def direction_word(now: float | None, before: float | None, *, rate: bool = False) -> str:
    """明显上升 / 有所上升 / 略有上升 / 基本持平 / 略有下降 / 有所下降 / 明显下降 (see the module's
    thresholds); ``rate=True`` for a share (0-1) judged in percentage points; "" without both."""
    if now is None or before is None or pd.isna(now) or pd.isna(before):
        return ""
    change = float(now) - float(before)
    up, down = _COUNT
    if rate:
        size = abs(change)
        if size < FLAT_POINTS:
            return "基本持平"
        word = up if change > 0 else down
        return ("明显" if size >= CLEAR_POINTS else "略有") + word
    if abs(change) < FLAT_CASES:
        return "基本持平"
    word = up if change > 0 else down
    if not before:
        return "明显" + word
    relative = abs(change) / float(before)
    if relative < FLAT_RATE:
        return "基本持平"
    if relative >= CLEAR_RATE:
        return "明显" + word
    return ("有所" if relative >= SOME_RATE else "略有") + word


def movements(
    now: Mapping[str, Mapping[str, float]], before: Mapping[str, Mapping[str, float]]
) -> pd.DataFrame:
    """The change of every item of every breakdown: 维度, 项目, 本期, 上期, 增减, 增减幅度 (the
    change over the earlier count; missing when that was 0), 变化 (:func:`direction_word`).

    An item present in only one period counts 0 in the other. Items are in the order of the
    dimensions, then this period's order, then items found only in the earlier period.
    """
    rows = []
    for dim in list(now) + [d for d in before if d not in now]:
        a, b = now.get(dim, {}), before.get(dim, {})
        for item in list(a) + [k for k in b if k not in a]:
            x, y = a.get(item, 0) or 0, b.get(item, 0) or 0
            if not x and not y:
                continue
            rows.append(
                {
                    "维度": dim,
                    "项目": item,
                    "本期": int(x),
                    "上期": int(y),
                    "增减": int(x) - int(y),
                    "增减幅度": (x - y) / y if y else np.nan,
                    "变化": direction_word(x, y),
                }
            )
    out = pd.DataFrame(rows, columns=list(MOVEMENT_COLUMNS))
    for col in ("本期", "上期", "增减"):
        out[col] = out[col].astype("int64")
    out["增减幅度"] = out["增减幅度"].astype("float64")
    return out


def largest_movements(
    moves: pd.DataFrame, *, n: int = 5, rising: bool = True, dimensions: Iterable[str] | None = None
) -> pd.DataFrame:
    """增量前五 (``rising``) or 减量前五: the ``n`` largest changes by number of cases (ties: the
    larger relative change, then the item's name), only real rises (or falls) that are not
    基本持平; ``dimensions`` limits the breakdowns looked at."""
    sub = moves
    if dimensions is not None:
        sub = sub[sub["维度"].isin(list(dimensions))]
    sub = sub[(sub["增减"] > 0) if rising else (sub["增减"] < 0)]
    sub = sub[sub["变化"] != "基本持平"]
    size = sub["增减"].abs()
    rel = sub["增减幅度"].abs().fillna(np.inf)
    order = pd.DataFrame({"size": size, "rel": rel, "item": sub["项目"]})
    order = order.sort_values(["size", "rel", "item"], ascending=[False, False, True])
    return sub.loc[order.index].head(n).reset_index(drop=True)


def trend_phrase(
    moves: pd.DataFrame, *, items: tuple[tuple[str, str, str], ...] = TREND_ITEMS
) -> str | None:
    """The reports' trend phrase from the main channel movements, e.g. "呈现“一增两减”的特点：
    个访增多，集访、来信减少"; None unless at least two of ``items`` moved clearly (at least
    :data:`TREND_CASES` cases and :data:`TREND_RATE` of the earlier count, or new)."""
    up: list[str] = []
    down: list[str] = []
    for dim, item, word in items:
        row = moves[(moves["维度"] == dim) & (moves["项目"] == item)]
        if row.empty:
            continue
        change = int(row["增减"].iloc[0])
        before = int(row["上期"].iloc[0])
        if abs(change) < TREND_CASES or (before and abs(change) / before < TREND_RATE):
            continue
        (up if change > 0 else down).append(word)
    if len(up) + len(down) < 2:
        return None
    name = "".join(
        f"{_NUMERALS[len(words)]}{sign}" for words, sign in ((up, "增"), (down, "减")) if words
    )
    said = ["、".join(words) + verb for words, verb in ((up, "增多"), (down, "减少")) if words]
    return f"呈现“{name}”的特点：" + "，".join(said)
