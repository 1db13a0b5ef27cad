"""What every benchmark script shares: a wall + CPU timer.

The scripts run as ``python benchmarks/bench_x.py``, so this module is importable as ``_timing``.
"""

from __future__ import annotations

import time


class Timer:
    """Context manager recording wall and CPU seconds (CPU is steadier on a shared machine)."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu
