"""Serve a dashboard notebook as a web page with Voila, on this machine only.

``python -m xinfang_toolkit.widgets.app notebooks/04_数据看板.ipynb`` (what ``make app`` runs;
it works the same on Windows) starts Voila on http://127.0.0.1:8866 with the package's "xinfang"
page template: code hidden, no request to any outside server (the stock template asks a CDN
for Font Awesome), a Chinese first screen ("正在加载…") sent before the kernel starts, no tracebacks
shown to the page's visitors, and one kernel preheated (the notebook already run when the first
colleague opens the page; ``--preheat_kernel=False`` turns it off). Extra options are passed on to Voila
(``--port=8870``, ...).

The page survives its visitors (:mod:`._page`): it answers only requests addressed to this
machine (Host ``127.0.0.1``/``localhost``/``[::1]``; a page of another site, by its Origin
header, is refused), gives at most ``--max_kernels=4`` visitors a kernel at once (a Chinese
"请稍后再试" page beyond that) and stops the kernels of visitors who are gone: a kernel without
an open page is culled after ``cull_idle_timeout`` seconds idle (jupyter_server's culler,
``--MappingKernelManager.cull_idle_timeout=...``); an open page keeps its kernel. To serve the
office network: ``--Voila.ip=0.0.0.0 --allowed_hosts=看板电脑的名字或地址``.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "TEMPLATE",
    "template_root",
    "voila_argv",
    "main",
    "host_allowed",
    "origin_allowed",
    "local_names",
]

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
    # at most this many visitors' kernels at once; more visitors get a "try again later" page
    "--max_kernels=4",
    # a visitor's kernel idle this long with no page connected to it is stopped (a page left
    # open keeps its kernel; a request that never opened the page frees it after this time)
    "--MappingKernelManager.cull_idle_timeout=300",
    "--MappingKernelManager.cull_interval=30",
    "--MappingKernelManager.cull_connected=False",
)

#: the names of this machine a browser may use for the page (``[::1]`` without brackets)
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def is_loopback(ip: str) -> bool:
    """Whether Voila's listening address ``ip`` is this machine only."""
    if ip.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(ip.strip("[]")).is_loopback
    except ValueError:
        return False


def local_names(ip: str) -> set[str]:
    """The Host names a request may carry when Voila listens on ``ip``: this machine always; the
    address itself when it is a specific one; on all interfaces (``0.0.0.0``/``::``) the
    computer's name and the addresses it resolves to."""
    names = set(LOCAL_NAMES)
    bare = ip.strip("[]").lower()
    if bare in ("", "0.0.0.0", "::"):
        host = socket.gethostname()
        names |= {host.lower(), socket.getfqdn(host).lower()}
        try:
            names |= {str(a[4][0]).lower() for a in socket.getaddrinfo(host, None)}
        except OSError:
            pass
    elif not is_loopback(bare):
        names.add(bare)
    return names


def _hostname(netloc: str) -> str | None:
    """The host of ``name[:port]`` or ``[v6]:port``, lower case; None if malformed."""
    netloc = netloc.strip().lower()
    if netloc.startswith("["):
        end = netloc.find("]")
        if end < 0 or (netloc[end + 1 :] and netloc[end + 1] != ":"):
            return None
        host, port = netloc[1:end], netloc[end + 2 :]
    else:
        host, _, port = netloc.partition(":")
    if port and not port.isdigit():
        return None
    return host or None


def host_allowed(host: str | None, names: set[str] | frozenset[str] = LOCAL_NAMES) -> bool:
    """Whether a request's Host header names this machine (``names``, port ignored)."""
    return host is not None and _hostname(host) in names


def origin_allowed(origin: str, names: set[str] | frozenset[str] = LOCAL_NAMES) -> bool:
    """Whether a request's Origin header (``scheme://host[:port]``) is a page of this machine."""
    scheme, sep, rest = origin.strip().partition("://")
    if not sep or scheme.lower() not in ("http", "https") or "/" in rest:
        return False
    return host_allowed(rest, names)


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
    from ._page import PageServer

    PageServer.launch_instance(argv=voila_argv(notebook, extra))


if __name__ == "__main__":
    main()
