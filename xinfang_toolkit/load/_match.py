"""Scored matching of header text to canonical columns.

A header is matched, in this order, by: a hand-made mapping (``人工指定``, 100); an exact entry of
the synonym table (``同义词``, 100, also after dropping a note in brackets); then approximately
(``近似``): a synonym contained in the header (scored by how much of the header it covers, more
when it ends the header, as Chinese heads do: 反映主要问题 ends with 主要问题), a fuzzy similarity
to a synonym (rapidfuzz ``fuzz.ratio``), and the cue words of ``data/header_cues.csv`` (时间 with
收件 -> received_date). An approximate match counts only at :data:`THRESHOLD` or above.
Headers naming the accused (被反映人, 被举报人, 被检举人 ...) never map to the petitioner's columns.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from .._datafile import data_file, read_text
from ..clean import fold_width

SYNONYM = "同义词"
APPROX = "近似"
MANUAL = "人工指定"
NONE = "未识别"

#: an approximate match below this score maps to nothing
THRESHOLD = 80.0
#: score of a cue-word match (just at the threshold: any better evidence wins)
CUE_SCORE = 80.0
#: fuzzy similarity needed (rapidfuzz ratio, 0-100) for a header of 4 characters or more
FUZZY_MIN = 85.0
#: headers longer than this are not matched approximately (they are sentences, not headers)
MAX_APPROX_LEN = 14

#: words naming the person complained about: such a header is never the petitioner
ACCUSED = re.compile(r"被(?:反映|举报|检举|投诉|控告|信访|诉|告)")
#: the petitioner's personal columns, which a header about the accused may not map to
PERSON_COLUMNS = frozenset({"petitioner", "id_number", "phone", "address", "account_id"})
#: words of headers about a person's particulars that map to nothing unless listed exactly
_NEVER_APPROX = ("出生", "生日", "年龄", "性别", "民族", "职务", "职级", "职业", "籍贯", "文化程度")

_PAREN = re.compile(r"[(（\[【].*?[)）\]】]")
_TRAILING_NOTE = re.compile(r"[(（\[【][^(（\[【]*?[)）\]】]$")
_STRIP = re.compile(r"[\s*＊:：、.。]+")


def header_key(text: object) -> str:
    """Normalise header text for lookup: width folded, no whitespace/line breaks, lower case."""
    if not isinstance(text, str):
        if text is None or (isinstance(text, float) and text != text):
            return ""
        text = str(text)
    return _STRIP.sub("", fold_width(text)).lower()


@dataclass(frozen=True)
class Match:
    """How one header was matched: canonical column (None if none), how, score (0-100)."""

    canonical: str | None
    how: str
    score: float
    via: str = ""  # the synonym or cue that matched


UNMATCHED = Match(None, NONE, 0.0)


@dataclass(frozen=True)
class Cue:
    canonical: str
    need: tuple[str, ...]
    with_: tuple[str, ...]
    without: tuple[str, ...]


def _words(cell: str) -> tuple[str, ...]:
    return tuple(header_key(w) for w in cell.split("|") if w.strip())


@lru_cache(maxsize=1)
def default_cues() -> tuple[Cue, ...]:
    """The packaged cue words (data/header_cues.csv)."""
    text = read_text(data_file("header_cues.csv"))
    rows = csv.reader(line for line in text.splitlines() if line.strip() and line[0] != "#")
    cues = []
    for n, row in enumerate(rows):
        if n == 0 and row[:1] == ["canonical"]:
            continue
        row = (row + ["", "", ""])[:4]
        cues.append(Cue(row[0].strip(), _words(row[1]), _words(row[2]), _words(row[3])))
    return tuple(cues)


class HeaderMatcher:
    """Matches header texts against a synonym table, hand-made entries and cue words.

    ``table``: normalised header -> canonical (see ``_header.build_synonyms``); ``manual``:
    normalised header -> canonical, or None to keep a header unmapped on purpose. Results are
    cached per header key (one matcher per load, nothing global).
    """

    def __init__(
        self,
        table: Mapping[str, str],
        manual: Mapping[str, str | None] | None = None,
        cues: tuple[Cue, ...] | None = None,
    ) -> None:
        self.table = dict(table)
        self.manual = dict(manual or {})
        self.cues = default_cues() if cues is None else cues
        self._keys = list(self.table)
        self._contained = sorted((k for k in self._keys if len(k) >= 2), key=len, reverse=True)
        self._without = {c.canonical: c.without for c in self.cues}
        self._cache: dict[str, Match] = {}

    def with_manual(self, manual: Mapping[str, str | None]) -> HeaderMatcher:
        """A matcher with more hand-made entries (e.g. a layout profile) on top of this one's."""
        return HeaderMatcher(self.table, {**self.manual, **manual}, self.cues)

    def exact(self, text: object) -> str | None:
        """The canonical column of a hand-made or exact synonym entry (no approximation)."""
        m = self.match(text)
        return m.canonical if m.how in (SYNONYM, MANUAL) else None

    def match(self, text: object) -> Match:
        key = header_key(text)
        if not key:
            return UNMATCHED
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._match(key)
        return found

    def _allowed(self, canonical: str, key: str) -> bool:
        if canonical in PERSON_COLUMNS and ACCUSED.search(key):
            return False
        return not any(w and w in key for w in self._without.get(canonical, ()))

    def _match(self, key: str) -> Match:
        bare = header_key(_PAREN.sub("", key))
        candidates = [key]
        while (shorter := _TRAILING_NOTE.sub("", candidates[-1])) != candidates[-1] and shorter:
            candidates.append(shorter)  # 镇(街道)(必填) -> 镇(街道)
        candidates.append(bare)
        for k in candidates:
            if k in self.manual:
                target = self.manual[k]
                return Match(target or None, MANUAL, 100.0, k)
        for k in candidates:
            if k in self.table:
                return Match(self.table[k], SYNONYM, 100.0, k)
        key = bare or key
        if len(key) > MAX_APPROX_LEN or any(w in key for w in _NEVER_APPROX):
            return UNMATCHED
        best = UNMATCHED
        for syn in self._contained:  # a synonym inside the header, best at its end
            if len(syn) >= len(key) or syn not in key:
                continue
            target = self.table[syn]
            score = 60.0 + 30.0 * len(syn) / len(key) + (10.0 if key.endswith(syn) else 0.0)
            if score > best.score and self._allowed(target, key):
                best = Match(target, APPROX, round(min(score, 95.0), 1), syn)
        if len(key) >= 4:
            for syn, score, _i in process.extract(
                key, self._keys, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN, limit=3
            ):
                target = self.table[syn]
                if score > best.score and self._allowed(target, key):
                    best = Match(target, APPROX, round(float(score), 1), syn)
                    break
        if best.score < CUE_SCORE:
            for cue in self.cues:
                if (
                    any(w in key for w in cue.need)
                    and (not cue.with_ or any(w in key for w in cue.with_))
                    and self._allowed(cue.canonical, key)
                ):
                    best = Match(cue.canonical, APPROX, CUE_SCORE, "提示词")
                    break
        return best if best.score >= THRESHOLD else UNMATCHED
