"""Pseudonymous person keys: the one algorithm that says two rows are the same person.

The person is identified by the ID number; else by the platform account (an account is one
person; two accounts are two persons unless an ID number joins them); else by name with phone;
else by name with address (after normalising width, spaces and case). The key is a salted hash: it never contains the
ID number or the name. ``person_keys`` computes it once per distinct identity, so a
million-row frame costs one hash per person, not per row.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pandas as pd

from .._base.text import fold_width
from .._placeholders import PLACEHOLDER_FIELDS, placeholder_mask
from ..schema import TEXT_DTYPE
from ._values import is_empty

__all__ = ["DEFAULT_SALT", "person_key", "person_keys"]

#: Default salt of person keys. An office that shares pseudonymised exports outside should pass
#: its own secret salt, so that nobody can recompute a key from a known ID number.
DEFAULT_SALT = "xinfang-toolkit"

_SPACE = re.compile(r"\s+")
_NONDIGIT = re.compile(r"\D")


def _norm(value: object) -> str:
    if type(value) is str:  # the usual case, without the missing-value checks
        return _SPACE.sub("", fold_width(value)).upper() if value.strip() else ""
    if is_empty(value):
        return ""
    return _SPACE.sub("", fold_width(str(value))).upper()


def _norm_all(values) -> list[str]:
    """``_norm`` of each value. Plain ASCII letters and digits (most ID and phone numbers) take
    the short way: ``fold_width`` leaves ASCII as it is and there is no whitespace to remove,
    so ``_norm`` is just ``upper()``; everything else goes through ``_norm``."""
    return [
        v.upper() if type(v) is str and v.isascii() and v.isalnum() else _norm(v) for v in values
    ]


def _hashes(texts, salt: str) -> list[str]:
    """The key of each identity text: "P" + 12 upper-case hex digits of a salted blake2b.

    The keyed hasher is set up once and copied for each text (setting up the key costs as much
    as hashing a short text); the digests are the same as a fresh keyed blake2b gives."""
    base = hashlib.blake2b(digest_size=8, key=salt.encode("utf-8")[:64])
    out = []
    for text in texts:
        h = base.copy()
        h.update(text.encode("utf-8", "surrogatepass"))
        out.append("P" + h.hexdigest()[:12].upper())
    return out


def _hash(text: str, salt: str) -> str:
    return _hashes((text,), salt)[0]


def _identity(pid: str, name: str, phone: str, address: str, account: str = "") -> str | None:
    if len(pid) >= 15:
        return "id:" + pid
    if account:
        return "ac:" + account
    if name and phone:
        return "np:" + name + "|" + phone
    if name and address:
        return "na:" + name + "|" + address
    return None


def person_key(
    id_number: object = None,
    name: object = None,
    phone: object = None,
    address: object = None,
    *,
    account_id: object = None,
    salt: str = DEFAULT_SALT,
) -> str | None:
    """A pseudonymous, stable key of one person, or None when the person cannot be identified."""
    given = {"id_number": id_number, "petitioner": name, "phone": phone, "account_id": account_id}
    # a placeholder (市民, 匿名, 000000000000000000 ...) is no identity: it counts as empty
    pid, nm, ph, ac = (
        "" if placeholder_mask([v], col)[0] else _norm(v) for col, v in given.items()
    )
    ident = _identity(pid, nm, _NONDIGIT.sub("", ph), _norm(address), ac)
    return None if ident is None else _hash(ident, salt)


def _norm_codes(
    cases: pd.DataFrame, col: str, *, digits: bool = False, rows: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The code of each row and ``_norm`` of each distinct value of a column, once per value
    (code -1 and the last value "": missing, absent, or a row outside ``rows``)."""
    n = len(cases)
    if col not in cases.columns or (rows is not None and not rows.any()):
        return np.full(n, -1, dtype=np.intp), np.asarray([""], dtype=object)
    values = cases[col] if rows is None else cases[col][rows]
    obj = values.astype("object").where(values.notna(), "")
    codes, uniques = pd.factorize(obj.to_numpy(dtype=object))
    normed = _norm_all(uniques)
    if col in PLACEHOLDER_FIELDS:  # a placeholder (市民, 匿名, 无 ...) is no identity: empty
        for k in np.flatnonzero(placeholder_mask(uniques, col)):
            normed[k] = ""
    if digits:
        normed = [_NONDIGIT.sub("", s) for s in normed]
    if rows is not None:
        full = np.full(n, -1, dtype=codes.dtype)
        full[rows] = codes
        codes = full
    return codes, np.asarray(normed + [""], dtype=object)


def _norm_column(
    cases: pd.DataFrame, col: str, *, digits: bool = False, rows: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``_norm`` of a column (empty strings when absent, and outside ``rows``) and the length
    of each value (measured once per distinct value)."""
    codes, normed = _norm_codes(cases, col, digits=digits, rows=rows)
    return normed[codes], _lengths(normed)[codes]


def _lengths(values: np.ndarray) -> np.ndarray:
    return np.fromiter(map(len, values), dtype=np.int64, count=len(values))


def person_keys(cases: pd.DataFrame, *, salt: str = DEFAULT_SALT) -> pd.Series:
    """``person_key`` for every row of a cases frame, as a string Series (NA when unknown).

    An ID number alone decides the key: it is hashed once per distinct ID number, and the
    other columns are normalised only for the rows without one."""
    pid_codes, pids = _norm_codes(cases, "id_number")
    valid = _lengths(pids) >= 15
    by_id = valid[pid_codes]
    id_keys = np.full(len(pids), None, dtype=object)
    id_keys[valid] = _hashes(["id:" + p for p in pids[valid]], salt)
    # each row's place among the distinct keys (those of ID numbers, then the others'): the
    # text column is built from the distinct keys, not from a value per row checked again
    place = np.where(by_id, pid_codes, -1)
    distinct = id_keys
    rest = ~by_id
    account, lac = _norm_column(cases, "account_id", rows=rest)
    by_account = rest & (lac > 0)
    others = rest & ~by_account
    name, ln = _norm_column(cases, "petitioner", rows=others)
    phone, lph = _norm_column(cases, "phone", digits=True, rows=others)
    addr, la = _norm_column(cases, "address", rows=others)
    by_phone = others & (ln > 0) & (lph > 0)
    by_addr = others & ~by_phone & (ln > 0) & (la > 0)
    ident = np.full(len(cases), None, dtype=object)  # the same strings as _identity builds
    ident[by_account] = "ac:" + account[by_account]
    ident[by_phone] = "np:" + name[by_phone] + "|" + phone[by_phone]
    ident[by_addr] = "na:" + name[by_addr] + "|" + addr[by_addr]
    if rest.any():
        codes, uniques = pd.factorize(ident[rest])
        place[rest] = np.where(codes >= 0, len(id_keys) + codes, -1)
        distinct = np.concatenate([id_keys, np.asarray(_hashes(uniques, salt), dtype=object)])
    keys = pd.array(distinct, dtype=TEXT_DTYPE).take(place, allow_fill=True)  # -1: NA
    return pd.Series(keys, index=cases.index, name="person_key")
