"""类案: matters like this one, and how they were resolved elsewhere.

A precedent is a case of *another* matter (never a case of the asking person's own chain or of
any other chain of the same person key) whose text is close to the query's, across localities
and years. :class:`PrecedentIndex` is fitted once over a cases frame (an inverted index of the
character 2-3-gram TF-IDF of ``_base.ngrams``, the engine that links repeat chains); each
query then touches only the postings of its own n-grams.

The score (``similarity``, 0..1), with the default :data:`PRECEDENT_WEIGHTS`::

    similarity = 0.80 x cosine(TF-IDF of the two summaries)
               + 0.15 x [same national category, both classified]
               + 0.05 x [same sub-class (category_level2), both known]

Only cases sharing at least one n-gram with the query (cosine > 0) are candidates, so a
category alone never makes a precedent. Each matter (chain) appears once, by its best case.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from .._base.ngrams import (
    HASHED_COLUMNS,
    hashed_columns,
    hashed_counts,
    normalized_texts,
    tfidf_distinct,
)
from ..privacy import TextMasker, frame_masker
from ..schema import TEXT_DTYPE, UNCLASSIFIED
from ._util import check_weights, column, dates, flag, stripped

__all__ = ["PRECEDENT_COLUMNS", "PRECEDENT_WEIGHTS", "PrecedentIndex", "find_precedents"]

#: weights of the score's parts (non-negative; divided by their sum)
PRECEDENT_WEIGHTS: dict[str, float] = {"text": 0.80, "category": 0.15, "subclass": 0.05}

#: the columns of a precedents frame, in order (``resolution_type`` / ``resolved_date`` are
#: added after ``resolution`` when the cases have those columns)
PRECEDENT_COLUMNS: tuple[str, ...] = (
    "query_case_id",
    "rank",
    "case_id",
    "chain_id",
    "similarity",
    "text_similarity",
    "same_category",
    "same_subclass",
    "shared_terms",
    "locality",
    "responsible_unit",
    "category",
    "category_level2",
    "summary",
    "received_date",
    "closed_date",
    "days_taken",
    "outcome",
    "resolution",
    "stopped",
)


def _codes(values: pd.Series, *, empty: tuple[str, ...] = ("",)) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of a text column (-1 for missing, empty or any of ``empty``) and the texts."""
    s = stripped(values.astype(TEXT_DTYPE))
    s = s.where(~s.isin(list(empty)))
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def resolved_mask(cases: pd.DataFrame) -> np.ndarray:
    """Resolved (办结 or 化解): a closing date, or a ``resolved_date`` / true ``resolved_flag``
    where the ledger has those columns."""
    out = dates(cases, "closed_date").notna().to_numpy(dtype=bool).copy()
    if "resolved_date" in cases.columns:
        out |= dates(cases, "resolved_date").notna().to_numpy(dtype=bool)
    if "resolved_flag" in cases.columns:
        out |= flag(cases, "resolved_flag").to_numpy(dtype=bool)
    return out


def stopped_after_answer(
    cases: pd.DataFrame, chains: np.ndarray, *, quiet_days: int, as_of: pd.Timestamp
) -> pd.Series:
    """息诉: after this case's answer (closed_date) the matter's chain had no new submission within
    ``quiet_days``. True / False; missing when there is no answer yet or fewer than
    ``quiet_days`` days have passed since it by ``as_of`` (too early to tell)."""
    received = dates(cases, "received_date").to_numpy(dtype="datetime64[D]")
    closed = dates(cases, "closed_date").to_numpy(dtype="datetime64[D]")
    n = len(cases)
    nat = np.datetime64("NaT")
    next_recv = np.full(n, nat, dtype="datetime64[D]")
    valid = (chains >= 0) & ~np.isnat(received)
    pos = np.flatnonzero(valid)
    order = pos[np.lexsort((received[pos], chains[pos]))]
    same = chains[order][1:] == chains[order][:-1]
    # the next submission of the same chain received after this one (ties: the later row)
    nxt = np.full(len(order), nat, dtype="datetime64[D]")
    nxt[:-1] = np.where(same, received[order][1:], nat)
    next_recv[order] = nxt
    limit = closed + np.timedelta64(int(quiet_days), "D")
    came_back = ~np.isnat(next_recv) & ~np.isnat(closed) & (next_recv <= limit)
    known = ~np.isnat(closed) & (came_back | (limit <= np.datetime64(as_of.date(), "D")))
    out = pd.array(np.where(came_back, False, True), dtype="boolean")
    out[~known] = pd.NA
    return pd.Series(out, index=cases.index)


def _gram_idf(grams: list[str], idf: np.ndarray) -> np.ndarray:
    """The index's idf of each 3-character gram (hashed as the comparing n-grams are)."""
    if not grams:
        return np.zeros(0)
    return idf[hashed_columns(grams)].astype(float)


def _terms(query_text: str, other: str, idf: np.ndarray, *, top: int = 4) -> str:
    """The evidence: the longest runs of the query's (normalised) text that the other text has
    too (every 3 characters of a run occur in both), the rarest in the index first."""
    q, o = normalized_texts([query_text, other])
    theirs = {o[i : i + 3] for i in range(len(o) - 2)}
    starts = [i for i in range(len(q) - 2) if q[i : i + 3] in theirs]
    if not starts:
        return ""
    weight = dict(zip(starts, _gram_idf([q[i : i + 3] for i in starts], idf), strict=True))
    runs: list[tuple[float, int, str]] = []
    begin = prev = starts[0]
    for i in [*starts[1:], None]:
        if i is not None and i == prev + 1:
            prev = i
            continue
        run = q[begin : prev + 3]
        score = sum(weight[j] for j in range(begin, prev + 1))
        runs.append((-score, begin, run[:12]))
        if i is not None:
            begin = prev = i
    picked = [r for _, _, r in sorted(runs)[:top]]
    return "、".join(dict.fromkeys(picked))


_TAKEN = (
    "case_id",
    "chain_id",
    "petitioner",
    "summary",
    "locality",
    "responsible_unit",
    "category",
    "category_level2",
    "received_date",
    "closed_date",
    "outcome",
    "resolution_type",
    "resolved_date",
)


class PrecedentIndex:
    """An index of cases for 类案 queries: fitted once (:meth:`fit`), queried many times.

    ``weights``: the parts of the score (see :data:`PRECEDENT_WEIGHTS` and the module text);
    ``quiet_days``: how long a chain must stay silent after an answer to count as stopped;
    ``as_of``: the day "stopped" is judged on (default: ``attrs["xf_as_of"]`` of an enriched
    frame, else the latest received or closed date in the data).

    The cases need ``case_id`` and ``summary``; ``chain_id`` / ``person_key`` (from
    ``link_repeats`` / ``enrich``) keep a person's own matters out of the answers; ``category``
    and ``category_level2`` (``classify``) add agreement to the score. After :meth:`fit`:
    ``n_cases``, ``n_texts`` (distinct normalised summaries), ``nnz`` (postings).
    """

    def __init__(
        self,
        *,
        weights: dict[str, float] | None = None,
        quiet_days: int = 180,
        as_of: object = None,
    ) -> None:
        w = check_weights(weights, PRECEDENT_WEIGHTS, what="类案权重")
        total = sum(w.values()) or 1.0
        self.weights = {k: v / total for k, v in w.items()}
        self.quiet_days = int(quiet_days)
        self.as_of = as_of
        self.cases: pd.DataFrame | None = None
        self._masker: TextMasker | None = None

    # -- fitting ---------------------------------------------------------------------------
    def fit(self, cases: pd.DataFrame) -> PrecedentIndex:
        """Build the index over ``cases`` (kept by reference; not copied, not changed)."""
        from ._enrich import AS_OF_ATTR

        if "summary" not in cases.columns or "case_id" not in cases.columns:
            raise ValueError(
                "类案检索需要 case_id 和 summary 两列 / cases need case_id and summary"
            )
        self.cases = cases
        self._masker = None
        matrix, _, text_of, _ = tfidf_distinct(column(cases, "summary").to_numpy(dtype=object))
        self._text_of = text_of.astype(np.int64)
        self.n_texts = matrix.shape[0]
        df = np.bincount(matrix.indices, minlength=HASHED_COLUMNS)
        self._idf = (np.log((1 + self.n_texts) / (1 + df)) + 1).astype(np.float32)
        # the inverted index: one row of postings (distinct text, weight) per hashed n-gram
        self._postings = sparse.csr_matrix(matrix.T)
        self.nnz = int(matrix.nnz)
        self._category, self._category_names = _codes(
            column(cases, "category"), empty=("", UNCLASSIFIED)
        )
        self._subclass = _codes(column(cases, "category_level2"))[0]
        self._chain = _codes(column(cases, "chain_id"))[0]
        self._person = _codes(column(cases, "person_key"))[0]
        self._resolved = resolved_mask(cases)
        day = self.as_of if self.as_of is not None else cases.attrs.get(AS_OF_ATTR)
        if day is None:
            latest = pd.concat(
                [dates(cases, "received_date"), dates(cases, "closed_date")], ignore_index=True
            ).max()
            day = latest if pd.notna(latest) else pd.Timestamp.today()
        self._day = pd.Timestamp(day).normalize()
        self._stopped = stopped_after_answer(
            cases, self._chain, quiet_days=self.quiet_days, as_of=self._day
        )
        self._ids = pd.Index(column(cases, "case_id").astype(TEXT_DTYPE))
        self._summary = column(cases, "summary").astype(TEXT_DTYPE).to_numpy(dtype=object)
        # the cases of each distinct text: cases_of[starts[t]:starts[t + 1]]
        self._cases_of = np.argsort(self._text_of, kind="stable")
        self._starts = np.searchsorted(self._text_of[self._cases_of], np.arange(self.n_texts + 1))
        self.n_cases = len(cases)
        return self

    @property
    def masker(self) -> TextMasker:
        """Masks the free text an answer shows (summaries, outcomes, shared terms): every
        person the indexed cases know, not only the answer's own (a summary may name the
        petitioner of another case). Built on first use, once."""
        if self._masker is None:
            self._masker = frame_masker(self.cases)
        return self._masker

    @property
    def nbytes(self) -> int:
        """Memory held by the index's own arrays (the cases frame it reads is not counted)."""
        arrays = [v for v in vars(self).values() if isinstance(v, np.ndarray)]
        p = self._postings
        own = sum(a.nbytes for a in arrays if a.dtype != object)
        return int(own + p.data.nbytes + p.indices.nbytes + p.indptr.nbytes)

    # -- querying --------------------------------------------------------------------------
    def _vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        _, col, tf, _ = hashed_counts([text])
        w = (1 + np.log(tf)) * self._idf[col]
        norm = np.sqrt((w**2).sum())
        return col, (w / norm if norm > 0 else w)

    def text_scores(self, text: str) -> np.ndarray:
        """Cosine of ``text`` with every distinct summary of the index (a dense array): the
        query's sparse row times the postings, so only the postings of its n-grams are read."""
        col, w = self._vector(text)
        q = sparse.csr_matrix(
            (w.astype(np.float32), (np.zeros(len(col), dtype=np.int32), col)),
            shape=(1, self._postings.shape[0]),
        )
        hit = q @ self._postings
        out = np.zeros(self.n_texts, dtype=np.float32)
        out[hit.indices] = hit.data
        return out

    def _position(self, case_id: str) -> int:
        key = str(case_id)
        if self._ids.is_unique:
            try:
                return int(self._ids.get_loc(key))
            except KeyError:
                pass
        else:
            hits = np.flatnonzero((self._ids == key).fillna(False))  # cases without a number
            if len(hits):
                return int(hits[0])
        raise KeyError(f"没有编号为 {case_id} 的信访件 / no case with case_id {case_id!r}")

    def _expand(self, texts: np.ndarray) -> np.ndarray:
        """The case positions of distinct texts."""
        lo, hi = self._starts[texts], self._starts[texts + 1]
        counts = hi - lo
        total = int(counts.sum())
        if total == 0:
            return np.zeros(0, np.int64)
        offsets = np.repeat(lo - np.r_[0, np.cumsum(counts)[:-1]], counts)
        return self._cases_of[np.arange(total) + offsets]

    def _rank(self, idx, tscore, pos, cat, sub, k, resolved_only):
        """Score the candidate cases ``idx``; the best case of each of the first k matters."""
        keep = np.ones(len(idx), dtype=bool)
        if resolved_only:
            keep &= self._resolved[idx]
        if pos is not None:
            keep &= idx != pos
            if self._chain[pos] >= 0:
                keep &= self._chain[idx] != self._chain[pos]
            if self._person[pos] >= 0:
                keep &= self._person[idx] != self._person[pos]
        idx = idx[keep]
        cos = tscore[self._text_of[idx]].astype(np.float64)
        same_cat = (self._category[idx] == cat) & (cat >= 0)
        same_sub = (self._subclass[idx] == sub) & (sub >= 0) & same_cat
        w = self.weights
        score = w["text"] * cos + w["category"] * same_cat + w["subclass"] * same_sub
        order = np.lexsort((idx, -score))
        chains = self._chain[idx[order]]
        key = np.where(chains >= 0, chains, -1 - idx[order])
        _, first = np.unique(key, return_index=True)  # each matter once: its best case
        chosen = order[np.sort(first)][:k]
        return idx[chosen], score[chosen], cos[chosen], same_cat[chosen], same_sub[chosen]

    def _one(self, text: str, pos: int | None, category: str | None, k: int, resolved_only: bool):
        """The k best precedents, exactly, looking only at the texts that could be among them:
        a first pass over the texts of highest cosine gives the k-th best score; a text whose
        cosine cannot reach it even with full category agreement is never expanded."""
        tscore = self.text_scores(text)
        if pos is not None:
            cat, sub = self._category[pos], self._subclass[pos]
        else:
            cat = sub = -1
            if category:
                found = np.flatnonzero(self._category_names == str(category).strip())
                cat = int(found[0]) if len(found) else -1
        positive = tscore > 1e-9
        n_pos = int(positive.sum())
        bonus = self.weights["category"] + self.weights["subclass"]
        first = min(n_pos, max(64 * k, 512))
        texts = (
            np.argpartition(-tscore, first - 1)[:first]
            if 0 < first < len(tscore)
            else np.flatnonzero(positive)
        )
        texts = texts[tscore[texts] > 1e-9]
        result = self._rank(self._expand(texts), tscore, pos, cat, sub, k, resolved_only)
        if len(texts) < n_pos:
            lower = result[1][-1] if len(result[0]) >= k else 0.0
            if self.weights["text"] > 0:
                need = max((lower - bonus) / self.weights["text"], 0.0)
                wanted = np.flatnonzero(tscore > max(need - 1e-12, 1e-9))
            else:
                wanted = np.flatnonzero(positive)
            if len(wanted) > len(texts):
                result = self._rank(self._expand(wanted), tscore, pos, cat, sub, k, resolved_only)
        return result

    def query(
        self,
        query,
        *,
        k: int = 10,
        resolved_only: bool = True,
        category: str | None = None,
        evidence: bool = True,
    ) -> pd.DataFrame:
        """The ``k`` best precedents of each query (see :func:`find_precedents`)."""
        if self.cases is None:
            raise RuntimeError("PrecedentIndex 尚未 fit / call fit(cases) first")
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
            raise ValueError(f"k 应为正整数，而不是 {k!r} / k must be a positive integer")
        items: list[tuple[str | None, str, int | None]] = []
        if isinstance(query, str) and query not in self._ids:
            items.append((None, query, None))
        else:
            ids = [query] if isinstance(query, str) else list(query)
            for cid in ids:
                pos = self._position(str(cid))
                text = self._summary[pos]
                items.append((str(cid), "" if pd.isna(text) else str(text), pos))
        parts = []
        for qid, text, pos in items:
            rows, score, cos, same_cat, same_sub = self._one(text, pos, category, k, resolved_only)
            parts.append(self._frame(qid, text, rows, score, cos, same_cat, same_sub, evidence))
        out = (
            pd.concat(parts, ignore_index=True)
            if parts
            else self._frame(None, "", *[[]] * 5, False)
        )
        return out

    def _frame(self, qid, text, rows, score, cos, same_cat, same_sub, evidence) -> pd.DataFrame:
        c = self.cases
        rows = np.asarray(rows, dtype=np.int64)
        # only the columns shown, each taken on its own (a wide frame's rows are slow to take)
        sub = pd.DataFrame(
            {name: c[name].iloc[rows].to_numpy() for name in _TAKEN if name in c.columns}
        )
        received = dates(sub, "received_date")
        closed = dates(sub, "closed_date")
        days = (closed - received).dt.days.astype("Int64")
        summaries = column(sub, "summary").astype(TEXT_DTYPE)
        # every person the cases know: a summary may name any of them, and the shared terms
        # are runs of the query's text and the precedent's
        masker = self.masker
        masked = [masker(s) if isinstance(s, str) else s for s in summaries.tolist()]
        # the outcome is free text as the summary is: masked (it is also the way shown when the
        # ledger has no 化解方式)
        outcome = pd.Series(
            [masker(s) if isinstance(s, str) else s for s in column(sub, "outcome").tolist()],
            dtype=TEXT_DTYPE,
        )
        way = outcome
        if "resolution_type" in c.columns:
            rtype = stripped(sub["resolution_type"].astype(TEXT_DTYPE), empty_missing=True)
            way = rtype.fillna(outcome)
        frame = {
            "query_case_id": pd.array([qid] * len(rows), dtype=TEXT_DTYPE),
            "rank": np.arange(1, len(rows) + 1, dtype=np.int64),
            "case_id": column(sub, "case_id").astype(TEXT_DTYPE).to_numpy(),
            "chain_id": column(sub, "chain_id").astype(TEXT_DTYPE).to_numpy(),
            "similarity": np.round(np.asarray(score, dtype=float), 4),
            "text_similarity": np.round(np.asarray(cos, dtype=float), 4),
            "same_category": np.asarray(same_cat, dtype=bool),
            "same_subclass": np.asarray(same_sub, dtype=bool),
            "shared_terms": pd.array(
                [
                    masker(_terms(text, s, self._idf)) if evidence and isinstance(s, str) else ""
                    for s in summaries.tolist()
                ],
                dtype=TEXT_DTYPE,
            ),
            "locality": column(sub, "locality").astype(TEXT_DTYPE).to_numpy(),
            "responsible_unit": column(sub, "responsible_unit").astype(TEXT_DTYPE).to_numpy(),
            "category": column(sub, "category").astype(TEXT_DTYPE).to_numpy(),
            "category_level2": column(sub, "category_level2").astype(TEXT_DTYPE).to_numpy(),
            "summary": pd.array(masked, dtype=TEXT_DTYPE),
            "received_date": received.to_numpy(),
            "closed_date": closed.to_numpy(),
            "days_taken": days.to_numpy(),
            "outcome": outcome.to_numpy(),
            "resolution": way.to_numpy(),
            "stopped": self._stopped.iloc[rows].to_numpy(),
        }
        out = pd.DataFrame(frame)
        at = list(out.columns).index("resolution") + 1
        for name in ("resolution_type", "resolved_date"):
            if name in c.columns:
                values = dates(sub, name) if name.endswith("date") else sub[name].astype(TEXT_DTYPE)
                out.insert(at, name, values.to_numpy())
                at += 1
        out["stopped"] = out["stopped"].astype("boolean")
        out.attrs["weights"] = dict(self.weights)
        out.attrs["quiet_days"] = self.quiet_days
        return out


def find_precedents(
    cases: pd.DataFrame,
    query,
    *,
    k: int = 10,
    resolved_only: bool = True,
    index: PrecedentIndex | None = None,
    weights: dict[str, float] | None = None,
    quiet_days: int = 180,
    category: str | None = None,
) -> pd.DataFrame:
    """类案: the ``k`` most similar cases of other matters, for each query.

    ``query``: a case id, a list of case ids, or a text (a text that is not a case id of
    ``cases``). One row per (query, precedent) in rank order: query_case_id (empty for a text),
    rank, case_id, chain_id, ``similarity`` (the score of the module text: 0.80 x TF-IDF cosine
    of the summaries + 0.15 x same category + 0.05 x same sub-class), text_similarity,
    same_category, same_subclass, shared_terms (the n-grams both texts weigh most: the
    evidence), locality, responsible_unit, category, category_level2, summary (masked),
    received_date, closed_date, days_taken, outcome (masked), ``resolution`` (the way of resolution:
    ``resolution_type`` where the ledger has it, else the outcome text), and ``stopped``
    (no new submission of that matter within ``quiet_days`` after its answer; empty when too
    early to tell). ``resolution_type`` and ``resolved_date`` follow when the cases have them.

    Never a case of the query's own chain nor of the same person key (``chain_id`` /
    ``person_key`` from ``enrich``); each other matter once (its best case).
    ``resolved_only``: only cases with an answer (closed_date, resolved_date or resolved_flag).
    ``category``: the category of a text query, to score agreement (cases carry their own).
    ``index``: a :class:`PrecedentIndex` fitted on ``cases`` already (build once, ask often).
    """
    if index is None:
        index = PrecedentIndex(weights=weights, quiet_days=quiet_days).fit(cases)
    elif index.cases is not cases:
        raise ValueError("index 不是在这份 cases 上建立的 / the index was fitted on other cases")
    return index.query(query, k=k, resolved_only=resolved_only, category=category)
