"""The texts a TextClassifier reads: a list (never one string), missing as "", normalised."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .._base.ngrams import vocabulary_text
from ._model_error import TextClassifierError

__all__ = ["masked", "preprocess", "preprocessed", "raw_texts"]


def _raw(text: object) -> str:
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return str(text)


def preprocess(text: object) -> str:
    """Full-width letters/digits to half-width, A-Z to lower case, every run of digits to "0",
    whitespace removed (numbers and spacing carry no topic). Missing -> "".

    ``_base.ngrams.VocabularyIndex`` does exactly the same on arrays of code points.
    """
    return vocabulary_text(_raw(text))


def _not_one_string(texts: Iterable[object]) -> None:
    if isinstance(texts, str):
        raise TextClassifierError("texts 应为文本列表, 不是单个字符串 (pass a list of texts)")


def preprocessed(texts: Iterable[object]) -> list[str]:
    """Each text preprocessed (:func:`preprocess`)."""
    _not_one_string(texts)
    return [preprocess(t) for t in texts]


def raw_texts(texts: Iterable[object]) -> list[str]:
    """Each text as it is, missing as ""."""
    _not_one_string(texts)
    return [_raw(t) for t in texts]


def masked(raw: list[str], names: Iterable[str]) -> list[str]:
    """Training texts with personal data masked (the names after cue words of all of them
    masked in each, with the given ``names``)."""
    from ..privacy import mask_texts

    return mask_texts(raw, names=names)
