"""The display layer: every table an analyst reads, in Chinese and in readable formats."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from xinfang_toolkit import for_display
from xinfang_toolkit.analysis._display import display_columns

#: what a table for an analyst must never show (the programmer's formats)
PROGRAMMER = ("<NA>", "NaN", "NaT", "None", "True", "False", "given", "rule")


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "c_overdue": [0.123456, 1.0],
            "case_id": ["XF1", "XF2"],
            "received_date": pd.to_datetime(["2026-01-02", None]),
            "on_time": pd.array([True, None], dtype="boolean"),
            "priority": [93.8123, np.nan],
            "on_time_rate": [0.8647, 0.5],
            "cases": [517.0, 3.0],
            "category_source": ["given", "rule"],
            "case_ids": [["XF1", "XF0"], ["XF2"]],
            "persons": pd.array([12, None], dtype="Int64"),
        }
    )


def test_headers_order_and_values():
    out = for_display(_frame())
    assert list(out.columns) == [
        "优先级",
        "信访件编号",
        "登记日期",
        "件数",
        "人数",
        "按期办结",
        "按期办结率",
        "分类来源",
    ]
    first, second = out.iloc[0], out.iloc[1]
    assert first["优先级"] == "93.8" and second["优先级"] == ""
    assert first["登记日期"] == "2026-01-02" and second["登记日期"] == ""
    assert first["件数"] == "517" and first["人数"] == "12" and second["人数"] == ""
    assert first["按期办结"] == "是" and second["按期办结"] == ""
    assert first["按期办结率"] == "86.5%" and second["按期办结率"] == "50.0%"
    assert list(out["分类来源"]) == ["台账原分类", "规则"]


def test_technical_columns_can_be_shown():
    out = for_display(_frame(), hide=())
    assert "超期分" in out.columns and out["信访件编号"].iloc[0] == "XF1"
    assert out["信访件编号2"].iloc[0] == "XF1、XF0"


def test_display_columns_keeps_values():
    out = display_columns(_frame())
    assert out["件数"].dtype == float and out.columns[0] == "优先级"


def test_a_series_and_a_labelled_index():
    s = pd.Series([1.0, 2.0], index=pd.Index(["甲镇", "乙乡"], name="locality"), name="cases")
    out = for_display(s)
    assert out.index.name == "问题属地" and list(out["件数"]) == ["1", "2"]


@given(
    st.lists(
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(-(10**9), 10**9),
            st.floats(allow_nan=True, allow_infinity=False, width=32),
            st.text(alphabet="甲乙丙abc ", max_size=4),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_no_programmer_format_survives(values):
    frame = pd.DataFrame({"value_x": pd.Series(values, dtype=object)})
    shown = for_display(frame).to_string()
    for bad in ("<NA>", "NaN", "NaT", "None", "True", "False"):
        assert bad not in shown


def test_a_table_of_figures_shows_its_rate_rows_as_percentages():
    """The 同比 table printed 517.0 and 0.936819."""
    table = pd.DataFrame(
        {
            "指标": ["信访总量（件）", "按期办结率"],
            "本期": [517.0, 0.936819],
            "上期": [426, 0.941504],
            "增减": [91.0, -0.004685],
            "增减幅度": ["+21.4%", None],
        }
    )
    out = for_display(table)
    assert out.iloc[0].tolist() == ["信访总量（件）", "517", "426", "91", "+21.4%"]
    assert out.iloc[1].tolist() == ["按期办结率", "93.7%", "94.2%", "-0.5%", ""]


def test_column_names_as_values_in_chinese():
    issues = pd.DataFrame(
        {"column": ["id_number", "received_date"], "problem": ["校验位不对", "x"]}
    )
    assert for_display(issues)["列"].tolist() == ["身份证号", "登记日期"]
    counts = issues.groupby(["column", "problem"]).size().rename("处数")
    shown = for_display(counts)
    assert shown.index.names == ["列", "问题"]
    assert shown.index[0][0] == "身份证号"


def test_the_widgets_write_values_with_the_same_layer():
    from xinfang_toolkit.widgets._html import plain

    assert plain(3.0) == "3" and plain(93.81) == "93.8" and plain("rule") == "规则"
    assert plain(pd.NA) == "" and plain(True) == "是"
    assert plain(pd.Timestamp("2026-01-02")) == "2026-01-02"
