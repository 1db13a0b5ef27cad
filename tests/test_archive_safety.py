"""The archive's safety (issue 23): exports that touch nothing else, external access off and a
schema check, dry runs, undo, a period check, damaged, read-only and interrupted archives.

Each test failed on the code before issue 23."""

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

from xinfang_toolkit.archive import ArchiveError, CaseArchive
from xinfang_toolkit.cli import main


@pytest.fixture
def months(tmp_path):
    """Ledgers of 2026-07, 08 and 09 in three folders, and the cases."""
    cases = base_cases()
    folders = [tmp_path / f"in{m}" for m in ("07", "08", "09")]
    ledger(cases, folders[0], "2026-07")
    ledger(closed(cases, [0], "2026-08-10"), folders[1], "2026-08")
    ledger(closed(cases, [0, 1, 2], "2026-09-10"), folders[2], "2026-09")
    return cases, folders


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _state(archive: CaseArchive) -> tuple:
    cases = archive.cases().sort_values("case_key").reset_index(drop=True)
    imports = archive.imports()[["file_name", "file_hash", "period"]]
    return cases, imports, archive.status()["versions"]


def _same_state(a: tuple, b: tuple) -> None:
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(a[1], b[1])
    assert a[2] == b[2]


# --- export: never into someone else's folder --------------------------------------------------


def test_export_into_a_folder_with_other_files_touches_nothing(months, tmp_path, capsys):
    _, folders = months
    db = tmp_path / "a.duckdb"
    assert main(["archive", "--archive", str(db), "import", str(folders[0])]) == 0
    before = _tree(folders[0])
    assert main(["archive", "--archive", str(db), "export", "-o", str(folders[0])]) == 2
    assert "已有别的文件" in capsys.readouterr().err
    assert _tree(folders[0]) == before


def test_export_to_the_working_folder_keeps_the_archive_and_ledgers(
    months, tmp_path, monkeypatch, capsys
):
    _, folders = months
    monkeypatch.chdir(tmp_path)
    # the archive in the working folder (the default lives in the home folder since issue 27)
    assert main(["archive", "--archive", "archive.duckdb", "import", str(folders[0])]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert main(["archive", "--archive", "archive.duckdb", "export", "-o", "."]) == 2
    assert "已有别的文件" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    assert CaseArchive(tmp_path / "archive.duckdb").status()["cases"] == 12


def test_export_into_an_empty_folder_and_again_over_itself(months, tmp_path):
    _, folders = months
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_ledgers(folders[0])
    empty = tmp_path / "empty"
    empty.mkdir()
    archive.export_parquet(empty)
    archive.export_parquet(empty)  # its own earlier export: replaced
    assert {p.name for p in empty.iterdir()} == {"cases", "history", ".xinfang_export"}
    (empty / "notes.txt").write_text("mine", encoding="utf-8")  # now someone else's too
    with pytest.raises(ValueError, match="已有别的文件"):
        archive.export_parquet(empty)
    assert (empty / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_export_path_with_an_apostrophe(months, tmp_path):
    _, folders = months
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_ledgers(folders[0])
    folder = archive.export_parquet(tmp_path / "o'brien's" / "pq")
    got = pd.read_parquet(folder / "cases")
    assert len(got) == 12


def test_the_masked_export_carries_no_person_key_and_no_bare_content_key(months, tmp_path):
    cases, folders = months
    nameless = cases.assign(case_id=pd.NA)  # content keys: a hash over the person key
    ledger(nameless, tmp_path / "n", "2026-07")
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_ledgers(tmp_path / "n")
    keys = set(archive.cases()["case_key"])
    masked = archive.export_parquet(tmp_path / "pq")
    for part in ("cases", "history"):
        frame = pd.read_parquet(masked / part)
        assert "person_key" not in frame.columns
        assert not keys & set(frame["case_key"])
    full = archive.export_parquet(tmp_path / "full", mask=False)
    assert set(pd.read_parquet(full / "cases")["case_key"]) == keys
    assert "person_key" in pd.read_parquet(full / "cases").columns


# --- outputs never over an imported ledger ---------------------------------------------------


def test_changes_output_over_an_imported_ledger_is_refused(months, tmp_path, capsys):
    _, folders = months
    db = str(tmp_path / "a.duckdb")
    assert main(["archive", "--archive", db, "import", str(folders[0])]) == 0
    (src,) = folders[0].iterdir()
    copy = tmp_path / "copy.xlsx"  # the same ledger under another name (e.g. sent by mail)
    copy.write_bytes(src.read_bytes())
    args = ["archive", "--archive", db, "changes", "--from", "2026-07-01", "--to", "2026-07-31"]
    for target in (src, copy, Path(db)):
        before = target.read_bytes()
        assert main([*args, "-o", str(target)]) == 2
        assert target.read_bytes() == before
    assert "不能覆盖" in capsys.readouterr().err


# --- the own outputs are never imported -----------------------------------------------------


def test_import_of_a_folder_holding_the_load_outputs_keeps_the_real_names(months, tmp_path):
    cases, folders = months
    assert main(["load", str(folders[0]), "-o", str(folders[0]), "--no-progress"]) in (0, 1)
    archive = CaseArchive(tmp_path / "a.duckdb")
    result = archive.import_ledgers(folders[0])
    assert result.new == 12
    assert set(archive.cases()["petitioner"]) == set(cases["petitioner"])  # not ***
    assert result.files["status"].str.contains("本工具包写出").sum() == 4


# --- external access off, schema checked --------------------------------------------------------


def _crafted(path: Path, secret: Path) -> None:
    """An archive whose ``current`` is a view reading a local file into the summaries."""
    con = duckdb.connect(str(path))
    con.execute("ALTER TABLE current RENAME TO real_current")
    con.execute(
        "CREATE VIEW current AS SELECT c.* REPLACE (t.content AS summary) "
        f"FROM real_current c, read_text('{secret.as_posix()}') t"
    )
    con.close()


def test_a_crafted_archive_with_a_view_over_a_local_file_is_refused(months, tmp_path, capsys):
    _, folders = months
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE", encoding="utf-8")
    path = tmp_path / "crafted.duckdb"
    CaseArchive(path).import_ledgers(folders[0])
    _crafted(path, secret)
    with pytest.raises(ArchiveError, match="视图 current"):
        CaseArchive(path).cases()
    assert main(["archive", "--archive", str(path), "export", "-o", str(tmp_path / "pq")]) == 2
    err = capsys.readouterr().err
    assert "拒绝使用" in err and "TOP-SECRET" not in err
    assert not (tmp_path / "pq").exists()


def test_external_access_is_off_inside_an_archive_connection(months, tmp_path):
    from xinfang_toolkit.archive._store import connect

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE", encoding="utf-8")
    archive = CaseArchive(tmp_path / "a.duckdb")
    with pytest.raises(ArchiveError, match="file system operations are disabled"):
        with connect(archive.path) as con:
            con.execute("SELECT content FROM read_text(?)", [str(secret)]).fetchall()


# --- dry run, undo, period check ---------------------------------------------------------------


def test_dry_run_reports_the_changes_and_writes_nothing(months, tmp_path, capsys):
    _, folders = months
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_ledgers(folders[0])
    before = _state(archive)
    trial = archive.import_ledgers(folders[1], dry_run=True)
    assert trial.updated == 1
    _same_state(_state(archive), before)
    db = str(archive.path)
    assert main(["archive", "--archive", db, "import", str(folders[1]), "--dry-run"]) == 0
    assert "归档没有任何改变" in capsys.readouterr().out
    _same_state(_state(archive), before)
    assert archive.import_ledgers(folders[1]).updated == 1  # not "imported before"


def test_undo_takes_back_the_last_import(months, tmp_path, capsys):
    _, folders = months
    archive = CaseArchive(tmp_path / "a.duckdb")
    empty = _state(archive)
    archive.import_ledgers(folders[0])
    after_july = _state(archive)
    archive.import_ledgers([folders[1], folders[2]])  # one call, two files
    assert archive.cases()["closed_date"].notna().sum() == 3
    undone = archive.undo_last_import()
    assert len(undone) == 2
    _same_state(_state(archive), after_july)
    db = str(archive.path)
    assert main(["archive", "--archive", db, "undo"]) == 0
    assert "已撤销" in capsys.readouterr().out
    _same_state(_state(archive), empty)
    assert main(["archive", "--archive", db, "undo"]) == 0
    assert "没有可撤销" in capsys.readouterr().out
    archive.import_ledgers(folders[0])  # the same file can come in again
    _same_state(_state(archive), after_july)


def test_undo_restores_a_case_an_older_ledger_touched(months, tmp_path):
    _, folders = months
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_ledgers(folders[2])
    after = _state(archive)
    archive.import_ledgers(folders[0])  # an older ledger: history only
    archive.undo_last_import()
    _same_state(_state(archive), after)


def test_a_period_far_from_the_data_is_refused_unless_forced(months, tmp_path, capsys):
    _, folders = months
    db = str(tmp_path / "a.duckdb")
    args = ["archive", "--archive", db, "import", str(folders[0])]
    assert main([*args, "--period", "2062-08"]) == 2
    err = capsys.readouterr().err
    assert "2062-08-31" in err and "可能写错了" in err and "Traceback" not in err
    assert CaseArchive(db).status()["imports"] == 0
    assert main([*args, "--period", "2016-07"]) == 2  # before the cases it lists
    assert main([*args, "--period", "2026-07"]) == 0
    assert main(["archive", "--archive", db, "undo"]) == 0
    assert main([*args, "--period", "2062-08", "--force-period"]) == 0
    assert CaseArchive(db).status()["last_period"] == pd.Timestamp("2062-08-31")


# --- damaged, read-only, interrupted ---------------------------------------------------------


def test_damaged_archive_copies_give_a_chinese_message_naming_the_file(months, tmp_path, capsys):
    _, folders = months
    good = tmp_path / "good.duckdb"
    CaseArchive(good).import_ledgers(folders[0])
    data = good.read_bytes()
    offsets = [0, 8, 100, 4096, 8192, 12288, 20000, len(data) // 2, len(data) - 4096]
    for i, off in enumerate(offsets):
        for kind in ("truncated", "garbled"):
            copy = tmp_path / f"{kind}{i}.duckdb"
            if kind == "truncated":
                copy.write_bytes(data[:off])
            else:
                copy.write_bytes(data[:off] + bytes(b ^ 0x5A for b in data[off : off + 512]))
                with copy.open("ab") as fh:
                    fh.write(data[off + 512 :])
            for cmd in (["status"], ["changes", "--from", "2026-07-01", "--to", "2026-07-31"]):
                code = main(["archive", "--archive", str(copy), *cmd])
                err = capsys.readouterr().err
                assert code in (0, 2), (off, kind, cmd)
                if code == 2:
                    assert copy.name in err and "Traceback" not in err, err
                    assert "正被另一个程序使用" not in err, err


def test_a_read_only_archive_is_named_so(months, tmp_path, capsys, monkeypatch):
    _, folders = months
    path = tmp_path / "a.duckdb"
    CaseArchive(path).import_ledgers(folders[0])
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == path else real(p, mode))
    assert main(["archive", "--archive", str(path), "status"]) == 2
    err = capsys.readouterr().err
    assert "只读" in err and "换一个文件名" not in err


@pytest.mark.skipif(
    sys.platform != "linux" or not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="a read-only mount needs Linux and root",
)
def test_a_read_only_archive_for_real(months, tmp_path, capsys):
    _, folders = months
    disk = tmp_path / "ro"
    disk.mkdir()
    CaseArchive(disk / "a.duckdb").import_ledgers(folders[0])
    if subprocess.run(["mount", "--bind", "-o", "ro", str(disk), str(disk)]).returncode:
        pytest.skip("mount refused")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(disk)], check=True)
        assert main(["archive", "--archive", str(disk / "a.duckdb"), "status"]) == 2
        err = capsys.readouterr().err
        assert "只读" in err and "换一个文件名" not in err and "Traceback" not in err
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_disk_full_during_an_import_leaves_the_archive_unchanged(months, tmp_path, capsys):
    from xinfang_toolkit.archive import _merge

    _, folders = months
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_ledgers(folders[0])
    before = _state(archive)

    def full(*args, **kwargs):
        raise duckdb.IOException('Could not write file "a.duckdb.wal": No space left on device')

    mp = pytest.MonkeyPatch()
    mp.setattr(_merge, "_pause_for_tests", full)
    try:
        code = main(["archive", "--archive", str(archive.path), "import", str(folders[1])])
    finally:
        mp.undo()
    err = capsys.readouterr().err
    assert code == 2 and "磁盘空间已满" in err and "a.duckdb" in err
    _same_state(_state(archive), before)


@pytest.mark.parametrize("where", ["load_cases", "merge_file", "_pause_for_tests"])
def test_ctrl_c_during_an_import_leaves_the_archive_unchanged(months, tmp_path, capsys, where):
    from xinfang_toolkit.archive import _merge

    _, folders = months
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_ledgers(folders[0])
    before = _state(archive)

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    mp = pytest.MonkeyPatch()
    mp.setattr(_merge, where, interrupt)
    try:
        code = main(["archive", "--archive", str(archive.path), "import", str(folders[1])])
    finally:
        mp.undo()
    assert code == 130
    assert "归档未作任何改变" in capsys.readouterr().err
    _same_state(_state(archive), before)


def _archive_and_next_month(tmp_path, n, closing, name="a.duckdb"):
    """An archive holding July's ledger of n cases, and August's ledger folder (the cases at
    the positions ``closing`` closed) ready to import."""
    cases = base_cases(n)
    first, second = tmp_path / "in1", tmp_path / "in2"
    ledger(cases, first, "2026-07")
    ledger(closed(cases, closing, "2026-08-10"), second, "2026-08")
    path = tmp_path / name
    CaseArchive(path).import_ledgers(first)
    return path, second


@pytest.mark.skipif(os.name == "nt", reason="SIGINT to a child process: POSIX only")
def test_sigint_at_several_moments_of_an_import(tmp_path):
    base, second = _archive_and_next_month(tmp_path, 600, [0, 1], "base.duckdb")
    code = "from xinfang_toolkit.cli import entry; print('ready', flush=True); entry()"
    for i, delay in enumerate((0.2, 0.8, 1.5, 2.5)):
        path = tmp_path / f"a{i}.duckdb"
        path.write_bytes(base.read_bytes())
        proc = subprocess.Popen(
            [sys.executable, "-c", code, "archive", "--archive", str(path), "import", str(second)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        assert "Traceback" not in err, err
        imports = len(CaseArchive(path).imports())
        assert (proc.returncode, imports) in {(130, 1), (130, 2), (0, 2)}, (delay, err)
        if (proc.returncode, imports) == (130, 1):
            assert "归档未作任何改变" in err
        if (proc.returncode, imports) == (130, 2):  # the Ctrl-C came after the COMMIT
            assert "导入在中断前已经完成并保存" in err and "未作任何改变" not in err


@pytest.mark.parametrize("late", ["after the commit", "while the summary is printed"])
def test_a_ctrl_c_after_the_commit_says_the_import_was_saved(tmp_path, monkeypatch, capsys, late):
    """The window the random Ctrl-C above seldom hits: the import is committed, then the
    interrupt comes. The message must not say that nothing changed."""
    path, second = _archive_and_next_month(tmp_path, 50, [0])
    real = CaseArchive.import_ledgers

    def committed_then_interrupted(self, *args, **kwargs):
        result = real(self, *args, **kwargs)
        if late == "after the commit":
            raise KeyboardInterrupt
        monkeypatch.setattr(type(result), "summary", _interrupt_summary)
        return result

    monkeypatch.setattr(CaseArchive, "import_ledgers", committed_then_interrupted)
    code = main(["archive", "--archive", str(path), "import", str(second)])
    err = capsys.readouterr().err
    assert code == 130
    assert len(CaseArchive(path).imports()) == 2
    assert "导入在中断前已经完成并保存" in err and "未作任何改变" not in err


def _interrupt_summary(self) -> str:
    raise KeyboardInterrupt


def test_a_ctrl_c_before_the_commit_still_says_nothing_changed(tmp_path, monkeypatch, capsys):
    path, second = _archive_and_next_month(tmp_path, 50, [0])

    def interrupted(self, *args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(CaseArchive, "import_ledgers", interrupted)
    assert main(["archive", "--archive", str(path), "import", str(second)]) == 130
    assert "归档未作任何改变" in capsys.readouterr().err
    assert len(CaseArchive(path).imports()) == 1


def test_an_export_from_before_the_mark_is_replaced_but_not_a_look_alike(months, tmp_path):
    _, folders = months
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_ledgers(folders[0])
    old = tmp_path / "old"
    for part in ("cases", "history"):
        leaf = old / part / "year=2026" / "month=7"
        leaf.mkdir(parents=True)
        pd.DataFrame({"x": [1]}).to_parquet(leaf / "data_0.parquet")
    archive.export_parquet(old)
    assert len(pd.read_parquet(old / "cases")) == 12
    mine = tmp_path / "mine"
    (mine / "cases").mkdir(parents=True)
    (mine / "history").mkdir()
    (mine / "cases" / "账.xlsx").write_bytes(b"not parquet")
    with pytest.raises(ValueError, match="已有别的文件"):
        archive.export_parquet(mine)
    assert (mine / "cases" / "账.xlsx").read_bytes() == b"not parquet"


@pytest.mark.parametrize(
    "stop",
    [duckdb.InterruptException("INTERRUPT Error: Interrupted!"), RuntimeError("Query interrupted")],
    ids=["InterruptException", "RuntimeError"],
)
def test_a_ctrl_c_while_the_schema_is_checked_is_an_interrupt(tmp_path, monkeypatch, capsys, stop):
    """DuckDB turns a Ctrl-C inside the schema check on opening into its own error; the random
    SIGINT test above hit it once (a traceback). It is a Ctrl-C: exit 130, nothing changed."""
    from xinfang_toolkit.archive import _store

    path, second = _archive_and_next_month(tmp_path, 20, [0])

    def interrupted(con, path):
        raise stop

    monkeypatch.setattr(_store, "check_schema", interrupted)
    code = main(["archive", "--archive", str(path), "import", str(second)])
    err = capsys.readouterr().err
    assert code == 130, err
    assert "归档未作任何改变" in err and "Traceback" not in err
    monkeypatch.undo()
    assert len(CaseArchive(path).imports()) == 1
