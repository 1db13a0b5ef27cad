"""The dashboard page survives its visitors: a kernel cap, idle kernels stopped, Host/Origin checked.

Stock Voila started one kernel per page request and never stopped it (12 plain requests held
2.4 GB with the dashboard notebook) and answered any Host header (the DNS-rebinding shape). The
server test starts the page exactly as ``make app`` does (``python -m
xinfang_toolkit.widgets.app``) on a one-cell notebook (the kernels are real, only lighter) and
sends plain HTTP requests; memory is the RSS of the server and its kernel processes (psutil).
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import tempfile
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinfang_toolkit.widgets import app

# --- the checks, without a server -----------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["127.0.0.1:8866", "localhost", "LOCALHOST:80", "[::1]:8866", "[::1]", "127.0.0.1"]
)
def test_this_machine_is_allowed(host):
    assert app.host_allowed(host)


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:8866",
        "evil.example",
        "127.0.0.1.evil.example",
        "localhost.evil.example:8866",
        "[::1]x",
        "127.0.0.1:abc",
        "localhost:8866:1",
        "",
        None,
        "192.168.1.10:8866",
    ],
)
def test_other_hosts_are_refused(host):
    assert not app.host_allowed(host)


def test_origins():
    assert app.origin_allowed("http://127.0.0.1:8866")
    assert app.origin_allowed("https://localhost")
    for origin in ["http://evil.example", "null", "http://127.0.0.1:8866/x", "file://", "x"]:
        assert not app.origin_allowed(origin)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789.-:[]", max_size=30))
def test_a_host_is_allowed_only_if_it_names_this_machine(host):
    name = host.lower()
    if name.startswith("["):
        name = name[1:].split("]", 1)[0]
    else:
        name = name.split(":", 1)[0]
    if app.host_allowed(host):
        assert name in app.LOCAL_NAMES


def test_local_names_follow_the_listening_address():
    assert app.local_names("127.0.0.1") == set(app.LOCAL_NAMES)
    assert app.local_names("192.168.1.10") == set(app.LOCAL_NAMES) | {"192.168.1.10"}
    assert socket.gethostname().lower() in app.local_names("0.0.0.0")
    assert app.is_loopback("127.0.0.1") and app.is_loopback("[::1]")
    assert app.is_loopback("localhost") and not app.is_loopback("0.0.0.0")


def test_argv_caps_kernels_and_culls_idle_ones():
    argv = app.voila_argv("nb.ipynb")
    assert "--max_kernels=4" in argv
    assert "--MappingKernelManager.cull_idle_timeout=300" in argv
    assert "--MappingKernelManager.cull_connected=False" in argv
    assert "--max_kernels=9" in app.voila_argv("nb.ipynb", ["--max_kernels=9"])


def test_page_server_options():
    from xinfang_toolkit.widgets._page import PageServer

    server = PageServer()
    server.parse_command_line(["--allowed_hosts=pc1", "--allowed_hosts=192.168.1.5"])
    assert server.allowed_hosts == ["pc1", "192.168.1.5"] and server.max_kernels == 4
    server.parse_command_line(["--max_kernels=3"])
    assert server.max_kernels == 3


class _Kernels:
    def __init__(self):
        self.ids: list[str] = []

    def list_kernel_ids(self):
        return list(self.ids)


def test_door_counts_tickets_until_their_kernel_stops():
    from xinfang_toolkit.widgets._page import _Door, _KernelsSeen

    kernels, door = _Kernels(), _Door({"localhost"}, 2)
    first, second = door.admit(kernels), door.admit(kernels)
    assert first is not None and second is not None
    assert door.admit(kernels) is None  # two being started: full
    kernels.ids = ["k1"]
    door.tickets[first] = "k1"
    assert door.admit(kernels) is None
    del door.tickets[second]  # that request ended without a kernel
    third = door.admit(kernels)
    assert third is not None and door.admit(kernels) is None
    kernels.ids = []  # k1 culled
    assert door.visitors(kernels) == 1

    class Manager(_Kernels):
        def start_kernel(self, **kw):
            self.ids.append("k2")
            return "k2"

    seen = _KernelsSeen(Manager(), door, third)
    import asyncio

    assert asyncio.run(seen.start_kernel(kernel_name="python3")) == "k2"
    assert door.tickets[third] == "k2" and seen.list_kernel_ids() == ["k2"]


# --- the page served ------------------------------------------------------------------------

CAP = 2  # visitors' kernels; the preheated pool holds one more
CULL = 45  # seconds idle before a visitor's kernel is stopped (more than a slow kernel start)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str = "/", headers: dict | None = None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def _tree(proc: subprocess.Popen):
    import psutil

    server = psutil.Process(proc.pid)
    return server, server.children(recursive=True)


def _kernels(proc: subprocess.Popen) -> list:
    """The kernel processes of the server (a kernel being stopped, or a zombie not yet
    reaped, holds no memory and is not counted)."""
    import psutil

    _server, children = _tree(proc)
    out = []
    for child in children:
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(child.cmdline()):
                out.append(child)
        except psutil.Error:
            pass
    return out


def _rss(proc: subprocess.Popen) -> int:
    import psutil

    server, children = _tree(proc)
    total = 0
    for p in [server, *children]:
        try:
            total += p.memory_info().rss
        except psutil.Error:  # a kernel stopping just now
            pass
    return total


def _settle(proc: subprocess.Popen, timeout: float = 120) -> int:
    """Wait until the number of kernel processes stops changing (the pool refilled); return it."""
    deadline, last, since = time.monotonic() + timeout, -1, time.monotonic()
    while time.monotonic() < deadline:
        n = len(_kernels(proc))
        if n != last:
            last, since = n, time.monotonic()
        elif time.monotonic() - since > 4:
            return n
        time.sleep(0.5)
    return last


def _stop(proc: subprocess.Popen) -> None:
    import psutil

    try:
        _server, children = _tree(proc)
    except psutil.NoSuchProcess:
        children = []
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=20)
    for child in children:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass


@pytest.mark.slow
def test_fifty_requests_hold_no_more_than_a_few_and_strangers_are_refused(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 小看板"), nbformat.v4.new_code_cell("n = 1\nn")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, tmp_path / "small.ipynb")
    port = _free_port()
    log = tempfile.TemporaryFile()
    cmd = [
        sys.executable,
        "-m",
        "xinfang_toolkit.widgets.app",
        "small.ipynb",
        f"--port={port}",
        f"--max_kernels={CAP}",
        f"--MappingKernelManager.cull_idle_timeout={CULL}",
        "--MappingKernelManager.cull_interval=2",
    ]
    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, "the page server exited"
            try:
                _get(port, "/voila/static/voila.js")
                break
            except OSError:
                assert time.monotonic() < deadline, "the page server did not answer"
                time.sleep(0.5)

        # strangers: another Host (DNS rebinding) or another site's page (Origin)
        status, body = _get(port, "/", {"Host": f"evil.example:{port}"})
        assert status == 403 and "拒绝访问" in body
        status, _ = _get(port, "/voila/static/voila.js", {"Host": "evil.example"})
        assert status == 403
        status, body = _get(port, "/", {"Origin": "http://evil.example"})
        assert status == 403 and "其他网站" in body
        status, _ = _get(port, "/api/kernels/x/channels", {"Origin": "http://evil.example"})
        assert status == 403
        assert _get(port, "/voila/static/voila.js", {"Host": f"localhost:{port}"})[0] == 200

        # a few visitors
        statuses = [_get(port)[0] for _ in range(3)]
        assert statuses == [200] * CAP + [503]
        few_kernels = _settle(proc)
        few = _rss(proc)
        # fifty visitors in all: the cap holds, the others get the Chinese "try later" page
        busy = 0
        for _ in range(47):
            status, body = _get(port)
            busy += status == 503 and "看板正忙" in body
            assert len(_kernels(proc)) <= CAP + 1 + 1, "a kernel per request"
        assert busy >= 40
        fifty_kernels = _settle(proc)
        fifty = _rss(proc)
        print(
            f"\n3 个请求后: {few_kernels} 个内核, {few / 2**20:.0f} MB; "
            f"50 个请求后: {fifty_kernels} 个内核, {fifty / 2**20:.0f} MB"
        )
        assert fifty_kernels <= few_kernels
        assert fifty <= few * 1.15 + 30 * 2**20

        # kernels nobody uses are stopped: only the preheated one is left, the page opens again
        deadline = time.monotonic() + CULL + 60
        while len(_kernels(proc)) > 1 and time.monotonic() < deadline:
            time.sleep(1)
        assert len(_kernels(proc)) == 1
        assert _get(port)[0] == 200
    except BaseException:
        log.seek(0)
        print(log.read().decode("utf-8", "replace")[-3000:])
        raise
    finally:
        _stop(proc)
        log.close()
