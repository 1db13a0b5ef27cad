"""The handling columns (交办, 批示, 接访, 督办, 回访, 重点, 化解) and the 来源 cells that name an
assigning organ: read from ledgers in three layouts offices keep (fixtures_handling)."""

from __future__ import annotations

import fixtures_handling as F
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinfang_toolkit import load_cases, mask_pii
from xinfang_toolkit.clean._handling import (
    count_supervisions,
    normalize_organ,
    normalize_resolution_type,
    organ_levels,
    parse_yes_no,
    split_source,
)
from xinfang_toolkit.schema import HANDLING_COLUMNS, RESOLUTION_TYPES, validate_cases
from xinfang_toolkit.synth import generate_cases, write_ledger

TODAY = "2026-12-01"


def _values(series: pd.Series) -> list:
    return series.astype(object).where(series.notna(), None).tolist()


def _check(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert len(got) == len(want)
    for col in want.columns:
        if col in got.columns:
            assert _values(got[col]) == _values(want[col]), col


# --- 来源 cells that name an organ -------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "channel", "organ"),
    [
        ("国家信访局交办", None, "国家信访局"),
        ("省信访局交办", None, "省信访局"),
        ("市联席会议交办", None, "市联席办"),
        ("区信访局转办", None, "县信访局"),
        ("纪委转办", None, "纪委监委"),
        ("12345交办", None, "12345"),
        ("省联席办转办来信", "来信", "省联席办"),
        ("国家信访局交办网上信访件", "网上信访", "国家信访局"),
        ("来访", "来访", None),
        ("走访", "来访", None),
        ("12345", "来电", None),  # a bare hotline number stays a channel
    ],
)
def test_split_source(cell, channel, organ):
    got_channel, got_organ, _ = split_source(cell)
    assert (got_channel, got_organ) == (channel, organ)


_ORGAN_PARTS = st.sampled_from(["国家", "省", "市", "县", "区", "信访局", "联席办", "交办", "转办"])
_OTHER = st.text(alphabet="国家省市县区局办会议联席督转交上级本", max_size=4)


@given(st.lists(_ORGAN_PARTS, min_size=1, max_size=4), _OTHER, _OTHER)
def test_no_organ_becomes_a_visit_by_its_fang(parts, before, after):
    cell = before + "".join(parts) + after
    if not any(w in cell for w in ("信访局", "联席办", "交办")):
        return
    channel, organ, _ = split_source(cell)
    assert channel != "来访"
    assert organ


def test_source_column_of_organs_loads_as_assignments_with_one_issue_per_sheet(tmp_path):
    path = tmp_path / "来源.xlsx"
    cells = ["国家信访局交办", "省信访局交办", "来访", "来信", "国家信访局交办"]
    sheets = {}
    for month, name in ((1, "一月"), (2, "二月")):
        rows: list[list[object]] = [["登记日期", "案件来源", "反映问题"]]
        rows += [[f"2026-0{month}-{i + 1:02d}", c, "小区路灯损坏"] for i, c in enumerate(cells)]
        sheets[name] = rows
    F._write(path, sheets)
    result = load_cases(path, today=TODAY)
    cases = result.cases
    assert _values(cases["channel"]) == [None, None, "来访", "来信", None] * 2
    assert _values(cases["assigned_by"]) == ["国家信访局", "省信访局", None, None, "国家信访局"] * 2
    notes = result.issues[result.issues["problem"].str.contains("交办机关")]
    assert len(notes) == 2 and set(notes["source_sheet"]) == {"一月", "二月"}
    assert "3 件" in notes["problem"].iloc[0]
    # an assigned letter is never a visit, so never a 越级访
    assert not (cases["channel"] == "来访").iloc[[0, 1, 4]].any()


def test_source_column_beside_a_channel_column_gives_the_organ(tmp_path):
    path = tmp_path / "两列.xlsx"
    rows = [["登记日期", "信访形式", "来源", "反映问题"]]
    rows += [
        ["2026-03-01", "来信", "省信访局交办", "拖欠工资"],
        ["2026-03-02", "来访", "自来", "占地"],
    ]
    F._write(path, {"S": rows})
    cases = load_cases(path, today=TODAY).cases
    assert _values(cases["channel"]) == ["来信", "来访"]
    assert _values(cases["assigned_by"]) == ["省信访局", None]


# --- the three layouts ----------------------------------------------------------------------


def test_backlog_ledger_layout(tmp_path):
    want = F.backlog_ledger(tmp_path / "积案台账.xlsx")
    result = load_cases(tmp_path / "积案台账.xlsx", today=TODAY)
    _check(result.cases, want.drop(columns=["way"]))
    assert validate_cases(result.cases).empty


def test_assigned_register_layout(tmp_path):
    want = F.assigned_register(tmp_path / "交办件.xlsx")
    result = load_cases(tmp_path / "交办件.xlsx", today=TODAY)
    _check(result.cases, want)
    said = result.issues["problem"].str.contains("以交办时间作为登记日期")
    assert said.sum() == 1
    assert not result.issues["value"].eq("未反馈").any()


def test_supervision_register_layout(tmp_path):
    want = F.supervision_register(tmp_path / "督办.xlsx")
    result = load_cases(tmp_path / "督办.xlsx", today=TODAY)
    _check(result.cases, want)
    assert result.issues.empty


def test_new_columns_present_and_empty_without_them(tmp_path):
    path = write_ledger(generate_cases(20, seed=3), tmp_path / "l.xlsx", seed=3)
    cases = load_cases(path, today=TODAY).cases
    for col in HANDLING_COLUMNS:
        assert col in cases.columns


# --- cell parsers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "count"),
    [
        ("3月2日电话督办；3月10日发函督办", 2),
        ("2026.3.5 现场督办", 1),
        ("2024-03-01催办 2024-03-09再次催办 2024年3月20日发督办函", 3),
        ("督办3次", 3),
        ("督办两次", 2),
        ("督办3次（3月5日）", 3),
        ("3月2日电话督办1次；3月10日发函督办1次", 2),
        (4, 4),
        ("未督办", 0),
        ("", None),
    ],
)
def test_count_supervisions(cell, count):
    assert count_supervisions(cell)[0] == count


@given(st.lists(st.dates(), min_size=1, max_size=6))
def test_count_supervisions_counts_each_dated_entry(days):
    cell = "；".join(f"{d.year}年{d.month}月{d.day}日电话督办" for d in days)
    assert count_supervisions(cell)[0] == len(days)


@pytest.mark.parametrize(
    ("cell", "flag"),
    [
        ("是", "是"),
        ("√", "是"),
        ("已化解", "是"),
        ("未化解", "否"),
        ("否", "否"),
        ("重点", "是"),
        ("一般", "否"),
    ],
)
def test_parse_yes_no(cell, flag):
    assert parse_yes_no(cell)[0] == flag


def test_organs_vocabulary_and_levels():
    assert normalize_organ("省局")[0] == "省信访局"
    assert normalize_organ("国信办")[0] == "国家信访局"
    kept, problem = normalize_organ("上级交办")
    assert kept == "上级" and "词表" in problem
    levels = organ_levels()
    assert (
        levels["国家信访局"] == "国家" and levels["省信访局"] == "省" and levels["市联席办"] == "市"
    )


def test_resolution_type_cells_and_no_stability_control_class():
    assert normalize_resolution_type("引导诉讼")[0] == "分流"
    assert normalize_resolution_type("未化解")[0] == "未化解"
    assert normalize_resolution_type("化解")[0] == "化解"
    value, problem = normalize_resolution_type("稳控")
    assert value is None and "稳控" in problem
    assert "稳控" not in RESOLUTION_TYPES


def test_leaders_are_not_masked_petitioners_are(tmp_path):
    want = F.supervision_register(tmp_path / "督办.xlsx")
    cases = load_cases(tmp_path / "督办.xlsx", today=TODAY).cases
    masked = mask_pii(cases)
    assert _values(masked["reception_leader"]) == _values(want["reception_leader"])
    assert not masked["petitioner"].isin(want["petitioner"]).any()


def test_a_visit_sheet_does_not_turn_assigned_rows_into_visits(tmp_path):
    # 接访领导 says the sheet records visits: the rows without a channel are visits, except those
    # whose 来源 named an assigning organ
    path = tmp_path / "接访.xlsx"
    rows = [["登记日期", "来源", "反映问题", "接访领导"]]
    rows += [
        ["2026-03-01", "来访", "占地", "王县长"],
        ["2026-03-02", None, "欠薪", "王县长"],
        ["2026-03-03", "省信访局交办", "拆迁", None],
    ]
    F._write(path, {"S": rows})
    cases = load_cases(path, today=TODAY).cases
    assert _values(cases["channel"]) == ["来访", "来访", None]
    assert _values(cases["assigned_by"]) == [None, None, "省信访局"]
