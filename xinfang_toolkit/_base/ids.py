"""Resident ID numbers (GB 11643): the check character, for one ID or many at once."""

from __future__ import annotations

import numpy as np

__all__ = ["ID_CHECK", "ID_WEIGHTS", "id_check_digit", "id_check_digits"]

#: the weight of each of the first 17 digits (ISO 7064 MOD 11-2)
ID_WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
#: the check character for each remainder of the weighted sum modulo 11
ID_CHECK = "10X98765432"

_WEIGHT_ARRAY = np.array(ID_WEIGHTS, dtype=np.int64)
_CHECK_ARRAY = np.array(list(ID_CHECK))


def id_check_digit(first17: str) -> str:
    """The GB 11643 (ISO 7064 MOD 11-2) check character for the first 17 digits of an ID."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def id_check_digits(digits: np.ndarray) -> np.ndarray:
    """:func:`id_check_digit` for many IDs at once: an (n, 17) array of digit values -> the n
    check characters (a numpy array of one-character strings)."""
    return _CHECK_ARRAY[(np.asarray(digits, dtype=np.int64) @ _WEIGHT_ARRAY) % 11]
