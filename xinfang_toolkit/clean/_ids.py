"""Personal identifiers: resident ID numbers, phone numbers and platform accounts, one cell at a
time and (for IDs and phones) whole columns, the usual spellings checked at once with numpy."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import numpy as np
import pandas as pd

from .._base.ids import ID_CHECK, ID_WEIGHTS, id_check_digit
from .._base.text import fold_width
from ._columns import fast_then_scalar
from ._text import _WS, is_null, normalize_text, number_text

__all__ = ["ANONYMOUS_ACCOUNTS", "normalize_account", "normalize_id_number", "normalize_phone"]

_SCI = re.compile(r"^[0-9](?:\.[0-9]+)?E\+?[0-9]+$")


def _birth_ok(digits8: str) -> bool:
    try:
        born = _dt.date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:8]))
    except ValueError:
        return False
    return _dt.date(1900, 1, 1) <= born <= _dt.date(2100, 1, 1)


_ROUNDED = "身份证号被 Excel 存成了数字, 后几位已丢失 (数字只保留 15 位有效数字); 请把该列设为文本后按原件重新录入"


def normalize_id_number(value: Any) -> tuple[str | None, str | None]:
    """Normalise a resident ID number to 18 characters with a valid check digit (upper-case X).

    A number (Excel stored the ID as a number and kept only 15 significant digits) or a
    scientific-notation text is never accepted: ``(None, problem)``. 15-digit first-generation
    numbers are upgraded to 18 digits (with a note). Wrong length, bad birth date or check digit
    give ``(None, problem)``.
    """
    if is_null(value):
        return None, None
    if isinstance(value, (float, np.floating)) or (
        isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    ):
        number = float(value)
        if number.is_integer() and 1e14 <= number < 1e15:
            value = str(int(number))  # a 15-digit first-generation number survives as a number
        else:
            return None, _ROUNDED
    text = _WS.sub("", fold_width(str(value))).upper()
    if _SCI.match(text):
        return None, _ROUNDED
    if re.fullmatch(r"[0-9]{17}[0-9X]", text):
        if not _birth_ok(text[6:14]):
            return None, "身份证号里的出生日期无效"
        if id_check_digit(text[:17]) != text[17]:
            hint = " (末尾是 000, 可能被 Excel 按数字舍入过)" if text.endswith("000") else ""
            return None, f"身份证号校验位错误{hint}"
        return text, None
    if re.fullmatch(r"[0-9]{15}", text):
        first17 = text[:6] + "19" + text[6:]
        if not _birth_ok(first17[6:14]):
            return None, "身份证号里的出生日期无效"
        return first17 + id_check_digit(first17), "15 位旧身份证号已转换为 18 位"
    return None, f"身份证号格式不对 (应为 18 位): 共 {len(text)} 个字符"


# --- phones ---------------------------------------------------------------------------------

_PHONE_FIND = re.compile(
    r"(?:\+?86)?1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}|(?<![0-9])[0-9]{7,8}(?![0-9])"
)


_EXTENSION = re.compile(r"^(.*[0-9])(?:转|分机|ext\.?|x)([0-9]{1,6})$", re.IGNORECASE)


def normalize_phone(value: Any) -> tuple[str | None, str | None]:
    """Phone number as digits only (``138-1234-5678`` -> ``13812345678``; +86 dropped).

    An extension is kept after 转 (``0571-88889999转123`` -> ``057188889999转123``; also 分机, ext).
    Several numbers in one cell: the first is kept, with a note. Digits that look like neither a
    mobile (11 digits starting with 1) nor a landline are kept with a note.
    """
    if is_null(value):
        return None, None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        value = number_text(value)
    text = _WS.sub("", fold_width(str(value)))
    if ext := _EXTENSION.match(text):
        number, problem = normalize_phone(ext[1])
        return (None, problem) if number is None else (f"{number}转{ext[2]}", problem)
    text = re.sub(r"(?<=[0-9])[-()—–](?=[0-9])", "", text).replace("(", "").replace(")", "")
    found = _PHONE_FIND.findall(text)
    if found:
        digits = re.sub(r"[^0-9]", "", found[0])
        if len(digits) == 13 and digits.startswith("86"):
            digits = digits[2:]
        if len(found) > 1:
            return digits, f"一格里有 {len(found)} 个电话号码, 只保留了第一个"
        return digits, None
    digits = re.sub(r"[^0-9]", "", text)
    if not digits:
        return None, "无法识别的电话号码"
    return digits, f"电话号码位数不对 ({len(digits)} 位)"


# --- platform accounts ----------------------------------------------------------------------

#: account texts that name nobody in particular (an anonymous message is no identity)
ANONYMOUS_ACCOUNTS: frozenset[str] = frozenset(
    {
        "匿名",
        "匿名用户",
        "匿名网友",
        "游客",
        "访客",
        "未登录",
        "未注册",
        "网友",
        "anonymous",
        "guest",
    }
)


def normalize_account(value: Any) -> tuple[str | None, str | None]:
    """A platform account (留言用户, 网民编号): trimmed, width folded; ``None`` for anonymous
    ones (匿名, 游客 ...), which must not join the messages of different people."""
    text = normalize_text(value)
    if text is None:
        return None, None
    text = fold_width(text).replace(" ", "")
    if text.lower() in ANONYMOUS_ACCOUNTS or set(text) <= {"0"}:
        return None, None
    return text, None


_ID_WEIGHT_ARRAY = np.array(ID_WEIGHTS, dtype=np.int64)
_ID_CHECK_ARRAY = np.frombuffer(ID_CHECK.encode("ascii"), dtype=np.uint8)


def _fixed_width(texts: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """The texts of exactly ``width`` ASCII characters, read at once: (their positions, an
    (k, width) matrix of their character codes)."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    where = np.flatnonzero(lengths == width)
    chosen = texts[where]
    joined = "".join(chosen)
    if not joined.isascii():
        plain = np.fromiter((v.isascii() for v in chosen), dtype=bool, count=len(chosen))
        where, chosen = where[plain], chosen[plain]
        joined = "".join(chosen)
    return where, np.frombuffer(joined.encode("ascii"), dtype=np.uint8).reshape(-1, width)


def _is_digit(codes: np.ndarray) -> np.ndarray:
    return (codes >= ord("0")) & (codes <= ord("9"))


def _ids_fast(texts: pd.Series) -> pd.Series:
    """Valid 18-character IDs in plain ASCII (the usual case), checked with numpy; NA otherwise."""
    result = pd.Series(None, index=texts.index, dtype=object)
    values = texts.to_numpy(dtype=object)
    where, codes = _fixed_width(values, 18)
    last = codes[:, 17]
    shaped = _is_digit(codes[:, :17]).all(axis=1) & (_is_digit(last) | (last | 0x20 == ord("x")))
    if not shaped.any():
        return result
    where, codes = where[shaped], codes[shaped].copy()
    lower_x = codes[:, 17] == ord("x")
    codes[lower_x, 17] = ord("X")
    digits = codes[:, :17].astype(np.int64) - 48
    check_ok = _ID_CHECK_ARRAY[(digits @ _ID_WEIGHT_ARRAY) % 11] == codes[:, 17]
    year = digits[:, 6:10] @ np.array([1000, 100, 10, 1])
    month = digits[:, 10] * 10 + digits[:, 11]
    day = digits[:, 12] * 10 + digits[:, 13]
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    month_days = _MONTH_DAYS[np.clip(month, 0, 12)] + ((month == 2) & leap)
    birth_ok = (year >= 1900) & (year <= 2099) & (month >= 1) & (month <= 12) & (day >= 1)
    birth_ok &= day <= month_days
    valid = check_ok & birth_ok
    found = values[where]
    found[lower_x] = [v.upper() for v in found[lower_x]]
    result.iloc[where[valid]] = found[valid]
    return result


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def _phones_fast(texts: pd.Series) -> pd.Series:
    """Plain mobile numbers (with spaces or hyphens at most); NA otherwise. Eleven plain
    digits (the usual cell) are checked at once with numpy, the rest one by one."""
    values = texts.to_numpy(dtype=object)
    found = np.full(len(values), None, dtype=object)
    where, codes = _fixed_width(values, 11)
    mobile = (
        _is_digit(codes).all(axis=1)
        & (codes[:, 0] == ord("1"))
        & (codes[:, 1] >= ord("3"))
    )  # fmt: skip
    found[where[mobile]] = values[where[mobile]]
    rest = np.ones(len(values), dtype=bool)
    rest[where[mobile]] = False
    found[rest] = [
        t if _MOBILE.fullmatch(t) else None
        for t in (v.replace("-", "").replace(" ", "") for v in values[rest])
    ]
    return pd.Series(found, index=texts.index, dtype=object)


def id_column(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    return fast_then_scalar(values, _ids_fast, normalize_id_number)


def phone_column(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    return fast_then_scalar(values, _phones_fast, normalize_phone, numbers_as_text=True)
