"""Moving frames between pandas and the archive (through Arrow, column types kept)."""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

from ..clean import FLAG_COLUMNS
from ..schema import CASE_COLUMNS, DATE_COLUMNS, INT_COLUMNS, PROVENANCE_COLUMNS, conform_cases
from ._store import FIELDS, KEY_COLUMNS, SOURCE_COLUMNS

#: columns added by the archive to the data contract's, in ``cases()``
ARCHIVE_COLUMNS: tuple[str, ...] = (
    "first_seen",
    "last_seen",
    "versions",
    "case_key",
    "key_kind",
    "person_key",
)


def to_arrow(frame: pd.DataFrame) -> pa.Table:
    """The archive's columns of an incoming frame as an Arrow table of the archive's types."""
    arrays = {}
    for col in KEY_COLUMNS + FIELDS + SOURCE_COLUMNS:
        values = frame[col] if col in frame.columns else pd.Series(pd.NA, index=frame.index)
        if col in DATE_COLUMNS:
            arrays[col] = pa.array(
                pd.to_datetime(values).dt.date, type=pa.date32(), from_pandas=True
            )
        elif col in FLAG_COLUMNS:
            arrays[col] = pa.array(values.astype("boolean"), type=pa.bool_(), from_pandas=True)
        elif col in ("person_count", "source_row"):
            arrays[col] = pa.array(values.astype("Int64"), type=pa.int32(), from_pandas=True)
        else:
            arrays[col] = pa.array(values.astype("string"), type=pa.string(), from_pandas=True)
    return pa.table(arrays)


def _mapper(dtype: pa.DataType):
    if pa.types.is_string(dtype) or pa.types.is_large_string(dtype):
        return pd.StringDtype("pyarrow")
    if pa.types.is_string_view(dtype):
        return pd.StringDtype("pyarrow")
    if pa.types.is_integer(dtype):
        return pd.Int64Dtype()
    if pa.types.is_boolean(dtype):
        return pd.BooleanDtype()
    return None


def fetch(con: duckdb.DuckDBPyConnection, sql: str, params=None) -> pd.DataFrame:
    """Run a query and return a pandas frame (strings, nullable ints and booleans, dates as
    datetime64)."""
    table = con.sql(sql, params=params or None).to_arrow_table()
    frame = table.to_pandas(types_mapper=_mapper, date_as_object=False)
    for col in frame.columns:
        if pa.types.is_date(table.schema.field(col).type) or pa.types.is_timestamp(
            table.schema.field(col).type
        ):
            frame[col] = frame[col].astype("datetime64[ns]")
    return frame


def _conformed(frame: pd.DataFrame) -> bool:
    """Whether every contract column is there with its dtype (then conform_cases is a copy)."""
    for col in CASE_COLUMNS + PROVENANCE_COLUMNS:
        if col not in frame.columns:
            return False
        dtype = frame[col].dtype
        if col in DATE_COLUMNS:
            ok = dtype == "datetime64[ns]"
        elif col in INT_COLUMNS or col == "source_row":
            ok = dtype == "Int64"
        else:
            ok = isinstance(dtype, pd.StringDtype) and dtype.na_value is pd.NA
        if not ok:
            return False
    return True


def as_cases(frame: pd.DataFrame) -> pd.DataFrame:
    """Archive rows as a cases frame: the contract's columns first, then the flags and the
    archive's own columns (first_seen, last_seen, versions, case_key, key_kind, person_key)."""
    out = frame if _conformed(frame) else conform_cases(frame)
    order = [c for c in out.columns if c not in ARCHIVE_COLUMNS]
    order += [c for c in ARCHIVE_COLUMNS if c in out.columns]
    return out[order]
