"""The dashboard in a real browser: Voila serves 04_数据看板, headless Chromium changes a filter.

Run with ``make test-browser`` (needs Debian's chromium: ``make browser-deps``). The test starts
Voila on a free localhost port exactly as ``make app`` does (``python -m
xinfang_toolkit.widgets.app``: the package's page template, code hidden), opens the page with
Playwright driving the system Chromium (never a downloaded browser), reads the case count,
chooses a category, checks that the count changes to the number computed here with
``load_cases`` + the same filter, and saves a screenshot to ``out/dashboard.png``.

Every request the page makes is recorded: none may leave 127.0.0.1. The times to the first
screen (the Chinese "正在加载…"), to a usable page and of the filter change are printed (run
with ``-s``), not asserted beyond a loose sanity bound.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import NOTEBOOKS, ROOT, SAMPLE_DATA

pytestmark = pytest.mark.browser

NOTEBOOK = "04_数据看板.ipynb"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT = ROOT / "out" / "dashboard.png"
TIMEOUT_MS = 180_000  # widget rendering in Voila is slow on a small shared machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_voila(
    notebook_dir: Path, notebook: str, port: int, log, extra: tuple[str, ...] = ()
) -> subprocess.Popen:
    """Voila as ``make app`` runs it, from ``notebook_dir`` so that ../sample_data resolves.

    Its log goes to the file ``log`` (a pipe nobody reads could fill up and stall the server).
    """
    cmd = [sys.executable, "-m", "xinfang_toolkit.widgets.app", notebook, f"--port={port}", *extra]
    return subprocess.Popen(
        cmd,
        cwd=notebook_dir,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: kill the server and its kernel
    )


def wait_until_serving(proc: subprocess.Popen, port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"voila exited with code {proc.returncode}")
        try:  # any HTTP answer means the server is up (the page itself renders on GET)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("HEAD", "/api")
            conn.getresponse()
            conn.close()
            return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"voila did not answer on port {port} within {timeout} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


def read_count(page) -> int:
    return int(page.locator(".xf-kpi-box .xf-count").inner_text().replace(",", ""))


def open_page(browser, url: str, requests: list, times: dict, prefix: str):
    """Open the dashboard in a new page, recording its requests; times[prefix + "first_screen"]
    is when "正在加载…" shows, times[prefix + "usable"] when the case count does."""
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    page.on("request", lambda request: requests.append(request.url))
    t0 = time.monotonic()
    page.goto(url, timeout=TIMEOUT_MS, wait_until="commit")
    page.wait_for_selector("text=正在加载", timeout=TIMEOUT_MS)
    times[prefix + "first_screen"] = time.monotonic() - t0
    page.wait_for_selector(".xf-kpi-box .xf-count", timeout=TIMEOUT_MS)
    times[prefix + "usable"] = time.monotonic() - t0
    return page


def outside_requests(urls: list[str]) -> list[str]:
    """The URLs that would leave this machine (anything but 127.0.0.1/localhost, data:, blob:)."""
    local = {"127.0.0.1", "localhost", "::1"}
    out = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            continue
        if parts.hostname not in local:
            out.append(url)
    return out


@contextlib.contextmanager
def served(notebook_dir: Path, notebook: str, extra: tuple[str, ...] = ()):
    """Serve ``notebook`` with Voila and launch Chromium: yields (browser, url); on a failure
    the end of Voila's log is added to the error."""
    from playwright.sync_api import sync_playwright

    port = _free_port()
    log = tempfile.TemporaryFile()
    proc = start_voila(notebook_dir, notebook, port, log, extra)
    try:
        wait_until_serving(proc, port)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield browser, f"http://127.0.0.1:{port}/"
            finally:
                browser.close()
    except Exception as exc:
        log.seek(0)
        tail = log.read().decode("utf-8", "replace")[-3000:]
        raise AssertionError(f"{exc}\n--- voila log (end) ---\n{tail}") from exc
    finally:
        stop(proc)
        log.close()


def run_dashboard_check(notebook_dir: Path, data_dir: Path, screenshot: Path) -> dict:
    """Serve, open, filter by the most frequent category, check the count; return the figures
    (counts, the URLs requested and the times in seconds)."""

    from xinfang_toolkit import load_cases
    from xinfang_toolkit.analysis import classify_categories

    # the dashboard counts national first-level classes (local names mapped, as everywhere)
    cases = classify_categories(load_cases(data_dir).cases)
    category = cases["category"].value_counts().index[0]
    expected = int((cases["category"] == category).sum())
    assert 0 < expected < len(cases)

    requests: list[str] = []
    times: dict[str, float] = {}
    with served(notebook_dir, NOTEBOOK) as (browser, url):
        page = open_page(browser, url, requests, times, "")
        before = read_count(page)
        assert before == len(cases)

        select = page.locator(".xf-filter-category select")
        select.wait_for(timeout=TIMEOUT_MS)
        t1 = time.monotonic()
        select.select_option(label=f"{category} ({expected})")
        page.wait_for_function(
            "n => document.querySelector('.xf-kpi-box .xf-count')"
            "?.textContent.replace(/,/g, '') === String(n)",
            arg=expected,
            timeout=TIMEOUT_MS,
        )
        times["filter_change"] = time.monotonic() - t1
        after = read_count(page)
        # the count is written after the cards and charts: the page is up to date
        page.wait_for_timeout(500)
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot), full_page=True)
        # a second colleague opens the page: the kernel pool has a preheated kernel
        page.wait_for_timeout(15_000)
        second = open_page(browser, url, requests, times, "second_")
        assert read_count(second) == len(cases)
    return {
        "before": before,
        "after": after,
        "expected": expected,
        "category": category,
        "requests": requests,
        "times": times,
    }


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian chromium: make browser-deps")
def test_dashboard_filter_changes_count_in_browser():
    assert shutil.which("voila", path=str(Path(sys.executable).parent)), "voila is not installed"
    got = run_dashboard_check(NOTEBOOKS, SAMPLE_DATA, SCREENSHOT)
    assert got["after"] == got["expected"] != got["before"]
    assert SCREENSHOT.stat().st_size > 10_000
    assert got["requests"] and not outside_requests(got["requests"]), outside_requests(
        got["requests"]
    )
    times = got["times"]
    print(
        f"\n首屏(正在加载…) {times['first_screen']:.2f} s, 可用 {times['usable']:.2f} s, "
        f"筛选后更新 {times['filter_change']:.2f} s; 第二位访问者: 首屏 "
        f"{times['second_first_screen']:.2f} s, 可用 {times['second_usable']:.2f} s; "
        f"{len(got['requests'])} requests, all local"
    )
    # loose sanity bound only (a shared machine): the page comes up and answers at all
    assert times["first_screen"] < times["usable"] < 170


def test_outside_requests_are_recognised():
    urls = [
        "http://127.0.0.1:8866/voila/static/voila.js",
        "data:image/png;base64,xyz",
        "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5/css/all.min.css",
    ]
    assert outside_requests(urls) == [urls[2]]


#: markup that counts its own runs in ``window.__xf_xss`` if the page ever executes it
PLANT = '<img src=x onerror="window.__xf_xss=(window.__xf_xss||0)+1">'

PLANTED_NOTEBOOK = f"""
import pandas as pd
from xinfang_toolkit.schema import conform_cases
from xinfang_toolkit.widgets import Dashboard

P = {PLANT!r}
n = 30
cases = conform_cases(pd.DataFrame({{
    "case_id": [f"C{{i}}{{P}}" for i in range(n)],
    "received_date": pd.date_range("2026-01-01", periods=n, freq="7D"),
    "category": [f"城建{{P}}" if i % 2 else "民政" for i in range(n)],
    "locality": [f"东城镇{{P}}" if i % 2 else "西城镇" for i in range(n)],
    "summary": [f"反映{{P}}<script>window.__xf_xss = 99</script>"] * n,
    "petitioner": [f"王{{P}}"] * n,
    "responsible_unit": [P] * n,
}}))
Dashboard(cases, today="2026-11-20")
"""


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian chromium: make browser-deps")
def test_planted_markup_never_runs_in_the_page(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 注入测试"),
        nbformat.v4.new_code_cell(PLANTED_NOTEBOOK),
    ]
    nbformat.write(nb, tmp_path / "planted.ipynb")
    dialogs: list[str] = []
    with served(tmp_path, "planted.ipynb", ("--preheat_kernel=False",)) as (browser, url):
        page = open_page(browser, url, [], {}, "")
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        assert read_count(page) == 30
        # categories are national classes on the page; the planted text stays in 问题属地
        select = page.locator(".xf-filter-locality select")
        select.select_option(label=f"东城镇{PLANT} (15)")
        page.wait_for_function(
            "() => document.querySelector('.xf-count-box')?.textContent.includes('问题属地')",
            timeout=TIMEOUT_MS,
        )
        page.wait_for_timeout(1000)
        ran_after_choice = page.evaluate("() => window.__xf_xss")
        assert read_count(page) == 15
        search = page.locator("input[placeholder^='关键词']")
        search.fill(PLANT)
        search.press("Enter")
        page.wait_for_function(
            "() => document.querySelector('.xf-count-box')?.textContent.includes('onerror')",
            timeout=TIMEOUT_MS,
        )
        page.get_by_text("逐件浏览").click()
        page.wait_for_timeout(1500)
        shown = page.locator(".xf-count-box").inner_text()
        ran = page.evaluate("() => window.__xf_xss")
    assert ran_after_choice is None, "planted markup ran after choosing its locality"
    assert PLANT in shown  # shown as the characters typed
    assert ran is None and not dialogs


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian chromium: make browser-deps")
def test_an_open_page_keeps_its_kernel_while_idle_kernels_are_culled():
    """The page server stops kernels idle with no page connected; a page left open past that
    timeout still answers a filter change (its kernel is connected, so it is kept)."""
    from xinfang_toolkit import load_cases
    from xinfang_toolkit.analysis import classify_categories

    cases = classify_categories(load_cases(SAMPLE_DATA).cases)
    category = cases["category"].value_counts().index[0]
    expected = int((cases["category"] == category).sum())
    cull = ("--MappingKernelManager.cull_idle_timeout=8", "--MappingKernelManager.cull_interval=2")
    with served(NOTEBOOKS, NOTEBOOK, cull) as (browser, url):
        page = open_page(browser, url, [], {}, "")
        assert read_count(page) == len(cases)
        page.wait_for_timeout(20_000)  # idle well past the timeout
        page.locator(".xf-filter-category select").select_option(label=f"{category} ({expected})")
        page.wait_for_function(
            "n => document.querySelector('.xf-kpi-box .xf-count')"
            "?.textContent.replace(/,/g, '') === String(n)",
            arg=expected,
            timeout=TIMEOUT_MS,
        )
        assert read_count(page) == expected
