"""Pair helpers for comparing rows of an n-gram matrix inside blocks (no all-pairs)."""

from __future__ import annotations

import numpy as np
from scipy import sparse


def pair_similarity(
    matrix: sparse.csr_matrix, left: np.ndarray, right: np.ndarray, *, chunk: int = 200_000
) -> np.ndarray:
    """Cosine similarity of rows ``left[k]`` and ``right[k]`` of an L2-normalised matrix.

    Each distinct pair of rows is computed once (a person's summaries often repeat word for
    word): the product of two rows is the same whichever comes first."""
    lo = np.minimum(left, right).astype(np.int64)
    hi = np.maximum(left, right).astype(np.int64)
    pairs, inverse = np.unique(lo * matrix.shape[0] + hi, return_inverse=True)
    a, b = np.divmod(pairs, max(matrix.shape[0], 1))
    out = np.empty(len(pairs), dtype=np.float32)
    for start in range(0, len(pairs), chunk):
        rows_a = matrix[a[start : start + chunk]]
        rows_b = matrix[b[start : start + chunk]]
        out[start : start + chunk] = np.asarray(rows_a.multiply(rows_b).sum(axis=1)).ravel()
    return out[inverse.ravel()]


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
