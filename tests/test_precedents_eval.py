"""The 类案 evaluation on hand-written messages (benchmarks/precedent_eval.csv, labelled before
any tuning): ours must beat chance clearly and not fall behind the plain TF-IDF baseline."""

from __future__ import annotations

import importlib.util

import numpy as np
import pandas as pd
from conftest import ROOT


def _module():
    spec = importlib.util.spec_from_file_location(
        "eval_precedents", ROOT / "benchmarks" / "eval_precedents.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_hand_labelled_set_is_balanced_and_unique():
    frame = pd.read_csv(ROOT / "benchmarks" / "precedent_eval.csv", encoding="utf-8")
    assert frame["text"].is_unique
    assert frame["matter_type"].value_counts().eq(6).all()
    assert frame["matter_type"].nunique() == 12


def test_precision_at_5_of_hand_written_messages():
    result = _module().evaluate_hand()
    assert result["ours"] >= result["baseline"]
    assert result["ours"] >= 3 * result["chance"]


def test_precision_counts_hits():
    mod = _module()
    labels = np.array(["a", "a", "b", "b"])
    top = np.array([[1, 2], [0, 3], [3, 0], [2, -1]])
    assert mod.precision(top, labels) == 4 / 8
