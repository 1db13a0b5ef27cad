"""Turn clean values into the cells real ledgers hold: mixed date spellings, counts written as
"3人" or "三人", full-width digits, null words, IDs that Excel stored as numbers, phones with
dashes, channel and level variants. Each function maps a column to a list of cell values:
``datetime.date`` (a real date cell), ``float``/``int`` (a number cell), ``str`` or ``None``.

Nothing is destroyed except on purpose (IDs stored as numbers lose their last digits, as in
Excel): a correct loader recovers every other value.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_CN_DIGITS = "零一二三四五六七八九"
NULL_WORDS = ("无", "/", "—", "不详")

CHANNEL_VARIANTS: dict[str, tuple[str, ...]] = {
    "来访": ("来访", "走访", "到访"),
    "来信": ("来信", "信件"),
    "网上信访": ("网上信访", "网上", "网信", "阳光信访"),
    "来电": ("来电", "电话"),
    "传真": ("传真",),
    "其他": ("其他",),
}
LEVEL_VARIANTS: dict[str, tuple[str, ...]] = {
    "国家": ("国家", "进京", "赴京"),
    "省": ("省", "赴省", "到省"),
    "市": ("市", "到市", "赴市"),
    "县区": ("县区", "到县", "县"),
    "乡镇": ("乡镇", "本乡", "本镇"),
}
SATISFACTION_VARIANTS: dict[str, tuple[str, ...]] = {
    "满意": ("满意", "很满意"),
    "基本满意": ("基本满意", "比较满意"),
    "不满意": ("不满意",),
    "未评价": ("未评价", "未回访"),
}
OPEN_WORDS = ("未办结", "正在办理")


def fullwidth(text: str) -> str:
    return text.translate(_FULLWIDTH)


def chinese_number(k: int) -> str:
    """1..99 in Chinese numerals: 3 -> 三, 12 -> 十二, 20 -> 二十, 35 -> 三十五."""
    if not 0 < k < 100:
        return str(k)
    tens, ones = divmod(k, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def _objects(values: pd.Series) -> list:
    """The column as Python objects (datetime.date for dates, int for counts), None if missing."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        days = values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
        return days.astype(object).tolist()  # NaT -> None
    if pd.api.types.is_integer_dtype(values.dtype):
        return [None if v is pd.NA else int(v) for v in values.astype(object).tolist()]
    obj = values.astype(object)
    return obj.where(values.notna(), None).tolist()


def _null_cell(rng: np.random.Generator, messy: bool):
    if not messy or rng.random() < 0.6:
        return None
    return str(rng.choice(NULL_WORDS))


def date_cells(
    values: pd.Series,
    rng: np.random.Generator,
    *,
    messy: bool,
    monthday_year: int | None = None,
    text_only: bool = False,
) -> list:
    """Dates in the spellings ledgers use. ``monthday_year``: rows of that year may be written
    as 3月5日 (the title carries the year). ``text_only``: CSV, no date or number cells."""
    out = []
    styles = np.array(
        ["cell", "serial", "dot", "slash", "compact", "cn", "monthday", "full", "iso"]
    )
    p = np.array([0.42, 0.08, 0.1, 0.1, 0.05, 0.1, 0.07, 0.03, 0.05])
    picks = rng.choice(styles, len(values), p=p)
    for d, style in zip(_objects(values), picks, strict=True):
        if d is None:
            out.append(_null_cell(rng, messy))
            continue
        if not messy:
            out.append(d.isoformat() if text_only else d)
            continue
        if style == "monthday" and d.year != monthday_year:
            style = "cn"
        if text_only and style in ("cell", "serial"):
            style = "iso"
        if style == "cell":
            out.append(d)
        elif style == "serial":
            out.append(float((d - _EXCEL_EPOCH).days))
        elif style == "dot":
            out.append(f"{d.year}.{d.month}.{d.day}")
        elif style == "slash":
            out.append(f"{d.year}/{d.month}/{d.day}")
        elif style == "compact":
            out.append(d.strftime("%Y%m%d"))
        elif style == "cn":
            out.append(f"{d.year}年{d.month}月{d.day}日")
        elif style == "monthday":
            out.append(f"{d.month}月{d.day}日")
        elif style == "full":
            out.append(fullwidth(f"{d.year}年{d.month}月{d.day}日"))
        else:
            out.append(d.isoformat())
    return out


def datetime_cells(values: pd.Series, rng: np.random.Generator, *, messy: bool) -> list:
    """Hotline timestamps: the day plus a time of day, as text (or a date cell when not messy)."""
    out = []
    secs = rng.integers(8 * 3600, 18 * 3600, len(values))
    for v, s in zip(_objects(values), secs, strict=True):
        if v is None:
            out.append(None)
            continue
        ts = dt.datetime(v.year, v.month, v.day) + dt.timedelta(seconds=int(s))
        out.append(ts.strftime("%Y-%m-%d %H:%M:%S") if messy else ts)
    return out


def closed_cells(values: pd.Series, rng: np.random.Generator, *, messy: bool, **kw) -> list:
    cells = date_cells(values, rng, messy=messy, **kw)
    if messy:
        for i, v in enumerate(_objects(values)):
            if v is None and rng.random() < 0.7:
                cells[i] = str(rng.choice(OPEN_WORDS))
    return cells


def deadline_cells(
    deadline: pd.Series, received: pd.Series, rng: np.random.Generator, *, messy: bool, **kw
) -> list:
    """A deadline 60 days after receipt is sometimes written as a duration (60天, 60日, 60)."""
    cells = date_cells(deadline, rng, messy=messy, **kw)
    if not messy:
        return cells
    days = (deadline - received).dt.days
    text_only = kw.get("text_only", False)
    for i, d in enumerate(days):
        if d == 60 and rng.random() < 0.35:
            form = rng.integers(3)
            cells[i] = "60天" if form == 0 else ("60日" if form == 1 or text_only else 60)
    return cells


def count_cells(values: pd.Series, rng: np.random.Generator, *, messy: bool) -> list:
    out = []
    forms = rng.choice(4, len(values), p=[0.6, 0.2, 0.12, 0.08])
    for v, form in zip(_objects(values), forms, strict=True):
        if v is None:
            out.append(None)
            continue
        k = int(v)
        if not messy or form == 0:
            out.append(k)
        elif form == 1:
            out.append(f"{k}人")
        elif form == 2:
            out.append(chinese_number(k) + "人")
        else:
            out.append(fullwidth(str(k)))
    return out


def id_cells(values: pd.Series, rng: np.random.Generator, *, messy: bool, numbers: bool) -> list:
    """IDs as text; some with lower-case x; with ``numbers`` some stored as an Excel number
    (a float: the last digits are lost, as when Excel converts a long number)."""
    out = []
    u = rng.random(len(values))
    for v, r in zip(_objects(values), u, strict=True):
        if v is None:
            out.append(_null_cell(rng, messy))
            continue
        s = str(v)
        if messy and s.endswith("X") and r < 0.4:
            s = s[:-1] + "x"
        elif messy and numbers and s.isdigit() and r < 0.04:
            out.append(float(s))
            continue
        elif messy and not numbers and s.isdigit() and r < 0.03:
            s = f"{float(s):.5E}"  # how Excel saves a long number to CSV: 4.10122E+17
        out.append(s)
    return out


def phone_cells(values: pd.Series, rng: np.random.Generator, *, messy: bool, numbers: bool) -> list:
    out = []
    forms = rng.choice(5, len(values), p=[0.6, 0.15, 0.1, 0.1, 0.05])
    for v, form in zip(_objects(values), forms, strict=True):
        if v is None:
            out.append(_null_cell(rng, messy))
            continue
        s = str(v)
        if not messy or form == 0:
            out.append(s)
        elif form == 1:
            out.append(f"{s[:3]}-{s[3:7]}-{s[7:]}")
        elif form == 2:
            out.append(f"{s[:3]} {s[3:7]} {s[7:]}")
        elif form == 3 and numbers:
            out.append(int(s))
        else:
            out.append(fullwidth(s))
    return out


def variant_cells(
    values: pd.Series,
    variants: dict[str, tuple[str, ...]],
    rng: np.random.Generator,
    *,
    messy: bool,
) -> list:
    out = []
    u = rng.random(len(values))
    for v, r in zip(_objects(values), u, strict=True):
        if v is None:
            out.append(_null_cell(rng, messy) if messy and rng.random() < 0.3 else None)
            continue
        choices = variants.get(str(v), (str(v),))
        out.append(choices[int(r * len(choices))] if messy else str(v))
    return out


def text_cells(values: pd.Series, rng: np.random.Generator, *, messy: bool) -> list:
    out = []
    u = rng.random(len(values))
    for v, r in zip(_objects(values), u, strict=True):
        if v is None:
            out.append(_null_cell(rng, messy))
        elif messy and r < 0.04:
            out.append(f" {v} ")
        else:
            out.append(str(v))
    return out
