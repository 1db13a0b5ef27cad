"""Scored header matching, the mapping table (LoadResult.columns), mapping= and layout profiles."""

from __future__ import annotations

import re

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from test_load import write_xlsx

from xinfang_toolkit.load import load_cases, save_profile
from xinfang_toolkit.load._header import build_synonyms
from xinfang_toolkit.load._match import APPROX, MANUAL, NONE, SYNONYM, THRESHOLD, HeaderMatcher


@pytest.fixture(scope="module")
def matcher() -> HeaderMatcher:
    return HeaderMatcher(build_synonyms(None))


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("收件时间", "received_date"),
        ("诉求件内容", "summary"),
        ("举报人姓名", "petitioner"),
        ("承办科室", "responsible_unit"),
        ("问题属性", "category"),
        ("案件来源", "channel"),
        ("留言编号", "case_id"),
        ("留言用户", "account_id"),
        ("网民编号", "account_id"),
        ("工单提交人", "account_id"),
        ("xbjzsj", "deadline"),
    ],
)
def test_real_system_headers_are_synonyms(matcher, header, canonical):
    m = matcher.match(header)
    assert (m.canonical, m.how, m.score) == (canonical, SYNONYM, 100.0)


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("主要反映的问题", "summary"),  # fuzzy / containment: not in the table
        ("反映的主要问题情况", "summary"),
        ("信访人家庭住址", "address"),  # the head (住址) is at the end, not 信访人
        ("来访人联系电话", "phone"),
        ("群众来访登记时间", "received_date"),  # cue: 时间 with 来访/登记
        ("投诉受理时间", "received_date"),
        ("问题简述", "summary"),  # cue: 问题
        ("办理结果反馈时间", "closed_date"),
        ("转办承办部门", "responsible_unit"),
    ],
)
def test_unlisted_headers_map_approximately(matcher, header, canonical):
    m = matcher.match(header)
    assert m.canonical == canonical and m.how == APPROX and THRESHOLD <= m.score < 100


@pytest.mark.parametrize(
    "header",
    [
        "被反映人",
        "被举报人",
        "被检举人",
        "被反映人姓名",
        "被举报人电话",
        "被投诉人住址",
        "被反映人单位",
    ],
)
def test_the_accused_is_never_the_petitioner(matcher, header):
    assert matcher.match(header).canonical not in {"petitioner", "phone", "address", "id_number"}


@pytest.mark.parametrize(
    "header",
    [
        "出生日期",
        "性别",
        "留言主题",
        "点赞数",
        "附件",
        "转办时间",
        "信访人编号",
        "证件类型",
        "问题ID",
    ],
)
def test_headers_below_threshold_map_to_nothing(matcher, header):
    m = matcher.match(header)
    assert m.canonical is None and m.how == NONE


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="的了着过呢吧啊", min_size=1, max_size=3))
def test_filler_around_a_synonym_keeps_it(filler):
    m = HeaderMatcher(build_synonyms(None)).match("反映问题" + filler)
    assert m.canonical == "summary"


def test_columns_table_and_summary(tmp_path):
    rows = [
        ["收件时间", "诉求件内容", "主要反映的问题", "被反映人", "留言主题", "满意度"],
        ["2019/4/25 9:32:09", "路灯不亮", "路灯", "李某", "路灯", "满意"],
    ]
    other = [["登记日期", "反映问题", "信访去向"], ["2019-04-26", "修路", "到市"]]
    path = write_xlsx(tmp_path / "导出.xlsx", {"工单": rows, "其他": other})
    result = load_cases(path)
    cols = result.columns
    assert list(cols.columns) == [
        "file",
        "sheet",
        "header",
        "canonical",
        "how",
        "score",
        "evidence",
        "layout",
    ]
    assert (cols["layout"] == "").all()  # only a sheet without a header row has a shape
    assert len(cols) == len(rows[0]) + len(other[0])
    sheet = cols[cols["sheet"] == "工单"].set_index("header")
    assert sheet.loc["收件时间", "canonical"] == "received_date"
    # two headers for summary: the exact one wins, the other is kept with an issue
    assert sheet.loc["诉求件内容", "how"] == SYNONYM
    assert (
        sheet.loc["主要反映的问题", "canonical"] == ""
        and sheet.loc["主要反映的问题", "how"] == NONE
    )
    assert result.cases["主要反映的问题"][0] == "路灯"
    assert result.issues["problem"].str.contains("主要反映的问题").any()
    assert sheet.loc["被反映人", "how"] == NONE
    text = result.summary()
    assert "未识别的表头" in text and "留言主题" in text and "被反映人" in text
    assert "没有其他工作表有的列: 信访去向" in text


def test_summary_lists_approximate_headers(tmp_path):
    rows = [["来访登记时间", "主要反映的问题"], ["2019-04-25", "修路"]]
    result = load_cases(write_xlsx(tmp_path / "a.xlsx", {"S": rows}))
    assert result.cases["summary"][0] == "修路"
    assert (result.columns["how"] == APPROX).all()
    assert "近似匹配的表头" in result.summary() and "主要反映的问题→反映问题" in result.summary()
    assert re.search(r"主要反映的问题→反映问题 \(\d+分\)", result.summary())


def test_sheet_missing_a_column_the_other_sheets_have_is_warned(tmp_path):
    a = [["登记日期", "反映问题", "内容分类"], ["2019-04-25", "修路", "城乡建设"]]
    b = [["登记日期", "事件经过", "内容分类"], ["2019-04-26", "修桥", "城乡建设"]]
    result = load_cases(write_xlsx(tmp_path / "a.xlsx", {"一": a, "二": b}))
    assert "a.xlsx / 二 没有其他工作表有的列: 反映问题" in result.summary()


def test_mapping_dict_csv_and_yaml(tmp_path):
    rows = [["日期", "事件经过", "上访群众", "内容分类"], ["2019-04-25", "修路", "张三", "城建"]]
    path = write_xlsx(tmp_path / "a.xlsx", {"S": rows})
    plain = load_cases(path)
    assert plain.cases["summary"].isna().all()
    by_dict = load_cases(
        path, mapping={"事件经过": "summary", "上访群众": "信访人", "内容分类": ""}
    )
    assert by_dict.cases["summary"][0] == "修路" and by_dict.cases["petitioner"][0] == "张三"
    table = by_dict.columns.set_index("header")
    assert table.loc["事件经过", "how"] == MANUAL and table.loc["内容分类", "canonical"] == ""
    assert by_dict.cases["category"].isna().all() and by_dict.cases["内容分类"][0] == "城建"
    csv_file = tmp_path / "m.csv"
    csv_file.write_text("表头,规范列名\n事件经过,summary\n", encoding="utf-8")
    assert load_cases(path, mapping=csv_file).cases["summary"][0] == "修路"
    yaml_file = tmp_path / "m.yaml"
    yaml_file.write_text("事件经过: summary\n", encoding="utf-8")
    assert load_cases(path, mapping=yaml_file).cases["summary"][0] == "修路"
    with pytest.raises(ValueError, match="规范列名"):
        load_cases(path, mapping={"事件经过": "nothing"})


def test_profile_saved_once_is_reused_for_the_same_layout_only(tmp_path):
    header = ["日期", "事件经过", "上访群众", "内容分类"]
    october = write_xlsx(
        tmp_path / "10月.xlsx", {"S": [header, ["2019-10-25", "修路", "张三", "a"]]}
    )
    november = write_xlsx(
        tmp_path / "11月.xlsx", {"S": [header, ["2019-11-02", "修桥", "李四", "b"]]}
    )
    other = write_xlsx(
        tmp_path / "别的.xlsx", {"S": [["日期", "事件经过", "分类"], ["2019-11-03", "x", "c"]]}
    )
    first = load_cases(october)
    profile = tmp_path / "表头映射.yaml"
    save_profile(
        first.columns,
        profile,
        corrections={
            ("10月.xlsx", "S", "事件经过"): "summary",
            ("10月.xlsx", "S", "上访群众"): "petitioner",
        },
    )
    document = yaml.safe_load(profile.read_text(encoding="utf-8"))
    assert document["profiles"][0]["header_row"] == header
    again = load_cases(november, mapping=profile)
    assert again.cases["summary"][0] == "修桥" and again.cases["petitioner"][0] == "李四"
    assert set(again.columns["how"]) == {MANUAL}
    assert load_cases(other, mapping=profile).cases["summary"].isna().all()
    # saving again replaces the profile of that layout, keeps others
    save_profile(load_cases(other).columns, profile)
    save_profile(first.columns, profile, corrections={("10月.xlsx", "S", "事件经过"): "outcome"})
    document = yaml.safe_load(profile.read_text(encoding="utf-8"))
    assert len(document["profiles"]) == 2
    assert load_cases(november, mapping=profile).cases["outcome"][0] == "修桥"


def test_importing_load_changes_no_global_state():
    before = build_synonyms(None)
    load = HeaderMatcher(before, {"x": "summary"})
    assert load.match("x").canonical == "summary"
    assert HeaderMatcher(build_synonyms(None)).match("x").canonical is None
    assert pd.api.types.is_dict_like(before)


def test_cli_load_takes_a_mapping_file(tmp_path):
    from xinfang_toolkit.cli import main

    rows = [["日期", "事件经过", "内容分类"], ["2019-04-25", "修路", "城建"]]
    path = write_xlsx(tmp_path / "a.xlsx", {"S": rows})
    mapping = tmp_path / "m.csv"
    mapping.write_text("表头,规范列名\n事件经过,反映问题\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(
        ["load", str(path), "--mapping", str(mapping), "-o", str(out), "--format", "csv"]
    ) in (0, 1)
    frames = [pd.read_csv(p, encoding="utf-8-sig") for p in out.glob("*.csv")]
    cases = next(f for f in frames if "反映问题" in f.columns and len(f))
    assert cases["反映问题"].tolist() == ["修路"] and "事件经过" not in cases.columns


_TABLE = build_synonyms(None)
_SYNONYMS = sorted(k for k in _TABLE if not k.isascii())


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(_SYNONYMS),
    st.sampled_from(["", "*", "＊"]),
    st.sampled_from(["", "（必填）", "(选填)", "【单位】", "："]),
    st.integers(min_value=0, max_value=3),
)
def test_decorated_synonyms_keep_their_column(synonym, star, note, breaks):
    text = star + synonym
    cut = min(breaks, len(text) - 1)
    if cut:
        text = text[:cut] + "\n" + text[cut:]
    text = text.translate({ord(c): ord(c) + 0xFEE0 for c in "()"}) + note
    m = HeaderMatcher(_TABLE).match(text)
    assert m.canonical == _TABLE[synonym] and m.how == SYNONYM, (text, m)
