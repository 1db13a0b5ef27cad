"""CSV outputs cannot carry the toolkit's mark: a folder manifest records what the toolkit
wrote, and an office's own CSV of an output's name is never replaced."""

from __future__ import annotations

from pathlib import Path

from test_report_ledger import ledger

from xinfang_toolkit import _atomic
from xinfang_toolkit.cli import main


def _ledger_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "台账"
    folder.mkdir()
    ledger().to_excel(folder / "台账.xlsx", index=False)
    return folder


def test_an_offices_own_csv_named_like_an_output_is_not_replaced(tmp_path, capsys):
    folder = _ledger_folder(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "案件清单.csv"
    mine.write_text("编号,备注\n1,科室自己的清单\n", encoding="utf-8")
    before = mine.read_bytes()
    code = main(["load", str(folder), "-o", str(out), "--format", "csv"])
    assert code == 2
    assert "不是本工具包写出的文件" in capsys.readouterr().err
    assert mine.read_bytes() == before


def test_the_toolkits_own_csv_is_replaced_on_the_next_run_but_not_once_edited(tmp_path, capsys):
    folder = _ledger_folder(tmp_path)
    out = tmp_path / "out"
    assert main(["load", str(folder), "-o", str(out), "--format", "csv"]) in (0, 1)
    written = out / "案件清单.csv"
    assert written.is_file() and (out / _atomic.MANIFEST).is_file()
    assert _atomic.written_by_toolkit(written)
    assert main(["load", str(folder), "-o", str(out), "--format", "csv"]) in (0, 1)
    with written.open("a", encoding="utf-8") as f:  # someone adds a line by hand
        f.write("手工补充的一行\n")
    edited = written.read_bytes()
    capsys.readouterr()
    assert main(["load", str(folder), "-o", str(out), "--format", "csv"]) == 2
    assert written.read_bytes() == edited


def test_workbooks_still_go_by_their_mark(tmp_path):
    plain = tmp_path / "表.xlsx"
    ledger().to_excel(plain, index=False)
    assert not _atomic.written_by_toolkit(plain)


def test_the_manifest_records_the_outputs_only_and_does_not_grow_run_by_run(tmp_path):
    """Writers nest (a table written into the temporary file of a set): the temporary names
    are never recorded, so the manifest holds the outputs and stays the same size."""
    import json

    folder = _ledger_folder(tmp_path)
    out = tmp_path / "out"
    sizes = []
    for _ in range(2):
        assert main(["load", str(folder), "-o", str(out), "--format", "csv"]) in (0, 1)
        entries = json.loads((out / _atomic.MANIFEST).read_text(encoding="utf-8"))
        sizes.append(len(entries))
        assert not [name for name in entries if ".part" in name]
        assert set(entries) == {p.name for p in out.glob("*.csv")}
    assert sizes[0] == sizes[1]
