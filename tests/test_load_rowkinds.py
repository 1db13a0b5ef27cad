"""Row words judged from a row's first filled cell (:func:`_rowkinds.first_cell_marks`): its
quick pre-checks (ASCII text is never an example row, total and note words start with one of a
few characters) must agree with the full rule on every text."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from xinfang_toolkit.load._rowkinds import (
    _EXAMPLE,
    _SIGN,
    _TOTAL,
    first_cell_marks,
    row_key,
)

WORDS = [
    "合计",
    "小计",
    "填表人",
    "注:",
    "示例",
    "样例",
    "例",
    "举例",
    "说明1",
    "（盖章）",
    "(盖章)",
]
PIECES = st.sampled_from([*WORDS, " ", "\u3000", "1", "12", "XF-2025", "王", "：", "一", "a"])
TEXTS = st.one_of(st.lists(PIECES, max_size=4).map("".join), st.text(max_size=10))


def _rule(value: object) -> tuple[bool, bool, bool]:
    """The marks by their definition: the row words matched on the folded, space-free text."""
    if not isinstance(value, str):
        return False, False, False
    key = row_key(value)
    example = len(value) <= 8 and bool(_EXAMPLE.match(key))
    return bool(_TOTAL.match(key)), bool(_SIGN.match(key)), example


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(TEXTS, st.none(), st.integers(0, 10**6)), max_size=20))
def test_first_cell_marks_agree_with_the_rule(values):
    totals, notes, examples = first_cell_marks(np.array(values, dtype=object))
    expected = [_rule(v) for v in values]
    assert list(zip(totals.tolist(), notes.tolist(), examples.tolist(), strict=True)) == expected


def test_serial_numbers_are_no_example_rows_but_example_words_are():
    values = np.array(["1", "2", "示例", "样例1", " 例 ", "合计", "XF2025-001"], dtype=object)
    totals, notes, examples = first_cell_marks(values)
    assert examples.tolist() == [False, False, True, True, True, False, False]
    assert totals.tolist() == [False] * 5 + [True, False]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(TEXTS, st.none()), min_size=1, max_size=30),
    st.lists(st.integers(0, 10**8).map(lambda n: f"XF{n}"), min_size=1000, max_size=1200),
)
def test_a_long_column_sorted_in_arrow_agrees_with_the_rule(words, numbers):
    """A column of 1,000 first cells or more is sorted in Arrow first (ASCII case numbers set
    aside); the words among them are found as one by one."""
    values = numbers + words
    totals, notes, examples = first_cell_marks(np.array(values, dtype=object))
    expected = [_rule(v) for v in values]
    assert list(zip(totals.tolist(), notes.tolist(), examples.tolist(), strict=True)) == expected
