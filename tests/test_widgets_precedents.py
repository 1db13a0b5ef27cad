"""PrecedentPanel (会诊 workbench) and the CaseBrowser's 类案 button."""

from __future__ import annotations

import pandas as pd
import pytest
from docx import Document

from xinfang_toolkit.analysis import backlog_table, enrich
from xinfang_toolkit.synth import generate_cases
from xinfang_toolkit.widgets import CaseBrowser, PrecedentPanel

TODAY = "2026-11-20"


@pytest.fixture(scope="module")
def cases() -> pd.DataFrame:
    out = enrich(generate_cases(400, seed=11), today=TODAY)
    table = backlog_table(out, today=TODAY)
    # a hostile summary on the first matter's latest case: shown as text, never run
    hit = out["case_id"] == table["latest_case"].iloc[1]
    out.loc[hit, "summary"] = '<img src=x onerror="alert(1)">反映拖欠工资'
    return out


def test_panel_picks_a_matter_and_shows_dossier_and_precedents(cases, tmp_path):
    panel = PrecedentPanel(cases, today=TODAY, k=4, out_dir=tmp_path)
    table = panel.book.backlog
    assert [v for _, v in panel.matter.options] == list(table["chain_id"])
    assert panel.current.chain_id == table["chain_id"].iloc[0]
    second = table["chain_id"].iloc[1]
    panel.matter.value = second
    assert panel.current.chain_id == second
    assert "一、事项概况" in panel.dossier_html.value
    assert "<img" not in panel.dossier_html.value and "&lt;img" in panel.dossier_html.value
    assert len(panel.precedents) == 4
    assert list(panel.helpful.options) == list(panel.precedents["case_id"])
    # no petitioner's name anywhere in the panel
    shown = panel.dossier_html.value + panel.precedents_html.value
    for name in cases["petitioner"].dropna().astype(str).unique():
        if len(name) >= 2:
            assert name not in shown


def test_marking_helpful_precedents_and_export(cases, tmp_path):
    panel = PrecedentPanel(cases, today=TODAY, k=3, out_dir=tmp_path)
    first = panel.current.chain_id
    pick = panel.helpful.options[1]
    panel.helpful.value = (pick,)
    assert panel.marks[first] == {pick}
    assert "有帮助" in panel.precedents_html.value
    # the marks stay with their matter when another one is opened and this one again
    panel.matter.value = panel.matter.options[2][1]
    assert panel.helpful.value == ()
    panel.matter.value = first
    assert panel.helpful.value == (pick,)
    panel.export_button.click()
    path = panel.last_export
    assert path is not None and path.exists() and path.parent == tmp_path
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "参考类案：" + pick in text
    assert "有帮助" in cells
    assert "已导出" in panel.status.value


def test_export_twice_replaces_its_own_file_and_never_someone_elses(cases, tmp_path):
    panel = PrecedentPanel(cases, today=TODAY, k=3, out_dir=tmp_path)
    panel.export_button.click()
    path = panel.last_export
    panel.export_button.click()  # its own dossier: written again
    assert panel.last_export == path and "已导出" in panel.status.value
    path.write_bytes(b"a file of the same name that the office wrote")
    panel.last_export = None
    panel.export_button.click()  # refused with a message in the panel, the file kept
    assert panel.last_export is None
    assert "写出失败" in panel.status.value and "不是本工具包写出的文件" in panel.status.value
    assert path.read_bytes() == b"a file of the same name that the office wrote"


def test_panel_show_by_case_id(cases, tmp_path):
    panel = PrecedentPanel(cases, today=TODAY, out_dir=tmp_path)
    row = panel.book.backlog.iloc[3]
    panel.show(row["first_case"])
    assert panel.current.chain_id == row["chain_id"] == panel.matter.value


def test_case_browser_precedent_button(cases):
    browser = CaseBrowser(cases)
    target = cases["case_id"].iloc[5]
    browser.show_case(target)
    assert browser.precedents_html.value == ""
    browser.precedent_button.click()
    prec = browser.precedents
    assert len(prec) > 0 and (prec["query_case_id"] == target).all()
    own = cases.loc[cases["case_id"] == target, "chain_id"].iloc[0]
    assert not (prec["chain_id"] == own).any()
    assert "类案参考" in browser.precedents_html.value
    browser.show_case(cases["case_id"].iloc[6])  # another case: the old precedents go
    assert browser.precedents.empty and browser.precedents_html.value == ""
