"""Repeat chains: submissions of the same matter by the same person.

The same person: ``privacy.person_key`` (ID number, else name + phone, else name + address,
after normalising), so rows with two different ID numbers never share a key and are never linked.
The same matter: cosine similarity of character 2-3-gram TF-IDF vectors of the summaries
(numbers normalised to "0") at least ``min_similarity``, and received within ``window_days`` of
each other. Chains are the connected groups of such links within one person (so a matter raised
every 10 months for five years is one chain). Only persons with two or more cases are compared,
pairwise inside their own block: no all-pairs comparison over all cases.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from .._base.ngrams import tfidf_distinct
from ..privacy import DEFAULT_SALT, person_keys
from ..schema import TEXT_DTYPE
from ._text import block_pairs, pair_similarity
from ._util import column, dates, id_lists

__all__ = ["link_repeats", "repeat_chains"]

_ORDER_COLUMNS = ("case_id", "summary", "closed_date", "source_file", "source_sheet", "source_row")


def _canonical_order(
    keys: pd.Series, received: pd.Series, cases: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Positions sorted by person, date and content: within each person, the same for any row
    order of the input; and the person code of each row (-1: no key), in the input row order.

    Only rows of persons with two or more cases need the full order (the others are chains of
    one); they come first, each person's rows together (persons in the order they first appear:
    a chain never spans two persons, so only the order inside a person matters), sorted by
    date (a missing date last); rows of one person on one day are put in order by every column
    that can tell two rows apart, then by position.
    """
    codes, uniques = pd.factorize(keys.to_numpy(dtype=object))
    counts = np.r_[np.bincount(codes[codes >= 0], minlength=len(uniques)), 0]  # -1 (no key): 0
    is_multi = counts[codes] >= 2
    multi = np.flatnonzero(is_multi)
    day = received.to_numpy(dtype="datetime64[ns]").view(np.int64)[multi]
    day = np.where(day == np.iinfo(np.int64).min, np.iinfo(np.int64).max, day)  # NaT last
    code = codes[multi]
    by_day = np.lexsort((day, code))  # stable: ties keep their position order
    first = multi[by_day]
    code, day = code[by_day], day[by_day]
    tied = np.zeros(len(first), dtype=bool)
    same = (code[1:] == code[:-1]) & (day[1:] == day[:-1])
    tied[1:] |= same
    tied[:-1] |= same
    if tied.any():
        slots = np.flatnonzero(tied)
        group = np.cumsum(np.r_[True, ~same])[slots]  # one number per (person, day), in order
        pos = first[slots]
        frame = pd.DataFrame({"_group": group})
        for i, col in enumerate(_ORDER_COLUMNS):
            frame[f"_c{i}"] = column(cases, col).iloc[pos].astype(TEXT_DTYPE).fillna("").to_numpy()
        frame["_pos"] = pos
        by = list(frame.columns)  # the position last: rows equal in every column keep their order
        first[slots] = frame.sort_values(by, kind="mergesort")["_pos"].to_numpy()
    rest = np.flatnonzero(~is_multi)
    return np.concatenate([first, rest]).astype(np.int64), codes


def _stable_row_ids(cases: pd.DataFrame, positions: np.ndarray) -> pd.Series:
    """A content hash for rows without a person key (their chain is the row itself)."""
    cols = ["case_id", "received_date", "summary", "source_file", "source_sheet", "source_row"]
    frame = pd.DataFrame(
        {c: column(cases, c).astype(TEXT_DTYPE).fillna("").to_numpy()[positions] for c in cols}
    )
    hashed = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    return pd.Series([f"U{h:016X}" for h in hashed])


def _keys(cases: pd.DataFrame, salt: str) -> pd.Series:
    """The person key of every row: a non-empty ``person_key`` given (the archive stores one
    for every case; an enriched frame has one) is kept; ``privacy.person_keys`` is computed
    only for the other rows."""
    if "person_key" not in cases.columns:
        return person_keys(cases, salt=salt)
    keys = cases["person_key"].astype(TEXT_DTYPE)
    missing = (keys.isna() | (keys.str.len() == 0)).to_numpy(dtype=bool, na_value=True)
    if missing.any():
        keys = keys.copy()
        keys[missing] = person_keys(cases[missing], salt=salt).to_numpy(dtype=object)
    return keys


def link_repeats(
    cases: pd.DataFrame,
    *,
    window_days: int = 365,
    min_similarity: float = 0.5,
    salt: str = DEFAULT_SALT,
) -> pd.DataFrame:
    """A copy of ``cases`` with repeat chains.

    Adds ``person_key`` (pseudonymous; an existing non-empty ``person_key`` column is kept),
    ``chain_id`` (person key + chain number, e.g. "P1A2B3C4D5E6F-2"; rows without a
    person get their own "U..." chain), ``chain_seq`` (1 = first submission, by received date),
    ``first_case`` (case_id of the chain's first row), ``is_repeat`` (重复信访: the chain has an
    earlier case, chain_seq > 1; a ledger's ``repeat_flag`` on a chain of one is not enough --
    the earlier case it refers to is not in the data, so the row cannot be traced), and
    ``repeat_count`` (submissions in the chain minus one, the same on every row of the chain).

    Rows without a received date are compared with nothing (their time window is unknown).
    The result does not depend on the order of the input rows.
    """
    if window_days < 0:
        raise ValueError(f"window_days 必须 >= 0，而不是 {window_days}")
    if not 0 < min_similarity <= 1:
        raise ValueError(f"min_similarity 必须在 (0, 1] 之间，而不是 {min_similarity}")
    n = len(cases)
    keys = _keys(cases, salt)
    received = dates(cases, "received_date")

    order, person = _canonical_order(keys, received, cases)
    key_sorted = keys.to_numpy(dtype=object)[order]
    has_key = pd.notna(key_sorted)
    date_sorted = received.to_numpy()[order]

    # person blocks over the sorted rows (the codes only tell persons apart: -1 is no key)
    person_sorted = person[order]
    change = np.r_[True, person_sorted[1:] != person_sorted[:-1]]
    block_start = np.flatnonzero(change)
    block_size = np.diff(np.r_[block_start, n])
    multi = (block_size >= 2) & has_key[block_start] if n else np.zeros(0, bool)

    component = np.arange(n, dtype=np.int64)  # each row its own chain unless linked
    if multi.any():
        rows = _ranges(block_start[multi], block_size[multi])
        left, right = block_pairs(block_start[multi], block_size[multi])
        d = date_sorted.astype("datetime64[D]")
        gap = np.abs((d[right] - d[left]).astype("timedelta64[D]").astype(np.float64))
        dated = ~np.isnat(d[left]) & ~np.isnat(d[right])
        keep = dated & (gap <= window_days)
        left, right = left[keep], right[keep]
        if len(left):
            summaries = column(cases, "summary").to_numpy(dtype=object)[order][rows]
            local = np.full(n, -1, dtype=np.int64)
            local[rows] = np.arange(len(rows))
            matrix, lengths, distinct, _ = tfidf_distinct(summaries)  # pairs: distinct rows
            li, ri = distinct[local[left]], distinct[local[right]]
            sim = pair_similarity(matrix, li, ri)
            sim[(lengths[li] == 0) | (lengths[ri] == 0)] = 0.0
            linked = sim >= min_similarity - 1e-6
            graph = sparse.coo_matrix(
                (np.ones(int(linked.sum()), dtype=np.int8), (left[linked], right[linked])),
                shape=(n, n),
            )
            _, component = connected_components(graph, directed=False)
            component = component.astype(np.int64)

    chain_seq, size, first_pos, chain_no = _number_chains(component, person_sorted)
    chain_id = _chain_ids(cases, order, key_sorted, has_key, chain_no)
    return _in_input_order(
        cases, keys, order, chain_id=chain_id, chain_seq=chain_seq, size=size, first_pos=first_pos
    )


def _number_chains(
    component: np.ndarray, person: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Over the rows in canonical order, with the linked component of each and its person code:
    the position in the chain (1 = first), the chain's size, the position of its first row, and
    the chain's number among its person's chains (1, 2, ... by their first row). Stable under
    any permutation of the input."""
    n = len(component)
    as_series = pd.Series(component)
    first_pos = pd.Series(np.arange(n)).groupby(component).transform("min").to_numpy()
    chain_seq = as_series.groupby(as_series).cumcount().to_numpy() + 1
    size = as_series.groupby(as_series).transform("size").to_numpy()
    is_first = chain_seq == 1
    first_persons = pd.Series(person[is_first])
    number_of_first = first_persons.groupby(first_persons).cumcount().to_numpy() + 1
    lookup = np.zeros(n, dtype=np.int64)
    lookup[np.flatnonzero(is_first)] = number_of_first
    return chain_seq, size, first_pos, lookup[first_pos]


def _chain_ids(
    cases: pd.DataFrame,
    order: np.ndarray,
    key_sorted: np.ndarray,
    has_key: np.ndarray,
    chain_no: np.ndarray,
) -> np.ndarray:
    """ "key-number" for the rows with a person key (each number's text made once); for the
    others a hash of their content ("U..."), over the rows in canonical order."""
    numbers = np.asarray([f"-{i}" for i in range(int(chain_no.max(initial=0)) + 1)], dtype=object)
    chain_id = np.full(len(order), None, dtype=object)
    chain_id[has_key] = key_sorted[has_key] + numbers[chain_no[has_key]]
    no_key = ~has_key
    if no_key.any():
        chain_id[no_key] = _stable_row_ids(cases, order[no_key]).to_numpy()
    return chain_id


def _in_input_order(
    cases: pd.DataFrame,
    keys: pd.Series,
    order: np.ndarray,
    *,
    chain_id: np.ndarray,
    chain_seq: np.ndarray,
    size: np.ndarray,
    first_pos: np.ndarray,
) -> pd.DataFrame:
    """A copy of ``cases`` with the chain columns, taken back from the canonical order to the
    input row order (each text column built once, from its values in that order)."""
    inverse = np.empty(len(order), dtype=np.int64)
    inverse[order] = np.arange(len(order))
    out = cases.copy(deep=False)  # copy-on-write (pandas 3): new columns never reach the input
    out["person_key"] = keys.astype(TEXT_DTYPE)  # key_sorted[inverse] is keys itself
    out["chain_id"] = pd.Series(chain_id[inverse], index=cases.index, dtype=TEXT_DTYPE)
    out["chain_seq"] = pd.Series(chain_seq[inverse], index=cases.index, dtype="int64")
    case_ids = column(cases, "case_id").astype(TEXT_DTYPE).array  # taken, not checked again
    out["first_case"] = pd.Series(case_ids.take(order[first_pos][inverse]), index=cases.index)
    out["is_repeat"] = out["chain_seq"] > 1
    out["repeat_count"] = pd.Series(size[inverse] - 1, index=cases.index, dtype="int64")
    return out


def _ranges(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Concatenated ranges start..start+size-1, vectorised."""
    sizes = sizes.astype(np.int64)
    offsets = np.arange(sizes.sum(), dtype=np.int64) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    return np.repeat(starts.astype(np.int64), sizes) + offsets


def repeat_chains(cases: pd.DataFrame, *, min_cases: int = 2) -> pd.DataFrame:
    """One row per repeat chain with at least ``min_cases`` submissions, longest first.

    Columns: chain_id, cases, first_case, latest_case, case_ids (list), first_date, last_date,
    span_days, locality, category, summary (first submission, ID/phone numbers masked) and
    status (latest submission, when compute_deadlines ran). Runs link_repeats when needed.
    No personal data: the chain is named by the pseudonymous key.
    """
    from ..privacy import mask_text

    if "chain_id" not in cases.columns:
        cases = link_repeats(cases)
    frame = pd.DataFrame(
        {
            "chain_id": cases["chain_id"].astype(TEXT_DTYPE),
            "seq": cases["chain_seq"],
            "case": column(cases, "case_id").astype(TEXT_DTYPE),
            "date": dates(cases, "received_date"),
            "locality": column(cases, "locality").astype(TEXT_DTYPE),
            "category": column(cases, "category").astype(TEXT_DTYPE),
            "summary": column(cases, "summary").astype(TEXT_DTYPE),
            "status": column(cases, "status").astype(TEXT_DTYPE),
        }
    )
    size = frame["chain_id"].map(frame["chain_id"].value_counts())
    frame = frame[size >= min_cases].sort_values(["chain_id", "seq"], kind="mergesort")
    g = frame.groupby("chain_id", sort=True)
    first, last = g.head(1).set_index("chain_id"), g.tail(1).set_index("chain_id")
    out = pd.DataFrame(
        {
            "cases": g.size(),
            "first_case": first["case"],
            "latest_case": last["case"],
            "case_ids": id_lists(g["case"]),
            "first_date": g["date"].min(),
            "last_date": g["date"].max(),
            "locality": first["locality"],
            "category": first["category"],
            "summary": first["summary"].map(mask_text, na_action="ignore"),
            "status": last["status"],
        }
    )
    out["span_days"] = (out["last_date"] - out["first_date"]).dt.days.astype("Int64")
    out = out.rename_axis("chain_id").reset_index()
    return out.sort_values(
        ["cases", "span_days", "chain_id"], ascending=[False, False, True], kind="mergesort"
    ).reset_index(drop=True)
