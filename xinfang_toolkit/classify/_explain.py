"""The evidence of a TextClassifier's answer: the character n-grams that pushed a text most
towards its label, joined into phrases where they overlap in the text."""

from __future__ import annotations

import re

import numpy as np

__all__ = ["phrases", "strongest_phrases", "wordlike"]

#: n-grams worth showing as evidence: Chinese characters or letters only
_WORDLIKE = re.compile(r"[\u3400-\u9fffa-z]+")


def wordlike(names: np.ndarray) -> np.ndarray:
    """True for feature names worth showing: two characters or more, Chinese or letters."""
    return np.fromiter(
        (len(g) >= 2 and _WORDLIKE.fullmatch(g) is not None for g in names),
        dtype=bool,
        count=len(names),
    )


def _spans(text: str, grams: list[str]) -> list[list[int]]:
    """Where the grams are in the text, each [start, end, rank]; a gram overlapping an earlier
    span grows it."""
    spans: list[list[int]] = []
    for rank, gram in enumerate(grams):
        start = text.find(gram)
        if start < 0:
            continue
        end = start + len(gram)
        for span in spans:
            if start < span[1] and span[0] < end:  # overlaps: grow the phrase
                span[0], span[1] = min(span[0], start), max(span[1], end)
                break
        else:
            spans.append([start, end, rank])
    return spans


def phrases(text: str, grams: list[str], top: int) -> str:
    """Join the strongest n-grams that overlap in the text into phrases (耕还 + 还林 -> 耕还林).

    ``grams`` are ordered strongest first; the phrases keep the rank of their strongest n-gram.
    """
    merged: list[list[int]] = []
    for span in sorted(_spans(text, grams)):
        if merged and span[0] < merged[-1][1]:
            last = merged[-1]
            last[1], last[2] = max(last[1], span[1]), min(last[2], span[2])
        else:
            merged.append(span)
    best = sorted(merged, key=lambda s: s[2])[:top]
    return "、".join(text[s:e] for s, e, _ in best)


def strongest_phrases(
    x, coef: np.ndarray, label_rows: np.ndarray, names: np.ndarray, shown: np.ndarray, texts, top
) -> list[str]:
    """For each row of the n-gram matrix ``x``: the ``top`` phrases of the text (``texts``,
    preprocessed) made of the n-grams whose weight x coefficient of the row's label (its row
    of ``coef``; -1: none) is largest and positive; only n-grams marked ``shown`` count."""
    n = len(texts)
    rows = np.repeat(np.arange(n), np.diff(x.indptr))
    ok = (label_rows[rows] >= 0) & shown[x.indices]
    rows, cols = rows[ok], x.indices[ok]
    contribution = x.data[ok] * coef[label_rows[rows], cols]
    positive = contribution > 0
    rows, cols, contribution = rows[positive], cols[positive], contribution[positive]
    order = np.lexsort((-contribution, rows))  # by text, strongest first
    rows, cols = rows[order], cols[order]
    bounds = np.searchsorted(rows, np.arange(n + 1))
    out = []
    for r in range(n):
        candidates = cols[bounds[r] : min(bounds[r + 1], bounds[r] + 4 * top)]
        out.append(phrases(texts[r], [names[c] for c in candidates], top))
    return out
