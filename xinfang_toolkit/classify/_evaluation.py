"""The quality of a TextClassifier's settings: stratified cross-validation and its result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._model_error import TextClassifierError

__all__ = ["EvaluationResult", "cross_validate"]


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

        from .._base.fonts import font_rc

        data = self.confusion
        if normalize:
            sums = data.sum(axis=1).replace(0, 1)
            data = data.div(sums, axis=0)
        with mpl.rc_context(font_rc()):
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


def _check_folds(y: np.ndarray, cv: int) -> pd.Series:
    """The count of each class, once every class is known to fill ``cv`` folds."""
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
    return counts


def _result(y: np.ndarray, predicted: np.ndarray, classes: list, cv: int) -> EvaluationResult:
    from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

    precision, recall, f1, support = precision_recall_fscore_support(
        y, predicted, labels=classes, zero_division=0
    )
    per_class = pd.DataFrame(
        {"precision": precision, "recall": recall, "f1": f1, "support": support},
        index=pd.Index(classes, name="分类"),
    )
    confusion = pd.DataFrame(
        confusion_matrix(y, predicted, labels=classes),
        index=pd.Index(classes, name="实际分类"),
        columns=pd.Index(classes, name="预测分类"),
    )
    macro = f1_score(y, predicted, labels=classes, average="macro", zero_division=0)
    return EvaluationResult(
        per_class=per_class,
        macro_f1=float(macro),
        accuracy=float((predicted == y).mean()),
        confusion=confusion,
        cv=cv,
        predictions=pd.Series(predicted, name="预测分类"),
    )


def cross_validate(
    new_model: Callable[[], object], texts: list[str], y: np.ndarray, *, cv: int, seed: int
) -> EvaluationResult:
    """Stratified ``cv``-fold cross-validation: a model from ``new_model()`` is fitted on each
    fold's training part and predicts its held-out part."""
    from sklearn.model_selection import StratifiedKFold

    counts = _check_folds(y, cv)
    folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=seed)
    predicted = np.empty(len(y), dtype=object)
    as_array = np.asarray(texts, dtype=object)
    for train, test in folds.split(as_array, y):
        model = new_model()
        predicted[test] = model.fit(list(as_array[train]), y[train]).predict(list(as_array[test]))
    return _result(y, predicted, sorted(counts.index), cv)
