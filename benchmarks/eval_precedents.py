"""Quality of 类案 (precedents): precision@5 of ours beside a plain scikit-learn baseline.

    python benchmarks/eval_precedents.py

Three sets, each message / case asked against all the others (never itself):

1. ``benchmarks/precedent_eval.csv``: 72 petition messages written by hand in the words of
   citizens (12 matter types x 6: unpaid wages, land compensation, relocation housing, noise,
   minimum living allowance, housing quality, pollution, village accounts, homestead disputes,
   medical disputes, pensions, veterans), labelled before any tuning and written without the
   synth templates. Relevant = same matter type (5 relevant others per query). The headline.
2. ``xinfang_toolkit/data/eval_messages.csv``: the classifier's held-out set (210 hand-written
   messages, 7 categories). Relevant = same category: a coarse check (our score reads the
   classified category, which correlates with that label, so read it with care).
3. synthetic chains (``synth.generate_cases(with_truth=True)``): relevant = the same generator
   template (the same kind of matter), other persons only. Built from the templates that wrote
   the text, so an easy upper bound, never the headline.

Ours: ``analysis.PrecedentIndex`` (documented score: 0.80 cosine + 0.15 category + 0.05
sub-class), and the same index with the text part alone. Baseline: ``TfidfVectorizer(
analyzer="char", ngram_range=(2, 3), sublinear_tf=True)`` + cosine on the raw texts, top 5.
Categories of sets 1 and 2 come from ``classify`` (the taxonomy rules), never from the labels.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from xinfang_toolkit.analysis import PrecedentIndex, enrich
from xinfang_toolkit.classify import classify
from xinfang_toolkit.schema import conform_cases
from xinfang_toolkit.synth import generate_cases

HERE = Path(__file__).resolve().parent
HAND = HERE / "precedent_eval.csv"
HELD_OUT = HERE.parent / "xinfang_toolkit" / "data" / "eval_messages.csv"
K = 5


def _cases(texts: list[str]) -> pd.DataFrame:
    """Each text a closed case of its own matter (no person: no chain is shared)."""
    n = len(texts)
    frame = pd.DataFrame(
        {
            "case_id": [f"M{i:04d}" for i in range(n)],
            "summary": texts,
            "received_date": pd.Timestamp("2025-01-01"),
            "closed_date": pd.Timestamp("2025-02-01"),
        }
    )
    out = classify(conform_cases(frame))
    out["category"] = out["category_pred"]
    return out


def baseline_top(texts: list[str], k: int = K) -> np.ndarray:
    """Plain scikit-learn TF-IDF (char 2-3 grams) cosine: the k nearest other texts."""
    m = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True).fit_transform(texts)
    sim = (m @ m.T).toarray()
    np.fill_diagonal(sim, -1)
    return np.argsort(-sim, axis=1, kind="stable")[:, :k]


def ours_top(cases: pd.DataFrame, *, k: int = K, weights=None) -> np.ndarray:
    index = PrecedentIndex(weights=weights).fit(cases)
    pos = {c: i for i, c in enumerate(cases["case_id"])}
    out = np.full((len(cases), k), -1)
    for i, cid in enumerate(cases["case_id"]):
        got = index.query(cid, k=k, evidence=False)["case_id"].map(pos).to_numpy()
        out[i, : len(got)] = got
    return out


def precision(top: np.ndarray, labels: np.ndarray) -> float:
    hits = (labels[np.where(top >= 0, top, 0)] == labels[:, None]) & (top >= 0)
    return float(hits.sum() / (top.shape[0] * top.shape[1]))


def evaluate_texts(texts: list[str], labels) -> dict[str, float]:
    labels = np.asarray(labels)
    cases = _cases(texts)
    return {
        "ours": precision(ours_top(cases), labels),
        "ours_text_only": precision(
            ours_top(cases, weights={"text": 1, "category": 0, "subclass": 0}), labels
        ),
        "baseline": precision(baseline_top(texts), labels),
        "chance": float(np.mean([(labels == lab).sum() - 1 for lab in labels]) / (len(labels) - 1)),
    }


def evaluate_hand() -> dict[str, float]:
    frame = pd.read_csv(HAND, encoding="utf-8")
    return evaluate_texts(frame["text"].tolist(), frame["matter_type"].to_numpy())


def evaluate_held_out() -> dict[str, float]:
    frame = pd.read_csv(HELD_OUT, encoding="utf-8")
    return evaluate_texts(frame["text"].tolist(), frame["label"].to_numpy())


def evaluate_synth(n: int = 3000, queries: int = 300, seed: int = 4) -> dict[str, float]:
    raw = generate_cases(n, seed=seed, with_truth=True)
    cases = enrich(raw, today="2026-11-20")
    template = cases["template"].astype(str).to_numpy()
    index = PrecedentIndex().fit(cases)
    rng = np.random.default_rng(seed)
    closed = np.flatnonzero(cases["closed_date"].notna().to_numpy())
    asked = rng.choice(len(cases), size=min(queries, len(cases)), replace=False)
    pos = {c: i for i, c in enumerate(cases["case_id"])}
    ours, base = [], []
    texts = cases["summary"].astype(str).tolist()
    vec = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True)
    m = vec.fit_transform(texts)
    person = cases["person_key"].astype(str).to_numpy()
    for q in asked:
        got = index.query(str(cases["case_id"].iloc[q]), k=K, evidence=False)
        ours.extend(template[got["case_id"].map(pos).to_numpy()] == template[q])
        sim = (m[closed] @ m[q].T).toarray().ravel()
        sim[person[closed] == person[q]] = -1  # the same rule: other persons only
        top = closed[np.argsort(-sim, kind="stable")[:K]]
        base.extend(template[top] == template[q])
    return {"ours": float(np.mean(ours)), "baseline": float(np.mean(base))}


def main() -> int:
    for name, run in (
        ("手写留言 72 条(12 类事项)/ hand-written, matter type", evaluate_hand),
        ("留出集 210 条(7 类)/ held-out classifier set, category", evaluate_held_out),
        ("合成事项链 / synth chains, same template", evaluate_synth),
    ):
        r = run()
        parts = "  ".join(f"{k} {v:.3f}" for k, v in r.items())
        print(f"precision@5  {name}:  {parts}  (ours/baseline {r['ours'] / r['baseline']:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
