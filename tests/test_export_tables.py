"""report.export_tables: the one door for plain tables (CLI, notebooks 01 and 03)."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from xinfang_toolkit.report import export_tables, protect_frame

ID = "110101199003071237"


def _cases() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "case_id": ["A1", "A2"],
            "received_date": pd.to_datetime(["2026-01-05", "2026-02-01"]),
            "petitioner": ["王秀英", "刘德华"],
            "id_number": [ID, ""],
            "phone": ["13812345678", ""],
            "summary": ['=HYPERLINK("http://x")', "王秀英的邻居反映噪音, 电话 138 1234 5678"],
        }
    )


def _issues() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_file": ["a.xlsx"],
            "source_sheet": ["Sheet1"],
            "source_row": [3],
            "column": ["phone"],
            "value": ["刘德华 13812345678"],
            "problem": ["电话号码位数不对"],
        }
    )


def _text(path) -> str:
    book = openpyxl.load_workbook(path)
    return " ".join(
        str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value
    )


def test_xlsx_one_sheet_per_frame_masked_with_chinese_headers(tmp_path):
    path = export_tables({"案件清单": _cases(), "问题清单": _issues()}, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["案件清单", "问题清单"]
    assert book["案件清单"]["A1"].value == "信访件编号"
    text = _text(path)
    for secret in ("王秀英", "刘德华", ID, "13812345678", "138 1234 5678"):
        assert secret not in text, secret
    # a cell a spreadsheet would run is written as text
    assert book["案件清单"]["F2"].value.startswith("'=")


def test_names_from_one_frame_are_masked_in_the_others(tmp_path):
    path = export_tables({"案件": _cases(), "问题": _issues()}, tmp_path / "t.xlsx")
    assert "刘德华" not in _text(path)


def test_no_mask_writes_in_full_and_csv_holds_one_table(tmp_path):
    path = export_tables(_cases(), tmp_path / "t.csv", mask=False)
    back = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    assert back.loc[0, "身份证号"] == ID and "信访人" in back.columns
    assert back.loc[0, "反映问题"].startswith("'=")
    with pytest.raises(ValueError, match="CSV"):
        export_tables({"a": _cases(), "b": _issues()}, tmp_path / "two.csv")
    with pytest.raises(ValueError, match=r"\.xlsx"):
        export_tables(_cases(), tmp_path / "t.docx")
    assert not (tmp_path / "two.csv").exists()


def test_pseudonymize_keeps_stable_keys_and_masks_free_text():
    shown = protect_frame(_cases(), mask=False, pseudonymize=True)
    text = " ".join(str(v) for v in shown.to_numpy().ravel())
    assert "王秀英" not in text and "13812345678" not in text


def test_a_statistics_table_has_its_texts_masked():
    table = pd.DataFrame({"事项": ["王秀英反映, 电话13812345678"], "件数": [3]})
    shown = protect_frame(table)
    assert "13812345678" not in shown.iloc[0, 0]
    assert shown.iloc[0, 1] == 3
