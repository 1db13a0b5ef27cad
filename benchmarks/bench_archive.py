"""Benchmark the case archive (figures printed, nothing asserted; issue 12).

1. Monthly imports: --months (12) ledgers of --monthly-rows (100,000) cases each, 30% of them
   carried over from earlier months and updated (closing date, leader), written as county .xlsx
   by synth. Each import_ledgers time vs load_cases on the same file (baseline, same run).
   Target: each import < 2x load_cases.
2. An archive of --million (1,000,000) cases built straight from frames (import_cases, 10
   monthly chunks with 30% carried-over updates): cases() (target < 2 s),
   summarize(archive.cases()) (< 10 s), history of one case (< 50 ms), file size per million.
3. --big (10,000,000) cases the same way (no Excel): cases() and one month's changes() times,
   peak resident memory (psutil, sampled; target < 8 GiB). The build and each of the two
   steps run in a fresh Python process, so a step's peak is its own, not the build's leftovers.

Usage: python benchmarks/bench_archive.py [--monthly-rows N] [--months K] [--million N]
       [--big N] [--skip-monthly] [--skip-million] [--skip-big] [--scale F]  (F multiplies every size)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from _timing import Timer
from bench_load import CATS, GIVEN, PROBLEMS, SURNAMES, TOWNS
from bench_load import PeakRSS as PeakMemory

from xinfang_toolkit import load_cases, summarize
from xinfang_toolkit.archive import CaseArchive
from xinfang_toolkit.synth import generate_cases, write_ledger

CHANNELS = ["来访", "来信", "网上信访", "来电"]
LEVELS = ["乡镇", "县区", "市", "省", "国家"]
LEADERS = ["张建国", "李红梅", "王志强", "刘海燕", None, None, None]


def fast_cases(
    rng: np.random.Generator, start: int, n: int, month_end: pd.Timestamp
) -> pd.DataFrame:
    """n clean synthetic cases numbered from ``start``, received in the 60 days before month_end
    (vectorised; no Excel), with a person_key column. 85% closed by the month end (3 to 60 days
    after receipt, at the latest on the month end), as in an office that closes most cases in
    time: the open ones come back in later ledgers (:func:`carried`)."""
    pick = lambda values: np.asarray(values, dtype=object)[rng.integers(0, len(values), n)]  # noqa: E731
    received = month_end - pd.to_timedelta(rng.integers(0, 60, n), unit="D")
    closed = received + pd.to_timedelta(rng.integers(3, 61, n), unit="D")
    closed = closed.where(closed <= month_end, month_end).where(rng.random(n) < 0.85)
    person = rng.integers(0, max(n // 2, 1), n) + start
    return pd.DataFrame(
        {
            "case_id": [f"XF{i:09d}" for i in range(start, start + n)],
            "received_date": received,
            "channel": pick(CHANNELS),
            "petitioner": np.char.add(
                pick(list(SURNAMES)).astype(str), pick(list(GIVEN)).astype(str)
            ),
            "id_number": [f"410122{p:011d}X" for p in person],
            # given, so that the 10-million build measures the archive, not privacy.person_keys
            "person_key": [f"P{p:012d}" for p in person],
            "phone": [f"13{p % 10**9:09d}" for p in person],
            "person_count": rng.integers(1, 8, n),
            "locality": pick(TOWNS),
            "category": pick(CATS),
            "summary": pick(PROBLEMS),
            "responsible_unit": pick(TOWNS),
            "leader": pick(LEADERS),
            "visit_level": pick(LEVELS),
            "deadline": received + pd.Timedelta(days=60),
            "closed_date": closed,
            "outcome": np.where(closed.notna(), "已答复", None),
        },
        index=pd.RangeIndex(start, start + n),
    )


def carried(rng: np.random.Generator, pool: pd.DataFrame, k: int, month_end) -> pd.DataFrame:
    """k earlier cases, updated: the open ones come back first (a ledger lists its open cases
    again), the rest drawn at random; 80% of the open ones closed, the others get a new
    leader."""
    is_open = pool["closed_date"].isna().to_numpy()
    open_at = np.flatnonzero(is_open)
    open_at = open_at[rng.permutation(len(open_at))][:k]
    others = np.flatnonzero(~is_open)
    rest = rng.choice(others, size=min(k - len(open_at), len(others)), replace=False)
    rows = pool.iloc[np.concatenate([open_at, rest])].copy()
    close = (rng.random(len(rows)) < 0.8) & rows["closed_date"].isna().to_numpy()
    rows.loc[close, "closed_date"] = month_end - pd.Timedelta(days=3)
    rows.loc[close, "outcome"] = "已化解"
    rows.loc[~close, "leader"] = "赵立新"
    return rows


def build_direct(path: Path, total: int, *, chunks: int = 10, seed: int = 7) -> CaseArchive:
    """An archive of ``total`` cases from ``chunks`` monthly frames, 30% carried over updated."""
    archive = CaseArchive(path)
    rng = np.random.default_rng(seed)
    per = total // chunks
    pool = None
    with Timer() as t:
        for k in range(chunks):
            month_end = pd.Timestamp("2025-01-31") + pd.offsets.MonthEnd(k)
            fresh = fast_cases(rng, k * per, per, month_end)
            if pool is None:
                frame, pool = fresh, fresh
            else:
                again = carried(rng, pool, per * 3 // 7, month_end)
                frame = pd.concat([fresh, again])
                pool = pd.concat([pool, fresh])
                pool.loc[again.index] = again  # as they stand now
                # the open cases and the last two months' stay candidates for coming back
                pool = pool[pool["closed_date"].isna() | (pool.index >= (k - 1) * per)]
            archive.import_cases(frame, period=month_end, name=f"月度{k + 1:02d}")
    print(f"  built {total:,} cases in {chunks} imports: {t.wall:.1f} s")
    return archive


def monthly(folder: Path, rows: int, months: int) -> None:
    print(f"1. {months} monthly imports of {rows:,} cases (30% carried over, updated); xlsx")
    pool = generate_cases(
        int(rows * (0.7 * months + 0.3)) + 10,
        seed=11,
        start="2025-01-01",
        end="2025-12-31",
        today="2026-01-31",
    )
    pool = pool.sort_values("received_date", kind="stable").reset_index(drop=True)
    archive = CaseArchive(folder / "monthly.duckdb")
    rng = np.random.default_rng(3)
    used = 0
    ratios = []
    for k in range(months):
        month_end = pd.Timestamp("2025-01-31") + pd.offsets.MonthEnd(k)
        n_new = rows if k == 0 else rows - rows * 3 // 10
        fresh = pool.iloc[used : used + n_new]
        used += n_new
        frame = (
            fresh
            if k == 0
            else pd.concat(
                [fresh, carried(rng, pool.iloc[: used - n_new], rows - n_new, month_end)]
            )
        )
        path = write_ledger(
            frame, folder / f"台账_{month_end:%Y年%m月}.xlsx", layout="county", seed=k
        )
        with Timer() as load:
            load_cases(path)
        with Timer() as imp:
            result = archive.import_ledgers(path)
        ratios.append(imp.wall / load.wall)
        print(
            f"  {path.name}: load_cases {load.wall:6.1f} s ({load.cpu:.1f} CPU) | import_ledgers "
            f"{imp.wall:6.1f} s ({imp.cpu:.1f} CPU) x{imp.wall / load.wall:.2f} wall, "
            f"x{imp.cpu / load.cpu:.2f} CPU; new {result.new:,} updated {result.updated:,} "
            f"unchanged {result.unchanged:,}"
        )
    s = archive.status()
    print(
        f"  archive: {s['cases']:,} cases, {s['versions']:,} versions, "
        f"{s['file_bytes'] / 1e6:.0f} MB; import / load_cases ratio max x{max(ratios):.2f} "
        f"(target < x2)"
    )


def million(folder: Path, total: int) -> None:
    print(f"2. archive of {total:,} cases (straight from frames)")
    archive = build_direct(folder / "million.duckdb", total)
    with Timer() as t:
        cases = archive.cases()
    print(
        f"  cases(): {t.wall:.2f} s wall, {t.cpu:.2f} s CPU for {len(cases):,} rows (target < 2 s)"
    )
    with Timer() as t:
        summarize(cases, start="2025-01-01", end="2025-10-31", today="2025-10-31")
    print(f"  summarize(archive.cases()): {t.wall:.1f} s wall, {t.cpu:.1f} s CPU (target < 10 s)")
    one = cases["case_id"].iloc[len(cases) // 2]
    archive.history(one)
    with Timer() as t:
        archive.history(one)
    print(
        f"  history(one case), opening the file per call: {t.wall * 1000:.0f} ms (target < 50 ms)"
    )
    with archive:
        archive.history(one)
        with Timer() as t:
            archive.history(one)
    print(f"  history(one case) inside `with archive:` (file kept open): {t.wall * 1000:.0f} ms")
    size = archive.status()["file_bytes"]
    print(
        f"  file size: {size / 1e6:.0f} MB, {size / 1e6 / (total / 1e6):.0f} MB per million cases"
    )


def big(folder: Path, total: int) -> None:
    print(f"3. archive of {total:,} cases (straight from frames, no Excel)")
    path = folder / "big.duckdb"
    peaks = {"build": _in_process("build", path, total)["peak"]}
    for step in ("cases()", "changes()"):
        out = _in_process(step, path, total)
        peaks[step] = out["peak"]
        print(f"  {step}: {out['wall']:.1f} s wall, {out['cpu']:.1f} s CPU; {out['said']}")
    shown = ", ".join(f"{k} {v / 2**30:.2f}" for k, v in peaks.items())
    print(
        f"  peak resident memory of cases() and changes(): "
        f"{max(peaks['cases()'], peaks['changes()']) / 2**30:.2f} GiB (target < 8 GiB); by step, "
        f"each in a fresh process (GiB): {shown}; file {path.stat().st_size / 1e9:.2f} GB"
    )


def _in_process(step: str, path: Path, total: int) -> dict:
    """Run one step of part 3 in a fresh Python process (as an analyst opens the archive in a
    new notebook), so that its peak memory is its own and not what the build left behind."""
    args = [sys.executable, __file__, "--step", step, "--archive", str(path), "--big", str(total)]
    done = subprocess.run(args, capture_output=True, text=True, encoding="utf-8", check=False)
    if done.returncode:
        raise SystemExit(f"step {step} failed:\n{done.stdout}\n{done.stderr}")
    lines = done.stdout.splitlines()
    for line in lines[:-1]:  # what the step printed itself (the build's time)
        print(line)
    return json.loads(lines[-1])


def _step(step: str, path: Path, total: int) -> None:
    """One step of part 3 (see :func:`_in_process`); prints its figures as JSON, last."""
    said = ""
    with PeakMemory() as mem, Timer() as t:
        if step == "build":
            build_direct(path, total)
        elif step == "cases()":
            cases = CaseArchive(path).cases()
            said = f"{len(cases):,} rows"
        else:
            said = CaseArchive(path).changes("2025-06-01", "2025-06-30").summary()
    print(json.dumps({"wall": t.wall, "cpu": t.cpu, "peak": mem.peak, "said": said}))


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--monthly-rows", type=int, default=100_000)
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--million", type=int, default=1_000_000)
    ap.add_argument("--big", type=int, default=10_000_000)
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every size (0.01 = quick)")
    ap.add_argument("--skip-monthly", action="store_true")
    ap.add_argument("--skip-million", action="store_true")
    ap.add_argument("--skip-big", action="store_true")
    ap.add_argument("--step", help=argparse.SUPPRESS)  # internal: one step of part 3
    ap.add_argument("--archive", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.step:
        _step(args.step, args.archive, args.big)
        return
    scale = lambda n: max(int(n * args.scale), 100)  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if not args.skip_monthly:
            monthly(folder, scale(args.monthly_rows), args.months)
        if not args.skip_million:
            million(folder, scale(args.million))
        if not args.skip_big:
            big(folder, scale(args.big))


if __name__ == "__main__":
    main()
