"""Serve a dashboard notebook as a web page with Voila, on this machine only.

``python -m xinfang_toolkit.widgets.app notebooks/04_数据看板.ipynb`` (what ``make app`` runs;
it works the same on Windows) starts Voila on http://127.0.0.1:8866 with the package's "xinfang"
page template: code hidden, no request to any outside server (the stock template asks a CDN
for Font Awesome), a Chinese first screen ("正在加载…") sent before the kernel starts, no tracebacks
shown to the page's visitors, and one kernel preheated (the notebook already run when the first
colleague opens the page; ``--preheat_kernel=False`` turns it off). Extra options are passed on to Voila
(``--port=8870``, ``--Voila.ip=0.0.0.0`` to serve the office network, ...).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["TEMPLATE", "template_root", "voila_argv", "main"]

#: the name of the page template shipped in ``widgets/jupyter/voila/templates/``
TEMPLATE = "xinfang"

DEFAULTS: tuple[str, ...] = (
    "--no-browser",
    "--Voila.ip=127.0.0.1",
    "--port=8866",
    "--strip_sources=True",
    "--show_tracebacks=False",
    # one kernel runs the notebook before anyone asks: the page opens at once. After each visit
    # the pool starts the next kernel, which reads the ledgers again (new files show up then).
    "--preheat_kernel=True",
    "--pool_size=1",
)


def template_root() -> Path:
    """The Jupyter data folder holding ``voila/templates/xinfang`` (put on JUPYTER_PATH)."""
    return Path(__file__).resolve().parent / "jupyter"


def voila_argv(notebook: str | os.PathLike, extra: Sequence[str] = ()) -> list[str]:
    """Voila's command-line arguments: the notebook, the defaults, then ``extra`` (which win)."""
    given = {a.split("=", 1)[0] for a in extra if a.startswith("--")}
    defaults = [a for a in DEFAULTS if a.split("=", 1)[0] not in given]
    return [str(notebook), *defaults, f"--template={TEMPLATE}", *extra]


def _with_template_path(environ: dict[str, str]) -> dict[str, str]:
    paths = [str(template_root())]
    if environ.get("JUPYTER_PATH"):
        paths.append(environ["JUPYTER_PATH"])
    return {**environ, "JUPYTER_PATH": os.pathsep.join(paths)}


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        print("用法 / usage: python -m xinfang_toolkit.widgets.app 笔记本.ipynb [Voila 选项]")
        return
    notebook, extra = args[0], args[1:]
    if not Path(notebook).is_file():
        print(f"找不到笔记本文件: {notebook} / notebook not found", file=sys.stderr)
        raise SystemExit(2)
    os.environ.update(_with_template_path(dict(os.environ)))
    from voila.app import Voila

    Voila.launch_instance(argv=voila_argv(notebook, extra))


if __name__ == "__main__":
    main()
