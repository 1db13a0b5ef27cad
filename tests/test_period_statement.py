"""The default report period is stated the same way in `xinfang report --help`, the README and
the report itself: the data's own months (--help said "the latest year" while the report
covered 22 months)."""

from __future__ import annotations

import re

from conftest import ROOT, SAMPLE_DATA

from xinfang_toolkit.cli import main

PHRASE = "数据本身所在的月份"


def test_help_and_readme_state_the_data_s_own_months(capsys):
    assert main(["report", "--help"]) == 0
    shown = re.sub(r"\s+", "", capsys.readouterr().out)
    assert PHRASE in shown and "最近一年" not in shown
    assert PHRASE in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_report_covers_the_data_s_own_months(tmp_path, capsys):
    out = tmp_path / "r.docx"
    code = main(["report", str(SAMPLE_DATA), "-o", str(out), "--today", "2026-11-20"])
    assert code in (0, 1)
    text = capsys.readouterr().out
    # sample_data: cases received from 2025-01 to 2026-10
    assert "2025年1月1日" in text and "2026年10月31日" in text, text[:400]
