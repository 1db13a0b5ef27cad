"""generate_cases: a clean canonical frame of synthetic petition cases.

Built from *matters* (one person, one problem) that are submitted one or more times (repeat
chains, sometimes climbing visit levels), plus *hotspots* (one shared problem in one place raised
by many different people within weeks, with group visits). Every draw is vectorised with numpy;
text is assembled once per row from templates (see _text).
"""

from __future__ import annotations

import string
from functools import cache

import numpy as np
import pandas as pd

from ..schema import MATTER_TYPES, SATISFACTION_VALUES, VISIT_LEVELS, conform_cases
from . import _text as T
from ._people import make_people, make_world

_CHANNELS = np.array(["来访", "来信", "网上信访", "来电", "传真"], dtype=object)
_VISIT, _LETTER, _ONLINE, _PHONE, _FAX = range(5)
_CHANNEL_P = np.array([0.44, 0.16, 0.26, 0.11, 0.03])
_LEVELS = np.array(VISIT_LEVELS, dtype=object)
# object arrays: picking from them shares one string object per value (memory at 1M rows)
_TEMPLATE_CLASS = np.array([t[0] for t in T.TEMPLATES], dtype=object)
_TEMPLATE_LOCAL = np.array([t[1] or t[0] for t in T.TEMPLATES], dtype=object)
_TEMPLATE_MTYPE = np.array([t[2] for t in T.TEMPLATES], dtype=object)
_VERBS = sorted({t[3] for t in T.TEMPLATES})
_TEMPLATE_VERB_IDX = np.array([_VERBS.index(t[3]) for t in T.TEMPLATES])
_TEMPLATE_KIND = np.array([t[5] for t in T.TEMPLATES], dtype=object)
_HOT_TEMPLATES = np.flatnonzero(_TEMPLATE_KIND == "hot")
_GROUP_KINDS = np.isin(_TEMPLATE_KIND, ["hot", "group"])


def _template_p() -> np.ndarray:
    p = np.array([T.CLASS_WEIGHTS[c] for c in _TEMPLATE_CLASS], dtype=float)
    counts = pd.Series(_TEMPLATE_CLASS).value_counts()
    p /= np.array([counts[c] for c in _TEMPLATE_CLASS])
    return p / p.sum()


_TEMPLATE_P = _template_p()
_NUMBERS = np.array([str(i) for i in range(2100)], dtype=object)  # slot values < 2100
_SHARED_SLOTS = ("year", "amount", "months", "workers", "years", "days", "temp")
_SHARED_SLOTS += ("river", "road", "court", "bank", "hospital", "school", "shop", "crop")


@cache
def _positional(body: str) -> tuple[str, tuple[str, ...]]:
    """'{a}x{b}' -> ('{0}x{1}', ('a', 'b'))."""
    names: list[str] = []
    out = []
    for literal, field, _spec, _conv in string.Formatter().parse(body):
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if field is not None:
            if field not in names:
                names.append(field)
            out.append("{" + str(names.index(field)) + "}")
    return "".join(out), tuple(names)


def _render(rng: np.random.Generator, tpl: np.ndarray, ctx: dict[str, np.ndarray]) -> np.ndarray:
    """Fill each row's template body; named context slots come from ctx, the rest are drawn."""
    out = np.empty(len(tpl), dtype=object)
    order = np.argsort(tpl, kind="stable")
    bounds = np.flatnonzero(np.diff(tpl[order])) + 1
    for sel in np.split(order, bounds):
        if not len(sel):
            continue
        fmt, names = _positional(T.TEMPLATES[tpl[sel[0]]][4])
        cols = []
        for name in names:
            if name in ctx:
                cols.append(ctx[name][sel])
                continue
            spec = T.SLOT_CHOICES[name]
            if spec[0] == "int":
                cols.append(_NUMBERS[rng.integers(spec[1], spec[2] + 1, len(sel))])
            else:
                cols.append(rng.choice(np.array(spec, dtype=object), len(sel)))
        out[sel] = [fmt.format(*vals) for vals in zip(*cols, strict=True)] if cols else fmt
    return out


def _day(value, what: str) -> int:
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{what} 不是可识别的日期: {value!r} ({what} is not a date)") from exc
    return int(ts.normalize().value // 86_400_000_000_000)


def _chain_lengths(rng: np.random.Generator, total: int) -> np.ndarray:
    """Submission counts per matter summing exactly to total (most 1, some long chains)."""
    if total <= 0:
        return np.zeros(0, dtype=np.int64)
    parts = []
    have = 0
    while have < total:
        m = max(16, int((total - have) / 1.45) + 8)
        kind = rng.choice(4, m, p=[0.8, 0.1, 0.05, 0.05])
        lengths = np.where(kind == 3, rng.integers(4, 9, m), kind + 1)
        parts.append(lengths)
        have += int(lengths.sum())
    lengths = np.concatenate(parts)
    cum = np.cumsum(lengths)
    k = int(np.searchsorted(cum, total))
    lengths = lengths[: k + 1].copy()
    lengths[-1] -= int(cum[k] - total)
    return lengths[lengths > 0]


def _seq_within(groups: np.ndarray) -> np.ndarray:
    """0,1,2.. position of each row within its run of equal consecutive group values."""
    n = len(groups)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(groups)) + 1]
    lengths = np.diff(np.r_[starts, n])
    return np.arange(n) - np.repeat(starts, lengths)


_URBAN_WORDS = (
    ("村委会", "居委会"),
    ("村民代表大会", "居民代表会议"),
    ("村支书", "社区书记"),
    ("村主任", "社区主任"),
    ("村会计", "社区会计"),
    ("村民组长", "居民小组长"),
    ("村监委会主任", "社区监委会主任"),
    ("村务财务", "社区财务"),
    ("村级账目", "社区账目"),
    ("村组", "社区"),
    ("村里", "社区"),
    ("村道", "道路"),
    ("村民", "居民"),
)


def _pick_villages(rng: np.random.Generator, world, towns: np.ndarray) -> np.ndarray:
    """One random village of each given town (index into world.towns)."""
    out = np.empty(len(towns), dtype=object)
    for t in np.unique(towns):
        sel = np.flatnonzero(towns == t)
        out[sel] = rng.choice(world.villages[t], len(sel))
    return out


def _repeat_str(text: str, n: int) -> np.ndarray:
    """n references to one string object (np.full would make n copies)."""
    out = np.empty(n, dtype=object)
    out[:] = text
    return out


def _town_unit(town: str) -> str:
    return f"{town}办事处" if town.endswith("街道") else f"{town}人民政府"


def generate_cases(
    n: int = 500,
    *,
    seed: int = 0,
    start="2025-01-01",
    end="2026-10-31",
    today="2026-11-20",
    with_truth: bool = False,
) -> pd.DataFrame:
    """Synthetic, clean petition cases in the canonical form (schema.conform_cases).

    Deterministic for a seed. Contains repeat chains (same person, same matter, similar wording,
    weeks or months apart, sometimes escalating 乡镇->县区->市->省->国家), persons with two distinct
    matters, hotspots (one shared problem, many persons, one locality, within weeks) with group
    visits, leaders (包案) on about 15% of rows, closed cases on time and late, and open cases
    (recent ones, and old ones overdue relative to ``today``). All persons are invented (Faker
    zh_CN name lists, valid check-digit ID numbers).

    ``with_truth=True`` adds the generator's ground truth: ``true_category`` (national class),
    ``true_matter`` (same number = same person and matter), ``true_hotspot`` (-1 if none),
    ``true_person``, ``template``.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n 必须是非负整数, 收到 {n!r} (n must be a non-negative integer)")
    n = int(n)
    d0, d1, today_d = _day(start, "start"), _day(end, "end"), _day(today, "today")
    if d1 < d0:
        raise ValueError(f"结束日期 {end} 早于开始日期 {start} (end is before start)")
    span_days = d1 - d0
    if n == 0:
        return conform_cases(pd.DataFrame())
    world = make_world(np.random.default_rng([seed, 1]))
    rng = np.random.default_rng([seed, 2])

    # ---- hotspots: shared problems ------------------------------------------------------
    n_hot = int(round(n * 0.12)) if n >= 30 else 0
    n_ind = n - n_hot
    n_spots = max(1, n_hot // 15) if n_hot else 0
    spot_tpl = rng.choice(_HOT_TEMPLATES, n_spots)
    spot_town = rng.choice(len(world.towns), n_spots, p=world.town_p)
    spot_village = _pick_villages(rng, world, spot_town)
    spot_window = rng.integers(14, 71, n_spots)
    spot_start = d0 + (rng.random(n_spots) * np.maximum(span_days - spot_window, 0)).astype(int)
    hot_spot = np.zeros(0, dtype=np.int64)
    if n_hot:
        spot_p = rng.dirichlet(np.full(n_spots, 2.0))
        hot_spot = np.sort(rng.choice(n_spots, n_hot, p=spot_p))
        k_in_spot = _seq_within(hot_spot)
        rows_per_spot = np.bincount(hot_spot, minlength=n_spots)
        persons_per_spot = np.maximum(1, np.ceil(rows_per_spot * 0.8).astype(int))
        local = np.where(
            k_in_spot < persons_per_spot[hot_spot],
            k_in_spot,
            (rng.random(n_hot) * persons_per_spot[hot_spot]).astype(int),
        )
        spot_offset = np.r_[0, np.cumsum(persons_per_spot)[:-1]]
        hot_matter_local = spot_offset[hot_spot] + local  # one matter per (spot, person)
        n_hot_matters = int(persons_per_spot.sum())
    else:
        hot_matter_local = np.zeros(0, dtype=np.int64)
        n_hot_matters = 0

    # ---- individual matters and their chains -------------------------------------------
    lengths = _chain_lengths(rng, n_ind)
    n_ind_matters = len(lengths)
    n_ind_persons = max(1, int(round(n_ind_matters * 0.92))) if n_ind_matters else 0
    n_hot_new = int(round(n_hot_matters * 0.85))
    n_persons = max(1, n_ind_persons + n_hot_new)
    people = make_people(rng, n_persons, world)

    ind_person = np.arange(n_ind_matters)
    if n_ind_matters > n_ind_persons:  # some persons raise a second, different matter
        ind_person[n_ind_persons:] = rng.integers(0, n_ind_persons, n_ind_matters - n_ind_persons)
    ind_person = rng.permutation(ind_person) if n_ind_matters else ind_person
    hot_person = np.r_[
        n_ind_persons + np.arange(n_hot_new),
        rng.integers(0, max(n_ind_persons, 1), n_hot_matters - n_hot_new),
    ].astype(np.int64)
    hot_person = np.minimum(hot_person, n_persons - 1)

    n_matters = n_ind_matters + n_hot_matters
    m_person = np.r_[ind_person, hot_person].astype(np.int64)
    m_spot = np.full(n_ind_matters, -1, dtype=np.int64)
    if n_hot:
        m_spot = np.r_[m_spot, np.repeat(np.arange(n_spots), persons_per_spot)].astype(np.int64)
    is_hot_m = m_spot >= 0
    m_tpl = rng.choice(len(T.TEMPLATES), n_matters, p=_TEMPLATE_P)
    m_tpl[is_hot_m] = spot_tpl[m_spot[is_hot_m]]
    p_town = people.town[m_person]
    m_town = np.where(
        rng.random(n_matters) < 0.9, p_town, rng.choice(len(world.towns), n_matters, p=world.town_p)
    )
    m_town[is_hot_m] = spot_town[m_spot[is_hot_m]]
    m_village = people.village[m_person].copy()
    other = np.flatnonzero(m_town != p_town)
    m_village[other] = _pick_villages(rng, world, m_town[other])
    m_village[is_hot_m] = spot_village[m_spot[is_hot_m]]
    town_names = world.towns[m_town].astype(object)
    m_community = rng.choice(world.communities, n_matters)
    m_company = {k: rng.choice(v, n_matters) for k, v in world.companies.items()}
    kinds = rng.choice(np.array(T.PROJECT_KINDS, dtype=object), n_matters)
    roads = rng.choice(np.array(T.ROADS[:-1], dtype=object), n_matters)
    street_town = np.array([str(t).endswith("街道") for t in world.towns])
    urban = street_town[m_town] | (m_town == list(world.towns).index("城关镇"))
    m_project = np.where(urban, roads, m_village) + kinds
    if n_spots:  # a hotspot shares one project, company, estate among its persons
        s_comm = rng.choice(world.communities, n_spots)
        s_proj = spot_village + rng.choice(np.array(T.PROJECT_KINDS, dtype=object), n_spots)
        hm = np.flatnonzero(is_hot_m)
        m_community[hm] = s_comm[m_spot[hm]]
        for k, v in world.companies.items():
            m_company[k][hm] = rng.choice(v, n_spots)[m_spot[hm]]
        m_project[hm] = s_proj[m_spot[hm]]
    # facts of a shared problem (year, total owed, workers ...) are the same for all its persons;
    # personal holdings (area, mu, money) differ from person to person
    shared = {}
    for name in _SHARED_SLOTS:
        spec = T.SLOT_CHOICES[name]
        if spec[0] == "int":
            pool, lo, hi = _NUMBERS, spec[1], spec[2] + 1
        else:
            pool, lo, hi = np.array(spec, dtype=object), 0, len(spec)
        values = rng.integers(lo, hi, n_matters)
        if n_spots:
            values[is_hot_m] = rng.integers(lo, hi, n_spots)[m_spot[is_hot_m]]
        shared[name] = pool[values]
    m_body = _render(
        rng,
        m_tpl,
        {
            "town": town_names,
            "village": m_village,
            "community": m_community,
            "project": m_project,
            **m_company,
            **shared,
        },
    )
    if n_spots:
        hm = np.flatnonzero(is_hot_m)
        tails = rng.choice(np.array(T.HOT_PERSONAL, dtype=object), len(hm))
        sizes = rng.integers(2, 8, len(hm))
        m_body[hm] = [
            b + t.format(town=town_names[i], k=k)
            for b, t, i, k in zip(m_body[hm], tails, hm, sizes, strict=True)
        ]
    # individual matters are worded in different styles, some with context before or after
    ind = np.flatnonzero(~is_hot_m)
    style = rng.integers(0, len(T.WORDING_STYLES), len(ind))
    for k, pairs in enumerate(T.WORDING_STYLES):
        sel = ind[style == k]
        for a, b in pairs:
            m_body[sel] = [t.replace(a, b) for t in m_body[sel]]
    before = rng.choice(np.array(T.CONTEXT_BEFORE, dtype=object), len(ind))
    after = rng.choice(np.array(T.CONTEXT_AFTER, dtype=object), len(ind))
    u = rng.random((2, len(ind)))
    m_body[ind] = np.where(u[0] < 0.3, before, "") + m_body[ind] + np.where(u[1] < 0.3, after, "")
    urban_village = street_town[m_town]  # a street's villages are 社区
    for i in np.flatnonzero(urban_village):  # a street's communities have 居委会, not 村委会
        text = m_body[i]
        for a, b in _URBAN_WORDS:
            text = text.replace(a, b)
        m_body[i] = text
    m_unit = np.empty(n_matters, dtype=object)
    for c in np.unique(_TEMPLATE_CLASS[m_tpl]) if n_matters else []:
        sel = np.flatnonzero(_TEMPLATE_CLASS[m_tpl] == c)
        m_unit[sel] = rng.choice(np.array(T.UNITS[c], dtype=object), len(sel))
    by_town = rng.random(n_matters) < 0.35
    town_units = np.array([_town_unit(str(t)) for t in world.towns], dtype=object)
    m_unit[by_town] = town_units[m_town[by_town]]
    m_group = _GROUP_KINDS[m_tpl] & (rng.random(n_matters) < np.where(is_hot_m, 0.3, 0.12))

    # ---- rows --------------------------------------------------------------------------
    row_matter = np.r_[
        np.repeat(np.arange(n_ind_matters), lengths), n_ind_matters + hot_matter_local
    ]
    row_matter = row_matter.astype(np.int64)
    n_rows = len(row_matter)
    assert n_rows == n, (n_rows, n)
    hot_row = np.r_[np.zeros(n_ind, dtype=bool), np.ones(n_hot, dtype=bool)]

    # dates: chains spaced weeks or months apart, fitted into [start, end]
    gaps = 14 + rng.gamma(1.5, 40.0, n_rows)
    first_of_matter = np.r_[True, np.diff(row_matter) != 0] if n_rows else np.zeros(0, bool)
    gaps[first_of_matter] = 0.0
    gaps[hot_row] = 0.0
    m_span = np.bincount(row_matter, weights=gaps, minlength=n_matters)
    shrink = np.where(m_span > span_days, span_days / np.maximum(m_span, 1), 1.0)
    gaps *= shrink[row_matter]
    m_span = np.minimum(m_span, span_days)
    m_first = d0 + rng.random(n_matters) * (span_days - m_span)
    if n_hot:
        hm = np.flatnonzero(is_hot_m)
        m_first[hm] = spot_start[m_spot[hm]]
    offset = np.cumsum(gaps)
    offset -= np.repeat(
        offset[first_of_matter], np.diff(np.r_[np.flatnonzero(first_of_matter), n_rows])
    )
    if n_hot:
        hs = hot_spot
        offset[hot_row] = rng.random(n_hot) * spot_window[hs]
    received = np.floor(m_first[row_matter] + offset).astype(np.int64)
    received = np.clip(received, d0, d1)

    channel = rng.choice(len(_CHANNELS), n_rows, p=_CHANNEL_P)  # index into _CHANNELS
    group_row = m_group[row_matter] & (rng.random(n_rows) < 0.8)
    channel[group_row] = _VISIT
    weekday = (received + 3) % 7  # Monday = 0
    office = (channel == _VISIT) | (channel == _FAX)
    back = np.where(weekday == 5, 1, np.where(weekday == 6, 2, 0))
    moved = received - back
    moved = np.where(moved < d0, received + (3 - back) % 3, moved)
    received = np.where(office & (back > 0), np.clip(moved, d0, d1), received)

    # order each matter's rows by date: chain position and the previous/next submission
    order = np.lexsort((received, row_matter))
    row_matter, received, channel, group_row, hot_row = (
        a[order] for a in (row_matter, received, channel, group_row, hot_row)
    )
    seq = _seq_within(row_matter)
    chain_len = np.bincount(row_matter, minlength=n_matters)[row_matter]
    has_next = seq < chain_len - 1

    # persons in the visit
    count = np.ones(n_rows, dtype=np.int64)
    family = (channel == _VISIT) & (rng.random(n_rows) < 0.15)
    count[family] = rng.integers(2, 5, int(family.sum()))
    count[group_row] = np.clip(5 + rng.gamma(1.3, 12.0, int(group_row.sum())), 5, 60).astype(int)

    # visit level: a base level, climbing along a chain
    visit = channel == _VISIT
    base = np.where(
        visit,
        rng.choice(5, n_rows, p=[0.28, 0.57, 0.11, 0.03, 0.01]),
        rng.choice(5, n_rows, p=[0.06, 0.88, 0.05, 0.008, 0.002]),
    )
    step = (rng.random(n_rows) < 0.18) & (seq > 0)
    climb = np.cumsum(step)
    climb -= np.repeat(climb[seq == 0], np.diff(np.r_[np.flatnonzero(seq == 0), n_rows]))
    m_base = np.zeros(n_matters, dtype=np.int64)
    m_base[row_matter[seq == 0]] = base[seq == 0]
    level = np.clip(np.maximum(base, m_base[row_matter]) + climb, 0, 4)
    visit_level = _LEVELS[level].astype(object)

    # leaders: more likely for long chains, escalated matters and hotspots
    m_maxlevel = np.zeros(n_matters, dtype=np.int64)
    np.maximum.at(m_maxlevel, row_matter, level)
    m_len = np.bincount(row_matter, minlength=n_matters)
    p_leader = 0.05 + 0.12 * (m_len >= 3) + 0.15 * (m_maxlevel >= 3) + 0.2 * is_hot_m
    m_leader = np.where(
        rng.random(n_matters) < p_leader, rng.choice(world.leaders, n_matters), None
    ).astype(object)
    if n_spots:
        s_leader = np.where(rng.random(n_spots) < 0.6, rng.choice(world.leaders, n_spots), None)
        m_leader[is_hot_m] = s_leader[m_spot[is_hot_m]]
    leader = m_leader[row_matter]

    # handling: deadline, closing, outcome, satisfaction
    late = rng.random(n_rows) < 0.13
    extended = late & (rng.random(n_rows) < 0.35)
    days = np.where(
        late,
        61 + np.minimum(rng.gamma(1.4, 28.0, n_rows), 240),
        3 + np.minimum(rng.gamma(2.0, 11.0, n_rows), 57),
    ).astype(np.int64)
    days = np.where(extended, rng.integers(61, 91, n_rows), days)
    deadline = received + np.where(extended, 90, 60)
    has_deadline = extended | (rng.random(n_rows) < 0.8)
    closed = received + days
    stuck = rng.random(n_rows) < 0.045
    is_open = (closed > today_d) | stuck
    mtype = _TEMPLATE_MTYPE[m_tpl[row_matter]]
    outcome = np.empty(n_rows, dtype=object)
    for mt in MATTER_TYPES:
        sel = np.flatnonzero(mtype == mt)
        outcome[sel] = rng.choice(np.array(T.OUTCOMES_CLOSED[mt], dtype=object), len(sel))
    outcome[is_open] = np.where(
        rng.random(int(is_open.sum())) < 0.75,
        rng.choice(np.array(T.OUTCOMES_OPEN, dtype=object), int(is_open.sum())),
        None,
    )
    ext_rows = np.flatnonzero(extended)
    outcome[ext_rows] = [T.EXTENSION_NOTE + (o or "正在办理") for o in outcome[ext_rows]]
    sat_values = np.array(SATISFACTION_VALUES, dtype=object)
    sat = np.where(
        has_next,
        rng.choice(sat_values, n_rows, p=[0.1, 0.2, 0.5, 0.2]),
        rng.choice(sat_values, n_rows, p=[0.56, 0.24, 0.07, 0.13]),
    ).astype(object)
    sat[is_open] = None

    # category as the clerk wrote it: national name, a local name, or nothing
    tpl_row = m_tpl[row_matter]
    u = rng.random(n_rows)
    category = np.where(
        u < 0.62, _TEMPLATE_CLASS[tpl_row], np.where(u < 0.9, _TEMPLATE_LOCAL[tpl_row], None)
    ).astype(object)

    # summary: opener + the matter's body + a closing remark for repeats and groups
    verbs, verb_idx = _VERBS, _TEMPLATE_VERB_IDX[tpl_row]
    first_open = rng.integers(0, len(T.OPENERS_FIRST), n_rows)
    rep_open = rng.integers(0, len(T.OPENERS_REPEAT), n_rows)
    rep_close = rng.choice(np.array(T.CLOSERS_REPEAT, dtype=object), n_rows)
    grp_close = rng.integers(0, len(T.CLOSERS_GROUP), n_rows)
    reps = rng.integers(3, 6, n_rows)
    k_max = int(seq.max()) + 2 if n_rows else 2
    first_tab = np.array(
        [[o.format(v=v) for v in verbs] for o in T.OPENERS_FIRST], dtype=object
    ).reshape(len(T.OPENERS_FIRST), len(verbs))
    rep_tab = np.array(
        [[[o.format(v=v, k=k) for k in range(k_max)] for v in verbs] for o in T.OPENERS_REPEAT],
        dtype=object,
    ).reshape(len(T.OPENERS_REPEAT), len(verbs), k_max)
    grp_tab = np.array([[g.format(rep=r) for r in range(6)] for g in T.CLOSERS_GROUP], dtype=object)
    body = m_body[row_matter]
    summary = np.where(
        seq > 0,
        rep_tab[rep_open, verb_idx, np.minimum(seq + 1, k_max - 1)] + body + rep_close,
        first_tab[first_open, verb_idx] + body,
    )
    summary = np.where(group_row, summary + grp_tab[grp_close, reps], summary)

    # personal data, with the gaps real ledgers have
    person = m_person[row_matter]
    remote = (channel == _ONLINE) | (channel == _PHONE)
    id_number = people.id_number[person].copy()
    id_number[remote & (rng.random(n_rows) < 0.35)] = None
    phone = people.phone[person].copy()
    phone[rng.random(n_rows) < 0.04] = None
    address = people.address[person].copy()
    address[(channel == _PHONE) & (rng.random(n_rows) < 0.2)] = None

    def as_dates(days: np.ndarray, missing: np.ndarray) -> np.ndarray:
        out = days.astype("datetime64[D]").astype("datetime64[ns]")
        out[missing] = np.datetime64("NaT")
        return out

    columns = {
        "received_date": as_dates(received, np.zeros(n_rows, dtype=bool)),
        "channel": _CHANNELS[channel],
        "petitioner": people.name[person],
        "id_number": id_number,
        "phone": phone,
        "address": address,
        "person_count": count,
        "locality": town_names[row_matter],
        "category": category,
        "summary": summary,
        "matter_type": mtype,
        "responsible_unit": m_unit[row_matter],
        "leader": leader,
        "visit_level": visit_level,
        "deadline": as_dates(deadline, ~has_deadline),
        "closed_date": as_dates(closed, is_open),
        "outcome": outcome,
        "satisfaction": sat,
    }
    if with_truth:
        columns["true_category"] = _TEMPLATE_CLASS[tpl_row]
        columns["true_matter"] = row_matter
        columns["true_hotspot"] = m_spot[row_matter]
        columns["true_person"] = person
        columns["template"] = tpl_row
    # ledger order: by date received; case numbers run within each year
    perm = np.argsort(received, kind="stable")
    years = columns["received_date"][perm].astype("datetime64[Y]").astype(np.int64) + 1970
    year_start = np.r_[0, np.flatnonzero(np.diff(years)) + 1]
    within = np.arange(n) - np.repeat(year_start, np.diff(np.r_[year_start, n])) + 1
    case_id = [f"XF{y}-{k:06d}" for y, k in zip(years.tolist(), within.tolist(), strict=True)]
    frame = pd.DataFrame(
        {
            "case_id": np.array(case_id, dtype=object),
            **{k: v[perm] for k, v in columns.items()},
            "source_file": _repeat_str("synthetic", n),
            "source_sheet": _repeat_str("台账", n),
            "source_row": np.arange(2, n + 2),
        }
    )
    return conform_cases(frame)
