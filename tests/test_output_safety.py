"""Outputs never remove or replace what the toolkit did not create, and fail cleanly (issue 23).

Each test failed on the code before issue 23: an export emptied its folder, outputs replaced
FIFOs, device nodes, ledgers and foreign workbooks, the loader read its own outputs as ledgers,
disk full gave a traceback, xlsxwriter left scratch files in the system temp folder.
"""

from __future__ import annotations

import errno
import gc
import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from test_report_ledger import END, START, TODAY, ledger

from xinfang_toolkit import _atomic, load_cases
from xinfang_toolkit.cli import main
from xinfang_toolkit.report import export_docx, export_tables, export_xlsx, summarize
from xinfang_toolkit.schema import CASE_COLUMNS, LABELS_ZH


def _csv(path: Path, frame: pd.DataFrame | None = None) -> Path:
    df = ledger() if frame is None else frame
    path.parent.mkdir(parents=True, exist_ok=True)
    df[list(CASE_COLUMNS)].rename(columns=LABELS_ZH).to_csv(path, index=False, encoding="utf-8")
    return path


def _xlsx_ledger(path: Path) -> Path:
    """A ledger as an office keeps it (written by pandas/openpyxl: no toolkit mark)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ledger()[list(CASE_COLUMNS)].rename(columns=LABELS_ZH).to_excel(path, index=False)
    return path


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _litter(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if ".part" in p.name or "scratch" in p.name]


# --- the toolkit's mark --------------------------------------------------------------------


def test_every_workbook_and_document_written_carries_the_mark(tmp_path):
    summary = summarize(ledger(), start=START, end=END, today=TODAY)
    xlsx = export_xlsx(summary, tmp_path / "r.xlsx")
    table = export_tables(ledger(), tmp_path / "t.xlsx")
    docx = export_docx(summary, tmp_path / "r.docx", charts=False)
    assert all(_atomic.has_mark(p) for p in (xlsx, table, docx))
    assert not _atomic.has_mark(_xlsx_ledger(tmp_path / "台账.xlsx"))
    with zipfile.ZipFile(xlsx) as zf:
        assert b"xinfang_toolkit" in zf.read("docProps/custom.xml")


# --- the loader skips the toolkit's own outputs --------------------------------------------


def test_load_into_the_ledger_folder_then_report_counts_each_case_once(tmp_path, capsys):
    folder = tmp_path / "台账"
    _xlsx_ledger(folder / "县台账.xlsx")
    before = load_cases(folder)
    assert main(["load", str(folder), "-o", str(folder), "--no-progress"]) in (0, 1)
    assert (folder / "案件清单.xlsx").exists()
    # a copy under another name is still known by its mark
    (folder / "副本.xlsx").write_bytes((folder / "案件清单.xlsx").read_bytes())
    again = load_cases(folder)
    assert len(again.cases) == len(before.cases)
    assert set(again.cases["source_file"]) == {"县台账.xlsx"}
    skipped = again.issues[again.issues["problem"].str.contains("本工具包自己写出的文件")]
    assert set(skipped["source_file"]) == {
        "案件清单.xlsx",
        "问题清单.xlsx",
        "排除清单.xlsx",
        "表头对照.xlsx",
        "副本.xlsx",
    }
    capsys.readouterr()
    out = tmp_path / "r.docx"
    main(["report", str(folder), "--from", START, "--to", END, "--today", TODAY, "-o", str(out)])
    text = capsys.readouterr().out
    assert (
        f"共受理群众信访事项{len(before.cases)}件" in text.replace(" ", "")
        or str(len(before.cases)) in text
    )


def test_csv_outputs_in_the_folder_are_skipped_by_their_names(tmp_path):
    folder = tmp_path / "台账"
    _csv(folder / "县台账.csv")
    n = len(load_cases(folder).cases)
    assert main(["load", str(folder), "-o", str(folder), "--format", "csv"]) in (0, 1)
    again = load_cases(folder)
    assert len(again.cases) == n
    assert (again.issues["problem"].str.contains("文件名与本工具包的输出相同")).sum() == 4


def test_a_folder_holding_only_outputs_is_no_ledger(tmp_path, capsys):
    folder = tmp_path / "out"
    assert main(["load", str(_csv(tmp_path / "a.csv")), "-o", str(folder)]) in (0, 1)
    assert main(["report", str(folder), "-o", str(tmp_path / "r.docx")]) == 2
    assert "本工具包写出的结果" in capsys.readouterr().err


# --- outputs refuse what is not theirs -----------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs: POSIX only")
def test_an_output_that_is_a_fifo_is_refused_and_stays_a_fifo(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    fifo = out / "案件清单.csv"
    os.mkfifo(fifo)
    src = _csv(tmp_path / "a.csv")
    assert main(["load", str(src), "-o", str(out), "--format", "csv", "--no-progress"]) == 2
    assert "命名管道" in capsys.readouterr().err
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in out.iterdir()) == ["案件清单.csv"]
    with pytest.raises(_atomic.OutputError, match="命名管道"):  # the API too
        export_tables(ledger(), fifo)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="making a device node needs root"
)
def test_an_output_that_is_a_device_node_is_refused(tmp_path, capsys):
    node = tmp_path / "null.xlsx"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    src = _csv(tmp_path / "a.csv")
    code = main(["report", str(src), "-o", str(tmp_path / "r.docx"), "--xlsx", str(node)])
    assert code == 2
    assert "设备文件" in capsys.readouterr().err
    assert stat.S_ISCHR(node.lstat().st_mode)
    assert not (tmp_path / "r.docx").exists()


def test_an_existing_workbook_the_toolkit_did_not_write_is_not_replaced(tmp_path, capsys):
    theirs = _xlsx_ledger(tmp_path / "汇报.xlsx")
    before = theirs.read_bytes()
    src = _csv(tmp_path / "a.csv")
    code = main(["report", str(src), "-o", str(tmp_path / "r.docx"), "--xlsx", str(theirs)])
    assert code == 2
    assert "不是本工具包写出的文件" in capsys.readouterr().err
    assert theirs.read_bytes() == before
    # its own earlier output is replaced as before
    (tmp_path / "r.docx").unlink(missing_ok=True)
    ours = tmp_path / "ours.xlsx"
    export_tables(ledger(), ours)
    code = main(["report", str(src), "-o", str(tmp_path / "r.docx"), "--xlsx", str(ours)])
    assert code in (0, 1)


def test_exports_from_python_never_replace_a_file_the_toolkit_did_not_write(tmp_path):
    """A notebook's export_xlsx / export_docx / export_tables are held to the rule the command
    line follows: an office's own workbook, document or CSV of that name stays as it was."""
    summary = summarize(ledger(), start=START, end=END, today=TODAY)
    theirs = {
        "xlsx": _xlsx_ledger(tmp_path / "县台账.xlsx"),
        "docx": tmp_path / "汇报.docx",
        "csv": _csv(tmp_path / "台账.csv"),
    }
    theirs["docx"].write_bytes(b"PK\x03\x04 a report someone wrote")
    before = {k: p.read_bytes() for k, p in theirs.items()}
    attempts = (
        lambda: export_xlsx(summary, theirs["xlsx"]),
        lambda: export_docx(summary, theirs["docx"], charts=False),
        lambda: export_tables(ledger(), theirs["csv"]),
    )
    for attempt in attempts:
        with pytest.raises(_atomic.OutputError, match="不是本工具包写出的文件"):
            attempt()
    assert {k: p.read_bytes() for k, p in theirs.items()} == before
    assert _litter(tmp_path) == []
    # its own outputs are replaced, again and again
    ours = export_xlsx(summary, tmp_path / "报表.xlsx")
    assert export_xlsx(summary, ours) == ours
    own_csv = export_tables(ledger(), tmp_path / "清单.csv")
    export_tables(ledger(), own_csv)
    # ... until somebody changes the CSV by hand: then it is theirs
    own_csv.write_text("改过的\n", encoding="utf-8")
    with pytest.raises(_atomic.OutputError):
        export_tables(ledger(), own_csv)
    assert own_csv.read_text(encoding="utf-8") == "改过的\n"


# --- failures: disk full, interrupted writes -----------------------------------------------


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_disk_full_while_writing_xlsx_is_a_chinese_message_and_leaves_nothing(
    tmp_path, capsys, monkeypatch
):
    import xlsxwriter.workbook

    src = _csv(tmp_path / "a.csv")
    out = tmp_path / "out"
    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "_store_workbook", _disk_full)
    assert main(["load", str(src), "-o", str(out), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "磁盘空间已满" in err and "案件清单.xlsx" in err and "Traceback" not in err
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.skipif(
    sys.platform != "linux" or not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="a small tmpfs needs Linux and root",
)
def test_disk_full_for_real_on_a_small_tmpfs(tmp_path, capsys):
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)]).returncode:
        pytest.skip("mount refused")
    try:
        big = pd.concat([ledger()] * 300, ignore_index=True)
        big["case_id"] = [f"K{i}" for i in range(len(big))]
        src = _csv(tmp_path / "big.csv", big)
        code = main(["load", str(src), "-o", str(disk / "out"), "--no-mask", "--no-progress"])
        err = capsys.readouterr().err
        assert code == 2, err
        assert "磁盘空间已满" in err and "Traceback" not in err
        assert _litter(disk) == []
        assert not (disk / "out").exists() or list((disk / "out").iterdir()) == []
    finally:
        gc.collect()  # the failed write's frames (and the zip file they hold open) go
        subprocess.run(["umount", str(disk)], check=True)


def test_an_interrupted_workbook_leaves_no_scratch_file_anywhere(tmp_path, monkeypatch):
    import xlsxwriter.workbook

    systemp = tmp_path / "systemp"
    systemp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(systemp))
    calls = []

    def late(real):
        def interrupt_late(self, *args, **kwargs):
            calls.append(args)
            if len(calls) == 5:  # xlsxwriter's scratch files (if any) exist by now
                raise KeyboardInterrupt
            return real(self, *args, **kwargs)

        return interrupt_late

    for name in ("write", "writestr"):  # files, or parts held in memory
        monkeypatch.setattr(zipfile.ZipFile, name, late(getattr(zipfile.ZipFile, name)))
    assert xlsxwriter.workbook  # imported, so the patch covers its zip writing
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        export_tables(ledger(), out / "t.xlsx")
    assert calls
    assert list(systemp.iterdir()) == []
    assert list(out.iterdir()) == []


@pytest.mark.skipif(os.name == "nt", reason="SIGTERM to a child process: POSIX only")
def test_sigterm_while_writing_leaves_no_part_file_and_exits_130(tmp_path):
    big = pd.concat([ledger()] * 4000, ignore_index=True)
    big["case_id"] = [f"K{i}" for i in range(len(big))]
    src = _csv(tmp_path / "大台账.csv", big)
    out = tmp_path / "out"
    code = (
        "import sys; from xinfang_toolkit.cli import main; print('ready', flush=True); "
        f"sys.exit(main(['load', {str(src)!r}, '-o', {str(out)!r}, '--no-progress']))"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(1.5)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "已中断" in err and "Traceback" not in err
    assert not out.exists() or _litter(out) == []


def test_two_id_number_columns_write_as_csv(tmp_path, capsys):
    src = tmp_path / "two.csv"
    src.write_text(
        "信访件编号,登记日期,信访人,身份证号,身份证号,反映问题\n"
        "A1,2026-01-05,张三,110101198805051237,110101198805051237,欠薪\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["load", str(src), "-o", str(out), "--format", "csv"]) in (0, 1)
    text = (out / "案件清单.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].count("身份证号") == 2
    assert "198805051237" not in text and "Traceback" not in capsys.readouterr().err


def test_loading_into_the_ledger_folder_twice_replaces_only_its_own_workbooks(tmp_path):
    folder = tmp_path / "台账"
    ledger_file = _xlsx_ledger(folder / "县台账.xlsx")
    before = ledger_file.read_bytes()
    assert main(["load", str(folder), "-o", str(folder), "--no-progress"]) in (0, 1)
    assert main(["load", str(folder), "-o", str(folder), "--no-progress"]) in (0, 1)
    assert ledger_file.read_bytes() == before
    assert len(load_cases(folder).cases) == len(ledger())
