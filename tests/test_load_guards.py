"""Hostile or mistyped cells and workbooks: one bad file or cell never costs the folder.

* a shared-string bomb (60 million strings, a few MB on disk, built here) used to abort the
  process (SIGABRT in calamine) and lose the good ledgers beside it: the table is now counted
  before calamine opens the workbook, and a workbook over the cap is refused with a Chinese issue;
* a 20-digit text in one 人数 cell used to fail the whole folder with an English pandas message.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from xinfang_toolkit.load import _xlsx, load_cases
from xinfang_toolkit.load._grid import SheetError

HEADER = ["登记日期", "信访人", "人数", "反映问题"]
LIMIT = 3 << 30  # bytes of address space for the child that loads a bomb


def _ledger(path: Path, rows: list[list]) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("台账")
    sheet.write_row(0, 0, HEADER)
    for i, row in enumerate(rows):
        sheet.write_row(i + 1, 0, row)
    book.close()


def _shared_string_bomb(path: Path, n: int, *, declared: int = 6) -> None:
    """A ledger whose shared-string table holds ``n`` more one-letter strings, streamed into
    the zip (nothing large in memory; 60 million strings are ~6 MB on disk) and with
    ``count``/``uniqueCount`` attributes that lie (``declared``)."""
    plain = io.BytesIO()
    book = xlsxwriter.Workbook(plain, {"in_memory": True})
    sheet = book.add_worksheet("台账")
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, ["2025-03-05", "张三", 1, "路灯不亮"])
    book.close()
    block = b"<si><t>a</t></si>" * 100_000
    with (
        zipfile.ZipFile(plain) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst,
    ):
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename != "xl/sharedStrings.xml":
                dst.writestr(item, data)
                continue
            data = re.sub(rb'((?:unique)?[cC]ount=)"[0-9]+"', rb'\1"%d"' % declared, data)
            with dst.open(item.filename, "w", force_zip64=True) as out:
                out.write(data.rsplit(b"</sst>", 1)[0])
                for _ in range(n // 100_000):
                    out.write(block)
                out.write(b"</sst>")


def load_in_child(path: Path, payload: str) -> dict:
    """load_cases(path) in a child process with an address-space limit (POSIX): a regression
    fails the test instead of taking the machine's memory. ``payload``: a Python expression of
    the LoadResult ``r``, printed as JSON and returned."""
    code = textwrap.dedent(
        f"""
        import json, sys
        if sys.platform != "win32":
            import resource
            resource.setrlimit(resource.RLIMIT_AS, ({LIMIT}, {LIMIT}))
        from xinfang_toolkit.load import load_cases
        r = load_cases({str(path)!r})
        print(json.dumps({payload}, ensure_ascii=False))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, f"exit {proc.returncode}: {proc.stderr[-2000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _load_in_child(folder: Path) -> dict:
    return load_in_child(
        folder,
        '{"cases": r.cases[["source_file", "source_row"]].astype(str).values.tolist(), '
        '"issues": r.issues[["source_file", "problem"]].astype(str).values.tolist()}',
    )


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_AS is POSIX only")
def test_shared_string_bomb_is_refused_and_the_folder_still_loads(tmp_path):
    _ledger(tmp_path / "好台账.xlsx", [["2025-03-05", "李四", 2, "噪音扰民"]] * 2)
    _shared_string_bomb(tmp_path / "炸弹.xlsx", 60_000_000)
    assert (tmp_path / "炸弹.xlsx").stat().st_size < 10_000_000
    got = _load_in_child(tmp_path)
    assert got["cases"] == [["好台账.xlsx", "2"], ["好台账.xlsx", "3"]]
    refused = [p for f, p in got["issues"] if f == "炸弹.xlsx"]
    assert len(refused) == 1 and "共享字符串" in refused[0] and "炸弹.xlsx" in refused[0]


def _book(xml: bytes) -> zipfile.ZipFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", xml)
    return zipfile.ZipFile(buf)


def _sst(n: int, *, prefix: str = "", declared: int | None = None) -> bytes:
    p = f"{prefix}:" if prefix else ""
    ns = f' xmlns:{prefix}="x"' if prefix else ""
    count = f' count="{declared}" uniqueCount="{declared}"' if declared is not None else ""
    # <si/>, <si>, and <si> with a line break inside its tag (valid XML, as some writers indent)
    forms = (
        f"<{p}si/>",
        f"<{p}si><{p}t>{{k}}</{p}t></{p}si>",
        f"<{p}si\n><{p}t>{{k}}</{p}t></{p}si>",
    )
    items = "".join(forms[k % 3].format(k=k) for k in range(n))
    return f'<?xml version="1.0"?><{p}sst{ns}{count}>{items}</{p}sst>'.encode()


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(0, 300),
    chunk=st.integers(5, 200),
    prefix=st.sampled_from(["", "x"]),
)
def test_shared_strings_are_counted_across_pieces(n, chunk, prefix):
    old = _xlsx._CHUNK
    _xlsx._CHUNK = chunk  # pieces cut anywhere, also inside an element
    try:
        assert _xlsx.check_shared_strings(_book(_sst(n, prefix=prefix)), Path("a.xlsx")) == n
    finally:
        _xlsx._CHUNK = old


def test_caps_on_count_declared_count_and_size(monkeypatch):
    monkeypatch.setattr(_xlsx, "MAX_SHARED_STRINGS", 50)
    assert _xlsx.check_shared_strings(_book(_sst(50, declared=50)), Path("a.xlsx")) == 50
    # attributes that lie do not help: the strings themselves are counted
    with pytest.raises(SheetError, match=r"a\.xlsx: 共享字符串表过大"):
        _xlsx.check_shared_strings(_book(_sst(51, declared=3)), Path("a.xlsx"))
    # a declared count over the cap is refused before anything else is read
    with pytest.raises(SheetError, match="声明 1,000"):
        _xlsx.check_shared_strings(_book(_sst(2, declared=1000)), Path("a.xlsx"))
    monkeypatch.setattr(_xlsx, "MAX_SHARED_BYTES", 100)
    with pytest.raises(SheetError, match="解压后"):
        _xlsx.check_shared_strings(_book(_sst(20)), Path("a.xlsx"))
    assert _xlsx.check_shared_strings(_book(b""), Path("a.xlsx")) == 0


def test_twenty_digit_person_count_is_one_issue_and_the_folder_loads(tmp_path):
    _ledger(
        tmp_path / "a.xlsx",
        [
            ["2025-03-05", "张三", "12345678901234567890", "路灯不亮"],
            ["2025-03-06", "王五", 3, "x"],
        ],
    )
    _ledger(tmp_path / "b.xlsx", [["2025-03-07", "李四", "2人", "噪音扰民"]])
    result = load_cases(tmp_path, today="2026-01-01")
    cases = result.cases.set_index(["source_file", "source_row"])["person_count"]
    assert cases.isna()[("a.xlsx", 2)]
    assert cases[("a.xlsx", 3)] == 3 and cases[("b.xlsx", 2)] == 2
    issue = result.issues[result.issues["column"] == "person_count"]
    assert issue[["source_file", "source_sheet", "source_row"]].values.tolist() == [
        ["a.xlsx", "台账", 2]
    ]
    assert "人数" in issue["problem"].iloc[0] and "12345678901234567890" in issue["value"].iloc[0]


def test_a_bloated_styles_part_is_refused_and_the_folder_still_loads(tmp_path, monkeypatch):
    _ledger(tmp_path / "好台账.xlsx", [["2025-03-05", "李四", 2, "噪音扰民"]])
    _ledger(tmp_path / "plain.xlsx", [["2025-03-05", "张三", 1, "路灯不亮"]])
    with (
        zipfile.ZipFile(tmp_path / "plain.xlsx") as src,
        zipfile.ZipFile(tmp_path / "样式炸弹.xlsx", "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/styles.xml":
                data = data.replace(b"<numFmts", b"<!--" + b" " * 200_000 + b"--><numFmts", 1)
                data = data if b"<!--" in data else data + b"<!--" + b" " * 200_000 + b"-->"
            dst.writestr(item, data)
    (tmp_path / "plain.xlsx").unlink()
    monkeypatch.setattr(_xlsx, "MAX_PART_BYTES", 100_000)
    result = load_cases(tmp_path, today="2026-01-01")
    assert result.cases["source_file"].tolist() == ["好台账.xlsx"]
    refused = result.issues[result.issues["source_file"] == "样式炸弹.xlsx"]["problem"].tolist()
    assert len(refused) == 1 and "xl/styles.xml" in refused[0] and "解压炸弹" in refused[0]
