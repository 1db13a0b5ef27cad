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


def _texts(cases: pd.DataFrame, columns: tuple[str, ...]) -> tuple[np.ndarray, list[str]]:
    """The outcome text of each row (the columns joined by "；"), factorized: (codes, texts);
    code -1 where a row has none. Columns without any value are left out (no string work)."""
    parts = [_col(cases, c).astype(TEXT_DTYPE) for c in columns]
    parts = [p for p in parts if p.notna().any()]
    if not parts:
        return np.full(len(cases), -1, dtype=np.int64), []
    if len(parts) == 1:
        codes, uniques = pd.factorize(parts[0].to_numpy(dtype=object, na_value=None))
        return codes, [str(u) for u in uniques]
    joined = parts[0].fillna("").astype(object)
    for part in parts[1:]:
        joined = joined + "；" + part.fillna("").astype(object)
    joined = joined.str.strip("；").replace("", None)
    codes, uniques = pd.factorize(joined.to_numpy(dtype=object))
    return codes, [str(u) for u in uniques]


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
    # tested once per distinct value (pandas' isin hashes every row: slow where most are empty)
    l_codes, l_uniques = pd.factorize(ledger.to_numpy(dtype=object, na_value=None))
    l_ok = np.append(np.isin(np.asarray(l_uniques, dtype=object), RESOLUTION_TYPES), False)
    given = l_ok[l_codes].copy()
    if "resolution_source" in cases.columns:  # classified before: only the ledger's own stay
        source_before = cases["resolution_source"].astype(TEXT_DTYPE)
        given &= (source_before.isna() | (source_before == FROM_LEDGER)).to_numpy(dtype=bool)
    kind[given] = np.asarray(l_uniques, dtype=object)[l_codes[given]]
    source[given] = FROM_LEDGER
    evidence[given] = ["化解方式: " + str(v) for v in kind[given]]
    flag = _col(cases, "resolved_flag").astype(TEXT_DTYPE)
    # the outcome text, once per distinct text
    codes, uniques = _texts(cases, text_columns)
    found = [table.match(u) if u else (None, None) for u in uniques]
    u_kind = np.array([f[0] for f in found] + [None], dtype=object)
    u_word = np.array([f[1] for f in found] + [None], dtype=object)
    u_said = np.array([None if w is None else f"办理结果含“{w}”" for w in u_word], dtype=object)
    u_over = np.array(
        [None if w is None else f"是否化解: 是 (办理结果写“{w}”)" for w in u_word], dtype=object
    )
    t_kind = u_kind[codes]  # code -1 (no text): the last, None
    said = flag.to_numpy(dtype=object, na_value=None)
    todo = ~given
    by_text = todo & (t_kind != None)  # noqa: E711 (elementwise over an object array)
    overruled = by_text & (t_kind == "未化解") & (said == "是")
    plain = by_text & ~overruled
    kind[plain] = t_kind[plain]
    source[plain] = FROM_TEXT
    evidence[plain] = u_said[codes[plain]]
    kind[overruled] = "化解"
    source[overruled] = FROM_FLAG
    evidence[overruled] = u_over[codes[overruled]]
    for value, way in (("否", "未化解"), ("是", "化解")):
        rows = todo & ~by_text & (said == value)
        kind[rows] = way
        source[rows] = FROM_FLAG
        evidence[rows] = f"是否化解: {value}"
    out = cases.copy(deep=False)  # copy-on-write: the new columns never reach the input
    out["resolution_type"] = pd.array(kind, dtype=TEXT_DTYPE)
    out["resolution_source"] = pd.array(source, dtype=TEXT_DTYPE)
    out["resolution_evidence"] = pd.array(evidence, dtype=TEXT_DTYPE)
    return out
