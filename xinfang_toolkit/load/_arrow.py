"""Arrow string columns (from fastexcel or pyarrow.csv) -> the object grid the loader reads.

Each column is dictionary-encoded in Arrow first, so every distinct spelling becomes one Python
object and is looked at once (control characters, date-time text); the grid column is then the
distinct values taken by their codes. Nothing is done per cell in Python.
"""

from __future__ import annotations

import datetime as _dt
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ._grid import CellNote

#: C0 control characters other than tab, line feed and carriage return (NUL above all)
_CONTROL = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]"
_CONTROL_RE = re.compile(_CONTROL)
CONTROL_PROBLEM = "单元格里有不可见的控制字符 (如 NUL 空字节), 已删除 / control characters removed"

#: how fastexcel writes a date or time cell when a column is read as text
_DATETIME = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?$"


def _shown(text: str) -> str:
    """The text with its control characters made visible (\\x00), for the issue list."""
    return _CONTROL_RE.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


def _as_cell(text: str) -> object:
    """A fastexcel date-time text back to the value the cell holds: a date (midnight), a time
    (a time-only cell, Excel day 0) or a date-time. A text cell typed in that shape that is no
    date (2025-02-30 10:00:00) stays text: the date reader says what is wrong with it."""
    try:
        if text < "1900":  # Excel day 0 (1899-12-30/31): a time-only cell
            return _dt.datetime.fromisoformat(text).time()
        if not text[11:].strip("0:."):  # midnight, told from the text (00:00:00, 00:00:00.000)
            return _dt.date.fromisoformat(text[:10])
        return _dt.datetime.fromisoformat(text)
    except ValueError:
        return text


BAD_BYTES = "单元格里有无法按 {encoding} 解码的字节, 已用 � 代替; 请核对原文件 / undecodable bytes"


def _decoded(
    raw: list[bytes], encoding: str, j: int, codes: np.ndarray, notes: list[CellNote]
) -> list[str]:
    """Distinct byte strings of a column decoded once each (a bad one is replaced, and noted)."""
    try:
        return [b.decode(encoding) for b in raw]
    except UnicodeDecodeError:
        out = []
        for k, b in enumerate(raw):
            try:
                out.append(b.decode(encoding))
            except UnicodeDecodeError:
                text = b.decode(encoding, errors="replace")
                out.append(text)
                problem = BAD_BYTES.format(encoding=encoding.upper())
                notes.extend(CellNote(int(i), j, text, problem) for i in np.flatnonzero(codes == k))
        return out


#: a column this long whose first values are nearly all different (case numbers, summaries,
#: date-times) is read as it is: encoding it first would find no repeats to save work on
_DIRECT_ROWS = 8000
_SAMPLE = 2000


def _mostly_distinct(array: pa.Array) -> bool:
    if len(array) < _DIRECT_ROWS:
        return False
    head = array.slice(0, _SAMPLE)
    return pc.count_distinct(head).as_py() >= 0.9 * _SAMPLE


def _column(
    array: pa.Array | pa.ChunkedArray,
    j: int,
    *,
    dates: bool,
    notes: list[CellNote],
    encoding: str | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """One grid column: object array, "" for empty cells. A binary column (a CSV parsed as
    bytes) has its distinct values decoded from ``encoding``. Also returns ``column != ""``."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    binary = pa.types.is_binary(array.type) or pa.types.is_large_binary(array.type)
    if (
        not binary
        and not pa.types.is_string(array.type)
        and not pa.types.is_large_string(array.type)
    ):
        array = pc.cast(array, pa.string())
    if not binary and _mostly_distinct(array):
        cells = array.to_numpy(zero_copy_only=False)
        filled = pc.not_equal(array, "").fill_null(False).to_numpy(zero_copy_only=False)
        cells[~filled] = ""  # missing and empty cells alike
        _fix_cells(array, cells, filled, lambda k: np.array([k]), j, dates, notes)
        return cells, filled
    encoded = pc.dictionary_encode(array)
    dictionary = encoded.dictionary
    codes = encoded.indices.fill_null(len(dictionary)).to_numpy(zero_copy_only=False)
    uniques = np.empty(len(dictionary) + 1, dtype=object)
    if binary:
        uniques[:-1] = _decoded(dictionary.to_pylist(), encoding or "utf-8", j, codes, notes)
    else:
        uniques[:-1] = dictionary.to_numpy(zero_copy_only=False)
    uniques[-1] = ""
    filled = np.zeros(len(uniques), dtype=bool)  # the last slot: empty cells
    if len(dictionary):
        filled[:-1] = pc.not_equal(dictionary, "").to_numpy(zero_copy_only=False)
        _fix_cells(
            dictionary, uniques, filled, lambda k: np.flatnonzero(codes == k), j, dates, notes
        )
    return uniques[codes], filled[codes]


def _fix_cells(
    texts: pa.Array,
    cells: np.ndarray,
    filled: np.ndarray,
    rows_of,
    j: int,
    dates: bool,
    notes: list[CellNote],
) -> None:
    """Control characters removed (a note for each row that had them) and fastexcel's
    date-time text turned back into dates, in ``cells`` (the values of ``texts``, by position);
    ``rows_of(k)``: the grid rows holding value ``k``."""
    bad = pc.match_substring_regex(texts, _CONTROL).fill_null(False).to_numpy(False)
    for k in np.flatnonzero(bad):
        original = cells[k]
        cells[k] = _CONTROL_RE.sub("", original)
        filled[k] = cells[k] != ""  # only control characters: an empty cell
        shown = _shown(original)
        notes.extend(CellNote(int(i), j, shown, CONTROL_PROBLEM) for i in rows_of(k))
    if dates:
        stamps = pc.match_substring_regex(texts, _DATETIME).fill_null(False).to_numpy(False)
        for k in np.flatnonzero(stamps):
            cells[k] = _as_cell(cells[k])


def grid_from_arrow(
    columns: list[pa.Array | pa.ChunkedArray],
    n_rows: int,
    *,
    width: int | None = None,
    offset: int = 0,
    dates: bool = False,
    encoding: str | None = None,
) -> tuple[np.ndarray, list[CellNote], np.ndarray]:
    """Object grid (n_rows x width) with column ``k`` of ``columns`` at grid column
    ``offset + k``; ``dates``: turn fastexcel date-time text back into date/time values;
    ``encoding``: of binary columns. Returns (cells, notes, cells != "")."""
    width = offset + len(columns) if width is None else width
    cells = np.empty((n_rows, width), dtype=object)
    nonblank = np.zeros((n_rows, width), dtype=bool)
    filled = np.zeros(width, dtype=bool)
    notes: list[CellNote] = []
    for k, array in enumerate(columns):
        column, nonblank[:, offset + k] = _column(
            array, offset + k, dates=dates, notes=notes, encoding=encoding
        )
        cells[:, offset + k] = column
        filled[offset + k] = True
    for j in np.flatnonzero(~filled):
        cells[:, j] = ""
    return cells, notes, nonblank
