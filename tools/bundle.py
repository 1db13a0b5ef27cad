"""Build the offline bundle: everything an office needs to install xinfang_toolkit without network.

    python tools/bundle.py                 # dist/xinfang_toolkit-VERSION-offline/ and its .zip
    python tools/bundle.py --out D:\\build   # anywhere else (works on Windows without make)

The bundle holds the package wheel and every dependency of ``xinfang_toolkit[lab]`` as wheels
for Windows (win_amd64) and Linux (manylinux, glibc 2.28 or newer, x86_64), for Python 3.11
and 3.12; the notebooks and the sample data; ``安装.bat`` / ``install.sh`` (a venv and
``pip install --no-index --find-links wheels``), ``启动.bat`` / ``启动数据看板.bat`` /
``start.sh`` (JupyterLab on the notebooks, or the dashboard page), ``离线安装说明.txt`` and
``bundle.json``, the manifest: every wheel with its size and SHA-256 and, per target, the
distributions pip resolves from the bundle alone. ``xinfang doctor`` checks a bundle against it.

Only wheels go into the bundle (``--only-binary :all:`` per target): a dependency published
only as source is built into a wheel here first (pure Python: one wheel for every target), so no
step of the bundle's install builds or downloads anything. Building the bundle needs the network (pip download); installing it does not.
The build writes into a new folder beside the target and renames it into place when complete;
it replaces an earlier bundle only if that folder holds a ``bundle.json`` it wrote.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTRA = "lab"
MARKER = "xinfang_toolkit offline bundle"
#: glibc of the oldest Linux the bundle serves (Kylin V10, UOS 20, RHEL 8: 2.28)
GLIBC_MAX = 28


@dataclass(frozen=True)
class Target:
    """One platform and Python version the bundle installs on."""

    system: str  # "windows" or "linux"
    python: str  # "3.11"

    @property
    def platforms(self) -> list[str]:
        if self.system == "windows":
            return ["win_amd64"]
        tags = [f"manylinux_2_{minor}_x86_64" for minor in range(GLIBC_MAX, 4, -1)]
        return tags + ["manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"]

    @property
    def name(self) -> str:
        return f"{self.system}-py{self.python}"


TARGETS = [Target(s, v) for s in ("windows", "linux") for v in ("3.11", "3.12")]


def version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'^version\s*=\s*"([^"]+)"', text, re.M)
    if not found:
        raise SystemExit("pyproject.toml 中没有 version / no version in pyproject.toml")
    return found.group(1)


def _pip(*args: str, isolated: bool = False) -> subprocess.CompletedProcess:
    """pip of this Python, quiet; ``isolated``: no pip configuration file of this machine (its
    index or find-links would hide a wheel missing from the bundle)."""
    cmd = [sys.executable, "-m", "pip", *args]
    cmd.insert(4, "--quiet")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    if isolated:
        env["PIP_CONFIG_FILE"] = os.devnull
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"pip 失败 / pip failed: {' '.join(args[:3])} …")
    return done


def _platform_args(target: Target) -> list[str]:
    args = ["--only-binary", ":all:", "--python-version", target.python, "--implementation", "cp"]
    for tag in target.platforms:
        args += ["--platform", tag]
    return args


def build_wheel(wheels: Path) -> Path:
    """The package's own wheel, built from this checkout."""
    _pip("wheel", "--no-deps", "--wheel-dir", str(wheels), str(ROOT))
    found = sorted(wheels.glob("xinfang_toolkit-*.whl"))
    if not found:
        raise SystemExit("没有生成本包的 wheel / the package wheel was not built")
    return found[-1]


def build_pure_wheels(wheels: Path, package: Path) -> None:
    """Wheels of this machine for ``package[lab]``, building any dependency published only as
    source (jieba is): a pure-Python one becomes a ``py3-none-any`` wheel that every target
    takes; one with compiled code stays this machine's, and the target's download reports it."""
    print("  构建只有源码的依赖 / wheels of source-only dependencies …", flush=True)
    _pip("wheel", "--wheel-dir", str(wheels), "--find-links", str(wheels), f"{package}[{EXTRA}]")


def download(wheels: Path, package: Path, target: Target) -> None:
    """Every dependency of ``package[lab]`` for ``target``, as wheels, into ``wheels``."""
    print(f"  下载 / downloading {target.name} …", flush=True)
    _pip(
        "download",
        "--dest",
        str(wheels),
        "--find-links",
        str(wheels),
        *_platform_args(target),
        f"{package}[{EXTRA}]",
    )


def resolve(wheels: Path, target: Target) -> list[str]:
    """The distributions pip installs for ``target`` from the bundle alone (no index): the
    completeness check. Raises SystemExit naming what is missing."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        _pip(
            "install",
            "--dry-run",
            "--ignore-installed",
            "--no-index",
            "--find-links",
            str(wheels),
            "--target",
            str(Path(tmp) / "site"),
            "--report",
            str(report),
            *_platform_args(target),
            f"xinfang_toolkit[{EXTRA}]",
            isolated=True,
        )
        data = json.loads(report.read_text(encoding="utf-8"))
    return sorted(
        f"{item['metadata']['name']}=={item['metadata']['version']}" for item in data["install"]
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_text(path: Path, text: str, *, windows: bool = False) -> None:
    """A script or note: CRLF and GBK for cmd.exe and Notepad on Chinese Windows, else LF UTF-8."""
    if windows:
        path.write_bytes(text.replace("\n", "\r\n").encode("gbk"))
    else:
        path.write_text(text, encoding="utf-8", newline="\n")
        if path.suffix == ".sh":
            path.chmod(0o755)


INSTALL_SH = """#!/bin/sh
# 离线安装 / offline install: a venv in .venv, every package from ./wheels, no network.
set -e
cd "$(dirname "$0")"
PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  for cand in python3.12 python3.11 python3; do
    if command -v "$cand" >/dev/null 2>&1; then PY="$cand"; break; fi
  done
fi
[ -n "$PY" ] || { echo "找不到 Python 3.11 或 3.12 / Python 3.11 or 3.12 not found"; exit 2; }
"$PY" -m venv .venv
.venv/bin/python -m pip install --no-index --find-links wheels "xinfang_toolkit[lab]"
.venv/bin/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (xinfang)"
.venv/bin/python tools/install_lab_settings.py
.venv/bin/xinfang doctor
echo "安装完成。启动: ./start.sh  (数据看板: ./start.sh dashboard)"
"""

START_SH = """#!/bin/sh
# 启动 / start: JupyterLab on the notebooks, or the dashboard page (./start.sh dashboard)
cd "$(dirname "$0")"
if [ "$1" = "dashboard" ]; then
  exec .venv/bin/python -m xinfang_toolkit.widgets.app notebooks/04_数据看板.ipynb
fi
exec .venv/bin/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks
"""

INSTALL_BAT = """@echo off
rem 离线安装 / offline install: a venv in .venv, every package from .\\wheels, no network
cd /d "%~dp0"
set "PY="
py -3.12 --version >nul 2>nul && set "PY=py -3.12"
if not defined PY py -3.11 --version >nul 2>nul && set "PY=py -3.11"
if not defined PY python --version >nul 2>nul && set "PY=python"
if not defined PY (
  echo 找不到 Python 3.11 或 3.12。请先安装 Python（python.org，勾选 Add python.exe to PATH）。
  pause
  exit /b 2
)
%PY% -m venv .venv || goto :fail
.venv\\Scripts\\python -m pip install --no-index --find-links wheels "xinfang_toolkit[lab]" || goto :fail
.venv\\Scripts\\python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (xinfang)" || goto :fail
.venv\\Scripts\\python tools\\install_lab_settings.py || goto :fail
.venv\\Scripts\\xinfang doctor
echo.
echo 安装完成。双击“启动.bat”打开笔记本，双击“启动数据看板.bat”打开数据看板。
pause
exit /b 0
:fail
echo.
echo 安装失败：请把上面的信息发给技术支持。
pause
exit /b 2
"""

START_BAT = """@echo off
rem 启动 JupyterLab（笔记本） / start JupyterLab on the notebooks
cd /d "%~dp0"
.venv\\Scripts\\jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks
pause
"""

DASHBOARD_BAT = """@echo off
rem 启动数据看板 / the dashboard page on http://127.0.0.1:8866
cd /d "%~dp0"
.venv\\Scripts\\python -m xinfang_toolkit.widgets.app notebooks\\04_数据看板.ipynb
pause
"""

README_TXT = """xinfang_toolkit 离线安装包 {version}
========================================

本安装包用于没有互联网的电脑（如政务内网）。安装过程不访问任何网络，全部软件包都在 wheels 文件夹中。

一、需要
  Windows 10/11（64 位）或 Linux（x86_64，glibc 2.28 及以上，如麒麟 V10、统信 UOS 20）；
  Python 3.11 或 3.12（Windows 从 python.org 安装，安装时勾选“Add python.exe to PATH”；
  Python 安装程序也需要提前拷入内网）。

二、安装（只需一次，约几分钟）
  Windows：双击“安装.bat”。
  Linux：  在本文件夹中执行  sh install.sh
  安装结束时会自动运行自检（xinfang doctor），逐项列出 Python、软件包、Jupyter 内核、中文字体、
  文件夹写权限、归档文件和本安装包是否完整；有问题时给出解决办法。

三、使用
  Windows：双击“启动.bat”打开 JupyterLab 笔记本（从 00_新手入门 开始）；
           双击“启动数据看板.bat”打开数据看板网页 http://127.0.0.1:8866 （只在本机）。
  Linux：  ./start.sh 打开笔记本；./start.sh dashboard 打开数据看板。
  命令行：Windows 为 .venv\\Scripts\\xinfang，Linux 为 .venv/bin/xinfang，例如
           xinfang report sample_data -o out\\report.docx --xlsx out\\report.xlsx
  以后随时可以运行 xinfang doctor 做自检。

四、内容
  wheels\\          全部软件包（Windows 与 Linux，Python 3.11 与 3.12）
  notebooks\\       教学与分析笔记本
  sample_data\\     合成样例台账（没有任何真实人员）
  bundle.json      清单：每个文件的大小和校验值（自检用）

五、常见问题
  “找不到 Python”：先安装 Python 3.11 或 3.12，并勾选加入 PATH。
  安装时提示找不到某个包：本安装包不完整，请重新拷贝整个文件夹（或 zip 文件）。
  杀毒软件拦截：请把本文件夹加入信任区后重试。
"""


def _write_scripts(folder: Path, ver: str) -> None:
    _write_text(folder / "install.sh", INSTALL_SH)
    _write_text(folder / "start.sh", START_SH)
    _write_text(folder / "安装.bat", INSTALL_BAT, windows=True)
    _write_text(folder / "启动.bat", START_BAT, windows=True)
    _write_text(folder / "启动数据看板.bat", DASHBOARD_BAT, windows=True)
    _write_text(folder / "离线安装说明.txt", README_TXT.format(version=ver), windows=True)


def _copy_content(folder: Path) -> None:
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.duckdb")
    shutil.copytree(ROOT / "notebooks", folder / "notebooks", ignore=ignore)
    shutil.copytree(ROOT / "sample_data", folder / "sample_data", ignore=ignore)
    shutil.copy2(ROOT / "README.md", folder / "README.md")
    # JupyterLab in Chinese, no news popup: the settings and the script that installs them
    shutil.copytree(ROOT / "jupyter", folder / "jupyter", ignore=ignore)
    (folder / "tools").mkdir()
    shutil.copy2(ROOT / "tools" / "install_lab_settings.py", folder / "tools")


def manifest(folder: Path, ver: str, resolved: dict[str, list[str]]) -> dict:
    wheels = sorted((folder / "wheels").glob("*.whl"))
    return {
        "what": MARKER,
        "version": ver,
        "targets": resolved,
        "wheels": {w.name: {"size": w.stat().st_size, "sha256": _sha256(w)} for w in wheels},
    }


def _owned(path: Path) -> bool:
    """An earlier bundle this tool wrote (its manifest says so): the only folder it replaces."""
    try:
        data = json.loads((path / "bundle.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("what") == MARKER


def zip_path(folder: Path) -> Path:
    """The zip beside the bundle folder: ``xinfang_toolkit-VERSION-offline.zip``."""
    return folder.parent / f"{folder.name}.zip"


def _zip(folder: Path, archive: Path) -> None:
    partial = archive.with_name(archive.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, Path(folder.name) / path.relative_to(folder))
    os.replace(partial, archive)


#: pip 23.2 checks Requires-Python against this machine's Python, not ``--python-version``, in
#: the dry-run that proves a target complete (numpy 2.5 for 3.12 failed on a 3.11 machine); 26.3
#: does not (both seen here). The oldest pip known to work is asked for.
PIP_MIN = (26, 0)


def check_pip() -> None:
    """Stop with the fix when this Python's pip is too old for a bundle of other targets."""
    from importlib.metadata import version as dist_version

    have = tuple(int(p) for p in re.findall(r"\d+", dist_version("pip"))[:2])
    if have < PIP_MIN:
        raise SystemExit(
            f"pip {'.'.join(map(str, have))} 太旧，请先升级：{sys.executable} -m pip install "
            f"--upgrade pip / pip is too old for a bundle of other targets: upgrade it first"
        )


def build(out: Path, *, targets: list[Target] = TARGETS, make_zip: bool = True) -> Path:
    """Build the bundle under ``out``; returns its folder."""
    check_pip()
    ver = version()
    final = out / f"xinfang_toolkit-{ver}-offline"
    if final.exists() and not _owned(final):
        raise SystemExit(
            f"{final} 已存在且不是本工具生成的安装包，未做任何改动 / exists and is not a bundle "
            "written by this tool: nothing changed"
        )
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix=".bundle-", dir=out))
    try:
        folder = work / final.name
        wheels = folder / "wheels"
        wheels.mkdir(parents=True)
        print(f"构建离线安装包 / building the offline bundle {ver}", flush=True)
        package = build_wheel(wheels)
        build_pure_wheels(wheels, package)
        for target in targets:
            download(wheels, package, target)
        resolved = {}
        for target in targets:
            resolved[target.name] = resolve(wheels, target)
            print(f"  {target.name}: {len(resolved[target.name])} 个包齐全 / complete", flush=True)
        _copy_content(folder)
        _write_scripts(folder, ver)
        data = manifest(folder, ver, resolved)
        (folder / "bundle.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        if final.exists():  # an earlier bundle of ours: moved aside, removed once replaced
            old = work / "previous"
            os.replace(final, old)
        os.replace(folder, final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    size = sum(p.stat().st_size for p in final.rglob("*") if p.is_file())
    print(f"文件夹 / folder: {final} ({size / 2**20:.0f} MiB)")
    if make_zip:
        archive = zip_path(final)
        _zip(final, archive)
        print(f"压缩包 / zip: {archive} ({archive.stat().st_size / 2**20:.0f} MiB)")
    print(f"用时 / took {time.perf_counter() - started:.0f} s")
    return final


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="output folder (dist/)")
    parser.add_argument("--no-zip", action="store_true", help="do not write the .zip")
    parser.add_argument(
        "--target",
        action="append",
        choices=[t.name for t in TARGETS],
        help="only these targets (default: all four)",
    )
    args = parser.parse_args(argv)
    targets = [t for t in TARGETS if not args.target or t.name in args.target]
    build(args.out, targets=targets, make_zip=not args.no_zip)
    return 0


if __name__ == "__main__":
    sys.exit(main())
