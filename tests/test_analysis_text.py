"""The vectorised n-gram TF-IDF used to compare summaries, against scikit-learn and by hand."""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from xinfang_toolkit._base.ngrams import (
    decode,
    normalized_texts,
    tfidf_distinct,
    tfidf_matrix,
)
from xinfang_toolkit.analysis._text import block_pairs, pair_similarity

TEXTS = [
    "要求补偿征地款2万元！",
    "ＡＢＣ　再次要求补偿 3.5万元",
    None,
    "",
    "x",
    "要求补偿征地款2万元！",
    "反映邻居违建挡住采光",
]


def test_normalisation_width_case_numbers_punctuation():
    assert normalized_texts(TEXTS) == [
        "要求补偿征地款0万元",
        "abc再次要求补偿0万元",
        "",
        "",
        "x",
        "要求补偿征地款0万元",
        "反映邻居违建挡住采光",
    ]


def test_same_weights_as_scikit_learn():
    matrix, lengths = tfidf_matrix(TEXTS)
    assert lengths.tolist() == [10, 12, 0, 0, 1, 10, 10]
    norm = normalized_texts(TEXTS)
    distinct = sorted(set(norm))
    ref = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True).fit(distinct)
    expected = ref.transform(norm)
    ours = (matrix @ matrix.T).toarray()
    theirs = (expected @ expected.T).toarray()
    assert np.allclose(ours, theirs, atol=1e-5)
    assert ours[0, 5] == np.float32(1) or abs(ours[0, 5] - 1) < 1e-6
    assert ours[0, 6] == 0


def test_distinct_rows_are_the_rows_of_every_text():
    matrix, lengths = tfidf_matrix(TEXTS)
    distinct, distinct_lengths, index, grams = tfidf_distinct(TEXTS)
    # 要求补偿征地款2万元！ twice, None and "" normalise alike: five distinct texts
    assert distinct.shape[0] == 5 and index.tolist() == [0, 1, 2, 2, 3, 0, 4]
    assert (distinct[index] != matrix).nnz == 0
    assert distinct_lengths[index].tolist() == lengths.tolist() and grams.size == 0
    assert tfidf_distinct([])[0].shape[0] == 0


def test_decode_and_block_pairs():
    code = (ord("拆") << 42) | (ord("迁") << 21) | ord("款")
    assert decode(code) == "拆迁款"
    assert decode((ord("拆") << 21) | ord("迁")) == "拆迁"
    left, right = block_pairs(np.array([0, 5]), np.array([3, 2]))
    assert list(zip(left.tolist(), right.tolist(), strict=True)) == [(0, 1), (0, 2), (1, 2), (5, 6)]


def test_pair_similarity_is_the_product_of_the_two_rows_in_either_order():
    from xinfang_toolkit.synth import generate_cases

    summaries = generate_cases(300, seed=4)["summary"].tolist() + TEXTS
    matrix, _ = tfidf_matrix(summaries)
    rng = np.random.default_rng(0)
    left = rng.integers(0, len(summaries), 5000)
    right = rng.integers(0, len(summaries), 5000)
    left[:50], right[:50] = right[50:100], left[50:100]  # the same pairs, swapped
    direct = np.asarray(matrix[left].multiply(matrix[right]).sum(axis=1)).ravel()
    got = pair_similarity(matrix, left, right, chunk=700)
    assert got.dtype == np.float32 and np.array_equal(got, direct.astype(np.float32))
    assert len(pair_similarity(matrix, left[:0], right[:0])) == 0


def test_one_engine_packs_grams_of_one_to_three_characters_alike():
    """Both front ends pack a gram the same way; the comparing hash reads the packed codes."""
    from xinfang_toolkit._base.ngrams import hashed_columns, hashed_counts, pack, vocabulary_text

    for gram in ("拆", "拆迁", "拆迁款", "a0"):
        assert decode(pack(gram)) == gram
    _, col, _, grams = hashed_counts(["拆迁款"])
    by_gram = dict(zip(grams.tolist(), col.tolist(), strict=True))
    assert hashed_columns(["拆迁款"]).tolist() == [by_gram[pack("拆迁款")]]
    # the two normalisations: comparing drops punctuation first, the vocabulary keeps it
    assert normalized_texts(["ＡＢ 1, 2号"]) == ["ab0号"]
    assert vocabulary_text("ＡＢ 1, 2号") == "ab0,0号"
