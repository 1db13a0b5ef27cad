"""Header detection and mapping of header text to canonical columns.

Mapping is scored (see ``_match``): hand-made entries and exact synonyms (data/synonyms.csv)
first, then approximate matches above a threshold. When two headers of a sheet match the same
column, the better score wins (the left one on a tie) and the other is kept under its own name,
with a note.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from ..clean import FLAG_COLUMNS, fold_width
from ..schema import CASE_COLUMNS, LABELS_ZH
from ._grid import column_letter
from ._match import NONE, HeaderMatcher, Match, header_key

#: the columns a header may map to
TARGETS: frozenset[str] = frozenset(CASE_COLUMNS) | frozenset(FLAG_COLUMNS)

#: header words that belong to ledgers but map to no canonical column (they still mark a header)
HEADER_WORDS: frozenset[str] = frozenset(
    {
        "序号",
        "序",
        "no",
        "备注",
        "说明",
        "性别",
        "年龄",
        "民族",
        "职业",
        "籍贯",
        "是否集体访",
        "是否越级访",
        "信访人基本情况",
        "基本情况",
        "办理情况",
        "信访人信息",
        "登记人",
        "经办人",
    }
)

#: canonical columns at least one of which a sheet must have, besides a date
NEED_TEXT = ("summary", "category")

_SCAN_ROWS = 40
_PAREN = re.compile(r"[(（\[【].*?[)）\]】]")

__all__ = ["header_key", "HeaderMatcher", "Match"]


def display_name(text: object) -> str:
    """Normalised original header used as column name for unmapped columns."""
    return (
        header_key(text)
        if not isinstance(text, str)
        else re.sub(r"\s+", "", fold_width(text)).strip(":：")
    )


@lru_cache(maxsize=1)
def default_synonyms() -> dict[str, str]:
    """The packaged synonym table: normalised header text -> canonical column."""
    text = resources.files("xinfang_toolkit").joinpath("data/synonyms.csv").read_text("utf-8")
    return _parse_table(text.splitlines(), "synonyms.csv")


def _parse_table(lines: list[str], where: str) -> dict[str, str]:
    table: dict[str, str] = {}
    rows = csv.reader(line for line in lines if line.strip() and not line.startswith("#"))
    for n, row in enumerate(rows):
        if n == 0 and row[:2] == ["canonical", "synonym"]:
            continue
        if len(row) < 2:
            raise ValueError(f"{where}: 第 {n + 1} 行应为 canonical,synonym 两列: {row}")
        canonical, synonym = row[0].strip(), row[1].strip()
        if canonical not in TARGETS:
            raise ValueError(
                f"{where}: “{canonical}”不是规范列名; 可用: {', '.join(sorted(TARGETS))}"
            )
        table.setdefault(header_key(synonym), canonical)
    return table


def build_synonyms(extra: Mapping[str, object] | str | Path | None) -> dict[str, str]:
    """Packaged table plus the user's: ``{header: canonical}``, ``{canonical: [headers]}`` or a
    CSV file with ``canonical,synonym`` rows. The user's entries win."""
    table = dict(default_synonyms())
    if extra is None:
        return table
    if isinstance(extra, (str, Path)):
        path = Path(extra)
        user = _parse_table(path.read_text(encoding="utf-8-sig").splitlines(), str(path))
        table.update(user)
        return table
    for key, value in extra.items():
        if key in TARGETS and not (isinstance(value, str) and value in TARGETS):
            words = [value] if isinstance(value, str) else list(value)  # type: ignore[call-overload]
            for word in words:
                table[header_key(word)] = key
        elif isinstance(value, str) and value in TARGETS:
            table[header_key(key)] = value
        else:
            raise ValueError(
                f"synonyms: “{key}: {value}” 无法理解; 应为 {{表头: 规范列名}} 或 "
                f"{{规范列名: [表头, ...]}}; 规范列名: {', '.join(sorted(TARGETS))}"
            )
    return table


def lookup(text: object, table: Mapping[str, str] | HeaderMatcher) -> str | None:
    """The canonical column of an exact (or hand-made) entry for ``text``; None otherwise."""
    matcher = as_matcher(table)
    return matcher.exact(text)


def as_matcher(table: Mapping[str, str] | HeaderMatcher) -> HeaderMatcher:
    return table if isinstance(table, HeaderMatcher) else HeaderMatcher(table)


def _is_header_word(text: object, matcher: HeaderMatcher) -> bool:
    """An exact synonym, hand-made entry or known header word (approximate matches do not
    count here: a section row such as 一、本期受理信访事项 is no header)."""
    if matcher.exact(text):
        return True
    key = header_key(text)
    return key in HEADER_WORDS or header_key(_PAREN.sub("", key)) in HEADER_WORDS


@dataclass
class Header:
    rows: list[int]  # 0-based grid rows that form the header
    columns: dict[int, str]  # grid column -> output column name (canonical or original)
    canonical: dict[str, int]  # canonical column -> grid column
    labels: dict[int, str]  # grid column -> header text of its lowest header row
    notes: list[str]  # e.g. two columns mapping to the same canonical name
    #: grid column -> how its header was matched (the match used, or why it was not)
    matches: dict[int, Match] = field(default_factory=dict)

    def layout_key(self) -> str:
        """The key of this header row for a layout profile: its normalised texts in order."""
        return layout_key(self.labels.values())


def layout_key(labels) -> str:
    """``|``-joined normalised header texts (empty ones left out): one layout, one key."""
    return "|".join(k for k in (header_key(v) for v in labels) if k)


def _fill_merged(block: np.ndarray, merged: list[tuple[int, int, int, int]], top: int) -> None:
    """Fill every cell of a merged range inside ``block`` (rows top..) with its top-left value."""
    nrows, ncols = block.shape
    for r0, c0, r1, c1 in merged:
        if r0 - top >= nrows or r1 < top:
            continue
        value = block[r0 - top, c0] if r0 >= top else ""
        if value == "":
            continue
        for r in range(max(r0, top), min(r1, top + nrows - 1) + 1):
            for c in range(c0, min(c1, ncols - 1) + 1):
                block[r - top, c] = value


def _score(row: np.ndarray, matcher: HeaderMatcher) -> tuple[int, int, int]:
    """(columns matched by any means, columns matched exactly, header words) of a row."""
    texts = [v for v in row if isinstance(v, str) and v.strip()]
    matches = [matcher.match(v) for v in texts]
    mapped = {m.canonical for m in matches if m.canonical}
    exact = {m.canonical for m in matches if m.canonical and m.how != "近似"}
    words = sum(
        1 for v, m in zip(texts, matches, strict=True) if m.canonical or _is_header_word(v, matcher)
    )
    return len(mapped), len(exact), words


def find_header(
    cells: np.ndarray,
    merged: list[tuple[int, int, int, int]],
    table: Mapping[str, str] | HeaderMatcher,
    profiles: Mapping[str, Mapping[str, str | None]] | None = None,
) -> Header | None:
    """Find the header rows among the first rows of a sheet; None if there is none.

    ``profiles``: layout key -> hand-made mapping; the one whose key is this sheet's header row
    is applied on top of ``table``.
    """
    matcher = as_matcher(table)
    top = cells[:_SCAN_ROWS].copy()
    _fill_merged(top, merged, 0)
    best, best_score = -1, (0, 0, 0)
    for i in range(top.shape[0]):
        score = _score(top[i], matcher)
        # two columns matched (approximate matches need short header-like texts, see _match)
        if score[0] >= 2 and score > best_score:
            best, best_score = i, score
    if best < 0:
        return None
    rows = [best]
    # a second header row below (sub-headers under a merged group cell) or above (the group row)
    for other in (best + 1, best - 1):
        if not 0 <= other < top.shape[0] or len(rows) == 2:
            continue
        row = top[other]
        texts = [v for v in row if isinstance(v, str) and v.strip()]
        if not texts:
            continue
        cells_here = [(j, v) for j, v in enumerate(row) if _cell_text(v)]
        words = [v for _j, v in cells_here if _is_header_word(v, matcher)]
        if words and all(
            _is_header_word(v, matcher)
            or _is_group_cell(other, j, merged)
            or _spans(other, best, j, merged)
            for j, v in cells_here
        ):
            rows = sorted([best, other])
    if profiles:
        texts = [_header_texts(top, rows, j) for j in range(top.shape[1])]
        firsts = [t[0] if t else "" for t in texts]
        key = layout_key(firsts)
        if key in profiles:
            matcher = matcher.with_manual({header_key(k): v for k, v in profiles[key].items()})
        else:  # a profile saved masked (save_profile): its header row as masked texts
            from ..privacy import SourceMasker

            masker = SourceMasker(parts=False)
            shown = [masker(t) for t in firsts]
            entries = profiles.get(layout_key(shown))
            if entries is not None:
                keyed = {header_key(k): v for k, v in entries.items()}
                manual = dict(keyed)
                for live, masked in zip(firsts, shown, strict=True):
                    if header_key(masked) in keyed:
                        manual[header_key(live)] = keyed[header_key(masked)]
                matcher = matcher.with_manual(manual)
    columns, canonical, labels, notes, matches = _name_columns(top, rows, cells, matcher)
    return Header(rows, columns, canonical, labels, notes, matches)


def _header_texts(top: np.ndarray, rows: list[int], j: int) -> list[str]:
    """Header texts of column j, lowest header row first (姓名 under 信访人基本情况)."""
    texts = [
        top[r, j]
        for r in reversed(rows)
        if _cell_text(top[r, j]) or (not isinstance(top[r, j], str) and top[r, j] is not None)
    ]
    return [str(t) if not isinstance(t, str) else t for t in texts if str(t).strip()]


def _is_group_cell(r: int, c: int, merged: list[tuple[int, int, int, int]]) -> bool:
    return any(r0 == r and c0 <= c <= c1 and c1 > c0 for r0, c0, _r1, c1 in merged)


def _spans(r: int, other: int, c: int, merged: list[tuple[int, int, int, int]]) -> bool:
    """Is cell (r, c) merged vertically with row ``other`` (a header cell spanning both rows)?"""
    return any(
        c0 <= c <= c1 and min(r, other) >= r0 and max(r, other) <= r1 for r0, c0, r1, c1 in merged
    )


def _cell_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _name_columns(
    top: np.ndarray, rows: list[int], cells: np.ndarray, matcher: HeaderMatcher
) -> tuple[dict[int, str], dict[str, int], dict[int, str], list[str], dict[int, Match]]:
    columns: dict[int, str] = {}
    canonical: dict[str, int] = {}
    labels: dict[int, str] = {}
    notes: list[str] = []
    matches: dict[int, Match] = {}
    width = top.shape[1]
    for j in range(width):
        texts = _header_texts(top, rows, j)
        labels[j] = texts[0] if texts else ""
        found = next((m for m in map(matcher.match, texts) if m.canonical), None)
        if found is None:  # say why the lowest text did not match (e.g. 人工指定: none)
            found = matcher.match(texts[0]) if texts else Match(None, NONE, 0.0)
        matches[j] = found
    # each canonical column goes to its best-scored header (the left one on a tie)
    for j in sorted(matches, key=lambda j: (-matches[j].score, j)):
        target = matches[j].canonical
        if target and target not in canonical:
            canonical[target] = j
    used: set[str] = set()
    for j in range(width):
        target = matches[j].canonical
        label = labels[j]
        if target and canonical.get(target) == j:
            columns[j] = target
            continue
        if target:
            keep = canonical[target]
            notes.append(
                f"第 {column_letter(j)} 列“{display_name(label)}”与第 {column_letter(keep)} 列"
                f"“{display_name(labels[keep])}”都对应“{LABELS_ZH.get(target, target)}”, 只用了"
                f"第 {column_letter(keep)} 列, 这一列按原表头保留 (可用 mapping= 指定)"
            )
            matches[j] = Match(None, NONE, matches[j].score, f"与第 {column_letter(keep)} 列重复")
        name = display_name(label) if label else ""
        if not name:
            if not _column_has_data(cells, rows[-1] + 1, j):
                continue
            name = f"列{column_letter(j)}"
        base, k = name, 2
        while name in used or name in TARGETS:
            name, k = f"{base}_{k}", k + 1
        used.add(name)
        columns[j] = name
    return columns, canonical, labels, notes, matches


def _column_has_data(cells: np.ndarray, start: int, j: int) -> bool:
    col = cells[start:, j]
    return bool(np.any(col != ""))


def describe_missing(cells: np.ndarray, table: object = None) -> str:
    """What a sheet without a recognisable header looks like, for the error message: the
    first rows quoted, each cell masked before it is cut short (a sheet without its header,
    a 续表, starts with cases: names, phones and ID numbers are not shown)."""
    from ..privacy import SourceMasker

    show = SourceMasker()
    seen = []
    for i in range(min(_SCAN_ROWS, cells.shape[0])):
        texts = [str(v).strip() for v in cells[i] if _cell_text(v) or isinstance(v, (int, float))]
        texts = [str(show(t))[:12] for t in texts if t]
        if texts:
            seen.append(f"第{i + 1}行: " + " | ".join(texts[:8]))
        if len(seen) >= 3:
            break
    found = "; ".join(seen) if seen else "(前 40 行都是空的)"
    return (
        f"找到的是: {found}. 期望有一行表头, 至少包含两个可识别的列名, 例如 "
        "登记日期、信访人、反映问题、内容分类 (可在 data/synonyms.csv 或 synonyms= 里补充同义词)"
    )


#: header texts and title words that say a sheet records visits (来访登记)
_VISIT_HEADERS = frozenset(
    {"来访时间", "来访日期", "来访人数", "来访人次", "来访人", "来访人员", "来访人姓名", "来访事由"}
    | {"来访登记", "接访时间", "接访日期", "接访领导", "接访人", "接待时间", "接访地点"}
)
_VISIT_TITLE = re.compile(r"来访(?:登记|台账|情况|人员|接待)|接访|走访登记|群众来访")


def visit_evidence(labels: Mapping[int, str], titles: list[str]) -> str | None:
    """The header or title text that says a sheet records visits, or None."""
    for label in labels.values():
        key = header_key(label)
        if key in _VISIT_HEADERS or header_key(_PAREN.sub("", key)) in _VISIT_HEADERS:
            return f"表头“{display_name(label)}”"
    for title in titles:
        if m := _VISIT_TITLE.search(fold_width(title)):
            return f"标题“{m.group(0)}”"
    return None
