"""Normalisers for the values found in petition ledgers.

Every scalar normaliser returns ``(value, problem)``: the normalised value (``None`` when the cell
is empty or unreadable) and a short Chinese description of what a person should know about the
cell (``None`` when nothing needs saying). The ``*_column`` helpers apply them to a whole column
by parsing each *distinct* value once (ledgers repeat the same dates, channels and levels over
and over), and :func:`clean_cases` cleans a frame of raw canonical columns in one call, returning
the cleaned frame and one issue row per cell a person should look at.

Only codes, numbers and dates are NFKC-normalised (full-width digits become ASCII); free text is
only trimmed, so Chinese punctuation in summaries is kept as written.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

import numpy as np
import pandas as pd

from .schema import (
    CHANNELS,
    ISSUE_COLUMNS,
    MATTER_TYPES,
    PROVENANCE_COLUMNS,
    SATISFACTION_VALUES,
    TEXT_DTYPE,
    VISIT_LEVELS,
    conform_cases,
    empty_issues,
)

__all__ = [
    "NULL_WORDS",
    "FLAG_COLUMNS",
    "is_null",
    "normalize_text",
    "parse_date",
    "parse_datetime",
    "day_month_order",
    "fold_width",
    "parse_count",
    "parse_flag",
    "normalize_id_number",
    "normalize_phone",
    "normalize_channel",
    "normalize_visit_level",
    "normalize_satisfaction",
    "normalize_matter_type",
    "normalize_account",
    "id_check_digit",
    "id_check_digits",
    "parse_date_column",
    "clean_cases",
]

#: cell texts that mean "nothing here" (compared after NFKC and trimming)
NULL_WORDS: frozenset[str] = frozenset(
    {
        "",
        "无",
        "/",
        "\\",
        "-",
        "--",
        "---",
        "—",
        "——",
        "－",
        "空",
        "不详",
        "暂无",
        "无记录",
        "未填",
        "未知",
        "null",
        "none",
        "nan",
        "nat",
        "n/a",
        "na",
        "#n/a",
    }
)

#: boolean columns filled from ledger flag columns (办结标志 bjbz, 重复信访标志 cfxfbz, 积案标志 jabz, 是否延期)
FLAG_COLUMNS: tuple[str, ...] = ("closed_flag", "repeat_flag", "backlog_flag", "extended_flag")

_WS = re.compile(r"\s+")


def fold_width(text: str) -> str:
    """Full-width digits, letters and punctuation and the ideographic space folded to their
    ordinary forms (Unicode NFKC): ``２０１９／４／２５`` -> ``2019/4/25``. ASCII text is returned as is.

    The one width-folding step of the package: header lookup, codes, dates, numbers and the
    person key all use it (free text such as summaries is never folded)."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFKC", text)


_nfkc = fold_width


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return False


def is_null(value: Any) -> bool:
    """True for empty cells, NaN/NA and null words such as 无, /, —, 空, 不详."""
    if type(value) is str:
        text = value.strip()
        return len(text) <= 6 and _nfkc(text).strip().lower() in NULL_WORDS
    if _is_missing(value):
        return True
    if isinstance(value, str):
        return _nfkc(value).strip().lower() in NULL_WORDS
    return False


def _number_text(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def normalize_text(value: Any) -> str | None:
    """Cell value as trimmed text; ``None`` for empty cells and null words.

    Numbers that Excel stores as floats lose their ``.0`` (``2025001.0`` -> ``"2025001"``); dates
    become ``YYYY-MM-DD``. Inner whitespace runs (including line breaks) become one space.
    """
    if type(value) is str:  # fast path: most cells are text
        text = value.strip()
        if len(text) <= 6 and _nfkc(text).strip().lower() in NULL_WORDS:
            return None
        if "\n" in text or "\r" in text or "\t" in text or "  " in text or "\u3000" in text:
            text = _WS.sub(" ", text.replace("\u3000", " ")).strip()
        return text or None
    if is_null(value):
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return _number_text(value.item() if hasattr(value, "item") else value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    text = _WS.sub(" ", str(value).replace("\u3000", " ")).strip()
    return text or None


# --- dates and times ------------------------------------------------------------------------

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


# --- counts ---------------------------------------------------------------------------------

_ZH_NUM = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2, "俩": 2}
_ZH_UNIT = {"十": 10, "百": 100, "千": 1000}
_COUNT_TEXT = re.compile(
    r"^(约|大约|近|共|计|共计)?(.+?)(余|多)?(?:人次|名|人|位|个|户|次)?(左右|余|多)?$"
)
_ESTIMATE_WORDS = frozenset({"约", "大约", "近", "余", "多", "左右"})
#: a person count this large is not one (and would not fit the Int64 column)
_MAX_COUNT = 1_000_000


def _zh_number(text: str) -> int | None:
    if not text or any(ch not in _ZH_NUM and ch not in _ZH_UNIT for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in _ZH_NUM:
            digit = _ZH_NUM[ch]
        else:
            total += (1 if digit is None else digit) * _ZH_UNIT[ch]
            digit = None
    return total + (digit or 0)


def parse_count(value: Any) -> tuple[int | None, str | None]:
    """Parse a person count: ``3``, ``3.0``, ``"3人"``, ``"三人"``, ``"十二"``, ``"共5人"``.

    Returns ``(int >= 0, None)``, ``(None, None)`` for an empty cell, or ``(None, problem)``.
    An estimate (``约50人``, ``50余人``, ``30人左右``) is kept as its number, with a note.
    """
    if is_null(value):
        return None, None
    if isinstance(value, bool):
        return None, f"无法识别的人数: {value}"
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        if number.is_integer() and 0 <= number < _MAX_COUNT:
            return int(number), None
        return None, f"人数不是非负整数: {_number_text(value)}"
    text = _WS.sub("", _nfkc(str(value)))
    m = _COUNT_TEXT.match(text)
    core = m[2] if m else text
    number = int(core) if core.isdigit() and core.isascii() else _zh_number(core)
    if number is None:
        return None, f"无法识别的人数: {value}"
    if number >= _MAX_COUNT:  # a code or ID typed in the wrong column, not a head count
        return None, f"人数过大, 不像人数 (可能填错了列): {value}"
    if m and any(w in _ESTIMATE_WORDS for w in (m[1], m[3], m[4])):
        return number, f"人数是估计值, 按 {number} 人计: {value}"
    return number, None


# --- flags ----------------------------------------------------------------------------------


_VALUE_WORDS = "data/value_words.csv"


@cache
def value_words(field: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The spellings of ``field``'s values from the editable ``data/value_words.csv``:
    ((canonical, (word, ...)), ...) in file order (the first match wins)."""
    from ._datafile import data_file, read_csv_rows

    rows = read_csv_rows(
        data_file("value_words.csv"), columns=("field", "canonical", "word"), name=_VALUE_WORDS
    )
    found: dict[str, list[str]] = {}
    for _line, row in rows:
        if row["field"] == field and row["word"]:
            found.setdefault(row["canonical"], []).append(row["word"])
    if not found:
        raise ValueError(f"data/value_words.csv 里没有 {field} 的取值词 / no words for {field}")
    return tuple((canonical, tuple(words)) for canonical, words in found.items())


_TRUE_WORDS = frozenset(dict(value_words("flag")).get("是", ()))
_FALSE_WORDS = frozenset(dict(value_words("flag")).get("否", ()))


def parse_flag(value: Any) -> tuple[bool | None, str | None]:
    """Parse a ledger flag (办结标志, 重复信访标志, 积案标志, 是否延期): 是/否, 1/0, Y/N, √/×."""
    if _is_missing(value) or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return value, None
    text = normalize_text(value)
    if text is None:
        return None, None
    key = _nfkc(text).strip().lower()
    if key in _TRUE_WORDS:
        return True, None
    if key in _FALSE_WORDS or key in NULL_WORDS:
        return False, None
    return None, f"无法识别的标志值 (应为 是/否): {text}"


# --- ID numbers -----------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_SCI = re.compile(r"^[0-9](?:\.[0-9]+)?E\+?[0-9]+$")


def id_check_digit(first17: str) -> str:
    """The GB 11643 (ISO 7064 MOD 11-2) check character for the first 17 digits of an ID."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_check_digits(digits: np.ndarray) -> np.ndarray:
    """:func:`id_check_digit` for many IDs at once: an (n, 17) array of digit values -> the n
    check characters (a numpy array of one-character strings)."""
    weights = np.array(_ID_WEIGHTS, dtype=np.int64)
    return np.array(list(_ID_CHECK))[(np.asarray(digits, dtype=np.int64) @ weights) % 11]


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
    text = _WS.sub("", _nfkc(str(value))).upper()
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
        value = _number_text(value)
    text = _WS.sub("", _nfkc(str(value)))
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
    text = _nfkc(text).replace(" ", "")
    if text.lower() in ANONYMOUS_ACCOUNTS or set(text) <= {"0"}:
        return None, None
    return text, None


# --- categorical values ---------------------------------------------------------------------

_CHANNEL_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = value_words("channel")


def _lookup(words: tuple[tuple[str, tuple[str, ...]], ...], key: str) -> str | None:
    for canonical, variants in words:
        if key == canonical or any(v in key for v in variants):
            return canonical
    return None


def normalize_channel(value: Any) -> tuple[str | None, str | None]:
    """信访形式 to one of schema.CHANNELS (走访 -> 来访, 网上/微信/12345 ...); unknown -> 其他."""
    text = normalize_text(value)
    if text is None:
        return None, None
    key = _nfkc(text).replace(" ", "").lower()
    if key in CHANNELS:
        return key, None
    found = _lookup(_CHANNEL_WORDS, key)
    if found:
        return found, None
    return "其他", f"无法识别的信访形式, 记为“其他”: {text}"


_LEVEL_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = value_words("visit_level")


def normalize_visit_level(value: Any) -> tuple[str | None, str | None]:
    """信访去向 to one of schema.VISIT_LEVELS: 进京/赴京 -> 国家, 赴省 -> 省, 到市 -> 市,
    到县/到区 -> 县区, 本乡/本镇/街道 -> 乡镇. Unknown text -> ``(None, problem)``."""
    text = normalize_text(value)
    if text is None:
        return None, None
    key = _nfkc(text).replace(" ", "")
    if key in VISIT_LEVELS:
        return key, None
    found = _lookup(_LEVEL_WORDS, key)
    if found:
        return found, None
    return None, f"无法识别的信访去向 (应为 乡镇/县区/市/省/国家): {text}"


_SATISFACTION_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = value_words("satisfaction")


def normalize_satisfaction(value: Any) -> tuple[str | None, str | None]:
    """满意度 to one of schema.SATISFACTION_VALUES (比较满意 -> 基本满意, 未回访 -> 未评价 ...)."""
    text = normalize_text(value)
    if text is None:
        return None, None
    key = _nfkc(text).replace(" ", "")
    if key in SATISFACTION_VALUES:
        return key, None
    found = _lookup(_SATISFACTION_WORDS, key)
    if found:
        return found, None
    return None, f"无法识别的满意度 (应为 满意/基本满意/不满意/未评价): {text}"


_MATTER_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = value_words("matter_type")


def normalize_matter_type(value: Any) -> tuple[str | None, str | None]:
    """事项类型 to one of schema.MATTER_TYPES; unknown text is kept with a note."""
    text = normalize_text(value)
    if text is None:
        return None, None
    key = _nfkc(text).replace(" ", "")
    if key in MATTER_TYPES:
        return key, None
    found = _lookup(_MATTER_WORDS, key)
    if found:
        return found, None
    return text, "无法识别的事项类型 (应为 建议意见类/检举控告类/申诉求决类), 保留原文"


# --- whole columns --------------------------------------------------------------------------


def _hashable(value: Any) -> Hashable:
    return value if isinstance(value, Hashable) else str(value)


def _looks_unique(array: np.ndarray, sample: int = 2000) -> bool:
    """True when (nearly) every value of a large column is different, judged on a sample."""
    if len(array) < 4 * sample:
        return False
    head = array[:: len(array) // sample][:sample]
    try:
        return len(set(head.tolist())) >= 0.9 * len(head)
    except TypeError:
        return False


def _factorize(values: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """Codes and distinct values; code -1 (missing) is remapped to the extra last slot."""
    array = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else values
    if _looks_unique(array):  # summaries, IDs, phones: hashing them all would be wasted work
        return np.arange(len(array)), [*array.tolist(), None]
    try:
        codes, uniques = pd.factorize(array)
    except TypeError:  # an unhashable cell value
        codes, uniques = pd.factorize(np.array([_hashable(v) for v in array], dtype=object))
    uniques = np.asarray(uniques, dtype=object).tolist()
    codes = np.where(codes < 0, len(uniques), codes)
    return codes, [*uniques, None]


def _map_unique(
    values: pd.Series, func: Callable[[Any], tuple[Any, str | None]]
) -> tuple[pd.Series, pd.Series]:
    """Apply ``func`` once per distinct value; return (values, problems) aligned with ``values``."""
    codes, uniques = _factorize(values)
    results = [func(u) for u in uniques]
    out = np.empty(len(results), dtype=object)
    prob = np.empty(len(results), dtype=object)
    out[:] = [r[0] for r in results]
    prob[:] = [r[1] for r in results]
    return (
        pd.Series(out[codes], index=values.index, dtype=object),
        pd.Series(prob[codes], index=values.index, dtype=object),
    )


def _dates_unique(
    values: pd.Series,
    func: Callable[[Any, str | None], tuple[Any, str | None]],
    *,
    common: bool = False,
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Like _map_unique for date-like cells: (datetime64 dates, day counts, problems).

    ``func`` returns (Timestamp | None, problem) or (("days", n), problem) for a duration;
    ``common``: ``func`` reads the usual spellings (2019/4/25 9:32:09) as their day, so these
    are parsed all at once (:func:`_common_stamps`).
    """
    codes, uniques = _factorize(values)
    n = len(uniques)
    fast, fast_days, _seconds = _common_stamps(uniques) if common else (np.zeros(n, bool), (), ())
    # empty cells (None, "") are empty dates: not handed to func one by one
    empty = np.fromiter((u is None or (type(u) is str and not u) for u in uniques), bool, n)
    rest = np.flatnonzero(~fast & ~empty)
    order = day_month_order([uniques[k] for k in rest])  # the usual spellings say nothing
    results = [func(uniques[k], order) for k in rest]
    dates = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    dates[fast] = fast_days
    dates[rest] = np.array(
        [r[0] if isinstance(r[0], _dt.date) else None for r in results], dtype="datetime64[D]"
    )
    dates = dates.astype("datetime64[ns]")
    days = np.full(n, np.nan)
    days[rest] = [r[0][1] if isinstance(r[0], tuple) else np.nan for r in results]
    prob = np.full(n, None, dtype=object)
    prob[rest] = [r[1] for r in results]
    return (
        pd.Series(dates[codes], index=values.index),
        pd.Series(days[codes], index=values.index),
        pd.Series(prob[codes], index=values.index, dtype=object),
    )


_COMPAT = re.compile(r"[\u2000-\u206f\u3000-\u303f\ufe30-\ufe4f\uff00-\uffef]")


def _clean_str(text: str) -> str | None:
    """normalize_text for a str (the common case, kept tight for speed)."""
    t = " ".join(
        text.split()
    )  # trims and turns runs of spaces, line breaks and \u3000 into one space
    if len(t) <= 6:
        if t.isascii():
            key = t.lower()
        elif _COMPAT.search(t):  # full-width forms and the like: compare after NFKC
            key = _nfkc(t).strip().lower()
        else:
            key = t
        if key in NULL_WORDS:
            return None
    return t or None


def _text_column(values: pd.Series) -> pd.Series:
    """normalize_text over a column, vectorised for text and numbers."""
    codes, uniques = _factorize(values)
    body = uniques[:-1]
    kind = pd.api.types.infer_dtype(body, skipna=True) if body else "empty"
    if kind == "string":
        t = np.empty(len(body), dtype=object)
        t[:] = [_clean_str(x) for x in body]
        out = np.empty(len(uniques), dtype=object)
        out[:-1] = t
        out[-1] = None
    elif kind in ("floating", "integer", "mixed-integer-float"):
        numbers = np.asarray(body, dtype=float)
        whole = (np.mod(numbers, 1) == 0) & (np.abs(numbers) < 1e15)
        out = np.empty(len(uniques), dtype=object)
        out[:-1][whole] = numbers[whole].astype(np.int64).astype(str)
        out[:-1][~whole] = [normalize_text(u) for u in numbers[~whole]]
        out[-1] = None
    else:
        out = np.empty(len(uniques), dtype=object)
        out[:] = [normalize_text(u) for u in uniques]
    return pd.Series(out[codes], index=values.index, dtype=object)


def _fast_then_scalar(
    values: pd.Series,
    fast: Callable[[pd.Series], pd.Series],
    scalar: Callable[[Any], tuple[Any, str | None]],
    *,
    numbers_as_text: bool = False,
) -> tuple[pd.Series, pd.Series]:
    """Per distinct value: ``fast`` (vectorised, over text values; NA where it cannot decide)
    settles the common spellings, ``scalar`` the rest (with its problem messages).
    ``numbers_as_text``: whole numbers (Excel number cells) go to ``fast`` as digit text."""
    codes, uniques = _factorize(values)
    if numbers_as_text:
        uniques = [
            str(int(v)) if type(v) is float and v.is_integer() and 0 <= v < 1e15 else v
            for v in uniques
        ]
    u = pd.Series(uniques[:-1], dtype=object)
    out = np.empty(len(uniques), dtype=object)
    prob = np.empty(len(uniques), dtype=object)
    out[-1] = prob[-1] = None
    done = np.zeros(len(uniques), dtype=bool)
    done[-1] = True
    is_str = np.fromiter((type(v) is str for v in u), dtype=bool, count=len(u))
    if is_str.any():
        got = fast(u[is_str])
        ok = got.notna().to_numpy()
        where = np.flatnonzero(is_str)[ok]
        out[where] = got[ok].to_numpy(dtype=object)
        prob[where] = None
        done[where] = True
    rest = np.flatnonzero(~done)
    results = [scalar(uniques[k]) for k in rest]
    out[rest] = [r[0] for r in results]
    prob[rest] = [r[1] for r in results]
    return (
        pd.Series(out[codes], index=values.index, dtype=object),
        pd.Series(prob[codes], index=values.index, dtype=object),
    )


_ID_WEIGHT_ARRAY = np.array(_ID_WEIGHTS, dtype=np.int64)
_ID_CHECK_ARRAY = np.frombuffer(_ID_CHECK.encode("ascii"), dtype=np.uint8)


_ID_SHAPE = re.compile(r"[0-9]{17}[0-9Xx]")


def _ids_fast(texts: pd.Series) -> pd.Series:
    """Valid 18-character IDs in plain ASCII (the usual case), checked with numpy; NA otherwise."""
    shaped = np.fromiter(
        (_ID_SHAPE.fullmatch(v) is not None for v in texts.tolist()), dtype=bool, count=len(texts)
    )
    result = pd.Series(None, index=texts.index, dtype=object)
    if not shaped.any():
        return result
    good = texts[shaped]
    codes = np.frombuffer("".join(good).encode("ascii"), dtype=np.uint8).reshape(-1, 18).copy()
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
    values = good.to_numpy(dtype=object, copy=True)
    values[lower_x] = [v.upper() for v in values[lower_x]]
    result.loc[good.index[valid]] = values[valid]
    return result


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def _phones_fast(texts: pd.Series) -> pd.Series:
    """Plain mobile numbers (with spaces or hyphens at most); NA otherwise."""
    found = [
        t if _MOBILE.fullmatch(t) else None
        for t in (v.replace("-", "").replace(" ", "") for v in texts.tolist())
    ]
    return pd.Series(found, index=texts.index, dtype=object)


def _id_column(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    return _fast_then_scalar(values, _ids_fast, normalize_id_number)


def _phone_column(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    return _fast_then_scalar(values, _phones_fast, normalize_phone, numbers_as_text=True)


def _by_year(values: pd.Series, year: int | None | pd.Series, run: Callable[..., tuple]) -> tuple:
    """Run ``run(values, year)`` once per distinct default year (year may vary by row)."""
    if not isinstance(year, pd.Series):
        return run(values, None if year is None or pd.isna(year) else int(year))
    parts = []
    for y, idx in year.groupby(year.fillna(-1), sort=False).groups.items():
        parts.append(run(values.loc[idx], None if y == -1 else int(y)))
    return tuple(
        pd.concat([p[k] for p in parts]).reindex(values.index) for k in range(len(parts[0]))
    )


def _clock(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


#: the usual spelling of a date (with a time) as Arrow's RE2 reads it: _COMMON_STAMP in ASCII
_COMMON_STAMP_RE2 = (
    r"^\s*(?P<y>[0-9]{4})[-/.](?P<m>[0-9]{1,2})[-/.](?P<d>[0-9]{1,2})"
    r"(?:(?:[tT]| +)(?P<hh>[0-9]{1,2}):(?P<mm>[0-9]{2})(?::(?P<ss>[0-9]{2}))?)?\s*$"
)


def _common_stamps(uniques: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct values in the usual spelling (2019-04-25, 2019/4/25 9:32:09) parsed at once
    with Arrow's kernels: (which ones, their days as datetime64[D], their seconds since
    midnight, 0 for none). A value that is not plainly valid (a day that does not exist, out of
    1980-2100, a time past 23:59:59) is left to :func:`_parse_stamp`, which says what is wrong;
    for the others the answer is the one it would give."""
    n = len(uniques)
    none = np.zeros(n, dtype=bool), np.empty(0, "datetime64[D]"), np.empty(0, np.int64)
    if n < 256:  # not worth it
        return none
    import pyarrow as pa
    import pyarrow.compute as pc

    try:  # the usual column: text only (and the None of missing cells)
        array = pa.array(uniques, type=pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):
        texts = [u if type(u) is str and u.isascii() else None for u in uniques]
        array = pa.array(texts, type=pa.string())
    parts = pc.extract_regex(array, _COMMON_STAMP_RE2)  # ASCII digits and separators only
    ok = parts.is_valid().to_numpy(zero_copy_only=False)
    if ok.sum() < 256:
        return none

    def field(name: str) -> np.ndarray:
        column = parts.field(name)
        column = pc.if_else(pc.equal(column, ""), None, column)
        return pc.cast(column, pa.int64()).fill_null(-1).to_numpy(zero_copy_only=False)[ok]

    y, m, d, hh, mm, ss = (field(k) for k in ("y", "m", "d", "hh", "mm", "ss"))
    in_range = (m >= 1) & (m <= 12) & (d >= 1) & (d <= 31) & (y >= 1) & (y <= 9999)
    months = np.where(in_range, (y - 1970) * 12 + m - 1, 0).astype("datetime64[M]")
    days = months.astype("datetime64[D]") + np.where(in_range, d - 1, 0)
    # a day past the end of its month (2月30日) runs into the next month: not a date
    exists = in_range & (days.astype("datetime64[M]") == months)
    valid = (
        exists
        & (y >= _MIN_DAY.year)
        & (y <= _MAX_DAY.year)
        & (hh <= 23)
        & (mm <= 59)
        & (ss <= 59)
        & ((hh < 0) == (mm < 0))
    )
    seconds = np.where(hh < 0, 0, hh * 3600 + mm * 60 + np.maximum(ss, 0))
    rows = np.flatnonzero(ok)
    ok[rows[~valid]] = False
    return ok, days[valid], seconds[valid].astype(np.int64)


@lru_cache(maxsize=1)
def _clock_table() -> np.ndarray:
    """ "HH:MM:SS" of every second of a day (index 0 is None: no time of day)."""
    table = np.array(
        [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)], dtype=object
    )
    table[0] = None
    return table


def _stamps_unique(values: pd.Series, year: int | None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(datetime64 days, time-of-day text, problems): each distinct spelling parsed once (the
    usual spellings all at once, :func:`_common_stamps`), the day/month order of ``N/N/YYYY``
    decided once for the column (:func:`day_month_order`)."""
    codes, uniques = _factorize(values)
    fast, fast_days, fast_seconds = _common_stamps(uniques)
    n = len(uniques)
    days = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    seconds = np.zeros(n, dtype=np.int64)
    prob = np.full(n, None, dtype=object)
    days[fast], seconds[fast] = fast_days, fast_seconds
    # empty cells (None, "") are empty dates: not parsed one by one
    empty = np.fromiter((u is None or (type(u) is str and not u) for u in uniques), bool, n)
    rest = np.flatnonzero(~fast & ~empty)
    order = day_month_order([uniques[k] for k in rest])  # the usual spellings say nothing
    for k in rest:
        day, secs, prob[k] = _parse_stamp_shared(uniques[k], year, order)
        if day is not None:
            days[k] = day
        seconds[k] = secs or 0
    clock = _clock_table()[seconds]
    return (
        pd.Series(days.astype("datetime64[ns]")[codes], index=values.index),
        pd.Series(clock[codes], index=values.index, dtype=object),
        pd.Series(prob[codes], index=values.index, dtype=object),
    )


def parse_datetime_column(
    values: pd.Series, *, year: int | None | pd.Series = None
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Vectorised :func:`parse_datetime`: ``(datetime64 days, "HH:MM:SS" text or NA, problems)``.

    The day and the time of day are kept apart (the time never moves the day). ``year`` as in
    :func:`parse_date_column`. Each distinct cell value is parsed once.
    """
    if len(values) == 0:
        empty = pd.Series(None, index=values.index, dtype=object)
        return pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]"), empty, empty.copy()
    days, clock, prob = _by_year(values, year, _stamps_unique)
    return days.astype("datetime64[ns]"), clock.astype(TEXT_DTYPE), prob


def parse_date_column(
    values: pd.Series, *, year: int | None | pd.Series = None
) -> tuple[pd.Series, pd.Series]:
    """Vectorised :func:`parse_date`: ``(datetime64 Series, problem Series)``.

    ``year`` may be a Series (one default year per row, e.g. per sheet) or a single value.
    Each distinct cell value is parsed once.
    """
    days, _clock_text, prob = parse_datetime_column(values, year=year)
    return days, prob


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


def _deadline_value(value: Any, year: int | None, order: str | None) -> tuple[Any, str | None]:
    """A deadline cell: ('days', n) for a duration, a Timestamp for a date."""
    if is_null(value):
        return None, None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        if float(value).is_integer() and 0 < float(value) <= 366:
            return ("days", int(value)), None
    elif isinstance(value, str):
        text = _WS.sub("", _nfkc(value))
        m = _DURATION.match(text)
        days = int(m[1]) if m else None
        if days is None and (z := _ZH_DURATION.match(text)):  # 六十天, 三十个工作日
            days = _zh_number(z[1])
        if days is not None and 0 < days <= 366:
            if "工作日" in text:
                return ("days", days), "时限按工作日填写, 这里按自然日计算"
            return ("days", days), None
    return _parse_day_shared(value, year, order)


def _closed_value(value: Any, year: int | None, order: str | None) -> tuple[Any, str | None]:
    if isinstance(value, str) and _WS.sub("", _nfkc(value)) in _OPEN_WORDS:
        return None, None
    return _parse_day_shared(value, year, order)


def _issue_rows(raw: pd.DataFrame, column: str, problems: pd.Series) -> pd.DataFrame | None:
    mask = problems.notna().to_numpy()
    if not mask.any():
        return None
    sub = raw.loc[mask]
    n = int(mask.sum())
    original = raw[column].loc[mask] if column in raw.columns else pd.Series([""] * n)
    return pd.DataFrame(
        {
            "source_file": sub["source_file"].to_numpy() if "source_file" in sub else [None] * n,
            "source_sheet": sub["source_sheet"].to_numpy() if "source_sheet" in sub else [None] * n,
            "source_row": sub["source_row"].to_numpy() if "source_row" in sub else [None] * n,
            "column": column,
            "value": [_issue_value(v) for v in original],
            "problem": problems.loc[mask].to_numpy(),
        }
    )


def _issue_value(value: Any) -> str:
    if _is_missing(value):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1e15:
        # the digits Excel kept (15 significant), as Excel shows them in a number format
        return format(Decimal(f"{value:.15g}"), "f")
    return str(value)


def _as_date(value: _dt.date | str | None) -> _dt.date | None:
    return None if value is None else pd.Timestamp(value).date()


_SCALAR: dict[str, Callable[[Any], tuple[Any, str | None]]] = {
    "channel": normalize_channel,
    "visit_level": normalize_visit_level,
    "satisfaction": normalize_satisfaction,
    "matter_type": normalize_matter_type,
    "person_count": parse_count,
    "account_id": normalize_account,
}


def _late_dates(
    received: pd.Series,
    year: int | None | pd.Series,
    today: _dt.date | None,
    period_end: _dt.date | None = None,
) -> pd.Series:
    """Problems for received dates after today, after the period the sheet's title names, or
    after the year the sheet belongs to."""
    problems = pd.Series(None, index=received.index, dtype=object)
    limit = pd.Timestamp(today or _dt.date.today())
    after_today = (received > limit).to_numpy().copy()
    if after_today.any():
        problems[after_today] = f"登记日期晚于今天 ({limit.date()}), 请核对"
    if period_end is not None:
        after_period = (received > pd.Timestamp(period_end)).to_numpy() & ~after_today
        if after_period.any():
            problems[after_period] = f"登记日期晚于本表标题的统计期 (截至 {period_end}), 请核对"
        after_today |= after_period
    if year is not None:
        years = year if isinstance(year, pd.Series) else pd.Series(year, index=received.index)
        years = pd.to_numeric(years, errors="coerce").reindex(received.index)
        late = (received.dt.year > years).fillna(False).to_numpy(dtype=bool) & ~after_today
        if late.any():
            problems[late] = [
                f"登记日期晚于本表所属的 {int(y)} 年, 请核对" for y in years[late].tolist()
            ]
    return problems


def clean_cases(
    raw: pd.DataFrame,
    *,
    year: int | None | pd.Series = None,
    today: _dt.date | str | None = None,
    period_end: _dt.date | str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean a frame of raw canonical columns; return ``(cases, issues)``.

    ``raw`` holds cell values as read (any of the canonical columns, the flag columns
    ``closed_flag/repeat_flag/backlog_flag/extended_flag``, provenance, and any other columns,
    which are kept as trimmed text). ``year`` is the default year for dates written without one
    (``3月5日``): one value, or a Series giving it row by row; a received date in a later year,
    after ``period_end`` (the last day a sheet's title names) or after ``today`` (default: the
    computer's date) is reported. A received date with a time
    of day fills ``received_time`` ("HH:MM:SS"). The input is not modified.
    Cases come back in :func:`schema.conform_cases` form (flag columns always present, boolean);
    issues in ``schema.ISSUE_COLUMNS``, one row per cell a person should look at.
    """
    out: dict[str, pd.Series] = {}
    issues: list[pd.DataFrame] = []

    def note(column: str, problems: pd.Series) -> None:
        frame = _issue_rows(raw, column, problems)
        if frame is not None:
            issues.append(frame)

    from ._clean_handling import HANDLED, clean_handling

    date_probs: dict[str, pd.Series] = {}
    for col in raw.columns:
        values = raw[col]
        if col in HANDLED:
            continue  # the channel and the handling columns: clean_handling, below
        if col in PROVENANCE_COLUMNS:
            out[col] = values
        elif col == "received_date":
            out[col], clock, date_probs[col] = parse_datetime_column(values, year=year)
            if clock.notna().any():
                out["received_time"] = clock
            note(col, date_probs[col])
            note(col, _late_dates(out[col], year, _as_date(today), _as_date(period_end)))
        elif col == "deadline":
            continue  # needs received_date, below
        elif col == "closed_date":
            dates, _days, prob = _by_year(
                values,
                year,
                lambda v, y: _dates_unique(v, lambda x, o: _closed_value(x, y, o), common=True),
            )
            out[col] = dates.astype("datetime64[ns]")
            note(col, prob)
        elif col == "id_number":
            out[col], prob = _id_column(values)
            note(col, prob)
        elif col == "phone":
            out[col], prob = _phone_column(values)
            note(col, prob)
        elif col in _SCALAR:
            out[col], prob = _map_unique(values, _SCALAR[col])
            note(col, prob)
        elif col in FLAG_COLUMNS:
            flags, prob = _map_unique(values, parse_flag)
            out[col] = flags.astype("boolean")
            note(col, prob)
        elif col == "case_id":  # a code: NFKC as well (full-width letters and digits)
            text = _text_column(values)
            wide = text.notna().to_numpy() & ~text.str.isascii().fillna(True).to_numpy(dtype=bool)
            if wide.any():
                text[wide] = [_nfkc(v) for v in text[wide]]
            out[col] = text
        else:
            out[col] = _text_column(values)
    sheet_notes = clean_handling(raw, out, year=year, note=note)
    if sheet_notes:
        issues.append(pd.DataFrame(sheet_notes))
    if "deadline" in raw.columns:
        dates, days, prob = _by_year(
            raw["deadline"],
            year,
            lambda v, y: _dates_unique(v, lambda x, o: _deadline_value(x, y, o)),
        )
        is_days = days.notna()
        received = out.get("received_date")
        if received is not None:
            by_days = received + pd.to_timedelta(days, unit="D")
            no_start = is_days & received.isna()
        else:
            by_days = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
            no_start = is_days
        prob = prob.where(~no_start, "时限写成天数, 但没有登记日期, 无法算出截止日期")
        out["deadline"] = dates.astype("datetime64[ns]").where(~is_days, by_days)
        note("deadline", prob)
    cases = conform_cases(pd.DataFrame(out, index=raw.index))
    for col in FLAG_COLUMNS:
        if col not in cases.columns:
            n = len(cases)
            cases[col] = pd.arrays.BooleanArray(np.zeros(n, dtype=bool), np.ones(n, dtype=bool))
    # cross-field checks a person should know about
    if "received_date" in raw.columns and "closed_date" in raw.columns:
        bad = cases["closed_date"] < cases["received_date"]
        if bad.any():
            note(
                "closed_date",
                pd.Series(None, index=raw.index, dtype=object).where(~bad, "办结日期早于登记日期"),
            )
    if "received_date" in raw.columns:
        missing = cases["received_date"].isna() & date_probs["received_date"].isna()
        if missing.any():
            note(
                "received_date",
                pd.Series(None, index=raw.index, dtype=object).where(~missing, "缺少登记日期"),
            )
    issue_frame = pd.concat(issues, ignore_index=True) if issues else empty_issues()
    issue_frame = issue_frame.astype({c: "string" for c in ISSUE_COLUMNS if c != "source_row"})
    issue_frame["source_row"] = pd.to_numeric(issue_frame["source_row"]).astype("Int64")
    return cases, issue_frame
