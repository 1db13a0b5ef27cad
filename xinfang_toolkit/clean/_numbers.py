"""Person counts: ``3``, ``"3人"``, ``"三人"``, ``"共5人"``, ``约50人`` (a number with a note)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from .._base.text import fold_width
from ._text import _WS, is_null, number_text

__all__ = ["parse_count", "zh_number"]

_ZH_NUM = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2, "俩": 2}
_ZH_UNIT = {"十": 10, "百": 100, "千": 1000}
_COUNT_TEXT = re.compile(
    r"^(约|大约|近|共|计|共计)?(.+?)(余|多)?(?:人次|名|人|位|个|户|次)?(左右|余|多)?$"
)
_ESTIMATE_WORDS = frozenset({"约", "大约", "近", "余", "多", "左右"})
#: a person count this large is not one (and would not fit the Int64 column)
_MAX_COUNT = 1_000_000


def zh_number(text: str) -> int | None:
    if not text or any(ch not in _ZH_NUM and ch not in _ZH_UNIT for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in _ZH_NUM:
            digit = _ZH_NUM[ch]
        else:
            total += (1 if digit is None else digit) * _ZH_UNIT[ch]
            digit = None
    return total + (digit or 0)


def parse_count(value: Any) -> tuple[int | None, str | None]:
    """Parse a person count: ``3``, ``3.0``, ``"3人"``, ``"三人"``, ``"十二"``, ``"共5人"``.

    Returns ``(int >= 0, None)``, ``(None, None)`` for an empty cell, or ``(None, problem)``.
    An estimate (``约50人``, ``50余人``, ``30人左右``) is kept as its number, with a note.
    """
    if is_null(value):
        return None, None
    if isinstance(value, bool):
        return None, f"无法识别的人数: {value}"
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        if number.is_integer() and 0 <= number < _MAX_COUNT:
            return int(number), None
        return None, f"人数不是非负整数: {number_text(value)}"
    text = _WS.sub("", fold_width(str(value)))
    m = _COUNT_TEXT.match(text)
    core = m[2] if m else text
    number = int(core) if core.isdigit() and core.isascii() else zh_number(core)
    if number is None:
        return None, f"无法识别的人数: {value}"
    if number >= _MAX_COUNT:  # a code or ID typed in the wrong column, not a head count
        return None, f"人数过大, 不像人数 (可能填错了列): {value}"
    if m and any(w in _ESTIMATE_WORDS for w in (m[1], m[3], m[4])):
        return number, f"人数是估计值, 按 {number} 人计: {value}"
    return number, None
