"""Date columns: each distinct spelling parsed once, the usual spellings (2019/4/25 9:32:09) all
at once with Arrow's kernels, the day/month order of ``N/N/YYYY`` decided once per column."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from .._base.distinct import factorize
from ..schema import TEXT_DTYPE
from ._columns import by_year
from ._dates import _MAX_DAY, _MIN_DAY, _parse_stamp_shared, day_month_order, deadline_value

__all__ = ["parse_date_column", "parse_datetime_column"]


def dates_unique(
    values: pd.Series,
    func: Callable[[Any, str | None], tuple[Any, str | None]],
    *,
    common: bool = False,
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Like map_unique for date-like cells: (datetime64 dates, day counts, problems).

    ``func`` returns (Timestamp | None, problem) or (("days", n), problem) for a duration;
    ``common``: ``func`` reads the usual spellings (2019/4/25 9:32:09) as their day, so these
    are parsed all at once (:func:`_common_stamps`).
    """
    codes, uniques = factorize(values)
    n = len(uniques)
    fast, fast_days, _seconds = _common_stamps(uniques) if common else (np.zeros(n, bool), (), ())
    # empty cells (None, "") are empty dates: not handed to func one by one
    rest = _to_parse(uniques, fast)
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


#: the usual spelling of a date (with a time) as Arrow's RE2 reads it: _COMMON_STAMP in ASCII
_COMMON_STAMP_RE2 = (
    r"^\s*(?P<y>[0-9]{4})[-/.](?P<m>[0-9]{1,2})[-/.](?P<d>[0-9]{1,2})"
    r"(?:(?:[tT]| +)(?P<hh>[0-9]{1,2}):(?P<mm>[0-9]{2})(?::(?P<ss>[0-9]{2}))?)?\s*$"
)
#: the same without spaces around: the numbers are the runs of digits, read with numpy
_PLAIN_STAMP_RE2 = (
    r"^[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}(?:(?:[tT]| +)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?$"
)
#: the longest plain spelling read with numpy (2019/12/31 23:59:59 with spaces to spare)
_PLAIN_WIDTH = 24
_FIELDS = ("y", "m", "d", "hh", "mm", "ss")


def _text_array(uniques: list):
    """The distinct values as an Arrow string array (what is not text: null)."""
    import pyarrow as pa

    try:  # the usual column: text only (and the None of missing cells)
        return pa.array(uniques, type=pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):
        texts = [u if type(u) is str and u.isascii() else None for u in uniques]
        return pa.array(texts, type=pa.string())


def _plain_fields(array) -> tuple[np.ndarray, np.ndarray]:
    """``(ok, fields)`` for the values written plainly (:data:`_PLAIN_STAMP_RE2`): which ones,
    and their six numbers (n, 6) (-1 for the time parts a value has not). The values are
    padded to one width and read as a matrix of bytes: each number starts where a digit
    follows a non-digit."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(array)
    fields = np.full((n, 6), -1, dtype=np.int64)
    ok = pc.match_substring_regex(array, _PLAIN_STAMP_RE2).fill_null(False)
    ok = ok.to_numpy(zero_copy_only=False) & (
        pc.binary_length(array).fill_null(0).to_numpy(zero_copy_only=False) < _PLAIN_WIDTH
    )
    rows = np.flatnonzero(ok)
    if not len(rows):
        return ok, fields
    padded = pc.utf8_rpad(array.filter(pa.array(ok)), width=_PLAIN_WIDTH, padding=" ")
    data = np.frombuffer(padded.buffers()[2], dtype=np.uint8)[: len(rows) * _PLAIN_WIDTH]
    digit = (data >= ord("0")) & (data <= ord("9"))
    starts = digit.copy()
    starts[1:] &= ~digit[:-1]  # a value's last byte is padding: no number runs into the next
    at = np.flatnonzero(starts)  # value by value, each value's numbers in order
    count = np.bincount(at // _PLAIN_WIDTH, minlength=len(rows))
    value = data[at].astype(np.int64) - ord("0")
    two = digit[at + 1]
    number = np.where(two, value * 10 + data[at + 1] - ord("0"), value)
    first = np.cumsum(count) - count
    year = data.reshape(len(rows), _PLAIN_WIDTH)[:, :4].astype(np.int64) - ord("0")
    fields[rows, 0] = year @ np.array([1000, 100, 10, 1])
    for k in range(1, 6):
        has = count > k
        fields[rows[has], k] = number[first[has] + k]
    return ok, fields


def _stamp_fields(array) -> tuple[np.ndarray, np.ndarray]:
    """``(ok, fields)`` for the values in the usual spelling: the plain ones read with numpy
    (:func:`_plain_fields`), those with spaces around by Arrow's regular expressions."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ok, fields = _plain_fields(array)
    rest = ~ok & array.is_valid().to_numpy(zero_copy_only=False)
    if not rest.any():
        return ok, fields
    parts = pc.extract_regex(array.filter(pa.array(rest)), _COMMON_STAMP_RE2)
    found = parts.is_valid().to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(rest)[found]
    for k, name in enumerate(_FIELDS):
        column = parts.field(name)
        column = pc.if_else(pc.equal(column, ""), None, column)
        fields[rows, k] = (
            pc.cast(column, pa.int64()).fill_null(-1).to_numpy(zero_copy_only=False)[found]
        )
    ok[rows] = True
    return ok, fields


def _common_stamps(uniques: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct values in the usual spelling (2019-04-25, 2019/4/25 9:32:09) and the real
    date cells (date and date-time objects) read at once: (which ones, their days as
    datetime64[D], their seconds since midnight, 0 for none). A value that is not plainly valid
    (a day that does not exist, out of 1980-2100, a time past 23:59:59) is left to
    :func:`_parse_stamp`, which says what is wrong; for the others the answer is the one it
    would give."""
    n = len(uniques)
    ok = np.zeros(n, dtype=bool)
    days = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    seconds = np.zeros(n, dtype=np.int64)
    _date_cells(uniques, ok, days, seconds)
    if n - int(ok.sum()) >= 256:  # enough text for Arrow to be worth it
        _text_stamps(uniques, ok, days, seconds)
    return ok, days[ok], seconds[ok]


def _is_date_cell(value: Any) -> bool:
    return type(value) is _dt.date or (type(value) is _dt.datetime and value.tzinfo is None)


def _date_cell_stamps(uniques: list) -> tuple[np.ndarray, np.ndarray]:
    """``(where, stamps)``: the positions of the date and date-time objects without a time
    zone, and their datetime64[us]. A column of date cells only is told and converted by
    pandas in C; a mixed one (dates among texts) is looked at value by value."""
    objects = np.fromiter(uniques, dtype=object, count=len(uniques))
    # factorize's last slot is the one of missing cells (None); without missing cells among
    # the others pandas tells the kind at once (skipping missing values costs ten times more)
    body = objects[:-1] if len(objects) and objects[-1] is None else objects
    kind = pd.api.types.infer_dtype(body, skipna=False)
    if kind in ("date", "datetime"):
        where = np.arange(len(body))
    elif kind.startswith("mixed"):
        kind = pd.api.types.infer_dtype(objects, skipna=True)
        where = np.flatnonzero(pd.notna(objects))
    if kind in ("date", "datetime"):
        try:  # naive ones only: a time zone makes pandas answer in it, or refuse a mix
            stamps = pd.to_datetime(objects[where])
        except (ValueError, TypeError):
            stamps = None
        if stamps is not None and stamps.tz is None:
            return where, stamps.to_numpy().astype("datetime64[us]")
    elif not kind.startswith("mixed"):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype="datetime64[us]")
    where = np.flatnonzero([_is_date_cell(u) for u in uniques])
    return where, pd.to_datetime(objects[where]).to_numpy().astype("datetime64[us]")


def _date_cells(uniques: list, ok: np.ndarray, days: np.ndarray, seconds: np.ndarray) -> None:
    """Date and date-time objects (cells Excel keeps as dates) converted at once (pandas
    converts them in C; numpy's own conversion is some 20 times slower)."""
    where, stamps = _date_cell_stamps(uniques)
    if not len(where):
        return
    day = stamps.astype("datetime64[D]")
    valid = (day >= np.datetime64(_MIN_DAY)) & (day <= np.datetime64(_MAX_DAY))
    where, day, stamps = where[valid], day[valid], stamps[valid]
    ok[where] = True
    days[where] = day
    # whole seconds, as the one-by-one reader counts them (microseconds dropped)
    seconds[where] = (stamps - day).astype("timedelta64[s]").astype(np.int64)


def _text_stamps(uniques: list, ok: np.ndarray, days: np.ndarray, seconds: np.ndarray) -> None:
    """Text in the usual spelling (:func:`_stamp_fields`), when 256 values or more have it."""
    found, fields = _stamp_fields(_text_array(uniques))
    found &= ~ok
    if found.sum() < 256:
        return
    y, m, d, hh, mm, ss = fields[found].T
    in_range = (m >= 1) & (m <= 12) & (d >= 1) & (d <= 31) & (y >= 1) & (y <= 9999)
    months = np.where(in_range, (y - 1970) * 12 + m - 1, 0).astype("datetime64[M]")
    day = months.astype("datetime64[D]") + np.where(in_range, d - 1, 0)
    # a day past the end of its month (2月30日) runs into the next month: not a date
    exists = in_range & (day.astype("datetime64[M]") == months)
    valid = (
        exists
        & (y >= _MIN_DAY.year)
        & (y <= _MAX_DAY.year)
        & (hh <= 23)
        & (mm <= 59)
        & (ss <= 59)
        & ((hh < 0) == (mm < 0))
    )
    rows = np.flatnonzero(found)[valid]
    ok[rows] = True
    days[rows] = day[valid]
    seconds[rows] = np.where(hh < 0, 0, hh * 3600 + mm * 60 + np.maximum(ss, 0))[valid]


@lru_cache(maxsize=1)
def _clock_table() -> pd.api.extensions.ExtensionArray:
    """ "HH:MM:SS" of every second of a day as text (index 0 is missing: no time of day); the
    rows take theirs from it by number, each text checked once here, not once per row."""
    table = np.array(
        [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(86400)], dtype=object
    )
    table[0] = None
    return pd.array(table, dtype=TEXT_DTYPE)


def _to_parse(uniques: list, fast: np.ndarray) -> np.ndarray:
    """The distinct values left to parse one by one: neither read at once (``fast``) nor empty
    (None, ""): an empty cell is an empty date."""
    rest = [k for k in np.flatnonzero(~fast).tolist() if not _empty(uniques[k])]
    return np.array(rest, dtype=np.int64)


def _empty(value: Any) -> bool:
    return value is None or (type(value) is str and not value)


def _stamps_unique(values: pd.Series, year: int | None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(datetime64 days, time-of-day text, problems): each distinct spelling parsed once (the
    usual spellings all at once, :func:`_common_stamps`), the day/month order of ``N/N/YYYY``
    decided once for the column (:func:`day_month_order`)."""
    codes, uniques = factorize(values)
    fast, fast_days, fast_seconds = _common_stamps(uniques)
    n = len(uniques)
    days = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    seconds = np.zeros(n, dtype=np.int64)
    prob = np.full(n, None, dtype=object)
    days[fast], seconds[fast] = fast_days, fast_seconds
    # empty cells (None, "") are empty dates: not parsed one by one
    rest = _to_parse(uniques, fast)
    order = day_month_order([uniques[k] for k in rest])  # the usual spellings say nothing
    for k in rest:
        day, secs, prob[k] = _parse_stamp_shared(uniques[k], year, order)
        if day is not None:
            days[k] = day
        seconds[k] = secs or 0
    clock = _clock_table().take(seconds[codes])
    return (
        pd.Series(days.astype("datetime64[ns]")[codes], index=values.index),
        pd.Series(clock, index=values.index),
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
    days, clock, prob = by_year(values, year, _stamps_unique)
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


def due_dates(
    values: pd.Series, start: pd.Series | None, year, no_start: str
) -> tuple[pd.Series, pd.Series]:
    """A due-date column (办理时限, 反馈期限): a date, or a number of days counted from
    ``start`` (the received or assignment date). Returns the dates and each row's problem;
    a number of days without a start date gets the problem ``no_start``."""
    dates, days, problems = by_year(
        values, year, lambda v, y: dates_unique(v, lambda x, o: deadline_value(x, y, o))
    )
    is_days = days.notna()
    if start is not None:
        by_days = start + pd.to_timedelta(days, unit="D")
        missing_start = is_days & start.isna()
    else:
        by_days = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
        missing_start = is_days
    problems = problems.where(~missing_start, no_start)
    return dates.astype("datetime64[ns]").where(~is_days, by_days), problems
