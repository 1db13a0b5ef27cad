"""Placeholders are not identities: 市民, 匿名, 无, 不详, 某先生, XX, 000000000000000000 ...

The vocabulary is data (``data/placeholders.csv``: ``field,match,word``). A placeholder stays as
written for display; it gives no person key (``privacy.person_keys``), so repeat linking,
重复信访 and person counts never join two cases through it, and the loader counts it once per
sheet in an issue. A ground-floor module: the loader and the privacy layer both read it.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache

import numpy as np

from ._base.text import fold_width

__all__ = ["PLACEHOLDER_FIELDS", "is_placeholder", "placeholder_mask", "placeholder_words"]

#: the personal columns that can hold a placeholder, and the vocabulary field each one uses
PLACEHOLDER_FIELDS: dict[str, str] = {
    "petitioner": "name",
    "id_number": "id",
    "phone": "phone",
    "account_id": "account",
}
_FIELDS = frozenset({"name", "id", "phone", "account", "any"})
_SPACE = re.compile(r"\s+")


def _key(value: object) -> str:
    text = fold_width(value if isinstance(value, str) else str(value))
    return _SPACE.sub("", text).lower()


@lru_cache(maxsize=1)
def placeholder_words() -> tuple[tuple[str, str, str], ...]:
    """The packaged vocabulary: ``(field, match, word)`` rows of data/placeholders.csv."""
    from ._datafile import DataFileError, data_file, read_text

    text = read_text(data_file("placeholders.csv"), name="placeholders.csv")  # UTF-8 or GBK
    rows = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        row = next(csv.reader([line]))
        if row[:1] == ["field"]:
            continue
        if len(row) < 3 or row[0] not in _FIELDS or row[1] not in ("equal", "regex"):
            raise DataFileError(
                f"placeholders.csv 第 {n} 行: 应为 field,match,word (field: name/id/phone/account/"
                f"any; match: equal/regex), 读到的是: {line}"
            )
        rows.append((row[0], row[1], ",".join(row[2:]).strip()))
    return tuple(rows)


@lru_cache(maxsize=8)
def _rules(field: str) -> tuple[frozenset[str], str]:
    """(normalised equal words, one anchored case-insensitive RE2/Python pattern or "")."""
    words, patterns = set(), []
    for f, match, word in placeholder_words():
        if f not in (field, "any"):
            continue
        if match == "equal":
            words.add(_key(word))
        else:
            patterns.append(f"(?:{word})")
    return frozenset(words), "(?i)^(?:" + "|".join(patterns) + ")$" if patterns else ""


@lru_cache(maxsize=8)
def _compiled(field: str) -> re.Pattern[str] | None:
    pattern = _rules(field)[1]
    return re.compile(pattern) if pattern else None


def is_placeholder(value: object, column: str) -> bool:
    """Is ``value`` of a personal ``column`` (petitioner, id_number, phone, account_id) a
    placeholder (市民, 匿名, 无, 某先生, 000000000000000000 ...)? Empty values are not."""
    field = PLACEHOLDER_FIELDS.get(column)
    if field is None or value is None or (isinstance(value, float) and value != value):
        return False
    key = _key(value)
    if not key:
        return False
    words = _rules(field)[0]
    pattern = _compiled(field)
    return key in words or bool(pattern is not None and pattern.match(key))


def placeholder_mask(values, column: str) -> np.ndarray:
    """``is_placeholder`` of each value, for many values at once (Arrow's compute kernels:
    NFKC, spaces removed, lower case, then the words and patterns)."""
    n = len(values)
    field = PLACEHOLDER_FIELDS.get(column)
    if field is None or not n:
        return np.zeros(n, dtype=bool)
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        try:
            array = pa.array(values, type=pa.string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers among the texts
            texts = [v if isinstance(v, str) else None if _missing(v) else str(v) for v in values]
            array = pa.array(texts, type=pa.string())
    except (pa.ArrowInvalid, UnicodeEncodeError):  # lone surrogates: one by one
        return np.fromiter((is_placeholder(v, column) for v in values), dtype=bool, count=n)
    # each distinct value once (a column of callers repeats 市民 thousands of times)
    encoded = pc.dictionary_encode(array)
    keys = pc.utf8_normalize(encoded.dictionary, "NFKC")
    if pc.any(pc.match_substring_regex(keys, r"\s")).as_py():
        keys = pc.replace_substring_regex(keys, r"\s+", "")
    keys = pc.utf8_lower(keys)
    words, pattern = _rules(field)
    hit = pc.is_in(keys, value_set=pa.array(sorted(words), type=pa.string()))
    if pattern:
        hit = pc.or_(hit, pc.match_substring_regex(keys, pattern))
    hit = pc.and_(hit, pc.not_equal(keys, "")).fill_null(False).to_numpy(zero_copy_only=False)
    codes = encoded.indices.fill_null(len(hit)).to_numpy(zero_copy_only=False)
    return np.append(hit, False)[codes]


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)
