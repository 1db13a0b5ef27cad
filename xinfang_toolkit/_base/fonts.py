"""The CJK font charts draw Chinese text with: registered with matplotlib once, on first use.

An openly licensed font: Noto Sans CJK from the ``noto-cjk-sans-otc`` package, else one found
on the system by file name (proprietary fonts such as SimHei, Microsoft YaHei or PingFang are
never used). Registering changes no global matplotlib setting: :func:`font_rc` gives the
rcParams to use in an ``rc_context`` (or to set, when the caller means to).
"""

from __future__ import annotations

import functools
from pathlib import Path

__all__ = ["find_system_font", "font_rc", "register_font"]

#: the face of the Noto Sans CJK collection for simplified Chinese
_NOTO_SC = "Noto Sans CJK SC"

#: openly licensed CJK fonts we accept from the system, by file-name fragment (lower case),
#: best first. Proprietary fonts (SimHei, Microsoft YaHei, PingFang ...) are never used.
_SYSTEM_FONT_FILES: tuple[str, ...] = (
    "notosanscjk",
    "notosanssc",
    "sourcehansanssc",
    "sourcehansans",
    "wqy-microhei",
    "wqy-zenhei",
    "droidsansfallback",
)


def find_system_font() -> Path | None:
    """The best openly licensed CJK font file installed on the system, or None."""
    from matplotlib import font_manager

    files = font_manager.findSystemFonts()
    for fragment in _SYSTEM_FONT_FILES:
        for f in sorted(files):
            if fragment in Path(f).name.lower().replace(" ", ""):
                return Path(f)
    return None


def _candidates() -> list[Path]:
    """Font files to try, best first: the bundled Noto Sans CJK, then a system font."""
    candidates: list[Path] = []
    try:
        from noto_cjk_sans_otc import FONT_PATH

        candidates.append(Path(FONT_PATH))
    except ImportError:  # the package is a dependency, but a user may have removed it
        pass
    system = find_system_font()
    if system is not None:
        candidates.append(system)
    return candidates


@functools.cache
def register_font() -> str:
    """Register the CJK font file with matplotlib's font manager; return its family name (the
    simplified Chinese face of a collection)."""
    from matplotlib import font_manager

    for path in _candidates():
        if not path.is_file():
            continue
        before = {f.name for f in font_manager.fontManager.ttflist}
        font_manager.fontManager.addfont(str(path))
        names = [f.name for f in font_manager.fontManager.ttflist if Path(f.fname) == path]
        if _NOTO_SC in names:
            return _NOTO_SC
        sc = [n for n in names if n.endswith(" SC")]
        if sc:
            return sc[0]
        new = [n for n in names if n not in before] or names
        if new:
            return new[0]
    raise RuntimeError(
        "找不到可用的中文字体:请安装 noto-cjk-sans-otc(pip install noto-cjk-sans-otc)"
        "或系统的 Noto Sans CJK / 文泉驿字体。"
        " / No CJK font found: install the noto-cjk-sans-otc package or a Noto/WenQuanYi font."
    )


def font_rc(family: str | None = None) -> dict:
    """The rcParams that make matplotlib draw Chinese text with the CJK font.

    The font is registered on first use. ``font.family`` names the font itself (not just
    "sans-serif"), so text created under these settings keeps the font even if a later
    ``sns.set_theme()`` resets ``font.sans-serif``.
    """
    import matplotlib as mpl

    family = family or register_font()
    sans = [family] + [f for f in mpl.rcParams["font.sans-serif"] if f != family]
    return {
        "font.family": [family, "sans-serif"],
        "font.sans-serif": sans,
        "axes.unicode_minus": False,
    }
