"""FilterPanel and Dashboard responsiveness on 1,000,000 cases (no browser): ms per change.

Measures the panel's handler (mask + count + masked head table, and with the two small charts)
for a sequence of filter changes, and a naive baseline measured in the same run: a plain pandas
boolean filter over the frame plus a copy of the result per change (what a notebook cell would
do). Target: < 200 ms per change for the panel.

Then the whole Dashboard (count, KPI cards from analysis.kpis, six HTML charts, the case
browser) per change, beside the baseline "naive cards": the pandas filter + copy + analysis.kpis
on the copy + one matplotlib chart (plots.plot_by_category to PNG), what the dashboard did
per chart before. Target: < 1 s per change on 1,000,000 cases.

    .venv/bin/python benchmarks/bench_widgets.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

import numpy as np
import pandas as pd

from xinfang_toolkit.widgets import Dashboard, FilterPanel


def make_cases(rows: int, *, seed: int = 0) -> pd.DataFrame:
    """``rows`` cases: a synthetic base from synth.generate_cases, resampled with shifted dates."""
    from xinfang_toolkit import analysis, synth

    base_n = min(rows, 20_000)
    t = time.perf_counter()
    base = analysis.enrich(synth.generate_cases(n=base_n, seed=seed), today="2026-11-20")
    print(f"synth.generate_cases({base_n:,}) + analysis.enrich: {time.perf_counter() - t:.1f} s")
    rng = np.random.default_rng(seed)
    take = rng.integers(0, len(base), rows)
    out = base.iloc[take].reset_index(drop=True)
    shift = pd.to_timedelta(rng.integers(-30, 30, rows), unit="D")
    out["received_date"] = out["received_date"] + shift
    out["case_id"] = pd.array([f"B{i:07d}" for i in range(rows)], dtype="string")
    return out


def _changes(panel: FilterPanel) -> list[tuple[str, object]]:
    """(name, action) pairs; each action changes one control of the panel."""
    cats = [v for _, v in panel.category.options][:2]
    locs = [v for _, v in panel.locality.options][:3]
    return [
        ("内容分类=2类", lambda: setattr(panel.category, "value", tuple(cats))),
        ("问题属地=3个", lambda: setattr(panel.locality, "value", tuple(locs))),
        ("信访去向=市/省/国家", lambda: setattr(panel.visit_level, "value", ("市", "省", "国家"))),
        ("登记日期起", lambda: setattr(panel.start, "value", dt.date(2025, 6, 1))),
        ("登记日期止", lambda: setattr(panel.end, "value", dt.date(2026, 6, 30))),
        ("只看集体访", lambda: setattr(panel.group_only, "value", True)),
        ("取消集体访", lambda: setattr(panel.group_only, "value", False)),
        ("信访形式=来访", lambda: setattr(panel.channel, "value", ("来访",))),
        ("办理状态=已超期", lambda: setattr(panel.status, "value", ("已超期",))),
        ("重置", panel.reset),
    ]


def time_panel(cases: pd.DataFrame, *, charts: bool) -> list[float]:
    t = time.perf_counter()
    panel = FilterPanel(cases, charts=charts)
    print(f"  FilterPanel(charts={charts}) built in {time.perf_counter() - t:.2f} s")
    return time_changes(panel)


def time_changes(panel: FilterPanel) -> list[float]:
    """Apply each of :func:`_changes` to the panel (and whatever follows it): ms per change."""
    times = []
    for name, action in _changes(panel):
        t = time.perf_counter()
        action()
        ms = (time.perf_counter() - t) * 1000
        times.append(ms)
        print(f"    {name:<16} {ms:7.1f} ms  -> {panel.count:,} 件")
    return times


def time_naive(cases: pd.DataFrame, cats, locs) -> list[float]:
    """Plain pandas: rebuild the whole condition and copy the matching rows on every change."""
    state: dict = {}
    steps = [
        ("category", cats),
        ("locality", locs),
        ("visit_level", ["市", "省", "国家"]),
        ("start", pd.Timestamp("2025-06-01")),
        ("end", pd.Timestamp("2026-06-30")),
        ("group", True),
        ("group", False),
        ("channel", ["来访"]),
        ("status", ["已超期"]),
        ("reset", None),
    ]
    times = []
    for key, value in steps:
        t = time.perf_counter()
        if key == "reset":
            state.clear()
        else:
            state[key] = value
        cond = pd.Series(True, index=cases.index)
        for col in ("category", "locality", "visit_level", "channel", "status"):
            if state.get(col):
                cond &= cases[col].isin(state[col]).fillna(False)
        if state.get("start") is not None:
            cond &= cases["received_date"] >= state["start"]
        if state.get("end") is not None:
            cond &= cases["received_date"] <= state["end"]
        if state.get("group"):
            cond &= cases["is_group"].fillna(False)
        out = cases[cond].copy()
        _ = len(out), out.head(10)
        times.append((time.perf_counter() - t) * 1000)
    return times


def time_dashboard(cases: pd.DataFrame) -> list[float]:
    t = time.perf_counter()
    board = Dashboard(cases, today="2026-11-20")
    print(f"  Dashboard built in {time.perf_counter() - t:.2f} s")
    return time_changes(board.panel)


def time_naive_cards(cases: pd.DataFrame, cats) -> list[float]:
    """Filter + copy + analysis.kpis + one matplotlib PNG, for three changes."""
    from xinfang_toolkit import analysis, plots

    times = []
    for cond in (
        cases["category"].isin(cats).fillna(False),
        cases["visit_level"].isin(["市", "省", "国家"]).fillna(False),
        pd.Series(True, index=cases.index),
    ):
        t = time.perf_counter()
        sub = cases[cond].copy()
        analysis.kpis(sub, today="2026-11-20")
        plots.to_png(plots.plot_by_category(sub, top=12, figsize=(6, 3.4)), dpi=72)
        times.append((time.perf_counter() - t) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    cases = make_cases(args.rows)
    print(f"cases: {len(cases):,} rows x {cases.shape[1]} columns")

    print("FilterPanel, count + masked head table:")
    fast = time_panel(cases, charts=False)
    print("FilterPanel, count + table + 2 charts:")
    full = time_panel(cases, charts=True)

    panel = FilterPanel(cases, charts=False)
    t = time.perf_counter()
    panel.search.value = "补偿"
    first = (time.perf_counter() - t) * 1000
    t = time.perf_counter()
    panel.visit_level.value = ("市",)
    cached = (time.perf_counter() - t) * 1000
    print(f"text search '补偿' (on Enter): {first:.0f} ms; next change reuses it: {cached:.1f} ms")

    cats = [v for _, v in panel.category.options][:2]
    locs = [v for _, v in panel.locality.options][:3]
    naive = time_naive(cases, cats, locs)

    med = statistics.median
    print()
    print(f"rows: {len(cases):,}")
    print(f"FilterPanel (count+table)        median {med(fast):6.1f} ms, max {max(fast):6.1f} ms")
    print(f"FilterPanel (count+table+charts) median {med(full):6.1f} ms, max {max(full):6.1f} ms")
    print(f"naive pandas filter + copy       median {med(naive):6.1f} ms, max {max(naive):6.1f} ms")
    print(f"speed-up vs naive (median): {med(naive) / med(fast):.1f}x (count+table), "
          f"{med(naive) / med(full):.1f}x (with charts)")  # fmt: skip
    verdict = "OK" if max(full) < 200 else "ABOVE"
    print(f"target < 200 ms per change (with charts, worst change): {verdict}")

    print()
    print("Dashboard (count + cards + 6 HTML charts + case browser):")
    board = time_dashboard(cases)
    naive_cards = time_naive_cards(cases, cats)
    print(f"Dashboard per change             median {med(board):6.1f} ms, max {max(board):6.1f} ms")
    print(f"naive cards (copy+kpis+1 PNG)    median {med(naive_cards):6.1f} ms, "
          f"max {max(naive_cards):6.1f} ms")  # fmt: skip
    print(f"ratio Dashboard / naive cards (median): {med(board) / med(naive_cards):.2f}")
    verdict = "OK" if max(board) < 1000 else "ABOVE"
    print(f"target < 1 s per change (Dashboard, worst change): {verdict}")


if __name__ == "__main__":
    main()
