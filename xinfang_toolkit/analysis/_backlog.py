"""积案 (backlog): which matters stay unresolved or keep coming back, and which to take on first.

A case is backlog on a day (:func:`is_backlog_at`) when it is open on that day and any of these
holds (each adds its reason to ``backlog_reason``):

1. the ledger marks it (``backlog_flag``: jabz 积案标志, 是/1);
2. it is past its due date;
3. its repeat chain (same person, same matter) has at least ``min_cases`` submissions spanning
   more than ``span_days`` days (defaults from the rules file: 3 submissions, 180 days).

A case closed on or before the day is never backlog on that day.

``backlog_table`` lists one row per backlog matter (repeat chain) with the facts and a
transparent priority score; see :data:`DEFAULT_WEIGHTS` and :func:`priority_components`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..privacy import mask_text
from ..schema import STATUS_VALUES, TEXT_DTYPE, VISIT_LEVELS
from ._deadlines import compute_deadlines
from ._escalation import normalize_levels
from ._periods import to_day
from ._repeats import link_repeats
from ._rules import Rules, load_rules
from ._util import (
    as_today,
    check_weights,
    closed_flags,
    closing_dates,
    column,
    dates,
    flag,
    id_lists,
    person_counts,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "backlog_parts_at",
    "backlog_table",
    "chain_codes",
    "flag_backlog",
    "is_backlog_at",
    "priority_components",
]

CLOSED, OPEN, DUE_SOON, OVERDUE, _BAD_DATE = STATUS_VALUES

#: weights of the priority components (any non-negative numbers; they are divided by their sum)
DEFAULT_WEIGHTS: dict[str, float] = {
    "overdue": 0.35,  # days overdue, 180 days or more -> 1
    "repeats": 0.25,  # repeat submissions, 5 or more -> 1
    "escalation": 0.25,  # highest visit level: 乡镇 0, 县区 .25, 市 .5, 省 .75, 国家 1, unknown 0
    "persons": 0.15,  # persons affected (largest person_count), 10 or more -> 1
}
#: the value at which each component reaches 1 (adjustable: pass caps=... to backlog_table)
DEFAULT_CAPS: dict[str, float] = {"overdue": 180, "repeats": 5, "persons": 10}


def _ensure_analysis(cases: pd.DataFrame, *, today, rules, window_days, min_similarity):
    out = cases
    if "status" not in out.columns or "overdue_days" not in out.columns:
        out = compute_deadlines(out, rules=rules, today=today)
    if "chain_id" not in out.columns:
        out = link_repeats(out, window_days=window_days, min_similarity=min_similarity)
    return out


def open_at(cases: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """Still open on ``day``: received by it and not closed by it (a closing after ``day`` had not happened yet;
    a ledger's 已办结 mark without a date counts as closed; a 化解时间 or 是否化解 = 是 closes
    a case the ledger gives no 办结 for)."""
    received = dates(cases, "received_date")
    closed = closing_dates(cases)  # closed_date, else 化解时间 (化解 implies 办结)
    closed_by = (closed <= day).fillna(False)
    undated_close = closed.isna() & closed_flags(cases)
    bad = closed.notna() & received.notna() & (closed < received)
    return ((received <= day).fillna(False) & ~closed_by & ~undated_close & ~bad).astype(bool)


def chain_codes(cases: pd.DataFrame) -> np.ndarray:
    """An integer code per repeat chain (``chain_id``; -1 where missing), for grouping."""
    codes, _ = pd.factorize(column(cases, "chain_id").astype(TEXT_DTYPE), sort=False)
    return codes


def backlog_parts_at(
    cases: pd.DataFrame,
    day: object,
    *,
    rules: str | Rules | dict = "2022",
    span_days: int | None = None,
    min_cases: int | None = None,
) -> pd.DataFrame:
    """The three reasons a case is 积案 on ``day``, one boolean column each.

    ``ledger`` (flagged 积案 in the ledger), ``late`` (past its due date), ``chain`` (its matter
    was raised at least ``min_cases`` times over more than ``span_days`` days, counting the
    submissions received by ``day``); each only for a case open on ``day`` (:func:`is_backlog_at`).
    Needs ``due_date`` and ``chain_id`` (compute_deadlines, link_repeats); ``open`` says which
    cases were open on ``day``.
    """
    return _backlog_parts(
        cases, day, chain_codes(cases), rules=rules, span_days=span_days, min_cases=min_cases
    )


def _backlog_parts(
    cases: pd.DataFrame,
    day: object,
    chains: np.ndarray,
    *,
    rules: str | Rules | dict = "2022",
    span_days: int | None = None,
    min_cases: int | None = None,
) -> pd.DataFrame:
    """:func:`backlog_parts_at` given the :func:`chain_codes` of ``cases`` (the figure registry
    judges several days of one frame, and factorizes its chains once for all of them)."""
    rule = load_rules(rules)
    span_days = rule.backlog_chain_span_days if span_days is None else int(span_days)
    min_cases = rule.backlog_chain_min_cases if min_cases is None else int(min_cases)
    when = to_day(day, name="day 日期")
    is_open = open_at(cases, when)
    received = dates(cases, "received_date")
    late = is_open & (dates(cases, "due_date") < when).fillna(False)
    size, span = _chain_size_and_span(chains, received, (received <= when).fillna(False))
    size = pd.Series(size, index=cases.index)
    span = pd.Series(span, index=cases.index)
    return pd.DataFrame(
        {
            "open": is_open,
            "ledger": is_open & flag(cases, "backlog_flag"),
            "late": late,
            "chain": is_open & (size >= min_cases) & (span > span_days),
            "chain_cases": size.astype("int64"),
            "chain_span": span.astype("int64"),
        },
        index=cases.index,
    )


def _chain_size_and_span(
    chains: np.ndarray, received: pd.Series, known: pd.Series
) -> tuple[np.ndarray, np.ndarray]:
    """For each row, its chain's submissions among the ``known`` rows and the days from the
    first to the last of them (0 and 0 for a row not known or without a chain); integer codes
    throughout (fast)."""
    codes = np.where(known.to_numpy(dtype=bool), chains, -1)
    valid = codes >= 0
    days = received.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
    groups = int(codes.max()) + 1 if valid.any() else 1
    size_of_chain = np.bincount(codes[valid], minlength=groups)
    first_day = np.full(groups, np.iinfo(np.int64).max, dtype=np.int64)
    last_day = np.full(groups, np.iinfo(np.int64).min, dtype=np.int64)
    np.minimum.at(first_day, codes[valid], days[valid])
    np.maximum.at(last_day, codes[valid], days[valid])
    chain_of_row = np.where(valid, codes, 0)
    size = np.where(valid, size_of_chain[chain_of_row], 0)
    span = np.where(valid, (last_day - first_day)[chain_of_row], 0)
    return size, span


def is_backlog_at(
    cases: pd.DataFrame,
    day: object,
    *,
    rules: str | Rules | dict = "2022",
    span_days: int | None = None,
    min_cases: int | None = None,
) -> pd.Series:
    """积案 on ``day``, one boolean per case.

    A case is 积案 on a day when it is open on that day (received by then, not closed by then)
    and at least one of: it is past its due date; its matter was raised again and again (a
    repeat chain of at least 3 submissions spanning more than 180 days, thresholds from the
    rules file); the ledger flags it 积案. A case closed on or before the day is never 积案 on
    that day. Every backlog figure (期初, 期末, 化解, 新增, the dashboard's card) uses this one
    definition. Needs ``due_date`` and ``chain_id``: run :func:`enrich` first.
    """
    parts = backlog_parts_at(cases, day, rules=rules, span_days=span_days, min_cases=min_cases)
    return _any_reason(parts)


def _is_backlog(cases: pd.DataFrame, day: object, chains: np.ndarray) -> pd.Series:
    """:func:`is_backlog_at` (the rules' thresholds) given the :func:`chain_codes` of ``cases``."""
    return _any_reason(_backlog_parts(cases, day, chains))


def _any_reason(parts: pd.DataFrame) -> pd.Series:
    """积案: any of the three reasons of :func:`backlog_parts_at`."""
    return (parts["ledger"] | parts["late"] | parts["chain"]).astype(bool)


def flag_backlog(
    cases: pd.DataFrame,
    *,
    today: object = None,
    rules: str | Rules | dict = "2022",
    span_days: int | None = None,
    min_cases: int | None = None,
    window_days: int = 365,
    min_similarity: float = 0.5,
) -> pd.DataFrame:
    """A copy with ``is_backlog`` (:func:`is_backlog_at` on ``today``) and ``backlog_reason``
    (reasons joined by "；").

    Runs compute_deadlines / link_repeats first when their columns are missing.
    """
    rule = load_rules(rules)
    now = as_today(today)
    out = _ensure_analysis(
        cases, today=now, rules=rule, window_days=window_days, min_similarity=min_similarity
    ).copy(deep=False)  # copy-on-write (pandas 3): new columns never reach the input
    parts = backlog_parts_at(out, now, rules=rule, span_days=span_days, min_cases=min_cases)
    flagged = _any_reason(parts).to_numpy(dtype=bool)
    rows = np.flatnonzero(flagged)  # the reasons are written for the backlog cases only
    late_days = (now - dates(out, "due_date").iloc[rows]).dt.days.fillna(0).astype(int)
    every = np.full(len(out), pd.NA, dtype=object)
    every[rows] = _case_reasons(parts.iloc[rows], late_days.to_numpy())
    out["is_backlog"] = flagged
    out["backlog_reason"] = pd.Series(every, index=out.index, dtype=TEXT_DTYPE).replace("", pd.NA)
    return out


def _case_reasons(parts: pd.DataFrame, late_days: np.ndarray) -> np.ndarray:
    """The reasons of each backlog case (rows of :func:`backlog_parts_at`), joined by "；"."""
    reasons = np.full(len(parts), "", dtype=object)
    reasons = np.where(parts["ledger"].to_numpy(), "台账标记为积案", reasons)
    late_text = np.char.add(np.char.add("超期未办结", late_days.astype(str)), "天")
    reasons = _join(reasons, np.where(parts["late"].to_numpy(), late_text, ""))
    chain_text = np.char.add(
        np.char.add(
            np.char.add("同一事项信访", parts["chain_cases"].to_numpy().astype(str)), "次，跨度"
        ),
        np.char.add(parts["chain_span"].to_numpy().astype(str), "天"),
    )
    return _join(reasons, np.where(parts["chain"].to_numpy(), chain_text, ""))


def _join(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a.astype(str)
    b = b.astype(str)
    sep = np.where((np.char.str_len(a) > 0) & (np.char.str_len(b) > 0), "；", "")
    return np.char.add(np.char.add(a, sep), b).astype(object)


def priority_components(
    facts: pd.DataFrame, *, caps: dict[str, float] | None = None
) -> pd.DataFrame:
    """The 0..1 components of the priority from the facts columns of :func:`backlog_table`.

    overdue = overdue_days / 180, repeats = repeat_count / 5, escalation = level rank / 4,
    persons = (persons - 1) / (10 - 1); each capped at 1 (caps adjustable).
    """
    c = {**DEFAULT_CAPS, **(caps or {})}
    rank = {level: i / (len(VISIT_LEVELS) - 1) for i, level in enumerate(VISIT_LEVELS)}
    return pd.DataFrame(
        {
            "c_overdue": (facts["overdue_days"].astype(float) / c["overdue"]).clip(0, 1),
            "c_repeats": (facts["repeat_count"].astype(float) / c["repeats"]).clip(0, 1),
            "c_escalation": facts["visit_level"].map(rank).astype(float).fillna(0.0),
            "c_persons": ((facts["persons"].astype(float) - 1) / max(c["persons"] - 1, 1)).clip(
                0, 1
            ),
        },
        index=facts.index,
    )


def _chain_reasons(ledger, n_late, max_late, long_chain, size, span) -> pd.Series:
    """The reasons a matter is backlog, once each: 台账标记为积案；超期未办结…；同一事项信访…"""
    out = {}
    for key in ledger.index:
        parts = []
        if ledger[key]:
            parts.append("台账标记为积案")
        if n_late[key]:
            extra = f"{int(n_late[key])}件，最长" if n_late[key] > 1 else ""
            parts.append(f"超期未办结{extra}{int(max_late[key])}天")
        if long_chain[key]:
            parts.append(f"同一事项信访{int(size[key])}次，跨度{int(span[key])}天")
        out[key] = "；".join(parts)
    return pd.Series(out, dtype=TEXT_DTYPE)


def backlog_table(
    cases: pd.DataFrame,
    *,
    weights: dict[str, float] | None = None,
    order: str = "priority",
    caps: dict[str, float] | None = None,
    today: object = None,
    rules: str | Rules | dict = "2022",
    span_days: int | None = None,
    min_cases: int | None = None,
    within: pd.DataFrame | pd.Index | None = None,
) -> pd.DataFrame:
    """One row per backlog matter (repeat chain with at least one backlog case).

    ``within`` (the rows a filter kept, e.g. ``panel.filtered``, or their index): the matters
    that have a case among them, with the facts and priorities computed on all of ``cases``,
    so a filter shows a subset of the same facts (a filter that cuts a repeat chain does not
    lower its priority); ``rank`` counts within the subset.

    Facts: chain_id, case_ids (list), first_case, latest_case, cases (submissions), first_date,
    last_date, span_days, locality, category, responsible_unit, leader, summary (of the latest
    case, ID/phone numbers masked), status (of the latest case), overdue_days (largest),
    repeat_count, visit_level (highest reached), persons (largest person_count), reason.
    ``overdue_days`` is the largest of the chain's open overdue cases (cases closed late are
    history, not backlog).
    Priority: components c_overdue, c_repeats, c_escalation, c_persons (0..1, see
    :func:`priority_components`), ``priority`` = 100 x weighted mean with ``weights`` (default
    :data:`DEFAULT_WEIGHTS`), and ``rank``. ``order="priority"`` puts the highest priority first;
    ``order="easy_first"`` (由易到难) the lowest first, as offices often resolve them.
    The weights used are kept in ``table.attrs["weights"]``.
    """
    if order not in ("priority", "easy_first"):
        raise ValueError(
            f"order 应为 'priority'（优先）或 'easy_first'（由易到难），而不是 {order!r}"
        )
    checked = check_weights(weights, DEFAULT_WEIGHTS, what="权重")
    if "is_backlog" not in cases.columns:
        cases = flag_backlog(
            cases, today=today, rules=rules, span_days=span_days, min_cases=min_cases
        )
    facts = _chain_facts(_backlog_chains(cases))
    table = _with_priority(facts, checked, caps).rename_axis("chain_id").reset_index()
    if within is not None:
        kept = within.index if isinstance(within, pd.DataFrame) else pd.Index(within)
        in_filter = cases.loc[cases.index.intersection(kept), "chain_id"].dropna().unique()
        table = table[table["chain_id"].isin(in_filter)]
    table = _ranked(table, easy_first=order == "easy_first")
    table.attrs["weights"] = dict(checked)
    table.attrs["order"] = order
    return table


def _backlog_chains(cases: pd.DataFrame) -> pd.DataFrame:
    """Every case of the chains that have a backlog case, in chain order (by chain, then by
    submission), with the working columns the facts are counted from."""
    rows = cases[cases["is_backlog"].fillna(False).astype(bool)]
    chains = cases[cases["chain_id"].isin(rows["chain_id"])].copy()
    chains["_date"] = dates(chains, "received_date")
    chains["_persons"] = person_counts(chains)
    chains["_level"] = normalize_levels(column(chains, "visit_level"))
    chains["_rank"] = chains["_level"].map({lv: i for i, lv in enumerate(VISIT_LEVELS)}).fillna(-1)
    chains["_case"] = column(chains, "case_id").astype(TEXT_DTYPE)
    late_days = chains["overdue_days"].astype("Int64").where(chains["status"] == OVERDUE)
    chains["_late"] = late_days.fillna(0).astype("int64")
    chains["_is_late"] = late_days.notna()
    chains["_ledger"] = flag(chains, "backlog_flag")
    chains["_chain"] = (
        chains["backlog_reason"].astype(TEXT_DTYPE).str.contains("同一事项", na=False)
    )
    return chains.sort_values(["chain_id", "chain_seq"], kind="mergesort")


def _chain_facts(chains: pd.DataFrame) -> pd.DataFrame:
    """One row per chain (index: chain_id): the facts columns of :func:`backlog_table`."""
    by_chain = chains.groupby("chain_id", sort=True)
    first = by_chain.head(1).set_index("chain_id")
    last = by_chain.tail(1).set_index("chain_id")
    reasons = _chain_reasons(
        by_chain["_ledger"].any(),
        by_chain["_is_late"].sum(),
        by_chain["_late"].max(),
        by_chain["_chain"].any(),
        by_chain.size(),
        (by_chain["_date"].max() - by_chain["_date"].min()).dt.days,
    )
    top_level = by_chain["_rank"].max().map(dict(enumerate(VISIT_LEVELS))).fillna("未知")
    facts = pd.DataFrame(
        {
            "case_ids": id_lists(by_chain["_case"]),
            "first_case": first["_case"],
            "latest_case": last["_case"],
            "cases": by_chain.size(),
            "first_date": by_chain["_date"].min(),
            "last_date": by_chain["_date"].max(),
            "locality": column(last, "locality").astype(TEXT_DTYPE),
            "category": column(last, "category").astype(TEXT_DTYPE),
            "responsible_unit": column(last, "responsible_unit").astype(TEXT_DTYPE),
            "leader": column(last, "leader").astype(TEXT_DTYPE),
            "summary": column(last, "summary")
            .astype(TEXT_DTYPE)
            .map(mask_text, na_action="ignore"),
            "status": last["status"].astype(TEXT_DTYPE),
            "overdue_days": by_chain["_late"].max().astype("int64"),
            "repeat_count": by_chain["repeat_count"].max().astype("int64"),
            "visit_level": top_level.astype(TEXT_DTYPE),
            "persons": by_chain["_persons"].max().astype("int64"),
            "reason": reasons.astype(TEXT_DTYPE),
        }
    )
    facts["span_days"] = (facts["last_date"] - facts["first_date"]).dt.days.astype("Int64")
    return facts


def _with_priority(facts: pd.DataFrame, weights: dict[str, float], caps) -> pd.DataFrame:
    """The facts, their priority components and ``priority`` (100 x the weighted mean)."""
    components = priority_components(facts, caps=caps)
    total = sum(weights.values())
    score = sum(components[f"c_{k}"] * v for k, v in weights.items()) / total * 100
    table = pd.concat([facts, components], axis=1)
    table["priority"] = score.round(1)
    return table


def _ranked(table: pd.DataFrame, *, easy_first: bool) -> pd.DataFrame:
    """In order of priority (highest first, or lowest with ``easy_first``), ranked, the
    priority next to the chain and its components last."""
    table = table.sort_values(
        ["priority", "overdue_days", "first_date", "chain_id"],
        ascending=[easy_first, easy_first, True, True],
        kind="mergesort",
    ).reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    cols = ["rank", "chain_id", "priority", "c_overdue", "c_repeats", "c_escalation", "c_persons"]
    facts_cols = [c for c in table.columns if c not in cols]
    return table[cols[:3] + facts_cols + cols[3:]]
