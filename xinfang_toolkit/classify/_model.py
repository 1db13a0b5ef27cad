"""TextClassifier: a trainable classifier of Chinese complaint texts on character n-grams.

No word segmentation is needed: texts are cut into overlapping character n-grams (1-3 by
default), weighted with TF-IDF (``_base.ngrams``) and fed to a linear model. It learns any label
set an office has. Saved models are JSON plus a NumPy .npz (``_model_file``): loading never
executes code.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .._base.ngrams import VocabularyIndex, fit_vocabulary, usable_range
from ._calibration import DEFAULT_TEMPERATURE, calibrate_temperature, softmax
from ._evaluation import EvaluationResult, cross_validate
from ._explain import strongest_phrases, wordlike
from ._model_error import TextClassifierError
from ._model_file import (
    model_base,
    read_model_files,
    rules_meta,
    rules_taxonomy,
    write_model_files,
)
from ._model_texts import masked, preprocess, raw_texts

if TYPE_CHECKING:  # scikit-learn loads when a model is first built, not on import
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    from ._taxonomy import Taxonomy

__all__ = ["TextClassifier"]


@functools.cache
def _default_rules() -> Taxonomy:
    """The default taxonomy, read and compiled once (parsing and building the automaton take a
    quarter of a second: too much for every fit of a cross-validation). Used read-only."""
    from ._taxonomy import Taxonomy

    tax = Taxonomy.default()
    _ = tax.matcher
    return tax


def _check_labels(texts: list[str], labels: Sequence[object]) -> np.ndarray:
    """The labels as stripped texts, once they fit the texts and name two classes or more."""
    y = np.asarray([str(v).strip() if v is not None else "" for v in labels], dtype=object)
    if len(texts) != len(y):
        raise TextClassifierError(
            f"文本 {len(texts)} 条, 标签 {len(y)} 条, 数量不一致 (texts and labels differ in length)"
        )
    if len(texts) == 0:
        raise TextClassifierError("没有训练数据 (no training texts)")
    missing = [i for i, v in enumerate(y) if v in ("", "nan", "<NA>", "None")]
    if missing:
        raise TextClassifierError(
            f"第 {missing[0] + 1} 条等 {len(missing)} 条样本没有标签 (labels missing at rows "
            f"{', '.join(str(i + 1) for i in missing[:5])})"
        )
    if len(set(y)) < 2:
        raise TextClassifierError("至少需要两个不同的分类才能训练 (need at least two classes)")
    return y


class TextClassifier:
    """Character n-gram TF-IDF + linear SVM, with softmax-scaled probabilities.

    >>> clf = TextClassifier().fit(texts, labels)        # doctest: +SKIP
    >>> clf.predict(["小区物业乱收费"])                     # doctest: +SKIP
    """

    def __init__(
        self,
        *,
        ngram_range: tuple[int, int] = (1, 3),
        C: float = 1.0,
        min_df: int = 1,
        max_features: int | None = 300_000,
        temperature: float | None = None,
        sublinear_tf: bool = False,
        rule_weight: float = 0.1,
        taxonomy: Taxonomy | None = None,
    ) -> None:
        self.ngram_range = tuple(ngram_range)
        self.C = C
        self.min_df = min_df
        self.max_features = max_features
        self.sublinear_tf = sublinear_tf
        #: weight of the keyword rules' class scores, added as features beside the n-grams:
        #: what the taxonomy knows helps most on wordings the labelled texts do not cover
        #: (0: n-grams only). The rules are those of ``taxonomy`` (default: the default one)
        #: and are saved with the model.
        self.rule_weight = rule_weight
        self.taxonomy = taxonomy
        #: softmax temperature turning SVM margins into probabilities; None: chosen by fit
        #: (2-fold cross-validated log-loss) when every class has 3 examples, else 0.25
        self.temperature = temperature
        self.temperature_: float = temperature if temperature is not None else DEFAULT_TEMPERATURE
        self.classes_: np.ndarray | None = None
        self._pipe: Pipeline | None = None
        self._index: VocabularyIndex | None = None
        self._rules: Taxonomy | None = None
        self._names: np.ndarray | None = None  # feature names, for explain
        self._shown: np.ndarray | None = None  # the names worth showing as evidence

    # --- building ---------------------------------------------------------------------------
    def _new_pipeline(self) -> Pipeline:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import Pipeline
        from sklearn.svm import LinearSVC

        vec = TfidfVectorizer(
            analyzer="char",
            ngram_range=self.ngram_range,
            preprocessor=None,
            lowercase=False,
            min_df=self.min_df,
            max_features=self.max_features,
            sublinear_tf=self.sublinear_tf,
            dtype=np.float32,
        )
        svm = LinearSVC(C=self.C, class_weight="balanced", dual="auto", max_iter=5000)
        return Pipeline([("tfidf", vec), ("svm", svm)])

    def _settings(self) -> dict:
        return {
            "ngram_range": list(self.ngram_range),
            "C": self.C,
            "min_df": self.min_df,
            "max_features": self.max_features,
            "temperature": self.temperature_,
            "sublinear_tf": self.sublinear_tf,
            "rule_weight": self.rule_weight,
        }

    def fit(
        self, texts: Iterable[object], labels: Iterable[object], *, names: Iterable[str] = ()
    ) -> TextClassifier:
        """Learn from labelled texts (any label set). Returns self.

        The texts are masked before anything is learned from them (``privacy``: numbers,
        accounts, names after cue words and the persons in ``names``, e.g.
        ``privacy.known_names(cases)``), so a saved model keeps no person's name or number in
        its vocabulary."""
        raw = raw_texts(texts)
        y = _check_labels(raw, list(labels))
        raw = masked(raw, names)
        pipe, features = self._fit_features(raw)
        svm = pipe.named_steps["svm"].fit(features, y)
        self._pipe = pipe
        self._names = self._shown = None
        self.classes_ = np.asarray(svm.classes_, dtype=object)
        if self.temperature is not None:
            self.temperature_ = float(self.temperature)
        else:
            self.temperature_ = calibrate_temperature(
                features, y, self.classes_, lambda: self._new_pipeline().named_steps["svm"]
            )
        return self

    def _fit_features(self, raw: list[str]):
        """A pipeline whose vectoriser is fitted on ``raw``, and the TF-IDF matrix of ``raw``."""
        pipe = self._new_pipeline()
        vec: TfidfVectorizer = pipe.named_steps["tfidf"]
        self._index = None
        self._rules = None
        if not usable_range(self.ngram_range):
            return pipe, self._with_rules(raw, vec.fit_transform([preprocess(s) for s in raw]))
        vocabulary, idf, features = fit_vocabulary(
            raw,
            self.ngram_range,
            min_df=self.min_df,
            max_features=self.max_features,
            sublinear=self.sublinear_tf,
        )
        if not vocabulary:
            raise TextClassifierError("训练文本中没有可用的字符 (the texts contain no characters)")
        vec.vocabulary_, vec.idf_ = vocabulary, idf
        return pipe, self._with_rules(raw, features)

    def _rule_taxonomy(self) -> Taxonomy | None:
        if self.rule_weight <= 0:
            return None
        if self._rules is None:
            self._rules = self.taxonomy if self.taxonomy is not None else _default_rules()
        return self._rules

    def _with_rules(self, raw: list[str], ngrams):
        """The n-gram matrix with the rules' class scores (L2-normalised, weighted) beside it."""
        tax = self._rule_taxonomy()
        if tax is None:
            return ngrams
        from scipy import sparse
        from sklearn.preprocessing import normalize

        scores = tax.matcher.class_scores(raw)
        extra = normalize(sparse.csr_matrix(scores), norm="l2") * self.rule_weight
        return sparse.hstack([ngrams, extra], format="csr", dtype=np.float32)

    # --- using ------------------------------------------------------------------------------
    def _require(self) -> Pipeline:
        if self._pipe is None:
            raise TextClassifierError("模型尚未训练, 请先调用 fit 或 load (model is not fitted)")
        return self._pipe

    def decision_function(self, texts: Iterable[object]) -> np.ndarray:
        """Margins, one column per class in ``classes_`` order."""
        pipe = self._require()
        raw = raw_texts(texts)
        if not raw:
            return np.zeros((0, len(self.classes_)))
        scores = pipe.named_steps["svm"].decision_function(self._features(raw))
        if scores.ndim == 1:  # two classes: sklearn returns the margin of classes_[1]
            scores = np.column_stack([-scores, scores])
        return np.asarray(scores, dtype=np.float64)

    def predict_proba(self, texts: Iterable[object]) -> np.ndarray:
        """Class probabilities (softmax of margins / temperature), columns in ``classes_`` order."""
        return softmax(self.decision_function(texts), self.temperature_)

    def predict(self, texts: Iterable[object]) -> np.ndarray:
        """The most likely class of each text."""
        margins = self.decision_function(texts)
        return self.classes_[margins.argmax(axis=1)] if len(margins) else np.empty(0, dtype=object)

    def _features(self, raw: list[str]):
        """The model's features of raw texts: n-grams and, with rule_weight, the rule scores."""
        return self._with_rules(raw, self._ngrams(raw))

    def _ngrams(self, raw: list[str]):
        """TF-IDF matrix of raw texts (the fast index when the n-gram range allows it)."""
        pipe = self._require()
        vec: TfidfVectorizer = pipe.named_steps["tfidf"]
        if self._index is None and usable_range(self.ngram_range):
            self._index = VocabularyIndex(
                vec.vocabulary_, vec.idf_, self.ngram_range, sublinear=self.sublinear_tf
            )
        if self._index is not None:
            return self._index.transform(raw)
        return vec.transform([preprocess(s) for s in raw])

    def explain(
        self, texts: Sequence[object], labels: Sequence[object], *, top: int = 3
    ) -> list[str]:
        """The character n-grams that pushed each text most towards its label ("、"-joined).

        Only n-grams of two characters or more count; those overlapping in the text are joined
        into one phrase (退耕 + 耕还 + 还林 -> 退耕还林). At most ``top`` phrases per text.
        """
        pipe = self._require()
        coef = np.asarray(pipe.named_steps["svm"].coef_)
        if coef.shape[0] == 1:  # two classes: the margin of classes_[1]
            coef = np.vstack([-coef[0], coef[0]])
        raw = raw_texts(texts)
        where = {c: i for i, c in enumerate(self.classes_)}
        label_rows = np.fromiter((where.get(v, -1) for v in labels), np.int64, len(raw))
        if self._names is None:
            self._names = pipe.named_steps["tfidf"].get_feature_names_out()
            self._shown = wordlike(self._names)
        x = self._ngrams(raw).tocsr()  # the n-gram columns come first in coef
        texts = [preprocess(t) for t in raw]
        return strongest_phrases(x, coef, label_rows, self._names, self._shown, texts, top)

    # --- quality ----------------------------------------------------------------------------
    def evaluate(
        self,
        texts: Iterable[object],
        labels: Iterable[object],
        *,
        cv: int = 5,
        seed: int = 0,
    ) -> EvaluationResult:
        """Stratified ``cv``-fold cross-validation of this model's settings on the given data.

        Every class needs at least ``cv`` examples; otherwise a clear error names the classes.
        Does not change this (possibly fitted) model.
        """
        x = raw_texts(texts)
        y = _check_labels(x, list(labels))
        settings = {k: v for k, v in self._settings().items() if k != "temperature"}
        # a fixed temperature: predictions do not depend on it, so no calibration is run
        return cross_validate(
            lambda: TextClassifier(**settings, temperature=1.0), x, y, cv=cv, seed=seed
        )

    # --- persistence ------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write ``<path>.json`` (settings, labels, vocabulary) and ``<path>.npz`` (arrays).

        Returns the path of the JSON file. No pickle is involved.
        """
        pipe = self._require()
        vec: TfidfVectorizer = pipe.named_steps["tfidf"]
        svm: LinearSVC = pipe.named_steps["svm"]
        vocab = sorted(vec.vocabulary_.items(), key=lambda kv: kv[1])
        return write_model_files(
            model_base(path),
            settings=self._settings(),
            classes=self.classes_,
            vocabulary=[k for k, _ in vocab],
            rules=rules_meta(self._rule_taxonomy()),
            arrays={"idf": vec.idf_, "coef": svm.coef_, "intercept": svm.intercept_},
        )

    @classmethod
    def load(cls, path: str | Path) -> TextClassifier:
        """Read a model written by :meth:`save` (``path`` with or without .json/.npz).

        Every part is checked before the model is returned: a missing, truncated or altered
        file, arrays of the wrong shape, unknown or out-of-range settings raise one
        :class:`TextClassifierError` ("模型文件损坏或版本不符: ...") instead of a traceback or a
        model that predicts NaN.
        """
        meta, arrays = read_model_files(model_base(path))
        s = meta["settings"]
        obj = cls(
            ngram_range=tuple(s["ngram_range"]),
            C=s["C"],
            min_df=s["min_df"],
            max_features=s["max_features"],
            temperature=s["temperature"],  # the fitted temperature, fixed from now on
            sublinear_tf=s["sublinear_tf"],
            rule_weight=s["rule_weight"],
            taxonomy=rules_taxonomy(meta["rules"]),
        )
        pipe = obj._new_pipeline()
        vec: TfidfVectorizer = pipe.named_steps["tfidf"]
        vec.vocabulary_ = {term: i for i, term in enumerate(meta["vocabulary"])}
        vec.idf_ = arrays["idf"]
        svm: LinearSVC = pipe.named_steps["svm"]
        svm.coef_ = arrays["coef"]
        svm.intercept_ = arrays["intercept"]
        svm.classes_ = np.asarray(meta["classes"], dtype=object)
        obj._pipe = pipe
        obj.classes_ = svm.classes_
        return obj

    def __repr__(self) -> str:
        state = f"{len(self.classes_)} 类" if self.classes_ is not None else "未训练"
        return f"TextClassifier({state}, ngram_range={self.ngram_range}, C={self.C})"
