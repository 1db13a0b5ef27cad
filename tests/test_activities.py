"""load_activities (工作台账), the activity.<kind> figures, and the sample register."""

from __future__ import annotations

from pathlib import Path

import fixtures_handling as F
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinfang_toolkit import LoadError, load_activities, load_cases, summarize
from xinfang_toolkit.analysis import ACTIVITY_FIGURES, activity_table, activity_values
from xinfang_toolkit.load import ACTIVITY_KINDS, normalize_activity_kind
from xinfang_toolkit.synth import ACTIVITY_FILE, generate_activities

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def test_sample_register_reads_back_every_field():
    result = load_activities(SAMPLE / ACTIVITY_FILE)
    got, want = result.activities, generate_activities(120, seed=2026)
    assert len(got) == len(want) == 120
    for col in ("activity_date", "kind", "unit", "count", "note"):
        assert got[col].tolist() == want[col].tolist(), col
    leaders = got["leader"].astype(object).where(got["leader"].notna(), None).tolist()
    assert leaders == want["leader"].astype(object).where(want["leader"].notna(), None).tolist()
    assert result.issues.empty
    assert set(result.excluded["reason"]) >= {"签名或备注行"}
    assert got["source_row"].min() == 4  # title, 填报单位 line and header above


def test_sample_cases_do_not_read_the_register():
    cases = load_cases(SAMPLE).cases
    assert "工作台账_2026.xlsx" not in set(cases["source_file"])


def _register(path: Path) -> Path:
    rows = [
        ["某镇2026年信访工作开展情况登记"],
        ["时间", "活动类型", "参加领导", "牵头单位", "关联信访件", "场次", "主要内容"],
        [
            "2026年3月2日",
            "领导接访日",
            "镇长 王一",
            "镇综治中心",
            "XF-001、XF-002",
            "2次",
            "接待群众",
        ],
        ["2026-03-05", "带案下访", "书记 李二", "镇信访办", "XF-003", None, "到村走访"],
        ["2026.3.9", "联合接访", None, "县信访局", None, 1, "多部门联合接待"],
        ["3月12日", "矛盾纠纷排查", None, "各村", None, "3", "集中排查"],
        ["2026-04-01", "座谈会", None, "镇政府", None, 1, "听取意见"],
        ["2026-13-40", "回访", None, "镇信访办", "XF-001", 1, "电话回访"],
        ["合计", None, None, None, None, 8],
    ]
    F._write(path, {"登记": rows}, {"登记": ["A1:G1"]})
    return path


def test_a_register_in_another_layout(tmp_path):
    result = load_activities(_register(tmp_path / "台账.xlsx"), year=2026)
    acts = result.activities
    assert acts["kind"].tolist()[:4] == ["接访", "下访", "联合接访", "矛盾纠纷排查"]
    assert pd.isna(acts["kind"].iloc[4])  # 座谈会 is no kind of the list: reported
    assert acts["count"].tolist() == [2, 1, 1, 3, 1, 1]  # no count: one
    assert acts["case_ids"].tolist()[:2] == ["XF-001,XF-002", "XF-003"]
    assert str(acts["activity_date"].iloc[3].date()) == "2026-03-12"
    problems = result.issues.set_index("column")["problem"]
    assert "工作类型" in problems["kind"] and len(result.issues) == 2
    assert sorted(result.issues["source_row"].tolist()) == [7, 8]
    assert "合计行" in set(result.excluded["reason"])
    masked = result.masked().activities
    assert masked["leader"].tolist()[:2] == ["镇长 王一", "书记 李二"]  # officials: not masked


def test_activity_figures_per_period(tmp_path):
    acts = load_activities(_register(tmp_path / "台账.xlsx"), year=2026).activities
    march = activity_values(acts, start="2026-03-01", end="2026-03-31")
    assert set(march) == {f.key for f in ACTIVITY_FIGURES}
    assert march["activity.接访"] == 2 and march["activity.下访"] == 1
    assert march["activity.矛盾纠纷排查"] == 3 and march["activity.回访"] == 0
    table = activity_table(acts, start="2026-03-01", end="2026-03-31").set_index("工作类型")
    assert table.loc["接访", "其中领导带队"] == 2 and table.loc["联合接访", "其中领导带队"] == 0


def test_summarize_counts_activities_of_its_period():
    acts = load_activities(SAMPLE / ACTIVITY_FILE).activities
    cases = load_cases(SAMPLE).cases
    s = summarize(cases, start="2026-01-01", end="2026-06-30", today="2026-10-31", activities=acts)
    assert (
        s.numbers["activity.接访"]
        == activity_values(acts, start="2026-01-01", end="2026-06-30")["activity.接访"]
    )
    assert s.tables["工作开展情况"]["次数"].sum() == sum(
        v for k, v in s.numbers.items() if k.startswith("activity.")
    )


def test_not_a_register(tmp_path):
    F.backlog_ledger(tmp_path / "积案.xlsx")
    with pytest.raises(LoadError, match="没有读到任何工作台账"):
        load_activities(tmp_path / "积案.xlsx")


@given(st.sampled_from(ACTIVITY_KINDS))
def test_kind_names_are_themselves(kind):
    assert normalize_activity_kind(kind) == (kind, None)


@given(st.text(max_size=8))
def test_kind_is_one_of_the_list_or_reported(text):
    kind, problem = normalize_activity_kind(text)
    assert kind in ACTIVITY_KINDS or kind is None
    assert kind is not None or problem is not None or not text.strip() or problem is None
