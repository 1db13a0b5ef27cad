"""summarize(): figures checked against the hand-counted ledger of test_report_ledger.py."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_report_ledger import END, START, TODAY, fixed_summarize, ledger

from xinfang_toolkit import draft_report, load_cases
from xinfang_toolkit.analysis._periods import months_spanned, previous_period
from xinfang_toolkit.report import Summary, summarize


@pytest.fixture
def summary() -> Summary:
    return fixed_summarize(start=START, end=END, today=TODAY, compare="yoy")


def test_totals_and_channels(summary):
    n = summary.numbers
    assert (n["cases"], n["persons"]) == (9, 22)  # C5, C7, C9 have no 人数: one person each
    assert (n["visits"], n["visit_persons"]) == (6, 19)
    assert {k: v for k, v in n.items() if k.startswith("channel.")} == {
        "channel.来信": 1,
        "channel.来访": 6,
        "channel.网上信访": 1,
        "channel.来电": 1,
    }
    assert n["undated"] == 1 and "没有登记日期" in summary.notes[0]
    assert repr(summary).startswith("Summary(2021年1月1日至2021年4月30日：9件22人次，同比")


def test_escalation_batches_and_persons(summary):
    n = summary.numbers
    got = {
        lv: (n[f"level.{lv}.batches"], n[f"level.{lv}.persons"])
        for lv in "国家 省 市 县区 乡镇".split()
    }
    assert got == {"国家": (2, 3), "省": (0, 0), "市": (2, 14), "县区": (1, 1), "乡镇": (1, 1)}
    table = summary.tables["信访去向"]
    assert table["报告用语"].tolist() == ["进京", "赴省", "到市", "到县", "乡镇"]
    assert table["批次"].sum() == n["visits"] and table["人次"].sum() == n["visit_persons"]
    assert sorted(summary.ids_for("level.市.batches")) == ["C3", "C4"]


def test_group_repeat_leader(summary):
    n = summary.numbers
    assert (n["group.batches"], n["group.persons"]) == (2, 14)
    assert (n["individual.batches"], n["individual.persons"]) == (4, 5)
    assert (n["repeat.cases"], n["repeat.chains"]) == (1, 1)
    assert summary.ids_for("repeat.cases") == ["C8"]
    assert sorted(summary.ids_for("skip_level")) == ["C1", "C2", "C3", "C4"]  # 市 and above
    assert (n["leader.cases"], n["leader.resolved"]) == (3, 2)
    leaders = summary.tables["领导包案"].set_index("包案领导")
    assert leaders.loc["李书记", "包案件数"] == 2 and leaders.loc["李书记", "已办结"] == 1


def test_handling_on_time_rate_and_overdue(summary):
    n = summary.numbers
    # closed by 4-30: C1 (15 d), C2 (100 d, late), C3 (20 d), C5 (10 d), C8 (10 d);
    # C6 closes on 5-05, after the period: still open at its end.
    assert (n["closed"], n["open"]) == (5, 4)
    assert (n["on_time"], n["on_time_known"], n["on_time_rate"]) == (4, 5, 0.8)
    assert n["overdue"] == 1 and summary.ids_for("overdue") == ["C4"]
    assert n["median_days"] == 15.0
    assert n["satisfaction_rate"] == pytest.approx(2 / 3)


def test_categories_localities_units(summary):
    n = summary.numbers
    assert n["category.土地纠纷"] == 3 and n["category.民政救济"] == 3
    assert n["category.未分类"] == 1  # C7 has no category
    cats = summary.tables["内容分类"]
    assert cats["内容分类"].tolist()[-1] == "未分类"
    assert cats["件数"].sum() == 9 and cats["占比"].sum() == pytest.approx(1)
    top = summary.tables["信访量较多的单位"]
    assert top["责任单位"].tolist() == ["乙局", "甲镇", "丙办"]  # 未填写 is not a unit
    assert top["超期未办结"].tolist() == [0, 1, 0]
    assert n["locality.双河乡"] == 3 and n["locality_persons.双河乡"] == 16
    units = summary.tables["责任单位"]
    for col, key in (
        ("件数", "cases"),
        ("已办结", "closed"),
        ("按期办结", "on_time"),
        ("超期未办结", "overdue"),
    ):
        assert int(units[col].sum()) == n[key], col  # the registry's figures, split by unit
    # 重复信访件 by unit is counted once, in 责任单位办理情况 (for the matter's first unit)
    assert "重复信访件" not in units.columns
    assert int(summary.tables["责任单位办理情况"]["重复信访件"].sum()) == n["repeat.cases"]


def test_backlog_start_resolved_end(summary):
    n = summary.numbers
    # at 2020-12-31 only A1 is open past its due date; it closes on 2021-02-10.
    # at 2021-04-30: A2 (due 2021-01-14) and C4 (due 2021-04-16).
    assert (n["backlog.start"], n["backlog.resolved"], n["backlog.new"], n["backlog.end"]) == (
        1,
        1,
        2,
        2,
    )
    assert summary.ids_for("backlog.start") == ["A1"]  # received before the period
    assert sorted(summary.ids_for("backlog.end")) == ["A2", "C4"]


def test_yoy_comparison(summary):
    n = summary.numbers
    assert summary.previous is not None and summary.previous.numbers["cases"] == 1  # P0
    assert (n["previous.cases"], n["change.cases"], n["change_rate.cases"]) == (1, 8, 8.0)
    assert n["change_rate.group.batches"] is None  # no rate against zero
    table = summary.tables["同比"].set_index("指标")
    assert table.loc["按期办结率", "增减"] == pytest.approx(-0.2)


def test_mom_shifts_by_whole_months():
    s = fixed_summarize(start="2021-04-01", end="2021-04-30", today=TODAY, compare="mom")
    assert (s.previous.start, s.previous.end) == (
        pd.Timestamp("2021-03-01"),
        pd.Timestamp("2021-03-31"),
    )
    assert s.numbers["previous.cases"] == 3 and s.numbers["cases"] == 2
    assert "环比" in s.tables


def test_previous_period_rules():
    ts = pd.Timestamp
    assert previous_period(ts("2021-01-01"), ts("2021-04-30"), "mom") == (
        ts("2020-09-01"),
        ts("2020-12-31"),
    )
    assert previous_period(ts("2021-03-21"), ts("2021-04-20"), "mom", period_cutoff_day=20) == (
        ts("2021-02-21"),
        ts("2021-03-20"),
    )
    assert previous_period(ts("2021-03-03"), ts("2021-03-12"), "mom") == (
        ts("2021-02-21"),
        ts("2021-03-02"),
    )
    assert months_spanned(ts("2021-01-01"), ts("2021-12-31")) == 12
    with pytest.raises(ValueError, match="compare"):
        previous_period(ts("2021-01-01"), ts("2021-01-31"), "weekly")


def test_as_of_today_before_end_counts_later_closings_as_open():
    s = fixed_summarize(start=START, end="2021-12-31", today="2021-02-28")
    assert s.as_of == pd.Timestamp("2021-02-28")
    assert s.numbers["cases"] == 4  # C1-C4 received by 2-28
    assert s.numbers["closed"] == 2  # C2 closes on 4-20, after "today"


def test_cases_for_and_input_not_changed(summary):
    df = ledger()
    before = df.copy()
    s = summarize(df, start=START, end=END, today=TODAY)
    pd.testing.assert_frame_equal(df, before)
    rows = s.cases_for("channel.来访")
    assert len(rows) == s.numbers["channel.来访"] and set(rows["channel"]) == {"来访"}
    with pytest.raises(KeyError, match="没有这个统计项"):
        s.cases_for("nonsense")


def test_bad_arguments():
    with pytest.raises(ValueError, match="晚于"):
        fixed_summarize(start="2021-05-01", end="2021-04-01")
    with pytest.raises(ValueError, match="不是有效日期"):
        fixed_summarize(start="去年", end="2021-04-01")
    with pytest.raises(ValueError, match="compare"):
        fixed_summarize(start=START, end=END, compare="year")


def test_empty_period():
    s = fixed_summarize(start="2019-01-01", end="2019-01-31", today=TODAY)
    assert s.numbers["cases"] == 0 and s.numbers["on_time_rate"] is None
    assert s.tables["内容分类"].empty


def test_with_the_real_analysis_enrich():
    analysis = pytest.importorskip("xinfang_toolkit.analysis")
    if not hasattr(analysis, "enrich"):
        pytest.skip("analysis.enrich not available yet")
    s = fixed_summarize(start=START, end=END, today=TODAY)
    n = s.numbers
    # rule-independent figures
    assert (n["cases"], n["visits"], n["level.国家.batches"], n["level.市.persons"]) == (
        9,
        6,
        2,
        14,
    )
    assert (n["group.batches"], n["group.persons"]) == (2, 14)
    # C8 repeats C2 (same ID number, same category)
    assert "C8" in s.ids_for("repeat.cases")
    # C2 took 100 days without extension: late; C1, C3, C5, C8 within 60 days
    assert n["on_time"] == 4 and n["closed"] == 5
    assert "C4" in s.ids_for("overdue")
    # the same figures as analysis.kpis on the enriched cases of the period
    k = analysis.kpis(s.cases)
    for key in ("cases", "persons", "closed", "on_time", "on_time_rate", "overdue", "median_days"):
        assert n[key] == k[key], key


@pytest.mark.parametrize("seed", [0, 7])
def test_invariants_and_agreement_with_analysis_on_synthetic_cases(seed):
    from xinfang_toolkit import analysis
    from xinfang_toolkit.schema import VISIT_LEVEL_REPORT_NAMES
    from xinfang_toolkit.synth import generate_cases

    cases = generate_cases(n=250, seed=seed)
    # the ledger marks some cases 积案 itself (jabz), among them cases closed in the period
    cases["backlog_flag"] = pd.Series(range(len(cases)), index=cases.index) % 9 == 0
    s = summarize(cases, start="2025-03-01", end="2025-12-31", today="2026-01-15")
    n, t = s.numbers, s.tables
    assert t["信访形式"]["件数"].sum() == n["cases"] == t["内容分类"]["件数"].sum()
    assert t["信访形式"]["人次"].sum() == n["persons"]
    assert n["closed"] + n["open"] == n["cases"]
    assert n["group.batches"] + n["individual.batches"] == n["visits"]
    assert n["group.persons"] + n["individual.persons"] == n["visit_persons"]
    assert n["leader.resolved"] <= n["leader.cases"] and n["on_time"] <= n["closed"]
    assert t["责任单位"]["件数"].sum() == n["cases"]
    # the same 批次/人次 as analysis.escalation_table and group_visits on the visits
    visits = s.cases_for("visits")
    esc = analysis.escalation_table(visits, by=None).iloc[0]
    for level, word in VISIT_LEVEL_REPORT_NAMES.items():
        assert n[f"level.{level}.batches"] == esc[f"{word}批次"], level
        assert n[f"level.{level}.persons"] == esc[f"{word}人次"], level
    groups = analysis.group_visits(visits, threshold=5)
    assert n["group.batches"] == groups.loc["集体访", "批次"]
    assert n["individual.persons"] == groups.loc["个访", "人次"]
    for key in ("cases", "channel.来访", "overdue", "backlog.end", "repeat.cases"):
        assert len(s.cases_for(key)) == n[key], key
    # the four backlog figures the report states add up: 期末 = 期初 - 办结 + 新增
    assert n["backlog.end"] == n["backlog.start"] - n["backlog.resolved"] + n["backlog.new"]


def test_a_frame_prepared_as_of_the_end_is_used_as_it_is():
    from test_report_ledger import prepared

    frame = prepared(END)
    frame["is_skip_level"] = frame["channel"] == "来访"  # a rule of its own: every visit
    s = summarize(frame, start=START, end=END, today=TODAY)
    assert s.numbers["skip_level"] == s.numbers["visits"] == 6  # C8 went to 乡镇: real rule 5
    # received after the as-of day: not prepared as of that day, so prepared again
    again = summarize(frame, start=START, end="2021-02-28", today="2021-02-28")
    assert again.numbers["skip_level"] == 4  # C1, C2 进京, C3, C4 到市 (real analysis)


def test_a_stale_person_key_is_computed_afresh():
    """A frame enriched before an ID number was corrected carries an old person_key: summarize
    recomputes it (it is derived), so the repeat of C8 is still found."""
    df = ledger()
    base = summarize(df, start=START, end=END, today=TODAY).numbers["repeat.cases"]
    stale = df.assign(person_key=[f"P-OLD-{i}" for i in range(len(df))])
    assert summarize(stale, start=START, end=END, today=TODAY).numbers["repeat.cases"] == base
    assert base >= 1


def test_positions_of_each_code():
    from xinfang_toolkit.report._summary import _positions

    codes = np.array([2, 0, 2, -1, 0, 2])
    got = _positions(codes, 4)
    assert [g.tolist() for g in got] == [[1, 4], [], [0, 2, 5], []]  # -1 (missing) in none
    assert _positions(np.zeros(0, dtype=np.int64), 0) == []


def test_sub_classes_backlog_kinds_and_resolved_matters():
    cases = load_cases(Path(__file__).resolve().parent.parent / "sample_data").cases
    s = summarize(cases, start="2026-01-01", end="2026-10-31", today="2026-11-20", compare="yoy")
    n = s.numbers
    subs = s.tables["二级分类"]
    assert ("城乡建设", "城市拆迁", 44) in set(
        zip(subs["内容分类"], subs["二级分类"], subs["件数"], strict=True)
    )
    for cat, k in subs.groupby("内容分类")["件数"].sum().items():
        assert k <= n[f"category.{cat}"]
    assert (
        n["subcategory.城乡建设/城市拆迁"]
        == 44
        == len(s.cases_for("subcategory.城乡建设/城市拆迁"))
    )
    assert not any(k.endswith("未填写") for k in n if k.startswith("subcategory"))
    kinds = s.tables["积案类别"]
    assert kinds["期末积案"].sum() == n["backlog.end"]
    assert kinds["期末积案"].is_monotonic_decreasing
    assert set(s.cases_for("backlog_kind.政法")["category"]) == {"政法"}
    done = s.tables["化解积案"]  # 化解, not merely 办结
    assert done["件数"].sum() == n["backlog.settled"] < n["backlog.resolved"]
    settled = s.cases_for("backlog.settled")
    settled_matters = set(zip(settled["locality"], settled["category"], strict=True))
    assert set(zip(done["问题属地"], done["内容分类"], strict=True)) <= settled_matters
    text = draft_report(s)
    assert f"本期办结{n['backlog.resolved']}件（其中已化解{n['backlog.settled']}件）" in text
    named = re.search(r"已化解(.+?)等积案", text)[1]
    first = f"{done.iloc[0]['问题属地']}{done.iloc[0]['二级分类'] or done.iloc[0]['内容分类']}问题"
    assert named.startswith(first)
    assert list(done.columns) == ["问题属地", "内容分类", "二级分类", "件数"]  # no person
    assert n["leader.open"] == n["leader.cases"] - n["leader.resolved"] == 10
    # 重复信访件 per unit adds up to the registry's figure
    assert s.tables["责任单位办理情况"]["重复信访件"].sum() == n["repeat.cases"]
    moves = s.movements
    row = moves[(moves["维度"] == "来访类型") & (moves["项目"] == "个访")].iloc[0]
    assert (row["本期"], row["上期"]) == (202, 168)  # visits only
    row = moves[(moves["维度"] == "内容分类") & (moves["项目"] == "教育文体")].iloc[0]
    assert (row["本期"], row["上期"], row["增减幅度"], row["变化"]) == (25, 5, 4.0, "明显上升")
