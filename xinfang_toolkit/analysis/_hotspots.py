"""Hotspots (共性问题): similar summaries from several petitioners in one locality and time window.

Within each locality, two cases are linked when their summaries are similar (cosine of
character 2-3-gram TF-IDF vectors, numbers normalised, at least ``min_similarity``) and they
were received at most ``window_days`` apart; connected groups of linked cases are cut into
consecutive windows of ``window_days`` (a long-running problem gives one hotspot per window),
and a hotspot is such a group with at least ``min_persons`` distinct petitioners. Comparisons only run between cases of the
same locality inside the time window, in chunks, never over all pairs of all cases.

Heat score (0..100) = 100 x weighted mean of four components, each 0..1 (weights adjustable,
:data:`DEFAULT_HEAT_WEIGHTS`):

- volume  = 1 - exp(-cases / 10)        (批次; 10 cases -> 0.63, 30 -> 0.95)
- persons = 1 - exp(-persons / 10)      (distinct petitioners)
- recency = exp(-days since the last case / 30)     (as of ``today``)
- growth  = recent / (recent + previous): cases in the last 30 days vs the 30 days before
  (0.5 = steady, 1 = all new, 0 = quiet now)
"""

from __future__ import annotations

import functools
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from .._base.ngrams import decode, normalized_texts, tfidf_matrix
from ..privacy import TextMasker, frame_masker, person_keys
from ..schema import TEXT_DTYPE
from ._escalation import UNKNOWN
from ._util import as_today, check_weights, column, dates, person_counts

__all__ = ["DEFAULT_HEAT_WEIGHTS", "find_hotspots", "hotspot_cases"]

DEFAULT_HEAT_WEIGHTS: dict[str, float] = {
    "volume": 0.3,
    "persons": 0.3,
    "recency": 0.2,
    "growth": 0.2,
}
_CHUNK = 1000


def _normalize_rows(m: sparse.csr_matrix) -> sparse.csr_matrix:
    row_of = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
    norms = np.sqrt(np.bincount(row_of, weights=m.data**2, minlength=m.shape[0]))
    norms[norms == 0] = 1.0
    return sparse.csr_matrix((m.data / norms[row_of], m.indices, m.indptr), shape=m.shape)


def _cluster(
    matrix: sparse.csr_matrix, days: np.ndarray, *, window_days: int, min_similarity: float
) -> np.ndarray:
    """Group rows (sorted by date) whose summaries are alike, in one pass over time.

    Rows come in batches of _CHUNK. Each row joins the most similar open group when the cosine
    with the group's centroid (mean vector) is at least ``min_similarity`` and the group had a
    case within ``window_days``; the remaining rows of the batch form new groups among
    themselves (linked when similar and within the window). A group closes when it has had no
    case for ``window_days``. Cost grows with cases x open groups, not with cases squared.
    """
    n = matrix.shape[0]
    labels = np.full(n, -1, dtype=np.int64)
    sums = sparse.csr_matrix((0, matrix.shape[1]), dtype=np.float64)
    ids = np.zeros(0, dtype=np.int64)  # group id of each row of sums
    last = np.zeros(0, dtype=np.int64)  # last day a case joined each open group
    next_id = 0
    for i0 in range(0, n, _CHUNK):
        i1 = min(n, i0 + _CHUNK)
        x = matrix[i0:i1]
        d = days[i0:i1]
        keep = last >= d[0] - window_days
        sums, ids, last = sums[keep], ids[keep], last[keep]
        assigned = np.full(i1 - i0, -1, dtype=np.int64)
        if len(ids):
            sim = (x @ _normalize_rows(sums).T).toarray()
            sim[(d[:, None] - last[None, :]) > window_days] = 0.0
            best = sim.argmax(axis=1)
            ok = sim[np.arange(len(best)), best] >= min_similarity - 1e-6
            assigned[ok] = best[ok]
        rest = np.flatnonzero(assigned < 0)
        new_rows = 0
        if len(rest):
            sub = x[rest]
            link = (sub @ sub.T).tocoo()
            gap = np.abs(d[rest][link.row] - d[rest][link.col])
            ok = (link.data >= min_similarity - 1e-6) & (gap <= window_days)
            graph = sparse.coo_matrix(
                (np.ones(int(ok.sum()), np.int8), (link.row[ok], link.col[ok])),
                shape=(len(rest), len(rest)),
            )
            new_rows, comp = connected_components(graph, directed=False)
            assigned[rest] = len(ids) + comp
        # update the open groups: sums of member vectors, last day, global ids
        members = sparse.csr_matrix(
            (np.ones(i1 - i0), (assigned, np.arange(i1 - i0))), shape=(len(ids) + new_rows, i1 - i0)
        )
        grown = sparse.vstack([sums, sparse.csr_matrix((new_rows, matrix.shape[1]))]).tocsr()
        sums = (grown + members @ x).tocsr()
        ids = np.r_[ids, np.arange(next_id, next_id + new_rows)]
        next_id += new_rows
        last_new = np.r_[last, np.full(new_rows, np.iinfo(np.int64).min // 2)]
        np.maximum.at(last_new, assigned, d)
        last = last_new
        labels[i0:i1] = ids[assigned]
    return labels


def _split_by_window(labels: np.ndarray, days: np.ndarray, window_days: int) -> np.ndarray:
    """Cut each group (rows sorted by date) into windows of at most ``window_days``.

    The first case of a group opens a window; later cases within ``window_days`` of its start
    join it, the next one after that opens a new window. So every hotspot fits one window.
    """
    order = np.lexsort((days, labels))
    out = np.empty(len(labels), dtype=np.int64)
    next_id = 0
    start_label, start_day = None, None
    for pos in order:
        if labels[pos] != start_label or days[pos] - start_day > window_days:
            start_label, start_day = labels[pos], days[pos]
            next_id += 1
        out[pos] = next_id - 1
    return out


def _overlaps(a: str, b: str) -> bool:
    """True when one gram contains the other or they share all but one character at an end."""
    return a in b or b in a or a[:-1] in b or a[1:] in b or b[:-1] in a or b[1:] in a


@functools.cache
def _segmenter():
    """jieba's word segmenter (its messages kept quiet), or None where it is not installed."""
    try:
        with warnings.catch_warnings():
            # jieba 0.42's regexes have invalid escapes: Python warns when it compiles them
            # (DeprecationWarning up to 3.11, SyntaxWarning from 3.12) on a first import where
            # no .pyc was written at install; its behaviour is unaffected
            warnings.simplefilter("ignore", SyntaxWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            import jieba
    except ImportError:  # a dependency, but a user may have removed it: phrases stay as found
        return None
    import logging

    jieba.setLogLevel(logging.WARNING)
    return jieba


def _kept(text: str) -> tuple[str, list[int]]:
    """``text`` without punctuation and spaces (as the n-grams see it), and for each character
    kept its position in ``text``."""
    keep = [i for i, ch in enumerate(text) if unicodedata.category(ch)[0] not in "PZSC"]
    return "".join(text[i] for i in keep), keep


def whole_words(phrase: str, texts: list[str], *, longest: int = 8) -> str:
    """``phrase`` (characters the n-grams found in the summaries, such as 响村民身体健) as whole
    words: found in the first summary ``texts`` that holds it (punctuation aside), grown to the
    words around it by jieba's segmentation (影响村民身体健康), and cut at punctuation (the
    longest piece). Grown longer than ``longest`` characters, it keeps the whole words inside
    it instead. Without jieba or a summary that holds it: as it is."""
    jieba = _segmenter()
    if jieba is None:
        return phrase
    for text in texts:
        if not isinstance(text, str):
            continue
        bare, where = _kept(text)
        k = bare.find(phrase)
        if k < 0:
            continue
        start, end = where[k], where[k + len(phrase) - 1] + 1
        spans, pos = [], 0
        for word in jieba.lcut(text):
            spans.append((pos, pos + len(word), _kept(word)[0] == word))
            pos += len(word)
        lo = max(a for a, _, _ in spans if a <= start)
        hi = min(b for _, b, _ in spans if b >= end)
        if len(_kept(text[lo:hi])[0]) > longest:
            inside = [(a, b) for a, b, _ in spans if a >= start and b <= end]
            if not inside:
                return phrase
            lo, hi = inside[0][0], inside[-1][1]
        # cut at punctuation: the longest piece between the marks
        pieces, cur = [], []
        for a, b, plain in spans:
            if a < lo or b > hi:
                continue
            if plain:
                cur.append(text[a:b])
            else:
                pieces.append("".join(cur))
                cur = []
        pieces.append("".join(cur))
        best = max(pieces, key=len)
        return best if len(best) >= 2 else phrase
    return phrase


def _shares_words(a: str, b: str) -> bool:
    """True when two keywords say the same thing: one holds the other, or they share a run of
    three characters (two for short ones)."""
    if a in b or b in a:
        return True
    n = min(3, len(a), len(b))
    return any(a[i : i + n] in b for i in range(len(a) - n + 1))


def _keywords(
    cols: np.ndarray,
    counts: np.ndarray,
    texts: list[str],
    idf: np.ndarray,
    grams: np.ndarray,
    k: int,
    originals: list[str] | None = None,
) -> list[str]:
    """Up to k phrases shared by the hotspot's summaries and rare elsewhere in the locality.

    Character 2-3-grams are scored by (share of the hotspot's cases containing them) x (their
    idf in the locality), 3-grams preferred; grams with numbers are skipped. A top gram grows
    into a phrase of up to 6 characters while the phrase still occurs in half of the summaries.
    """
    share = counts / len(texts)
    length = np.where(grams[cols] >= (1 << 42), 3, 2)
    score = np.where(share >= 0.5, share * idf[cols] * (1 + 0.25 * (length - 2)), 0.0)
    top = [i for i in np.argsort(-score, kind="stable")[:30] if score[i] > 0]
    ranked = [g for g in (decode(int(grams[cols[i]])) for i in top) if "0" not in g]
    sample = texts[:50]
    need = len(sample) / 2

    def common(phrase: str) -> bool:
        return sum(phrase in t for t in sample) >= need

    phrases: list[str] = []
    for gram in ranked:
        if len(phrases) >= k:
            break
        if any(_overlaps(gram, p) for p in phrases):
            continue
        phrase, grown = gram, True
        while grown and len(phrase) < 6:
            grown = False
            for other in ranked:
                if other in phrase:
                    continue
                if other[:-1] == phrase[-(len(other) - 1) :] and common(phrase + other[-1]):
                    phrase, grown = phrase + other[-1], True
                    break
                if other[1:] == phrase[: len(other) - 1] and common(other[0] + phrase):
                    phrase, grown = other[0] + phrase, True
                    break
        phrase = whole_words(phrase, originals or sample)
        if not any(_shares_words(phrase, p) for p in phrases):
            phrases.append(phrase)
    return phrases


#: the columns of a hotspots frame, in order
_HOTSPOT_COLUMNS = ("hotspot_id", "locality", "case_ids", "row_index", "cases", "persons", "批次",
                    "人次", "first_date", "last_date", "span_days", "summary", "keywords",
                    "days_since_last", "recent_cases", "previous_cases", "volume",
                    "persons_score", "recency", "growth", "heat")  # fmt: skip
#: heat component -> its column
_COMPONENTS = {
    "volume": "volume",
    "persons": "persons_score",
    "recency": "recency",
    "growth": "growth",
}


def _compared_cases(cases: pd.DataFrame, by: str) -> pd.DataFrame:
    """One row per comparable case (a received date and two characters of normalised summary),
    sorted by group, date and text: position, date, group, normalised text, person, persons
    counted and case_id. A row without a person key is a person of its own."""
    keys = (
        cases["person_key"].astype(TEXT_DTYPE)
        if "person_key" in cases.columns
        else person_keys(cases)
    )
    frame = pd.DataFrame(
        {
            "_pos": np.arange(len(cases)),
            "_date": dates(cases, "received_date").to_numpy(),
            "_group": column(cases, by).astype(TEXT_DTYPE).fillna(UNKNOWN).to_numpy(),
            "_text": pd.Series(
                normalized_texts(column(cases, "summary").tolist()), dtype="object"
            ).to_numpy(),
            "_person": keys.fillna("").to_numpy(),
            "_persons": person_counts(cases).to_numpy(),
            "_case": column(cases, "case_id").astype(TEXT_DTYPE).to_numpy(),
        }
    )
    text_len = np.fromiter(map(len, frame["_text"]), dtype=np.int64, count=len(frame))
    frame = frame[frame["_date"].notna().to_numpy() & (text_len >= 2)]
    frame["_person"] = frame["_person"].where(
        frame["_person"] != "", "row" + frame["_pos"].astype(str)
    )
    return frame.sort_values(["_group", "_date", "_text", "_pos"], kind="mergesort")


def _compact_tfidf(texts: list[str]) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """The TF-IDF rows of one group's texts over only the grams the group uses: the matrix, the
    gram code of each column and each column's smoothed idf within the group."""
    matrix, _, gram_of = tfidf_matrix(texts, with_grams=True)
    used, column_of = np.unique(matrix.indices, return_inverse=True)
    column_of = column_of.ravel()
    matrix = sparse.csr_matrix(
        (matrix.data, column_of, matrix.indptr), shape=(matrix.shape[0], len(used))
    )
    grams = gram_of[1][np.searchsorted(gram_of[0], used)]
    df = np.bincount(column_of, minlength=len(used))
    return matrix, grams, np.log((1 + len(texts)) / (1 + df)) + 1


@dataclass(frozen=True)
class _Search:
    """What find_hotspots looks for, and the whole input's columns a hotspot row reads."""

    min_persons: int
    window_days: int
    min_similarity: float
    keywords: int
    today: pd.Timestamp
    summaries: np.ndarray
    index: pd.Index
    #: the masker of the shown texts (``privacy.frame_masker`` of the cases), built on first use
    masker: Callable[[], TextMasker]


@dataclass(frozen=True)
class _Group:
    """The comparable cases of one group (locality), in date order, as arrays."""

    name: object
    date: np.ndarray
    person: np.ndarray
    persons: np.ndarray
    case: np.ndarray
    text: np.ndarray
    pos: np.ndarray
    age: np.ndarray  # days from each case to ``today``
    idf: np.ndarray  # of each column of the group's compact TF-IDF
    grams: np.ndarray  # the gram code of each column


def _hotspot(members: np.ndarray, rows: sparse.csr_matrix, part: _Group, search: _Search) -> dict:
    """The row of one hotspot: ``members`` are its positions in the group ``part`` (in date
    order), ``rows`` their TF-IDF rows."""
    grams_at = rows.indices
    weights = rows.data.astype(np.float64)
    row_of = np.repeat(np.arange(len(members)), np.diff(rows.indptr))
    cols, col_at, counts = np.unique(grams_at, return_inverse=True, return_counts=True)
    col_sum = np.bincount(col_at, weights=weights)
    # the most central case: largest summed similarity to the group's cases
    central = int(np.argmax(np.bincount(row_of, weights=weights * col_sum[col_at])))
    first, last = pd.Timestamp(part.date[members[0]]), pd.Timestamp(part.date[members[-1]])
    age = part.age[members]
    pos = part.pos[members]
    # a summary may name the petitioner of any case: every person the cases know is masked,
    # and a keyword is kept only if it can be read in the masked summaries (no name cut in two)
    masker = search.masker()
    shown = [masker(t) if isinstance(t, str) else "" for t in search.summaries[pos[:50]]]
    return {
        "locality": part.name,
        "case_ids": part.case[members].tolist(),
        "row_index": search.index[pos].tolist(),
        "cases": len(members),
        "persons": int(len(set(part.person[members]))),
        "批次": len(members),
        "人次": int(part.persons[members].sum()),
        "first_date": first,
        "last_date": last,
        "span_days": int((last - first).days),
        "summary": masker(search.summaries[pos[central]]),
        "keywords": [
            masker(word)
            for word in _keywords(
                cols,
                counts,
                part.text[members].tolist(),
                part.idf,
                part.grams,
                search.keywords,
                originals=[search.summaries[p] for p in pos[:50]],
            )
            if any(masker(word) in t for t in shown)
        ],
        "days_since_last": int(age.min()),
        "recent_cases": int(((age >= 0) & (age < 30)).sum()),
        "previous_cases": int(((age >= 30) & (age < 60)).sum()),
    }


def _group_hotspots(group: object, frame: pd.DataFrame, search: _Search) -> list[dict]:
    """The hotspots of one group (locality): similar cases clustered in time windows, those of
    at least ``min_persons`` petitioners kept."""
    min_persons, window_days = search.min_persons, search.window_days
    matrix, grams, idf = _compact_tfidf(frame["_text"].tolist())
    days = (frame["_date"].to_numpy().astype("datetime64[D]")).astype(np.int64)
    labels = _cluster(matrix, days, window_days=window_days, min_similarity=search.min_similarity)
    labels = _split_by_window(labels, days, window_days)
    persons = pd.Series(frame["_person"].to_numpy()).groupby(labels).nunique()
    if not (persons.to_numpy() >= min_persons).any():
        return []
    member_order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[member_order], np.arange(labels.max() + 2))
    today = search.today.to_datetime64().astype("datetime64[D]").astype(np.int64)
    part = _Group(
        name=group,
        date=frame["_date"].to_numpy(),
        person=frame["_person"].to_numpy(),
        persons=frame["_persons"].to_numpy(),
        case=frame["_case"].to_numpy(dtype=object),
        text=frame["_text"].to_numpy(dtype=object),
        pos=frame["_pos"].to_numpy(),
        age=today - days,
        idf=idf,
        grams=grams,
    )
    ordered = matrix[member_order]  # the rows of each group are now contiguous
    hotspots = []
    for label in persons.index[persons.to_numpy() >= min_persons]:
        start, end = bounds[label], bounds[label + 1]
        members = member_order[start:end]  # stable sort: still in date order
        hotspots.append(_hotspot(members, ordered[start:end], part, search))
    return hotspots


def _with_heat(rows: list[dict], weights: dict[str, float]) -> pd.DataFrame:
    """The hotspots with their heat components and heat, hottest first, numbered H001..."""
    result = pd.DataFrame(rows)
    if result.empty:
        out = pd.DataFrame({c: pd.Series(dtype="object") for c in _HOTSPOT_COLUMNS})
        out.attrs["weights"] = weights
        return out
    result["volume"] = 1 - np.exp(-result["cases"] / 10)
    result["persons_score"] = 1 - np.exp(-result["persons"] / 10)
    result["recency"] = np.exp(-result["days_since_last"].clip(lower=0) / 30)
    both = result["recent_cases"] + result["previous_cases"]
    result["growth"] = (result["recent_cases"] / both.where(both > 0)).fillna(0.0)
    heat = sum(result[col] * weights[k] for k, col in _COMPONENTS.items())
    result["heat"] = (heat / sum(weights.values()) * 100).round(1)
    # components as analysts read them (0.98, not 0.979758 or 1.5e-05); heat used the exact ones
    shown = list(_COMPONENTS.values())
    result[shown] = result[shown].round(2)
    result = result.sort_values(
        ["heat", "cases", "locality", "first_date"],
        ascending=[False, False, True, True],
        kind="mergesort",
    ).reset_index(drop=True)
    result.insert(0, "hotspot_id", [f"H{i + 1:03d}" for i in range(len(result))])
    result.attrs["weights"] = weights
    return result


def find_hotspots(
    cases: pd.DataFrame,
    *,
    min_persons: int = 3,
    window_days: int = 90,
    min_similarity: float = 0.5,
    by: str = "locality",
    today: object = None,
    weights: dict[str, float] | None = None,
    keywords: int = 5,
) -> pd.DataFrame:
    """One row per hotspot, hottest first.

    Columns: hotspot_id (H001 = hottest), locality (the ``by`` value), case_ids (list of
    case_id), row_index (list of the input's index labels, for :func:`hotspot_cases`), cases,
    persons (distinct petitioners; a row without an identifiable person counts as one), 批次,
    人次, first_date, last_date, span_days, summary (the most central case's summary, ID and
    phone numbers and the names of every person the cases know masked), keywords (list, masked
    alike), volume, persons_score, recency, growth (the heat
    components) and heat. ``today`` (default: the latest received date) anchors recency and
    growth. The weights used are kept in ``result.attrs["weights"]``.
    """
    if min_persons < 2:
        raise ValueError(f"min_persons 应 >= 2（共性问题涉及多人），而不是 {min_persons}")
    weights_used = check_weights(weights, DEFAULT_HEAT_WEIGHTS, what="热度权重")
    received = dates(cases, "received_date")
    search = _Search(
        min_persons=min_persons,
        window_days=window_days,
        min_similarity=min_similarity,
        keywords=keywords,
        today=as_today(today) if today is not None else received.max(),
        summaries=column(cases, "summary").to_numpy(dtype=object),
        index=cases.index,
        masker=functools.cache(lambda: frame_masker(cases)),
    )
    rows: list[dict] = []
    for group, part in _compared_cases(cases, by).groupby("_group", sort=True):
        if part["_person"].nunique() >= min_persons:
            rows += _group_hotspots(group, part, search)
    return _with_heat(rows, weights_used)


def hotspot_cases(cases: pd.DataFrame, hotspots: pd.DataFrame, hotspot_id: str) -> pd.DataFrame:
    """The case rows behind one hotspot (traceability), in received-date order."""
    match = hotspots[hotspots["hotspot_id"] == hotspot_id]
    if match.empty:
        raise KeyError(
            f"没有热点 {hotspot_id!r}（已有：{', '.join(hotspots['hotspot_id'][:10])}…）"
        )
    rows = cases.loc[match.iloc[0]["row_index"]]
    return rows.sort_values("received_date", kind="mergesort") if "received_date" in rows else rows
