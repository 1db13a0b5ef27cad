"""Vocabularies: the spellings of flags, channels, visit levels, satisfaction and matter types,
read from the editable ``data/value_words.csv`` (the first match wins)."""

from __future__ import annotations

from functools import cache
from typing import Any

from .._base.text import NULL_WORDS, fold_width
from ..schema import CHANNELS, MATTER_TYPES, SATISFACTION_VALUES, VISIT_LEVELS
from ._text import is_missing, normalize_text

__all__ = [
    "known_value",
    "normalize_channel",
    "normalize_matter_type",
    "normalize_satisfaction",
    "normalize_visit_level",
    "parse_flag",
    "value_words",
]

_VALUE_WORDS = "data/value_words.csv"


@cache
def value_words(field: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The spellings of ``field``'s values from the editable ``data/value_words.csv``:
    ((canonical, (word, ...)), ...) in file order (the first match wins)."""
    from .._datafile import data_file, read_csv_rows

    rows = read_csv_rows(
        data_file("value_words.csv"), columns=("field", "canonical", "word"), name=_VALUE_WORDS
    )
    found: dict[str, list[str]] = {}
    for _line, row in rows:
        if row["field"] == field and row["word"]:
            found.setdefault(row["canonical"], []).append(row["word"])
    if not found:
        raise ValueError(f"data/value_words.csv 里没有 {field} 的取值词 / no words for {field}")
    return tuple((canonical, tuple(words)) for canonical, words in found.items())


_TRUE_WORDS = frozenset(dict(value_words("flag")).get("是", ()))
_FALSE_WORDS = frozenset(dict(value_words("flag")).get("否", ()))


def parse_flag(value: Any) -> tuple[bool | None, str | None]:
    """Parse a ledger flag (办结标志, 重复信访标志, 积案标志, 是否延期): 是/否, 1/0, Y/N, √/×."""
    if is_missing(value) or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return value, None
    text = normalize_text(value)
    if text is None:
        return None, None
    key = fold_width(text).strip().lower()
    if key in _TRUE_WORDS:
        return True, None
    if key in _FALSE_WORDS or key in NULL_WORDS:
        return False, None
    return None, f"无法识别的标志值 (应为 是/否): {text}"


_CHANNEL_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = value_words("channel")


def known_value(
    value: Any, allowed, words: tuple[tuple[str, tuple[str, ...]], ...], *, lower: bool = False
) -> tuple[str | None, str | None]:
    """``(canonical, text)`` of a cell against a vocabulary: an allowed value as written, else the
    first canonical one of whose ``words`` the text contains (full width folded, spaces removed,
    lower case if ``lower``); canonical is None for an unknown text, both are None for empty."""
    text = normalize_text(value)
    if text is None:
        return None, None
    key = fold_width(text).replace(" ", "")
    key = key.lower() if lower else key
    if key in allowed:
        return key, text
    for canonical, variants in words:
        if key == canonical or any(v in key for v in variants):
            return canonical, text
    return None, text


def normalize_channel(value: Any) -> tuple[str | None, str | None]:
    """信访形式 to one of schema.CHANNELS (走访 -> 来访, 网上/微信/12345 ...); unknown -> 其他."""
    found, text = known_value(value, CHANNELS, _CHANNEL_WORDS, lower=True)
    if found is not None or text is None:
        return found, None
    return "其他", f"无法识别的信访形式, 记为“其他”: {text}"


_LEVEL_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = value_words("visit_level")


def normalize_visit_level(value: Any) -> tuple[str | None, str | None]:
    """信访去向 to one of schema.VISIT_LEVELS: 进京/赴京 -> 国家, 赴省 -> 省, 到市 -> 市,
    到县/到区 -> 县区, 本乡/本镇/街道 -> 乡镇. Unknown text -> ``(None, problem)``."""
    found, text = known_value(value, VISIT_LEVELS, _LEVEL_WORDS)
    if found is not None or text is None:
        return found, None
    return None, f"无法识别的信访去向 (应为 乡镇/县区/市/省/国家): {text}"


_SATISFACTION_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = value_words("satisfaction")


def normalize_satisfaction(value: Any) -> tuple[str | None, str | None]:
    """满意度 to one of schema.SATISFACTION_VALUES (比较满意 -> 基本满意, 未回访 -> 未评价 ...)."""
    found, text = known_value(value, SATISFACTION_VALUES, _SATISFACTION_WORDS)
    if found is not None or text is None:
        return found, None
    return None, f"无法识别的满意度 (应为 满意/基本满意/不满意/未评价): {text}"


_MATTER_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = value_words("matter_type")


def normalize_matter_type(value: Any) -> tuple[str | None, str | None]:
    """事项类型 to one of schema.MATTER_TYPES; unknown text is kept with a note."""
    found, text = known_value(value, MATTER_TYPES, _MATTER_WORDS)
    if found is not None or text is None:
        return found, None
    return text, "无法识别的事项类型 (应为 建议意见类/检举控告类/申诉求决类), 保留原文"
