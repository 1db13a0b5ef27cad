"""Reading layer: cells and files that broke the loader (issue 9, item 5).

Each test writes its fixture in code; each fails on the loader before the fastexcel/pyarrow
reading layer (no issue, a crash, or lost rows).
"""

from __future__ import annotations

import pathlib
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import xlsxwriter

from xinfang_toolkit.load import load_cases

HEADER = ["序号", "登记日期", "信访人", "身份证号", "反映问题", "信访形式"]
ID = "110101199003074477"


def _issues(result, column=None):
    issues = result.issues
    return issues if column is None else issues[issues["column"] == column]


def test_formula_without_cached_value_is_an_issue(tmp_path):
    path = tmp_path / "公式.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(HEADER)
    ws.append([1, "2025-03-05", "张三", ID, "反映路灯不亮", "来访"])
    ws.append([2, "=DATE(2025,3,6)", "李四", ID, "要求修路", "来信"])  # openpyxl: no cached value
    wb.save(path)
    result = load_cases(path)
    assert len(result.cases) == 2
    found = _issues(result, "received_date")
    found = found[found["problem"].str.contains("公式没有保存计算结果")]
    assert found["source_row"].tolist() == [3]
    assert found["value"].tolist() == ["=DATE(2025,3,6)"]
    assert found["source_file"].tolist() == ["公式.xlsx"]


def test_nul_byte_in_a_workbook_cell_is_removed_and_reported(tmp_path):
    path = tmp_path / "nul.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("台账")
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, [1, "2025-03-05", "张\x00三", ID, "反映路灯不亮", "来访"])
    book.close()
    result = load_cases(path)
    assert result.cases["petitioner"].tolist() == ["张三"]
    found = _issues(result, "petitioner")
    assert found["source_row"].tolist() == [2]
    assert "控制字符" in found["problem"].iloc[0]
    assert found["value"].iloc[0] == "张\\x00三"


def _csv(tmp_path: Path, text: str, name: str = "台账.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_nul_byte_in_a_csv_cell_is_removed_and_reported(tmp_path):
    rows = [
        ",".join(HEADER),
        "1,2025-03-05,张三,,反映路灯\x00不亮,来访",
        "2,2025-03-06,李四,,修路,来信",
    ]
    result = load_cases(_csv(tmp_path, "\n".join(rows) + "\n"))
    assert result.cases["summary"].tolist() == ["反映路灯不亮", "修路"]
    found = _issues(result, "summary")
    assert found["source_row"].tolist() == [2] and "控制字符" in found["problem"].iloc[0]


def test_half_written_last_csv_row_is_an_issue(tmp_path):
    rows = [
        ",".join(HEADER),
        "1,2025-03-05,张三,,反映路灯不亮,来访",
        "2,2025-03-06,李四,,要求尽快",  # the export stopped here: no 信访形式, no line end
    ]
    result = load_cases(_csv(tmp_path, "\n".join(rows), encoding="gb18030"))
    assert result.cases["source_row"].tolist() == [2, 3]  # the row is kept, and reported
    found = _issues(result)
    found = found[found["problem"].str.contains("最后一行不完整")]
    assert found["source_row"].tolist() == [3]
    assert found["column"].tolist() == ["summary"]


def test_complete_last_row_without_line_end_is_no_issue(tmp_path):
    rows = [",".join(HEADER), "1,2025-03-05,张三,,反映路灯不亮,来访"]
    result = load_cases(_csv(tmp_path, "\n".join(rows)))
    assert not result.issues["problem"].str.contains("不完整").any()


def test_csv_with_lone_cr_line_endings_is_read(tmp_path):
    rows = [
        "XX县信访台账",
        ",".join(HEADER),
        "1,2025-03-05,张三,,反映路灯不亮,来访",
        "",
        '2,2025-03-06,李四,,"要求修路\r尽快",来信',
    ]
    result = load_cases(_csv(tmp_path, "\r".join(rows) + "\r", encoding="gb18030"))
    assert result.cases["source_row"].tolist() == [3, 5]
    assert result.cases["petitioner"].tolist() == ["张三", "李四"]
    assert result.cases["received_date"].tolist() == [
        pd.Timestamp("2025-03-05"),
        pd.Timestamp("2025-03-06"),
    ]
    assert result.cases["summary"][1] == "要求修路 尽快"


def _good_xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(HEADER)
    ws.append([1, "2025-03-05", "张三", ID, "反映路灯不亮", "来访"])
    wb.save(path)
    return path


def test_locked_and_corrupt_files_in_a_folder_are_reported_and_the_rest_read(tmp_path, monkeypatch):
    _good_xlsx(tmp_path / "a_好的.xlsx")
    locked = _good_xlsx(tmp_path / "b_被占用.xlsx")
    locked_csv = _csv(tmp_path, ",".join(HEADER) + "\n1,2025-03-05,张三,,修路,来访\n", "c_占用.csv")
    (tmp_path / "d_坏的.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 200)  # a cut-off zip
    (tmp_path / "e_不是表格.xls").write_bytes(b"this is not a workbook at all")
    real_open = pathlib.Path.open

    def open_(self, *args, **kwargs):
        if self.name in (locked.name, locked_csv.name):  # held open by Excel on Windows
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", open_)
    result = load_cases(tmp_path)
    assert result.cases["source_file"].tolist() == ["a_好的.xlsx"]
    problems = dict(zip(result.issues["source_file"], result.issues["problem"], strict=False))
    for name in ("b_被占用.xlsx", "c_占用.csv"):
        assert name in problems[name] and "被占用" in problems[name]
    for name in ("d_坏的.xlsx", "e_不是表格.xls"):
        assert name in problems[name] and ("损坏" in problems[name] or "无法" in problems[name])
    summary = result.summary()
    assert "b_被占用.xlsx" in summary and "d_坏的.xlsx" in summary


def test_id_numbers_stored_as_numbers_are_reported_whatever_the_writer(tmp_path):
    """A long number cell comes back as a number (the reader reads text), so the lost digits
    are reported: openpyxl writes an int in full, xlsxwriter a float in E notation."""
    path = tmp_path / "ids.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append([1, "2025-03-05", "张三", 110101199003074477, "反映路灯不亮", "来访"])
    ws.append([2, "2025-03-05", "李四", ID, "修路", "来访"])
    wb.save(path)
    path2 = tmp_path / "ids2.xlsx"
    book = xlsxwriter.Workbook(str(path2))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, [1, "2025-03-05", "张三", ID, "修路", "来访"])
    sheet.write_row(2, 0, [2, "2025-03-05", "李四", 1.10101199003074e17, "修路", "来访"])
    book.close()
    for p, row in ((path, 2), (path2, 3)):
        result = load_cases(p)
        found = _issues(result, "id_number")
        assert found["source_row"].tolist() == [row], p.name
        assert "数字" in found["problem"].iloc[0]
        assert result.cases["id_number"].notna().sum() == 1


def test_formula_with_a_cached_value_or_an_empty_text_result_is_no_issue(tmp_path):
    """Excel saves =IF(..,"",..) as t="str" with an empty <v></v>: a result, not a missing one."""
    plain = tmp_path / "plain.xlsx"
    book = xlsxwriter.Workbook(str(plain))
    sheet = book.add_worksheet("台账")
    sheet.write_row(0, 0, HEADER + ["备注"])
    sheet.write_row(1, 0, [1, "2025-03-05", "张三", ID, "反映路灯不亮", "来访"])
    sheet.write_formula(1, 6, '=IF(A2>0,"","有")', None, "EMPTY")
    sheet.write_formula(2, 0, "=A2+1", None, 2)
    sheet.write_row(2, 1, ["2025-03-06", "李四", ID, "修路", "来信"])
    book.close()
    path = tmp_path / "excel.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                data = data.replace(b"<v>EMPTY</v>", b"<v></v>")
            dst.writestr(item, data)
    result = load_cases(path)
    assert result.cases["source_row"].tolist() == [2, 3]
    assert not result.issues["problem"].str.contains("公式").any()


def test_gbk_csv_with_a_bad_byte_after_the_sample_is_read_and_the_cell_reported(tmp_path):
    """A big GBK file is parsed as bytes and each distinct value decoded once; a value that is
    not GBK (a byte broken after the first megabyte) is kept with a replacement mark, and noted."""
    line = "{i},2025-03-05,张三,,反映路灯不亮第{i}号,来访\n"
    body = "".join(line.format(i=i) for i in range(1, 30_001)).encode("gb18030")
    assert len(body) > 1 << 20
    last = b"30001,2025-03-06,\xff\xff,,x," + "来访".encode("gb18030") + b"\n"
    path = tmp_path / "大.csv"
    path.write_bytes(",".join(HEADER).encode("gb18030") + b"\n" + body + last)
    result = load_cases(path)
    assert len(result.cases) == 30_001
    assert result.cases["summary"].iloc[1] == "反映路灯不亮第2号"
    found = _issues(result, "petitioner")
    assert found["source_row"].tolist() == [30_002]
    assert "无法按 GB18030 解码" in found["problem"].iloc[0]


def test_an_impossible_date_typed_as_text_is_one_issue_not_a_lost_file(tmp_path):
    """A text cell typed the way fastexcel writes date cells (2025-02-30 10:00:00) but naming
    no real day used to refuse the whole workbook as corrupt; now its row is a case and the
    cell one issue, and every other row is read."""
    path = tmp_path / "台账.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append([1, "2025-02-30 10:00:00", "张三", "", "反映路灯不亮", "来访"])
    ws.append([2, "2025-03-01 10:00:00", "李四", "", "反映道路破损", "来信"])
    wb.save(path)
    result = load_cases(path)
    assert result.cases["summary"].tolist() == ["反映路灯不亮", "反映道路破损"]
    assert pd.isna(result.cases["received_date"].iloc[0])
    assert result.cases["received_date"].iloc[1] == pd.Timestamp("2025-03-01")
    found = _issues(result, "received_date")
    assert found["source_row"].tolist() == [2]
    assert "2025-02-30" in found["value"].iloc[0] and "不存在" in found["problem"].iloc[0]
