"""Importing the package and asking the CLI for help load no heavy library.

Each check runs in a fresh interpreter: the test process itself has imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

HEAVY = ("sklearn", "matplotlib", "docx", "ipywidgets", "duckdb")


def _loaded_after(code: str) -> list[str]:
    probe = textwrap.dedent(code) + textwrap.dedent(
        f"""
        import json, sys
        print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_import_package_loads_no_heavy_library():
    assert _loaded_after("import xinfang_toolkit") == []


def test_cli_help_loads_no_heavy_library():
    code = """
        import contextlib, io
        from xinfang_toolkit.cli import main
        with contextlib.redirect_stdout(io.StringIO()) as buf:
            assert main(["--help"]) == 0
        assert "xinfang" in buf.getvalue()
        for command in ("load", "classify", "report", "archive"):
            with contextlib.redirect_stdout(io.StringIO()):
                assert main([command, "--help"]) == 0
        import sys
        assert "pandas" not in sys.modules  # --help within 0.5 s: not even pandas
        """
    assert _loaded_after(code) == []


def test_rules_classification_needs_no_model_library():
    code = """
        import pandas as pd
        from xinfang_toolkit import classify
        out = classify(pd.DataFrame({"summary": ["小区电梯坏了没人修"]}))
        assert out["category_pred"].iloc[0] == "城乡建设"
        """
    assert _loaded_after(code) == []


def test_public_names_resolve_lazily_and_keep_their_meaning():
    code = """
        import xinfang_toolkit.classify  # binds the subpackage on the parent ...
        import xinfang_toolkit as x
        from xinfang_toolkit import classify
        assert callable(classify) and classify.__module__.endswith("_classify")  # ... not here
        assert x.classify is classify
        for name in x.__all__:
            assert getattr(x, name) is not None, name
        assert set(x.__all__) <= set(dir(x))
        assert x.analysis.__name__ == "xinfang_toolkit.analysis"  # subpackages on access
        try:
            x.no_such_name
        except AttributeError:
            pass
        else:
            raise AssertionError("unknown names must raise AttributeError")
        """
    # resolving every public name loads the widgets and plots: only the meaning is checked here
    _loaded_after(code)


def test_summarize_loads_neither_the_word_writer_nor_widgets():
    # the report package resolves its names on first use: counting needs no python-docx
    assert _loaded_after("from xinfang_toolkit import summarize, draft_report") == []
