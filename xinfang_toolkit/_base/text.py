"""Text blocks every room shares: full-width folding and the words that mean "empty"."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["NULL_WORDS", "fold_width", "fold_width_same_length", "is_null_word"]

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


#: full-width digits and letters and the ideographic space: the part of NFKC that keeps a text's
#: length (offsets into a joined chunk stay valid); full-width punctuation is left alone
_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000]")


def _half(match: re.Match) -> str:
    char = match.group()
    return " " if char == "\u3000" else chr(ord(char) - 0xFEE0)


def fold_width_same_length(text: str) -> str:
    """Full-width digits and letters and the ideographic space folded, one character for one
    (``ＡＢ１２　`` -> ``AB12 ``): the keyword scanner folds a whole joined chunk at C speed and
    keeps every text's offset. Use :func:`fold_width` everywhere else."""
    return _FULLWIDTH_ALNUM.sub(_half, text)


def is_null_word(text: str) -> bool:
    """True when ``text`` (a str) says "nothing here": empty, or one of :data:`NULL_WORDS` once
    trimmed, folded and lower-cased (无, /, —, 空, 不详, N/A, ...)."""
    text = text.strip()
    return len(text) <= NULL_WORD_MAX and fold_width(text).strip().lower() in NULL_WORDS
