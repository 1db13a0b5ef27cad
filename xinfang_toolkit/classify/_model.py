"""TextClassifier: a trainable classifier of Chinese complaint texts on character n-grams.

No word segmentation is needed: texts are cut into overlapping character n-grams (1-3 by
default), weighted with TF-IDF and fed to a linear model. It learns any label set an office has.
Saved models are JSON (settings, vocabulary, labels) plus a NumPy .npz (idf and coefficients),
loaded with ``allow_pickle=False``: loading never executes code.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # scikit-learn loads when a model is first built, not on import
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    from ._taxonomy import Taxonomy

__all__ = ["EvaluationResult", "TextClassifier", "TextClassifierError"]

_FORMAT = "xinfang_toolkit.TextClassifier/2"
_FORMAT_1 = "xinfang_toolkit.TextClassifier/1"  # sublinear tf, no rule features: still read
_DIGITS = re.compile(r"[0-9]+")
#: n-grams worth showing as evidence: Chinese characters or letters only
_WORDLIKE = re.compile(r"[\u3400-\u9fffa-z]+")
#: every code point for which str.isspace() is true (what the regex \s matches)
_WHITESPACE = (9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 133, 160, 5760, *range(8192, 8203),
               8232, 8233, 8239, 8287, 12288)  # fmt: skip
_TABLE = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # full-width ASCII -> ASCII
_TABLE.update({cp: cp + 32 for cp in range(65, 91)})  # A-Z -> a-z
_TABLE.update({cp: cp - 0xFEE0 + 32 for cp in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ -> a-z
_TABLE.update(dict.fromkeys(_WHITESPACE, 32))
_TABLE[0] = 32


class TextClassifierError(ValueError):
    """Unusable training data or model file; the message is in Chinese, then English."""


def _raw(text: object) -> str:
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return str(text)


def preprocess(text: object) -> str:
    """Full-width letters/digits to half-width, A-Z to lower case, every run of digits to "0",
    whitespace removed (numbers and spacing carry no topic). Missing -> "".

    :class:`_NgramIndex` does exactly the same on arrays of code points.
    """
    s = _raw(text).translate(_TABLE)
    return _DIGITS.sub("0", s).replace(" ", "")


def _as_list(texts: Iterable[object]) -> list[str]:
    if isinstance(texts, str):
        raise TextClassifierError("texts 应为文本列表, 不是单个字符串 (pass a list of texts)")
    return [preprocess(t) for t in texts]


def _raw_list(texts: Iterable[object]) -> list[str]:
    if isinstance(texts, str):
        raise TextClassifierError("texts 应为文本列表, 不是单个字符串 (pass a list of texts)")
    return [_raw(t) for t in texts]


def _masked(raw: list[str], names: Iterable[str]) -> list[str]:
    """Training texts with personal data masked (the names after cue words of all of them
    masked in each, with the given ``names``)."""
    from ..privacy import mask_texts

    return mask_texts(raw, names=names)


def _phrases(text: str, grams: list[str], top: int) -> str:
    """Join the strongest n-grams that overlap in the text into phrases (耕还 + 还林 -> 耕还林).

    ``grams`` are ordered strongest first; the phrases keep the rank of their strongest n-gram.
    """
    spans: list[list[int]] = []  # [start, end, rank]
    for rank, gram in enumerate(grams):
        start = text.find(gram)
        if start < 0:
            continue
        end = start + len(gram)
        for span in spans:
            if start < span[1] and span[0] < end:  # overlaps: grow the phrase
                span[0], span[1] = min(span[0], start), max(span[1], end)
                break
        else:
            spans.append([start, end, rank])
    merged: list[list[int]] = []
    for span in sorted(spans):
        if merged and span[0] < merged[-1][1]:
            last = merged[-1]
            last[1], last[2] = max(last[1], span[1]), min(last[2], span[2])
        else:
            merged.append(span)
    best = sorted(merged, key=lambda s: s[2])[:top]
    return "、".join(text[s:e] for s, e, _ in best)


@dataclass
class EvaluationResult:
    """Cross-validated quality of a TextClassifier (see :meth:`TextClassifier.evaluate`)."""

    #: per class: precision, recall, f1, support (index = class)
    per_class: pd.DataFrame
    macro_f1: float
    accuracy: float
    #: rows = true class, columns = predicted class, values = counts
    confusion: pd.DataFrame
    cv: int
    predictions: pd.Series

    def __repr__(self) -> str:
        return (
            f"EvaluationResult(cv={self.cv}, macro_f1={self.macro_f1:.4f}, "
            f"accuracy={self.accuracy:.4f}, classes={len(self.per_class)})"
        )

    def plot(self, *, ax=None, normalize: bool = True):
        """Seaborn heatmap of the confusion matrix with Chinese labels; returns the Figure."""
        import matplotlib as mpl
        import matplotlib.pyplot as plt
        import seaborn as sns

        data = self.confusion
        if normalize:
            sums = data.sum(axis=1).replace(0, 1)
            data = data.div(sums, axis=0)
        with mpl.rc_context(_chinese_font_rc()):
            if ax is None:
                size = max(5.0, 0.7 * len(data) + 2)
                fig, ax = plt.subplots(figsize=(size + 1, size))
            else:
                fig = ax.figure
            sns.heatmap(
                data,
                annot=True,
                fmt=".2f" if normalize else "d",
                cmap="Blues",
                cbar=False,
                ax=ax,
                vmin=0,
            )
            ax.set_xlabel("预测分类")
            ax.set_ylabel("实际分类")
            ax.set_title(f"混淆矩阵 ({self.cv} 折交叉验证, 宏平均 F1 = {self.macro_f1:.3f})")
            fig.tight_layout()
        return fig


def _chinese_font_rc() -> dict:
    """rcParams that draw Chinese text with the bundled Noto Sans CJK font (``noto-cjk-sans-otc``).

    The font is registered only when plotting; meant for ``matplotlib.rc_context``: no global
    matplotlib setting is changed. classify is a lower layer and does not import ``plots``.
    """
    import noto_cjk_sans_otc
    from matplotlib import font_manager

    path = str(noto_cjk_sans_otc.FONT_PATH)
    font_manager.fontManager.addfont(path)
    family = font_manager.FontProperties(fname=path).get_name()
    return {"font.family": [family, "sans-serif"], "axes.unicode_minus": False}


#: at most this many training texts are refitted to choose the softmax temperature
_CALIBRATION_ROWS = 3000
_BITS = 21  # Unicode code points fit in 21 bits: three of them fit in one uint64
_CHUNK = 50_000


class _NgramIndex:
    """Vectorised equivalent of ``preprocess`` + the fitted TfidfVectorizer(analyzer="char").

    scikit-learn cuts every text into n-grams in a Python loop; here a whole chunk of texts
    becomes one array of code points, is normalised like :func:`preprocess`, and each n-gram of
    up to three characters becomes one integer (code points packed in 21-bit fields) looked up
    in a hash index of the vocabulary. Same matrix, many times faster on big inputs.
    """

    def __init__(
        self, vocabulary: dict[str, int], idf: np.ndarray, ngram_range, *, sublinear: bool = False
    ) -> None:
        self.lo, self.hi = ngram_range
        self.sublinear = sublinear
        self.n_features = len(idf)
        self.idf = np.asarray(idf, dtype=np.float64)
        terms = list(vocabulary)
        keys = np.fromiter((self._pack(s) for s in terms), dtype=np.uint64, count=len(terms))
        # keys of different lengths never collide: code points are >= 1 (0 separates texts)
        self.index = pd.Index(keys)
        self.columns = np.fromiter((vocabulary[s] for s in terms), dtype=np.int64, count=len(terms))
        self.whitespace = np.asarray(_WHITESPACE, dtype=np.uint32)

    @staticmethod
    def usable(ngram_range) -> bool:
        return 1 <= ngram_range[0] <= ngram_range[1] <= 3

    @staticmethod
    def _pack(term: str) -> int:
        key = 0
        for ch in term:
            key = (key << _BITS) | ord(ch)
        return key

    def transform(self, texts: list[str]):
        """TF-IDF matrix of raw (not preprocessed) texts."""
        from scipy import sparse

        parts = [self._chunk(texts[i : i + _CHUNK]) for i in range(0, len(texts), _CHUNK)]
        if not parts:
            return sparse.csr_matrix((0, self.n_features), dtype=np.float32)
        return sparse.vstack(parts, format="csr")

    def _codepoints(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Normalised code points of the chunk (texts separated by 0) and each one's text."""
        n = len(texts)
        joined = "\x00".join(texts)
        if joined.count("\x00") != max(n - 1, 0):
            texts = [s.replace("\x00", " ") for s in texts]
            joined = "\x00".join(texts)
        cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).copy()
        lengths = np.fromiter((len(s) for s in texts), dtype=np.int64, count=n)
        doc = np.repeat(np.arange(n, dtype=np.int64), lengths + 1)[: len(cp)]
        fw = (cp >= 0xFF01) & (cp <= 0xFF5E)
        cp[fw] -= 0xFEE0
        cp[(cp >= 65) & (cp <= 90)] += 32
        digit = (cp >= 48) & (cp <= 57)
        cp[digit] = 48
        run = np.zeros_like(digit)
        run[1:] = digit[1:] & digit[:-1]
        drop = run | np.isin(cp, self.whitespace)
        return cp[~drop].astype(np.uint64), doc[~drop]

    def grams(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every n-gram of a chunk: packed key, its text, its length (in text order per size)."""
        cp, doc = self._codepoints(texts)
        sep = cp == 0
        keys, owners, sizes = [], [], []
        for size in range(self.lo, self.hi + 1):
            if len(cp) < size:
                continue
            m = len(cp) - size + 1
            key = np.zeros(m, dtype=np.uint64)
            bad = np.zeros(m, dtype=bool)
            for j in range(size):
                key = (key << np.uint64(_BITS)) | cp[j : j + m]
                bad |= sep[j : j + m]
            keys.append(key[~bad])
            owners.append(doc[:m][~bad])
            sizes.append(np.full(len(keys[-1]), size, dtype=np.int8))
        if not keys:
            return np.zeros(0, np.uint64), np.zeros(0, np.int64), np.zeros(0, np.int8)
        return np.concatenate(keys), np.concatenate(owners), np.concatenate(sizes)

    def _chunk(self, texts: list[str]):
        from scipy import sparse
        from sklearn.preprocessing import normalize

        n = len(texts)
        key, owner, _ = self.grams(texts)
        pos = self.index.get_indexer(key)
        hit = pos >= 0
        r, c = owner[hit], self.columns[pos[hit]]
        x = sparse.csr_matrix(
            (np.ones(len(r), dtype=np.float64), (r, c)), shape=(n, self.n_features)
        )
        x.sum_duplicates()
        x.data = _tf(x.data, self.sublinear) * self.idf[x.indices]
        return normalize(x, norm="l2", copy=False).astype(np.float32)


def _tf(counts: np.ndarray, sublinear: bool) -> np.ndarray:
    return 1.0 + np.log(counts) if sublinear else counts


def _unpack(key: int, size: int) -> str:
    mask = (1 << _BITS) - 1
    return "".join(chr((key >> (_BITS * (size - 1 - j))) & mask) for j in range(size))


def fit_tfidf(
    raw: list[str],
    ngram_range,
    *,
    min_df: int = 1,
    max_features: int | None = None,
    sublinear: bool = False,
) -> tuple[dict[str, int], np.ndarray, object]:
    """Vocabulary, smoothed idf and TF-IDF matrix of raw texts, as
    ``TfidfVectorizer(analyzer="char", sublinear_tf=sublinear)`` learns them from the preprocessed
    texts (terms sorted, ``min_df`` then ``max_features`` by total count), computed in one pass
    on arrays of code points instead of a Python loop over n-grams.
    """
    from scipy import sparse
    from sklearn.preprocessing import normalize

    scan = _NgramIndex({}, np.zeros(0), ngram_range)
    keys, owners, sizes = [], [], []
    for i in range(0, len(raw), _CHUNK):
        k, o, z = scan.grams(raw[i : i + _CHUNK])
        keys.append(k)
        owners.append(o + i)
        sizes.append(z)
    key = np.concatenate(keys) if keys else np.zeros(0, np.uint64)
    owner = np.concatenate(owners) if owners else np.zeros(0, np.int64)
    code, uniq = pd.factorize(key, sort=False)
    n_terms = len(uniq)
    term_size = np.zeros(n_terms, dtype=np.int8)
    term_size[code] = np.concatenate(sizes) if sizes else np.zeros(0, np.int8)
    counts = sparse.csr_matrix(
        (np.ones(len(code), dtype=np.float64), (owner, code)), shape=(len(raw), n_terms)
    )
    counts.sum_duplicates()
    df = np.bincount(counts.indices, minlength=n_terms)
    terms = [
        _unpack(int(k), int(z)) for k, z in zip(uniq.tolist(), term_size.tolist(), strict=True)
    ]
    keep = np.asarray(sorted(range(n_terms), key=terms.__getitem__), dtype=np.int64)
    keep = keep[df[keep] >= min_df]
    if max_features is not None and len(keep) > max_features:
        tf = np.bincount(code, minlength=n_terms)
        keep = keep[np.sort(np.argsort(-tf[keep], kind="stable")[:max_features])]
    vocabulary = {terms[t]: i for i, t in enumerate(keep.tolist())}
    idf = np.log((1.0 + len(raw)) / (1.0 + df[keep])) + 1.0
    x = counts[:, keep]
    x.data = _tf(x.data, sublinear) * idf[x.indices]
    return vocabulary, idf, normalize(x, norm="l2", copy=False).astype(np.float32)


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
        self.temperature_: float = temperature if temperature is not None else 0.25
        self.classes_: np.ndarray | None = None
        self._pipe: Pipeline | None = None
        self._index: _NgramIndex | None = None
        self._rules: Taxonomy | None = None
        self._names: np.ndarray | None = None  # feature names, for explain
        self._long: np.ndarray | None = None

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

    @staticmethod
    def _check(texts: list[str], labels: Sequence[object]) -> np.ndarray:
        y = np.asarray([str(v).strip() if v is not None else "" for v in labels], dtype=object)
        if len(texts) != len(y):
            raise TextClassifierError(
                f"文本 {len(texts)} 条, 标签 {len(y)} 条, 数量不一致 (texts and labels differ in length)"
            )
        if len(texts) == 0:
            raise TextClassifierError("没有训练数据 (no training texts)")
        bad = [i for i, v in enumerate(y) if v in ("", "nan", "<NA>", "None")]
        if bad:
            raise TextClassifierError(
                f"第 {bad[0] + 1} 条等 {len(bad)} 条样本没有标签 (labels missing at rows "
                f"{', '.join(str(i + 1) for i in bad[:5])})"
            )
        if len(set(y)) < 2:
            raise TextClassifierError("至少需要两个不同的分类才能训练 (need at least two classes)")
        return y

    def fit(
        self, texts: Iterable[object], labels: Iterable[object], *, names: Iterable[str] = ()
    ) -> TextClassifier:
        """Learn from labelled texts (any label set). Returns self.

        The texts are masked before anything is learned from them (``privacy``: numbers,
        accounts, names after cue words and the persons in ``names``, e.g.
        ``privacy.known_names(cases)``), so a saved model keeps no person's name or number in
        its vocabulary."""
        raw = _raw_list(texts)
        y = self._check(raw, list(labels))
        raw = _masked(raw, names)
        pipe, features = self._fit_features(raw)
        svm = pipe.named_steps["svm"].fit(features, y)
        self._pipe = pipe
        self._names = self._long = None
        self.classes_ = np.asarray(svm.classes_, dtype=object)
        if self.temperature is not None:
            self.temperature_ = float(self.temperature)
        else:
            self.temperature_ = self._calibrate(features, y)
        return self

    def _fit_features(self, raw: list[str]):
        """A pipeline whose vectoriser is fitted on ``raw``, and the TF-IDF matrix of ``raw``."""
        pipe = self._new_pipeline()
        vec: TfidfVectorizer = pipe.named_steps["tfidf"]
        self._index = None
        self._rules = None
        if not _NgramIndex.usable(self.ngram_range):
            return pipe, self._with_rules(raw, vec.fit_transform([preprocess(s) for s in raw]))
        vocabulary, idf, features = fit_tfidf(
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

    def _calibrate(self, features, y: np.ndarray, folds: int = 2) -> float:
        """The softmax temperature minimising the log-loss of out-of-fold margins.

        The folds reuse the vectoriser fitted on all texts (only the SVM is refitted): the
        temperature is a scale of margins, hardly moved by the few n-grams a fold would miss.
        """
        if pd.Series(y).value_counts().min() < 3:  # too few to judge a temperature by
            return 0.25
        from sklearn.model_selection import StratifiedKFold, train_test_split

        if len(y) > _CALIBRATION_ROWS:  # one number: a stratified sample judges it as well
            rows, _ = train_test_split(
                np.arange(len(y)), train_size=_CALIBRATION_ROWS, stratify=y, random_state=0
            )
            features, y = features[np.sort(rows)], y[np.sort(rows)]
        classes = self.classes_
        margins = np.zeros((len(y), len(classes)))
        split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
        for train, test in split.split(np.zeros(len(y)), y):
            svm = self._new_pipeline().named_steps["svm"].fit(features[train], y[train])
            d = svm.decision_function(features[test])
            if d.ndim == 1:
                d = np.column_stack([-d, d])
            cols = np.searchsorted(classes, svm.classes_)
            margins[np.ix_(test, cols)] = d
        truth = np.searchsorted(classes, y)
        best, best_loss = 0.25, np.inf
        for temp in np.geomspace(0.02, 2.0, 41):
            s = margins / temp
            s -= s.max(axis=1, keepdims=True)
            logp = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
            loss = -logp[np.arange(len(truth)), truth].mean()
            if loss < best_loss:
                best, best_loss = float(temp), loss
        return best

    # --- using ------------------------------------------------------------------------------
    def _require(self) -> Pipeline:
        if self._pipe is None:
            raise TextClassifierError("模型尚未训练, 请先调用 fit 或 load (model is not fitted)")
        return self._pipe

    def decision_function(self, texts: Iterable[object]) -> np.ndarray:
        """Margins, one column per class in ``classes_`` order."""
        pipe = self._require()
        raw = _raw_list(texts)
        if not raw:
            return np.zeros((0, len(self.classes_)))
        scores = pipe.named_steps["svm"].decision_function(self._features(raw))
        if scores.ndim == 1:  # two classes: sklearn returns the margin of classes_[1]
            scores = np.column_stack([-scores, scores])
        return np.asarray(scores, dtype=np.float64)

    def predict_proba(self, texts: Iterable[object]) -> np.ndarray:
        """Class probabilities (softmax of margins / temperature), columns in ``classes_`` order."""
        s = self.decision_function(texts) / self.temperature_
        s -= s.max(axis=1, keepdims=True) if len(s) else 0
        e = np.exp(s)
        return e / e.sum(axis=1, keepdims=True) if len(e) else e

    def predict(self, texts: Iterable[object]) -> np.ndarray:
        """The most likely class of each text."""
        s = self.decision_function(texts)
        return self.classes_[s.argmax(axis=1)] if len(s) else np.empty(0, dtype=object)

    def _features(self, raw: list[str]):
        """The model's features of raw texts: n-grams and, with rule_weight, the rule scores."""
        return self._with_rules(raw, self._ngrams(raw))

    def _ngrams(self, raw: list[str]):
        """TF-IDF matrix of raw texts (the fast index when the n-gram range allows it)."""
        pipe = self._require()
        vec: TfidfVectorizer = pipe.named_steps["tfidf"]
        if self._index is None and _NgramIndex.usable(self.ngram_range):
            self._index = _NgramIndex(
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
        vec: TfidfVectorizer = pipe.named_steps["tfidf"]
        coef = np.asarray(pipe.named_steps["svm"].coef_)
        if coef.shape[0] == 1:  # two classes: the margin of classes_[1]
            coef = np.vstack([-coef[0], coef[0]])
        raw = _raw_list(texts)
        x = self._ngrams(raw).tocsr()  # the n-gram columns come first in coef
        n = len(raw)
        where = {c: i for i, c in enumerate(self.classes_)}
        lab = np.fromiter((where.get(v, -1) for v in labels), dtype=np.int64, count=n)
        if self._names is None:
            self._names = vec.get_feature_names_out()
            self._long = np.fromiter(
                (len(g) >= 2 and _WORDLIKE.fullmatch(g) is not None for g in self._names),
                dtype=bool,
                count=len(self._names),
            )
        rows = np.repeat(np.arange(n), np.diff(x.indptr))
        ok = (lab[rows] >= 0) & self._long[x.indices]
        rows, cols = rows[ok], x.indices[ok]
        contrib = x.data[ok] * coef[lab[rows], cols]
        keep = contrib > 0
        rows, cols, contrib = rows[keep], cols[keep], contrib[keep]
        order = np.lexsort((-contrib, rows))  # by text, strongest first
        rows, cols = rows[order], cols[order]
        bounds = np.searchsorted(rows, np.arange(n + 1))
        out = []
        for r in range(n):
            cand = cols[bounds[r] : min(bounds[r + 1], bounds[r] + 4 * top)]
            out.append(_phrases(preprocess(raw[r]), [self._names[c] for c in cand], top))
        return out

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
        from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
        from sklearn.model_selection import StratifiedKFold

        x = _raw_list(texts)
        y = self._check(x, list(labels))
        if cv < 2:
            raise TextClassifierError(f"cv 至少为 2 (cv must be >= 2, got {cv})")
        counts = pd.Series(y).value_counts()
        small = counts[counts < cv]
        if len(small):
            listed = "、".join(f"「{k}」{v} 条" for k, v in small.items())
            raise TextClassifierError(
                f"{cv} 折交叉验证要求每个分类至少 {cv} 条样本, 以下分类不足: {listed}。"
                f"请补充标注或减小 cv (each class needs at least cv={cv} examples)"
            )
        folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=seed)
        pred = np.empty(len(y), dtype=object)
        xa = np.asarray(x, dtype=object)
        settings = {k: v for k, v in self._settings().items() if k != "temperature"}
        for train, test in folds.split(xa, y):
            # a fixed temperature: predictions do not depend on it, so no calibration is run
            model = TextClassifier(**settings, temperature=1.0)
            pred[test] = model.fit(list(xa[train]), y[train]).predict(list(xa[test]))
        classes = sorted(counts.index)
        p, r, f, s = precision_recall_fscore_support(y, pred, labels=classes, zero_division=0)
        per_class = pd.DataFrame(
            {"precision": p, "recall": r, "f1": f, "support": s},
            index=pd.Index(classes, name="分类"),
        )
        cm = confusion_matrix(y, pred, labels=classes)
        confusion = pd.DataFrame(
            cm,
            index=pd.Index(classes, name="实际分类"),
            columns=pd.Index(classes, name="预测分类"),
        )
        return EvaluationResult(
            per_class=per_class,
            macro_f1=float(f1_score(y, pred, labels=classes, average="macro", zero_division=0)),
            accuracy=float((pred == y).mean()),
            confusion=confusion,
            cv=cv,
            predictions=pd.Series(pred, name="预测分类"),
        )

    # --- persistence ------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write ``<path>.json`` (settings, labels, vocabulary) and ``<path>.npz`` (arrays).

        Returns the path of the JSON file. No pickle is involved.
        """
        pipe = self._require()
        base = Path(path)
        if base.suffix in (".json", ".npz"):
            base = base.with_suffix("")
        base.parent.mkdir(parents=True, exist_ok=True)
        vec: TfidfVectorizer = pipe.named_steps["tfidf"]
        svm: LinearSVC = pipe.named_steps["svm"]
        vocab = sorted(vec.vocabulary_.items(), key=lambda kv: kv[1])
        meta = {
            "format": _FORMAT,
            "settings": self._settings(),
            "classes": [str(c) for c in self.classes_],
            "vocabulary": [k for k, _ in vocab],
            "rules": _rules_meta(self._rule_taxonomy()),
        }
        json_path = base.with_suffix(".json")
        json_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        np.savez_compressed(
            base.with_suffix(".npz"),
            idf=np.asarray(vec.idf_, dtype=np.float64),
            coef=np.asarray(svm.coef_, dtype=np.float64),
            intercept=np.asarray(svm.intercept_, dtype=np.float64),
        )
        return json_path

    @classmethod
    def load(cls, path: str | Path) -> TextClassifier:
        """Read a model written by :meth:`save` (``path`` with or without .json/.npz).

        Every part is checked before the model is returned: a missing, truncated or altered
        file, arrays of the wrong shape, unknown or out-of-range settings raise one
        :class:`TextClassifierError` ("模型文件损坏或版本不符: ...") instead of a traceback or a
        model that predicts NaN.
        """
        base = Path(path)
        if base.suffix in (".json", ".npz"):
            base = base.with_suffix("")
        meta, arrays = _read_model_files(base)
        s = meta["settings"]
        obj = cls(
            ngram_range=tuple(s["ngram_range"]),
            C=s["C"],
            min_df=s["min_df"],
            max_features=s["max_features"],
            temperature=s["temperature"],  # the fitted temperature, fixed from now on
            sublinear_tf=s["sublinear_tf"],
            rule_weight=s["rule_weight"],
            taxonomy=_rules_taxonomy(meta["rules"]),
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


_SETTINGS = (
    "ngram_range",
    "C",
    "min_df",
    "max_features",
    "temperature",
    "sublinear_tf",
    "rule_weight",
)
_META = ("format", "settings", "classes", "vocabulary", "rules")


@functools.cache
def _default_rules() -> Taxonomy:
    """The default taxonomy, read and compiled once (parsing and building the automaton take a
    quarter of a second: too much for every fit of a cross-validation). Used read-only."""
    from ._taxonomy import Taxonomy

    tax = Taxonomy.default()
    _ = tax.matcher
    return tax


def _rules_meta(tax: Taxonomy | None) -> list[dict]:
    """The keyword rules a model was trained with, for its JSON file."""
    if tax is None:
        return []
    return [
        {
            "name": c.name,
            "keywords": list(c.all_keywords()),
            "negative": list(c.negative),
            "context": list(c.context),
        }
        for c in tax.classes
    ]


def _rules_taxonomy(rules: list[dict]) -> Taxonomy | None:
    from ._taxonomy import CategoryClass, Taxonomy

    if not rules:
        return None
    classes = [
        CategoryClass(
            r["name"], tuple(r["keywords"]), tuple(r["negative"]), context=tuple(r["context"])
        )
        for r in rules
    ]
    return Taxonomy(classes, source="<model>")


def _upgrade(meta: dict) -> dict:
    """A model of format /1 read as /2: sublinear tf, no rule features."""
    if meta.get("format") != _FORMAT_1 or not isinstance(meta.get("settings"), dict):
        return meta
    meta = {**meta, "format": _FORMAT, "rules": []}
    meta["settings"] = {**meta["settings"], "sublinear_tf": True, "rule_weight": 0.0}
    return meta


def _rules_problems(rules: object) -> list[str]:
    def words(v: object) -> bool:
        return isinstance(v, list) and all(isinstance(w, str) and w for w in v)

    ok = isinstance(rules, list) and all(
        isinstance(r, dict)
        and set(r) == {"name", "keywords", "negative", "context"}
        and isinstance(r["name"], str)
        and r["name"]
        and words(r["keywords"])
        and r["keywords"]
        and words(r["negative"])
        and words(r["context"])
        for r in rules
    )
    return [] if ok else ["规则应为 {name, keywords, negative, context} 的列表 (rules)"]


_ARRAYS = ("idf", "coef", "intercept")


def _broken(base: Path, why: str) -> TextClassifierError:
    return TextClassifierError(
        f"模型文件损坏或版本不符: {base.name}.json / {base.name}.npz: {why} "
        "(model file damaged or of another version; train and save the model again)"
    )


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: object) -> bool:
    return (_is_int(v) or isinstance(v, float)) and bool(np.isfinite(v))


def _read_model_files(base: Path) -> tuple[dict, dict[str, np.ndarray]]:
    """The JSON metadata and the arrays of a saved model, every part checked."""
    import zipfile

    json_path, npz_path = base.with_suffix(".json"), base.with_suffix(".npz")
    for p in (json_path, npz_path):
        if not p.is_file():
            raise _broken(base, f"找不到模型文件 {p} (model file not found)")
    try:
        meta = json.loads(json_path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:  # truncated or altered JSON, bad encoding
        raise _broken(base, f"{json_path.name} 无法读取 ({exc})") from None
    if not isinstance(meta, dict):
        raise _broken(base, f"{json_path.name} 不是本工具保存的模型")
    meta = _upgrade(meta)
    if meta.get("format") != _FORMAT:
        raise _broken(
            base,
            f"{json_path.name} 不是本工具保存的模型 (format {meta.get('format')!r}, "
            f"expected {_FORMAT!r})",
        )
    extra = sorted(set(meta) - set(_META))
    missing = [k for k in _META if k not in meta]
    if missing or extra:
        raise _broken(base, f"缺少 {missing} / 未知的项 {extra}")
    settings = meta["settings"]
    if not isinstance(settings, dict) or set(settings) != set(_SETTINGS):
        got = sorted(settings) if isinstance(settings, dict) else settings
        raise _broken(base, f"设置项应为 {list(_SETTINGS)}, 实为 {got} (unknown settings)")
    problems = _setting_problems(settings) + _rules_problems(meta["rules"])
    if not problems and (settings["rule_weight"] > 0) != bool(meta["rules"]):
        problems.append("rule_weight 与规则列表不一致 (rule_weight vs rules)")
    classes, vocabulary = meta["classes"], meta["vocabulary"]
    if (
        not isinstance(classes, list)
        or len(classes) < 2
        or not all(isinstance(c, str) and c for c in classes)
        or len(set(classes)) != len(classes)
        or classes != sorted(classes)
    ):
        problems.append("分类列表应为至少两个不重复的名称 (classes)")
    if (
        not isinstance(vocabulary, list)
        or not all(isinstance(t, str) and t for t in vocabulary)
        or len(set(vocabulary)) != len(vocabulary)
    ):
        problems.append("词表应为不重复的非空字符串 (vocabulary)")
    if problems:
        raise _broken(base, "; ".join(problems))
    try:
        # the file is opened here: np.load leaves its own handle open when the zip is broken
        with npz_path.open("rb") as fh, np.load(fh, allow_pickle=False) as npz:
            names = set(npz.files)
            if names != set(_ARRAYS):
                raise _broken(base, f"{npz_path.name} 应含 {list(_ARRAYS)}, 实含 {sorted(names)}")
            arrays = {k: np.asarray(npz[k]) for k in _ARRAYS}
    except TextClassifierError:
        raise
    except (ValueError, OSError, EOFError, KeyError, zipfile.BadZipFile) as exc:
        raise _broken(base, f"{npz_path.name} 无法读取 ({type(exc).__name__}: {exc})") from None
    _check_arrays(
        base, arrays, n_classes=len(classes), n_terms=len(vocabulary), n_rules=len(meta["rules"])
    )
    lo, hi = settings["ngram_range"]
    if any(not lo <= len(t) <= hi for t in vocabulary):
        raise _broken(base, f"词表中有长度不在 {lo}-{hi} 之间的词 (vocabulary vs ngram_range)")
    return meta, arrays


def _setting_problems(s: dict) -> list[str]:
    out = []
    ng = s["ngram_range"]
    if not (isinstance(ng, list) and len(ng) == 2 and all(_is_int(v) for v in ng)) or not (
        1 <= ng[0] <= ng[1]
    ):
        out.append(f"ngram_range 应为 [最小, 最大] 且 1 <= 最小 <= 最大, 实为 {ng!r}")
    if not (_is_number(s["C"]) and s["C"] > 0):
        out.append(f"C 应为正数, 实为 {s['C']!r}")
    if not (_is_int(s["min_df"]) and s["min_df"] >= 1):
        out.append(f"min_df 应为正整数, 实为 {s['min_df']!r}")
    mf = s["max_features"]
    if mf is not None and not (_is_int(mf) and mf >= 1):
        out.append(f"max_features 应为正整数或 null, 实为 {mf!r}")
    if not (_is_number(s["temperature"]) and s["temperature"] > 0):
        out.append(f"temperature 应为正数, 实为 {s['temperature']!r} (0 would divide by zero)")
    if not isinstance(s["sublinear_tf"], bool):
        out.append(f"sublinear_tf 应为 true 或 false, 实为 {s['sublinear_tf']!r}")
    if not (_is_number(s["rule_weight"]) and s["rule_weight"] >= 0):
        out.append(f"rule_weight 应为非负数, 实为 {s['rule_weight']!r}")
    return out


def _check_arrays(
    base: Path, a: dict[str, np.ndarray], *, n_classes: int, n_terms: int, n_rules: int
) -> None:
    rows = 1 if n_classes == 2 else n_classes  # two classes: one margin, as LinearSVC stores
    want = {"idf": (n_terms,), "coef": (rows, n_terms + n_rules), "intercept": (rows,)}
    for name, shape in want.items():
        arr = a[name]
        if arr.dtype.kind != "f":
            raise _broken(base, f"{name} 应为浮点数组, 实为 {arr.dtype}")
        if arr.shape != shape:
            raise _broken(
                base,
                f"{name} 的形状应为 {shape} (分类 {n_classes}, 词表 {n_terms}, 规则 {n_rules}), "
                f"实为 {arr.shape}",
            )
        if not np.isfinite(arr).all():
            raise _broken(base, f"{name} 含有 NaN 或无穷大")
        a[name] = arr.astype(np.float64)
    if (a["idf"] < 1.0 - 1e-9).any():  # smoothed idf = ln((1+n)/(1+df)) + 1 >= 1
        raise _broken(base, "idf 中有小于 1 的值")
