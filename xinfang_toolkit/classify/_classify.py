"""classify(): content category and matter type for every case, with the evidence that decided."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .._base.distinct import by_code, map_distinct
from ..schema import UNCLASSIFIED
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
    m_level1 = rules["level1"].to_numpy(dtype=object, copy=True)
    m_level2 = rules["level2"].to_numpy(dtype=object, copy=True)
    m_conf = rules["confidence"].to_numpy(dtype=float, copy=True)
    m_evid = np.asarray(
        ["关键词: " + e if e else "" for e in rules["evidence"].tolist()], dtype=object
    )
    m_src = np.where(m_level1 == UNCLASSIFIED, "none", "rule").astype(object)

    if model is not None and len(uniq):
        nonempty = np.flatnonzero([bool(t) for t in uniq])
        if len(nonempty):
            texts = [uniq[i] for i in nonempty]
            proba = model.predict_proba(texts)
            best = proba.argmax(axis=1)
            p = proba[np.arange(len(texts)), best]
            labels = np.asarray(model.classes_, dtype=object)[best]
            use = (p > m_conf[nonempty]) & (p >= min_model_confidence)
            if use.any():
                idx = nonempty[use]
                chosen, p_chosen = labels[use], p[use]
                ev = model.explain([texts[i] for i in np.flatnonzero(use)], chosen)
                names = {v: tax.normalize(v) for v in set(chosen)}
                for j, i in enumerate(idx):
                    label = chosen[j]
                    norm = names[label]
                    m_level1[i] = norm[0] if norm else label
                    m_level2[i] = norm[1] if norm else None
                    m_conf[i] = p_chosen[j]
                    m_evid[i] = "模型特征: " + ev[j] if ev[j] else "模型"
                    m_src[i] = "model"

    # everything below depends only on the summary and the given category: decide once per
    # distinct pair (``pair``), then give every row its pair's answer
    has_given = "category" in out.columns
    given_codes, given_values = (
        pd.factorize(out["category"].astype("object")) if has_given else (np.full(n, -1), [])
    )
    width = len(given_values) + 1  # the given codes, missing (-1) included
    pair, _ = pd.factorize(codes.astype(np.int64) * width + given_codes + 1)
    first = np.zeros(int(pair.max(initial=-1)) + 1, dtype=np.int64)
    first[pair[::-1]] = np.arange(n - 1, -1, -1)  # the first row of each pair
    ucodes = codes[first]

    machine1 = m_level1[ucodes]
    machine2 = m_level2[ucodes]
    mconf = m_conf[ucodes]
    mevid = m_evid[ucodes]
    msrc = m_src[ucodes]

    pred = machine1.copy()
    level2 = machine2.copy()
    source = msrc.copy()
    conf = mconf.copy()
    evid = mevid.copy()
    review = np.zeros(len(first), dtype=bool)

    if has_given and n:
        # each pair's given name as the whole column's first spelling of it (missing: None)
        values = np.append(np.asarray(given_values, dtype=object), None)
        given = pd.Series(values[given_codes[first]], dtype=object)
        norm = tax.normalize_series(given)
        g1 = norm["level1"].astype("object").to_numpy()
        g2 = norm["level2"].astype("object").to_numpy()
        known = norm["known"].to_numpy()
        names = _texts(given).to_numpy()  # the ledger's name, stripped ("" for none)
        has_raw = names != ""
        mapped = pd.notna(g1).astype(bool)
        machine_hit = machine1 != UNCLASSIFIED
        i = np.flatnonzero(mapped)
        agree = machine1[i] == g1[i]
        pred[i] = g1[i]
        level2[i] = np.where(pd.notna(g2[i]), g2[i], np.where(agree, machine2[i], None))
        source[i] = "given"
        arrow = np.where(names[i] != g1[i], "→" + g1[i].astype(str), "")
        shown = "原分类「" + names[i] + "」" + arrow
        differs = machine_hit[i] & ~agree
        d, same = i[differs], i[~differs]
        review[d] = True
        conf[d] = 1.0 - mconf[d]
        who = np.where(msrc[d] == "model", "模型", "规则").astype(object)
        evid[d] = shown[differs] + "; " + who + "判为「" + machine1[d] + "」(" + mevid[d] + ")"
        conf[same] = 1.0
        evid[same] = shown[~differs] + _then(mevid[same])
        unknown = np.flatnonzero(has_raw & ~mapped & ~known)
        review[unknown] = True
        evid[unknown] = "原分类「" + names[unknown] + "」不在分类表中" + _then(mevid[unknown])

    def per_row(values: np.ndarray) -> pd.Series:
        text = pd.array(values, dtype="string").take(pair)
        return pd.Series(text, index=out.index)

    out["category_pred"] = per_row(pred)
    out["category_level2"] = per_row(level2)
    out["category_source"] = per_row(source)
    out["category_confidence"] = pd.Series(conf[pair], index=out.index, dtype="float64").round(4)
    out["category_evidence"] = per_row(evid)
    out["needs_review"] = pd.Series(review[pair], index=out.index, dtype=bool)
    out["category_machine"] = per_row(machine1)

    rule_matter = rules["matter_type"].to_numpy(dtype=object)[codes] if n else []
    if "matter_type" in out.columns:
        given_mt = out["matter_type"].astype("object")
        mt_codes, mt_texts = _text_codes(given_mt)
        empty = (np.asarray(mt_texts, dtype=object) == "")[mt_codes]
        merged = np.where(empty, rule_matter, given_mt.to_numpy())
        out["matter_type"] = pd.Series(merged, index=out.index, dtype="string")
    else:
        out["matter_type"] = pd.Series(rule_matter, index=out.index, dtype="string")
    return out
