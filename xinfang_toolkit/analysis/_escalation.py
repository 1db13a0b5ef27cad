"""Escalation (信访去向 / 越级访) and group visits (集体访 vs 个访), in 批次 and 人次.

批次 counts rows (visits); 人次 sums ``person_count``, a missing count taken as 1 person.
Only visits (信访形式 来访) are counted, as the figure registry defines 来访批次, 集体访 and
越级访: a letter, an online petition or a call goes to no level and is no 个访
(``visits_only=False`` counts every row, for a frame of visits already selected).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..clean import normalize_visit_level
from ..schema import TEXT_DTYPE, UNKNOWN_LEVEL, VISIT_LEVEL_REPORT_NAMES, VISIT_LEVELS
from ._util import column, person_counts, stripped

__all__ = [
    "UNKNOWN",
    "escalation_phrase",
    "escalation_table",
    "group_flags",
    "group_visits",
    "normalize_levels",
    "skip_level_flags",
    "DEFAULT_RESPONSIBLE_LEVEL",
    "VISIT_CHANNEL",
    "responsible_levels",
    "visit_flags",
]

UNKNOWN = UNKNOWN_LEVEL
TOTAL = "合计"
#: report order: highest level first, unknown last
REPORT_ORDER: tuple[str, ...] = tuple(reversed(VISIT_LEVELS)) + (UNKNOWN,)
_RANK = {level: i for i, level in enumerate(VISIT_LEVELS)}
#: the names a responsible_level argument may use: a level, or its report name (到县, 到市 ...)
_LEVEL_NAMES = {
    **{level: level for level in VISIT_LEVELS},
    **{name: level for level, name in VISIT_LEVEL_REPORT_NAMES.items()},
}


def _name(level: str) -> str:
    return VISIT_LEVEL_REPORT_NAMES.get(level, level)


def normalize_levels(values: pd.Series) -> pd.Series:
    """visit_level as one of schema.VISIT_LEVELS, or 未知 (empty or unrecognised values)."""
    text = stripped(values)
    uniques = text.dropna().unique()
    # the loader's vocabulary (进京/赴省/到市/到区/本乡 ...), applied once per distinct value
    mapping = {u: normalize_visit_level(u)[0] or UNKNOWN for u in uniques}
    return _by_value(text, mapping, UNKNOWN).astype(TEXT_DTYPE)


def _by_value(values: pd.Series, mapping: dict, missing: object) -> pd.Series:
    """``values.map(mapping)`` with missing values and values not in ``mapping`` as ``missing``,
    looked up once per distinct value (object dtype; same index and name)."""
    codes, uniques = pd.factorize(values)
    lookup = np.asarray([mapping.get(u, missing) for u in uniques] + [missing], dtype=object)
    return pd.Series(lookup[codes], index=values.index, name=values.name, dtype=object)


def _group_keys(cases: pd.DataFrame, by: str | list[str] | None) -> list[str]:
    if by is None:
        return []
    keys = [by] if isinstance(by, str) else list(by)
    missing = [k for k in keys if k not in cases.columns]
    if missing:
        raise KeyError(f"没有列 {', '.join(missing)}，无法按其分组 / no column {missing}")
    return keys


def _unknown_last(table: pd.DataFrame) -> pd.DataFrame:
    """Groups in sorted order with the 未知 group (empty values) after the others."""
    first = table.index.get_level_values(0)
    return pd.concat([table[first != UNKNOWN], table[first == UNKNOWN]])


def escalation_table(
    cases: pd.DataFrame,
    *,
    by: str | list[str] | None = "locality",
    responsible_level: str | None = "乡镇",
    levels_above: int = 0,
    visits_only: bool = True,
) -> pd.DataFrame:
    """批次 and 人次 per visit level, one row per ``by`` group plus a 合计 row.

    Columns, in report order: 进京批次, 进京人次, 赴省批次, 赴省人次, 到市..., 到县..., 乡镇...,
    未知批次, 未知人次 (empty or unrecognised visit_level), 合计批次, 合计人次, then 越级批次 and
    越级人次 (visits above ``responsible_level``, see :func:`skip_level_flags`; a level or a
    column name; ``None`` leaves them out). ``by=None`` gives only the 合计 row. Empty group
    values are shown as 未知, after the other groups. Only visits are counted (see the module).
    """
    keys = _group_keys(cases, by)
    if visits_only:
        cases = cases[visit_flags(cases).to_numpy(dtype=bool)]
    frame = pd.DataFrame(
        {
            "_level": normalize_levels(column(cases, "visit_level")),
            "_persons": person_counts(cases),
        },
        index=cases.index,
    )
    for k in keys:
        frame[k] = cases[k].astype(TEXT_DTYPE).fillna(UNKNOWN)
    groups = keys or ["_all"]
    if not keys:
        frame["_all"] = TOTAL
    agg = frame.groupby(groups + ["_level"], dropna=False)["_persons"].agg(["size", "sum"])
    batches = agg["size"].unstack("_level", fill_value=0)
    persons = agg["sum"].unstack("_level", fill_value=0)
    columns: dict[str, pd.Series] = {}
    for level in REPORT_ORDER:
        b = batches[level] if level in batches else pd.Series(0, index=batches.index)
        p = persons[level] if level in persons else pd.Series(0, index=persons.index)
        columns[f"{_name(level)}批次"] = b
        columns[f"{_name(level)}人次"] = p
    table = pd.DataFrame(columns, index=batches.index).astype("int64")
    table[f"{TOTAL}批次"] = batches.sum(axis=1).astype("int64")
    table[f"{TOTAL}人次"] = persons.sum(axis=1).astype("int64")
    if responsible_level is not None:
        skip = skip_level_flags(
            cases, responsible_level=responsible_level, levels_above=levels_above
        ).to_numpy()
        sub = frame[skip].groupby(groups)["_persons"].agg(["size", "sum"])
        table["越级批次"] = sub["size"].reindex(table.index, fill_value=0).astype("int64")
        table["越级人次"] = sub["sum"].reindex(table.index, fill_value=0).astype("int64")
    if keys:
        table = _unknown_last(table)
        total = table.sum(axis=0).to_frame().T
        total.index = (
            pd.Index([TOTAL])
            if len(keys) == 1
            else pd.MultiIndex.from_tuples([(TOTAL,) + ("",) * (len(keys) - 1)], names=keys)
        )
        table = pd.concat([table, total.astype("int64")])
        table.index.names = keys
    else:
        table = table.reindex(pd.Index([TOTAL]), fill_value=0)
    table.columns.name = None
    return table


def escalation_phrase(
    cases_or_table: pd.DataFrame, *, row: object = TOTAL, include_unknown: bool = True
) -> str:
    """The report sentence: "进京2批2人次，到市31批577人次，到县114批1023人次".

    Takes a cases frame or an :func:`escalation_table` (``row`` picks its line, default 合计).
    Levels with no visit are left out.
    """
    table = cases_or_table
    if "合计批次" not in table.columns:
        table = escalation_table(table, by=None)
    line = table.loc[row]
    parts = []
    for level in REPORT_ORDER:
        if level == UNKNOWN and not include_unknown:
            continue
        b, p = int(line[f"{_name(level)}批次"]), int(line[f"{_name(level)}人次"])
        if b:
            label = "去向未知" if level == UNKNOWN else _name(level)
            parts.append(f"{label}{b}批{p}人次")
    return "，".join(parts) if parts else "无来访"


#: the level responsible for a matter when the case does not say (its ``responsible_level``
#: column empty or absent): 乡镇, because under 属地管理 the township handles a matter first
DEFAULT_RESPONSIBLE_LEVEL = "乡镇"
#: the channel of a visit (来访 / 走访): the only channel that can be 越级访
VISIT_CHANNEL = "来访"


def visit_flags(cases: pd.DataFrame) -> pd.Series:
    """Rows that are visits (信访形式 来访 / 走访); letters, online petitions, calls are not."""
    return (stripped(column(cases, "channel")) == VISIT_CHANNEL).fillna(False)


def responsible_levels(
    cases: pd.DataFrame, *, responsible_level: str = DEFAULT_RESPONSIBLE_LEVEL
) -> pd.Series:
    """The level responsible for each case: its ``responsible_level`` column where that names a
    level, else ``responsible_level`` (a level such as 乡镇/县区/市/省, or a column name)."""
    if responsible_level in cases.columns:
        default = normalize_levels(cases[responsible_level])
    elif responsible_level in _LEVEL_NAMES:  # an argument: exact names only, no guessing
        default = pd.Series(_LEVEL_NAMES[responsible_level], index=cases.index, dtype=TEXT_DTYPE)
    else:
        raise ValueError(
            f"responsible_level 应是层级（{'、'.join(VISIT_LEVELS)}）或列名，而不是 {responsible_level!r}"
        )
    if "responsible_level" in cases.columns and responsible_level != "responsible_level":
        own = normalize_levels(cases["responsible_level"])
        default = own.where(own != UNKNOWN, default)
    return default.astype(TEXT_DTYPE)


def skip_level_flags(
    cases: pd.DataFrame,
    *,
    responsible_level: str = DEFAULT_RESPONSIBLE_LEVEL,
    levels_above: int = 0,
) -> pd.Series:
    """越级访: a visit (channel 来访) that went more than ``levels_above`` levels above the level
    responsible for its matter.

    Only visits count: a letter or an online petition sent to a higher level is never 越级访.
    The responsible level is the case's own ``responsible_level`` column where it names a level,
    else ``responsible_level`` (default :data:`DEFAULT_RESPONSIBLE_LEVEL`, 乡镇; a level or the
    name of a column). With ``levels_above=0`` any visit above the responsible level counts, as
    the seed reports count it; ``levels_above=1`` follows the regulation's "本级或者上一级".
    Unknown visit or responsible levels are never 越级.
    """
    visit = normalize_levels(column(cases, "visit_level"))
    resp = responsible_levels(cases, responsible_level=responsible_level)
    # visit is always a level or 未知 (-99); a missing or unknown responsible level is -99 too
    v = _by_value(visit, _RANK, -99).astype("int64")
    r = _by_value(resp, _RANK, -99).astype("int64")
    above = (v >= 0) & (r >= 0) & (v > r + levels_above)
    return (above & visit_flags(cases)).astype(bool)


def group_flags(cases: pd.DataFrame, *, threshold: int = 5) -> pd.Series:
    """集体访: person_count at or above ``threshold`` (missing count -> individual)."""
    if threshold < 2:
        raise ValueError(f"集体访人数门槛 threshold 应 >= 2，而不是 {threshold}")
    counts = pd.to_numeric(column(cases, "person_count"), errors="coerce")
    return (counts >= threshold).fillna(False).astype(bool)


def group_visits(
    cases: pd.DataFrame,
    *,
    threshold: int = 5,
    by: str | list[str] | None = None,
    visits_only: bool = True,
) -> pd.DataFrame:
    """集体访 and 个访 counted apart, 批次 and 人次 each, plus 合计.

    ``by=None``: rows 集体访, 个访, 合计 with columns 批次, 人次. With ``by`` (e.g. "locality"):
    one row per group plus 合计, columns 集体访批次, 集体访人次, 个访批次, 个访人次, 合计批次, 合计人次.
    A visit is 集体访 when person_count >= ``threshold`` (default 5); a missing count is one person.
    Only visits are counted (see the module): a letter is neither 集体访 nor 个访.
    """
    keys = _group_keys(cases, by)
    if visits_only:
        cases = cases[visit_flags(cases).to_numpy(dtype=bool)]
    grp = group_flags(cases, threshold=threshold)
    persons = person_counts(cases)
    frame = pd.DataFrame(
        {"_kind": grp.map({True: "集体访", False: "个访"}), "_persons": persons}, index=cases.index
    )
    if not keys:
        out = {}
        for kind in ("集体访", "个访"):
            sel = frame["_kind"] == kind
            out[kind] = {"批次": int(sel.sum()), "人次": int(frame.loc[sel, "_persons"].sum())}
        out[TOTAL] = {"批次": len(frame), "人次": int(frame["_persons"].sum())}
        return pd.DataFrame.from_dict(out, orient="index")[["批次", "人次"]].astype("int64")
    for k in keys:
        frame[k] = cases[k].astype(TEXT_DTYPE).fillna(UNKNOWN)
    agg = frame.groupby(keys + ["_kind"])["_persons"].agg(["size", "sum"])
    table = pd.DataFrame(index=agg.index.droplevel("_kind").unique())
    for kind in ("集体访", "个访"):
        part = agg.xs(kind, level="_kind") if kind in agg.index.get_level_values("_kind") else None
        for stat, col in (("size", "批次"), ("sum", "人次")):
            values = part[stat] if part is not None else pd.Series(dtype="int64")
            table[f"{kind}{col}"] = values.reindex(table.index, fill_value=0).astype("int64")
    table[f"{TOTAL}批次"] = table["集体访批次"] + table["个访批次"]
    table[f"{TOTAL}人次"] = table["集体访人次"] + table["个访人次"]
    table = _unknown_last(table)
    total = table.sum(axis=0).to_frame().T
    total.index = (
        pd.Index([TOTAL], name=keys[0])
        if len(keys) == 1
        else pd.MultiIndex.from_tuples([(TOTAL,) + ("",) * (len(keys) - 1)], names=keys)
    )
    return pd.concat([table, total.astype("int64")])
