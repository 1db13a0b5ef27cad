"""``xinfang doctor``: each problem it detects, simulated, gives a Chinese finding with its fix."""

from __future__ import annotations

import importlib.metadata as metadata
import json

import pytest

from xinfang_toolkit import doctor
from xinfang_toolkit.cli import main


def test_the_installed_toolkit_passes_its_own_check(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("XINFANG_BUNDLE", raising=False)
    code = main(["doctor"])
    out = capsys.readouterr().out
    assert "自检" in out
    for name in (
        "Python",
        "软件包",
        "Jupyter 内核",
        "图表中文字体",
        "工作文件夹写权限",
        "案件归档",
    ):
        assert name in out
    assert code == 0, out
    assert "[问题]" not in out


def test_a_missing_dependency_is_named_with_the_fix():
    def version_of(name):
        if name == "duckdb":
            raise metadata.PackageNotFoundError(name)
        return "99.0"

    check = doctor.check_packages(
        [("pandas", "pandas>=3.0"), ("duckdb", "duckdb>=2.0")],
        version_of=version_of,
        importer=lambda m: None,
    )
    assert check.status == doctor.FAIL
    assert "缺少 duckdb" in check.detail
    assert "install" in check.fix


def test_a_too_old_or_broken_dependency_is_a_problem():
    old = doctor.check_packages(
        [("pandas", "pandas>=3.0")], version_of=lambda n: "2.2.3", importer=lambda m: None
    )
    assert old.status == doctor.FAIL and "2.2.3" in old.detail

    def broken(module):
        raise OSError("DLL load failed")

    bad = doctor.check_packages(
        [("pyarrow", "pyarrow>=15")], version_of=lambda n: "20.0", importer=broken
    )
    assert bad.status == doctor.FAIL and "无法导入" in bad.detail and "DLL" in bad.detail


def test_the_real_requirements_include_the_lab_extra_only():
    names = {name for name, _ in doctor._requirements()}
    assert {"pandas", "duckdb", "jupyterlab", "voila"} <= names
    assert "pytest" not in names  # dev tools are not needed to work


def test_no_kernel_and_a_kernel_pointing_nowhere(tmp_path):
    none = doctor.check_kernel(lambda: {})
    assert none.status == doctor.FAIL and "ipykernel install" in none.fix
    spec = tmp_path / "python3"
    spec.mkdir()
    (spec / "kernel.json").write_text(
        json.dumps({"argv": [str(tmp_path / "gone" / "python"), "-m", "ipykernel_launcher"]}),
        encoding="utf-8",
    )
    gone = doctor.check_kernel(lambda: {"python3": str(spec)})
    assert gone.status == doctor.FAIL and "不存在" in gone.detail


def test_no_cjk_font_for_charts():
    def register():
        raise RuntimeError("找不到可用的中文字体")

    check = doctor.check_chart_font(register)
    assert check.status == doctor.FAIL and "方框" in check.detail and check.fix


def test_missing_word_fonts_are_a_warning_not_a_failure():
    check = doctor.check_word_fonts(lambda: {"DejaVu Sans"})
    assert check.status == doctor.WARN and check.ok
    assert "仿宋_GB2312" in check.detail
    assert doctor.check_word_fonts(lambda: {"FangSong", "SimHei", "SimSun"}).status == doctor.OK


def test_a_folder_that_takes_no_files(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(doctor.tempfile, "mkstemp", refuse)
    check = doctor.check_writable(tmp_path)
    assert check.status == doctor.FAIL and "不能写入" in check.detail and check.fix
    monkeypatch.undo()
    assert doctor.check_writable(tmp_path).status == doctor.OK
    assert not list(tmp_path.iterdir()), "the probe leaves nothing behind"


def test_archive_absent_fine_and_damaged_named(tmp_path):
    absent = doctor.check_archive(tmp_path / "archive.duckdb")
    assert absent.status == doctor.OK and "尚未建立" in absent.detail
    assert not (tmp_path / "archive.duckdb").exists(), "the check creates no archive"
    damaged = tmp_path / "broken.duckdb"
    damaged.write_bytes(b"this is not a database" * 100)
    check = doctor.check_archive(damaged)
    assert check.status == doctor.FAIL and "broken.duckdb" in check.detail and check.fix


def _bundle(tmp_path, wheels):
    (tmp_path / "wheels").mkdir()
    listed = {}
    for name, data in wheels.items():
        (tmp_path / "wheels" / name).write_bytes(data)
        listed[name] = {"size": len(data), "sha256": "x"}
    manifest = {"what": "xinfang_toolkit offline bundle", "targets": {"windows-py3.11": []}}
    manifest["wheels"] = listed
    (tmp_path / "bundle.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_bundle_complete_missing_and_truncated(tmp_path, monkeypatch):
    monkeypatch.delenv("XINFANG_BUNDLE", raising=False)
    _bundle(tmp_path, {"a-1-py3-none-any.whl": b"abc", "b-1-py3-none-any.whl": b"defg"})
    assert doctor.find_bundle(tmp_path / "notebooks") == tmp_path
    assert doctor.check_bundle(tmp_path).status == doctor.OK
    (tmp_path / "wheels" / "a-1-py3-none-any.whl").unlink()
    (tmp_path / "wheels" / "b-1-py3-none-any.whl").write_bytes(b"de")
    check = doctor.check_bundle(tmp_path)
    assert check.status == doctor.FAIL
    assert "缺少 a-1-py3-none-any.whl" in check.detail and "大小不对" in check.detail


def test_not_from_a_bundle_is_fine(tmp_path, monkeypatch):
    monkeypatch.delenv("XINFANG_BUNDLE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert doctor.find_bundle() is None or (doctor.find_bundle() / "bundle.json").is_file()


def test_a_check_that_raises_is_reported_and_the_command_exits_1(capsys, monkeypatch):
    def explodes():
        """爆炸检查"""
        raise ValueError("boom")

    results = doctor.run_checks([doctor.check_python, explodes])
    assert results[-1].status == doctor.FAIL and "boom" in results[-1].detail
    monkeypatch.setattr(doctor, "CHECKS", (explodes,))
    monkeypatch.setattr(
        doctor, "run_checks", lambda: [doctor.Check("x", doctor.FAIL, "坏了", "修")]
    )
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "[问题] x：坏了" in out and "解决办法：修" in out and "Traceback" not in out


@pytest.mark.parametrize("version", [(3, 9), (3, 13)])
def test_python_versions(monkeypatch, version):
    monkeypatch.setattr(
        doctor.sys, "version_info", type("V", (), {"major": 3, "minor": version[1], "micro": 0})()
    )
    check = doctor.check_python()
    assert check.status == (doctor.FAIL if version < (3, 10) else doctor.WARN)
