"""Column machinery: a normaliser applied to a whole column, once per distinct value (the ground
floor's :mod:`.._base.distinct`), and a default year that varies by row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .._base.distinct import by_code, factorize, map_distinct
from .._base.text import fold_width
from ._text import clean_str, normalize_text

__all__ = ["by_year", "fast_then_scalar", "map_unique", "text_column"]


def map_unique(
    values: pd.Series, func: Callable[[Any], tuple[Any, str | None]]
) -> tuple[pd.Series, pd.Series]:
    """Apply ``func`` once per distinct value; return (values, problems) aligned with ``values``."""
    codes, answers = map_distinct(values, func, missing=func(None))
    return (
        by_code([a[0] for a in answers], codes, values.index),
        by_code([a[1] for a in answers], codes, values.index),
    )


def text_column(values: pd.Series, *, fold: bool = False) -> pd.Series:
    """normalize_text over a column, vectorised for text and numbers; with ``fold``, full-width
    letters and digits folded as well (a code such as a case number)."""
    codes, uniques = factorize(values)
    body = uniques[:-1]
    kind = pd.api.types.infer_dtype(body, skipna=True) if body else "empty"
    if kind == "string":
        out = np.empty(len(uniques), dtype=object)
        out[:-1] = [clean_str(x) for x in body]
        out[-1] = None
    elif kind in ("floating", "integer", "mixed-integer-float"):
        numbers = np.asarray(body, dtype=float)
        whole = (np.mod(numbers, 1) == 0) & (np.abs(numbers) < 1e15)
        out = np.empty(len(uniques), dtype=object)
        out[:-1][whole] = numbers[whole].astype(np.int64).astype(str)
        out[:-1][~whole] = [normalize_text(u) for u in numbers[~whole]]
        out[-1] = None
    else:
        out = np.empty(len(uniques), dtype=object)
        out[:] = [normalize_text(u) for u in uniques]
    if fold and not "".join(v for v in out if v is not None).isascii():
        out[:] = [v if v is None else fold_width(v) for v in out]
    return pd.Series(out[codes], index=values.index, dtype=object)


def fast_then_scalar(
    values: pd.Series,
    fast: Callable[[pd.Series], pd.Series],
    scalar: Callable[[Any], tuple[Any, str | None]],
    *,
    numbers_as_text: bool = False,
) -> tuple[pd.Series, pd.Series]:
    """Per distinct value: ``fast`` (vectorised, over text values; NA where it cannot decide)
    settles the common spellings, ``scalar`` the rest (with its problem messages).
    ``numbers_as_text``: whole numbers (Excel number cells) go to ``fast`` as digit text."""
    codes, uniques = factorize(values)
    # text only (the usual column), told at C speed: no number to turn into text
    all_text = pd.api.types.infer_dtype(uniques[:-1], skipna=False) == "string"
    if numbers_as_text and not all_text:
        uniques = [
            str(int(v)) if type(v) is float and v.is_integer() and 0 <= v < 1e15 else v
            for v in uniques
        ]
    u = pd.Series(uniques[:-1], dtype=object)
    out = np.empty(len(uniques), dtype=object)
    prob = np.empty(len(uniques), dtype=object)
    out[-1] = prob[-1] = None
    done = np.zeros(len(uniques), dtype=bool)
    done[-1] = True
    if all_text:
        is_str = np.ones(len(u), dtype=bool)
    else:
        is_str = np.fromiter((type(v) is str for v in u), dtype=bool, count=len(u))
    if is_str.any():
        got = fast(u if all_text else u[is_str])
        ok = got.notna().to_numpy()
        where = np.flatnonzero(is_str)[ok]
        out[where] = got[ok].to_numpy(dtype=object)
        prob[where] = None
        done[where] = True
    rest = np.flatnonzero(~done)
    results = [scalar(uniques[k]) for k in rest]
    out[rest] = [r[0] for r in results]
    prob[rest] = [r[1] for r in results]
    return (
        pd.Series(out[codes], index=values.index, dtype=object),
        pd.Series(prob[codes], index=values.index, dtype=object),
    )


def by_year(values: pd.Series, year: int | None | pd.Series, run: Callable[..., tuple]) -> tuple:
    """Run ``run(values, year)`` once per distinct default year (year may vary by row)."""
    if not isinstance(year, pd.Series):
        return run(values, None if year is None or pd.isna(year) else int(year))
    parts = []
    for y, idx in year.groupby(year.fillna(-1), sort=False).groups.items():
        parts.append(run(values.loc[idx], None if y == -1 else int(y)))
    return tuple(
        pd.concat([p[k] for p in parts]).reindex(values.index) for k in range(len(parts[0]))
    )
