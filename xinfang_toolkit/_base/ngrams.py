"""Character n-gram TF-IDF of many short Chinese texts, vectorised with numpy: the one engine.

Texts are joined into one array of code points (NUL between texts); normalisation works on the
code points (full-width forms to ASCII, upper to lower case, each run of digits to one "0", some
code points dropped); every n-gram of one to three characters is packed into one integer, 21 bits
per code point (``a << 42 | b << 21 | c``: code points inside a gram are never 0, so grams of
different lengths never share a code, and :func:`decode` reads any of them back). The weights
are scikit-learn's smoothed TF-IDF: tf (or 1 + log tf, "sublinear") x (log((1 + n) / (1 + df))
+ 1), rows L2-normalised. No Python loop runs per text or per n-gram, so a million summaries take
seconds.

Two front ends share the engine:

- **comparing summaries** (hotspots, repeat chains, 类案 precedents): punctuation, spaces,
  symbols and controls are dropped, then each run of digits becomes "0" (``"1,000"`` -> "0");
  2- and 3-grams are hashed into 4M columns (:func:`tfidf_matrix`, :func:`tfidf_distinct`,
  :func:`hashed_counts`, :func:`hashed_columns`, :func:`normalized_texts`). The weights are
  those of ``TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True)``.
- **the text classifier's vocabulary**: only whitespace is dropped, after each run of digits
  became "0" (``"1 2"`` -> "00"; punctuation is kept); n-grams of a chosen range within 1-3 are
  looked up in a vocabulary learned from the training texts (:func:`fit_vocabulary`,
  :class:`VocabularyIndex`, and :func:`vocabulary_text` for one string). The weights are those of
  ``TfidfVectorizer(analyzer="char")`` fitted on the texts so preprocessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse

_SEPARATOR = 0  # code point between texts (a NUL inside a text is replaced by a space first)
_FIELD = 21  # bits per code point in a packed gram: three code points fit in one uint64
_FIELD_MASK = (1 << _FIELD) - 1
_ZERO = ord("0")

#: every code point for which str.isspace() is true (what the regex \s matches)
_WHITESPACE = (9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 133, 160, 5760, *range(8192, 8203),
               8232, 8233, 8239, 8287, 12288)  # fmt: skip


# --- normalisation ------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _punctuation_table() -> np.ndarray:
    """True for code points dropped before comparing: punctuation, separators, symbols, controls."""
    table = np.zeros(0x110000, dtype=bool)
    for cp in range(0x10000):  # the BMP covers Chinese text; others are kept
        if unicodedata.category(chr(cp))[0] in "PZSC":
            table[cp] = True
    table[_SEPARATOR] = False
    return table


@lru_cache(maxsize=1)
def _whitespace_table() -> np.ndarray:
    """True for the whitespace code points the classifier's vocabulary drops."""
    table = np.zeros(0x110000, dtype=bool)
    table[list(_WHITESPACE)] = True
    return table


def _code_points(texts: Sequence[str]) -> np.ndarray:
    """The code points of ``texts``, each text followed by a separator."""
    if not texts:
        return np.zeros(0, dtype=np.int32)
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:  # a NUL inside a text would split it
        joined = "\x00".join(t.replace("\x00", " ") for t in texts)
    joined += "\x00"
    encoded = joined.encode("utf-32-le", "surrogatepass")
    return np.frombuffer(encoded, dtype=np.uint32).astype(np.int32)  # a copy, changed in place


def _folded(cp: np.ndarray) -> np.ndarray:
    """Full-width ASCII forms and the ideographic space to ASCII, A-Z to a-z (in place)."""
    cp[(cp >= 0xFF01) & (cp <= 0xFF5E)] -= 0xFEE0
    cp[cp == 0x3000] = 0x20
    cp[(cp >= 65) & (cp <= 90)] += 32
    return cp


def _one_zero_per_number(cp: np.ndarray) -> np.ndarray:
    """Each run of digits as one "0"."""
    digit = (cp >= 48) & (cp <= 57)
    cp = cp[~(digit & np.r_[False, digit[:-1]])]
    cp[(cp >= 48) & (cp <= 57)] = _ZERO
    return cp


def _normalized(texts: Sequence[str], *, comparing: bool) -> tuple[np.ndarray, np.ndarray]:
    """Normalised code points of all texts, each text followed by a separator, and the text
    (row) of every position (a separator belongs to the text before it).

    Comparing summaries drops punctuation, spaces, symbols and controls, then makes numbers of
    what is left (digits on either side of a dropped mark are one number); the vocabulary makes
    numbers first, then drops whitespace only."""
    cp = _folded(_code_points(texts))
    if comparing:
        cp = _one_zero_per_number(cp[~_punctuation_table()[cp]])
    else:
        cp = _one_zero_per_number(cp)
        cp = cp[~_whitespace_table()[cp]]
    separator = cp == _SEPARATOR
    return cp, np.cumsum(separator) - separator


def _texts(values) -> list[str]:
    """Values as texts: missing ones (None, NaN, NA) as ""."""
    return [v if isinstance(v, str) else "" if pd.isna(v) else str(v) for v in values]


def normalized_texts(texts) -> list[str]:
    """The texts as the comparison sees them (for keywords and display of what was compared)."""
    cp, _ = _normalized(_texts(texts), comparing=True)
    if len(cp) == 0:
        return []
    return cp.astype(np.uint32).tobytes().decode("utf-32-le").split("\x00")[:-1]


_DIGITS = re.compile(r"[0-9]+")
_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # full-width ASCII -> ASCII
_TABLE.update({cp: cp + 32 for cp in range(65, 91)})  # A-Z -> a-z
_TABLE.update({cp: cp - 0xFEE0 + 32 for cp in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ -> a-z
_TABLE.update(dict.fromkeys(_WHITESPACE, 32))
_TABLE[0] = 32


def vocabulary_text(text: str) -> str:
    """One text normalised as the vocabulary front end normalises arrays of texts: full-width
    letters/digits to half-width, A-Z to lower case, every run of digits to "0", whitespace
    removed."""
    return _DIGITS.sub("0", text.translate(_TABLE)).replace(" ", "")


# --- n-grams ------------------------------------------------------------------------------------
def _packed_grams(cp: np.ndarray, rows: np.ndarray, sizes: range) -> tuple[np.ndarray, np.ndarray]:
    """Every n-gram of the given sizes: packed code and its text's row, all grams of the
    smallest size first (each size in text order)."""
    fields = cp.astype(np.uint64)
    separator = cp == _SEPARATOR
    key = np.zeros(len(cp), dtype=np.uint64)
    crosses = np.zeros(len(cp), dtype=bool)  # the gram starting here spans two texts
    keys, owners = [], []
    for size in range(1, sizes.stop):
        m = len(cp) - size + 1
        if m <= 0:
            break
        key = (key[:m] << np.uint64(_FIELD)) | fields[size - 1 : size - 1 + m]
        crosses = crosses[:m] | separator[size - 1 : size - 1 + m]
        if size >= sizes.start:
            keys.append(key[~crosses])
            owners.append(rows[:m][~crosses])
    if not keys:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    return np.concatenate(keys), np.concatenate(owners)


def pack(gram: str) -> int:
    """The packed code of a gram of one to three characters."""
    code = 0
    for ch in gram:
        code = (code << _FIELD) | ord(ch)
    return code


def decode(code: int) -> str:
    """The characters of a packed 1-, 2- or 3-gram code."""
    chars = [(code >> 2 * _FIELD) & _FIELD_MASK, (code >> _FIELD) & _FIELD_MASK, code & _FIELD_MASK]
    return "".join(chr(c) for c in chars if c)


# --- weights ------------------------------------------------------------------------------------
def smoothed_idf(n_texts: int, df: np.ndarray) -> np.ndarray:
    """scikit-learn's smoothed idf: log((1 + n) / (1 + df)) + 1."""
    return np.log((1 + n_texts) / (1 + df)) + 1


def _count(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    """How often each (row, column) occurs: a CSR matrix of counts, each row's entries sorted
    by column (summed in a sparse matrix: cheaper than sorting all pairs)."""
    counts = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    counts.sum_duplicates()
    return counts


def _weighted(counts: sparse.csr_matrix, idf: np.ndarray, *, sublinear: bool) -> sparse.csr_matrix:
    """TF-IDF of a matrix of counts (``idf`` per entry), L2-normalised rows, float32.

    The squares are summed per row in the entries' order (as scikit-learn's ``normalize``)."""
    n_rows = counts.shape[0]
    rows = np.repeat(np.arange(n_rows), np.diff(counts.indptr))
    data = (1 + np.log(counts.data) if sublinear else counts.data) * idf
    norms = np.sqrt(np.bincount(rows, weights=data**2, minlength=n_rows))
    data = (data / norms[rows]).astype(np.float32)
    return sparse.csr_matrix((data, counts.indices, counts.indptr), shape=counts.shape)


# --- front end: comparing summaries (hashed 2-3-grams) -----------------------------------------
_HASH_BITS = 22  # 4M hashed n-gram columns: collisions are rare for summaries of one office
#: the number of hashed n-gram columns of the comparing front end
HASHED_COLUMNS = 1 << _HASH_BITS
_MULT = np.uint64(0x9E3779B97F4A7C15)
_COMPARED = range(2, 4)


def _hashed(codes: np.ndarray) -> np.ndarray:
    return ((codes * _MULT) >> np.uint64(64 - _HASH_BITS)).astype(np.int64)


def hashed_columns(grams: list[str]) -> np.ndarray:
    """The hashed column of each gram (as the comparing front end hashes them)."""
    codes = np.fromiter((pack(g) for g in grams), dtype=np.uint64, count=len(grams))
    return _hashed(codes)


def hashed_counts(texts) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The raw n-gram counts of ``texts`` (normalised as :func:`tfidf_matrix` does): one entry
    per distinct (text, hashed column), sorted by text then column: text row, column, count and
    the packed gram of the column (see :func:`decode`). For weighting new texts with the idf of
    a corpus fitted before (``analysis.PrecedentIndex``)."""
    cp, rows = _normalized(_texts(texts), comparing=True)
    grams, gram_rows = _packed_grams(cp, rows, _COMPARED)
    key = gram_rows.astype(np.int64) << _HASH_BITS | _hashed(grams)
    unique, first, tf = np.unique(key, return_index=True, return_counts=True)
    return unique >> _HASH_BITS, unique & (HASHED_COLUMNS - 1), tf, grams[first].astype(np.int64)


def _tfidf_unique(
    texts: list[str], *, with_grams: bool = False
) -> tuple[sparse.csr_matrix, np.ndarray]:
    n = len(texts)
    cp, rows = _normalized(texts, comparing=True)
    grams, gram_rows = _packed_grams(cp, rows, _COMPARED)
    if len(grams) == 0:
        return sparse.csr_matrix((n, HASHED_COLUMNS), dtype=np.float32), np.zeros(0, np.int64)
    col = _hashed(grams)
    gram_of = np.zeros((2, 0), np.int64)
    if with_grams:  # one gram per hashed column, to decode keywords
        hashed, first = np.unique(col, return_index=True)
        gram_of = np.stack([hashed, grams[first].astype(np.int64)])
    counts = _count(gram_rows, col, (n, HASHED_COLUMNS))
    col = counts.indices
    if len(col) > (1 << 20):  # counting is cheaper than sorting on big inputs
        df = np.bincount(col, minlength=HASHED_COLUMNS)[col]
    else:
        _, col_index, df_of = np.unique(col, return_inverse=True, return_counts=True)
        df = df_of[col_index]
    return _weighted(counts, smoothed_idf(n, df), sublinear=True), gram_of


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
    raw_codes, raw_uniques = _factorize(_texts(texts))
    norm_codes, norm_uniques = _factorize(normalized_texts(raw_uniques))
    matrix, gram_of = _tfidf_unique(norm_uniques, with_grams=with_grams)
    lengths = np.fromiter((len(t) for t in norm_uniques), dtype=np.int64, count=len(norm_uniques))
    return matrix, lengths, norm_codes[raw_codes], gram_of


def _factorize(values: list[str]) -> tuple[np.ndarray, list[str]]:
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    return codes, list(uniques)


# --- front end: the classifier's vocabulary (1-3-grams looked up) -------------------------------
_CHUNK = 50_000  # texts normalised at a time (bounds the memory of big inputs)


def usable_range(ngram_range) -> bool:
    """True when the vocabulary front end handles ``ngram_range`` (n-grams of 1-3 characters)."""
    return 1 <= ngram_range[0] <= ngram_range[1] <= 3


def _vocabulary_grams(texts: list[str], ngram_range) -> tuple[np.ndarray, np.ndarray]:
    """Every n-gram of ``texts`` in ``ngram_range``, normalised as :func:`vocabulary_text`
    does: packed code and text row, in chunks of texts."""
    sizes = range(ngram_range[0], ngram_range[1] + 1)
    keys, owners = [np.zeros(0, np.uint64)], [np.zeros(0, np.int64)]
    for start in range(0, len(texts), _CHUNK):
        cp, rows = _normalized(texts[start : start + _CHUNK], comparing=False)
        key, owner = _packed_grams(cp, rows, sizes)
        keys.append(key)
        owners.append(owner + start)
    return np.concatenate(keys), np.concatenate(owners)


def _chosen_terms(terms: list[str], df, total, *, min_df: int, max_features: int | None):
    """The term codes kept, in vocabulary order: terms sorted, ``min_df`` then ``max_features``
    by total count (as scikit-learn chooses them)."""
    keep = np.asarray(sorted(range(len(terms)), key=terms.__getitem__), dtype=np.int64)
    keep = keep[df[keep] >= min_df]
    if max_features is not None and len(keep) > max_features:
        keep = keep[np.sort(np.argsort(-total[keep], kind="stable")[:max_features])]
    return keep


def fit_vocabulary(
    texts: list[str],
    ngram_range,
    *,
    min_df: int = 1,
    max_features: int | None = None,
    sublinear: bool = False,
) -> tuple[dict[str, int], np.ndarray, sparse.csr_matrix]:
    """Vocabulary, smoothed idf and TF-IDF matrix of raw texts, as
    ``TfidfVectorizer(analyzer="char", sublinear_tf=sublinear)`` learns them from the texts
    normalised by :func:`vocabulary_text` (terms sorted, ``min_df`` then ``max_features`` by total
    count), computed in one pass on arrays of code points instead of a Python loop over n-grams.
    """
    key, owner = _vocabulary_grams(texts, ngram_range)
    code, uniq = pd.factorize(key, sort=False)
    n_terms = len(uniq)
    counts = _count(owner, code, (len(texts), n_terms))
    terms = [decode(int(k)) for k in uniq.tolist()]
    df = np.bincount(counts.indices, minlength=n_terms)
    keep = _chosen_terms(
        terms,
        df,
        np.bincount(code, minlength=n_terms),
        min_df=min_df,
        max_features=max_features,
    )
    vocabulary = {terms[t]: i for i, t in enumerate(keep.tolist())}
    idf = smoothed_idf(len(texts), df[keep].astype(np.float64))
    x = counts[:, keep]
    x.sort_indices()  # each row's entries in vocabulary order, as scikit-learn sums them
    return vocabulary, idf, _weighted(x, idf[x.indices], sublinear=sublinear)


class VocabularyIndex:
    """The TF-IDF matrix of raw texts over a fitted vocabulary (what a fitted
    ``TfidfVectorizer(analyzer="char")`` gives for the texts normalised by
    :func:`vocabulary_text`): each n-gram's packed code looked up in a hash index of the
    vocabulary. Same matrix, many times faster on big inputs."""

    def __init__(
        self, vocabulary: dict[str, int], idf: np.ndarray, ngram_range, *, sublinear: bool = False
    ) -> None:
        self.ngram_range = tuple(ngram_range)
        self.sublinear = sublinear
        self.n_features = len(idf)
        self.idf = np.asarray(idf, dtype=np.float64)
        terms = list(vocabulary)
        self.index = pd.Index(np.fromiter(map(pack, terms), dtype=np.uint64, count=len(terms)))
        self.columns = np.fromiter(map(vocabulary.__getitem__, terms), np.int64, len(terms))

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        """TF-IDF matrix of raw (not normalised) texts."""
        parts = [self._chunk(texts[i : i + _CHUNK]) for i in range(0, len(texts), _CHUNK)]
        if not parts:
            return sparse.csr_matrix((0, self.n_features), dtype=np.float32)
        return sparse.vstack(parts, format="csr")

    def _chunk(self, texts: list[str]) -> sparse.csr_matrix:
        key, owner = _vocabulary_grams(texts, self.ngram_range)
        position = self.index.get_indexer(key)
        known = position >= 0
        counts = _count(owner[known], self.columns[position[known]], (len(texts), self.n_features))
        return _weighted(counts, self.idf[counts.indices], sublinear=self.sublinear)
