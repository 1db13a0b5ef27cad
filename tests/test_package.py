"""The public surface: every name in __all__ imports, and importing changes no global state."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd

import xinfang_toolkit
from xinfang_toolkit import schema


def test_all_names_resolve():
    for name in xinfang_toolkit.__all__:
        assert getattr(xinfang_toolkit, name) is not None, name
    assert len(set(xinfang_toolkit.__all__)) == len(xinfang_toolkit.__all__)


def test_import_changes_no_global_state():
    code = textwrap.dedent(
        """
        import warnings, matplotlib, pandas as pd
        # third-party libraries add their own warning filters on import: take them first, so
        # that only what our package changes is compared
        import sklearn, sklearn.feature_extraction.text, scipy, seaborn, ipywidgets
        before = (dict(matplotlib.rcParams), list(warnings.filters), pd.get_option("display.max_rows"))
        import xinfang_toolkit, xinfang_toolkit.widgets, xinfang_toolkit.plots
        after = (dict(matplotlib.rcParams), list(warnings.filters), pd.get_option("display.max_rows"))
        changed = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
        print("CHANGED", changed)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "CHANGED []" in out.stdout, out.stdout + out.stderr


def test_conform_cases_adds_columns_with_dtypes():
    df = pd.DataFrame({"summary": ["要求补偿"], "received_date": ["2026-03-05 14:30"], "x": [1]})
    out = schema.conform_cases(df)
    assert list(out.columns[: len(schema.CASE_COLUMNS)]) == list(schema.CASE_COLUMNS)
    assert out.columns[-1] == "x"
    assert out["received_date"].iloc[0] == pd.Timestamp("2026-03-05")
    assert str(out["person_count"].dtype) == "Int64"
    assert str(out["source_row"].dtype) == "Int64"
    assert out["channel"].isna().all()
    assert "x" not in df.columns or list(df.columns) == ["summary", "received_date", "x"]


def test_conform_cases_copies_unless_told_not_to():
    df = schema.conform_cases(pd.DataFrame({"summary": ["要求补偿"], "x": [1]}))
    copied = schema.conform_cases(df)
    copied.loc[0, "summary"] = "改了"
    assert df.loc[0, "summary"] == "要求补偿"
    shared = schema.conform_cases(df, copy=False)  # for a caller that owns and drops ``df``
    assert shared["summary"].array is df["summary"].array
    assert np.shares_memory(shared["x"].to_numpy(), df["x"].to_numpy())
    assert list(shared.columns) == list(df.columns)


def test_empty_frames_and_labels():
    assert list(schema.empty_cases().columns) == list(
        schema.CASE_COLUMNS + schema.PROVENANCE_COLUMNS
    )
    assert list(schema.empty_issues().columns) == list(schema.ISSUE_COLUMNS)
    assert list(schema.empty_excluded().columns) == list(schema.EXCLUDED_COLUMNS)
    assert schema.label("received_date") == "登记日期"
    assert schema.label("unknown_col") == "unknown_col"
    for col in schema.CASE_COLUMNS:
        assert col in schema.LABELS_ZH
