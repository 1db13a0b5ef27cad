"""Moving frames between pandas and the archive (DuckDB's pandas scan and ``.df()``).

No pyarrow: with pyarrow installed pandas stores every "string" column in Arrow, which changes
the loader's behaviour (lone surrogates, list aggregations); DuckDB reads and writes plain
numpy/object columns directly.
"""

from __future__ import annotations

import duckdb
import pandas as pd

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


def fetch(con: duckdb.DuckDBPyConnection, sql: str, params=None) -> pd.DataFrame:
    """Run a query and return a pandas frame (dates as datetime64[ns], flags as boolean,
    counts as Int64)."""
    frame = con.execute(sql, params or []).df()
    for col in frame.columns:
        if col in DATE_COLUMNS or col in ("first_seen", "last_seen", "period"):
            frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
        elif col in FLAG_COLUMNS or col == "stale":
            frame[col] = frame[col].astype("boolean")
        elif col in INT_COLUMNS or col in ("source_row", "versions"):
            frame[col] = frame[col].astype("Int64")
    return frame


def as_cases(frame: pd.DataFrame) -> pd.DataFrame:
    """Archive rows as a cases frame: the contract's columns first, then the flags and the
    archive's own columns (first_seen, last_seen, versions, case_key, key_kind, person_key)."""
    out = conform_cases(frame)
    for col in ("case_key", "key_kind", "person_key"):
        if col in out.columns:
            out[col] = out[col].astype("string")
    order = [c for c in out.columns if c not in ARCHIVE_COLUMNS]
    order += [c for c in ARCHIVE_COLUMNS if c in out.columns]
    return out[order]
