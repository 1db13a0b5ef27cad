"""Speed of classification: keyword rules and the text model on many summaries.

    python benchmarks/bench_classify.py                # 1,000,000 summaries (the issue's size)
    python benchmarks/bench_classify.py --rows 200000  # quicker

Targets (on 2 cores): rules on 1,000,000 summaries < 30 s; model predict on
1,000,000 < 60 s; fit on 10,000 labelled texts < 1 min. Every summary is made distinct (a case
number is appended), the worst case for ``classify``, which works once per distinct summary.

Quality and fit + predict time, printed first (``--skip-quality`` leaves them out):
TextClassifier against the plain ``make_pipeline(TfidfVectorizer(analyzer="char",
ngram_range=(1, 3)), LinearSVC())`` on the same folds of four labelled sets (target: macro-F1
at least +0.005, time at most 1.5x), and the zero-shot keyword rules on the hand-written
held-out set (data/eval_messages.csv) beside their figures before the tuning (target 0.80).

Baselines, measured in the same run on a sample and scaled to --rows:
- rules: a Python loop of regular expressions per case (one alternation per class, ``findall``);
- model: the plain scikit-learn pipeline's ``predict`` (TfidfVectorizer's Python n-gram loop).
Wall-clock and CPU seconds are both printed: on a shared machine wall time includes waiting.
"""

from __future__ import annotations

import argparse
import re

import numpy as np
import pandas as pd
from _timing import Timer

from xinfang_toolkit.classify import Taxonomy, TextClassifier, classify
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


def plain_pipeline():
    """The baseline: scikit-learn's plain char 1-3-gram TF-IDF + LinearSVC."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    return make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 3)), LinearSVC())


def labelled_sets() -> dict[str, list[tuple[list[str], list[str], list[str], list[str]]]]:
    """Train/test folds of four labelled sets: name -> [(x_train, y_train, x_test, y_test)].

    - stand-in corpus, 5-fold CV (data/labelled_complaints.csv, 7 classes);
    - stand-in scenarios held out: train and test written from disjoint scenario templates;
    - synth case summaries (15 classes), 5 folds grouped by template (test templates unseen);
    - hand-written held-out set (data/eval_messages.csv, 210 messages) for a model trained on
      the whole stand-in corpus: other words, other writer.
    """
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    from xinfang_toolkit.classify import handwritten_messages, labelled_corpus

    def folds(x, y, split):
        x, y = np.asarray(x, dtype=object), np.asarray(y, dtype=object)
        return [(list(x[a]), list(y[a]), list(x[b]), list(y[b])) for a, b in split]

    corpus = labelled_corpus()
    x, y = corpus["text"].tolist(), corpus["label"].tolist()
    sets = {
        "stand-in corpus, 5-fold CV": folds(
            x, y, StratifiedKFold(5, shuffle=True, random_state=0).split(x, y)
        )
    }
    scen = []
    for k in range(5):
        train = complaint_corpus(per_class=160, seed=10 + k, scenarios=lambda i, k=k: i % 5 != k)
        test = complaint_corpus(per_class=40, seed=20 + k, scenarios=lambda i, k=k: i % 5 == k)
        scen.append(
            (
                train["text"].tolist(),
                train["label"].tolist(),
                test["text"].tolist(),
                test["label"].tolist(),
            )
        )
    sets["stand-in, held-out scenarios"] = scen
    cases = generate_cases(6_000, seed=3, with_truth=True).dropna(subset=["summary"])
    cases = cases.drop_duplicates("summary")
    sx, sy, groups = (
        cases["summary"].tolist(),
        cases["true_category"].tolist(),
        cases["template"].tolist(),
    )
    sets["synth summaries, held-out templates"] = folds(sx, sy, GroupKFold(5).split(sx, sy, groups))
    held = handwritten_messages()
    sets["hand-written set (trained on stand-in)"] = [
        (x, y, held["text"].tolist(), held["label"].tolist())
    ]
    return sets


def compare_models(
    make_ours=None, make_base=plain_pipeline
) -> list[tuple[str, float, float, float, float]]:
    """(set, our macro-F1, baseline macro-F1, our fit+predict s, baseline fit+predict s)."""
    import time

    from sklearn.metrics import f1_score

    make_ours = make_ours or TextClassifier
    rows = []
    for name, splits in labelled_sets().items():
        f_o, f_b, t_o, t_b = [], [], 0.0, 0.0
        for xtr, ytr, xte, yte in splits:
            start = time.process_time()
            pred = make_base().fit(xtr, ytr).predict(xte)
            t_b += time.process_time() - start
            f_b.append(f1_score(yte, pred, average="macro"))
            start = time.process_time()
            pred = make_ours().fit(xtr, ytr).predict(xte)
            t_o += time.process_time() - start
            f_o.append(f1_score(yte, pred, average="macro"))
        rows.append((name, float(np.mean(f_o)), float(np.mean(f_b)), t_o, t_b))
    return rows


def zero_shot(tax: Taxonomy | None = None) -> list[tuple[str, float, float]]:
    """Macro-F1 and unclassified share of the keyword rules alone (no labelled data)."""
    from sklearn.metrics import f1_score

    from xinfang_toolkit.classify import handwritten_messages, labelled_corpus

    tax = tax or Taxonomy.default()
    out = []
    for name, df in (
        ("hand-written held-out set (210)", handwritten_messages()),
        ("stand-in corpus (1,400)", labelled_corpus()),
    ):
        got = tax.matcher.match(df["text"].tolist())["level1"]
        labels = sorted(set(df["label"]))
        f1 = f1_score(df["label"], got, labels=labels, average="macro", zero_division=0)
        out.append((name, float(f1), float((got == "未分类").mean())))
    return out


#: the zero-shot figures of the default taxonomy before the 2026-12 tuning (same sets, same code)
ZERO_SHOT_BEFORE = {
    "hand-written held-out set (210)": (0.7353, 0.248),
    "stand-in corpus (1,400)": (0.7458, 0.103),
}


def quality() -> None:
    """Model against the plain pipeline on four labelled sets; the zero-shot rules."""
    print("-- TextClassifier vs plain make_pipeline(TfidfVectorizer(char, 1-3), LinearSVC()) --")
    print("   (same folds; fit + predict CPU seconds summed over the folds)")
    for name, f_o, f_b, t_o, t_b in compare_models():
        print(
            f"{name:<42} macro-F1 {f_o:.4f} vs {f_b:.4f} ({f_o - f_b:+.4f}, target >= +0.005)  "
            f"time {t_o:6.2f} s vs {t_b:6.2f} s (x{t_o / t_b:.2f}, target <= 1.5x)"
        )
    print("\n-- zero-shot rules (default taxonomy, 7 classes; 未分类 counts as wrong) --")
    for name, f1, unc in zero_shot():
        f0, u0 = ZERO_SHOT_BEFORE[name]
        print(
            f"{name:<42} macro-F1 {f1:.4f} (before {f0:.4f}, target 0.80)  "
            f"unclassified {unc:.1%} (before {u0:.1%})"
        )
    print()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000, help="summaries to classify")
    ap.add_argument("--baseline-rows", type=int, default=20_000, help="sample for the baselines")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--skip-quality",
        action="store_true",
        help="leave out the comparison with the plain pipeline and the zero-shot figures",
    )
    args = ap.parse_args()
    if not args.skip_quality:
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
    plain = plain_pipeline().fit(train["text"].tolist(), train["label"].tolist())
    with Timer() as t_skl:
        plain.predict(sample)
    est = t_skl.wall * scale
    report("baseline: plain sklearn pipeline predict (sample)", len(sample), t_skl)
    print(
        f"   baseline scaled to {args.rows:,} rows: ~{est:.1f} s; speed-up x{est / t_pred.wall:.1f}"
    )


if __name__ == "__main__":
    main()
