"""Cells as text: what counts as empty (:func:`is_null`) and trimmed text (:func:`normalize_text`).

Free text is only trimmed (runs of spaces and line breaks become one space); Chinese
punctuation is kept as written. Width folding and the null words are the ground floor's
(``_base.text``).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any

import numpy as np
import pandas as pd

from .._base.text import NULL_WORD_MAX, NULL_WORDS, fold_width, is_null_word

__all__ = ["NULL_WORDS", "fold_width", "is_null", "normalize_text"]

_WS = re.compile(r"\s+")


def is_missing(value: Any) -> bool:
    """True for None, NA, NaT and NaN (not for an empty or null-word text)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return False


def is_null(value: Any) -> bool:
    """True for empty cells, NaN/NA and null words such as 无, /, —, 空, 不详."""
    if type(value) is str:
        return is_null_word(value)
    if is_missing(value):
        return True
    if isinstance(value, str):
        return fold_width(value).strip().lower() in NULL_WORDS
    return False


def number_text(value: float | int) -> str:
    """A number as Excel shows it: a whole float without its ``.0``."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def normalize_text(value: Any) -> str | None:
    """Cell value as trimmed text; ``None`` for empty cells and null words.

    Numbers that Excel stores as floats lose their ``.0`` (``2025001.0`` -> ``"2025001"``); dates
    become ``YYYY-MM-DD``. Inner whitespace runs (including line breaks) become one space.
    """
    if type(value) is str:  # fast path: most cells are text
        text = value.strip()
        if len(text) <= NULL_WORD_MAX and is_null_word(text):
            return None
        if "\n" in text or "\r" in text or "\t" in text or "  " in text or "\u3000" in text:
            text = _WS.sub(" ", text.replace("\u3000", " ")).strip()
        return text or None
    if is_null(value):
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return number_text(value.item() if hasattr(value, "item") else value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    text = _WS.sub(" ", str(value).replace("\u3000", " ")).strip()
    return text or None


_COMPAT = re.compile(r"[\u2000-\u206f\u3000-\u303f\ufe30-\ufe4f\uff00-\uffef]")


def clean_str(text: str) -> str | None:
    """normalize_text for a str (the common case, kept tight for speed)."""
    # trims and turns runs of spaces, line breaks and \u3000 into one space
    t = " ".join(text.split())
    if len(t) <= NULL_WORD_MAX:
        if t.isascii():
            key = t.lower()
        elif _COMPAT.search(t):  # full-width forms and the like: compare after NFKC
            key = fold_width(t).strip().lower()
        else:
            key = t
        if key in NULL_WORDS:
            return None
    return t or None
