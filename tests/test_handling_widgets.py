"""The handling columns in the widgets: FilterPanel filters (交办机关, 重点, 化解方式), the
Dashboard's handling cards and unit table, the CaseBrowser card."""

from __future__ import annotations

from pathlib import Path

import fixtures_handling as F
import pandas as pd
import pytest

from xinfang_toolkit import load_cases
from xinfang_toolkit.analysis import enrich

pytest.importorskip("ipywidgets")
from xinfang_toolkit.widgets import CaseBrowser, Dashboard, FilterPanel  # noqa: E402

TODAY = "2026-04-30"


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    folder = tmp_path_factory.mktemp("handling")
    truth = [
        F.assigned_register(folder / "交办件.xlsx"),
        F.supervision_register(folder / "督办.xlsx"),
        F.backlog_ledger(folder / "积案.xlsx"),
    ]
    assert sum(len(t) for t in truth) == 36
    return enrich(load_cases(folder, today="2026-12-01").cases, today=TODAY)


def test_filter_panel_handling_filters(cases):
    panel = FilterPanel(cases, charts=False)
    assert panel.assigned_by is not None and panel.key_case is not None
    assert panel.resolution_type is not None
    assert "稳控" not in [v for _label, v in panel.resolution_type.options]
    panel.assigned_by.value = ("国家信访局",)
    # 2 in the register, 2 in the backlog ledger's 案件来源 (国家信访局交办)
    assert panel.count == 4
    assert "交办机关=国家信访局" in panel.describe()
    panel.reset()
    panel.key_case.value = ("是",)
    assert panel.count == 1 + 4  # supervision register i = 4; backlog ledger i = 0, 4, 8, 12
    panel.reset()
    panel.resolution_type.value = ("分流",)
    assert set(panel.filtered["resolution_type"]) == {"分流"}
    assert panel.count == 3


def test_filter_panel_without_handling_values_has_no_such_filters():
    frame = load_cases(Path(__file__).resolve().parent.parent / "sample_data").cases
    panel = FilterPanel(frame.head(50), charts=False)
    assert panel.assigned_by is None and panel.key_case is None


def test_dashboard_cards_and_unit_table(cases):
    board = Dashboard(cases, today=TODAY, start="2026-01-01", charts=False)
    html = board.kpi_html.value
    for name in ("交办件", "领导接访次数", "督办次数", "回访率", "积案包案率", "积案化解"):
        assert name in html
    k = board.kpis
    assert k["assigned.cases"] == 12 and k["supervision.count"] == 16
    units = board.units
    assert int(units["件数"].sum()) == k["cases"]
    assert int(units["交办件"].sum()) == k["assigned.cases"]
    assert "责任单位" in board.unit_html.value
    board.panel.assigned_by.value = ("省信访局",)
    assert board.kpis["assigned.cases"] == 2
    assert int(board.units["交办件"].sum()) == 2


def test_case_browser_card_shows_the_handling(cases):
    browser = CaseBrowser(cases)
    browser.show_case("JB20260001")
    card = browser.card_html.value
    for text in ("交办机关", "国家信访局", "反馈期限", "领导批示", "批示领导", "王建国"):
        assert text in card
    petitioner = cases.loc[cases["case_id"] == "JB20260001", "petitioner"].iloc[0]
    assert petitioner not in card
    assert isinstance(browser.chain, pd.DataFrame)
