"""``xinfang dossier``: one dossier per backlog matter plus an index; refusals exit 2."""

from __future__ import annotations

import pandas as pd
from archive_helpers import base_cases, ledger
from conftest import SAMPLE_DATA

from xinfang_toolkit.cli import main
from xinfang_toolkit.report._dossier import INDEX_NAME, MARKER


def test_dossier_backlog_writes_files_and_index(tmp_path, capsys):
    out = tmp_path / "卷宗"
    code = main([
        "dossier", str(SAMPLE_DATA), "--backlog", "--today", "2026-11-20", "--top", "3",
        "-o", str(out), "-k", "2",
    ])  # fmt: skip
    assert code in (0, 1)  # 1: the sample ledgers have cells to check
    docs = sorted(p.name for p in out.glob("*.docx"))
    assert len(docs) == 3
    index = pd.read_csv(out / INDEX_NAME, encoding="utf-8-sig")
    assert sorted(index["文件"]) == docs
    assert (out / MARKER).is_file()
    assert "已写出 3 份卷宗" in capsys.readouterr().out
    # again into its own folder with fewer matters: the earlier files of ours go
    code = main([
        "dossier", str(SAMPLE_DATA), "--backlog", "--today", "2026-11-20", "--top", "1",
        "-o", str(out),
    ])  # fmt: skip
    assert len(list(out.glob("*.docx"))) == 1


def test_dossier_refuses_a_foreign_folder_and_bad_case(tmp_path, capsys):
    foreign = tmp_path / "f"
    foreign.mkdir()
    (foreign / "a.txt").write_text("x", encoding="utf-8")
    assert main(["dossier", str(SAMPLE_DATA), "--backlog", "-o", str(foreign)]) == 2
    assert "不是空的" in capsys.readouterr().err
    assert [p.name for p in foreign.iterdir()] == ["a.txt"]
    out = tmp_path / "o"
    assert main(["dossier", str(SAMPLE_DATA), "--case", "NO-SUCH", "-o", str(out)]) == 2
    assert "NO-SUCH" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())
    assert main(["dossier", str(tmp_path / "missing.duckdb"), "--backlog", "-o", str(out)]) == 2
    bad = tmp_path / "bad.duckdb"
    bad.write_text("not an archive", encoding="utf-8")
    assert main(["dossier", str(bad), "--backlog", "-o", str(out)]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_dossier_from_an_archive(tmp_path):
    from xinfang_toolkit.archive import CaseArchive

    src = tmp_path / "ledgers"
    src.mkdir()
    ledger(base_cases(10), src, "2026-07")
    arc = tmp_path / "a.duckdb"
    with CaseArchive(arc) as a:
        a.import_ledgers(sorted(src.glob("*.xlsx")))
    out = tmp_path / "o"
    code = main(["dossier", str(arc), "--backlog", "--today", "2026-12-31", "-o", str(out)])
    assert code == 0
    assert len(list(out.glob("*.docx"))) >= 1


def test_dossier_from_the_monthly_sample_ledgers_through_a_home_archive(tmp_path, monkeypatch):
    """The README's way: the monthly ledgers imported into an archive under ~, then dossiers
    from it. Some of those ledgers' cases have no case number (looking a case up failed on
    them), and `~` is read as `xinfang archive` reads it (also where no shell expands it)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    archive = "~/xinfang_data/archive.duckdb"
    monthly = str(SAMPLE_DATA / "月度台账")
    assert main(["archive", "--archive", archive, "import", monthly]) in (0, 1)
    assert (tmp_path / "xinfang_data" / "archive.duckdb").is_file()
    out = tmp_path / "卷宗"
    code = main(
        ["dossier", archive, "--backlog", "--today", "2026-11-20", "--top", "2", "-o", str(out)]
    )
    assert code in (0, 1)
    assert len(list(out.glob("*.docx"))) == 2
