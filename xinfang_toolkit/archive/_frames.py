"""Moving frames between pandas and the archive.

In: DuckDB scans plain numpy/object columns of a pandas frame directly (:func:`to_plain`).
Out: a query's answer comes as an Arrow table (DuckDB's fastest result format) and each column
is converted once, straight to the data contract's dtype (:func:`fetch`). Text is built from the
column's distinct values: a ledger repeats the same town, category and unit on every row, so
each distinct string becomes one Python object shared by its rows (DuckDB's ``.df()`` made one
per row, then pandas validated and copied every one again: 8 s of the 1,000,000-case read).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..clean import FLAG_COLUMNS
from ..schema import DATE_COLUMNS, INT_COLUMNS, conform_cases
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


def to_plain(frame: pd.DataFrame) -> pd.DataFrame:
    """The archive's columns of an incoming frame with plain numpy/object values (None for
    missing) that DuckDB scans directly; :data:`CAST_SQL` gives them the archive's types."""
    out = {}
    for col in INCOMING:
        values = frame[col] if col in frame.columns else pd.Series(pd.NA, index=frame.index)
        if col in DATE_COLUMNS:
            out[col] = pd.to_datetime(values).astype("datetime64[ns]").to_numpy()
        else:
            arr = values.astype(object).to_numpy(copy=True)
            arr[pd.isna(values).to_numpy()] = None
            out[col] = arr
    return pd.DataFrame(out)


#: the SELECT list that casts a :func:`to_plain` frame to the archive's column types
CAST_SQL = ", ".join(f"CAST({c} AS {sql_type(c)}) AS {c}" for c in INCOMING)


_SAMPLE = 10_000  # rows looked at to tell a column of shared values from one of unique ones
_SMALL = 200  # answers up to this many rows are converted value by value


def text_array(column: pa.ChunkedArray | pa.Array) -> pd.api.extensions.ExtensionArray:
    """An Arrow text column as the contract's text array (missing as ``pd.NA``). A column of
    repeated values (towns, categories, units) is built from its distinct values, so rows with
    the same text share one Python string; a column of mostly unique values (judged on its
    first rows) is converted directly."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if pa.types.is_null(column.type):
        column = column.cast(pa.string())
    if len(column) <= _SMALL:  # one case's history: plain Python is quicker than Arrow kernels
        values = np.array([pd.NA if v is None else v for v in column.to_pylist()], dtype=object)
        return pd.arrays.StringArray(values)
    sample = column.slice(0, _SAMPLE)
    if pc.count_distinct(sample).as_py() > len(sample) // 2:
        # one value per case or person (numbers, keys, ID numbers): nothing to share
        values = column.to_numpy(zero_copy_only=False)
        values[pc.is_null(column).to_numpy(zero_copy_only=False)] = pd.NA
    else:
        encoded = pc.dictionary_encode(column)
        words = np.append(encoded.dictionary.to_numpy(zero_copy_only=False), pd.NA)
        values = words[encoded.indices.fill_null(len(words) - 1).to_numpy()]
    return pd.arrays.StringArray(values)


def _column(name: str, column: pa.ChunkedArray) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """One Arrow column in the dtype the package uses for it: dates as datetime64[ns], flags as
    boolean, counts as Int64, text as the contract's text dtype; anything else as Arrow gives."""
    kind = column.type
    if name in DATE_COLUMNS or name in ("first_seen", "last_seen", "period"):
        if pa.types.is_null(kind) or pa.types.is_string(kind):
            return pd.to_datetime(column.to_pandas()).astype("datetime64[ns]").to_numpy()
        return column.cast(pa.timestamp("ns")).to_numpy(zero_copy_only=False)
    if pa.types.is_boolean(kind) or name in FLAG_COLUMNS or name == "stale":
        return pd.array(column.to_pandas(), dtype="boolean")
    if pa.types.is_integer(kind) or name in INT_COLUMNS or name in ("source_row", "versions"):
        return pd.array(column.to_pandas(), dtype="Int64")
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind):
        return text_array(column)
    return column.to_pandas().to_numpy()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off while a large answer is converted (the
    millions of new objects would set off repeated full collections: a second of the
    1,000,000-case read), then restored as it was."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def fetch(con: duckdb.DuckDBPyConnection, sql: str, params=None) -> pd.DataFrame:
    """Run a query and return a pandas frame (dates as datetime64[ns], flags as boolean,
    counts as Int64, text in the contract's text dtype)."""
    table = con.sql(sql, params=params or None).to_arrow_table()
    names = table.column_names
    columns = {}
    with _collector_paused():
        for name in names:
            columns[name] = _column(name, table.column(0))
            # let go of the Arrow column once converted: the answer is then held once, not
            # twice (Arrow and pandas), at any moment (10,000,000 cases: gigabytes)
            table = table.remove_column(0)
        return pd.DataFrame(columns, columns=names, copy=False)


def as_cases(frame: pd.DataFrame) -> pd.DataFrame:
    """Archive rows as a cases frame: the contract's columns first, then the flags and the
    archive's own columns (first_seen, last_seen, versions, case_key, key_kind, person_key)."""
    out = conform_cases(frame, copy=False)  # a fresh query answer, dropped after
    for col in ("case_key", "key_kind", "person_key"):
        if col in out.columns:
            out[col] = out[col].astype("string")
    order = [c for c in out.columns if c not in ARCHIVE_COLUMNS]
    order += [c for c in ARCHIVE_COLUMNS if c in out.columns]
    return out[order]
