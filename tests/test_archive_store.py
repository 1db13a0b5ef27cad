"""Opening the archive file: not an archive, newer format, in use, migration, killed import."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from archive_helpers import base_cases, closed, ledger

from xinfang_toolkit import archive as archive_mod
from xinfang_toolkit.archive import PAUSE_ENV, ArchiveError, CaseArchive

ROOT = Path(__file__).resolve().parent.parent


def test_default_path_is_a_data_folder_outside_the_project(tmp_path, monkeypatch):
    """The archive holds personal data in full: by default in ~/xinfang_data, not in the
    working folder (README's `xinfang archive import` wrote it into the project)."""
    home, work = tmp_path / "home", tmp_path / "project"
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))  # Windows
    monkeypatch.chdir(work)
    archive = CaseArchive()
    assert archive.path == (home / "xinfang_data" / "archive.duckdb").resolve()
    assert archive.status()["cases"] == 0
    assert not list(work.iterdir())


def test_a_file_that_is_not_a_database_gets_a_clear_message(tmp_path):
    path = tmp_path / "台账.duckdb"
    path.write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(ArchiveError, match="不是台账归档文件"):
        CaseArchive(path)


def test_a_duckdb_database_of_something_else_is_not_an_archive(tmp_path):
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    with pytest.raises(ArchiveError, match="不是台账归档"):
        CaseArchive(path)


def test_a_newer_format_is_refused_with_a_message(tmp_path):
    path = tmp_path / "a.duckdb"
    CaseArchive(path)
    con = duckdb.connect(str(path))
    con.execute("UPDATE archive_meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(
        ArchiveError, match=f"比当前工具包支持的 {archive_mod._store.SCHEMA_VERSION} 新"
    ):
        CaseArchive(path)


def test_an_older_format_is_migrated(tmp_path, monkeypatch):
    path = tmp_path / "a.duckdb"
    CaseArchive(path)

    def add_note(con):
        con.execute("ALTER TABLE imports ADD COLUMN note VARCHAR")

    now = archive_mod._store.SCHEMA_VERSION
    monkeypatch.setattr(archive_mod._store, "SCHEMA_VERSION", now + 1)
    monkeypatch.setitem(archive_mod._store.MIGRATIONS, now, add_note)
    CaseArchive(path)
    con = duckdb.connect(str(path))
    version = con.execute("SELECT value FROM archive_meta WHERE key='schema_version'").fetchall()
    columns = [r[0] for r in con.execute("DESCRIBE imports").fetchall()]
    con.close()
    assert version == [(str(now + 1),)]
    assert "note" in columns


def test_a_missing_migration_is_a_clear_error(tmp_path, monkeypatch):
    path = tmp_path / "a.duckdb"
    CaseArchive(path)
    monkeypatch.setattr(archive_mod._store, "SCHEMA_VERSION", archive_mod._store.SCHEMA_VERSION + 2)
    with pytest.raises(ArchiveError, match="没有升级方法"):
        CaseArchive(path)


def _wait_for(path: Path, proc: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"the child ended early: {proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("the child did not get there in time")
        time.sleep(0.05)


@pytest.mark.skipif(sys.platform == "win32", reason="file locks and SIGKILL differ on Windows")
def test_a_second_program_gets_archive_in_use(tmp_path):
    path = tmp_path / "a.duckdb"
    CaseArchive(path)
    ready = tmp_path / "ready"
    code = (
        "import duckdb, pathlib, time, sys\n"
        f"con = duckdb.connect({str(path)!r})\n"
        f"pathlib.Path({str(ready)!r}).write_text('x')\n"
        "time.sleep(120)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(ready, proc)
        with pytest.raises(ArchiveError, match="归档正被另一个程序使用"):
            CaseArchive(path).status()
    finally:
        proc.kill()
        proc.communicate()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_an_import_killed_half_way_leaves_the_archive_as_before(tmp_path):
    cases = base_cases()
    path = tmp_path / "a.duckdb"
    archive = CaseArchive(path)
    archive.import_ledgers(ledger(cases, tmp_path / "in", "2026-07"))
    before = archive.cases()
    before_imports = archive.imports()
    august = ledger(closed(cases, [0, 1, 2], "2026-08-09"), tmp_path / "in", "2026-08")
    marker = tmp_path / "paused"
    code = (
        "from xinfang_toolkit.archive import CaseArchive\n"
        f"CaseArchive({str(path)!r}).import_ledgers({str(august)!r})\n"
    )
    env = {**os.environ, PAUSE_ENV: str(marker)}
    proc = subprocess.Popen(
        [sys.executable, "-c", code], env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True
    )
    try:
        _wait_for(marker, proc)  # every row written, not yet committed
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    after = CaseArchive(path)
    pd.testing.assert_frame_equal(after.cases(), before)
    pd.testing.assert_frame_equal(after.imports(), before_imports)
    assert after.status()["versions"] == len(cases)
    # and the same import, not killed, goes through afterwards
    result = after.import_ledgers(august)
    assert result.updated == 3


def test_with_block_keeps_one_connection_and_releases_it(tmp_path):
    cases = base_cases(4)
    path = tmp_path / "a.duckdb"
    with CaseArchive(path) as archive:
        archive.import_cases(cases, period="2026-07-31")
        assert len(archive.cases()) == 4
        assert archive._con is not None
    assert archive._con is None
    assert len(CaseArchive(path).cases()) == 4  # the file is free again


def test_a_second_connection_in_the_same_program_gets_archive_in_use(tmp_path):
    path = tmp_path / "a.duckdb"
    with CaseArchive(path) as archive:
        archive.import_cases(base_cases(3), period="2026-07-31")
        with pytest.raises(ArchiveError, match="归档正被另一个程序使用.*with 块"):
            CaseArchive(path).status()
        assert archive.status()["cases"] == 3  # the holder goes on
    assert CaseArchive(path).status()["cases"] == 3


def test_each_call_leaves_the_file_whole_and_free(tmp_path):
    """Connections share the process's DuckDB instance: a call attaches the file and detaches
    it at the end, which writes everything into the file (no write-ahead log left) and frees
    it for another program at once."""
    path = tmp_path / "a.duckdb"
    archive = CaseArchive(path)
    archive.import_cases(base_cases(5), period="2026-07-31")
    assert not path.with_name(path.name + ".wal").exists()
    code = (
        "import duckdb, sys\n"
        "con = duckdb.connect(sys.argv[1])\n"
        "print(con.execute('SELECT count(*) FROM current').fetchall()[0][0])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "5"
    with CaseArchive(path) as held, CaseArchive(tmp_path / "b.duckdb") as other:
        other.import_cases(base_cases(2), period="2026-07-31")  # two files open side by side
        assert (held.status()["cases"], other.status()["cases"]) == (5, 2)


def test_imports_write_row_groups_of_the_archive_size(tmp_path, monkeypatch):
    """Connections attach the file with ROW_GROUP_SIZE: what an import writes comes in row
    groups of at most that many rows (so a ledger's rows are compressed while they are
    inserted, not at the commit)."""
    monkeypatch.setattr(archive_mod._store, "ROW_GROUP_ROWS", 2048)
    path = tmp_path / "a.duckdb"
    archive = CaseArchive(path)
    archive.import_cases(base_cases(5000), period="2026-07-31")
    con = duckdb.connect(str(path), read_only=True)
    try:
        sizes = con.execute(
            "SELECT row_group_id, max(count) FROM pragma_storage_info('versions') "
            "GROUP BY ALL ORDER BY ALL"
        ).fetchall()
    finally:
        con.close()
    assert [n for _g, n in sizes] == [2048, 2048, 904]
    assert len(archive.cases()) == 5000


def test_a_new_archive_in_a_new_folder_is_created(tmp_path):
    archive = CaseArchive(tmp_path / "新建" / "归档.duckdb")
    assert archive.path.exists()
    assert archive.status()["imports"] == 0


def _rows_of_current(path: Path) -> tuple[int, int]:
    """(rows stored, of them live) in the archive's ``current`` table."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        stored = con.execute(
            "SELECT estimated_size FROM duckdb_tables() WHERE table_name = 'current'"
        ).fetchall()[0][0]
        return stored, con.execute("SELECT count(*) FROM current").fetchall()[0][0]
    finally:
        con.close()


def test_current_is_compacted_once_its_deleted_rows_outnumber_the_live_ones(tmp_path):
    """Imports do not vacuum ``current`` (DuckDB's vacuum rewrote row groups in some months);
    it is rewritten when its deleted rows outnumber its cases, and nothing changes in it."""
    path = tmp_path / "a.duckdb"
    archive = CaseArchive(path)
    cases = base_cases(10)
    seen = []
    for k in range(8):  # each month three cases get a new leader: three rows replaced
        cases.loc[[k % 10, (k + 1) % 10, (k + 2) % 10], "leader"] = f"领导{k}"
        before = archive.cases() if k else None
        archive.import_cases(cases, period=pd.Timestamp("2026-07-31") + pd.offsets.MonthEnd(k))
        seen.append(_rows_of_current(path))
        if before is not None:
            assert len(archive.cases()) == len(before) == 10
    stored = [s for s, _live in seen]
    assert all(live == 10 for _s, live in seen)
    assert stored[:5] == [10, 13, 16, 19, 22]  # deleted rows kept: no vacuum
    assert stored[5] == 10  # 12 deleted > 10 live before the sixth import: rewritten
    got = archive.cases().set_index("case_id").sort_index()
    assert got["leader"].tolist() == cases.set_index("case_id").sort_index()["leader"].tolist()
    assert got["versions"].sum() == 10 + 3 * 7
