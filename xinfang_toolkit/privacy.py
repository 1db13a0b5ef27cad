"""Masking and pseudonymous keys for personal data (姓名, 身份证号, 联系电话, 住址).

Every display and export masks personal data by default: ``mask_pii`` returns a masked copy.
Only the analysis needs the real values, to link repeat submissions of one person; it does so
through ``person_key``, a salted one-way key that is stable across runs but is not the ID number.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import pandas as pd

from .clean import fold_width
from .schema import PII_COLUMNS

__all__ = [
    "DEFAULT_SALT",
    "mask_address",
    "mask_id",
    "mask_name",
    "mask_phone",
    "mask_pii",
    "mask_text",
    "person_key",
    "person_keys",
    "pseudonymize",
]

#: Default salt of person keys. An office that shares pseudonymised exports outside should pass
#: its own secret salt, so that nobody can recompute a key from a known ID number.
DEFAULT_SALT = "xinfang-toolkit"

_VILLAGE = re.compile(r"^.*?(?:村民委员会|居民委员会|村委会|居委会|社区|村|居)")
_TOWN = re.compile(r"^.*?(?:街道办事处|街道|镇|乡)")
# ID numbers (18 or 15 characters) and phone numbers inside free text
_ID_IN_TEXT = re.compile(
    r"(?<![0-9])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9])|(?<![0-9])(\d{6})\d{5}(\d{4})(?![0-9])"
)
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9])(1[3-9]\d)[- ]?\d{4}[- ]?(\d{4})(?![0-9])")
_LANDLINE_IN_TEXT = re.compile(r"(?<![0-9])(0\d{2,3})[- ]?\d{3,4}(\d{4})(?![0-9])")


def _is_empty(value: object) -> bool:
    if value is None:
        return True
    try:
        if pd.isna(value):
            return True
    except (TypeError, ValueError):
        pass
    return str(value).strip() == ""


def mask_name(name: object) -> object:
    """张三明 -> 张*明, 张三 -> 张*, 欧阳小明 -> 欧**明. Empty stays empty."""
    if _is_empty(name):
        return name
    s = str(name).strip()
    if len(s) == 1:
        return "*"
    if len(s) == 2:
        return s[0] + "*"
    return s[0] + "*" * (len(s) - 2) + s[-1]


def mask_id(id_number: object) -> object:
    """410122199001011234 -> 410122********1234 (first 6 and last 4 kept)."""
    if _is_empty(id_number):
        return id_number
    s = str(id_number).strip()
    if len(s) <= 4:
        return "*" * len(s)
    if len(s) < 12:
        return "*" * (len(s) - 4) + s[-4:]
    return s[:6] + "*" * (len(s) - 10) + s[-4:]


def mask_phone(phone: object) -> object:
    """13812341234 -> 138****1234; other numbers keep their first 3 and last 4 digits."""
    if _is_empty(phone):
        return phone
    s = re.sub(r"\D", "", str(phone))
    if len(s) <= 4:
        return "*" * len(s)
    if len(s) < 8:
        return "*" * (len(s) - 4) + s[-4:]
    return s[:3] + "*" * (len(s) - 7) + s[-4:]


def mask_address(address: object) -> object:
    """Cut an address to its village or community: 某县某镇某村3组12号 -> 某县某镇某村***."""
    if _is_empty(address):
        return address
    s = str(address).strip()
    for pattern in (_VILLAGE, _TOWN):
        m = pattern.match(s)
        if m and len(m.group(0)) < len(s):
            return m.group(0) + "***"
        if m:
            return m.group(0)
    return s[: max(1, min(6, len(s) // 2))] + "***"


def mask_text(text: object, *, names: Iterable[str] = ()) -> object:
    """Mask ID and phone numbers found inside free text, and the given names."""
    if _is_empty(text):
        return text
    s = str(text)
    s = _ID_IN_TEXT.sub(
        lambda m: (m.group(1) or m.group(3)) + "*" * 8 + (m.group(2) or m.group(4))[-4:], s
    )
    s = _MOBILE_IN_TEXT.sub(lambda m: m.group(1) + "****" + m.group(2), s)
    s = _LANDLINE_IN_TEXT.sub(lambda m: m.group(1) + "****" + m.group(2), s)
    for name in names:
        if not _is_empty(name) and len(str(name).strip()) >= 2:
            s = s.replace(str(name).strip(), str(mask_name(name)))
    return s


_MASKERS = {
    "petitioner": mask_name,
    "id_number": mask_id,
    "phone": mask_phone,
    "address": mask_address,
}


def _map_unique(series: pd.Series, func) -> pd.Series:
    """Apply func once per distinct value (fast on large frames with repeated values)."""
    uniques = series.dropna().unique()
    mapping = {v: func(v) for v in uniques}
    return series.map(mapping).astype(series.dtype) if len(series) else series.copy()


def mask_pii(
    cases: pd.DataFrame,
    *,
    columns: Iterable[str] = PII_COLUMNS,
    text_columns: Iterable[str] = ("summary", "outcome"),
) -> pd.DataFrame:
    """Return a copy of ``cases`` with personal data masked.

    ``columns`` are masked by kind (name, ID number, phone, address); in ``text_columns``, ID and
    phone numbers and the row's own petitioner name are masked too. The input is not changed.
    """
    out = cases.copy()
    cols = [c for c in columns if c in out.columns]
    text_cols = [c for c in text_columns if c in out.columns]
    if text_cols:
        names = out["petitioner"] if "petitioner" in out.columns else None
        for col in text_cols:
            if names is None:
                out[col] = _map_unique(out[col], mask_text)
            else:
                values = [
                    mask_text(t, names=() if _is_empty(n) else (str(n),))
                    for t, n in zip(out[col].tolist(), names.tolist(), strict=True)
                ]
                out[col] = pd.Series(values, index=out.index, dtype=out[col].dtype)
    for col in cols:
        func = _MASKERS.get(col, mask_name)
        out[col] = _map_unique(out[col], func)
    return out


def _norm(value: object) -> str:
    if _is_empty(value):
        return ""
    return re.sub(r"\s+", "", fold_width(str(value))).upper()


def _hash(text: str, salt: str) -> str:
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8, key=salt.encode("utf-8")[:64])
    return "P" + digest.hexdigest()[:12].upper()


def person_key(
    id_number: object = None,
    name: object = None,
    phone: object = None,
    address: object = None,
    *,
    account_id: object = None,
    salt: str = DEFAULT_SALT,
) -> str | None:
    """A pseudonymous, stable key of one person, or None when the person cannot be identified.

    The person is identified by the ID number; else by the platform account (an account is
    one person, two accounts are two persons unless an ID number joins them); else by name with
    phone; else by name with address (after normalising width, spaces and case). The key is a salted hash: it never
    contains the ID number or the name.
    """
    pid, nm, ph, ad = _norm(id_number), _norm(name), re.sub(r"\D", "", _norm(phone)), _norm(address)
    if len(pid) >= 15:
        return _hash("id:" + pid, salt)
    if account := _norm(account_id):
        return _hash("ac:" + account, salt)
    if nm and ph:
        return _hash("np:" + nm + "|" + ph, salt)
    if nm and ad:
        return _hash("na:" + nm + "|" + ad, salt)
    return None


def person_keys(cases: pd.DataFrame, *, salt: str = DEFAULT_SALT) -> pd.Series:
    """``person_key`` for every row of a cases frame, as a string Series (NA when unknown)."""
    cols = ["id_number", "petitioner", "phone", "address", "account_id"]
    frame = pd.DataFrame(
        {c: cases[c] if c in cases.columns else pd.Series(pd.NA, index=cases.index) for c in cols}
    )
    cache: dict[tuple, str | None] = {}
    keys = []
    for row in frame.itertuples(index=False, name=None):
        key = cache.get(row)
        if key is None and row not in cache:
            key = cache[row] = person_key(*row[:4], account_id=row[4], salt=salt)
        keys.append(key)
    return pd.Series(keys, index=cases.index, dtype="string", name="person_key")


def pseudonymize(cases: pd.DataFrame, *, salt: str = DEFAULT_SALT) -> pd.DataFrame:
    """A copy for training or sharing: stable keys instead of names and ID numbers.

    ``petitioner`` becomes the person key, ``id_number`` and ``phone`` are emptied, ``address``
    is cut to its village, and ID or phone numbers inside free text are masked.
    """
    out = mask_pii(cases, columns=("address",))
    keys = person_keys(cases, salt=salt)
    if "petitioner" in out.columns:
        out["petitioner"] = keys.astype("string")
    for col in ("id_number", "phone", "account_id"):
        if col in out.columns:
            out[col] = pd.Series(pd.NA, index=out.index, dtype="string")
    return out
