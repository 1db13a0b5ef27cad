"""What a Windows office meets, tested where it can be here: files Excel holds open, Chinese and
spaced names, CRLF and GBK files, backslash paths in the README, and no Linux-only path or tool
in the package or the notebooks."""

from __future__ import annotations

import re
from pathlib import Path, PureWindowsPath

import pytest

from xinfang_toolkit import _atomic, load_cases
from xinfang_toolkit.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "网上信访_2026.csv"


def _no_litter(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if ".part" in p.name], "temporary files left"


def test_an_output_open_in_excel_is_refused_before_anything_is_written(
    tmp_path, monkeypatch, capsys
):
    out = tmp_path / "输出"
    out.mkdir()
    held = out / "案件清单.xlsx"
    held.write_bytes(b"the analyst's open workbook")
    real_open = open

    def windows_open(path, mode="r", *args, **kwargs):  # Excel holds the file: no write access
        if Path(path) == held and any(c in mode for c in "wa+"):
            raise PermissionError(13, "The process cannot access the file")
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(_atomic, "open", windows_open, raising=False)
    code = main(["load", str(SAMPLE), "-o", str(out), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2
    assert "Excel" in err and "打开" in err and "Traceback" not in err
    assert held.read_bytes() == b"the analyst's open workbook"
    assert sorted(p.name for p in out.iterdir()) == ["案件清单.xlsx"]


def test_a_rename_refused_at_the_end_leaves_the_old_outputs_and_no_litter(
    tmp_path, monkeypatch, capsys
):
    out = tmp_path / "out"
    real_replace = _atomic.os.replace

    def refuse(src, dst):
        if Path(dst).name == "问题清单.xlsx":
            raise PermissionError(13, "sharing violation")
        return real_replace(src, dst)

    monkeypatch.setattr(_atomic.os, "replace", refuse)
    code = main(["load", str(SAMPLE), "-o", str(out), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and "问题清单.xlsx" in err and "关闭" in err
    _no_litter(out)


def test_chinese_and_spaced_names_crlf_and_gbk(tmp_path):
    folder = tmp_path / "2026年 台账（乡镇）"
    folder.mkdir()
    text = (
        "信访件编号,登记日期,信访形式,反映问题,问题属地\r\n"
        "XF-1,2026-03-05,来信,村道损坏无人维修,城关镇\r\n"
        "XF-2,2026/3/6,来访,拖欠工资三个月,河西乡\r\n"
    )
    (folder / "三月 台账 (1).csv").write_bytes(text.encode("gbk"))
    result = load_cases(folder)
    assert list(result.cases["case_id"]) == ["XF-1", "XF-2"]
    assert result.cases["summary"].iloc[1] == "拖欠工资三个月"
    assert not result.cases["summary"].str.contains("\r").any()


def _windows_paths(block: str) -> list[str]:
    return re.findall(r"(?<![\w.])((?:notebooks|sample_data|out)\\[^\s\"]+)", block)


def test_readme_windows_commands_name_files_that_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bat\n(.*?)```", readme, re.S)
    table = readme[readme.index("Windows（没有 make）") :]
    paths = [p for b in blocks for p in _windows_paths(b)] + _windows_paths(table[:3000])
    assert any(p.startswith("notebooks") for p in paths)
    for raw in paths:
        parts = PureWindowsPath(raw.rstrip("`|,")).parts
        if parts[0] == "out":  # an output the command writes
            continue
        assert ROOT.joinpath(*parts).exists(), raw


_LINUX_ONLY = [
    (r"[\"']/tmp\b", "a /tmp path (use tempfile)"),
    (r"[\"']/dev/(?!null)", "a /dev path"),
    (r"[\"']/(?:usr|etc|proc|home|root)/", "a Linux system path"),
    (r"\bimport (?:fcntl|termios|pwd|grp|resource)\b", "a Unix-only module"),
    (r"shell=True", "a shell command"),
    (r"\bos\.(?:getuid|geteuid|fork|killpg|setsid)\b", "a Unix-only call"),
    (r"signal\.SIG(?:KILL|HUP|USR1|USR2|ALRM)\b", "a Unix-only signal"),
]


@pytest.mark.parametrize("pattern,what", _LINUX_ONLY, ids=[w for _, w in _LINUX_ONLY])
def test_no_linux_only_path_or_tool_in_the_package_or_notebooks(pattern, what):
    files = list((ROOT / "xinfang_toolkit").rglob("*.py")) + list(
        (ROOT / "notebooks").glob("*.ipynb")
    )
    found = [
        f"{f.relative_to(ROOT)}:{n}"
        for f in files
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(pattern, line)
    ]
    assert not found, f"{what}: {found}"
