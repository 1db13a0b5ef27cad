"""Fast character n-gram TF-IDF for many short Chinese texts, vectorised with numpy.

The texts are joined into one array of code points; normalisation works on the code points
(full-width forms to ASCII, upper to lower case, punctuation / spaces / symbols dropped, each run
of digits to one "0"), then every 2- and 3-gram is packed into one integer. The weights are
those of scikit-learn's ``TfidfVectorizer(analyzer="char", ngram_range=(2, 3),
sublinear_tf=True)``: (1 + log tf) x (log((1 + n) / (1 + df)) + 1), rows L2-normalised.
No Python loop runs per text, so a million summaries take seconds.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse

_SEP = 1  # code point that separates texts (U+0001 never survives normalisation)
_ZERO = ord("0")


@lru_cache(maxsize=1)
def _drop_table() -> np.ndarray:
    """True for code points dropped before comparing: punctuation, separators, symbols, controls."""
    table = np.zeros(0x110000, dtype=bool)
    for cp in range(0x10000):  # the BMP covers Chinese text; others are kept
        if unicodedata.category(chr(cp))[0] in "PZSC":
            table[cp] = True
    table[_SEP] = False
    return table


def _codes(texts) -> np.ndarray:
    parts = ["" if t is None or t != t else str(t) for t in texts]
    if not parts:
        return np.zeros(0, dtype=np.int64)
    joined = "\x01".join(parts) + "\x01"
    return np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


def normalized_codes(texts) -> tuple[np.ndarray, np.ndarray]:
    """Normalised code points of all texts, each followed by a separator, and each text's row."""
    c = _codes(texts)
    full = (c >= 0xFF01) & (c <= 0xFF5E)  # full-width ASCII forms
    c = np.where(full, c - 0xFEE0, c)
    c = np.where(c == 0x3000, 0x20, c)  # ideographic space
    upper = (c >= 65) & (c <= 90)
    c = np.where(upper, c + 32, c)
    c = c[~_drop_table()[c]]
    digit = (c >= 48) & (c <= 57)
    prev_digit = np.r_[False, digit[:-1]]
    c = c[~(digit & prev_digit)]
    c = np.where((c >= 48) & (c <= 57), _ZERO, c)
    sep = c == _SEP
    rows = np.cumsum(sep) - sep  # the row of every position (separator belongs to its text)
    return c, rows


_BITS = 22  # 4M hashed n-gram columns: collisions are rare for summaries of one office
_MULT = np.uint64(0x9E3779B97F4A7C15)


def _grams(c: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every 2- and 3-gram of normalised code points: packed gram, its text's row, hashed column."""
    ok2 = (c[:-1] != _SEP) & (c[1:] != _SEP)
    bi = (c[:-1] << 21 | c[1:])[ok2]
    ok3 = ok2[:-1] & ok2[1:]
    tri = (c[:-2] << 42 | c[1:-1] << 21 | c[2:])[ok3]
    grams = np.concatenate([bi, tri]).astype(np.uint64)
    gram_rows = np.concatenate([rows[:-1][ok2], rows[:-2][ok3]])
    col = (grams * _MULT) >> np.uint64(64 - _BITS)
    return grams, gram_rows, col


def hashed_counts(texts) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The raw n-gram counts of ``texts`` (normalised as :func:`tfidf_matrix` does): one entry
    per distinct (text, hashed column), sorted by text then column: text row, column, count and
    the packed gram of the column (see :func:`decode`). For weighting new texts with the idf of
    a corpus fitted before (``analysis.PrecedentIndex``)."""
    c, rows = normalized_codes(texts)
    if len(c) == 0:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty, empty
    grams, gram_rows, col = _grams(c, rows)
    key = gram_rows.astype(np.int64) << _BITS | col.astype(np.int64)
    ukey, first, tf = np.unique(key, return_index=True, return_counts=True)
    return ukey >> _BITS, ukey & ((1 << _BITS) - 1), tf, grams[first].astype(np.int64)


def _tfidf_unique(
    texts: list[str], *, with_grams: bool = False
) -> tuple[sparse.csr_matrix, np.ndarray]:
    c, rows = normalized_codes(texts)
    n = len(texts)
    grams, gram_rows, col = _grams(c, rows)
    if len(grams) == 0:
        return sparse.csr_matrix((n, 1 << _BITS), dtype=np.float32), np.zeros(0, np.int64)
    gram_of = np.zeros((2, 0), np.int64)
    if with_grams:  # one gram per hashed column, to decode keywords
        hashed, first = np.unique(col, return_index=True)
        gram_of = np.stack([hashed.astype(np.int64), grams[first].astype(np.int64)])
    key = gram_rows.astype(np.int64) << _BITS | col.astype(np.int64)
    ukey, tf = np.unique(key, return_counts=True)
    r = ukey >> _BITS
    col = ukey & ((1 << _BITS) - 1)
    if len(col) > (1 << 20):  # counting is cheaper than sorting on big inputs
        idf = np.log((1 + n) / (1 + np.bincount(col, minlength=1 << _BITS)[col])) + 1
    else:
        _, col_index, df = np.unique(col, return_inverse=True, return_counts=True)
        idf = np.log((1 + n) / (1 + df[col_index])) + 1
    data = (1 + np.log(tf)) * idf
    norms = np.sqrt(np.bincount(r, weights=data**2, minlength=n))
    data = (data / norms[r]).astype(np.float32)
    indptr = np.r_[0, np.cumsum(np.bincount(r, minlength=n))]
    return sparse.csr_matrix((data, col, indptr), shape=(n, 1 << _BITS)), gram_of


def tfidf_matrix(texts, *, with_grams: bool = False):
    """L2-normalised TF-IDF rows (2- and 3-grams) and the normalised length of every text.

    Identical texts are vectorised once (idf counts distinct normalised texts, as scikit-learn
    does when fitted on distinct texts); n-grams are hashed into 4M columns. With
    ``with_grams=True`` a third value maps hashed columns to gram codes (see :func:`decode`).
    """
    matrix, lengths, index, gram_of = tfidf_distinct(texts, with_grams=with_grams)
    if with_grams:
        return matrix[index], lengths[index], gram_of
    return matrix[index], lengths[index]


def tfidf_distinct(
    texts, *, with_grams: bool = False
) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`tfidf_matrix` before its rows are copied out to every text: the rows and lengths
    of the distinct normalised texts, the distinct text of each text (``matrix[index]`` is
    ``tfidf_matrix(texts)``), and the gram codes (none without ``with_grams``)."""
    raw = [t if isinstance(t, str) else "" if pd.isna(t) else str(t) for t in texts]
    raw_codes, raw_uniques = _factorize(raw)
    norm = normalized_texts(raw_uniques)
    norm_codes, norm_uniques = _factorize(norm)
    matrix, gram_of = _tfidf_unique(norm_uniques, with_grams=with_grams)
    lengths = np.fromiter((len(t) for t in norm_uniques), dtype=np.int64, count=len(norm_uniques))
    return matrix, lengths, norm_codes[raw_codes], gram_of


def decode(code: int) -> str:
    """The characters of a packed 2- or 3-gram code."""
    mask = (1 << 21) - 1
    chars = [(code >> 42) & mask, (code >> 21) & mask, code & mask]
    return "".join(chr(c) for c in chars if c)


def _factorize(values: list[str]) -> tuple[np.ndarray, list[str]]:
    import pandas as pd

    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    return codes, list(uniques)


def normalized_texts(texts) -> list[str]:
    """The normalised texts themselves (for keywords and display of what was compared)."""
    c, _ = normalized_codes(texts)
    if len(c) == 0:
        return []
    joined = c.astype(np.uint32).tobytes().decode("utf-32-le")
    return joined.split("\x01")[:-1]
