"""export_parquet: the cases and their history as Parquet, partitioned by year and month."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import duckdb

from ..privacy import mask_pii
from ._frames import fetch
from ._query import _CASE_COLUMNS


def _write(con, frame, target: Path, date_column: str) -> None:
    con.register("export_frame", frame)
    try:
        con.execute(
            f"""COPY (SELECT *, year({date_column}) AS year, month({date_column}) AS month
                      FROM export_frame)
                TO '{target.as_posix()}' (FORMAT PARQUET, PARTITION_BY (year, month))"""
        )
    finally:
        con.unregister("export_frame")


def export_parquet(con: duckdb.DuckDBPyConnection, folder: Path, *, mask: bool = True) -> Path:
    """Write ``folder/cases`` (latest state, by year/month received; no date: year=NULL) and
    ``folder/history`` (every version, by year/month of the ledger period) as hive-partitioned
    Parquet. Personal data is masked unless ``mask=False``. Written whole or not at all: into a
    temporary folder next to ``folder``, which then replaces it."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        cases = fetch(con, f"SELECT {_CASE_COLUMNS}, first_seen, last_seen, versions FROM current")
        history = fetch(
            con,
            f"""SELECT {_CASE_COLUMNS.replace("case_key", "v.case_key")}, v.period, v.import_id,
                       i.file_name AS import_file, i.imported_at, v.blanked, v.stale
                FROM versions v JOIN imports i USING (import_id)""",
        )
        # the fields a ledger left empty, as text ("closed_date,outcome"): one value per cell
        history["blanked"] = [
            ",".join(x) if x is not None and len(x) else None for x in history["blanked"]
        ]
        if mask:
            cases, history = mask_pii(cases), mask_pii(history)
        _write(con, cases, tmp / "cases", "received_date")
        _write(con, history, tmp / "history", "period")
        old = None
        if folder.exists():
            old = folder.with_name(f".{folder.name}-old")
            shutil.rmtree(old, ignore_errors=True)
            folder.rename(old)
        tmp.rename(folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder
