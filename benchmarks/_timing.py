"""What every benchmark script shares: a wall + CPU timer, and the recorder of `make bench`.

The scripts run as ``python benchmarks/bench_x.py``, so this module is importable as ``_timing``.

Run as a script, it records one benchmark: ``python benchmarks/_timing.py benchmarks/bench_x.py
[its arguments]`` runs the script, passes its output through unchanged and writes the same figures
to ``benchmarks/results/<date>_bench_x.txt`` under a header naming the machine (CPU count, load
average), the Python and package versions and the git commit (see results/README.md).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = RESULTS.parent.parent
#: the packages whose versions move the figures (those not installed are left out)
PACKAGES = (
    "xinfang_toolkit",
    "pandas",
    "numpy",
    "pyarrow",
    "python-calamine",
    "fastexcel",
    "openpyxl",
    "scikit-learn",
    "scipy",
    "duckdb",
    "polars",
    "rapidfuzz",
    "pyahocorasick",
    "jieba",
    "voila",
    "playwright",
)


class Timer:
    """Context manager recording wall and CPU seconds (CPU is steadier on a shared machine)."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def _git(*args: str) -> str:
    try:
        run = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return ""
    return run.stdout.strip()


def _commit() -> str:
    commit = _git("rev-parse", "--short=12", "HEAD") or "unknown"
    return commit + (
        " (uncommitted changes)" if _git("status", "--porcelain", "--untracked-files=no") else ""
    )


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except (AttributeError, OSError):  # Windows
        return "n/a"


def _cpus() -> str:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{os.cpu_count()} (usable by this process: {usable})"


def _versions() -> list[str]:
    lines = []
    for name in PACKAGES:
        try:
            lines.append(f"#   {name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return lines


def header(command: list[str], started: dt.datetime) -> str:
    """The lines that say where and when the figures below were measured."""
    lines = [
        f"# {' '.join(command)}",
        f"# started {started.isoformat(timespec='seconds')}",
        f"# git commit {_commit()}",
        f"# machine {platform.platform()}, {platform.machine()}",
        f"# CPUs {_cpus()}; load average (1, 5, 15 min) at start {_load()}",
        f"# Python {platform.python_version()} ({platform.python_implementation()})",
        "# packages:",
        *_versions(),
    ]
    return "\n".join(lines) + "\n\n"


def result_path(script: Path, day: dt.date, folder: Path = RESULTS) -> Path:
    """``<folder>/<day>_<script name>.txt``; a second run on the same day gets ``_2`` and so on."""
    path = folder / f"{day.isoformat()}_{script.stem}.txt"
    k = 2
    while path.exists():
        path = folder / f"{day.isoformat()}_{script.stem}_{k}.txt"
        k += 1
    return path


def record(script: Path, args: list[str], folder: Path = RESULTS) -> tuple[int, Path]:
    """Run one benchmark script, its output to the terminal and to a dated file in ``folder``."""
    started = dt.datetime.now().astimezone()
    command = [sys.executable, "-u", str(script), *args]
    shown = [f"python {script.as_posix()}", *args]
    folder.mkdir(parents=True, exist_ok=True)
    while True:  # "x": a file made meanwhile (a second run on the same day) is never replaced
        path = result_path(script, started.date(), folder)
        try:
            out = path.open("x", encoding="utf-8", newline="\n")
        except FileExistsError:
            continue
        break
    with out:
        out.write(header(shown, started))
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, text=True, encoding="utf-8", env=env
        ) as run:
            assert run.stdout is not None
            for line in run.stdout:
                sys.stdout.write(line)
                sys.stdout.flush()
                out.write(line)
        seconds = (dt.datetime.now().astimezone() - started).total_seconds()
        out.write(
            f"\n# exit code {run.returncode}, {seconds:.0f} s; load average at end {_load()}\n"
        )
    return run.returncode, path


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    code, path = record(Path(argv[0]), argv[1:])
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    print(f"[bench] figures written to {shown}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
