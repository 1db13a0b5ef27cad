"""Date and date-time cells, one at a time: one tokenising parser, the time kept apart from the day.

:func:`parse_date` and :func:`parse_datetime` read one cell; :func:`day_month_order` decides how
a column writes ``N/N/YYYY``; the deadline and closing-date readers know durations (``60天``)
and the words that say "not closed yet" (办理中). Whole columns: :mod:`._date_columns`.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from .._base.text import fold_width
from ._numbers import parse_count, zh_number
from ._text import _WS, is_null

__all__ = ["day_month_order", "parse_date", "parse_datetime"]

#: Chinese numerals in dates (二〇二一年三月五日); 十 is handled by parse_count
_ZH_DIGITS = {"〇": "0", "零": "0", "○": "0"} | {
    c: str(i) for i, c in enumerate("零一二三四五六七八九") if i
}
_ZH_DATE_NUMERAL = re.compile(r"[〇零○一二三四五六七八九十]+")
_WEEKDAY = re.compile(r"[(（]?(?:星期|周|礼拜)[一二三四五六日天1-7][)）]?")
_LETTER_O = re.compile(r"(?<=[0-9])[oO]|[oO](?=[0-9])")
_HALF_HOUR = re.compile(r"(?<=[点时])半")
_SERIAL_TEXT = re.compile(r"^[0-9]{4,5}(?:\.[0-9]+)?$")
#: how the day part of a time of day is written; the value says how to adjust the hour
_DAY_PARTS = {
    "上午": "am",
    "早上": "am",
    "早晨": "am",
    "清晨": "am",
    "凌晨": "am",
    "中午": "noon",
    "下午": "pm",
    "傍晚": "pm",
    "晚上": "pm",
    "夜间": "pm",
    "am": "am",
    "pm": "pm",
}
_DATE_TOKEN = re.compile(
    r"(?P<num>[0-9]+)|(?P<part>上午|早上|早晨|清晨|凌晨|中午|下午|傍晚|晚上|夜间|am|pm)"
    r"|(?P<unit>[年月日号])|(?P<tunit>[时点分秒])|(?P<colon>:)|(?P<sep>[-/.,])|(?P<t>t)"
    r"|(?P<space>\s+)|(?P<other>.)"
)
_COMMON_STAMP = re.compile(
    r"^([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?(?:(?:t| +)([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?$"
)
_DMY_SHAPE = re.compile(r"^\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{4})(?![0-9])")

_MIN_DAY = _dt.date(1980, 1, 1)
_MAX_DAY = _dt.date(2100, 12, 31)
_EXCEL_EPOCH_DAY = _dt.date(1899, 12, 30)

#: (day, seconds since midnight or None, problem)
Stamp = tuple["_dt.date | None", "int | None", "str | None"]


def _zh_date_digits(text: str) -> str:
    """二〇二一年三月五日 -> 2021年3月5日 (digits only; tens handled for month/day)."""

    def number(part: str) -> str:
        if all(ch in _ZH_DIGITS for ch in part):
            return "".join(_ZH_DIGITS[ch] for ch in part)
        value, _ = parse_count(part)
        return str(value) if value is not None else part

    return _ZH_DATE_NUMERAL.sub(lambda m: number(m.group(0)), text)


def _ymd(year: int, month: int, day: int) -> tuple[_dt.date | None, str | None]:
    try:
        d = _dt.date(year, month, day)
    except ValueError:
        return None, f"日期不存在: {year}年{month}月{day}日"
    if not (_MIN_DAY <= d <= _MAX_DAY):
        return None, f"日期超出合理范围 (1980-2100): {d}"
    return d, None


def _from_serial(number: float) -> Stamp:
    """An Excel serial day number; a fraction is the time of day (45000.375 = 09:00)."""
    if not (10000 <= number <= 80000):
        return None, None, "无法识别的日期 (数字既不是 Excel 日期序号也不是 YYYYMMDD)"
    whole = math.floor(number)
    d = _EXCEL_EPOCH_DAY + _dt.timedelta(days=whole)
    if not (_MIN_DAY <= d <= _MAX_DAY):
        return None, None, f"日期超出合理范围 (1980-2100): {d}"
    seconds = round((number - whole) * 86400)
    return d, (min(seconds, 86399) if seconds else None), None


def _time_of_day(numbers: list[int], part: str | None) -> tuple[int | None, str | None]:
    """Seconds since midnight from [hour, minute, second] and 上午/下午; (None, problem) if
    the time cannot exist."""
    if not numbers:
        return None, None
    if len(numbers) == 4:  # 9:32:09.123: the fraction of a second is dropped
        numbers = numbers[:3]
    hour, minute, second = (numbers + [0, 0])[:3] if len(numbers) <= 3 else (-1, 0, 0)
    if part == "pm" and 1 <= hour < 12:
        hour += 12
    elif part == "noon" and 0 <= hour <= 2:
        hour += 12
    elif part == "am" and hour == 12:
        hour = 0
    if not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59):
        shown = ":".join(f"{n:02d}" for n in numbers)
        return None, f"时间不存在: {shown}, 只保留了日期"
    return hour * 3600 + minute * 60 + second, None


def _tokens(text: str) -> list[tuple[str, str]] | None:
    """(kind, text) tokens of a date cell; None when a character has no place in a date."""
    out = []
    for m in _DATE_TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind == "other":
            return None
        if kind != "space" or (out and out[-1][0] != "space"):
            out.append((kind, m.group(0)))
    return out


def _split_date_time(
    tokens: list[tuple[str, str]],
) -> tuple[list[tuple[str, str]], list[int], str | None]:
    """Numbers of the date part (with the token after each), numbers of the time, day part."""
    date: list[tuple[str, str]] = []  # (number, what follows it)
    time: list[int] = []
    part = None
    in_time = False
    for k, (kind, text) in enumerate(tokens):
        if kind == "num":
            after = next((t for t in tokens[k + 1 :] if t[0] != "space"), ("end", ""))
            before_space = k > 0 and tokens[k - 1][0] == "space"
            date_done = len(date) >= 3 or (bool(date) and date[-1][1] in ("日", "号"))
            if (
                in_time
                or after[0] in ("colon", "tunit")
                or (date_done and (before_space or after[0] in ("end", "part")))
            ):
                in_time = True
                time.append(int(text))
            else:
                date.append((text, after[1] if after[0] in ("unit", "sep") else ""))
        elif kind == "part":
            part = _DAY_PARTS[text]
            in_time = bool(date)
        elif kind == "t" and date:
            in_time = True
        elif kind == "t":
            return [], [], None  # a T before any date: not a date
    return date, time, part


def _day_from_parts(
    date: list[tuple[str, str]], year: int | None, order: str | None, raw: Any
) -> tuple[_dt.date | None, str | None]:
    texts = [t for t, _u in date]
    units = [u for _t, u in date]
    if len(texts) == 1 and len(texts[0]) == 8:  # 20190425
        t = texts[0]
        return _ymd(int(t[:4]), int(t[4:6]), int(t[6:]))
    if len(texts) == 3:
        a, b, c = texts
        if len(a) == 4:
            return _ymd(int(a), int(b), int(c))
        if len(c) == 4:  # 12/16/2016 (month first) or 16/12/2016 (day first): decided per column
            first, second = int(a), int(b)
            if order == "dmy" or (order is None and first > 12):
                return _ymd(int(c), second, first)
            day, problem = _ymd(int(c), first, second)
            if problem is None and order is None and second <= 12 and first != second:
                problem = "日和月的顺序不确定 (本列没有能区分的值), 按 月/日/年 读取"
            return day, problem
        if len(a) == 2:
            return _ymd(2000 + int(a), int(b), int(c))
    if len(texts) == 2:
        if units[0] == "年" or len(texts[0]) == 4:
            return None, f"只有年月, 没有日: {raw}"
        if year is None:
            return (
                None,
                f"缺少年份: 无法确定“{raw}”是哪一年 (标题和文件名里都没有年份, 可用 year= 指定)",
            )
        return _ymd(int(year), int(texts[0]), int(texts[1]))
    return None, f"无法识别的日期: {raw}"


def _parse_stamp(value: Any, year: int | None, order: str | None = None) -> Stamp:
    """One date cell (with or without a time of day): (day, seconds since midnight, problem).

    The cell is folded to half-width, Chinese numerals become digits, then cut into tokens
    (numbers, 年/月/日/号, 时/点/分/秒, colons, separators, 上午/下午, T, spaces); the numbers before
    the time make the day, the rest the time. ``order`` ("mdy" or "dmy") settles ``12/11/2016``.
    """
    if is_null(value):
        return None, None, None
    if isinstance(value, bool):
        return None, None, "无法识别的日期"
    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date)):
        if isinstance(value, _dt.datetime):
            d = value.date()
            seconds = value.hour * 3600 + value.minute * 60 + value.second
        else:
            d, seconds = value, 0
        if not (_MIN_DAY <= d <= _MAX_DAY):
            return None, None, f"日期超出合理范围 (1980-2100): {d}"
        return d, (seconds or None), None
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        if number.is_integer() and 19000101 <= number <= 21001231:
            text = str(int(number))
            day, problem = _ymd(int(text[:4]), int(text[4:6]), int(text[6:]))
            return day, None, problem
        return _from_serial(number)
    text = fold_width(str(value)).strip().lower()
    if m := _COMMON_STAMP.match(text):  # the usual spellings, without the tokeniser
        day, problem = _ymd(int(m[1]), int(m[2]), int(m[3]))
        if day is None or m[4] is None:
            return day, None, problem
        seconds, problem = _time_of_day([int(m[4]), int(m[5]), int(m[6] or 0)], None)
        return day, seconds or None, problem  # 00:00:00 is a date exported with a zero time
    if _SERIAL_TEXT.match(text):
        return _from_serial(float(text))
    note = None
    if "o" in text and _LETTER_O.search(text):
        text = _LETTER_O.sub("0", text)
        note = f"日期里的字母 O 当作数字 0 读取: {value}"
    if "周" in text or "星期" in text or "礼拜" in text:
        text = _WEEKDAY.sub(" ", text)
    if _ZH_DATE_NUMERAL.search(text):
        text = _zh_date_digits(text)
    if "半" in text:  # 9点半
        text = _HALF_HOUR.sub("30分", text)
    tokens = _tokens(text)
    if not tokens:
        return None, None, f"无法识别的日期: {value}"
    date, time, part = _split_date_time(tokens)
    if len(date) == 1 and len(date[0][0]) == 14 and not time:  # 20190425093209
        t = date[0][0]
        date, time = [(t[:8], "")], [int(t[8:10]), int(t[10:12]), int(t[12:])]
    day, problem = _day_from_parts(date, year, order, value)
    if day is None:
        return None, None, problem
    seconds, time_problem = _time_of_day(time, part)
    problems = [p for p in (note, problem, time_problem) if p]
    return day, seconds or None, "; ".join(problems) or None


def _parse_day(value: Any, year: int | None) -> tuple[_dt.date | None, str | None]:
    """The day of a date cell and its problem (the time of day, if any, is dropped)."""
    day, _seconds, problem = _parse_stamp(value, year)
    return day, problem


@lru_cache(maxsize=1 << 16)
def _parse_stamp_cached(kind: type, value: Any, year: int | None, order: str | None) -> Stamp:
    return _parse_stamp(value, year, order)


def _parse_stamp_shared(value: Any, year: int | None, order: str | None = None) -> Stamp:
    """_parse_stamp with a cache shared by the date columns (the same spellings recur)."""
    try:
        return _parse_stamp_cached(type(value), value, year, order)
    except TypeError:  # unhashable
        return _parse_stamp(value, year, order)


def _parse_day_shared(
    value: Any, year: int | None, order: str | None = None
) -> tuple[_dt.date | None, str | None]:
    day, _seconds, problem = _parse_stamp_shared(value, year, order)
    return day, problem


def day_month_order(values: Iterable[Any]) -> str | None:
    """How a column writes ``N/N/YYYY`` dates: "dmy" when some first number is above 12 (16/12/
    2016), "mdy" when some second number is (12/16/2016), None when no value tells (or both do).

    A column is read in one order: US exports write month first, many others day first."""
    day_first = month_first = False
    for value in values:
        if type(value) is str and (m := _DMY_SHAPE.match(fold_width(value))):
            day_first |= int(m[1]) > 12
            month_first |= int(m[2]) > 12
    if day_first == month_first:
        return None
    return "dmy" if day_first else "mdy"


def parse_date(value: Any, *, year: int | None = None) -> tuple[pd.Timestamp | None, str | None]:
    """Parse one ledger date cell.

    Accepts real date cells, Excel serial numbers (45000, 45000.375), ``2021.3.5``, ``2021/3/5``,
    ``2021-03-05``, ``20210305``, ``2021年3月5日`` / ``2021年3月5号``, with a time after it
    (``2019/4/25 9:32:09``, ``2019-04-25T09:32``, ``2019年4月25日 9时32分``, ``上午``), in full-width
    digits or Chinese numerals, ``12/16/2016`` (month first unless the day is above 12) and
    ``3月5日`` / ``3.5`` when ``year`` is given. Returns ``(Timestamp normalised to the day, None)``,
    ``(None, None)`` for an empty cell, or ``(None, problem)`` when the cell cannot be read (or
    ``(day, note)`` when it was read with a guess, e.g. the letter O taken for 0).
    Use :func:`parse_datetime` to keep the time of day.
    """
    stamp, problem = parse_datetime(value, year=year)
    return (None if stamp is None else stamp.normalize()), problem


def parse_datetime(
    value: Any, *, year: int | None = None, order: str | None = None
) -> tuple[pd.Timestamp | None, str | None]:
    """Like :func:`parse_date`, keeping the time of day when the cell has one."""
    if isinstance(value, pd.Timestamp) and value.tzinfo is not None:
        value = value.tz_localize(None)
    day, seconds, problem = _parse_stamp(value, year, order)
    if day is None:
        return None, problem
    return pd.Timestamp(day) + pd.Timedelta(seconds=seconds or 0), problem


_DURATION = re.compile(r"^([0-9]{1,3})(?:天|日|个?工作日|d)?$")
_ZH_DURATION = re.compile(r"^([零一二三四五六七八九十百两]+)(?:天|日|个?工作日)$")
_OPEN_WORDS = frozenset(
    {
        "未办结",
        "正在办理",
        "办理中",
        "在办",
        "未结",
        "未办",
        "待办",
        "处理中",
        "未结案",
        "正在处理",
        "跟踪办理",
        "未完成",
        "未反馈",
        "未化解",
        "未回访",
    }
)


def deadline_value(value: Any, year: int | None, order: str | None) -> tuple[Any, str | None]:
    """A deadline cell: ('days', n) for a duration, a Timestamp for a date."""
    if is_null(value):
        return None, None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        if float(value).is_integer() and 0 < float(value) <= 366:
            return ("days", int(value)), None
    elif isinstance(value, str):
        text = _WS.sub("", fold_width(value))
        m = _DURATION.match(text)
        days = int(m[1]) if m else None
        if days is None and (z := _ZH_DURATION.match(text)):  # 六十天, 三十个工作日
            days = zh_number(z[1])
        if days is not None and 0 < days <= 366:
            if "工作日" in text:
                return ("days", days), "时限按工作日填写, 这里按自然日计算"
            return ("days", days), None
    return _parse_day_shared(value, year, order)


def closed_value(value: Any, year: int | None, order: str | None) -> tuple[Any, str | None]:
    if isinstance(value, str) and _WS.sub("", fold_width(value)) in _OPEN_WORDS:
        return None, None
    return _parse_day_shared(value, year, order)
