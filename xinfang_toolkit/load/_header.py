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
from pathlib import Path

import numpy as np

from .._datafile import data_file, read_text
from ..clean import FLAG_COLUMNS, fold_width
from ..schema import CASE_COLUMNS, LABELS_ZH
from ._grid import column_letter
from ._match import _NEVER_APPROX, MANUAL, NONE, SYNONYM, HeaderMatcher, Match, header_key
from ._shape import column_names, find_shape, sheet_shape
from ._values import CONTENT, Profile, contradiction, expected, fit, profile_columns, propose

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
    text = read_text(data_file("synonyms.csv"))
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
        user = _parse_table(read_text(path).splitlines(), str(path))
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
    #: grid column -> what its values are, from a sample (e.g. "98% 日期时间")
    evidence: dict[int, str] = field(default_factory=dict)
    #: the first row of cases (the row below the header; the first row of a sheet without one)
    start: int | None = None
    #: a sheet without a header row read with the header of this earlier sheet (a 续表)
    continues: str = ""
    #: a sheet without a header row: its shape (:mod:`._shape`), the key of its layout profile
    shape: str = ""

    @property
    def top(self) -> int:
        """The first header row (for a sheet without a header row: its first row of cases)."""
        return self.rows[0] if self.rows else self.body

    @property
    def body(self) -> int:
        """The first row below the header, where cases begin."""
        return self.start if self.start is not None else self.rows[-1] + 1

    @property
    def headerless(self) -> bool:
        return not self.rows

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
        return content_header(cells, top, matcher, profiles)
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
    columns, canonical, labels, notes, matches, evidence = _name_columns(top, rows, cells, matcher)
    return Header(rows, columns, canonical, labels, notes, matches, evidence)


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
    top: np.ndarray,
    rows: list[int],
    cells: np.ndarray,
    matcher: HeaderMatcher,
    *,
    start: int | None = None,
    by_content: bool = False,
    names: Mapping[int, str] | None = None,
) -> tuple[
    dict[int, str], dict[str, int], dict[int, str], list[str], dict[int, Match], dict[int, str]
]:
    """Name each column: by its header (scored), checked against what the column holds.

    A header match whose column holds values that contradict the canonical column (a yes/no
    column under ...是否解决 is no 反映问题) is demoted with a note; where two headers compete,
    the one whose values fit wins; ``by_content`` (headers unknown, foreign or absent) or a
    sheet lacking a date, a summary, an ID or a phone column: unmapped columns are proposed
    from their values alone (how = 按内容). ``names``: the header text of each column where
    the sheet has no header row (列A ..., for a layout profile saved by shape)."""
    width = top.shape[1]
    body = rows[-1] + 1 if start is None else start
    labels, matches = _match_headers(top, rows, matcher, names)
    profiles = profile_columns(cells, body, range(width))
    notes = _demote_contradicted(matches, profiles, labels)
    canonical = _best_headers(matches, profiles)
    wanted = {"received_date", "summary", "id_number", "phone"} - set(canonical)
    if by_content or wanted:
        _propose_by_content(
            matches, canonical, profiles, labels, matcher, wanted=None if by_content else wanted
        )
    evidence = {
        j: matches[j].via if matches[j].how == CONTENT else _evidence(profiles[j], matches[j])
        for j in range(width)
        if profiles[j].n or labels[j]
    }
    columns = _output_names(matches, canonical, labels, notes, cells[body:])
    return columns, canonical, labels, notes, matches, evidence


def _match_headers(
    top: np.ndarray, rows: list[int], matcher: HeaderMatcher, names: Mapping[int, str] | None
) -> tuple[dict[int, str], dict[int, Match]]:
    """``(header text, match)`` of each column: the lowest header text that matches, else why
    the lowest did not (e.g. 人工指定: none)."""
    labels: dict[int, str] = {}
    matches: dict[int, Match] = {}
    for j in range(top.shape[1]):
        texts = _header_texts(top, rows, j) if names is None else [names[j]]
        labels[j] = texts[0] if texts else ""
        found = next((m for m in map(matcher.match, texts) if m.canonical), None)
        if found is None:
            found = matcher.match(texts[0]) if texts else Match(None, NONE, 0.0)
        matches[j] = found
    return labels, matches


def _demote_contradicted(
    matches: dict[int, Match], profiles: Mapping[int, Profile], labels: Mapping[int, str]
) -> list[str]:
    """A header whose column holds what the canonical column cannot hold is not that column:
    its match is replaced by none, with a note (hand-made entries are trusted)."""
    notes = []
    for j, m in list(matches.items()):
        if not m.canonical or m.how == MANUAL:
            continue
        against = contradiction(profiles[j], expected(m.canonical), strict=m.how == SYNONYM)
        if against:
            name = display_name(labels[j]) or f"列{column_letter(j)}"
            notes.append(
                f"第 {column_letter(j)} 列“{name}”的表头像“{LABELS_ZH.get(m.canonical, m.canonical)}”"
                f", 但内容是 {against}, 与之不符; 这一列按原表头保留 (可用 mapping= 指定)"
            )
            matches[j] = Match(None, NONE, m.score, f"内容不符: {against}")
    return notes


def _best_headers(matches: Mapping[int, Match], profiles: Mapping[int, Profile]) -> dict[str, int]:
    """Each canonical column goes to its best header, the one whose values fit better first
    (the left one on a tie)."""

    def rank(j: int) -> tuple[float, int]:
        m = matches[j]
        share = fit(profiles[j], expected(m.canonical))
        return (-(m.score - 30.0 * (1.0 - share)), j)

    canonical: dict[str, int] = {}
    for j in sorted(matches, key=rank):
        target = matches[j].canonical
        if target and target not in canonical:
            canonical[target] = j
    return canonical


def _propose_by_content(
    matches: dict[int, Match],
    canonical: dict[str, int],
    profiles: Mapping[int, Profile],
    labels: Mapping[int, str],
    matcher: HeaderMatcher,
    *,
    wanted: set[str] | None,
) -> None:
    """Columns recognised by their values alone (how = 按内容): among the columns no header
    named (and that no hand-made entry left unmapped), every canonical column, or only the
    ``wanted`` ones."""
    free = {
        j: p
        for j, p in profiles.items()
        if matches[j].canonical is None
        and matches[j].how != MANUAL
        and not (labels[j] and _is_header_word(labels[j], matcher))
        and not any(w in header_key(labels[j]) for w in _NEVER_APPROX)
    }

    def allowed(target: str, j: int) -> bool:
        if wanted is not None and target not in wanted:
            return False
        # a Chinese header may say what the column is not (出生日期 is no received date);
        # the cue words are Chinese, foreign field names are judged by their values
        key = header_key(labels[j])
        return not key or key.isascii() or matcher._allowed(target, key)

    for j, proposal in propose(free, taken=set(canonical), allowed=allowed).items():
        matches[j] = Match(proposal.canonical, CONTENT, proposal.score, proposal.evidence)
        canonical[proposal.canonical] = j


def _output_names(
    matches: dict[int, Match],
    canonical: Mapping[str, int],
    labels: Mapping[int, str],
    notes: list[str],
    body: np.ndarray,
) -> dict[int, str]:
    """The output column of each grid column: its canonical column, else its header text (列A
    for a column without one that holds data; a second header for a canonical column taken by
    another is kept under its own name, with a note)."""
    columns: dict[int, str] = {}
    used: set[str] = set()
    for j, m in list(matches.items()):
        target, label = m.canonical, labels[j]
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
            matches[j] = Match(None, NONE, m.score, f"与第 {column_letter(keep)} 列重复")
        name = display_name(label) if label else ""
        # no header, or the 列F a saved headerless layout names each column by: an empty
        # column is no column
        if not name or name == f"列{column_letter(j)}":
            if not np.any(body[:, j] != ""):
                continue
            name = f"列{column_letter(j)}"
        base, k = name, 2
        while name in used or name in TARGETS:
            name, k = f"{base}_{k}", k + 1
        used.add(name)
        columns[j] = name
    return columns


def _evidence(profile: Profile, match: Match) -> str:
    """What the column holds, in the terms of the column it maps to (or its most common kind)."""
    from ._values import EXPECTATIONS

    want = expected(match.canonical)
    kinds = tuple(k for k in EXPECTATIONS.get(want, (frozenset(),))[0] if profile.shares.get(k))
    return profile.evidence(kinds or None)


def continue_header(header: Header, previous: Header, sheet: str, width: int) -> Header:
    """A sheet without a header row after a sheet with one (a 续表): the earlier header, when
    the columns found by content agree with it (same width, each content-mapped column where
    the earlier header has that column); otherwise the content mapping as it is."""
    if not header.headerless or max(previous.labels, default=-1) + 1 < width:
        return header
    found = {m.canonical: j for j, m in header.matches.items() if m.canonical and m.how == CONTENT}
    if "received_date" not in found or any(
        previous.canonical.get(c) != j for c, j in found.items()
    ):
        return header
    return Header(
        [],
        dict(previous.columns),
        dict(previous.canonical),
        dict(previous.labels),
        [],
        dict(previous.matches),
        header.evidence,
        header.body,
        sheet,
    )


def _looks_like_body(row: np.ndarray, profiles: dict[int, Profile]) -> bool:
    """Is this row one more row of cases (no header above the data): its cells are of the
    kinds their columns hold, and some of them are dates, ID numbers, phones or long text."""
    from ._values import kind_of

    agree = strong = filled = 0
    for j, value in enumerate(row):
        kind = kind_of(value)
        if kind is None:
            continue
        filled += 1
        share = profiles[j].shares.get(kind, 0.0) if j in profiles else 0.0
        if share >= 0.2:
            agree += 1
            strong += kind in ("date", "datetime", "id", "phone", "longtext", "code")
    return filled >= 2 and strong >= 1 and agree >= 0.7 * filled


def content_header(
    cells: np.ndarray,
    top: np.ndarray,
    matcher: HeaderMatcher,
    profiles: Mapping[str, Mapping[str, str | None]] | None = None,
) -> Header | None:
    """A header for a sheet whose header row names nothing known (foreign field names such as
    createTime/content, or no header row at all): columns are mapped by their values.

    The first wide row (60% of the widest of the first rows) is the header row unless it looks
    like the rows below it; then the sheet has no header row and every row from it on is a
    case. None when nothing can be recognised."""
    if not top.shape[0] or not top.shape[1]:
        return None
    filled = np.array(
        [sum(1 for v in row if _cell_text(v) or (v != "" and v is not None)) for row in top]
    )
    widest = int(filled.max()) if len(filled) else 0
    if widest < 2:
        return None
    first = int(np.flatnonzero(filled >= max(2, 0.6 * widest))[0])
    below = profile_columns(cells, first + 1, range(cells.shape[1]))
    shape, names = "", None
    if _looks_like_body(cells[first], below):
        rows, start = [], first
        shape = sheet_shape(below, cells.shape[1])
        entries = find_shape(profiles or {}, shape)
        if entries is not None:  # a layout profile saved for this shape: by column (列A ...)
            names = column_names(cells.shape[1])
            matcher = matcher.with_manual({header_key(k): v for k, v in entries.items()})
    else:
        rows, start = [first], first + 1
        key = layout_key(top[first])
        if profiles and key in profiles:  # a layout profile saved for these field names
            matcher = matcher.with_manual({header_key(k): v for k, v in profiles[key].items()})
    columns, canonical, labels, notes, matches, evidence = _name_columns(
        top, rows, cells, matcher, start=start, by_content=True, names=names
    )
    if not any(m.how in (CONTENT, MANUAL) and m.canonical for m in matches.values()):
        return None
    if not rows:
        labels = column_names(cells.shape[1])
        labels = {j: labels[j] for j in columns}
    return Header(rows, columns, canonical, labels, notes, matches, evidence, start, shape=shape)


def describe_missing(cells: np.ndarray, table: object = None) -> str:
    """What a sheet without a recognisable header looks like, for the error message: the rows
    that hold something, by number only (their contents may be names, phones, ID numbers)."""
    seen = []
    for i in range(min(_SCAN_ROWS, cells.shape[0])):
        n = sum(1 for v in cells[i] if _cell_text(v) or (v != "" and v is not None))
        if n:
            seen.append(f"第 {i + 1} 行 ({n} 格)")
        if len(seen) >= 3:
            break
    found = "、".join(seen) if seen else "(前 40 行都是空的)"
    return (
        f"有内容的行: {found}, 但没有一行像表头 (至少两个可识别的列名, 例如 登记日期、信访人、"
        "反映问题、内容分类), 各列的内容也认不出日期和反映问题 (可在 data/synonyms.csv 或 "
        "synonyms= 里补充同义词, 或用 mapping= 指定)"
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
