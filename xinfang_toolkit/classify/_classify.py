"""classify(): content category and matter type for every case, with the evidence that decided."""

from __future__ import annotations

from dataclasses import astuple, dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._base.distinct import by_code, map_distinct
from ..schema import TEXT_DTYPE, UNCLASSIFIED
from ._taxonomy import Taxonomy, shared_default

if TYPE_CHECKING:  # pragma: no cover
    from ._model import TextClassifier

__all__ = ["classify", "CLASSIFY_COLUMNS"]

#: columns added by classify(), in order
CLASSIFY_COLUMNS: tuple[str, ...] = (
    "category_pred",
    "category_level2",
    "category_source",
    "category_confidence",
    "category_evidence",
    "needs_review",
    "category_machine",
)


def _texts(series: pd.Series) -> pd.Series:
    """Stripped text ("" for missing) as Python str objects, each distinct value once."""
    # object, not str: pandas 3 would store str in Arrow, which rejects a lone surrogate
    codes, clean = map_distinct(series, lambda v: str(v).strip(), missing="")
    return by_code(clean, codes, series.index)


def _text_codes(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    """``pd.factorize(_texts(series))`` from one pass over the rows: the code of each row and
    the distinct stripped texts in order of first appearance (each distinct value stripped
    once; values equal once stripped share a code)."""
    values = series.astype("object").where(series.notna(), "")
    codes, clean = map_distinct(values, lambda v: str(v).strip())
    merged, distinct = pd.factorize(clean)  # the last slot (no row: none is missing) is None
    return merged[codes], list(distinct)


def _then(evidence: np.ndarray) -> np.ndarray:
    """ "; evidence" where there is evidence, else "" (element-wise)."""
    return np.where(evidence != "", "; " + evidence.astype(object), "").astype(object)


@dataclass
class _Answers:
    """The answer for each distinct summary (or pair): class, sub-class, confidence, evidence
    and who decided (``given``, ``rule``, ``model`` or ``none``)."""

    level1: np.ndarray
    level2: np.ndarray
    confidence: np.ndarray
    evidence: np.ndarray
    source: np.ndarray


def _rule_answers(rules: pd.DataFrame) -> _Answers:
    """What the keyword rules say of each distinct summary."""
    level1 = rules["level1"].to_numpy(dtype=object, copy=True)
    return _Answers(
        level1=level1,
        level2=rules["level2"].to_numpy(dtype=object, copy=True),
        confidence=rules["confidence"].to_numpy(dtype=float, copy=True),
        evidence=np.asarray(
            ["关键词: " + e if e else "" for e in rules["evidence"].tolist()], dtype=object
        ),
        source=np.where(level1 == UNCLASSIFIED, "none", "rule").astype(object),
    )


def _let_model_answer(
    machine: _Answers,
    model: TextClassifier,
    uniq: list[str],
    tax: Taxonomy,
    min_model_confidence: float,
) -> None:
    """Where the model is more confident than the rules (and at least
    ``min_model_confidence``), its answer replaces theirs, with its n-grams as evidence."""
    nonempty = np.flatnonzero([bool(t) for t in uniq])
    if not len(nonempty):
        return
    texts = [uniq[i] for i in nonempty]
    proba = model.predict_proba(texts)
    best = proba.argmax(axis=1)
    best_p = proba[np.arange(len(texts)), best]
    labels = np.asarray(model.classes_, dtype=object)[best]
    use = (best_p > machine.confidence[nonempty]) & (best_p >= min_model_confidence)
    if not use.any():
        return
    chosen, chosen_p = labels[use], best_p[use]
    evidence = model.explain([texts[i] for i in np.flatnonzero(use)], chosen)
    names = {v: tax.normalize(v) for v in set(chosen)}
    for j, i in enumerate(nonempty[use]):
        label = chosen[j]
        norm = names[label]
        machine.level1[i] = norm[0] if norm else label
        machine.level2[i] = norm[1] if norm else None
        machine.confidence[i] = chosen_p[j]
        machine.evidence[i] = "模型特征: " + evidence[j] if evidence[j] else "模型"
        machine.source[i] = "model"


@dataclass
class _Pairs:
    """The distinct (summary, given category) pairs of the rows: each row's pair, each pair's
    first row and summary code, and the given categories' codes."""

    pair: np.ndarray
    first: np.ndarray
    summary: np.ndarray
    has_given: bool
    given_codes: np.ndarray
    given_values: object

    @classmethod
    def of(cls, out: pd.DataFrame, codes: np.ndarray) -> _Pairs:
        n = len(out)
        has_given = "category" in out.columns
        given_codes, given_values = (
            pd.factorize(out["category"].astype("object")) if has_given else (np.full(n, -1), [])
        )
        width = len(given_values) + 1  # the given codes, missing (-1) included
        pair, _ = pd.factorize(codes.astype(np.int64) * width + given_codes + 1)
        first = np.zeros(int(pair.max(initial=-1)) + 1, dtype=np.int64)
        first[pair[::-1]] = np.arange(n - 1, -1, -1)  # the first row of each pair
        return cls(pair, first, codes[first], has_given, given_codes, given_values)


def _weigh_given(
    decided: _Answers, machine_level1: np.ndarray, pairs: _Pairs, tax: Taxonomy
) -> np.ndarray:
    """A given category the taxonomy knows decides (checked against the machine's answer);
    an unknown one is flagged. Changes ``decided`` (one entry per pair); returns needs_review."""
    machine = _Answers(*(values.copy() for values in astuple(decided)))
    review = np.zeros(len(pairs.first), dtype=bool)
    # each pair's given name as the whole column's first spelling of it (missing: None)
    values = np.append(np.asarray(pairs.given_values, dtype=object), None)
    given = pd.Series(values[pairs.given_codes[pairs.first]], dtype=object)
    norm = tax.normalize_series(given)
    given_level1 = norm["level1"].astype("object").to_numpy()
    given_level2 = norm["level2"].astype("object").to_numpy()
    names = _texts(given).to_numpy()  # the ledger's name, stripped ("" for none)
    mapped = pd.notna(given_level1).astype(bool)
    mapped_at = np.flatnonzero(mapped)
    agree = machine_level1[mapped_at] == given_level1[mapped_at]
    decided.level1[mapped_at] = given_level1[mapped_at]
    decided.level2[mapped_at] = np.where(
        pd.notna(given_level2[mapped_at]),
        given_level2[mapped_at],
        np.where(agree, machine.level2[mapped_at], None),
    )
    decided.source[mapped_at] = "given"
    arrow = np.where(
        names[mapped_at] != given_level1[mapped_at], "→" + given_level1[mapped_at].astype(str), ""
    )
    shown = "原分类「" + names[mapped_at] + "」" + arrow
    differs = (machine_level1[mapped_at] != UNCLASSIFIED) & ~agree
    disputed, settled = mapped_at[differs], mapped_at[~differs]
    review[disputed] = True
    decided.confidence[disputed] = 1.0 - machine.confidence[disputed]
    who = np.where(machine.source[disputed] == "model", "模型", "规则").astype(object)
    decided.evidence[disputed] = (
        shown[differs]
        + "; "
        + who
        + "判为「"
        + machine_level1[disputed]
        + "」("
        + machine.evidence[disputed]
        + ")"
    )
    decided.confidence[settled] = 1.0
    decided.evidence[settled] = shown[~differs] + _then(machine.evidence[settled])
    unknown = np.flatnonzero((names != "") & ~mapped & ~norm["known"].to_numpy())
    review[unknown] = True
    decided.evidence[unknown] = (
        "原分类「" + names[unknown] + "」不在分类表中" + _then(machine.evidence[unknown])
    )
    return review


def _write_columns(
    out: pd.DataFrame,
    pair: np.ndarray,
    decided: _Answers,
    review: np.ndarray,
    machine_level1: np.ndarray,
) -> None:
    """Every row gets its pair's answer (the CLASSIFY_COLUMNS but matter_type)."""

    def per_row(values: np.ndarray) -> pd.Series:
        text = pd.array(values, dtype=TEXT_DTYPE).take(pair)
        return pd.Series(text, index=out.index)

    confidence = pd.Series(decided.confidence[pair], index=out.index, dtype="float64")
    out["category_pred"] = per_row(decided.level1)
    out["category_level2"] = per_row(decided.level2)
    out["category_source"] = per_row(decided.source)
    out["category_confidence"] = confidence.round(4)
    out["category_evidence"] = per_row(decided.evidence)
    out["needs_review"] = pd.Series(review[pair], index=out.index, dtype=bool)
    out["category_machine"] = per_row(machine_level1)


def _fill_matter_type(out: pd.DataFrame, rules: pd.DataFrame, codes: np.ndarray, n: int) -> None:
    """``matter_type`` by the rules where the ledger gives none (a given value is kept)."""
    rule_matter = rules["matter_type"].to_numpy(dtype=object)[codes] if n else []
    if "matter_type" in out.columns:
        given_mt = out["matter_type"].astype("object")
        mt_codes, mt_texts = _text_codes(given_mt)
        empty = (np.asarray(mt_texts, dtype=object) == "")[mt_codes]
        merged = np.where(empty, rule_matter, given_mt.to_numpy())
        out["matter_type"] = pd.Series(merged, index=out.index, dtype=TEXT_DTYPE)
    else:
        out["matter_type"] = pd.Series(rule_matter, index=out.index, dtype=TEXT_DTYPE)


def classify(
    cases: pd.DataFrame,
    *,
    taxonomy: Taxonomy | None = None,
    model: TextClassifier | None = None,
    min_model_confidence: float = 0.0,
    n_jobs: int = 1,
) -> pd.DataFrame:
    """Return a copy of ``cases`` with a content category and matter type for every row.

    Added columns:

    - ``category_pred``: the category to count. A given ``category`` that the taxonomy knows
      (national name, second-level name or local name such as 征地, 环保, 村级财务) is kept,
      normalised to its national first-level class. Otherwise the rules (keywords) or the
      model decide; nothing matched -> 未分类 (never forced into a class).
    - ``category_level2``: the second-level class, when known.
    - ``category_source``: ``given``, ``rule``, ``model`` or ``none``.
    - ``category_confidence``: 0-1. For a given category it is 1 when the rules/model agree
      or find nothing, else 1 minus their confidence.
    - ``category_evidence``: why, in Chinese: the given name, the keywords that decided, or
      the model's strongest character n-grams.
    - ``needs_review``: the given category disagrees with the prediction, or is unknown.
    - ``category_machine``: what the rules/model say on their own (ignoring the given category).

    ``matter_type`` is filled by the taxonomy's rules where it is empty (a given value is kept).
    With a ``model``, each text takes the rule answer or the model answer, whichever is more
    confident (model answers below ``min_model_confidence`` are ignored).
    Empty or missing summaries give 未分类, never an error. The input is not changed.

    Each distinct summary is matched once. ``n_jobs=2`` matches large inputs (over 200,000
    distinct summaries) in two worker processes; in a script on Windows, call it under
    ``if __name__ == "__main__":`` as for any multiprocessing code.
    """
    if not isinstance(cases, pd.DataFrame):
        raise TypeError("classify 需要一个 DataFrame (cases must be a pandas DataFrame)")
    tax = taxonomy if taxonomy is not None else shared_default()  # read, never changed
    out = cases.copy(deep=False)  # copy-on-write (pandas 3): new columns never reach the input
    n = len(out)
    if "summary" in out.columns:
        codes, uniq = _text_codes(out["summary"])
    else:
        codes, uniq = np.zeros(n, dtype=np.intp), [""] if n else []

    rules = tax.matcher.match(uniq, n_jobs=n_jobs)
    machine = _rule_answers(rules)
    if model is not None and len(uniq):
        _let_model_answer(machine, model, uniq, tax, min_model_confidence)

    # everything below depends only on the summary and the given category: decide once per
    # distinct pair (``pair``), then give every row its pair's answer
    pairs = _Pairs.of(out, codes)
    decided = _Answers(*(values[pairs.summary] for values in astuple(machine)))
    review = np.zeros(len(pairs.first), dtype=bool)
    if pairs.has_given and n:
        review = _weigh_given(decided, machine.level1[pairs.summary], pairs, tax)
    _write_columns(out, pairs.pair, decided, review, machine.level1[pairs.summary])
    _fill_matter_type(out, rules, codes, n)
    return out
