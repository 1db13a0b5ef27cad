"""Speed of classification: keyword rules and the text model on many summaries.

    python benchmarks/bench_classify.py                # 1,000,000 summaries (the issue's size)
    python benchmarks/bench_classify.py --rows 200000  # quicker

Targets (issue 3, on 2 cores): rules on 1,000,000 summaries < 30 s; model predict on
1,000,000 < 60 s; fit on 10,000 labelled texts < 1 min. Every summary is made distinct (a case
number is appended), the worst case for ``classify``, which works once per distinct summary.

Baselines, measured in the same run on a sample and scaled to --rows:
- rules: a Python loop of regular expressions per case (one alternation per class, ``findall``);
- model: scikit-learn's own ``Pipeline.predict`` (TfidfVectorizer's Python n-gram loop).
Wall-clock and CPU seconds are both printed: on a shared machine wall time includes waiting.
"""

from __future__ import annotations

import argparse
import re

import numpy as np
import pandas as pd
from _timing import Timer

from xinfang_toolkit.classify import Taxonomy, TextClassifier, classify
from xinfang_toolkit.classify._model import preprocess
from xinfang_toolkit.synth import complaint_corpus, generate_cases


def summaries(rows: int, seed: int) -> list[str]:
    base = generate_cases(20_000, seed=seed)["summary"].dropna().tolist()
    base += complaint_corpus(per_class=300, seed=seed)["text"].tolist()
    pick = np.random.default_rng(seed).integers(0, len(base), rows)
    return [f"{base[j]}(编号{i})" for i, j in enumerate(pick)]


def regex_baseline(texts: list[str], tax: Taxonomy) -> list[str]:
    patterns = [
        (c.name, re.compile("|".join(map(re.escape, sorted(c.all_keywords(), key=len)[::-1]))))
        for c in tax.classes
    ]
    out = []
    for text in texts:
        best, score = "未分类", 0
        for name, pat in patterns:
            s = len(set(pat.findall(text)))
            if s > score:
                best, score = name, s
        out.append(best)
    return out


def report(label: str, rows: int, t: Timer, target: float | None = None) -> None:
    rate = rows / t.wall if t.wall else float("inf")
    line = f"{label:<46} {rows:>9,} rows  wall {t.wall:7.2f} s  cpu {t.cpu:7.2f} s  {rate:>11,.0f} rows/s"
    if target is not None:
        line += f"  (target < {target:.0f} s: {'ok' if t.wall < target else 'MISSED'})"
    print(line)


def quality() -> None:
    """Macro-F1 on the stand-in corpus: the issue's 5-fold CV, and a harsher split."""
    from sklearn.metrics import f1_score

    from xinfang_toolkit.classify import labelled_corpus

    print("-- quality (stand-in corpus, 7 classes) --")
    corpus = labelled_corpus()
    res = TextClassifier().evaluate(corpus["text"], corpus["label"], cv=5)
    print(f"evaluate(): 5-fold macro-F1 {res.macro_f1:.4f}, accuracy {res.accuracy:.4f}")
    scores = []
    for k in range(5):  # train and test written from disjoint scenario templates
        train = complaint_corpus(per_class=160, seed=10 + k, scenarios=lambda i, k=k: i % 5 != k)
        test = complaint_corpus(per_class=40, seed=20 + k, scenarios=lambda i, k=k: i % 5 == k)
        pred = TextClassifier().fit(train["text"], train["label"]).predict(test["text"])
        scores.append(f1_score(test["label"], pred, average="macro"))
    print(
        "held-out scenarios (test problems worded as never seen in training): macro-F1 "
        f"{np.mean(scores):.4f} (folds {', '.join(f'{s:.3f}' for s in scores)})\n"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000, help="summaries to classify")
    ap.add_argument("--baseline-rows", type=int, default=20_000, help="sample for the baselines")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--quality", action="store_true", help="also print macro-F1 on the stand-in corpus"
    )
    args = ap.parse_args()
    if args.quality:
        quality()
    scale = args.rows / args.baseline_rows

    print(f"building {args.rows:,} distinct summaries ...")
    texts = summaries(args.rows, args.seed)
    cases = pd.DataFrame({"case_id": np.arange(args.rows).astype(str), "summary": texts})
    sample = texts[: args.baseline_rows]
    tax = Taxonomy.default()
    _ = tax.matcher  # compile the automaton outside the timing (it takes milliseconds)

    print("\n-- rules (Aho-Corasick, one pass per chunk) --")
    with Timer() as t_rules:
        out = classify(cases, taxonomy=tax)
    report("classify(cases) rules only", args.rows, t_rules, target=30)
    with Timer() as t_rules2:
        classify(cases, taxonomy=tax, n_jobs=2)
    report("classify(cases, n_jobs=2) (cpu: parent only)", args.rows, t_rules2, target=30)
    with Timer() as t_base:
        regex_baseline(sample, tax)
    est = t_base.wall * scale
    report("baseline: regex loop per case (sample)", len(sample), t_base)
    print(
        f"   baseline scaled to {args.rows:,} rows: ~{est:.1f} s; speed-up x{est / t_rules.wall:.1f}"
    )
    print(
        f"   classified: {(out['category_pred'] != '未分类').mean():.1%}; "
        f"with evidence: {(out['category_evidence'] != '').mean():.1%}"
    )

    print("\n-- model (char 1-3-gram TF-IDF + linear SVM) --")
    train = complaint_corpus(per_class=1429, seed=args.seed + 1)
    with Timer() as t_fit:
        model = TextClassifier().fit(train["text"], train["label"])
    report("TextClassifier.fit on ~10,000 texts", len(train), t_fit, target=60)
    model.predict(texts[:10])  # build the n-gram index outside the timing
    with Timer() as t_pred:
        model.predict(texts)
    report("TextClassifier.predict", args.rows, t_pred, target=60)
    pipe = model._pipe
    with Timer() as t_skl:
        pipe.predict([preprocess(s) for s in sample])
    est = t_skl.wall * scale
    report("baseline: sklearn Pipeline.predict (sample)", len(sample), t_skl)
    print(
        f"   baseline scaled to {args.rows:,} rows: ~{est:.1f} s; speed-up x{est / t_pred.wall:.1f}"
    )


if __name__ == "__main__":
    main()
