"""``xinfang doctor``: what is installed and whether it works, in Chinese, each problem with its fix.

Each check returns a :class:`Check` (名称, 结果, 说明, 解决办法). A check that fails (``fail``)
means the toolkit cannot do its work; a warning (``warn``) means something works worse than it
should (a Word font that falls back to another). The command exits 0 when no check fails, else 1.
Nothing here writes outside a temporary file in the working folder, and nothing reaches the
network.
"""

from __future__ import annotations

import importlib
import importlib.metadata as metadata
import json
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

OK, WARN, FAIL = "ok", "warn", "fail"
_MARK = {OK: "正常", WARN: "注意", FAIL: "问题"}

#: the Python versions the offline bundle carries wheels for
BUNDLE_PYTHONS = ((3, 11), (3, 12))
#: the modules each dependency is imported as, where the name differs
_IMPORT_NAMES = {
    "python-calamine": "python_calamine",
    "python-docx": "docx",
    "scikit-learn": "sklearn",
    "pyyaml": "yaml",
    "chinese-calendar": "chinese_calendar",
    "charset-normalizer": "charset_normalizer",
    "pyahocorasick": "ahocorasick",
    "noto-cjk-sans-otc": "noto_cjk_sans_otc",
    "ipywidgets": "ipywidgets",
    "faker": "faker",
    # the zh-CN JupyterLab language pack (lab extra): its module keeps the upper-case CN
    "jupyterlab-language-pack-zh-cn": "jupyterlab_language_pack_zh_CN",
}
#: the East Asian fonts of the Word report (see report._docx): font and its fallback
_WORD_FONTS = (
    ("仿宋_GB2312", "仿宋", "FangSong"),
    ("黑体", "SimHei"),
    ("方正小标宋简体", "宋体", "SimSun"),
)


@dataclass(frozen=True)
class Check:
    """One line of the self-check."""

    name: str
    status: str
    detail: str
    fix: str = ""

    @property
    def ok(self) -> bool:
        return self.status != FAIL


# --- the checks --------------------------------------------------------------------------------


def check_python() -> Check:
    v = sys.version_info
    here = f"Python {v.major}.{v.minor}.{v.micro}（{sys.executable}）"
    if (v.major, v.minor) < (3, 10):
        return Check(
            "Python", FAIL, here, "请安装 Python 3.11 或 3.12（python.org）后重新安装本工具。"
        )
    if (v.major, v.minor) not in BUNDLE_PYTHONS:
        return Check(
            "Python",
            WARN,
            here + "；离线安装包只带 3.11 和 3.12 的软件包",
            "联网安装不受影响；离线安装请使用 Python 3.11 或 3.12。",
        )
    return Check("Python", OK, here)


def _requirements(dist: str = "xinfang_toolkit", extra: str = "lab") -> list[tuple[str, str]]:
    """(name, requirement text) of the package's dependencies and those of ``extra``."""
    found = []
    for text in metadata.requires(dist) or []:
        name = re.split(r"[\s<>=!~;\[(]", text, maxsplit=1)[0]
        marker = text.split(";", 1)[1] if ";" in text else ""
        if "extra" in marker and f'"{extra}"' not in marker and f"'{extra}'" not in marker:
            continue
        found.append((name, text.split(";", 1)[0].strip()))
    return found


def _satisfies(requirement: str, version: str) -> bool:
    try:
        from packaging.requirements import Requirement
    except ImportError:  # packaging is not a declared dependency: presence is enough then
        return True
    return Requirement(requirement).specifier.contains(version, prereleases=True)


def check_packages(
    requirements: Iterable[tuple[str, str]] | None = None,
    *,
    version_of: Callable[[str], str] = metadata.version,
    importer: Callable[[str], object] = importlib.import_module,
) -> Check:
    """Every dependency installed, of a version the package asks for, and importable."""
    try:
        reqs = list(requirements) if requirements is not None else _requirements()
    except metadata.PackageNotFoundError:
        return Check(
            "软件包", FAIL, "没有安装 xinfang_toolkit", "在项目文件夹中运行 pip install -e .[lab]。"
        )
    problems = []
    for name, req in reqs:
        try:
            ver = version_of(name)
        except metadata.PackageNotFoundError:
            problems.append(f"缺少 {name}")
            continue
        if not _satisfies(req, ver):
            problems.append(f"{name} {ver} 不符合 {req}")
            continue
        module = _IMPORT_NAMES.get(name.lower(), name.lower().replace("-", "_"))
        try:
            with warnings.catch_warnings():  # an old package's SyntaxWarning is not a fault
                warnings.simplefilter("ignore")
                importer(module)
        except Exception as exc:  # a broken install: any error on import is the finding
            problems.append(f"{name} 无法导入（{type(exc).__name__}: {exc}）")
    from . import __version__

    if problems:
        return Check(
            "软件包",
            FAIL,
            "；".join(problems),
            "重新运行安装（离线安装包：安装.bat 或 install.sh；联网：pip install -e .[lab]）。",
        )
    return Check("软件包", OK, f"xinfang_toolkit {__version__}，{len(reqs)} 个依赖均已安装并可导入")


def check_kernel(find_specs: Callable[[], dict[str, str]] | None = None) -> Check:
    """The Jupyter kernel the notebooks ask for (python3) exists and runs this Python."""
    try:
        if find_specs is None:
            from jupyter_client.kernelspec import KernelSpecManager

            find_specs = KernelSpecManager().find_kernel_specs
        specs = find_specs()
    except ImportError:
        return Check(
            "Jupyter 内核",
            FAIL,
            "没有安装 Jupyter",
            "重新运行安装（pip install -e .[lab]），笔记本需要 JupyterLab。",
        )
    fix = f'运行 "{sys.executable}" -m ipykernel install --sys-prefix --name python3'
    if "python3" not in specs:
        return Check("Jupyter 内核", FAIL, "找不到 python3 内核，笔记本无法运行", fix)
    spec_file = Path(specs["python3"]) / "kernel.json"
    try:
        argv = json.loads(spec_file.read_text(encoding="utf-8")).get("argv", [])
    except (OSError, ValueError):
        return Check("Jupyter 内核", FAIL, f"内核说明文件无法读取：{spec_file}", fix)
    exe = argv[0] if argv else ""
    if exe not in ("python", "python3", "{python}") and not Path(exe).exists():
        return Check("Jupyter 内核", FAIL, f"内核指向的 Python 不存在：{exe}", fix)
    return Check("Jupyter 内核", OK, f"python3 内核：{specs['python3']}")


def _font_names() -> set[str]:
    from matplotlib import font_manager

    return {f.name for f in font_manager.fontManager.ttflist}


def check_chart_font(register: Callable[[], str] | None = None) -> Check:
    """The CJK font the charts use can be registered."""
    try:
        if register is None:
            from ._base.fonts import register_font as register
        family = register()
    except Exception as exc:  # no font file, or matplotlib cannot read it
        return Check(
            "图表中文字体",
            FAIL,
            f"找不到中文字体，图表中的汉字会显示为方框（{exc}）",
            "重新安装 noto-cjk-sans-otc（随本工具安装），或安装系统的思源黑体/文泉驿字体。",
        )
    return Check("图表中文字体", OK, family)


def check_word_fonts(names: Callable[[], set[str]] = _font_names) -> Check:
    """The fonts of the Word report (仿宋_GB2312, 黑体, 方正小标宋简体 or their fallbacks)."""
    have = names()
    missing = [group[0] for group in _WORD_FONTS if not any(f in have for f in group)]
    if missing:
        return Check(
            "Word 公文字体",
            WARN,
            "本机没有：" + "、".join(missing) + "（Word/WPS 会用其他字体代替，版式可能变化）",
            "在打开 Word 文件的电脑上安装这些字体（Windows 自带 仿宋、黑体、宋体）。",
        )
    return Check("Word 公文字体", OK, "仿宋、黑体、宋体（或其公文字体）均已安装")


def check_writable(folder: Path | None = None) -> Check:
    """The working folder takes new files (outputs are written there first, then renamed)."""
    folder = Path.cwd() if folder is None else Path(folder)
    try:
        fd, name = tempfile.mkstemp(prefix=".xinfang-doctor-", dir=folder)
        os.close(fd)
        os.remove(name)
    except OSError as exc:
        return Check(
            "工作文件夹写权限",
            FAIL,
            f"{folder} 不能写入（{exc.strerror or exc}）",
            "换一个有写权限的文件夹运行（例如“文档”下新建一个文件夹），或请管理员开放权限。",
        )
    return Check("工作文件夹写权限", OK, str(folder))


def check_archive(path: Path | None = None) -> Check:
    """The case archive, if one exists where the commands look for it, opens and answers."""
    from .archive._names import DEFAULT_PATH

    path = Path(DEFAULT_PATH).expanduser() if path is None else Path(path)
    if not path.exists():
        return Check("案件归档", OK, f"尚未建立（{path}）；导入台账时自动新建")
    try:
        from .archive import CaseArchive

        status = CaseArchive(path).status()
    except Exception as exc:  # ArchiveError, or a damaged file DuckDB refuses
        return Check(
            "案件归档",
            FAIL,
            f"{path} 无法打开：{exc}",
            "用备份替换该文件，或用 --archive 指定另一个归档文件。",
        )
    return Check(
        "案件归档",
        OK,
        f"{path}：{status['cases']} 件，{status['imports']} 次导入",
    )


def find_bundle(start: Path | None = None) -> Path | None:
    """The offline bundle this installation came from: ``XINFANG_BUNDLE``, else the working
    folder or one of its parents holding a ``bundle.json``."""
    env = os.environ.get("XINFANG_BUNDLE")
    if env:
        return Path(env)
    here = Path.cwd() if start is None else Path(start)
    for folder in (here, *here.parents):
        if (folder / "bundle.json").is_file():
            return folder
    return None


def check_bundle(folder: Path | None = None) -> Check:
    """Every wheel the bundle's manifest lists is there with its size (completeness)."""
    folder = find_bundle() if folder is None else Path(folder)
    if folder is None:
        return Check("离线安装包", OK, "不是从离线安装包安装（不需要检查）")
    try:
        data = json.loads((folder / "bundle.json").read_text(encoding="utf-8"))
        wheels = data["wheels"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return Check(
            "离线安装包",
            FAIL,
            f"{folder} 的清单 bundle.json 无法读取（{exc}）",
            "重新拷贝完整的离线安装包。",
        )
    bad = []
    for name, info in wheels.items():
        path = folder / "wheels" / name
        if not path.is_file():
            bad.append(f"缺少 {name}")
        elif path.stat().st_size != info.get("size"):
            bad.append(f"{name} 大小不对（拷贝不完整）")
    if bad:
        shown = "；".join(bad[:5]) + (f" 等 {len(bad)} 个" if len(bad) > 5 else "")
        return Check("离线安装包", FAIL, shown, "重新拷贝完整的离线安装包（或 zip 文件）后再安装。")
    targets = "、".join(data.get("targets", {}))
    return Check("离线安装包", OK, f"{folder}：{len(wheels)} 个软件包齐全（{targets}）")


CHECKS: tuple[Callable[[], Check], ...] = (
    check_python,
    check_packages,
    check_kernel,
    check_chart_font,
    check_word_fonts,
    check_writable,
    check_archive,
    check_bundle,
)


def run_checks(checks: Iterable[Callable[[], Check]] = CHECKS) -> list[Check]:
    """Every check; one that raises is reported as a problem, never a traceback."""
    results = []
    for check in checks:
        try:
            results.append(check())
        except Exception as exc:  # the self-check must report, not crash
            name = (check.__doc__ or check.__name__).strip().splitlines()[0]
            results.append(Check(name, FAIL, f"检查时出错：{type(exc).__name__}: {exc}", ""))
    return results


def format_checks(results: Iterable[Check]) -> str:
    lines = ["xinfang_toolkit 自检 / self-check", ""]
    results = list(results)
    for r in results:
        lines.append(f"[{_MARK[r.status]}] {r.name}：{r.detail}")
        if r.fix and r.status != OK:
            lines.append(f"       解决办法：{r.fix}")
    failed = sum(r.status == FAIL for r in results)
    warned = sum(r.status == WARN for r in results)
    lines.append("")
    if failed:
        lines.append(f"发现 {failed} 个问题，请按上面的办法处理 / {failed} problem(s) found")
    elif warned:
        lines.append(f"可以使用，有 {warned} 项需要注意 / usable, {warned} warning(s)")
    else:
        lines.append("一切正常 / all is well")
    return "\n".join(lines)


def main() -> int:
    """Print the self-check; 0 when nothing fails, else 1."""
    results = run_checks()
    print(format_checks(results))
    return 0 if all(r.ok for r in results) else 1
