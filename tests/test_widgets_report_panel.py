"""ReportPanel: the notebook's period chooser, driven without a browser."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from test_report_ledger import END, START, TODAY, ledger

from xinfang_toolkit.report import table_html
from xinfang_toolkit.widgets import ReportPanel


def test_panel_summarises_defaults_and_reacts_to_pickers():
    panel = ReportPanel(ledger(), start=START, end=END, compare="yoy", today=TODAY)
    assert panel.summary.numbers["cases"] == 9 and panel.summary.previous is not None
    assert "共受理群众信访9件22人次" in panel.text
    assert "9件" in panel.message.value
    panel.start.value = dt.date(2021, 4, 1)
    panel.compare.value = "mom"
    panel.button.click()
    assert panel.summary.numbers["cases"] == 2
    assert panel.summary.previous.start.date() == dt.date(2021, 3, 1)


def test_panel_reports_a_bad_period_in_chinese():
    panel = ReportPanel(ledger(), start=START, end=END, today=TODAY)
    panel.start.value = dt.date(2021, 6, 1)
    assert panel.refresh() is None and panel.summary is None
    assert "晚于" in panel.message.value


def test_table_html_formats_percentages():
    panel = ReportPanel(ledger(), start=START, end=END, today=TODAY)
    html = table_html(panel.summary.tables["总体情况"])
    assert "<td>按期办结率</td><td>80.0%</td>" in html
    assert "<td>信访总量（件）</td><td>9</td>" in html


def test_the_panel_is_a_widget_not_a_report_name():
    import xinfang_toolkit
    from xinfang_toolkit import report

    assert xinfang_toolkit.ReportPanel is ReportPanel
    # report sits below widgets (docs/architecture.md): its face names no widget (issue 29)
    assert "ReportPanel" not in report.__all__
    with pytest.raises(AttributeError):
        report.ReportPanel  # noqa: B018


def test_table_html_escapes_cells():
    frame = pd.DataFrame({"单位": ["<img src=x onerror=alert(1)>"], "件数": [3]})
    html = table_html(frame)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
