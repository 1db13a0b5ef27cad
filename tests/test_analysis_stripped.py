"""analysis.stripped: surrounding spaces removed, once per distinct value."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from xinfang_toolkit.analysis import stripped

_CELL = st.one_of(
    st.none(),
    st.sampled_from(["城关镇", " 城关镇", "城关镇\u3000", "", "  ", "来 访"]),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=5),
)


@given(st.lists(_CELL, max_size=80))
def test_stripped_is_str_strip(values):
    series = pd.Series(values, dtype="string", index=range(100, 100 + len(values)), name="x")
    out = stripped(series)
    pd.testing.assert_series_equal(out, series.str.strip())


def test_stripped_of_repeated_towns_keeps_gaps_index_and_name():
    towns = pd.Series([" 城关镇 ", "河东乡", None, "城关镇"] * 50, name="locality")
    out = stripped(towns)
    assert out.name == "locality" and out.index.equals(towns.index)
    assert out.iloc[:4].tolist() == ["城关镇", "河东乡", pd.NA, "城关镇"]
    assert out.isna().sum() == 50
