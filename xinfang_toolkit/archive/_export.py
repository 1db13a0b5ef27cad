"""export_parquet: the cases and their history as Parquet, partitioned by year and month.

The files are written by pyarrow from the frames (DuckDB's external access stays off, see
``_store``). The export goes into a folder of its own: a new folder, an empty one, or one this
function wrote before (it holds the mark file :data:`MARK` and nothing but ``cases`` and
``history``); any other folder is refused, so that ``-o .`` or a folder of ledgers is never
touched. ``cases`` and ``history`` are written beside the old ones under temporary names and
swapped in only when both are complete.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

from .._atomic import OutputError, os_error_text
from ..privacy import mask_pii
from ..schema import TEXT_DTYPE
from ._frames import fetch
from ._keys import KIND_CONTENT
from ._query import _CASE_COLUMNS

#: the file that marks a folder as an export of the archive (and so one it may replace)
MARK = ".xinfang_export"
_PARTS = ("cases", "history")


def _check_folder(folder: Path) -> None:
    if not folder.exists():
        return
    if not folder.is_dir():
        raise OutputError(f"导出位置 {folder} 是一个文件, 不是文件夹 / {folder} is not a folder")
    names = {p.name for p in folder.iterdir()}
    if not names or (MARK in names and names <= {MARK, *_PARTS}) or _unmarked_export(folder):
        return
    raise OutputError(
        f"导出文件夹 {folder} 里已有别的文件, 为免删除或覆盖它们, 未导出。请指定一个新的"
        " (或空的) 文件夹 / the export folder is not empty and was not written by this"
        " command: choose a new or empty folder"
    )


def _unmarked_export(folder: Path) -> bool:
    """An export written before the mark existed: ``cases`` and ``history`` folders holding
    nothing but ``year=…/month=…/*.parquet``."""
    names = {p.name for p in folder.iterdir()}
    if names != set(_PARTS) or not all((folder / n).is_dir() for n in _PARTS):
        return False
    for part in _PARTS:
        for p in (folder / part).rglob("*"):
            rel = p.relative_to(folder / part).parts
            if not rel[0].startswith("year=") or (len(rel) > 1 and not rel[1].startswith("month=")):
                return False
            if p.is_file() and (len(rel) != 3 or p.suffix != ".parquet"):
                return False
    return True


def _salted_content_keys(*frames: pd.DataFrame) -> list[pd.DataFrame]:
    """Content keys (a hash over the person key and the summary) replaced by keys under a secret
    made for this export and then forgotten: the same case keeps one key across ``cases`` and
    ``history``, and nothing can be tried against them."""
    secret = os.urandom(32)

    def salted(key: object) -> object:
        if not isinstance(key, str) or not key.startswith("内容:"):
            return key
        digest = hashlib.blake2b(key.encode("utf-8"), key=secret, digest_size=8).hexdigest()
        return "内容:" + digest

    out = []
    for frame in frames:
        frame = frame.copy()
        content = frame["key_kind"].astype(TEXT_DTYPE).eq(KIND_CONTENT).fillna(False)
        if content.any():
            keys = frame["case_key"].astype(object)
            keys[content.to_numpy()] = [salted(k) for k in keys[content.to_numpy()]]
            frame["case_key"] = pd.array(keys.tolist(), dtype=TEXT_DTYPE)
        out.append(frame)
    return out


def _write(frame: pd.DataFrame, target: Path, date_column: str) -> None:
    """``frame`` as hive-partitioned Parquet (year=…/month=…) under ``target``."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    table = pa.Table.from_pandas(frame, preserve_index=False)
    dates = table[date_column]
    table = table.append_column("year", pc.year(dates)).append_column("month", pc.month(dates))
    ds.write_dataset(
        table,
        target,
        format="parquet",
        partitioning=["year", "month"],
        partitioning_flavor="hive",
        existing_data_behavior="error",
        basename_template="data_{i}.parquet",
    )


def export_parquet(con: duckdb.DuckDBPyConnection, folder: Path, *, mask: bool = True) -> Path:
    """Write ``folder/cases`` (latest state, by year/month received) and ``folder/history``
    (every version, by year/month of the ledger period) as hive-partitioned Parquet.

    Personal data is masked unless ``mask=False``; a masked export carries no ``person_key``
    and its content keys are salted with a secret of the export. ``folder`` must be new, empty
    or an earlier export (see the module docstring); anything else raises OutputError."""
    folder = Path(folder)
    _check_folder(folder)
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
        cases, history = (
            mask_pii(f).drop(columns=["person_key"], errors="ignore") for f in (cases, history)
        )
        cases, history = _salted_content_keys(cases, history)
    made = not folder.exists()
    tmp: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=folder))
        _write(cases, tmp / "cases", "received_date")
        _write(history, tmp / "history", "period")
        _swap(folder, tmp)
    except OSError as exc:
        raise OutputError(
            f"导出到 {folder} 失败: {os_error_text(exc)}。未写出任何文件 / export failed"
        ) from exc
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        if made and not (folder / MARK).exists():
            with contextlib.suppress(OSError):
                folder.rmdir()  # made by this call and left empty: gone again
    return folder


def _swap(folder: Path, tmp: Path) -> None:
    """Put ``tmp/cases`` and ``tmp/history`` in place of the folder's (the old ones go into
    ``tmp`` and are removed with it); a failure half-way puts the old ones back."""
    moved: list[str] = []
    placed: list[str] = []
    try:
        for part in _PARTS:
            if (folder / part).exists():
                os.replace(folder / part, tmp / f"old-{part}")
                moved.append(part)
        for part in _PARTS:
            os.replace(tmp / part, folder / part)
            placed.append(part)
        (folder / MARK).write_text(
            "本文件夹由 xinfang archive export 写出; 再次导出到这里时会被替换。\n"
            "Written by xinfang archive export; exporting here again replaces it.\n",
            encoding="utf-8",
        )
    except BaseException:
        for part in placed:
            with contextlib.suppress(OSError):
                os.replace(folder / part, tmp / part)
        for part in moved:
            with contextlib.suppress(OSError):
                os.replace(tmp / f"old-{part}", folder / part)
        raise
