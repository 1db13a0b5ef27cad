"""Outputs whole or not at all, templates in the sandbox, and the crashes that were fixed (each test failed on the old code)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from test_report_ledger import END, START, TODAY, ledger

from xinfang_toolkit import _atomic
from xinfang_toolkit.cli import main
from xinfang_toolkit.report import TemplateError, draft_report, export_xlsx, summarize
from xinfang_toolkit.schema import CASE_COLUMNS, LABELS_ZH

EVIL = "基本情况\n{{ cycler.__init__.__globals__.os.popen('touch %s').read() }}\n"


def _csv(path: Path, frame: pd.DataFrame | None = None) -> Path:
    df = ledger() if frame is None else frame
    df[list(CASE_COLUMNS)].rename(columns=LABELS_ZH).to_csv(path, index=False, encoding="utf-8")
    return path


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# --- templates ---------------------------------------------------------------------------------


def test_template_reaching_for_python_internals_is_refused_with_its_line(tmp_path):
    marker = tmp_path / "pwned"
    template = tmp_path / "evil.j2"
    template.write_text(EVIL % marker, encoding="utf-8")
    summary = summarize(ledger(), start=START, end=END, today=TODAY)
    with pytest.raises(TemplateError, match="evil.j2 第2行.*Python 内部"):
        draft_report(summary, template=template)
    assert not marker.exists()


def test_cli_report_with_evil_template_exits_2_and_writes_nothing(tmp_path, capsys):
    marker = tmp_path / "pwned"
    template = tmp_path / "evil.j2"
    template.write_text(EVIL % marker, encoding="utf-8")
    src = _csv(tmp_path / "台账.csv")
    out = tmp_path / "out"
    code = main(
        [*("report", str(src), "--from", START, "--to", END, "--today", TODAY)]
        + ["--template", str(template), "-o", str(out / "r.docx"), "--no-progress"]
    )
    assert code == 2
    assert "evil.j2 第2行" in capsys.readouterr().err
    assert not marker.exists()
    assert not out.exists() or not any(out.iterdir())


def test_the_packaged_templates_still_render_in_the_sandbox():
    summary = summarize(ledger(), start=START, end=END, today=TODAY)
    assert "基本情况" in draft_report(summary)


# --- outputs -----------------------------------------------------------------------------------


def test_output_equal_to_an_input_is_refused(tmp_path, capsys):
    src = tmp_path / "台账.xlsx"
    export_xlsx(ledger(), src, mask=False)
    before = src.read_bytes()
    code = main(["report", str(src), "-o", str(tmp_path / "r.docx"), "--xlsx", str(src)])
    assert code == 2
    assert "不能覆盖原始台账" in capsys.readouterr().err
    assert src.read_bytes() == before
    assert not (tmp_path / "r.docx").exists()


def test_output_inside_an_input_folder_equal_to_a_ledger_is_refused(tmp_path, capsys):
    folder = tmp_path / "ledgers"
    folder.mkdir()
    src = _csv(folder / "案件清单.csv")
    before = src.read_bytes()
    assert main(["load", str(folder), "-o", str(folder), "--format", "csv"]) == 2
    assert "不能覆盖原始台账" in capsys.readouterr().err
    assert src.read_bytes() == before and sorted(p.name for p in folder.iterdir()) == [
        "案件清单.csv"
    ]


def test_output_that_is_a_folder_is_refused(tmp_path, capsys):
    src = _csv(tmp_path / "台账.csv")
    target = tmp_path / "report.docx"
    target.mkdir()
    assert main(["report", str(src), "-o", str(target)]) == 2
    assert "是一个文件夹" in capsys.readouterr().err
    assert list(target.iterdir()) == []


def test_output_folder_that_is_a_file_is_refused(tmp_path, capsys):
    src = _csv(tmp_path / "台账.csv")
    (tmp_path / "out").write_text("x", encoding="utf-8")
    assert main(["load", str(src), "-o", str(tmp_path / "out")]) == 2
    assert "不是文件夹" in capsys.readouterr().err


def test_read_only_folder_is_refused_before_anything_is_written(tmp_path, capsys, monkeypatch):
    src = _csv(tmp_path / "台账.csv")
    out = tmp_path / "out"
    out.mkdir()

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", kwargs.get("dir"))

    monkeypatch.setattr(_atomic.tempfile, "mkstemp", refuse)
    assert main(["load", str(src), "-o", str(out)]) == 2
    assert "不能写入" in capsys.readouterr().err
    assert list(out.iterdir()) == []


@pytest.mark.skipif(
    os.name == "nt" or (hasattr(os, "geteuid") and os.geteuid() == 0),
    reason="folder permissions: POSIX only, and root may write a read-only folder",
)
def test_read_only_folder_for_real(tmp_path, capsys):
    src = _csv(tmp_path / "台账.csv")
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        assert main(["load", str(src), "-o", str(out)]) == 2
        assert "不能写入" in capsys.readouterr().err
    finally:
        out.chmod(0o755)


def test_a_failure_half_way_leaves_the_old_set_and_no_partial_file(tmp_path, monkeypatch):
    src = _csv(tmp_path / "台账.csv")
    out = tmp_path / "out"
    assert main(["load", str(src), "-o", str(out)]) == 1
    old = _files(out)
    assert sorted(old) == sorted(
        ["案件清单.xlsx", "问题清单.xlsx", "排除清单.xlsx", "表头对照.xlsx"]
    )

    from xinfang_toolkit.report import _export

    real, calls = _export.write_workbook, []

    def fail_on_second(path, sheets, **kwargs):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(path, sheets, **kwargs)

    monkeypatch.setattr(_export, "write_workbook", fail_on_second)
    assert main(["load", str(src), "-o", str(out)]) == 2
    assert _files(out) == old  # the previous complete set, untouched; no temporary file left


def test_atomic_outputs_rename_all_or_none(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    with _atomic.atomic_outputs([a, b]) as (ta, tb):
        ta.write_text("A", encoding="utf-8")
        tb.write_text("B", encoding="utf-8")
        assert not a.exists() and ta.parent == tmp_path
    assert a.read_text(encoding="utf-8") == "A" and b.read_text(encoding="utf-8") == "B"
    with pytest.raises(KeyboardInterrupt), _atomic.atomic_outputs([a, b]) as (ta, tb):
        ta.write_text("new", encoding="utf-8")
        raise KeyboardInterrupt
    assert a.read_text(encoding="utf-8") == "A"
    # besides the two outputs only the manifest of what the toolkit wrote (no temporary file)
    assert sorted(p.name for p in tmp_path.iterdir()) == [_atomic.MANIFEST, "a.txt", "b.txt"]
    assert _atomic.written_by_toolkit(a) and _atomic.written_by_toolkit(b)


@pytest.mark.skipif(os.name == "nt", reason="SIGINT to a child process: POSIX only")
def test_ctrl_c_one_line_no_partial_file_exit_130(tmp_path):
    big = pd.concat([ledger()] * 4000, ignore_index=True)
    big["case_id"] = [f"K{i}" for i in range(len(big))]
    src = _csv(tmp_path / "大台账.csv", big)
    out = tmp_path / "out"
    out.mkdir()
    from xinfang_toolkit.report import export_tables

    export_tables(pd.DataFrame({"x": ["old cases"]}), out / "案件清单.xlsx")  # an earlier output
    old = _files(out)
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
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "已中断" in lines[0], err
    assert _files(out) == old


# --- crashes -----------------------------------------------------------------------------------


def _second_visit_without_summary() -> pd.DataFrame:
    df = ledger()
    again = df[df["case_id"] == "C1"].copy()
    again["case_id"], again["received_date"] = "C1b", pd.Timestamp("2021-03-02")
    again["summary"] = pd.NA
    df = pd.concat([df, again], ignore_index=True)
    df["summary"] = df["summary"].astype("string")
    return df


def test_second_visit_with_empty_summary_does_not_crash_enrich_and_summarize():
    from xinfang_toolkit.analysis import enrich

    df = _second_visit_without_summary()
    enriched = enrich(df, today=TODAY)
    assert enriched.loc[enriched["case_id"] == "C1b", "person_key"].notna().all()
    summary = summarize(enriched, start=START, end=END, today=TODAY)
    assert summary.numbers


def test_cli_report_with_an_empty_second_summary_writes_the_report(tmp_path):
    src = _csv(tmp_path / "台账.csv", _second_visit_without_summary())
    out = tmp_path / "r.docx"
    code = main(
        ["report", str(src), "--from", START, "--to", END, "--today", TODAY, "-o", str(out)]
    )
    assert code in (0, 1) and out.exists()


def test_lone_surrogate_is_written_as_a_replacement_character(tmp_path):
    from openpyxl import load_workbook

    df = ledger()
    df.loc[df["case_id"] == "C1", "summary"] = "反映\ud800问题"
    df.loc[df["case_id"] == "C2", "petitioner"] = "周\udc00芳"
    summary = summarize(df, start=START, end=END, today=TODAY)
    export_xlsx(summary, tmp_path / "r.xlsx")
    path = export_xlsx(df, tmp_path / "c.xlsx")
    text = " ".join(
        str(c)
        for ws in load_workbook(path).worksheets
        for r in ws.iter_rows(values_only=True)
        for c in r
        if c
    )
    assert "反映\ufffd问题" in text


def test_synth_help_prints_help_and_writes_nothing(tmp_path, monkeypatch, capsys):
    from xinfang_toolkit.synth.__main__ import main as synth_main

    monkeypatch.chdir(tmp_path)
    assert synth_main(["--help"]) == 0
    assert "usage" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []
