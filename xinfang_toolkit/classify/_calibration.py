"""The softmax temperature that turns a linear model's margins into probabilities."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

__all__ = ["DEFAULT_TEMPERATURE", "calibrate_temperature", "softmax"]

#: the temperature used when there are too few examples to judge one by
DEFAULT_TEMPERATURE = 0.25
#: at most this many training texts are refitted to choose the softmax temperature
_CALIBRATION_ROWS = 3000


def softmax(margins: np.ndarray, temperature: float) -> np.ndarray:
    """Probabilities of each row's classes from their margins."""
    scaled = margins / temperature
    scaled -= scaled.max(axis=1, keepdims=True) if len(scaled) else 0
    e = np.exp(scaled)
    return e / e.sum(axis=1, keepdims=True) if len(e) else e


def _sample(features, y: np.ndarray):
    """At most _CALIBRATION_ROWS rows, stratified: one number is judged as well on them."""
    if len(y) <= _CALIBRATION_ROWS:
        return features, y
    from sklearn.model_selection import train_test_split

    rows, _ = train_test_split(
        np.arange(len(y)), train_size=_CALIBRATION_ROWS, stratify=y, random_state=0
    )
    return features[np.sort(rows)], y[np.sort(rows)]


def _out_of_fold_margins(features, y, classes, new_svm: Callable[[], object], folds: int):
    """Each row's margins by a model fitted on the other folds."""
    from sklearn.model_selection import StratifiedKFold

    margins = np.zeros((len(y), len(classes)))
    split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    for train, test in split.split(np.zeros(len(y)), y):
        svm = new_svm().fit(features[train], y[train])
        fold_margins = svm.decision_function(features[test])
        if fold_margins.ndim == 1:
            fold_margins = np.column_stack([-fold_margins, fold_margins])
        cols = np.searchsorted(classes, svm.classes_)
        margins[np.ix_(test, cols)] = fold_margins
    return margins


def calibrate_temperature(
    features, y: np.ndarray, classes: np.ndarray, new_svm: Callable[[], object], folds: int = 2
) -> float:
    """The softmax temperature minimising the log-loss of out-of-fold margins.

    The folds reuse the features of all texts (only the linear model from ``new_svm()`` is
    refitted): the temperature is a scale of margins, hardly moved by the few n-grams a fold
    would miss.
    """
    if pd.Series(y).value_counts().min() < 3:  # too few to judge a temperature by
        return DEFAULT_TEMPERATURE
    features, y = _sample(features, y)
    margins = _out_of_fold_margins(features, y, classes, new_svm, folds)
    truth = np.searchsorted(classes, y)
    best, best_loss = DEFAULT_TEMPERATURE, np.inf
    for temperature in np.geomspace(0.02, 2.0, 41):
        scaled = margins / temperature
        scaled -= scaled.max(axis=1, keepdims=True)
        log_p = scaled - np.log(np.exp(scaled).sum(axis=1, keepdims=True))
        loss = -log_p[np.arange(len(truth)), truth].mean()
        if loss < best_loss:
            best, best_loss = float(temperature), loss
    return best
