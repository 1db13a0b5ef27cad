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


def test_a_results_file_made_meanwhile_is_not_replaced(tmp_path, monkeypatch):
    """Between choosing the name and opening it another run may have made the file: the
    figures go to the next name, the other file stays as it was."""
    script = tmp_path / "bench_tiny.py"
    script.write_text('print("1 s")\n', encoding="utf-8")
    other = tmp_path / "theirs.txt"
    other.write_text("another run's figures\n", encoding="utf-8")
    names = iter([other, tmp_path / "mine.txt"])
    monkeypatch.setattr(_timing, "result_path", lambda *args: next(names))
    code, path = _timing.record(script, [], folder=tmp_path)
    assert (code, path) == (0, tmp_path / "mine.txt")
    assert other.read_text(encoding="utf-8") == "another run's figures\n"
    assert "1 s" in path.read_text(encoding="utf-8")
