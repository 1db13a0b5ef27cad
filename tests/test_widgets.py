"""Widgets without a browser: set .value, .click(), check the panel state and the filtered frame.

Expected counts are computed independently with plain pandas boolean filters.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest

from xinfang_toolkit.schema import STATUS_VALUES, conform_cases
from xinfang_toolkit.widgets import CaseBrowser, FilterPanel
from xinfang_toolkit.widgets._index import BLANK, CaseIndex

CATEGORIES = ["城乡建设", "民政", "农村农业", "政法"]
LOCALITIES = ["东城镇", "西河乡", "南山村"]
CHANNELS = ["来信", "来访", "网上信访"]
LEVELS = ["乡镇", "县区", "市", "省", "国家"]
SUMMARIES = ["反映征地补偿款未到位", "反映低保被取消", "反映邻里宅基地纠纷", "反映工资拖欠"]


def _cases(n: int = 60, seed: int = 1) -> pd.DataFrame:
    """Hand-made enriched cases; every 10th has an empty category; chains of 3 cases."""
    rng = np.random.default_rng(seed)
    received = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 300, n), unit="D")
    df = pd.DataFrame(
        {
            "case_id": [f"XF{i:04d}" for i in range(n)],
            "received_date": received,
            "channel": rng.choice(CHANNELS, n),
            "petitioner": [f"张{'三四五'[i % 3]}明" for i in range(n)],
            "id_number": ["410122199001011234"] * n,
            "phone": ["13812345678"] * n,
            "person_count": rng.choice([1, 1, 2, 6, 9], n),
            "locality": rng.choice(LOCALITIES, n),
            "category": rng.choice(CATEGORIES, n),
            "summary": [f"{SUMMARIES[i % 4]},联系电话13812345678" for i in range(n)],
            "visit_level": rng.choice(LEVELS, n),
        }
    )
    df.loc[::10, "category"] = None
    out = conform_cases(df)
    out["status"] = pd.array(rng.choice(STATUS_VALUES[:4], n), dtype="string")
    out["is_group"] = out["person_count"] >= 5
    out["chain_id"] = pd.array([f"K{i // 3}" for i in range(n)], dtype="string")
    return out


@pytest.fixture
def cases() -> pd.DataFrame:
    return _cases()


def test_panel_starts_with_all_cases_and_lists_options_by_frequency(cases):
    panel = FilterPanel(cases, charts=False)
    assert panel.count == len(cases)
    assert '<span class="xf-count">60</span>' in panel.count_html.value
    counts = cases["category"].value_counts()
    labels = [lab for lab, _ in panel.category.options]
    values = [v for _, v in panel.category.options]
    top = counts.index[0]
    assert labels[0] == f"{top} ({counts.iloc[0]})"
    assert values[-1] == BLANK and labels[-1] == f"{BLANK} (6)"
    assert [v for _, v in panel.visit_level.options] == [
        v for v in LEVELS if v in set(cases["visit_level"])
    ]


def test_choice_filters_combine(cases):
    panel = FilterPanel(cases, charts=False)
    panel.category.value = ("民政", "政法")
    panel.visit_level.value = ("市", "省", "国家")
    expected = cases[
        cases["category"].isin(["民政", "政法"]).fillna(False)
        & cases["visit_level"].isin(["市", "省", "国家"])
    ]
    assert panel.count == len(expected) > 0
    pd.testing.assert_frame_equal(panel.filtered, expected)
    assert f'<span class="xf-count">{len(expected)}</span>' in panel.count_html.value
    assert panel.describe() == "内容分类=民政、政法;信访去向=市、省、国家"


def test_blank_category_and_group_only(cases):
    panel = FilterPanel(cases, charts=False)
    panel.category.value = (BLANK,)
    assert panel.count == 6
    panel.group_only.value = True
    expected = cases["category"].isna() & (cases["person_count"] >= 5)
    assert panel.count == int(expected.sum())


def test_date_range_and_status(cases):
    panel = FilterPanel(cases, charts=False)
    panel.start.value = dt.date(2026, 3, 1)
    panel.end.value = dt.date(2026, 6, 30)
    panel.status.value = ("已超期",)
    d = cases["received_date"]
    expected = (d >= "2026-03-01") & (d <= "2026-06-30") & (cases["status"] == "已超期")
    assert panel.count == int(expected.sum()) > 0
    assert list(panel.filtered["case_id"]) == list(cases.loc[expected, "case_id"])


def test_text_search_applies_on_enter_or_button_and_ands_terms(cases):
    panel = FilterPanel(cases, charts=False)
    panel.search.value = "低保"  # continuous_update=False: this is the value after Enter
    assert panel.count == int(cases["summary"].str.contains("低保").sum()) == 15
    panel.search.value = "反映 XF001"  # both terms: case_id XF0010..XF0019 and "反映"
    assert panel.count == 10
    assert not panel.search.continuous_update
    calls = []
    panel.on_change(lambda p: calls.append(p.count))
    panel.search_button.click()
    assert calls == [10]


def test_reset_clears_everything_in_one_update(cases):
    panel = FilterPanel(cases, charts=False)
    panel.channel.value = ("来信",)
    panel.group_only.value = True
    panel.search.value = "纠纷"
    calls = []
    panel.on_change(lambda p: calls.append(p.count))
    panel.reset_button.click()
    assert calls == [len(cases)]
    assert panel.channel.value == () and not panel.group_only.value and panel.search.value == ""


def test_head_table_is_masked_and_limited(cases):
    panel = FilterPanel(cases, head=5, charts=False)
    table = panel.table_html.value
    assert table.count("<tr>") == 6  # header + 5 rows
    assert "张*明" in table and "张三明" not in table
    assert "13812345678" not in table  # phone inside the summary is masked too
    assert "信访件编号" in table


def test_filtered_is_a_new_frame_and_input_is_untouched(cases):
    before = cases.copy()
    panel = FilterPanel(cases, charts=False)
    panel.channel.value = ("来访",)
    out = panel.filtered
    out.loc[out.index[0], "summary"] = "changed"
    pd.testing.assert_frame_equal(cases, before)


def _bars(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-label="([^"]*)" data-value="(\d+)"', html)}


def test_charts_follow_the_filter(cases):
    panel = FilterPanel(cases, charts=True)
    by_cat, by_month = (_bars(h.value) for h in panel.chart_html)
    assert by_cat == cases["category"].fillna(BLANK).value_counts().to_dict()
    assert by_month == cases["received_date"].dt.strftime("%Y-%m").value_counts().to_dict()
    panel.category.value = ("民政",)
    sub = cases[cases["category"] == "民政"]
    assert _bars(panel.chart_html[0].value) == {"民政": len(sub)}
    months = sub["received_date"].dt.strftime("%Y-%m").value_counts()
    got = _bars(panel.chart_html[1].value)
    assert {k: v for k, v in got.items() if v} == months.to_dict()
    panel.search.value = "没有这个词"
    assert "无数据" in panel.chart_html[0].value


def test_index_counts_and_months(cases):
    index = CaseIndex(cases)
    pos = np.flatnonzero(index.mask(selections={"channel": ["来信"]}))
    sub = cases.iloc[pos]
    got = index.counts("category", pos)
    want = sub["category"].fillna(BLANK).value_counts()
    assert got[got > 0].sort_index().to_dict() == want.sort_index().to_dict()
    months = index.month_counts(pos)
    want_m = sub["received_date"].dt.strftime("%Y-%m").value_counts()
    assert months[months > 0].to_dict() == want_m.to_dict()


def test_browser_pages_through_the_panel(cases):
    panel = FilterPanel(cases, charts=False)
    browser = CaseBrowser(panel, page_size=25)
    assert browser.n_pages == 3
    assert "第 1 / 3 页" in browser.page_label.value and browser.prev_button.disabled
    browser.next_button.click()
    browser.next_button.click()
    assert browser.page == 2 and browser.next_button.disabled
    assert list(cases.iloc[browser.page_positions]["case_id"]) == [
        f"XF{i:04d}" for i in range(50, 60)
    ]
    panel.locality.value = ("东城镇",)  # the browser follows the panel, back to page 1
    n = int((cases["locality"] == "东城镇").sum())
    assert browser.page == 0 and f"共 {n} 件" in browser.page_label.value
    assert len(browser.case.options) == min(25, n)


def test_case_card_and_repeat_chain_in_date_order(cases):
    browser = CaseBrowser(cases)
    browser.show_case("XF0004")
    assert browser.selected == 4
    card = browser.card_html.value
    assert "XF0004" in card and "张*明" in card and "410122********1234" in card
    assert "张四明" not in card and "13812345678" not in card
    members = cases.iloc[3:6].sort_values("received_date", kind="stable")
    assert list(browser.chain["case_id"]) == list(members["case_id"])
    order = [
        m.start() for m in (re.search(c, browser.chain_html.value) for c in members["case_id"])
    ]
    assert order == sorted(order)


def test_browser_dropdown_opens_a_case(cases):
    browser = CaseBrowser(cases, page_size=10)
    label, position = browser.case.options[3]
    assert label.startswith("XF0003 | ")
    browser.case.value = position
    assert browser.selected == 3 and "XF0003" in browser.card_html.value
    with pytest.raises(KeyError, match="没有编号"):
        browser.show_case("nope")


def test_browser_without_chains_says_so(cases):
    browser = CaseBrowser(cases.drop(columns=["chain_id"]))
    assert "analysis.enrich" in browser.chain_html.value


def test_dashboard_kpis_follow_the_panel(cases):
    from xinfang_toolkit import analysis
    from xinfang_toolkit.widgets import Dashboard

    raw = cases.drop(columns=["status", "is_group", "chain_id"])
    board = Dashboard(raw, today="2026-11-20", charts=False)
    assert "status" in board.cases.columns and "chain_id" in board.cases.columns
    assert f'<span class="xf-count">{len(cases)}</span>' in board.kpi_html.value
    assert board.kpis["persons"] == int(cases["person_count"].sum())

    board.panel.category.value = ("民政",)
    expected = board.cases[board.cases["category"] == "民政"]
    assert board.panel.count == len(expected) > 0
    assert f'<span class="xf-count">{len(expected)}</span>' in board.kpi_html.value
    want = analysis.kpis(expected, today="2026-11-20")
    assert board.kpis == want
    assert f"{want['visits']:,} / {want['visit_persons']:,}" in board.kpi_html.value
    # the embedded browser follows the same panel
    assert f"共 {len(expected)} 件" in board.browser.page_label.value


def _series_bars(html: str) -> dict[tuple[str, str], float]:
    found = re.findall(
        r'class="xf-vbar" data-label="([^"]*)" data-value="([^"]*)" data-series="([^"]*)"', html
    )
    return {(label, series): float(v) for label, v, series in found}


def test_dashboard_draws_every_chart_from_the_filtered_cases(cases):
    from xinfang_toolkit.widgets import Dashboard
    from xinfang_toolkit.widgets.dashboard import CHARTS

    board = Dashboard(cases.drop(columns=["status"]), today="2026-11-20")
    assert list(board.chart_html) == list(CHARTS)
    before = {name: box.value for name, box in board.chart_html.items()}
    assert all("xf-bars" in html for html in before.values())

    board.panel.category.value = ("民政",)
    sub = board.cases[board.cases["category"] == "民政"]
    html = {name: box.value for name, box in board.chart_html.items()}
    assert _bars(html["按内容分类"]) == {"民政": len(sub)}
    assert _bars(html["按问题属地"]) == sub["locality"].value_counts().to_dict()
    # 信访去向: 批次 = visits (来访) per level, 人次 = their persons, as the report counts
    levels = {"乡镇": "乡镇", "县区": "到县", "市": "到市", "省": "赴省", "国家": "进京"}
    got = _series_bars(html["信访去向"])
    visits = sub[sub["channel"] == "来访"]
    assert len(visits) < len(sub)  # letters and online petitions go to no level
    for level, name in levels.items():
        rows = visits[visits["visit_level"] == level]
        assert got[(name, "批次")] == len(rows)
        assert got[(name, "人次")] == rows["person_count"].sum()
    # months of the latest year beside the year before
    got = _series_bars(html["各月信访量(同比)"])
    months = sub["received_date"].dt.strftime("%Y-%m").value_counts()
    for (month, series), n in got.items():
        key = f"{series[:4]}-{int(month[:-1]):02d}"
        assert n == months.get(key, 0), key
    assert sum(got.values()) == len(sub)
    # the hand-made cases have no closing dates: the on-time chart says 无数据 both times
    assert "无数据" in html["按期办结率"] and html["按期办结率"] == before["按期办结率"]
    ageing = _bars(html["未办结件账龄"])
    assert sum(ageing.values()) == int(sub["closed_date"].isna().sum())


def test_busy_sign_shows_while_a_change_is_applied(cases):
    from xinfang_toolkit.widgets import Dashboard

    board = Dashboard(cases, today="2026-11-20", charts=False)
    seen = []
    board.panel.on_change(lambda p: seen.append(p.busy.value))
    assert "xf-on" not in board.panel.busy.value
    board.panel.channel.value = ("来信",)
    assert seen and "xf-on" in seen[0] and "正在计算" in seen[0]
    assert "xf-on" not in board.panel.busy.value


def test_dashboard_back_to_all_cases_shows_the_figures_of_all(cases):
    from xinfang_toolkit import analysis
    from xinfang_toolkit.widgets import Dashboard

    board = Dashboard(cases, today="2026-11-20")
    first = {name: box.value for name, box in board.chart_html.items()}
    board.panel.channel.value = ("来信",)
    assert board.kpis["cases"] < len(cases)
    board.panel.reset()
    assert board.kpis == analysis.kpis(board.cases, today="2026-11-20")
    assert {name: box.value for name, box in board.chart_html.items()} == first


def test_dashboard_month_and_category_charts_count_the_cards_cases():
    """The month and category charts count the registry's cases as of the page's day, as the
    cards do: a case received after that day is in no chart (the charts counted every row)."""
    from xinfang_toolkit.analysis import counted_rows, month_counts
    from xinfang_toolkit.synth import generate_cases
    from xinfang_toolkit.widgets import Dashboard
    from xinfang_toolkit.widgets.dashboard import CHARTS

    cases = generate_cases(800, seed=2)
    board = Dashboard(cases, today="2026-06-30")
    bars = re.findall(r'title="(\d+)月 (\d{4})年:(\d+)"', board.chart_html[CHARTS[0]].value)
    shown = {f"{y}-{int(m):02d}": int(n) for m, y, n in bars}
    assert all(n == 0 for k, n in shown.items() if k > "2026-06")
    want = month_counts(board.cases, as_of="2026-06-30")
    assert all(shown[k] == n for k, n in want.items() if k in shown)
    counted = int(counted_rows(board.cases, as_of="2026-06-30").sum())
    assert counted == board.kpis["cases"] < len(cases)
