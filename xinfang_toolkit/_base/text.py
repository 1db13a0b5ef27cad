"""Text blocks every room shares: full-width folding and the words that mean "empty"."""

from __future__ import annotations

import unicodedata

__all__ = ["NULL_WORDS", "fold_width", "is_null_word"]

#: cell texts that mean "nothing here" (compared after folding, trimming and lower-casing)
NULL_WORDS: frozenset[str] = frozenset(
    {
        "",
        "无",
        "/",
        "\\",
        "-",
        "--",
        "---",
        "—",
        "——",
        "－",
        "空",
        "不详",
        "暂无",
        "无记录",
        "未填",
        "未知",
        "null",
        "none",
        "nan",
        "nat",
        "n/a",
        "na",
        "#n/a",
    }
)

#: the longest null word: a longer text is never one (a quick length check first)
NULL_WORD_MAX = 6


def fold_width(text: str) -> str:
    """Full-width digits, letters and punctuation and the ideographic space folded to their
    ordinary forms (Unicode NFKC): ``２０１９／４／２５`` -> ``2019/4/25``. ASCII text is returned as is.

    The one width-folding step of the package: header lookup, codes, dates, numbers, placeholder
    words and the person key all use it (free text such as summaries is never folded)."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKC", text)


def is_null_word(text: str) -> bool:
    """True when ``text`` (a str) says "nothing here": empty, or one of :data:`NULL_WORDS` once
    trimmed, folded and lower-cased (无, /, —, 空, 不详, N/A, ...)."""
    text = text.strip()
    return len(text) <= NULL_WORD_MAX and fold_width(text).strip().lower() in NULL_WORDS
