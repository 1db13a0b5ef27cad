"""Keyword rules: one Aho-Corasick automaton over every keyword of the taxonomy.

Each distinct text is scanned once (leftmost-longest, non-overlapping matches); the scores of all
texts are then computed together with sparse matrix products, so a million summaries take
seconds rather than a Python loop of regular expressions per case.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain
from typing import TYPE_CHECKING

import ahocorasick
import numpy as np
import pandas as pd
from scipy import sparse

from .._base.text import fold_width, fold_width_same_length
from ..schema import UNCLASSIFIED

if TYPE_CHECKING:  # pragma: no cover
    from ._taxonomy import Taxonomy

__all__ = ["KeywordMatcher", "keyword_weight"]

_CHUNK = 100_000


def keyword_weight(word: str) -> float:
    """2 characters (or fewer) 1 point, 3 characters 1.5, 4 or more 2 (see taxonomy.yaml)."""
    n = len(word)
    return 1.0 if n <= 2 else (1.5 if n == 3 else 2.0)


# Line breaks separate the texts of a chunk scanned as one string, so inside a text they become
# spaces.
_SEP = "\n"


def _prep(text: str) -> str:
    """Normalise one text or a whole joined chunk (fast: C-level scans, rare substitutions):
    full-width letters, digits and spaces folded one for one, lower case."""
    return fold_width_same_length(text).lower()


def _prep_word(word: str) -> str:
    return _prep(fold_width(word))


# pyahocorasick looks a character up among a node's children one by one, and the root has a
# child for every distinct first character of a keyword (hundreds). So before scanning, every
# character that occurs in no keyword becomes _OTHER, the root's first child (a dead end: its
# only child _NEVER never occurs), and keywords are added most common first character first.
_OTHER, _NEVER = "\x02", "\x03"


def _char_frequency(words: list[str]) -> dict[str, int]:
    """How many keywords each character occurs in: a character shared by many keywords (村, 工,
    费) is a common character of complaint text too, so its branch is tried first."""
    return dict(Counter(ch for w in words for ch in set(w)))


def _automaton(words: list[str], freq: dict[str, int]) -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    auto.add_word(_OTHER + _NEVER, -1)
    order = sorted(range(len(words)), key=lambda i: -freq.get(words[i][:1], 0))
    for i in order:
        auto.add_word(words[i], i)
    auto.make_automaton()
    return auto


class KeywordMatcher:
    """Compiled form of a :class:`Taxonomy` for fast matching (built by ``Taxonomy.matcher``)."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.classes = list(taxonomy.names)
        words: dict[str, int] = {}

        def wid(w: str) -> int:
            return words.setdefault(_prep_word(w), len(words))

        entries, neg_entries, l2_entries = [], [], []
        self.level2_names: list[str] = []
        self.level2_parent: list[int] = []
        for ci, c in enumerate(taxonomy.classes):
            context = set(c.context)
            for w in c.all_keywords():
                if w not in context:
                    entries.append((wid(w), ci, keyword_weight(w)))
            for w in c.context:  # half weight: the setting of a message, not its problem
                entries.append((wid(w), ci, 0.5 * keyword_weight(w)))
            for w in c.negative:
                neg_entries.append((wid(w), ci))
            for child, kws in c.children.items():
                li = len(self.level2_names)
                self.level2_names.append(child)
                self.level2_parent.append(ci)
                for w in kws:
                    l2_entries.append((wid(w), li, keyword_weight(w)))
        self.words = list(words)
        nw, nc, nl = len(self.words), len(self.classes), len(self.level2_names)
        self.W = _dense(entries, (nw, nc))
        self.N = _dense([(w, c, 1.0) for w, c in neg_entries], (nw, nc))
        self.W2 = _dense(l2_entries, (nw, nl))
        self.level2_parent_arr = np.asarray(self.level2_parent, dtype=np.int64)
        freq = _char_frequency(self.words)
        self.auto = _automaton(self.words, freq)

        mwords: dict[str, int] = {}
        for r in taxonomy.matter_rules:
            for w in r.keywords + r.unless:
                mwords.setdefault(_prep_word(w), len(mwords))
        self.matter_names = [r.name for r in taxonomy.matter_rules]
        nm, nr = len(mwords), len(self.matter_names)
        self.MK = _dense(
            [
                (mwords[_prep_word(w)], i, 1.0)
                for i, r in enumerate(taxonomy.matter_rules)
                for w in r.keywords
            ],
            (nm, nr),
        )
        self.MU = _dense(
            [
                (mwords[_prep_word(w)], i, 1.0)
                for i, r in enumerate(taxonomy.matter_rules)
                for w in r.unless
            ],
            (nm, nr),
        )
        self.matter_auto = _automaton(list(mwords), freq)
        self.keep = np.zeros(0x110000, dtype=bool)  # characters that occur in some keyword
        for w in self.words + list(mwords):
            self.keep[[ord(c) for c in w]] = True
        self.n_matter_words = nm
        self.default_matter_type = taxonomy.default_matter_type

    # --- scanning -----------------------------------------------------------------------------
    @staticmethod
    def _scan(
        auto, big: str, starts: np.ndarray, n_texts: int, n_words: int
    ) -> tuple[np.ndarray, np.ndarray, sparse.csr_matrix]:
        """Scan a chunk joined into one string (texts separated by a line break) in one pass.

        Returns, for each text, its distinct matched word ids in order of appearance (as
        ``indptr``/``ids`` arrays) and the text x word 0/1 matrix.
        """
        if len(auto) and big:
            pairs = chain.from_iterable(auto.iter_long(big))  # end, id, end, id, ...
            found = np.fromiter(pairs, dtype=np.int64).reshape(-1, 2)
        else:
            found = np.zeros((0, 2), dtype=np.int64)
        doc = np.searchsorted(starts, found[:, 0], side="right") - 1
        key = doc * n_words + found[:, 1]
        uniq, first = np.unique(key, return_index=True)
        uniq = uniq[np.argsort(first, kind="stable")]  # text-major, then order of appearance
        docs, ids = uniq // max(n_words, 1), uniq % max(n_words, 1)
        indptr = np.zeros(n_texts + 1, dtype=np.int64)
        np.cumsum(np.bincount(docs, minlength=n_texts), out=indptr[1:])
        m = sparse.csr_matrix(
            (np.ones(len(ids)), ids, indptr), shape=(n_texts, n_words), dtype=np.float64
        )
        return indptr, ids, m

    def match(self, texts: list[str], *, n_jobs: int = 1) -> pd.DataFrame:
        """Classify distinct texts (plain ``str``, "" for missing).

        Returns one row per text: level1, level2, confidence, evidence, matter_type. Texts that
        match nothing get level1 = 未分类 and confidence 0. With ``n_jobs`` > 1 and more than
        two chunks of texts, chunks are matched in that many worker processes.
        """
        chunks = [texts[i : i + _CHUNK] for i in range(0, max(len(texts), 1), _CHUNK)]
        if n_jobs > 1 and len(chunks) > 2:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=n_jobs) as pool:
                parts = list(pool.map(self._match_chunk, chunks))
        else:
            parts = [self._match_chunk(c) for c in chunks]
        return pd.concat(parts, ignore_index=True)

    def class_scores(self, texts: list[str]) -> np.ndarray:
        """Keyword score of every text for every class (``classes`` order), exclusions applied:
        the numbers :meth:`match` ranks, as features for the text model."""
        parts = [
            self._scores(*self._prepare(texts[i : i + _CHUNK]))[0]
            for i in range(0, len(texts), _CHUNK)
        ]
        return np.vstack(parts) if parts else np.zeros((0, len(self.classes)))

    def _prepare(self, texts: list[str]) -> tuple[str, np.ndarray, int]:
        """The chunk joined into one normalised string, each text's start, the text count."""
        n = len(texts)
        clean = [x.replace("\n", " ").replace("\r", " ") for x in texts]
        big = _prep(_SEP.join(clean))
        if len(big) != sum(len(x) for x in clean) + max(n - 1, 0):
            # a rare character whose lower case is longer: normalise text by text instead
            clean = [_prep(x) for x in clean]
            big = _SEP.join(clean)
        cp = np.frombuffer(big.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).copy()
        cp[~self.keep[cp]] = ord(_OTHER)  # same length: offsets stay valid
        big = cp.tobytes().decode("utf-32-le")
        lengths = np.fromiter((len(x) + 1 for x in clean), dtype=np.int64, count=n)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if n else np.zeros(0, np.int64)
        return big, starts, n

    def _scores(self, big: str, starts: np.ndarray, n: int):
        indptr, ids, m = self._scan(self.auto, big, starts, n, len(self.words))
        scores = np.asarray(m @ self.W) if n else np.zeros((0, len(self.classes)))
        if self.N.any() and n:
            scores[np.asarray(m @ self.N) > 0] = 0.0
        return scores, indptr, ids, m

    def _match_chunk(self, texts: list[str]) -> pd.DataFrame:
        big, starts, n = self._prepare(texts)
        scores, indptr, ids, m = self._scores(big, starts, n)
        best = scores.argmax(axis=1) if scores.shape[1] else np.zeros(n, dtype=np.int64)
        top = scores[np.arange(n), best] if scores.shape[1] else np.zeros(n)
        total = scores.sum(axis=1)
        hit = top > 0
        conf = np.zeros(n)
        conf[hit] = top[hit] / total[hit] * (1.0 - np.exp(-top[hit]))

        level1 = np.full(n, UNCLASSIFIED, dtype=object)
        names = np.asarray(self.classes, dtype=object)
        level1[hit] = names[best[hit]]

        level2 = np.full(n, None, dtype=object)
        if len(self.level2_names) and n:
            s2 = np.asarray(m @ self.W2)
            s2[self.level2_parent_arr[None, :] != best[:, None]] = 0.0
            b2 = s2.argmax(axis=1)
            ok = hit & (s2[np.arange(n), b2] > 0)
            level2[ok] = np.asarray(self.level2_names, dtype=object)[b2[ok]]

        evidence = np.full(n, "", dtype=object)
        if len(ids):
            docs = np.repeat(np.arange(n), np.diff(indptr))
            keep = self.W[ids, best[docs]] > 0  # words of the winning class, in text order
            kd, kw = docs[keep], ids[keep]
            bounds = np.searchsorted(kd, np.arange(n + 1))
            words = np.asarray(self.words, dtype=object)
            for i in np.flatnonzero(hit):
                evidence[i] = "、".join(words[kw[bounds[i] : bounds[i + 1]]])

        matter = np.full(n, None, dtype=object)
        if self.matter_names and n:
            _, _, mm = self._scan(self.matter_auto, big, starts, n, self.n_matter_words)
            fire = (np.asarray(mm @ self.MK) > 0) & ~(np.asarray(mm @ self.MU) > 0)
            anyfire = fire.any(axis=1)
            first = fire.argmax(axis=1)
            matter[anyfire] = np.asarray(self.matter_names, dtype=object)[first[anyfire]]
            rest = ~anyfire
        else:
            rest = np.ones(n, dtype=bool)
        if self.default_matter_type:
            nonempty = np.fromiter((bool(t and t.strip()) for t in texts), dtype=bool, count=n)
            matter[rest & nonempty] = self.default_matter_type

        return pd.DataFrame(
            {
                "level1": level1,
                "level2": level2,
                "confidence": conf,
                "evidence": evidence,
                "matter_type": matter,
            }
        )


def _dense(entries, shape) -> np.ndarray:
    """(row, col, value) triples -> dense matrix keeping the largest value per cell."""
    out = np.zeros(shape, dtype=np.float64)
    for r, c, v in entries:
        if v > out[r, c]:
            out[r, c] = v
    return out
