"""CaseArchive: every month's ledgers in one DuckDB file, each case once, with its history."""

from __future__ import annotations

import contextlib
import html
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from ._export import export_parquet
from ._merge import ImportResult, import_frame, import_ledgers, undo_last_import
from ._names import DEFAULT_PATH
from ._query import Changes, cases_frame, changes_between, history_frame
from ._store import check_and_prepare, connect
from ._trend import CampaignProgress, backlog_at, backlog_trend, campaign


def _day(value: object, what: str) -> pd.Timestamp:
    try:
        day = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise ValueError(f"{what} 不是日期: {value!r} / not a date") from None
    if pd.isna(day):
        raise ValueError(f"{what} 不是日期: {value!r} / not a date")
    return day.normalize()


class CaseArchive:
    """The case archive: one DuckDB file (``archive.duckdb`` in the working folder by default).

    Opening creates the file if it does not exist; a file that is not an archive, an archive of
    a newer format, or one in use by another program raises :class:`ArchiveError` with a Chinese
    message. Each call opens the file and closes it again, so notebooks and the command line can
    take turns on the same archive. See the methods for the merge rules and outputs.
    """

    def __init__(self, path: str | Path = DEFAULT_PATH):
        self.path = Path(path).expanduser().resolve()
        self._con = None
        check_and_prepare(self.path)

    # --- one connection for a block of calls -----------------------------------------------------
    def __enter__(self) -> CaseArchive:
        """``with CaseArchive(path) as archive:`` keeps the file open for the block (faster for
        many small calls; other programs cannot open it meanwhile)."""
        if self._con is None:
            self._held = connect(self.path)
            self._con = self._held.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self._con is not None:
            self._con = None
            self._held.__exit__(*exc)

    @contextlib.contextmanager
    def _connect(self):
        if self._con is not None:
            yield self._con
        else:
            with connect(self.path) as con:
                yield con

    # --- writing -------------------------------------------------------------------------------
    def import_ledgers(
        self,
        paths_or_folder: str | Path | Iterable[str | Path],
        *,
        period: object = None,
        mapping: Mapping[str, object] | str | Path | None = None,
        dry_run: bool = False,
        check_period: bool = True,
    ) -> ImportResult:
        """Load the ledgers (``load_cases``) and merge their cases into the archive.

        Identity: the case number, else the content key (received day + person key + summary
        fingerprint; see ``archive._keys``), reported as such. The latest state wins by the
        ledger's period (``period=``, else from the file name, else the title, else the latest
        date in the file) and then by import order; a ledger older than what the archive knows
        of a case goes into the history only. A field a ledger leaves empty keeps its earlier
        value and is reported. A file imported before (same bytes) changes nothing. One call is
        one transaction. ``mapping``: extra header synonyms for ``load_cases``.

        ``dry_run=True``: everything is worked out and reported, then rolled back (the archive
        is unchanged). A period far from the file's own dates (a typo such as 2062-08 for data
        of 2026) raises ValueError unless ``check_period=False``. The toolkit's own outputs
        (案件清单.xlsx ..., or any workbook with its mark) are never imported.
        :meth:`undo_last_import` takes an import back.
        """
        with self._connect() as con:
            return import_ledgers(
                con,
                paths_or_folder,
                period=period,
                mapping=mapping,
                dry_run=dry_run,
                check_period=check_period,
            )

    def undo_last_import(self) -> pd.DataFrame:
        """Take back the last :meth:`import_ledgers` (or :meth:`import_cases`) call, in one
        transaction: the cases return to their state before it, cases it brought are removed.
        Returns the rows of :meth:`imports` taken back (empty when there was none)."""
        with self._connect() as con:
            return undo_last_import(con)

    def imported_hashes(self) -> set[str]:
        """The SHA-256 of every ledger file imported (outputs must never replace one)."""
        with self._connect() as con:
            rows = con.execute(
                "SELECT DISTINCT file_hash FROM imports WHERE file_hash IS NOT NULL"
            ).fetchall()
        return {r[0] for r in rows}

    def import_cases(
        self, cases: pd.DataFrame, *, period: object, name: str = "(数据框)"
    ) -> ImportResult:
        """Merge an already clean cases frame (e.g. from another system's database) with the
        same rules as :meth:`import_ledgers`, as one import named ``name`` of ledger period
        ``period``. No file, so no file-hash check: importing the same frame again finds every
        case unchanged."""
        day = _day(period, "period")
        with self._connect() as con:
            return import_frame(con, cases, period=day, name=name)

    # --- reading -------------------------------------------------------------------------------
    def cases(self, as_of: object = None) -> pd.DataFrame:
        """Every case once, in its latest state (or as of a past day: the ledgers of periods up
        to that day): the data contract's columns, the ledger flags, and ``first_seen``,
        ``last_seen`` (ledger periods), ``versions``, ``case_key``, ``key_kind``, ``person_key``.
        Rows come in no particular order. Personal data is not masked (the analysis needs it);
        mask before display."""
        day = None if as_of is None else _day(as_of, "as_of")
        with self._connect() as con:
            return cases_frame(con, day)

    def history(self, case: str, *, mask: bool = True) -> pd.DataFrame:
        """Every version of one case (its case_id or case_key), oldest first: ``version``,
        ``period``, ``imported_at``, ``import_file``, ``changes`` (字段: 旧 → 新),
        ``blanked_kept`` (fields a ledger left empty; their value was kept), ``stale`` (from a
        ledger older than the latest facts), source file/sheet/row and the fields."""
        with self._connect() as con:
            return history_frame(con, str(case), mask=mask)

    def changes(self, start: object, end: object, *, mask: bool = True) -> Changes:
        """What happened from ``start`` to ``end``: new, closed, reopened, newly overdue,
        entered and left the backlog (see :class:`Changes`)."""
        s, e = _day(start, "start 起始日期"), _day(end, "end 截止日期")
        if e < s:
            raise ValueError(f"截止日期 {e:%Y-%m-%d} 早于起始日期 {s:%Y-%m-%d} / end before start")
        with self._connect() as con:
            return changes_between(con, s, e, mask=mask)

    def backlog(self, day: object) -> pd.DataFrame:
        """The 积案 cases on ``day`` (archive state of that day), with status and reason."""
        with self._connect() as con:
            return backlog_at(con, _day(day, "day"))

    def backlog_trend(self, start: object = None, end: object = None) -> pd.DataFrame:
        """积案 at each month end (``month_end``, ``backlog``, ``open``, ``known``), from the first
        to the last ledger period unless ``start``/``end`` are given. Chart it with
        ``plots.plot_backlog_trend``."""
        with self._connect() as con:
            return backlog_trend(con, start, end)

    def campaign(self, start: object, end: object = None, *, mask: bool = True) -> CampaignProgress:
        """攻坚 progress: of the 积案 cases on ``start``, how many are resolved by ``end``
        (default: the latest ledger period)."""
        s = _day(start, "start 攻坚开始日期")
        with self._connect() as con:
            if end is None:
                last = con.execute("SELECT max(period) FROM imports").fetchall()[0][0]
                e = pd.Timestamp(last) if last is not None else s
            else:
                e = _day(end, "end")
            return campaign(con, s, e, mask=mask)

    def imports(self) -> pd.DataFrame:
        """One row per imported file: import_id, file_name, file_hash, period, period_source,
        imported_at, rows, new, updated, unchanged, stale, blanked."""
        with self._connect() as con:
            return con.execute("SELECT * FROM imports ORDER BY import_id").df()

    def status(self) -> dict[str, object]:
        """Counts: cases, versions, imports, first and last period, cases without a number,
        file size in bytes."""
        with self._connect() as con:
            cases, content, first, last = con.execute(
                "SELECT count(*), count(*) FILTER (key_kind = '内容键'), min(first_seen), "
                "max(last_seen) FROM current"
            ).fetchall()[0]
            versions = con.execute("SELECT count(*) FROM versions").fetchall()[0][0]
            imports = con.execute("SELECT count(*) FROM imports").fetchall()[0][0]
        return {
            "path": str(self.path),
            "cases": int(cases),
            "versions": int(versions),
            "imports": int(imports),
            "first_period": None if first is None else pd.Timestamp(first),
            "last_period": None if last is None else pd.Timestamp(last),
            "content_keyed": int(content),
            "file_bytes": self.path.stat().st_size if self.path.exists() else 0,
        }

    def export_parquet(self, folder: str | Path, *, mask: bool = True) -> Path:
        """Write ``folder/cases`` and ``folder/history`` as Parquet partitioned by year and month
        (hive layout: ``year=2026/month=9``); personal data masked unless ``mask=False`` (no
        ``person_key`` then, content keys salted per export). ``folder`` must be new, empty or
        an earlier export: any other folder is refused (OutputError), never emptied."""
        with self._connect() as con:
            return export_parquet(con, Path(folder), mask=mask)

    def __repr__(self) -> str:
        s = self.status()
        return f"CaseArchive({s['path']!r}: {s['cases']} 件, {s['versions']} 个版本, {s['imports']} 次导入)"

    def _repr_html_(self) -> str:
        return f"<div><b>CaseArchive</b> {html.escape(repr(self))}</div>"
