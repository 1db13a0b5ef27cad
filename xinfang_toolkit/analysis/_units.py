"""Tables by responsible unit and by assigning organ, counted from the figure registry's rows.

Units (责任单位) and organs (交办机关), never persons, are compared: each column of
:func:`unit_table` and :func:`assigned_table` is a registry figure's rows (``FIGURES``) split by
unit or organ, so that the table and the headline figures cannot disagree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schema import TEXT_DTYPE
from ._figures import Scope, figure
from ._kpis import prepared_as_of
from ._util import column, stripped

__all__ = ["UNIT_COLUMNS", "ASSIGNED_COLUMNS", "assigned_table", "unit_table"]

NOT_FILLED = "未填写"
#: the columns of :func:`unit_table`
UNIT_COLUMNS: tuple[str, ...] = (
    "责任单位",
    "件数",
    "按期办结率",
    "超期未办结",
    "重复信访件",
    "越级访",
    "不满意率",
    "交办件",
    "交办按期反馈率",
    "积案",
)
#: the columns of :func:`assigned_table`
ASSIGNED_COLUMNS: tuple[str, ...] = (
    "交办机关",
    "层级",
    "交办件",
    "按期反馈",
    "超期未反馈",
    "按期反馈率",
)


def _prepared(cases: pd.DataFrame, as_of, start, end) -> tuple[pd.DataFrame, Scope]:
    """The prepared cases and the scope; a :class:`Scope` as ``as_of`` is used as it is (with
    the masks its figures have computed on these cases already)."""
    if isinstance(as_of, Scope):
        return prepared_as_of(cases, today=as_of.as_of)[0], as_of
    prepared, day = prepared_as_of(cases, today=as_of)
    return prepared, Scope.of(as_of=day, start=start, end=end)


def _rows(cases: pd.DataFrame, scope: Scope, key: str) -> np.ndarray:
    return figure(key).rows(cases, scope).to_numpy(dtype=bool)


def _numerator(cases: pd.DataFrame, scope: Scope, key: str) -> np.ndarray:
    f = figure(key)
    assert f.numerator is not None
    return (f.numerator(cases, scope) & f.rows(cases, scope)).to_numpy(dtype=bool)


def _rate(num: np.ndarray, den: np.ndarray, codes: np.ndarray, n: int) -> np.ndarray:
    top = np.bincount(codes[num], minlength=n).astype(float)
    bottom = np.bincount(codes[den], minlength=n).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(bottom > 0, top / bottom, np.nan)


def _repeat_units(cases: pd.DataFrame, units: pd.Series) -> pd.Series:
    """The unit a repeat submission arises from: the unit of the first case of its matter
    (repeat chain), else its own."""
    chains = column(cases, "chain_id").astype(TEXT_DTYPE)
    seq = pd.to_numeric(column(cases, "chain_seq"), errors="coerce")
    firsts = pd.DataFrame({"chain": chains, "unit": units})[(seq == 1).fillna(False)]
    first_unit = firsts.dropna(subset=["chain"]).drop_duplicates("chain").set_index("chain")
    mapped = chains.map(first_unit["unit"]).astype(TEXT_DTYPE)
    return mapped.where(mapped.notna(), units)


def unit_table(
    cases: pd.DataFrame, *, as_of: object, start: object = None, end: object = None
) -> pd.DataFrame:
    """Per responsible unit (责任单位; units only, never persons), from the registry's rows.

    Columns (:data:`UNIT_COLUMNS`): 件数 (``cases``), 按期办结率 (``on_time_rate``), 超期未办结
    (``overdue``), 重复信访件 (``repeat.cases``, counted for the unit of the matter's first case:
    the repeats its handling gave rise to), 越级访 (``skip_level``), 不满意率 (不满意 among the
    rated cases of ``satisfaction_rate``), 交办件 (``assigned.cases``), 交办按期反馈率
    (``assigned.on_time_rate``), 积案 (``backlog.end`` on ``as_of``). Rates are 0..1 or empty.
    Cases received from ``start`` to ``end`` and by ``as_of``; unprepared cases are prepared
    with ``enrich`` as of ``as_of``. Sorted by 件数, then 超期未办结 (most first); a unit left
    empty in the ledger is 未填写.
    """
    prepared, scope = _prepared(cases, as_of, start, end)
    units = stripped(column(prepared, "responsible_unit"), empty_missing=True)
    repeat_units = _repeat_units(prepared, units).fillna(NOT_FILLED)
    codes, names = pd.factorize(
        pd.concat([units.fillna(NOT_FILLED), repeat_units], ignore_index=True)
    )
    n_rows = len(prepared)
    own, via_chain = codes[:n_rows], codes[n_rows:]
    n = len(names)

    def count(mask: np.ndarray, which: np.ndarray = own) -> np.ndarray:
        return np.bincount(which[mask], minlength=n)

    rated = _rows(prepared, scope, "satisfaction_rate")
    happy = _numerator(prepared, scope, "satisfaction_rate")
    table = pd.DataFrame(
        {
            "责任单位": [str(v) for v in names],
            "件数": count(_rows(prepared, scope, "cases")),
            "按期办结率": _rate(
                _numerator(prepared, scope, "on_time_rate"),
                _rows(prepared, scope, "on_time_rate"),
                own,
                n,
            ),
            "超期未办结": count(_rows(prepared, scope, "overdue")),
            "重复信访件": count(_rows(prepared, scope, "repeat.cases"), via_chain),
            "越级访": count(_rows(prepared, scope, "skip_level")),
            "不满意率": _rate(rated & ~happy, rated, own, n),
            "交办件": count(_rows(prepared, scope, "assigned.cases")),
            "交办按期反馈率": _rate(
                _numerator(prepared, scope, "assigned.on_time_rate"),
                _rows(prepared, scope, "assigned.on_time_rate"),
                own,
                n,
            ),
            "积案": count(_rows(prepared, scope, "backlog.end")),
        }
    )
    # a figure the ledgers cannot say (no 交办机关 column): unknown, not 0
    if figure("assigned.cases").needs and not figure("assigned.cases")._has(prepared):
        table["交办件"] = pd.NA
    counts = [c for c in UNIT_COLUMNS[1:] if not c.endswith("率")]
    table = table[table[counts].fillna(0).sum(axis=1) > 0]
    for col in UNIT_COLUMNS[1:]:
        kind = "Float64" if col.endswith("率") else "Int64"
        table[col] = pd.array(table[col].to_numpy(), dtype=kind)
    table = table.sort_values(
        ["件数", "超期未办结", "责任单位"], ascending=[False, False, True], kind="stable"
    )
    return table.reset_index(drop=True)


def assigned_table(
    cases: pd.DataFrame, *, as_of: object, start: object = None, end: object = None
) -> pd.DataFrame:
    """交办件 by assigning organ (交办机关, with the level it sits at): 交办件, 按期反馈, 超期未反馈,
    按期反馈率, from the registry's ``assigned.*`` rows (:data:`ASSIGNED_COLUMNS`), most first."""
    from ..clean._handling import organ_levels

    prepared, scope = _prepared(cases, as_of, start, end)
    organs = stripped(column(prepared, "assigned_by"), empty_missing=True)
    codes, names = pd.factorize(organs.fillna(NOT_FILLED))
    n = len(names)
    assigned = _rows(prepared, scope, "assigned.cases")
    levels = organ_levels()
    table = pd.DataFrame(
        {
            "交办机关": [str(v) for v in names],
            "层级": [levels.get(str(v), "") or "" for v in names],
            "交办件": np.bincount(codes[assigned], minlength=n),
            "按期反馈": np.bincount(codes[_rows(prepared, scope, "assigned.on_time")], minlength=n),
            "超期未反馈": np.bincount(
                codes[_rows(prepared, scope, "assigned.overdue")], minlength=n
            ),
            "按期反馈率": _rate(
                _numerator(prepared, scope, "assigned.on_time_rate"),
                _rows(prepared, scope, "assigned.on_time_rate"),
                codes,
                n,
            ),
        }
    )
    table = table[table["交办件"] > 0]
    for col in ("交办件", "按期反馈", "超期未反馈"):
        table[col] = pd.array(table[col].to_numpy(), dtype="Int64")
    table["按期反馈率"] = pd.array(table["按期反馈率"].to_numpy(), dtype="Float64")
    table = table.sort_values(["交办件", "交办机关"], ascending=[False, True], kind="stable")
    return table.reset_index(drop=True)
