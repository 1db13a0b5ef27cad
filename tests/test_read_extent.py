"""A workbook whose used range claims XFD1048576 (one stray far cell, a few KB on disk).

calamine builds a dense range from A1 to the last cell: 16384 x 1048576 cells, 512 GiB, and the
process aborts. Each load runs in a child process with an address-space limit (POSIX), so a
regression fails this test instead of killing the test run.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from test_load_guards import LIMIT, load_in_child

HEADER = ["序号", "登记日期", "信访人", "反映问题", "信访形式"]


def _ledger(path: Path, rows: int = 2) -> xlsxwriter.Workbook:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("台账")
    sheet.write_row(0, 0, HEADER)
    for i in range(rows):
        sheet.write_row(i + 1, 0, [i + 1, "2025-03-05", "张三", f"反映路灯不亮{i}", "来访"])
    return book


def _load_in_child(path: Path) -> dict:
    return load_in_child(
        path,
        '{"cases": r.cases["source_row"].tolist(), '
        '"issues": r.issues[["source_row", "column", "value", "problem"]]'
        ".astype(str).values.tolist(), "
        '"excluded": r.excluded[["source_row", "reason"]].astype(str).values.tolist()}',
    )


def test_stray_cell_at_xfd1048576_is_cut_off_and_reported(tmp_path):
    path = tmp_path / "stray.xlsx"
    book = _ledger(path)
    book.worksheets()[0].write(1048575, 16383, "x")
    book.close()
    assert path.stat().st_size < 10_000
    got = _load_in_child(path)
    assert got["cases"] == [2, 3]
    stray = [i for i in got["issues"] if "孤立单元格" in i[3]]
    assert len(stray) == 1
    assert stray[0][0] == "1048576" and stray[0][2] == "x" and "XFD1048576" in stray[0][3]
    assert ["1048576", "表格以外的孤立单元格 (未读入)"] in got["excluded"]  # row invariant


def test_stray_far_column_beside_a_long_table_is_cut_off(tmp_path):
    path = tmp_path / "wide.xlsx"
    book = _ledger(path, rows=2600)  # 2601 rows x 16384 columns is more than calamine may hold
    book.worksheets()[0].write(4, 16383, "备注")
    book.close()
    got = _load_in_child(path)
    assert len(got["cases"]) == 2600
    stray = [i for i in got["issues"] if "孤立单元格" in i[3]]
    assert [s[:3] for s in stray] == [["5", "", "备注"]]
    assert not any(row == "5" for row, _reason in got["excluded"])  # row 5 is a case


def test_dimension_tag_that_lies_is_ignored(tmp_path):
    path = tmp_path / "dim.xlsx"
    _ledger(tmp_path / "plain.xlsx").close()
    with zipfile.ZipFile(tmp_path / "plain.xlsx") as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.endswith("sheet1.xml"):
                data = re.sub(
                    rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data
                )
            dst.writestr(item, data)
    got = _load_in_child(path)
    assert got["cases"] == [2, 3]
    assert not any("孤立" in i[3] for i in got["issues"])


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_AS is POSIX only")
def test_the_child_limit_really_limits():
    """The guard works: a child asking for more than the limit fails instead of the machine."""
    code = (
        f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({LIMIT}, {LIMIT}))\n"
        f"b = bytearray({LIMIT})"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert proc.returncode != 0 and b"MemoryError" in proc.stderr
