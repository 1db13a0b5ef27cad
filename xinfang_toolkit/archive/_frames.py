"""Moving frames between pandas and the archive.

In: DuckDB scans an incoming frame as an Arrow table (:func:`to_arrow`).
Out: a query's answer comes as a stream of Arrow batches (DuckDB's fastest result format) and
each column is converted once, straight to the data contract's dtype (:func:`fetch`). Text is built from the
column's distinct values: a ledger repeats the same town, category and unit on every row, so
each distinct string becomes one Python object shared by its rows (DuckDB's ``.df()`` made one
per row, then pandas validated and copied every one again: 8 s of the 1,000,000-case read).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..clean import FLAG_COLUMNS
from ..schema import DATE_COLUMNS, INT_COLUMNS, TEXT_DTYPE, conform_cases
from ._store import FIELDS, KEY_COLUMNS, SOURCE_COLUMNS, sql_type

#: columns added by the archive to the data contract's, in ``cases()``
ARCHIVE_COLUMNS: tuple[str, ...] = (
    "first_seen",
    "last_seen",
    "versions",
    "case_key",
    "key_kind",
    "person_key",
)
INCOMING: tuple[str, ...] = KEY_COLUMNS + FIELDS + SOURCE_COLUMNS


def to_arrow(frame: pd.DataFrame) -> pa.Table:
    """The archive's columns of an incoming (conformed) frame as an Arrow table that DuckDB
    scans without converting Python objects; a column the frame lacks is all null.
    :data:`CAST_SQL` gives them the archive's types."""
    n = len(frame)
    columns = {}
    for col in INCOMING:
        if col not in frame.columns:
            columns[col] = pa.nulls(n, pa.string())
        elif col in DATE_COLUMNS:
            values = pd.to_datetime(frame[col]).astype("datetime64[ns]").to_numpy()
            columns[col] = pa.array(values, from_pandas=True)
        else:
            columns[col] = pa.array(frame[col], from_pandas=True)
    return pa.table(columns)


#: the SELECT list that casts a :func:`to_arrow` table to the archive's column types
CAST_SQL = ", ".join(f"CAST({c} AS {sql_type(c)}) AS {c}" for c in INCOMING)


#: an empty text array of the contract's dtype: :func:`_strings` wraps checked values like it
_EMPTY_TEXT = pd.arrays.StringArray(np.array([], dtype=object), dtype=TEXT_DTYPE)


def _strings(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Object values that are all ``str`` or ``pd.NA`` (Arrow text, built here) as a text
    array, without pandas checking every value again (a quarter of the 1,000,000-case read).
    Falls back to the checking constructor should pandas not offer the shortcut."""
    wrap = getattr(_EMPTY_TEXT, "_from_backing_data", None)
    return pd.arrays.StringArray(values, dtype=TEXT_DTYPE) if wrap is None else wrap(values)


_SAMPLE = 10_000  # rows looked at to tell a column of shared values from one of unique ones
_SMALL = 200  # answers up to this many rows are converted value by value


#: a column whose first rows are more than this share distinct is converted directly
UNIQUE_AT = 0.5
#: ... in a large answer, where memory counts more than time (see :func:`fetch`): only a column
#: whose first rows all differ (a person's ID number recurs a few times in a million rows, so
#: its first 10,000 rows hold a few repeats at most)
UNIQUE_AT_LARGE = 0.999


def text_array(
    column: pa.ChunkedArray | pa.Array, *, unique_at: float = UNIQUE_AT
) -> pd.api.extensions.ExtensionArray:
    """An Arrow text column as the contract's text array (missing as ``pd.NA``). A column of
    repeated values (towns, categories, units) is built from its distinct values, so rows with
    the same text share one Python string; a column of mostly unique values (more than
    ``unique_at`` of the values in its first rows distinct) is converted directly: quicker,
    but a value repeated in several rows is then one string per row."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if pa.types.is_null(column.type):
        column = column.cast(pa.string())
    if len(column) <= _SMALL:  # one case's history: plain Python is quicker than Arrow kernels
        values = np.array([pd.NA if v is None else v for v in column.to_pylist()], dtype=object)
        return pd.arrays.StringArray(values, dtype=TEXT_DTYPE)
    if column.null_count == len(column):  # a column no ledger filled (address, account ...)
        return _strings(np.full(len(column), pd.NA, dtype=object))
    sample = column.slice(0, _SAMPLE)
    if pc.count_distinct(sample).as_py() > (len(sample) - sample.null_count) * unique_at:
        # one value per case or person (numbers, keys, ID numbers): nothing to share
        values = column.to_numpy(zero_copy_only=False)
        if column.null_count:
            values[pc.is_null(column).to_numpy(zero_copy_only=False)] = pd.NA
    else:
        encoded = pc.dictionary_encode(column)
        words = np.append(encoded.dictionary.to_numpy(zero_copy_only=False), pd.NA)
        values = words[encoded.indices.fill_null(len(words) - 1).to_numpy()]
    return _strings(values)


def _masked(column: pa.Array | pa.ChunkedArray, kind: pa.DataType, make, dtype: str):
    """A boolean or integer Arrow column as pandas' masked array (``make``: BooleanArray or
    IntegerArray) straight from its values and nulls; a column of another type through
    pandas' own conversion to ``dtype``."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if pa.types.is_null(column.type):
        column = column.cast(kind)
    if column.type != kind and not (pa.types.is_integer(column.type) and pa.types.is_integer(kind)):
        return pd.array(column.to_pandas(), dtype=dtype)
    values = pc.fill_null(column.cast(kind), False if kind == pa.bool_() else 0)
    mask = pc.is_null(column).to_numpy(zero_copy_only=False)
    return make(values.to_numpy(zero_copy_only=False), mask)


def _column(
    name: str, column: pa.Array | pa.ChunkedArray, unique_at: float = UNIQUE_AT
) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """One Arrow column in the dtype the package uses for it: dates as datetime64[ns], flags as
    boolean, counts as Int64, text as the contract's text dtype; anything else as Arrow gives."""
    kind = column.type
    if name in DATE_COLUMNS or name in ("first_seen", "last_seen", "period"):
        if pa.types.is_null(kind) or pa.types.is_string(kind):
            return pd.to_datetime(column.to_pandas()).astype("datetime64[ns]").to_numpy()
        return column.cast(pa.timestamp("ns")).to_numpy(zero_copy_only=False)
    if pa.types.is_boolean(kind) or name in FLAG_COLUMNS or name == "stale":
        return _masked(column, pa.bool_(), pd.arrays.BooleanArray, "boolean")
    if pa.types.is_integer(kind) or name in INT_COLUMNS or name in ("source_row", "versions"):
        return _masked(column, pa.int64(), pd.arrays.IntegerArray, "Int64")
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind):
        return text_array(column, unique_at=unique_at)
    return column.to_pandas().to_numpy()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off while a large answer is converted or a
    ledger merged (the millions of new objects would set off repeated full collections, each
    walking every object of the session: a second of the 1,000,000-case read, and of a
    100,000-case merge beside a large frame), then restored as it was."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


#: rows per Arrow batch a large answer is read and converted in
BATCH_ROWS = 1_000_000


def _joined(parts: list) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """One column from its converted batches (the text itself is shared, not copied)."""
    if len(parts) == 1:
        return parts[0]
    if isinstance(parts[0], np.ndarray):
        return np.concatenate(parts)
    return type(parts[0])._concat_same_type(parts)


_MASKED = (pd.arrays.BooleanArray, pd.arrays.IntegerArray)


class _Filled:
    """One column of an answer of ``rows`` rows, its converted batches copied one by one into
    arrays of the whole length. Joining the batches at the end held both at once, and the
    batches' memory stayed with the process afterwards (10,000,000 cases: peak 7.6 GiB joined,
    6.7 GiB filled); filled, each batch's arrays are let go and the next batch reuses their
    memory. Batches of another kind, or more rows than announced, are joined as before."""

    def __init__(self, rows: int | None):
        self.rows = rows
        self.parts: list | None = None if rows is not None else []
        self.at = 0
        self.arrays: tuple = ()

    def add(self, part) -> None:
        if self.parts is None:
            if self.at + len(part) <= self.rows and self._fill(part):
                return
            self.parts = [self._finish()] if self.at else []
        self.parts.append(part)

    def result(self):
        return self._finish() if self.parts is None else _joined(self.parts)

    def _fill(self, part) -> bool:
        a, b = self.at, self.at + len(part)
        if not self.arrays:
            self.arrays = self._allocate(part)
            if not self.arrays:
                return False
        kind, *arrays = self.arrays
        if kind == "numpy" and isinstance(part, np.ndarray) and part.dtype == arrays[0].dtype:
            arrays[0][a:b] = part
        elif kind == "text" and isinstance(part, pd.arrays.StringArray):
            arrays[0][a:b] = np.asarray(part, dtype=object)
        elif kind is type(part):
            values, mask = arrays
            values[a:b] = part.to_numpy(dtype=values.dtype, na_value=values.dtype.type(0))
            mask[a:b] = part.isna()
        else:
            return False
        self.at = b
        return True

    def _allocate(self, part) -> tuple:
        if isinstance(part, np.ndarray) and part.dtype != object:
            return ("numpy", np.empty(self.rows, dtype=part.dtype))
        if isinstance(part, pd.arrays.StringArray) and part.dtype == TEXT_DTYPE:
            return ("text", np.empty(self.rows, dtype=object))
        if isinstance(part, _MASKED):
            values = np.empty(self.rows, dtype=part.dtype.numpy_dtype)
            return (type(part), values, np.empty(self.rows, dtype=bool))
        return ()

    def _finish(self):
        if not self.arrays:
            return self.parts[0] if self.parts else _EMPTY_TEXT
        kind, *arrays = self.arrays
        n = self.at
        if kind == "numpy":
            return arrays[0][:n]
        if kind == "text":
            return _strings(arrays[0][:n])
        return kind(arrays[0][:n], arrays[1][:n])


@contextmanager
def _one_thread(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """DuckDB on one thread for the block, then as it was."""
    was = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    con.execute("SET threads = 1")
    try:
        yield
    finally:
        con.execute(f"SET threads = {int(was)}")


def fetch(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params=None,
    *,
    batch_rows: int = BATCH_ROWS,
    rows: int | None = None,
) -> pd.DataFrame:
    """Run a query and return a pandas frame (dates as datetime64[ns], flags as boolean,
    counts as Int64, text in the contract's text dtype).

    The answer is read as a stream of Arrow batches of ``batch_rows`` rows, each converted and
    let go before the next is read: a 10,000,000-case answer is never held whole in Arrow and
    in pandas at once, only one batch of it in Arrow.

    ``rows``: for an answer that is a plain table scan (every case), its number of rows. Each
    column is then filled into arrays of that length as the batches come (:class:`_Filled`).
    An answer of more than one batch, where memory counts more than time, is moreover

    * read by DuckDB on one thread: a second thread only reads ahead and holds what it read
      (10,000,000 cases: peak 7.7 instead of 8.9 GiB, in the same time; a query with joins
      and windows keeps both threads: one month's changes, 41 s on two, 58 s on one);
    * converted sharing text repeated between rows unless nearly every value differs
      (:data:`UNIQUE_AT_LARGE`), so that a person's ID number, phone and key listed with each
      of their cases are one string each (10,000,000 bench cases: peak 6.7 instead of
      7.2 GiB, in about the same time)."""
    large = rows is not None and rows > batch_rows
    with _one_thread(con) if large else nullcontext():
        reader = con.sql(sql, params=params or None).to_arrow_reader(batch_rows)
        return _read(reader, UNIQUE_AT_LARGE if large else UNIQUE_AT, rows)


def _read(
    reader: pa.RecordBatchReader, unique_at: float = UNIQUE_AT, rows: int | None = None
) -> pd.DataFrame:
    schema = reader.schema
    names = schema.names
    parts = {name: _Filled(rows) for name in names}
    with collector_paused():
        batches = 0
        for batch in reader:
            batches += 1
            for i, name in enumerate(names):
                parts[name].add(_column(name, batch.column(i), unique_at))
            del batch
        if not batches:  # no rows: empty columns of the answer's types
            empty = schema.empty_table()
            parts = {name: _Filled(None) for name in names}
            for i, name in enumerate(names):
                parts[name].add(_column(name, empty.column(i)))
        columns = {name: parts.pop(name).result() for name in names}
        return pd.DataFrame(columns, columns=names, copy=False)


def as_cases(frame: pd.DataFrame) -> pd.DataFrame:
    """Archive rows as a cases frame: the contract's columns first, then the flags and the
    archive's own columns (first_seen, last_seen, versions, case_key, key_kind, person_key)."""
    out = conform_cases(frame, copy=False)  # a fresh query answer, dropped after
    for col in ("case_key", "key_kind", "person_key"):
        if col in out.columns:
            out[col] = out[col].astype(TEXT_DTYPE)
    order = [c for c in out.columns if c not in ARCHIVE_COLUMNS]
    order += [c for c in ARCHIVE_COLUMNS if c in out.columns]
    return out[order]
