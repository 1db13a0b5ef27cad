"""The report's _text (stripped, empty as missing) equals stripped().where(...) on any text."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from xinfang_toolkit.analysis._util import stripped
from xinfang_toolkit.report._summary import _text

_CELL = st.one_of(
    st.none(),
    st.sampled_from(["来访", " 来访", "来访\u3000", "", "  ", "\u00a0", "网上 信访"]),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=4),
)


@given(st.lists(_CELL, max_size=60))
def test_text_is_stripped_with_empty_as_missing(values):
    df = pd.DataFrame({"x": pd.array(values, dtype="string")}, index=range(7, 7 + len(values)))
    s = stripped(df["x"])
    pd.testing.assert_series_equal(_text(df, "x"), s.where(s.notna() & (s != ""), pd.NA))
