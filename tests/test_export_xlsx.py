"""export_xlsx(): reopened with openpyxl; sheets, masking, neutralised formulas, widths, charts."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from test_report_ledger import END, START, TODAY, ledger

from xinfang_toolkit.report import export_xlsx, summarize
from xinfang_toolkit.report._tables import neutralise, text_width
from xinfang_toolkit.report._xlsx import sheet_name

HOSTILE = {
    "summary": '=HYPERLINK("http://evil.example","点我")',
    "responsible_unit": "@SUM(1+1)",
    "outcome": "+cmd|' /C calc'!A0",
    "locality": "-2+3",
    "leader": "\t=1+1",
}


def _hostile_ledger() -> pd.DataFrame:
    df = ledger()
    idx = df.index[df["case_id"] == "C1"][0]
    for col, value in HOSTILE.items():
        df.loc[idx, col] = value
    return df


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    s = summarize(_hostile_ledger(), start=START, end=END, today=TODAY, compare="yoy")
    path = export_xlsx(s, tmp_path_factory.mktemp("xlsx") / "报告.xlsx")
    return openpyxl.load_workbook(path)


def _cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def test_sheets_per_table_cases_and_chart(book):
    names = book.sheetnames
    assert names[0] == "说明" and "信访件" in names and "图表" in names
    for table in ("总体情况", "信访形式", "内容分类", "信访去向", "积案", "同比"):
        assert table in names
    assert book.chartsheets and book.chartsheets[0].title == "图表"
    esc = book["信访去向"]
    assert [c.value for c in esc[1]] == ["信访去向", "报告用语", "批次", "人次"]
    assert [c.value for c in esc[2]] == ["国家", "进京", 2, 3]
    assert len(esc._charts) == 1  # the escalation chart sits beside its table


def test_cases_sheet_headers_and_values(book):
    ws = book["信访件"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["信访件编号", "登记日期", "信访形式", "信访人"]
    assert "办理状态" in header and "积案" in header
    assert ws.max_row == 1 + 9
    row = {h: c.value for h, c in zip(header, ws[2], strict=True)}
    assert row["登记日期"].date() == pd.Timestamp("2021-01-05").date()
    assert ws["B2"].number_format == "yyyy-mm-dd"
    overview = {r[0].value: r[1] for r in book["总体情况"].iter_rows(min_row=2)}
    assert overview["按期办结率"].value == pytest.approx(0.8)
    assert overview["按期办结率"].number_format == "0.0%"


def test_formulas_are_neutralised(book):
    assert not [c.coordinate for c in _cells(book) if c.data_type == "f"]
    values = {c.value for c in _cells(book) if isinstance(c.value, str)}
    for text in HOSTILE.values():
        assert "'" + text in values
        assert text not in values
    assert neutralise("普通文字") == "普通文字" and neutralise("-1") == "'-1"


def test_personal_data_masked_by_default(book):
    values = " ".join(str(c.value) for c in _cells(book) if c.value is not None)
    df = ledger()
    for col in ("petitioner", "id_number", "phone"):
        for v in df[col].dropna():
            assert v not in values, (col, v)
    ws = book["信访件"]
    header = [c.value for c in ws[1]]
    names = {r[header.index("信访人")] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert "李*国" in names
    ids = {r[header.index("身份证号")] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert "110101********005X" in ids
    # no person key (it could be recomputed from a known ID number); matters numbered instead
    assert "信访人代码" not in header
    chains = [r[header.index("事项链")] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert all(c.startswith("事项") for c in chains)
    case_ids = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert chains[case_ids.index("C2")] == chains[case_ids.index("C8")]  # one matter


def test_frame_export_full_and_pseudonymised(tmp_path):
    df = ledger()
    full = openpyxl.load_workbook(export_xlsx(df, tmp_path / "full.xlsx", mask=False))
    ws = full["信访件"]
    assert ws.max_row == 1 + len(df)
    assert "李建国" in {c.value for c in ws["D"]}
    assert "本文件含未脱敏的个人信息" in full["说明"]["A2"].value
    assert full.chartsheets and "分类统计" in full.sheetnames
    pseudo = openpyxl.load_workbook(export_xlsx(df, tmp_path / "pseudo.xlsx", pseudonymize=True))
    ws = pseudo["信访件"]
    names = [c.value for c in ws["D"][1:]]
    assert all(n is None or n.startswith("P") for n in names)
    assert names[4] == names[10] != names[3]  # C2 and C8: the same person, the same key
    assert not any(c.value for c in ws["E"][1:])  # ID numbers emptied


def test_column_widths_count_cjk_as_two(book):
    assert text_width("信访件编号") == 10 and text_width("A1") == 2 and text_width("ＡＢ") == 4
    ws = book["信访件"]
    header = [c.value for c in ws[1]]
    col = openpyxl.utils.get_column_letter(header.index("反映问题") + 1)
    longest = max(text_width(v) for v in (c.value for c in ws[col][1:]) if v is not None)
    assert ws.column_dimensions[col].width >= min(longest, 50)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")


def test_sheet_names_are_valid_and_unique():
    used: set[str] = set()
    assert sheet_name("a/b:c", used) == "a_b_c"
    assert sheet_name("A_B_C", used) == "A_B_C_2"
    assert len(sheet_name("长" * 40, used)) == 31


def test_cases_sheet_has_chinese_headers_and_no_empty_ledger_flags(tmp_path):
    from test_report_ledger import ledger

    from xinfang_toolkit.schema import chinese_headers

    df = ledger()
    for col in ("closed_flag", "repeat_flag", "backlog_flag"):
        df[col] = pd.array([pd.NA] * len(df), dtype="boolean")
    df["extended_flag"] = pd.array([pd.NA] * len(df), dtype="boolean")
    df.loc[df["case_id"] == "C1", "extended_flag"] = True
    path = export_xlsx(summarize(df, start=START, end=END, today=TODAY), tmp_path / "f.xlsx")
    headers = list(pd.read_excel(path, sheet_name="信访件", engine="openpyxl", nrows=0).columns)
    assert not [h for h in headers if "flag" in str(h) or "_" in str(h)]
    assert "台账标记延期" in headers and "台账标记办结" not in headers
    assert "原分类" in headers and "内容分类" in headers
    shown = chinese_headers(df[["case_id", "extended_flag", "closed_flag"]])
    assert list(shown.columns) == ["信访件编号", "台账标记延期"]
    assert shown.loc[df["case_id"] == "C1", "台账标记延期"].tolist() == ["是"]


def test_number_formats_whole_numbers_without_a_dot_and_rates_as_percentages(book):
    """Excel and WPS show "0.##" as "1100."; whole numbers are written as "0", shares as
    percentages with one decimal."""
    numbers = [c for c in _cells(book) if isinstance(c.value, (int, float))]
    assert numbers
    assert not [c.coordinate for c in numbers if c.number_format == "0.##"]
    for c in numbers:
        if isinstance(c.value, bool):
            continue
        if float(c.value).is_integer() and c.number_format != "0.0%":
            assert c.number_format == "0", (c.parent.title, c.coordinate, c.number_format)
    overview = {r[0].value: r[1] for r in book["总体情况"].iter_rows(min_row=2)}
    assert overview["信访总量（件）"].number_format == "0"
    assert overview["满意率"].number_format == "0.0%"


def test_one_masking_style_in_every_workbook(tmp_path):
    """The cases list of `xinfang load` (export_tables, names known) masks names as the report
    workbook does: 李*国, never ***."""
    from xinfang_toolkit.privacy import known_names
    from xinfang_toolkit.report import export_tables

    df = ledger()
    path = export_tables({"案件清单": df}, tmp_path / "t.xlsx", names=known_names(df))
    ws = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in ws[1]]
    names = {r[header.index("信访人")] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert "李*国" in names
    assert not any(n and set(n) == {"*"} for n in names)
