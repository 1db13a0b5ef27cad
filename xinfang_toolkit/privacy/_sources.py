"""File and sheet names, paths and header texts, masked for display: 张秀兰_110101198805051237_台账.xlsx
-> 张*兰_110101********1237_台账.xlsx.

A clerk names a file or a sheet after the person (``张秀兰_台账.xlsx``, sheet ``李四``) or puts an
ID or phone number in it. Numbers are masked as in free text (``TextMasker``: ID, phone, bank
card, ...), the persons a ledger names wherever they appear, and, because a file name gives no
cue word, every part of the name between separators (``_ - . 空格 括号``) that looks like a name:
two or three Chinese characters starting with a surname, none of them a character of document
words (表, 账, 月, 县, 村, 登记 ...). The rest stays readable: 河东县信访台账_2026年09月.xlsx and
来访登记 are left as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from ._text import TextMasker, _surnames, clean_names
from ._values import mask_name

__all__ = ["SOURCE_COLUMNS", "SourceMasker", "mask_message", "mask_source", "mask_sources"]

#: columns holding file names, sheet names or paths (masked by ``mask_source``)
SOURCE_COLUMNS: frozenset[str] = frozenset(
    {
        "source_file",
        "source_sheet",
        "file",
        "sheet",
        "import_file",
        "file_name",
        "path",
        "文件",
        "工作表",
        "来源文件",
        "来源工作表",
        "导入文件",
    }
)

_PART = re.compile(r"[\u4e00-\u9fff·•]+")
_NOTE = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]?")
# characters of the words documents, places and units are named with: a part holding one is
# no person's name (月份, 台账, 河东县, 来访登记, 汇总表 ...)
_DOC_CHARS = frozenset(
    "表账册簿单件稿版报局办委县市区镇乡村街巷组科所院部厅站队月年日份期批类号页汇总计登记访台电网"
    "线函书证照图据录目览况细查核审复转交督回数旧积部导出入改删备注附模板样例说明第度省州盟旗屯"
    "社司厂校馆处室团党政府法检医卫教育城管规划环保农交通商税务系统热咨询诉议助举留言帐户集拆"
)
_NOT_NAMES = frozenset({"匿名", "不详", "未知", "群众", "某某"})


def _is_name_part(part: str) -> bool:
    if part in _NOT_NAMES or "某" in part:
        return False
    if "·" in part or "•" in part:  # 阿卜杜热合曼·艾买提
        return 3 <= len(part) <= 20
    n = len(part)
    if not 2 <= n <= 4:
        return False
    surname = next((s for s in _surnames() if part.startswith(s)), None)
    if surname is None or (n == 4 and len(surname) < 2):
        return False
    return not any(c in _DOC_CHARS for c in part[len(surname) :])


@lru_cache(maxsize=4096)
def _name_parts(text: str) -> str:
    """``text`` with every name-like Chinese part between separators masked."""

    def one(m: re.Match) -> str:
        part = m.group(0)
        return str(mask_name(part)) if _is_name_part(part) else part

    return _PART.sub(one, text)


class SourceMasker:
    """Masks file names, sheet names and paths (see the module docstring); ``names``: the
    persons the data names (masked wherever they appear). ``parts=False`` for header texts:
    numbers, the given names and names after cue words only (a header is made of words like
    方式, 金额 that start with a surname, and a clerk writes no bare name into one)."""

    def __init__(self, names: Iterable[str] = (), *, parts: bool = True) -> None:
        given = [n for n in names if isinstance(n, str)]
        self._text = TextMasker(clean_names(given) | set(given))
        self._parts = parts
        self._cache: dict[str, str] = {}

    def __call__(self, value: object) -> object:
        if not isinstance(value, str) or not value:
            return value
        done = self._cache.get(value)
        if done is None:
            done = self._text(value)
            if self._parts:
                done = _name_parts(done)
            elif _NOTE.search(done):  # a note in brackets inside a header: 备注(李红梅)
                done = _NOTE.sub(lambda m: _name_parts(m.group(0)), done)
            if len(self._cache) < 100_000:
                self._cache[value] = done
        return done


def mask_source(value: object, *, names: Iterable[str] = ()) -> object:
    """One file name, sheet name, path or header text, masked (see the module docstring)."""
    return SourceMasker(names)(value)


def mask_sources(
    frame: pd.DataFrame, *, names: Iterable[str] = (), masker: SourceMasker | None = None
) -> pd.DataFrame:
    """``frame`` with its file/sheet/path columns (``SOURCE_COLUMNS``) masked, each distinct
    value once; the other columns as they are (the same objects)."""
    present = [c for c in frame.columns if c in SOURCE_COLUMNS]
    if not present:
        return frame
    masker = masker or SourceMasker(names)
    out = frame.copy(deep=False)
    for col in present:
        values = out[col]
        codes, uniques = pd.factorize(values.to_numpy(dtype=object))
        masked = [masker(u) for u in uniques]
        if masked == list(uniques):
            continue
        table = np.asarray(masked + [None], dtype=object)
        new = pd.Series(table[codes], index=values.index, name=col)
        try:
            out[col] = new.astype(values.dtype)
        except (TypeError, ValueError):
            out[col] = new
    return out


# a file name inside a message: a run of non-separators ending in a known extension
_FILE_IN_TEXT = re.compile(
    r"[^\s/\\:：,，;；'\"“”‘’()（）<>]+\.(?:xlsx|xlsm|xls|et|csv|txt|yaml|yml|duckdb|docx|parquet)",
    re.IGNORECASE,
)


def mask_message(text: object, *, names: Iterable[str] = ()) -> object:
    """A message for the screen (an error, a progress line): the file names in it masked as
    by :func:`mask_source`, and numbers and known names anywhere in it."""
    if not isinstance(text, str) or not text:
        return text
    masker = SourceMasker(names)
    text = _FILE_IN_TEXT.sub(lambda m: str(masker(m.group(0))), text)
    return masker._text(text)
