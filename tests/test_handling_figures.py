"""The handling figures of the registry (交办, 批示, 接访, 督办, 回访, 重点, 包案, 积案化解), unit_table
and assigned_table, against hand counts on the three handling layouts (fixtures_handling)."""

from __future__ import annotations

import re

import fixtures_handling as F
import pandas as pd
import pytest

from xinfang_toolkit import load_cases, summarize, unit_table
from xinfang_toolkit.analysis import (
    FIGURES,
    SETTLE_DAYS,
    assigned_table,
    enrich,
    figure_values,
    settled_at,
)
from xinfang_toolkit.analysis._settle import settle_rule
from xinfang_toolkit.analysis._units import UNIT_COLUMNS
from xinfang_toolkit.report._draft import TEMPLATE_DIR
from xinfang_toolkit.schema import conform_cases

KEYS = (
    "assigned.cases",
    "assigned.on_time",
    "assigned.overdue",
    "instruction.cases",
    "reception.sessions",
    "supervision.count",
    "supervision.cases",
    "follow_up.cases",
    "follow_up_rate",
    "key.cases",
    "backlog.leader_rate",
    "leader.open",
    "backlog.resolved.化解",
    "backlog.resolved.分流",
    "backlog.resolved.疏导",
    "backlog.resolved.救助帮扶",
)


def _load(builder, tmp_path, today):
    builder(tmp_path / "l.xlsx")
    return enrich(load_cases(tmp_path / "l.xlsx", today="2026-12-01").cases, today=today)


def test_the_keys_the_report_template_uses_exist():
    keys = {f.key for f in FIGURES}
    assert set(KEYS) <= keys
    # the figures handling.j2 fills (read from the template, so a new one is checked too)
    text = (TEMPLATE_DIR / "handling.j2").read_text(encoding="utf-8")
    used = set(re.findall(r'(?:fill|has)\("([^"]+)"', text))
    used = {k for k in used if not k.startswith("activity.")}  # the activity ledger's counts
    assert "reception.sessions" in used and used <= keys, used - keys
    labels = [f.label for f in FIGURES]
    assert len(labels) == len(set(labels))  # the Excel overview is keyed by label


def test_assigned_register(tmp_path):
    # 12 交办件; fed back 3 days before the limit except i = 3, 7 (5 days late); i = 10, 11 not
    # fed back and past their limit on 4-30; 领导批示 on i = 0, 3, 6, 9
    cases = _load(F.assigned_register, tmp_path, "2026-04-30")
    v = figure_values(cases, as_of="2026-04-30")
    assert (v["assigned.cases"], v["assigned.on_time"], v["assigned.overdue"]) == (12, 8, 2)
    assert v["assigned.on_time_rate"] == pytest.approx(8 / 12)
    assert v["instruction.cases"] == 4
    organs = assigned_table(cases, as_of="2026-04-30").set_index("交办机关")
    assert set(organs.index) == {
        "国家信访局",
        "省信访局",
        "市联席办",
        "市信访局",
        "12345",
        "纪委监委",
    }
    assert organs["交办件"].sum() == 12 and organs["超期未反馈"].sum() == 2
    assert organs.loc["国家信访局", "层级"] == "国家" and organs.loc["12345", "超期未反馈"] == 1
    # before the limits of i = 10, 11 had passed: nothing overdue
    early = figure_values(cases, as_of="2026-03-31")
    assert early["assigned.overdue"] == 0


def test_supervision_register(tmp_path):
    cases = _load(F.supervision_register, tmp_path, "2026-04-30")
    v = figure_values(cases, as_of="2026-04-30")
    # 督办: 2, 1, -, 2, 3 repeated twice
    assert (v["supervision.count"], v["supervision.cases"]) == (16, 8)
    # visits i = 1, 2, 4, 5, 7, 8 each on its own day with a 接访领导
    assert v["reception.sessions"] == 6
    assert (v["follow_up.cases"], v["follow_up_rate"]) == (5, 0.5)
    assert v["key.cases"] == 1


def test_reception_sessions_count_day_and_leader():
    cases = conform_cases(
        pd.DataFrame(
            {
                "case_id": list("ABCDE"),
                "received_date": pd.to_datetime(
                    ["2026-03-02", "2026-03-02", "2026-03-02", "2026-03-03", "2026-03-03"]
                ),
                "channel": ["来访", "来访", "来访", "来访", "来信"],
                "summary": ["占地"] * 5,
                "reception_leader": ["王县长", " 王县长", "李书记", "王县长", "王县长"],
            }
        )
    )
    v = figure_values(enrich(cases, today="2026-03-31"), as_of="2026-03-31")
    assert v["reception.sessions"] == 3  # (3-2 王), (3-2 李), (3-3 王); a letter is no visit


def test_backlog_ledger_resolution_by_way(tmp_path):
    # 14 积案 received 2025-01-05 + 20 days each, none with a 办结 date; 化解 (是否化解 是, 化解时间
    # 200 days after) for i % 5 in (0, 1, 3). By 2025-12-31 i = 0, 1, 3, 5, 6, 8 are settled:
    # 期初 8; in the period i = 10 (化解: 已协调解决) and i = 11 (分流: 诉讼); i = 13 after 3-31
    cases = _load(F.backlog_ledger, tmp_path, "2026-03-31")
    v = figure_values(cases, as_of="2026-03-31", start="2026-01-01")
    assert (v["backlog.start"], v["backlog.resolved"], v["backlog.end"]) == (8, 2, 6)
    assert v["backlog.settled"] == 2
    ways = {w: v[f"backlog.resolved.{w}"] for w in ("化解", "分流", "疏导", "救助帮扶")}
    assert ways == {"化解": 1, "分流": 1, "疏导": 0, "救助帮扶": 0}
    # 期末 i = 2, 4, 7, 9, 12, 13: 包案领导 on i % 3 != 0
    assert v["backlog.leader_rate"] == pytest.approx(4 / 6)
    assert "台账" in settle_rule(cases)
    whole = figure_values(cases, as_of="2026-03-31")
    assert whole["key.cases"] == 4  # i = 0, 4, 8, 12
    assert whole["leader.open"] == 4  # i = 2, 4, 7, 13


def test_settled_by_silence_where_the_ledger_says_nothing():
    rows = {
        "case_id": ["A1", "A2", "B1", "C1"],
        "received_date": pd.to_datetime(["2025-01-01", "2025-06-01", "2025-01-01", "2025-01-01"]),
        "closed_date": pd.to_datetime(["2025-02-01", None, "2025-02-01", "2025-12-20"]),
        "chain_id": ["a", "a", "b", "c"],
        "source_file": "x.xlsx",
    }
    cases = pd.DataFrame(rows)
    assert SETTLE_DAYS == 90
    # A2 came back 120 days after A1 was closed: A1 settled by 90 days of silence, not by 150
    assert settled_at(cases, "2025-12-31").tolist() == [True, False, True, False]
    assert settled_at(cases, "2025-12-31", settle_days=150).tolist() == [False, False, True, False]
    # C1 closed 11 days before: not yet 90 (nor 30) days of silence
    assert settled_at(cases, "2025-12-31", settle_days=30).tolist() == [True, False, True, False]
    assert settled_at(cases, "2025-12-31", settle_days=10).tolist() == [True, False, True, True]
    assert "90天" in settle_rule(cases)


def test_unit_table_columns_add_up_to_the_figures():
    from pathlib import Path

    sample = Path(__file__).resolve().parent.parent / "sample_data"
    cases = enrich(load_cases(sample).cases, today="2026-10-31")
    span = {"as_of": "2026-10-31", "start": "2026-01-01", "end": "2026-10-31"}
    table = unit_table(cases, **span)
    v = figure_values(cases, **span)
    assert tuple(table.columns) == UNIT_COLUMNS
    assert v["follow_up_rate"] is None  # no ledger of the sample records call-backs
    for col, key in (
        ("件数", "cases"),
        ("超期未办结", "overdue"),
        ("重复信访件", "repeat.cases"),
        ("越级访", "skip_level"),
        ("交办件", "assigned.cases"),
        ("积案", "backlog.end"),
    ):
        if v[key] is None:  # no ledger of the sample has 交办机关: unknown in both
            assert table[col].isna().all(), col
        else:
            assert int(table[col].sum()) == v[key], col
    assert table["件数"].is_monotonic_decreasing
    assert table["按期办结率"].dropna().between(0, 1).all()
    summary = summarize(cases, start="2026-01-01", end="2026-10-31", today="2026-10-31")
    pd.testing.assert_frame_equal(summary.tables["责任单位办理情况"], table)
    assert any("化解" in note for note in summary.notes)


def test_unit_table_repeat_cases_go_to_the_unit_of_the_first_case():
    cases = conform_cases(
        pd.DataFrame(
            {
                "case_id": ["A", "B", "C"],
                "received_date": pd.to_datetime(["2026-01-05", "2026-02-10", "2026-02-11"]),
                "channel": "来信",
                "petitioner": ["张三", "张三", "李四"],
                "id_number": ["11010119800101001X", "11010119800101001X", None],
                "summary": ["村里占用我家承包地不给补偿"] * 2 + ["路灯坏了"],
                "responsible_unit": ["甲镇", "乙局", "乙局"],
            }
        )
    )
    table = unit_table(cases, as_of="2026-03-31").set_index("责任单位")
    assert table.loc["甲镇", "重复信访件"] == 1 and table.loc["乙局", "重复信访件"] == 0
    assert table.loc["乙局", "件数"] == 2


def test_follow_up_yes_no_column(tmp_path):
    path = tmp_path / "回访.xlsx"
    rows = [["登记日期", "反映问题", "办结日期", "是否回访", "是否督办"]]
    rows += [
        ["2026-03-01", "占地", "2026-03-10", "是", "是"],
        ["2026-03-02", "欠薪", "2026-03-12", "否", "否"],
        ["2026-03-03", "拆迁", "2026-03-15", "未回访", None],
        ["2026-03-04", "噪音", "2026-03-16", "已回访，表示不满意", "督办2次"],
    ]
    F._write(path, {"S": rows})
    cases = enrich(load_cases(path, today="2026-12-01").cases, today="2026-04-30")
    v = figure_values(cases, as_of="2026-04-30")
    assert (v["follow_up.cases"], v["follow_up_rate"]) == (2, 0.5)
    assert (v["supervision.cases"], v["supervision.count"]) == (2, 3)
