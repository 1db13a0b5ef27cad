"""Ledgers in layouts of real systems (built by fixtures_real): every field right, every row
accounted for, every header listed; visit ledgers, accounts and estimates."""

from __future__ import annotations

import datetime as dt

import fixtures_real as F
import pandas as pd
import pytest

from xinfang_toolkit.analysis import link_repeats
from xinfang_toolkit.load import load_cases
from xinfang_toolkit.privacy import person_key

TODAY = dt.date(2026, 12, 1)


def _compare(got: pd.DataFrame, want: pd.DataFrame, columns) -> None:
    for col in columns:
        g = got[col].reset_index(drop=True)
        w = want[col].reset_index(drop=True)
        same = (g.astype(str) == w.astype(str)) | (g.isna() & w.isna())
        assert same.all(), (col, list(zip(w[~same].head(3), g[~same].head(3), strict=True)))


def _by_id(result, want):
    got = result.cases.set_index("case_id").loc[want["case_id"]].reset_index()
    return got, want.reset_index(drop=True)


def _load_by_id(path, builder, skip=()):
    """Build a fixture, load it, compare every field it defines (rows matched by case_id)."""
    want = builder(path)
    result = load_cases(path, today=TODAY)
    got, want = _by_id(result, want)
    _compare(got, want, [c for c in want.columns if c not in skip])
    return result, got, want


def _every_header_listed(result, path, sheets: dict[str, list[str]]):
    cols = result.columns
    for sheet, header in sheets.items():
        listed = cols.loc[(cols["file"] == path.name) & (cols["sheet"] == sheet), "header"]
        assert listed.tolist() == header


def test_12345_work_orders_with_times_and_accounts(tmp_path):
    path = tmp_path / "12345工单导出_2019.xlsx"
    result, got, want = _load_by_id(path, F.hotline_12345, skip=("channel",))
    assert (got["channel"] == "来电").all()
    assert len(result.issues) == 0, result.issues
    accused = result.columns.set_index("header").loc["被反映人"]
    assert accused["canonical"] == "" and "被反映人" in result.cases.columns
    # one account, three identical messages within a year: one person, one repeat chain
    linked = link_repeats(result.cases)
    account = want.loc[want["case_id"] == "GD201900000", "account_id"].iloc[0]
    same = linked[linked["account_id"] == account]
    assert len(same) == 4 and same["person_key"].nunique() == 1
    assert same["chain_id"].nunique() == 1 and same["is_repeat"].sum() == 3
    others = linked[linked["account_id"] != account]
    assert others["person_key"].nunique() == len(others)  # two accounts are two persons


def test_online_petition_export_us_dates_and_accounts(tmp_path):
    result, _got, _want = _load_by_id(tmp_path / "网上信访导出.xlsx", F.online_petition)
    assert len(result.issues) == 0, result.issues
    assert "留言主题" in result.cases.columns  # kept under its own name, and listed
    assert "留言主题" in result.summary()


def test_national_system_pinyin_codes(tmp_path):
    result, _got, _want = _load_by_id(tmp_path / "信访系统导出_2025.xlsx", F.national_system)
    issues = result.issues.set_index("column")
    assert issues.loc["person_count", "value"] == "约50人"
    assert "估计" in issues.loc["person_count", "problem"]
    assert len(result.issues) == 1
    assert (result.columns["how"] == "同义词").all()


def test_county_visit_ledger_two_sheets_worded_differently(tmp_path):
    path = tmp_path / "来访登记.xlsx"
    want = F.county_visits(path)
    result = load_cases(path, today=TODAY)
    got = result.cases.sort_values(["source_sheet", "source_row"]).reset_index(drop=True)
    want = want.sort_values("source_sheet", kind="stable").reset_index(drop=True)
    _compare(got, want, [c for c in want.columns if c != "source_sheet"])
    inferred = result.issues[result.issues["problem"].str.contains("推断")]
    assert sorted(inferred["source_sheet"]) == ["一组", "二组"]  # once per sheet
    assert inferred["problem"].str.contains("12 件").all()
    letter_o = result.issues[result.issues["problem"].str.contains("字母 O")]
    assert len(letter_o) == 4  # rows whose spelling is the 8 spellings' third (2 per sheet)
    assert len(result.issues) == len(inferred) + len(letter_o)
    assert set(result.excluded["reason"]) == {"标题或填报信息 (表头上方)", "表头", "签名或备注行"}
    table = result.columns[result.columns["sheet"] == "二组"].set_index("header")
    assert table.loc["主要反映的问题", "canonical"] == "summary"
    assert table.loc["主要反映的问题", "how"] == "近似"


def test_import_template_instruction_rows_excluded(tmp_path):
    path = tmp_path / "信访举报登记表.xlsx"
    want = F.import_template(path)
    result = load_cases(path, today=TODAY)
    got = result.cases.sort_values("source_row").reset_index(drop=True)
    _compare(got, want, [c for c in want.columns if c != "accused"])
    reasons = result.excluded.set_index("source_row")["reason"]
    assert reasons[3] == reasons[4] == "填表说明或示例行 (导入模板)"
    assert not got["petitioner"].isin(want["accused"]).any()
    assert got["被反映人姓名"].tolist() == want["accused"].tolist()


@pytest.mark.parametrize(
    "builder",
    [F.hotline_12345, F.online_petition, F.national_system, F.county_visits, F.import_template],
)
def test_every_row_a_case_or_excluded_and_every_header_listed(tmp_path, builder):
    import openpyxl

    path = tmp_path / f"{builder.__name__}.xlsx"
    builder(path)
    result = load_cases(path, today=TODAY)
    wb = openpyxl.load_workbook(path)
    headers = {}
    for ws in wb.worksheets:
        rows = {
            r
            for r, row in enumerate(ws.iter_rows(values_only=True), start=1)
            if any(v not in (None, "") for v in row)
        }
        cases = set(result.cases.loc[result.cases["source_sheet"] == ws.title, "source_row"])
        excluded = set(
            result.excluded.loc[result.excluded["source_sheet"] == ws.title, "source_row"]
        )
        assert not cases & excluded and cases | excluded == rows
        header_row = int(
            result.sources.loc[result.sources["sheet"] == ws.title, "header_rows"].iloc[0]
        )
        headers[ws.title] = [
            v for v in next(ws.iter_rows(min_row=header_row, values_only=True)) if v
        ]
    _every_header_listed(result, path, headers)


def test_person_key_account_is_an_identity():
    assert person_key(account_id="A00045581") == person_key(account_id=" A00045581 ")
    assert person_key(account_id="A00045581") != person_key(account_id="A00045582")
    # an ID number joins two accounts
    joined = person_key("410122199001011232", account_id="A1")
    assert joined == person_key("410122199001011232", account_id="A2")
    assert person_key(None, "张三", "13812345678", account_id="A1") != person_key(
        None, "张三", "13812345678", account_id="A2"
    )


def test_received_date_after_the_title_period_is_an_issue(tmp_path):
    from test_load import write_xlsx

    rows = [
        ["东风镇2026年10月信访台账"],
        ["登记日期", "反映问题"],
        ["2026-10-30", "修路"],
        ["2026-11-03", "修桥"],
        ["2027-01-03", "修渠"],
    ]
    result = load_cases(write_xlsx(tmp_path / "a.xlsx", {"S": rows}), today=TODAY)
    problems = result.issues.set_index("source_row")["problem"]
    assert "统计期 (截至 2026-10-31)" in problems[4]
    assert "晚于今天" in problems[5]
    assert 3 not in problems.index
    assert len(result.cases) == 3  # reported, not dropped


def test_visits_not_inferred_for_mixed_or_unrelated_sheets(tmp_path):
    from test_load import write_xlsx

    mixed = [
        ["来访登记"],
        ["来访时间", "信访形式", "反映问题"],
        ["2026-10-02", "来信", "a"],
        ["2026-10-03", "", "b"],
    ]
    plain = [["登记日期", "反映问题"], ["2026-10-02", "a"]]
    result = load_cases(
        write_xlsx(tmp_path / "a.xlsx", {"混合": mixed, "普通": plain}), today=TODAY
    )
    assert result.cases["channel"].isna().sum() == 2  # nothing guessed
    assert not result.issues["problem"].str.contains("推断").any()
