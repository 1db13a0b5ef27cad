"""Text normalisation and character n-gram vectors for comparing summaries."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_DROP = re.compile(r"[\W_]+", re.UNICODE)


def normalize_summary(text: object) -> str:
    """Width-folded, lower-case text without spaces or punctuation; every number becomes "0"."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    s = unicodedata.normalize("NFKC", str(text)).lower()
    s = _DIGITS.sub("0", s)
    return _DROP.sub("", s)


def normalize_series(texts: pd.Series) -> pd.Series:
    """normalize_summary over a Series, computed once per distinct text."""
    values = texts.astype("object").where(texts.notna(), "")
    uniques = pd.unique(values.to_numpy())
    mapping = {u: normalize_summary(u) for u in uniques}
    return values.map(mapping)


def tfidf_rows(texts: pd.Series, *, ngram_range: tuple[int, int] = (2, 3)) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows of character n-grams, one per text (fitted on distinct texts).

    Empty texts get an all-zero row, so they are similar to nothing.
    """
    values = texts.to_numpy(dtype=object)
    uniques, inverse = np.unique(values, return_inverse=True)
    if len(uniques) == 0 or all(len(u) < ngram_range[0] for u in uniques):
        return sparse.csr_matrix((len(values), 1), dtype=np.float32)
    vec = TfidfVectorizer(
        analyzer="char", ngram_range=ngram_range, dtype=np.float32, sublinear_tf=True, norm="l2"
    )
    matrix = vec.fit_transform(uniques)
    return matrix[inverse].tocsr()


def pair_similarity(
    matrix: sparse.csr_matrix, left: np.ndarray, right: np.ndarray, *, chunk: int = 200_000
) -> np.ndarray:
    """Cosine similarity of rows ``left[k]`` and ``right[k]`` of an L2-normalised matrix."""
    out = np.empty(len(left), dtype=np.float32)
    for start in range(0, len(left), chunk):
        a = matrix[left[start : start + chunk]]
        b = matrix[right[start : start + chunk]]
        out[start : start + chunk] = np.asarray(a.multiply(b).sum(axis=1)).ravel()
    return out


def block_pairs(block_starts: np.ndarray, block_sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All (i, j) with i < j inside each block of consecutive positions, vectorised."""
    sizes = block_sizes.astype(np.int64)
    pos = np.arange(sizes.sum(), dtype=np.int64)
    ends = np.repeat(block_starts.astype(np.int64) + sizes, sizes)
    starts_pos = np.repeat(block_starts.astype(np.int64), sizes)
    pos = starts_pos + (pos - np.repeat(np.cumsum(sizes) - sizes, sizes))
    later = ends - pos - 1  # how many later rows in the same block
    total = int(later.sum())
    left = np.repeat(pos, later)
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(later) - later, later)
    right = left + 1 + offsets
    return left, right
