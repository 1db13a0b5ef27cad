"""The dashboard page in a real browser: first screen, usable page, a filter change (seconds).

Serves ``notebooks/04_数据看板.ipynb`` exactly as ``make app`` does (``python -m
xinfang_toolkit.widgets.app``, the package's page template) and opens it in headless Debian
Chromium through Playwright, with the serving helpers of the browser test. Printed beside the
baseline "bare Voila page": the same launcher serving a notebook with one markdown cell and one
``print``, measured in the same run (what Voila itself costs before any of our code runs).

Targets: first screen (title and "正在加载…") within 1 s, usable within 4 s, a filter change
within 0.5 s. Needs Debian's chromium (``make browser-deps``).

Usage: python benchmarks/bench_voila.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))  # the browser test's serving helpers

BASELINE_TEXT = "基准页面已就绪"


def _bare_notebook(folder: Path) -> str:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 基准页面"),
        nbformat.v4.new_code_cell(f"print({BASELINE_TEXT!r})"),
    ]
    nbformat.write(nb, folder / "bare.ipynb")
    return "bare.ipynb"


def _bare_times(folder: Path, notebook: str) -> dict[str, float]:
    from test_browser_dashboard import TIMEOUT_MS, served

    with served(folder, notebook, ("--preheat_kernel=False",)) as (browser, url):
        page = browser.new_page()
        t0 = time.monotonic()
        page.goto(url, timeout=TIMEOUT_MS, wait_until="commit")
        page.wait_for_selector(f"text={BASELINE_TEXT}", timeout=TIMEOUT_MS)
        return {"usable": time.monotonic() - t0}


def _dashboard_times() -> dict[str, float]:
    from conftest import NOTEBOOKS, ROOT, SAMPLE_DATA
    from test_browser_dashboard import run_dashboard_check

    got = run_dashboard_check(NOTEBOOKS, SAMPLE_DATA, ROOT / "out" / "bench_dashboard.png")
    return got["times"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    from test_browser_dashboard import CHROMIUM

    if not Path(CHROMIUM).exists():
        print(f"bench_voila: skipped, needs Debian chromium at {CHROMIUM} (make browser-deps)")
        return
    bare: list[float] = []
    runs: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        name = _bare_notebook(Path(tmp))
        for _ in range(args.runs):
            bare.append(_bare_times(Path(tmp), name)["usable"])
            runs.append(_dashboard_times())
    base = statistics.median(bare)
    print(f"baseline: bare Voila page (one print) usable       median {base:6.2f} s")
    labels = {
        "first_screen": ("首屏 first screen (正在加载…)", 1.0),
        "usable": ("可用 usable (case count shown)", 4.0),
        "filter_change": ("筛选后更新 filter change", 0.5),
        "second_first_screen": ("第二位访问者 首屏 second visitor, first screen", 1.0),
        "second_usable": ("第二位访问者 可用 second visitor, usable", 4.0),
    }
    for key, (label, target) in labels.items():
        values = [r[key] for r in runs if key in r]
        if not values:
            continue
        med = statistics.median(values)
        print(
            f"{label:<44} median {med:6.2f} s  (min {min(values):.2f}, max {max(values):.2f}; "
            f"x{med / base:.2f} the bare page; target < {target} s)"
        )


if __name__ == "__main__":
    main()
