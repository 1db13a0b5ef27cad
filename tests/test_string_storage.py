"""The toolkit sets no pandas option: an analyst's own text columns keep pandas' default storage
whatever they import or run first (issue 29 item 5)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_an_analysts_own_frame_keeps_the_default_storage(sample_data_dir):
    # a fresh interpreter: the test session itself imports the toolkit everywhere
    script = textwrap.dedent(
        f"""
        import pandas as pd

        before = pd.get_option("mode.string_storage")
        default = pd.Series(["a"], dtype="string").dtype.storage

        def own():
            return pd.Series(["a"], dtype="string").dtype.storage

        import xinfang_toolkit
        from xinfang_toolkit import load_cases, summarize

        seen = [own()]
        result = load_cases({str(sample_data_dir)!r}, today="2026-12-01")
        seen.append(own())
        summarize(result.cases, start="2026-01-01", end="2026-11-30", today="2026-12-01")
        seen.append(own())
        assert pd.get_option("mode.string_storage") == before, pd.get_option("mode.string_storage")
        assert seen == [default] * 3, (default, seen)
        assert str(result.cases["summary"].dtype.storage) == "python"
        print("ok", default)
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=False
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.startswith("ok")
