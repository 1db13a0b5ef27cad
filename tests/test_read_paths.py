"""The fastexcel reader (.xlsx/.xlsm) and the python-calamine reader (.xls/.xlsb/.ods, typed
cells) give the same load: same cases, issues and excluded rows, on messy synthetic ledgers."""

from __future__ import annotations

import pandas as pd
import pytest

from xinfang_toolkit.load import _read, load_cases

synth = pytest.importorskip("xinfang_toolkit.synth")


def _both(path, monkeypatch):
    fast = load_cases(path)
    with monkeypatch.context() as m:
        m.setattr(_read, "FASTEXCEL_SUFFIXES", frozenset())  # every workbook through calamine
        typed = load_cases(path)
    return fast, typed


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


@pytest.mark.parametrize("layout", [x for x in synth.LAYOUTS if x != "csv"])
def test_fastexcel_and_calamine_readers_agree(tmp_path, monkeypatch, layout):
    cases = synth.generate_cases(n=200, seed=11)
    path = synth.write_ledger(cases, tmp_path / f"{layout}.xlsx", layout=layout, seed=4)
    fast, typed = _both(path, monkeypatch)
    pd.testing.assert_frame_equal(fast.cases, typed.cases)
    pd.testing.assert_frame_equal(_sorted(fast.issues), _sorted(typed.issues))
    pd.testing.assert_frame_equal(_sorted(fast.excluded), _sorted(typed.excluded))
    if layout == "county":  # this layout stores some IDs as Excel numbers: found both ways
        assert fast.issues["column"].eq("id_number").any()
