"""Shared helpers of the exports: masking, Chinese headers, cell values, text widths."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import pandas as pd

from .. import privacy
from ..schema import CASE_COLUMNS, PROVENANCE_COLUMNS, TEXT_DTYPE, chinese_headers

#: a text cell starting with one of these could be run by a spreadsheet as a formula (OWASP CSV
#: injection); it is written as text with a leading apostrophe.
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
#: the column names that hold fractions (0..1) shown as percentages
PERCENT_WORDS: tuple[str, ...] = ("率", "占比", "幅度")
_INTERNAL = ("_xf_row",)


_UNWRITABLE = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_text(text: str) -> str:
    """Text every file format can hold: a lone surrogate (a broken character, e.g. from a
    wrongly decoded file) becomes U+FFFD, control characters are dropped, a valid surrogate
    pair is joined into its character.

    Decided here, at the writers, not in the loader: frames built in code reach the exports
    too, and the analysis handles such text already; only encoding it as UTF-8/XML fails.
    """
    if not _UNWRITABLE.search(text):
        return text
    joined = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return _UNWRITABLE.sub(lambda m: "" if m.group(0) < "\x20" else "\ufffd", joined)


def neutralise(text: str) -> str:
    """'=1+2' -> "'=1+2": spreadsheets then show the text and never evaluate it.

    The text is made writable first (``safe_text``)."""
    text = safe_text(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def text_width(value: object) -> int:
    """Display width in a spreadsheet column: 2 per CJK (wide / full-width) character, else 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in str(value))


def is_percent_column(name: object) -> bool:
    return any(w in str(name) for w in PERCENT_WORDS)


def protect(cases: pd.DataFrame, *, mask: bool = True, pseudonymize: bool = False) -> pd.DataFrame:
    """Personal data as an export must show it: masked (default), pseudonymised, or in full."""
    cases = cases.drop(columns=[c for c in _INTERNAL if c in cases.columns])
    if pseudonymize:
        return privacy.pseudonymize(cases)
    if mask:
        out = privacy.mask_pii(cases)
        # a person key can be recomputed from a known ID number: a masked file keeps only
        # which cases belong to one matter, numbered within this file
        out = out.drop(columns=[c for c in ("person_key",) if c in out.columns])
        if "chain_id" in out.columns:
            codes, _ = pd.factorize(out["chain_id"])
            out["chain_id"] = pd.Series(
                [f"事项{c + 1}" if c >= 0 else None for c in codes],
                index=out.index,
                dtype=TEXT_DTYPE,
            )
        return out
    return cases.copy()


def protect_issues(
    issues: pd.DataFrame, *, mask: bool = True, names: Iterable[str] = ()
) -> pd.DataFrame:
    """LoadResult.issues / excluded: original values can hold personal data, mask them
    (``names``: the persons known from the cases, ``privacy.known_names(cases)``)."""
    return privacy.mask_issues(issues, names=names) if mask else issues.copy()


def protect_table(frame: pd.DataFrame, *, mask: bool = True, names: Iterable[str] = ()):
    """A statistics table (积案清单, 热点 ...): its texts masked as free text."""
    return privacy.mask_pii(frame, names=names) if mask else frame


def with_chinese_headers(cases: pd.DataFrame) -> pd.DataFrame:
    """Canonical columns first, then the rest, provenance last; schema.chinese_headers."""
    cases = cases.drop(columns=[c for c in _INTERNAL if c in cases.columns])
    first = [c for c in CASE_COLUMNS if c in cases.columns]
    prov = [c for c in PROVENANCE_COLUMNS if c in cases.columns]
    rest = [c for c in cases.columns if c not in first and c not in prov]
    return chinese_headers(cases[first + rest + prov])


def cell_value(value: object) -> object:
    """A value as a cell holds it: None for missing, Python numbers, dates as Timestamp."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    if hasattr(value, "item") and not isinstance(value, pd.Timestamp):
        return value.item()
    return value


def display(value: object, *, percent: bool = False) -> str:
    """Text for a Word table cell: 80.0%, 15, 2021-01-05, '' for missing."""
    v = cell_value(value)
    if v is None:
        return ""
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, (int, float)):
        if percent:  # one precision for every percentage: 6.0%, 16.3%
            return f"{float(v) * 100:.1f}%"
        return _number(v)
    return safe_text(str(v))


def _number(v: float) -> str:
    v = round(float(v), 1)
    return str(int(v)) if v.is_integer() else f"{v:.1f}"


def row_is_percent(row_label: object) -> bool:
    """In a table of 指标 rows (总体情况, 同比), a row such as 按期办结率 holds a fraction."""
    return str(row_label).endswith("率")
