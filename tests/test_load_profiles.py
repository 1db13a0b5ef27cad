"""Value profiles are judged on case rows only, and corrections to a sheet without a header row
are saved as a layout profile and applied again to the next file of the same shape (issue 28)."""

from __future__ import annotations

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
