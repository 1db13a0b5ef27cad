"""Masking one value of a personal column: a name, an ID number, a phone, an address, an account."""

from __future__ import annotations

import re

import pandas as pd

__all__ = [
    "is_empty",
    "mask_account",
    "mask_address",
    "mask_id",
    "mask_name",
    "mask_person",
    "mask_phone",
]

_VILLAGE = re.compile(r"^.*?(?:村民委员会|居民委员会|村委会|居委会|社区|村|居)")
_TOWN = re.compile(r"^.*?(?:街道办事处|街道|镇|乡)")


def is_empty(value: object) -> bool:
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
    if is_empty(name):
        return name
    s = str(name).strip()
    if len(s) == 1:
        return "*"
    if len(s) == 2:
        return s[0] + "*"
    return s[0] + "*" * (len(s) - 2) + s[-1]


# separators between the names of one cell (王五、赵六; 张三(代理人))
_PERSON_SEP = re.compile(r"([、，,；;/\\()（）\[\]【】:：\u3000]+|\s{2,})")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’.\-]*")


def _mask_one_person(token: str) -> str:
    if not token.strip() or "*" in token:  # empty, or masked already (a known name, a number)
        return token
    if any("a" <= c.lower() <= "z" for c in token) and token.isascii():
        return _LATIN_WORD.sub(lambda m: m.group(0)[0] + "*" * (len(m.group(0)) - 1), token)
    letters = [i for i, c in enumerate(token) if not c.isspace()]
    masked = str(mask_name("".join(token[i] for i in letters)))
    chars = list(token)
    for i, c in zip(letters, masked, strict=True):
        chars[i] = c
    return "".join(chars)


def mask_person(value: object) -> object:
    """Every name of a person column's cell masked, of any length and script: 张三明 -> 张*明,
    阿卜杜热合曼·艾买提 -> 阿********提, Mary Johnson -> M*** J******, 张 三 -> 张 *,
    王五、赵六 -> 王*、赵*. Parts masked already (with ``*``) stay as they are."""
    if is_empty(value) or not isinstance(value, str):
        return value if is_empty(value) else mask_person(str(value))
    parts = _PERSON_SEP.split(value)
    return "".join(p if i % 2 else _mask_one_person(p) for i, p in enumerate(parts))


def mask_id(id_number: object) -> object:
    """410122199001011234 -> 410122********1234 (first 6 and last 4 kept)."""
    if is_empty(id_number):
        return id_number
    s = str(id_number).strip()
    if len(s) <= 4:
        return "*" * len(s)
    if len(s) < 12:
        return "*" * (len(s) - 4) + s[-4:]
    return s[:6] + "*" * (len(s) - 10) + s[-4:]


def mask_phone(phone: object) -> object:
    """13812341234 -> 138****1234; other numbers keep their first 3 and last 4 digits."""
    if is_empty(phone):
        return phone
    s = re.sub(r"\D", "", str(phone))
    if len(s) <= 4:
        return "*" * len(s)
    if len(s) < 8:
        return "*" * (len(s) - 4) + s[-4:]
    return s[:3] + "*" * (len(s) - 7) + s[-4:]


def mask_address(address: object) -> object:
    """Cut an address to its village or community: 某县某镇某村3组12号 -> 某县某镇某村***."""
    if is_empty(address):
        return address
    s = str(address).strip()
    for pattern in (_VILLAGE, _TOWN):
        m = pattern.match(s)
        if m and len(m.group(0)) < len(s):
            return m.group(0) + "***"
        if m:
            return m.group(0)
    return s[: max(1, min(6, len(s) // 2))] + "***"


def mask_account(account: object) -> object:
    """A platform account (留言用户, 用户ID): its first two characters, then ****."""
    if is_empty(account):
        return account
    s = str(account).strip()
    return s[:2] + "****" if len(s) > 4 else "****"
