"""Round trip: synth.generate_cases -> synth.write_ledger (messy, every layout) -> load_cases.

Loading a messy ledger back must give the generated cases again, except the ID numbers that the
writer stored as Excel numbers: those are lost, and each one is reported in issues.
"""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from xinfang_toolkit.load import load_cases
from xinfang_toolkit.schema import CASE_COLUMNS

synth = pytest.importorskip("xinfang_toolkit.synth")


@pytest.fixture(scope="module")
def generated() -> pd.DataFrame:
    return synth.generate_cases(n=160, seed=7)


@pytest.mark.parametrize("layout", synth.LAYOUTS)
def test_messy_ledger_round_trip(tmp_path, generated, layout):
    suffix = ".csv" if layout == "csv" else ".xlsx"
    path = synth.write_ledger(generated, tmp_path / f"ledger{suffix}", layout=layout, seed=3)
    result = load_cases(path)
    got = result.cases.set_index("case_id")
    want = generated.set_index("case_id")
    assert sorted(got.index) == sorted(want.index)
    got = got.loc[want.index]
    lost_ids = set(
        result.issues.loc[result.issues["column"] == "id_number", "source_row"].astype(int)
    )
    assert result.issues["column"].isin(["id_number"]).all()  # nothing else needs a person
    compared = 0
    for col in CASE_COLUMNS[1:]:
        if got[col].isna().all() or want[col].isna().all():
            continue  # this layout has no such column, or the generator leaves it empty
        compared += 1
        g, w = got[col], want[col]
        if col == "id_number":
            lost = got["source_row"].astype(int).isin(lost_ids)
            assert g[lost].isna().all()
            assert (g[~lost] == w[~lost]).all()
            continue
        same = (g.astype(str) == w.astype(str)) | (g.isna() & w.isna())
        assert same.all(), (col, list(zip(w[~same].head(3), g[~same].head(3), strict=True)))
    assert compared >= 8


def test_county_layout_row_invariant(tmp_path, generated):
    path = synth.write_ledger(generated, tmp_path / "county.xlsx", layout="county", seed=5)
    result = load_cases(path)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        nonempty = {
            row[0].row
            for row in ws.iter_rows()
            if any(c.value is not None and str(c.value).strip() for c in row)
        }
        cases = set(result.cases.loc[result.cases["source_sheet"] == ws.title, "source_row"])
        excluded = set(
            result.excluded.loc[result.excluded["source_sheet"] == ws.title, "source_row"]
        )
        assert not cases & excluded
        assert cases | excluded == nonempty
    reasons = set(result.excluded["reason"])
    assert {"表头", "合计行", "签名或备注行"} <= reasons


def test_sample_data_loads_completely(sample_data_dir):
    if not any(sample_data_dir.glob("*.xlsx")):
        pytest.skip("sample_data not generated yet")
    result = load_cases(sample_data_dir)
    years = dict(zip(result.sources["file"], result.sources["year"], strict=False))
    assert all(str(y) in f for f, y in years.items())  # title/file year, not the 导出时间
    assert result.issues["column"].isin(["id_number"]).all()
    assert len(result.cases) == result.sources["cases"].sum()
