"""Value profiles are judged on case rows only, and corrections to a sheet without a header row
are saved as a layout profile and applied again to the next file of the same shape (issue 28)."""

from __future__ import annotations

import csv

import pandas as pd
from fixtures_content import survey_import_template

from xinfang_toolkit.load import load_cases

TODAY = "2026-12-01"


def test_a_templates_hint_row_is_not_in_the_value_profile(tmp_path):
    # the hint row (文本, 日期选择, 必填, 有下拉框选择 ...) is excluded from the cases: the share
    # shown for each column is that of the cases (12 of 12), not 11 of 13 rows
    path = tmp_path / "调研.xlsx"
    survey_import_template(path)
    result = load_cases(path, today=TODAY)
    evidence = result.columns.set_index("header")["evidence"]
    assert evidence["诉求是否解决"] == "100% 是/否"
    assert evidence["投诉发生时间"] == "100% 日期"
    assert evidence["联系电话"] == "100% 电话"
    assert evidence["具体情况"].startswith("100% 长文字")
    assert result.excluded["reason"].str.contains("填表说明或示例行").sum() == 1


def test_total_and_note_lines_are_not_in_the_value_profile(tmp_path):
    from test_load import write_xlsx

    rows = [["登记日期", "信访人", "联系电话", "反映问题"]]
    names = ["张三", "李四", "王五", "赵六", "孙七", "周八", "吴九", "郑十"]
    rows += [
        [f"2026-09-{d:02d}", name, f"1380000{d:04d}", f"反映第{d}号道路损坏问题要求修复"]
        for d, name in enumerate(names, start=1)
    ]
    rows += [["合计", "8 件", "", ""], ["填表人: 钱一", "审核人: 冯二", "", ""]]
    result = load_cases(write_xlsx(tmp_path / "a.xlsx", {"S": rows}), today=TODAY)
    evidence = result.columns.set_index("header")["evidence"]
    assert evidence["登记日期"] == "100% 日期"
    assert evidence["信访人"] == "100% 姓名"
    assert len(result.cases) == 8
    assert pd.Series(result.excluded["reason"]).isin(["合计行", "签名或备注行"]).sum() == 2


def test_corrections_to_a_sheet_without_a_header_row_are_saved_and_reused(tmp_path):
    from fixtures_content import web_messages_headerless_csv

    from xinfang_toolkit.widgets import MappingEditor

    # September's export, saved without its header row: 列H (the office's reply) maps to nothing
    web_messages_headerless_csv(tmp_path / "留言_9月.csv")
    september = load_cases(tmp_path / "留言_9月.csv", today=TODAY)
    columns = september.columns.set_index("header")
    assert columns.loc["列H", "canonical"] == ""
    editor = MappingEditor(september.columns, path=tmp_path / "表头映射.yaml")
    editor.header.value = editor._keys.index(("留言_9月.csv", "留言_9月", "列H"))
    editor.target.value = "outcome"
    editor.apply_button.click()
    editor.save_button.click()
    assert "已保存 1 处" in editor.status.value

    # October's export of the same system: other rows, same shape
    want = web_messages_headerless_csv(tmp_path / "留言_10月.csv", seed=21)
    october = load_cases(tmp_path / "留言_10月.csv", mapping=tmp_path / "表头映射.yaml")
    columns = october.columns.set_index("header")
    assert columns.loc["列H", "canonical"] == "outcome"
    assert columns.loc["列H", "how"] == "人工指定"
    assert october.cases["outcome"].notna().sum() == want["closed_date"].notna().sum()
    # the columns the loader had recognised by content are kept as they were confirmed
    assert columns.loc["列B", "canonical"] == "received_date"
    assert columns.loc["列E", "canonical"] == "summary"
    assert len(october.cases) == len(want)
    assert october.cases["summary"].tolist() == want["summary"].tolist()
    sheet = october.issues[october.issues["source_row"].isna()]["problem"].str.cat()
    assert "保存的表头映射" in sheet


def test_a_saved_shape_is_not_applied_to_a_file_of_another_shape(tmp_path):
    from fixtures_content import web_messages_headerless_csv

    from xinfang_toolkit.load import save_profile

    web_messages_headerless_csv(tmp_path / "留言.csv")
    first = load_cases(tmp_path / "留言.csv", today=TODAY)
    profile = tmp_path / "表头映射.yaml"
    save_profile(first.columns, profile, corrections={("留言.csv", "留言", "列H"): "outcome"})
    # the same export with two columns less (no reply text, no status): another layout
    with (tmp_path / "留言.csv").open(encoding="utf-8", newline="") as fh:
        rows = [row[:7] for row in csv.reader(fh)]
    with (tmp_path / "短.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    other = load_cases(tmp_path / "短.csv", mapping=profile, today=TODAY)
    assert "人工指定" not in set(other.columns["how"])
    assert "outcome" not in set(other.columns["canonical"])


def test_a_saved_headerless_layout_adds_no_empty_column(tmp_path):
    """A headerless export saved as a layout profile names every column (列A ...); a column
    that is empty in next month's file is still no column of the cases (it was: 列F, 未识别)."""
    from xinfang_toolkit.load import save_profile

    def write(path):
        with open(path, "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            for k in range(40):
                out.writerow([
                    f"XF2025{k:05d}", f"2025-0{1 + k % 8}-1{k % 9} 10:{k % 60:02d}:00",
                    ("张三", "李四", "王五")[k % 3], f"138{k:08d}",
                    f"反映小区物业管理混乱、停车难等问题，要求协调解决{k}", "", ("已办结", "办理中")[k % 2],
                ])  # fmt: skip
        return path

    first = load_cases(write(tmp_path / "九月.csv"), today="2026-01-01")
    profile = save_profile(first.columns, tmp_path / "版式.yaml")
    second = load_cases(write(tmp_path / "十月.csv"), mapping=profile, today="2026-01-01")
    assert "列F" not in second.cases.columns
    assert "列F" not in second.columns["header"].tolist()
    assert len(second.cases) == 40
