"""The ground floor (xinfang_toolkit._base): one copy of each building block, importing nothing
of the package; and the fast date reader of clean agreeing with the regular expression."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import xinfang_toolkit
from xinfang_toolkit._base.distinct import by_code, factorize, map_distinct
from xinfang_toolkit._base.ids import id_check_digit, id_check_digits
from xinfang_toolkit._base.text import fold_width, is_null_word
from xinfang_toolkit.schema import TEXT_DTYPE

BASE = Path(xinfang_toolkit.__file__).parent / "_base"


@pytest.mark.parametrize("module", sorted(p.name for p in BASE.glob("*.py")))
def test_ground_floor_imports_nothing_of_the_package(module):
    tree = ast.parse((BASE / module).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0 and not (node.module or "").startswith("xinfang_toolkit")
        elif isinstance(node, ast.Import):
            assert not any(a.name.startswith("xinfang_toolkit") for a in node.names)


def test_text_blocks():
    assert fold_width("２０１９／４／２５") == "2019/4/25"
    assert fold_width("abc") == "abc"
    assert all(is_null_word(w) for w in ("无", " / ", "Ｎ／Ａ", "NULL", "——", ""))
    assert not any(is_null_word(w) for w in ("无业", "张三", "0"))


def test_id_check_digits_agree():
    rng = np.random.default_rng(1)
    digits = rng.integers(0, 10, (50, 17))
    many = id_check_digits(digits)
    assert [id_check_digit("".join(map(str, row))) for row in digits] == many.tolist()


@pytest.mark.parametrize("rows", [10, 20_000])  # small, and large enough to skip hashing
def test_map_distinct_once_per_value_missing_last(rows):
    values = pd.Series(
        [f"v{i % (rows // 2)} " if i % 7 else None for i in range(rows)], dtype=object
    )
    calls = []

    def strip(value):
        calls.append(value)
        return value.strip()

    codes, answers = map_distinct(values, strip, missing="-")
    out = by_code(answers, codes, values.index)
    expected = [("-" if v is None else v.strip()) for v in values.tolist()]
    assert out.tolist() == expected
    assert None not in calls
    assert len(calls) == len(set(calls)) or rows > 10_000  # a large unique-looking column: per row


def test_factorize_missing_shares_the_last_slot():
    codes, uniques = factorize(pd.Series(["a", None, "b", "a", np.nan], dtype=object))
    assert uniques[-1] is None
    assert codes.tolist() == [0, 2, 1, 0, 2]


def test_map_distinct_batch_strings_only_and_text_dtype():
    values = pd.Series(["x", 3, None, "x"], dtype=object)
    codes, answers = map_distinct(
        values, lambda texts: [t.upper() for t in texts], batch=True, strings_only=True
    )
    assert answers.tolist() == ["X", 3, None]
    text = by_code(["a", None], np.array([0, 1, 0]), pd.RangeIndex(3), dtype=TEXT_DTYPE)
    assert text.dtype == TEXT_DTYPE and text.isna().tolist() == [False, True, False]


def _spelling(rng: random.Random) -> str:
    text = rng.choice(["2025", "1979", "2101", "202", " 2024", "2023"]) + rng.choice("-/.年")
    text += (
        str(rng.randint(0, 13)) + rng.choice("-/.") + rng.choice([str(rng.randint(0, 32)), "05"])
    )
    if rng.random() < 0.5:
        text += rng.choice([" ", "  ", "T", "t", " T"]) + str(rng.randint(0, 25)) + ":"
        text += rng.choice([f"{rng.randint(0, 61):02d}", "5"])
        if rng.random() < 0.6:
            text += ":" + rng.choice([f"{rng.randint(0, 61):02d}", "7"])
    if rng.random() < 0.1:
        text += rng.choice([" ", "\t", "x", ".5"])
    return text


def test_plain_date_reader_agrees_with_the_regular_expression():
    """_stamp_fields (numpy for plain spellings) == Arrow's extract_regex of _COMMON_STAMP_RE2."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from xinfang_toolkit.clean import _date_columns as dc

    rng = random.Random(7)
    texts = list(dict.fromkeys(_spelling(rng) for _ in range(5000))) + [None]
    array = pa.array(texts, type=pa.string())
    ok, fields = dc._stamp_fields(array)
    parts = pc.extract_regex(array, dc._COMMON_STAMP_RE2)
    expected_ok = parts.is_valid().to_numpy(zero_copy_only=False)
    assert ok.tolist() == expected_ok.tolist()
    for k, name in enumerate(dc._FIELDS):
        column = [row[name] if row else None for row in parts.to_pylist()]
        want = [int(v) if v else -1 for v, good in zip(column, expected_ok, strict=True) if good]
        assert fields[ok, k].tolist() == want
