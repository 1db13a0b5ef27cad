"""Speed of case analytics on many cases: deadlines, repeat chains, hotspots, enrich, summarize.

    python benchmarks/bench_analysis.py                  # 1,000,000 cases (the issue's size)
    python benchmarks/bench_analysis.py --rows 200000    # quicker

Target (2 cores): link_repeats on 1,000,000 cases < 120 s. compute_deadlines and
find_hotspots are measured too, and the preparation every surface shares (``enrich``) and
``summarize`` (which prepares the cases as of the period end and counts every figure) unless
``--skip-report``. Cases come from ``synth.generate_cases`` (repeats, hotspots,
group visits, open and overdue cases).

Baselines, measured in the same run on the first --baseline-rows cases, next to our functions
on the same rows (ratio = baseline time / ours):
- deadlines: a Python loop per case (due date, status, days taken), as one would write it;
- working days: ``chinese_calendar.find_workday`` per date vs our vectorised table lookup;
- repeats: ``privacy.person_keys`` + for each person with several cases, scikit-learn's
  TfidfVectorizer and ``cosine_similarity`` over that person's summaries + union of links;
- hotspots: all pairs inside each locality (TfidfVectorizer + ``cosine_similarity`` +
  connected components), the simple approach whose cost grows with the square of the cases.
Wall-clock and CPU seconds are both printed: on a shared machine wall time includes waiting.
"""

from __future__ import annotations

import argparse

import chinese_calendar
import numpy as np
import pandas as pd
import psutil
from _timing import Timer
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

from xinfang_toolkit import summarize
from xinfang_toolkit.analysis import compute_deadlines, enrich, find_hotspots, link_repeats
from xinfang_toolkit.analysis._calendar import add_working_days_series
from xinfang_toolkit.privacy import person_keys
from xinfang_toolkit.synth import generate_cases

TODAY = "2026-11-20"


def _rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def baseline_deadlines(cases: pd.DataFrame) -> list:
    today = pd.Timestamp(TODAY)
    out = []
    for rec, closed, given in zip(
        cases["received_date"], cases["closed_date"], cases["deadline"], strict=True
    ):
        if pd.isna(rec) or (pd.notna(closed) and closed < rec):
            out.append(("日期有误", None, None))
            continue
        due = given if pd.notna(given) else rec + pd.Timedelta(days=60)
        if pd.notna(closed):
            out.append(("已办结", (closed - rec).days, closed <= due))
        elif today > due:
            out.append(("已超期", None, None))
        elif (due - today).days <= 7:
            out.append(("即将到期", None, None))
        else:
            out.append(("办理中", None, None))
    return out


def baseline_repeats(cases: pd.DataFrame, min_similarity: float = 0.5) -> np.ndarray:
    keys = person_keys(cases)
    chain = np.arange(len(cases))
    for _, idx in pd.Series(np.arange(len(cases))).groupby(keys.to_numpy()):
        if len(idx) < 2:
            continue
        texts = cases["summary"].iloc[idx.to_numpy()].fillna("").tolist()
        try:
            m = TfidfVectorizer(analyzer="char", ngram_range=(2, 3)).fit_transform(texts)
        except ValueError:
            continue
        sim = cosine_similarity(m)
        _, comp = connected_components(sparse.csr_matrix(sim >= min_similarity), directed=False)
        chain[idx.to_numpy()] = idx.to_numpy()[np.unique(comp, return_index=True)[1]][comp]
    return chain


def baseline_hotspots(cases: pd.DataFrame, min_similarity: float = 0.5) -> int:
    found = 0
    for _, part in cases.groupby("locality"):
        texts = part["summary"].fillna("").tolist()
        m = TfidfVectorizer(analyzer="char", ngram_range=(2, 3)).fit_transform(texts)
        sim = cosine_similarity(m, dense_output=False)
        days = part["received_date"].to_numpy().astype("datetime64[D]").astype(np.int64)
        sim = sim.tocoo()
        keep = (sim.data >= min_similarity) & (np.abs(days[sim.row] - days[sim.col]) <= 90)
        graph = sparse.coo_matrix((sim.data[keep], (sim.row[keep], sim.col[keep])), shape=sim.shape)
        n, labels = connected_components(graph, directed=False)
        found += int((np.bincount(labels) >= 3).sum())
    return found


def line(name: str, t: Timer, rows: int, extra: str = "") -> None:
    rate = rows / t.wall if t.wall else float("inf")
    print(f"{name:<34} {t.wall:8.1f} s wall {t.cpu:8.1f} s CPU  {rate:>10,.0f} rows/s  {extra}")


def _report_stages(cases: pd.DataFrame, rows: int) -> None:
    """enrich, then summarize of the cases as they come (it prepares them itself) and of the
    prepared cases (figures only), with a year-on-year comparison."""
    with Timer() as t:
        prepared = enrich(cases, today=TODAY)
    backlog = int(prepared["is_backlog"].sum())
    line("enrich", t, rows, f"{backlog:,} backlog cases; RSS {_rss_mb():,.0f} MB")
    period = {"start": "2026-01-01", "end": "2026-10-31", "today": TODAY}
    with Timer() as t:
        summary = summarize(cases, **period)
    line("summarize (prepares)", t, rows, f"{summary.numbers['cases']:,} cases in the period")
    with Timer() as t:
        summarize(prepared, start="2025-11-01", end=TODAY, today=TODAY, compare="yoy")
    line("summarize (prepared, yoy)", t, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--baseline-rows", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-hotspots", action="store_true")
    parser.add_argument("--skip-report", action="store_true", help="no enrich / summarize")
    args = parser.parse_args()

    print(f"bench_analysis: {args.rows:,} cases, baselines on {args.baseline_rows:,}")
    with Timer() as t:
        cases = generate_cases(args.rows, seed=args.seed)
    line("synth.generate_cases", t, args.rows, f"RSS {_rss_mb():,.0f} MB")

    with Timer() as t:
        dl = compute_deadlines(cases, today=TODAY)
    counts = {k: int(v) for k, v in dl["status"].value_counts().items()}
    line("compute_deadlines", t, args.rows, str(counts))
    del dl

    with Timer() as t_link:
        linked = link_repeats(cases)
    chains = linked["chain_id"].nunique()
    repeats = int(linked["is_repeat"].sum())
    verdict = "OK" if t_link.wall < 120 else "over"
    line(
        "link_repeats",
        t_link,
        args.rows,
        f"{chains:,} chains, {repeats:,} repeats; target < 120 s: {verdict}; "
        f"RSS {_rss_mb():,.0f} MB",
    )
    del linked

    if not args.skip_hotspots:
        with Timer() as t:
            hot = find_hotspots(cases, today=TODAY)
        line("find_hotspots", t, args.rows, f"{len(hot):,} hotspots; RSS {_rss_mb():,.0f} MB")

    if not args.skip_report:
        _report_stages(cases, args.rows)

    print(f"\nbaselines on the first {args.baseline_rows:,} cases (ratio = baseline / ours):")
    sample = cases.iloc[: args.baseline_rows].copy()
    pairs = []
    with Timer() as ours:
        compute_deadlines(sample, today=TODAY)
    with Timer() as base:
        baseline_deadlines(sample)
    pairs.append(("deadlines (Python loop)", base, ours))

    days = sample["received_date"].dropna()
    with Timer() as ours:
        add_working_days_series(days, 5)
    with Timer() as base:
        [chinese_calendar.find_workday(5, d.date()) for d in days]
    pairs.append(("5 working days (find_workday)", base, ours))

    with Timer() as ours:
        link_repeats(sample)
    with Timer() as base:
        baseline_repeats(sample)
    pairs.append(("repeats (per-person sklearn)", base, ours))

    if not args.skip_hotspots:
        with Timer() as ours:
            find_hotspots(sample, today=TODAY)
        with Timer() as base:
            baseline_hotspots(sample)
        pairs.append(("hotspots (all pairs per locality)", base, ours))

    for name, base, ours in pairs:
        print(
            f"{name:<34} baseline {base.wall:7.2f} s (CPU {base.cpu:6.2f})  ours {ours.wall:6.2f} s"
            f" (CPU {ours.cpu:6.2f})  ratio {base.cpu / max(ours.cpu, 1e-9):6.1f}x CPU"
        )


if __name__ == "__main__":
    main()
