"""Start-up time: ``import xinfang_toolkit`` and ``xinfang --help`` against ``import pandas``.

    python benchmarks/bench_import.py            # 7 runs of each, medians
    python benchmarks/bench_import.py --runs 15

Targets: ``import xinfang_toolkit`` at most 1.5x ``import pandas``; ``xinfang --help``
under 0.5 s. Each run is a fresh interpreter (whole process, wall clock), so the figures include
Python's own start-up, the same for every line; the runs of the three commands are interleaved
so that a busy moment on a shared machine hits them alike.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "baseline: python -c 'import pandas'": [sys.executable, "-c", "import pandas"],
    "python -c 'import xinfang_toolkit'": [sys.executable, "-c", "import xinfang_toolkit"],
    "xinfang --help": [
        sys.executable,
        "-c",
        "import sys; from xinfang_toolkit.cli import main; sys.exit(main(['--help']))",
    ],
    "from xinfang_toolkit import load_cases, classify": [
        sys.executable,
        "-c",
        "from xinfang_toolkit import load_cases, classify",
    ],
    "python -c 'pass' (interpreter start-up)": [sys.executable, "-c", "pass"],
}


def _run(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    times: dict[str, list[float]] = {k: [] for k in COMMANDS}
    for cmd in COMMANDS.values():  # warm the file cache once
        _run(cmd)
    for _ in range(args.runs):
        for name, cmd in COMMANDS.items():
            times[name].append(_run(cmd))
    med = {k: statistics.median(v) for k, v in times.items()}
    base = med["baseline: python -c 'import pandas'"]
    print(f"-- start-up, median of {args.runs} fresh processes (wall) --")
    for name, m in med.items():
        print(f"{name:<50} {m:6.3f} s  x{m / base:4.2f} of import pandas")
    pkg = med["python -c 'import xinfang_toolkit'"]
    helps = med["xinfang --help"]
    print(
        f"   import xinfang_toolkit: x{pkg / base:.2f} (target <= 1.5x: {'ok' if pkg <= 1.5 * base else 'MISSED'})"
    )
    print(f"   xinfang --help: {helps:.3f} s (target < 0.5 s: {'ok' if helps < 0.5 else 'MISSED'})")


if __name__ == "__main__":
    main()
