"""Ways of resolution (化解方式): how a matter was settled, read from the ledger or its outcome text.

办结 is not 化解: an answered case can still come back. Reports count the ways a matter was
settled: 化解 (the problem solved, 案结事了), 分流 (guided to litigation, arbitration or another
organ), 疏导 (policy explained, answered with reasons), 救助帮扶 (hardship relief), and what is
still 未化解. There is no 稳控 class: control of persons is not a way of settling a matter.

The rules are data (``data/resolution_rules.csv``: ``type,word`` rows, the types in order of
precedence), editable in Excel like the category rules, and every answer carries its evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..schema import RESOLUTION_TYPES, TEXT_DTYPE

__all__ = [
    "RESOLUTION_COLUMNS",
    "ResolutionRules",
    "classify_resolution",
    "resolution_rules",
]

#: columns :func:`classify_resolution` adds
RESOLUTION_COLUMNS: tuple[str, ...] = (
    "resolution_type",
    "resolution_source",
    "resolution_evidence",
)
#: what ``resolution_source`` says
FROM_LEDGER, FROM_FLAG, FROM_TEXT = "台账化解方式", "台账是否化解", "办理结果文字"


@dataclass(frozen=True)
class ResolutionRules:
    """``(type, words)`` in order of precedence: the first type whose word a text holds wins.
    A word starting with ``re:`` is a regular expression."""

    rules: tuple[tuple[str, tuple[str, ...]], ...]

    @classmethod
    def read(cls, path: str | Path | None = None) -> ResolutionRules:
        """The rules of a CSV file (default: the package's ``data/resolution_rules.csv``)."""
        if path is None:
            from importlib import resources

            text = (
                resources.files("xinfang_toolkit")
                .joinpath("data/resolution_rules.csv")
                .read_text("utf-8")
            )
            where = "data/resolution_rules.csv"
        else:
            text = Path(path).read_text("utf-8-sig")
            where = str(path)
        found: dict[str, list[str]] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip() or line.startswith("#") or line.startswith("type,"):
                continue
            kind, _, word = (part.strip() for part in line.partition(","))
            if kind not in RESOLUTION_TYPES:
                raise ValueError(
                    f"{where} 第 {number} 行: 化解方式“{kind}”不在 {'/'.join(RESOLUTION_TYPES)} 之中"
                )
            if word:
                found.setdefault(kind, []).append(word)
        return cls(tuple((k, tuple(w)) for k, w in found.items()))

    def match(self, text: str) -> tuple[str | None, str | None]:
        """(type, evidence) of one text: the first type of the precedence with a word in it."""
        for kind, words in self.rules:
            for word in words:
                if word.startswith("re:"):
                    m = re.search(word[3:], text)
                    if m:
                        return kind, m.group(0)
                elif word in text:
                    return kind, word
        return None, None


@cache
def resolution_rules() -> ResolutionRules:
    """The package's rules (read once)."""
    return ResolutionRules.read()


def _col(cases: pd.DataFrame, name: str) -> pd.Series:
    if name in cases.columns:
        return cases[name]
    return pd.Series(pd.NA, index=cases.index, dtype=TEXT_DTYPE)


def classify_resolution(
    cases: pd.DataFrame,
    *,
    rules: ResolutionRules | str | Path | None = None,
    text_columns: tuple[str, ...] = ("outcome", "follow_up_result"),
) -> pd.DataFrame:
    """Return a copy of ``cases`` with the way each matter was resolved, and its evidence.

    ``resolution_type`` (one of 化解, 分流, 疏导, 救助帮扶, 未化解, or empty when nothing says):
    the ledger's 化解方式 where it has one (source 台账化解方式); else the outcome text read with
    the rules (source 办理结果文字, evidence the word found); else 是否化解 = 否 gives 未化解
    (source 台账是否化解). A ledger that says 是否化解 = 是 while the text reads 未化解 is taken at
    its word (化解). ``resolution_evidence`` says why; ``resolution_source`` where from.
    ``rules``: a :class:`ResolutionRules` or a CSV path (default: ``data/resolution_rules.csv``).
    """
    if rules is None:
        table = resolution_rules()
    elif isinstance(rules, ResolutionRules):
        table = rules
    else:
        table = ResolutionRules.read(rules)
    n = len(cases)
    kind = np.full(n, None, dtype=object)
    source = np.full(n, None, dtype=object)
    evidence = np.full(n, None, dtype=object)
    ledger = _col(cases, "resolution_type").astype(TEXT_DTYPE)
    given = ledger.isin(RESOLUTION_TYPES).fillna(False).to_numpy(dtype=bool).copy()
    if "resolution_source" in cases.columns:  # classified before: only the ledger's own stay
        source_before = cases["resolution_source"].astype(TEXT_DTYPE)
        given &= (source_before.isna() | (source_before == FROM_LEDGER)).to_numpy(dtype=bool)
    kind[given] = ledger[given].to_numpy(dtype=object)
    source[given] = FROM_LEDGER
    evidence[given] = ["化解方式: " + str(v) for v in kind[given]]
    flag = _col(cases, "resolved_flag").astype(TEXT_DTYPE)
    # the outcome text, once per distinct text
    parts = [_col(cases, c).astype(TEXT_DTYPE).fillna("").astype(object) for c in text_columns]
    texts = parts[0] if parts else pd.Series("", index=cases.index, dtype=object)
    for part in parts[1:]:
        texts = texts + "；" + part
    texts = texts.str.strip("；")
    codes, uniques = pd.factorize(texts.to_numpy(dtype=object))
    found = [table.match(u) if u else (None, None) for u in uniques]
    u_kind = np.array([f[0] for f in found] + [None], dtype=object)
    u_word = np.array([f[1] for f in found] + [None], dtype=object)
    t_kind, t_word = u_kind[codes], u_word[codes]  # code -1 (no text): the last, None
    said = flag.to_numpy(dtype=object, na_value=None)
    todo = ~given
    by_text = todo & (t_kind != None)  # noqa: E711 (elementwise over an object array)
    overruled = by_text & (t_kind == "未化解") & (said == "是")
    plain = by_text & ~overruled
    kind[plain] = t_kind[plain]
    source[plain] = FROM_TEXT
    evidence[plain] = ["办理结果含“" + str(w) + "”" for w in t_word[plain]]
    kind[overruled] = "化解"
    source[overruled] = FROM_FLAG
    evidence[overruled] = ["是否化解: 是 (办理结果写“" + str(w) + "”)" for w in t_word[overruled]]
    for value, way in (("否", "未化解"), ("是", "化解")):
        rows = todo & ~by_text & (said == value)
        kind[rows] = way
        source[rows] = FROM_FLAG
        evidence[rows] = f"是否化解: {value}"
    out = cases.copy()
    out["resolution_type"] = pd.array(kind, dtype=TEXT_DTYPE)
    out["resolution_source"] = pd.array(source, dtype=TEXT_DTYPE)
    out["resolution_evidence"] = pd.array(evidence, dtype=TEXT_DTYPE)
    return out
