"""Apply once per distinct value: a ledger repeats the same dates, channels, towns and
categories on thousands of rows, so a step works on the few distinct values and every row
takes its answer from them by code.

``factorize`` gives each row a code into the distinct values, missing cells (None, NaN, NA,
NaT) sharing one extra last slot; ``map_distinct`` answers each distinct value once;
``by_code`` builds the rows' Series from the answers (checking each distinct answer once, not
each row, when the result has a pandas dtype such as the text dtype).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["by_code", "factorize", "map_distinct"]

#: rows judged on a sample before hashing a large column
_SAMPLE = 2000


def _hashable(value: Any) -> Hashable:
    return value if isinstance(value, Hashable) else str(value)


def _looks_unique(array: np.ndarray, sample: int = _SAMPLE) -> bool:
    """True when (nearly) every value of a large column is different, judged on a sample."""
    if len(array) < 4 * sample:
        return False
    head = array[:: len(array) // sample][:sample]
    try:
        return len(set(head.tolist())) >= 0.9 * len(head)
    except TypeError:
        return False


def _as_objects(values: pd.Series | pd.Index | np.ndarray | list) -> np.ndarray:
    if isinstance(values, (pd.Series, pd.Index)):
        return values.to_numpy(dtype=object)
    return np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values


def factorize(values: pd.Series | np.ndarray | list) -> tuple[np.ndarray, list[Any]]:
    """``(codes, distinct values)``: row ``i`` holds ``distinct[codes[i]]``; the distinct values
    come in order of first appearance, then one extra last slot, ``None``, for every missing
    cell. A large column whose values are (nearly) all different (summaries, IDs, phones) is
    not hashed at all: each row is its own slot (missing cells still share the last one)."""
    array = _as_objects(values)
    if _looks_unique(array):  # hashing them all would be wasted work
        # text only (the usual column) has no missing cell: told at C speed, without isna
        if pd.api.types.infer_dtype(array, skipna=False) != "string":
            missing = pd.isna(array)
            if missing.any():
                codes = np.where(missing, len(array), np.arange(len(array)))
                return codes, [*np.where(missing, None, array).tolist(), None]
        return np.arange(len(array)), [*array.tolist(), None]
    try:
        codes, uniques = pd.factorize(array)
    except TypeError:  # an unhashable cell value
        codes, uniques = pd.factorize(np.array([_hashable(v) for v in array], dtype=object))
    uniques = np.asarray(uniques, dtype=object).tolist()
    codes = np.where(codes < 0, len(uniques), codes)
    return codes, [*uniques, None]


def map_distinct(
    values: pd.Series | np.ndarray | list,
    func: Callable[[Any], Any] | Callable[[list], list],
    *,
    missing: Any = None,
    batch: bool = False,
    strings_only: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """``func`` applied once per distinct value: ``(codes, answers)``, row ``i``'s answer being
    ``answers[codes[i]]`` (an object array; :func:`by_code` builds the rows from it).

    ``missing``: the answer of missing cells (``func`` never sees them). ``batch``: ``func``
    takes the list of distinct values and returns the list of their answers (one call).
    ``strings_only``: only ``str`` values go to ``func``; any other value is its own answer."""
    codes, uniques = factorize(values)
    body = uniques[:-1]
    answers = np.empty(len(uniques), dtype=object)
    answers[-1] = missing
    if strings_only:
        answers[:-1] = np.fromiter(body, dtype=object, count=len(body))
        where = [k for k, v in enumerate(body) if type(v) is str]
        body = [body[k] for k in where]
    else:
        where = slice(0, len(body))
    if batch:
        results = func(body) if body else []
    else:
        results = [func(v) for v in body]
    answers[where] = np.fromiter(results, dtype=object, count=len(results))
    return codes, answers


def by_code(
    answers: np.ndarray | list,
    codes: np.ndarray,
    index: pd.Index,
    *,
    dtype: Any = object,
    name: Hashable | None = None,
) -> pd.Series:
    """The rows' Series: row ``i`` is ``answers[codes[i]]``. With a pandas dtype (the text
    dtype, "boolean"), the distinct answers are converted once and taken by code; with a numpy
    dtype, the answer array is cast once."""
    if dtype is object or dtype == "object":
        array = np.fromiter(answers, dtype=object, count=len(answers))
        return pd.Series(array[codes], index=index, dtype=object, name=name)
    if isinstance(dtype, np.dtype) or (isinstance(dtype, type) and issubclass(dtype, np.generic)):
        return pd.Series(np.asarray(answers).astype(dtype)[codes], index=index, name=name)
    array = np.fromiter(answers, dtype=object, count=len(answers))
    return pd.Series(pd.array(array, dtype=dtype).take(codes), index=index, name=name)
