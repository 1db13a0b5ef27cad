"""The offline bundle's scripts and manifest, without downloading anything.

Building the real bundle downloads several hundred MB, so it runs in ``make bundle-check``
(tools/bundle_check.py), not here. These tests check what the builder writes: Windows scripts a
Chinese cmd.exe and Notepad read (GBK, CRLF), Linux scripts that parse, install commands that
never reach a network, files the scripts name that exist, and the manifest the self-check reads.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from xinfang_toolkit import doctor

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import bundle  # noqa: E402


@pytest.fixture
def scripts(tmp_path):
    bundle._write_scripts(tmp_path, "9.9.9")
    return tmp_path


def test_windows_files_are_gbk_with_crlf(scripts):
    for name in ("安装.bat", "启动.bat", "启动数据看板.bat", "离线安装说明.txt"):
        raw = (scripts / name).read_bytes()
        text = raw.decode("gbk")  # cmd.exe and Notepad on Chinese Windows read GBK
        assert "\r\n" in text and "\n" not in text.replace("\r\n", ""), name
        if name.endswith(".bat"):
            assert ".venv\\Scripts\\" in text and ".venv/" not in text, name


def test_install_scripts_never_reach_a_network(scripts):
    for name in ("安装.bat", "install.sh"):
        text = (scripts / name).read_bytes().decode("gbk" if name.endswith(".bat") else "utf-8")
        installs = [line for line in text.splitlines() if "pip install" in line]
        assert installs, name
        for line in installs:
            assert "--no-index" in line and "--find-links wheels" in line, line
        assert "http" not in text.lower()


def test_scripts_name_files_that_exist_in_the_bundle(scripts):
    start = (scripts / "启动数据看板.bat").read_bytes().decode("gbk")
    notebook = re.search(r"notebooks\\(\S+\.ipynb)", start).group(1)
    assert (ROOT / "notebooks" / notebook).is_file()
    sh = (scripts / "start.sh").read_text(encoding="utf-8")
    assert (ROOT / re.search(r"(notebooks/\S+\.ipynb)", sh).group(1)).is_file()
    note = (scripts / "离线安装说明.txt").read_bytes().decode("gbk")
    assert "9.9.9" in note and "安装.bat" in note and "xinfang doctor" in note


@pytest.mark.skipif(shutil.which("sh") is None, reason="no POSIX shell")
def test_shell_scripts_parse(scripts):
    for name in ("install.sh", "start.sh"):
        done = subprocess.run(["sh", "-n", str(scripts / name)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr


def test_targets_cover_windows_and_linux_for_both_pythons():
    names = {t.name for t in bundle.TARGETS}
    assert names == {"windows-py3.11", "windows-py3.12", "linux-py3.11", "linux-py3.12"}
    linux = next(t for t in bundle.TARGETS if t.system == "linux")
    assert "manylinux_2_28_x86_64" in linux.platforms and "manylinux2014_x86_64" in linux.platforms
    assert not any(p.startswith("manylinux_2_29") for p in linux.platforms)


def test_manifest_is_what_the_self_check_reads(tmp_path):
    folder = tmp_path / "xinfang_toolkit-9.9.9-offline"
    (folder / "wheels").mkdir(parents=True)
    (folder / "wheels" / "pkg-1.0-py3-none-any.whl").write_bytes(b"wheel bytes")
    data = bundle.manifest(folder, "9.9.9", {"windows-py3.11": ["pkg==1.0"]})
    assert data["what"] == bundle.MARKER
    (folder / "bundle.json").write_text(json.dumps(data), encoding="utf-8")
    assert bundle._owned(folder)
    assert doctor.check_bundle(folder).status == doctor.OK


def test_build_refuses_a_folder_it_did_not_write(tmp_path, monkeypatch):
    monkeypatch.setattr(bundle, "version", lambda: "9.9.9")
    theirs = tmp_path / "xinfang_toolkit-9.9.9-offline"
    theirs.mkdir()
    (theirs / "我的文件.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(SystemExit, match="不是本工具生成"):
        bundle.build(tmp_path, targets=[])
    assert (theirs / "我的文件.txt").read_text(encoding="utf-8") == "keep me"


def test_readme_windows_section_matches_the_bundle():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make bundle" in readme and "安装.bat" in readme and "xinfang doctor" in readme
    assert "--no-index --find-links wheels" in readme


def test_bundle_carries_the_chinese_lab_settings_and_installs_them(tmp_path):
    bundle._copy_content(tmp_path)
    assert (tmp_path / "jupyter" / "lab" / "settings" / "overrides.json").is_file()
    assert (tmp_path / "tools" / "install_lab_settings.py").is_file()
    assert (tmp_path / "notebooks" / "00_新手入门.ipynb").is_file()
    bundle._write_scripts(tmp_path, "9.9.9")
    assert "tools/install_lab_settings.py" in (tmp_path / "install.sh").read_text(encoding="utf-8")
    bat = (tmp_path / "安装.bat").read_bytes().decode("gbk")
    assert "tools\\install_lab_settings.py" in bat


def test_an_old_pip_stops_the_build_with_the_fix(monkeypatch):
    import importlib.metadata as md

    real = md.version
    monkeypatch.setattr(md, "version", lambda name: "23.2.1" if name == "pip" else real(name))
    with pytest.raises(SystemExit, match="pip install --upgrade pip"):
        bundle.check_pip()
    monkeypatch.setattr(md, "version", lambda name: "26.3" if name == "pip" else real(name))
    bundle.check_pip()
