"""Working days, rules, periods, deadlines/status and kpis on hand-made frames."""

from __future__ import annotations

import pandas as pd
import pytest

from xinfang_toolkit import analysis
from xinfang_toolkit.analysis import (
    add_working_days,
    assign_period,
    compute_deadlines,
    date_issues,
    kpis,
    load_rules,
    objection_deadline,
    period_bounds,
    working_days_between,
)
from xinfang_toolkit.schema import ISSUE_COLUMNS, STATUS_VALUES

T = pd.Timestamp


# --- working days -----------------------------------------------------------------------------
def test_national_day_2024_with_swapped_saturday():
    # 2024-09-29 (Sun) is a 调休 workday; 09-30 works; 10-01..10-07 国庆 off; 10-12 (Sat) works.
    assert analysis.is_working_day("2024-09-29")
    assert not analysis.is_working_day("2024-10-03")
    assert analysis.is_working_day("2024-10-12")
    # 5 working days after 09-29: 09-30, 10-08, 10-09, 10-10, 10-11
    assert add_working_days("2024-09-29", 5) == T("2024-10-11")
    # after 09-30: 10-08, 10-09, 10-10, 10-11, 10-12 (the swapped Saturday)
    assert objection_deadline("2024-09-30") == T("2024-10-12")
    # 09-29 -> 10-13 (Sun): 09-30, 10-08..10-12 = 6 working days
    assert working_days_between("2024-09-29", "2024-10-13") == 6
    assert working_days_between("2024-10-13", "2024-09-29") == -6


def test_spring_festival_2025():
    # 春节 2025: 01-28..02-04 off; 01-26 (Sun) and 02-08 (Sat) are workdays.
    # after Fri 01-24: 01-26, 01-27, 02-05, 02-06, 02-07
    assert add_working_days("2025-01-24", 5) == T("2025-02-07")
    assert add_working_days("2025-01-24", 6) == T("2025-02-08")
    assert add_working_days("2025-01-24", 0) == T("2025-01-24")
    assert working_days_between("2025-01-27", "2025-02-05") == 1


def test_working_days_outside_calendar_is_a_clear_error():
    first, last = analysis.supported_years()
    assert first <= 2024 < 2025 <= last
    with pytest.raises(ValueError, match="工作日计算只支持"):
        add_working_days(f"{last + 1}-03-02", 1)
    with pytest.raises(ValueError, match="工作日计算只支持"):
        add_working_days(f"{last}-12-30", 10)
    with pytest.raises(ValueError, match="非负整数"):
        add_working_days("2025-01-02", -1)
    with pytest.raises(ValueError, match="日期为空"):
        add_working_days(None, 1)


# --- rules ------------------------------------------------------------------------------------
def test_builtin_and_local_rules(tmp_path):
    r2022, r2005 = load_rules("2022"), load_rules("2005")
    assert (r2022.limit("handling").days, r2022.limit("extension").days) == (60, 30)
    assert r2022.limit("objection").unit == "working"
    assert r2005.limit("handling").days == 60
    local = tmp_path / "本地规则.yaml"
    local.write_text(
        'base: "2022"\nlimits:\n  handling: {days: 10, unit: working}\ndue_soon_days: 3\n',
        encoding="utf-8",
    )
    rules = load_rules(local)
    assert rules.limit("handling").days == 10 and rules.limit("handling").unit == "working"
    assert rules.limit("extension").days == 30 and rules.due_soon_days == 3
    bad = tmp_path / "bad.yaml"
    bad.write_text("limits:\n  handling: {days: 10, unit: weeks}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unit"):
        load_rules(bad)
    with pytest.raises(FileNotFoundError, match="找不到规则文件"):
        load_rules(tmp_path / "none.yaml")


# --- periods ----------------------------------------------------------------------------------
def test_periods_calendar_and_cutoff_20():
    d = pd.Series(pd.to_datetime(["2025-03-20", "2025-03-21", "2025-12-21", None, "2025-01-31"]))
    assert assign_period(d).tolist()[:3] == ["2025-03", "2025-03", "2025-12"]
    cut = assign_period(d, cutoff_day=20)
    assert cut.tolist()[:3] == ["2025-03", "2025-04", "2026-01"]
    assert cut.isna().tolist() == [False, False, False, True, False]
    assert cut.iloc[4] == "2025-02"
    assert period_bounds("2025-04", cutoff_day=20) == (T("2025-03-21"), T("2025-04-20"))
    assert period_bounds("2025-01", cutoff_day=20) == (T("2024-12-21"), T("2025-01-20"))
    assert period_bounds("2024-02") == (T("2024-02-01"), T("2024-02-29"))
    with pytest.raises(ValueError, match="1–28"):
        assign_period(d, cutoff_day=31)


# --- deadlines --------------------------------------------------------------------------------
TODAY = "2026-11-20"


def _frame() -> pd.DataFrame:
    rows = [
        # case, received, closed, deadline, extended
        ("A", "2026-01-01", "2026-02-15", None, None),  # due 03-02, closed on time in 45 days
        ("B", "2026-01-01", "2026-03-15", None, "是"),  # extended: due 03-02 + 30 = 04-01
        ("C", "2026-01-01", "2026-03-15", None, "否"),  # due 03-02, 13 days late
        ("D", "2026-09-01", None, None, None),  # due 10-31, open: 20 days overdue
        ("E", "2026-09-25", None, None, None),  # due 11-24: within 7 days -> 即将到期
        ("F", "2026-10-10", None, None, None),  # due 12-09: 办理中
        ("G", None, None, None, None),  # no received date
        ("H", "2026-03-01", "2026-02-01", None, None),  # closed before received
        ("I", "2026-01-01", None, "2026-12-01", None),  # given deadline wins
    ]
    df = pd.DataFrame(
        rows, columns=["case_id", "received_date", "closed_date", "deadline", "extended_flag"]
    )
    for c in ("received_date", "closed_date", "deadline"):
        df[c] = pd.to_datetime(df[c])
    df["source_file"] = "台账.xlsx"
    df["source_sheet"] = "Sheet1"
    df["source_row"] = pd.array(range(3, 12), dtype="Int64")
    return df


def test_compute_deadlines_values():
    df = _frame()
    before = df.copy()
    out = compute_deadlines(df, today=TODAY).set_index("case_id")
    pd.testing.assert_frame_equal(df, before)  # input unchanged
    assert out.loc["A", "due_date"] == T("2026-03-02")
    assert out.loc["B", "due_date"] == T("2026-04-01") and out.loc["B", "extended"]
    assert not out.loc["C", "extended"]
    assert out.loc["D", "due_date"] == T("2026-10-31")
    assert out.loc["I", "due_date"] == T("2026-12-01")
    assert out["status"].to_dict() == {
        "A": "已办结",
        "B": "已办结",
        "C": "已办结",
        "D": "已超期",
        "E": "即将到期",
        "F": "办理中",
        "G": "日期有误",
        "H": "日期有误",
        "I": "办理中",
    }
    assert set(out["status"]) <= set(STATUS_VALUES)
    assert out.loc["A", "days_taken"] == 45 and out.loc["C", "days_taken"] == 73
    assert out.loc["A", "on_time"] and out.loc["B", "on_time"] and not out.loc["C", "on_time"]
    assert pd.isna(out.loc["D", "on_time"])
    assert out.loc["C", "overdue_days"] == 13  # closed 03-15, due 03-02
    assert out.loc["D", "overdue_days"] == 20  # today 11-20, due 10-31
    assert out.loc["E", "overdue_days"] == 0
    assert pd.isna(out.loc["H", "days_taken"]) and pd.isna(out.loc["H", "on_time"])
    assert out.loc["G", "date_problem"] == "缺少登记日期，无法计算办理时限"
    assert out.loc["H", "date_problem"] == "办结日期早于登记日期"
    assert out.loc["A", "period"] == "2026-01" and pd.isna(out.loc["G", "period"])
    assert len(out) == len(df)  # bad rows kept


def test_handling_days_and_working_day_rules_and_cutoff():
    df = _frame()
    out = compute_deadlines(df, today=TODAY, handling_days=30, period_cutoff_day=20)
    out = out.set_index("case_id")
    assert out.loc["A", "due_date"] == T("2026-01-31")
    assert out.loc["E", "period"] == "2026-10"  # 09-25 is after the 20th
    assert out.loc["D", "period"] == "2026-09"
    # a local rule in working days: 2024-09-29 + 5 working days = 2024-10-11
    one = pd.DataFrame({"received_date": pd.to_datetime(["2024-09-29"])})
    rules = {"limits": {"handling": {"days": 5, "unit": "working"}}}
    res = compute_deadlines(one, rules=rules, today="2024-10-12")
    assert res["due_date"].iloc[0] == T("2024-10-11")
    assert res["status"].iloc[0] == "已超期" and res["overdue_days"].iloc[0] == 1


def test_closed_flag_without_date_counts_as_closed():
    df = pd.DataFrame(
        {
            "received_date": pd.to_datetime(["2026-01-01", "2026-01-01"]),
            "closed_flag": ["1", "0"],
        }
    )
    out = compute_deadlines(df, today=TODAY)
    assert out["status"].tolist() == ["已办结", "已超期"]
    assert pd.isna(out["on_time"].iloc[0])


def test_date_issues_shape():
    issues = date_issues(compute_deadlines(_frame(), today=TODAY))
    assert list(issues.columns) == list(ISSUE_COLUMNS)
    assert issues["source_row"].tolist() == [9, 10]
    assert issues["column"].tolist() == ["received_date", "closed_date"]
    assert issues["value"].iloc[1] == "2026-02-01（登记 2026-03-01）"
    assert issues["source_file"].iloc[0] == "台账.xlsx"
    assert date_issues(_frame().iloc[:2]).empty


def test_kpis_by_hand():
    df = _frame()
    df["person_count"] = pd.array([1, 3, None, 1, 1, 1, 1, 1, 2], dtype="Int64")
    k = kpis(df, today=TODAY)
    # the row without a received date belongs to no day: not counted as of TODAY
    assert k["cases"] == k["batches"] == 8
    assert k["persons"] == 11  # missing count counts as 1 (the undated row left out)
    assert k["closed"] == 3 and k["on_time"] == 2
    assert k["on_time_rate"] == pytest.approx(2 / 3)
    assert k["overdue"] == 1 and k["due_soon"] == 1 and k["date_problems"] == 2
    assert k["median_days"] == 73.0  # 45, 73, 73
    assert k["backlog"] == k["overdue"] == 1  # kpis prepares the cases: the overdue case is 积案
    empty = kpis(df.iloc[3:6], today=TODAY)
    assert empty["on_time_rate"] is None and empty["median_days"] is None
