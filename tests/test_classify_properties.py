"""Property tests: classify never fails on odd text; the fast n-gram index equals sklearn."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinfang_toolkit._base.ngrams import VocabularyIndex
from xinfang_toolkit.classify import Taxonomy, TextClassifier, classify
from xinfang_toolkit.classify._model_texts import preprocessed, raw_texts
from xinfang_toolkit.schema import UNCLASSIFIED

# Chinese complaint words mixed with arbitrary characters: digits, full-width forms, spaces,
# line breaks, NUL, emoji, other scripts.
WORDS = [
    "物业",
    "拖欠工资",
    "污染",
    "学校",
    "医院",
    "公交",
    "征地拆迁",
    "１２３",
    "ＡＢ",
    "\n",
    " ",
    "\x00",
]
TEXT = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=8).map("".join)
MAYBE_TEXT = st.one_of(st.none(), TEXT)


@pytest.fixture(scope="module")
def tax() -> Taxonomy:
    return Taxonomy.default()


@pytest.fixture(scope="module")
def model() -> TextClassifier:
    texts = [
        "小区物业乱收费",
        "物业不管电梯",
        "拖欠农民工工资",
        "老板欠薪跑路",
        "化工厂污染",
        "河道污水",
    ]
    return TextClassifier(temperature=0.25).fit(
        texts, ["城建", "城建", "劳动", "劳动", "环保", "环保"]
    )


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(summaries=st.lists(MAYBE_TEXT, min_size=1, max_size=6))
def test_classify_never_fails_and_stays_in_the_taxonomy(tax, summaries):
    out = classify(pd.DataFrame({"summary": summaries}), taxonomy=tax)
    assert len(out) == len(summaries)
    assert set(out["category_pred"]) <= set(tax.names) | {UNCLASSIFIED}
    assert out["category_confidence"].between(0, 1).all()
    nothing = out["category_pred"] == UNCLASSIFIED
    assert (out.loc[nothing, "category_source"] == "none").all()
    assert (out.loc[~nothing, "category_evidence"].str.len() > 0).all()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(texts=st.lists(MAYBE_TEXT, min_size=1, max_size=6))
def test_fast_index_equals_sklearn_on_any_text(model, texts):
    raw = raw_texts(texts)
    vec = model._pipe.named_steps["tfidf"]
    index = VocabularyIndex(
        vec.vocabulary_, vec.idf_, model.ngram_range, sublinear=vec.sublinear_tf
    )
    expected = vec.transform(preprocessed(raw)).toarray()
    np.testing.assert_allclose(index.transform(raw).toarray(), expected, atol=1e-6)


@given(
    st.lists(
        st.one_of(
            st.none(), st.sampled_from(["物业", " 物业", "物业 ", "", "  "]), st.text(max_size=4)
        ),
        max_size=60,
    )
)
def test_text_codes_are_the_codes_of_the_stripped_texts(values):
    from xinfang_toolkit.classify._classify import _text_codes, _texts

    series = pd.Series(values, dtype="object")
    codes, texts = _text_codes(series)
    expected_codes, expected = pd.factorize(_texts(series), sort=False)
    assert codes.tolist() == expected_codes.tolist() and texts == list(expected)
