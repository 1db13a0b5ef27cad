"""Small helpers shared by the analysis modules."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._base.distinct import by_code, map_distinct
from ..clean import parse_flag
from ..schema import TEXT_DTYPE
from ._periods import to_day


def flag(cases: pd.DataFrame, column: str) -> pd.Series:
    """A ledger yes/no column as booleans (是/1/True/√ -> True); absent or empty -> False."""
    if column not in cases.columns:
        return pd.Series(False, index=cases.index)
    col = cases[column]
    if pd.api.types.is_bool_dtype(col):
        return col.fillna(False).astype(bool)
    if pd.api.types.is_numeric_dtype(col):
        return col.fillna(0).astype(float).ne(0)
    text = col.astype(TEXT_DTYPE).fillna("")
    # the loader's vocabulary (是/否, 1/0, √/×, 已办结 ...); unrecognised values count as "no"
    codes, answers = map_distinct(text, _is_yes, missing=False)
    return by_code(answers, codes, cases.index, dtype=np.bool_)


def as_today(today: object) -> pd.Timestamp:
    """``today`` as a day (default: the real today). Notebooks pass a fixed date to be reproducible."""
    return to_day(today, name="today 今天", default_today=True)


def column(cases: pd.DataFrame, name: str, dtype: str | None = None) -> pd.Series:
    """``cases[name]``, or an all-empty Series when the column is absent."""
    if name in cases.columns:
        return cases[name]
    return pd.Series(pd.NA, index=cases.index, dtype=dtype or "object")


def stripped(values: pd.Series, *, empty_missing: bool = False) -> pd.Series:
    """Text with its surrounding spaces removed (missing stays missing; with ``empty_missing``,
    text that is empty once stripped is missing too). A ledger repeats the same town, category
    or channel on thousands of rows, so each distinct value is stripped once and the rows take
    their value from it."""
    text = values.astype(TEXT_DTYPE)
    strip = _strip_or_missing if empty_missing else str.strip
    codes, answers = map_distinct(text, strip, strings_only=True)
    return by_code(answers, codes, values.index, dtype=text.dtype, name=values.name)


def _strip_or_missing(text: str) -> str | None:
    return text.strip() or None


def _is_yes(value: object) -> bool:
    return bool(parse_flag(value)[0])


def text_rows(values, codes: np.ndarray, index: pd.Index, *, name: str | None = None) -> pd.Series:
    """A text ("string") Series whose row ``i`` is ``values[codes[i]]`` (code -1: the last
    value, as numpy indexes; a value None is missing). Built from the few distinct values:
    pandas checks each of them once, not the value of every row."""
    distinct = pd.array(np.asarray(values, dtype=object), dtype=TEXT_DTYPE)
    return pd.Series(distinct.take(np.asarray(codes)), index=index, name=name)


def one_of(values: pd.Series, choices) -> pd.Series:
    """``values.isin(choices)`` (missing: False), tested once per distinct value: pandas'
    ``isin`` on text hashes every row, slowly where many are missing (满意度 on most cases)."""
    codes, hit = map_distinct(values, lambda distinct: pd.Index(distinct, dtype=object).isin(list(choices)),
                              missing=False, batch=True)  # fmt: skip
    return by_code(hit, codes, values.index, dtype=np.bool_, name=values.name)


def dates(cases: pd.DataFrame, name: str) -> pd.Series:
    """A date column as datetime64 normalised to the day (absent -> all NaT)."""
    if name not in cases.columns:
        return pd.Series(pd.NaT, index=cases.index, dtype="datetime64[ns]")
    return pd.to_datetime(cases[name], errors="coerce").dt.normalize()


def closing_dates(cases: pd.DataFrame) -> pd.Series:
    """The day each case was closed: ``closed_date``, else its 化解时间 (``resolved_date``): a
    settled matter was answered, 化解 implies 办结 (a 积案台账 may record only 化解)."""
    closed = dates(cases, "closed_date")
    if "resolved_date" in cases.columns:
        closed = closed.fillna(dates(cases, "resolved_date"))
    return closed


def closed_flags(cases: pd.DataFrame) -> pd.Series:
    """The ledger's 办结 mark (``closed_flag``), or 是否化解 = 是 (化解 implies 办结)."""
    out = flag(cases, "closed_flag")
    if "resolved_flag" in cases.columns:
        out = out | (cases["resolved_flag"].astype(TEXT_DTYPE) == "是").fillna(False).astype(bool)
    return out


def person_counts(cases: pd.DataFrame) -> pd.Series:
    """person_count with a missing count taken as 1 person (one row = at least one person)."""
    col = column(cases, "person_count")
    counts = pd.to_numeric(col, errors="coerce")
    return counts.where(counts >= 1, 1).fillna(1).astype("int64")


def check_weights(
    weights: dict[str, float] | None, defaults: dict[str, float], *, what: str = "权重"
) -> dict[str, float]:
    """``defaults`` updated with ``weights``; unknown names, negative or all-zero weights raise."""
    w = dict(defaults)
    if weights:
        unknown = set(weights) - set(defaults)
        if unknown:
            raise ValueError(
                f"未知的{what} {sorted(unknown)}；可用：{', '.join(defaults)} / unknown weights"
            )
        w.update(weights)
    if any(v < 0 for v in w.values()) or sum(w.values()) <= 0:
        raise ValueError(f"{what}必须非负且不全为零：{w} / weights must be >= 0, not all zero")
    return w


def id_lists(grouped) -> pd.Series:
    """``grouped.agg(list)`` as plain Python lists of str in an object column, whatever string
    storage pandas uses (with pyarrow installed, agg(list) gives a pyarrow list column that has
    no ``.str`` accessor)."""
    lists = grouped.agg(list)
    return pd.Series([[str(v) for v in x] for x in lists], index=lists.index, dtype=object)
