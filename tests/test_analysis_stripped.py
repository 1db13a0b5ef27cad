"""analysis.stripped, one_of and text_rows: text handled once per distinct value."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from xinfang_toolkit.analysis._util import one_of, stripped, text_rows
from xinfang_toolkit.schema import TEXT_DTYPE

_CELL = st.one_of(
    st.none(),
    st.sampled_from(["城关镇", " 城关镇", "城关镇\u3000", "", "  ", "来 访"]),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=5),
)


@given(st.lists(_CELL, max_size=80))
def test_stripped_is_str_strip(values):
    series = pd.Series(values, dtype=TEXT_DTYPE, index=range(100, 100 + len(values)), name="x")
    out = stripped(series)
    pd.testing.assert_series_equal(out, series.str.strip())


@given(st.lists(_CELL, max_size=80))
def test_stripped_empty_missing_is_strip_then_blank(values):
    series = pd.Series(values, dtype=TEXT_DTYPE, index=range(100, 100 + len(values)), name="x")
    expected = series.str.strip()
    expected = expected.mask(expected.eq("").fillna(False), pd.NA)
    pd.testing.assert_series_equal(stripped(series, empty_missing=True), expected)


def test_stripped_of_repeated_towns_keeps_gaps_index_and_name():
    towns = pd.Series([" 城关镇 ", "河东乡", None, "城关镇"] * 50, name="locality")
    out = stripped(towns)
    assert out.name == "locality" and out.index.equals(towns.index)
    assert out.iloc[:4].tolist() == ["城关镇", "河东乡", pd.NA, "城关镇"]
    assert out.isna().sum() == 50


@given(st.lists(_CELL, max_size=80), st.lists(_CELL.filter(lambda v: v is not None), max_size=4))
def test_one_of_is_isin(values, choices):
    series = pd.Series(values, dtype=TEXT_DTYPE, index=range(7, 7 + len(values)), name="满意度")
    expected = series.isin(choices).fillna(False).astype(bool)
    pd.testing.assert_series_equal(one_of(series, choices), expected)


def test_one_of_missing_and_absent_values():
    series = pd.Series([None, "满意", None, "不满意", "一般"] * 3, dtype=TEXT_DTYPE)
    assert one_of(series, ("满意", "基本满意")).tolist() == [False, True, False, False, False] * 3
    empty = pd.Series([pd.NA] * 4, dtype="object")
    assert not one_of(empty, ("满意",)).any() and one_of(empty, ()).dtype == bool


@given(st.lists(_CELL, min_size=1, max_size=6), st.data())
def test_text_rows_is_the_value_of_each_code(values, data):
    codes = data.draw(st.lists(st.integers(-1, len(values) - 1), max_size=60))
    index = pd.RangeIndex(3, 3 + len(codes))
    expected = pd.Series([values[c] for c in codes], index=index, dtype=TEXT_DTYPE, name="x")
    got = text_rows(values, np.asarray(codes, dtype=np.int64), index, name="x")
    pd.testing.assert_series_equal(got, expected)
