"""`make bench` records each benchmark's printed figures in a dated file (benchmarks/_timing.py)."""

from __future__ import annotations

import datetime as dt
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
try:
    import _timing
finally:
    sys.path.pop(0)


def test_a_benchmark_prints_as_before_and_its_figures_land_in_a_dated_file(tmp_path, capsys):
    script = tmp_path / "bench_tiny.py"
    script.write_text('print("加载 10,000 行: 0.50 s  x0.90 of baseline")\n', encoding="utf-8")
    code, path = _timing.record(script, ["--rows", "10"], folder=tmp_path / "results")
    assert code == 0
    assert capsys.readouterr().out == "加载 10,000 行: 0.50 s  x0.90 of baseline\n"
    assert path.name == f"{dt.date.today().isoformat()}_bench_tiny.txt"
    text = path.read_text(encoding="utf-8")
    assert "加载 10,000 行: 0.50 s  x0.90 of baseline\n" in text
    for what in ("--rows 10", "git commit", "CPUs", "load average", "Python", "pandas"):
        assert what in text.split("\n\n")[0], what
    assert text.rstrip().endswith(tuple("0123456789")) and "exit code 0" in text
    again = _timing.record(script, [], folder=tmp_path / "results")[1]
    assert again.name == f"{dt.date.today().isoformat()}_bench_tiny_2.txt"


def test_a_failing_benchmark_fails_make_bench(tmp_path):
    script = tmp_path / "bench_broken.py"
    script.write_text("raise SystemExit(3)\n", encoding="utf-8")
    assert _timing.record(script, [], folder=tmp_path)[0] == 3
