"""generate_cases: a clean canonical frame of synthetic petition cases.

Built from *matters* (one person, one problem) that are submitted one or more times (repeat
chains, sometimes climbing visit levels), plus *hotspots* (one shared problem in one place raised
by many different people within weeks, with group visits). Every draw is vectorised with numpy;
text is assembled once per row from templates (see _text).
"""

from __future__ import annotations

import string
from functools import cache
from types import SimpleNamespace

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
    d0, d1, today_d = _day(start, "start"), _day(end, "end"), _day(today, "today")
    if d1 < d0:
        raise ValueError(f"结束日期 {end} 早于开始日期 {start} (end is before start)")
    if n == 0:
        return conform_cases(pd.DataFrame())
    # every stage below reads and adds fields of this draft; the order of random draws is fixed
    d = SimpleNamespace(
        n=int(n),
        d0=d0,
        d1=d1,
        span=d1 - d0,
        today=today_d,
        world=make_world(np.random.default_rng([seed, 1])),
        rng=np.random.default_rng([seed, 2]),
    )
    _plan_hotspots(d)
    _plan_matters(d)
    _write_bodies(d)
    _assign_units(d)
    _schedule_rows(d)
    _visits_and_leaders(d)
    _handling(d)
    _row_texts(d)
    _personal_data(d)
    return _frame(d, with_truth=with_truth)


def _plan_hotspots(d: SimpleNamespace) -> None:
    """Shared problems: a template, town, village, start and window each; rows and persons."""
    rng, world = d.rng, d.world
    d.n_hot = int(round(d.n * 0.12)) if d.n >= 30 else 0
    d.n_ind = d.n - d.n_hot
    d.n_spots = max(1, d.n_hot // 15) if d.n_hot else 0
    d.spot_tpl = rng.choice(_HOT_TEMPLATES, d.n_spots)
    d.spot_town = rng.choice(len(world.towns), d.n_spots, p=world.town_p)
    d.spot_village = _pick_villages(rng, world, d.spot_town)
    d.spot_window = rng.integers(14, 71, d.n_spots)
    d.spot_start = d.d0 + (rng.random(d.n_spots) * np.maximum(d.span - d.spot_window, 0)).astype(
        int
    )
    d.hot_spot = np.zeros(0, dtype=np.int64)  # the hotspot of each hotspot row
    d.hot_matter_local = np.zeros(0, dtype=np.int64)
    d.persons_per_spot = np.zeros(d.n_spots, dtype=np.int64)
    if not d.n_hot:
        return
    spot_p = rng.dirichlet(np.full(d.n_spots, 2.0))
    d.hot_spot = np.sort(rng.choice(d.n_spots, d.n_hot, p=spot_p))
    k_in_spot = _seq_within(d.hot_spot)
    rows_per_spot = np.bincount(d.hot_spot, minlength=d.n_spots)
    d.persons_per_spot = np.maximum(1, np.ceil(rows_per_spot * 0.8).astype(int))
    per_spot = d.persons_per_spot[d.hot_spot]
    local = np.where(k_in_spot < per_spot, k_in_spot, (rng.random(d.n_hot) * per_spot).astype(int))
    spot_offset = np.r_[0, np.cumsum(d.persons_per_spot)[:-1]]
    d.hot_matter_local = spot_offset[d.hot_spot] + local  # one matter per (spot, person)


def _plan_matters(d: SimpleNamespace) -> None:
    """Matters (one person, one problem): chain lengths, persons, template, town, village."""
    rng, world = d.rng, d.world
    d.lengths = _chain_lengths(rng, d.n_ind)
    n_ind_matters = len(d.lengths)
    n_hot_matters = int(d.persons_per_spot.sum())
    n_ind_persons = max(1, int(round(n_ind_matters * 0.92))) if n_ind_matters else 0
    n_hot_new = int(round(n_hot_matters * 0.85))
    n_persons = max(1, n_ind_persons + n_hot_new)
    d.people = make_people(rng, n_persons, world)

    ind_person = np.arange(n_ind_matters)
    if n_ind_matters > n_ind_persons:  # some persons raise a second, different matter
        ind_person[n_ind_persons:] = rng.integers(0, n_ind_persons, n_ind_matters - n_ind_persons)
    ind_person = rng.permutation(ind_person) if n_ind_matters else ind_person
    hot_person = np.r_[
        n_ind_persons + np.arange(n_hot_new),
        rng.integers(0, max(n_ind_persons, 1), n_hot_matters - n_hot_new),
    ].astype(np.int64)
    hot_person = np.minimum(hot_person, n_persons - 1)

    d.n_ind_matters = n_ind_matters
    d.n_matters = n = n_ind_matters + n_hot_matters
    d.m_person = np.r_[ind_person, hot_person].astype(np.int64)
    d.m_spot = np.r_[
        np.full(n_ind_matters, -1), np.repeat(np.arange(d.n_spots), d.persons_per_spot)
    ].astype(np.int64)
    d.is_hot_m = hot = d.m_spot >= 0
    d.m_tpl = rng.choice(len(T.TEMPLATES), n, p=_TEMPLATE_P)
    d.m_tpl[hot] = d.spot_tpl[d.m_spot[hot]]
    p_town = d.people.town[d.m_person]
    d.m_town = np.where(
        rng.random(n) < 0.9, p_town, rng.choice(len(world.towns), n, p=world.town_p)
    )
    d.m_town[hot] = d.spot_town[d.m_spot[hot]]
    d.m_village = d.people.village[d.m_person].copy()
    other = np.flatnonzero(d.m_town != p_town)
    d.m_village[other] = _pick_villages(rng, world, d.m_town[other])
    d.m_village[hot] = d.spot_village[d.m_spot[hot]]
    d.town_names = world.towns[d.m_town].astype(object)


def _write_bodies(d: SimpleNamespace) -> None:
    """Each matter's account of its problem, filled in from its template."""
    rng, world, n, hot = d.rng, d.world, d.n_matters, d.is_hot_m
    m_community = rng.choice(world.communities, n)
    m_company = {k: rng.choice(v, n) for k, v in world.companies.items()}
    kinds = rng.choice(np.array(T.PROJECT_KINDS, dtype=object), n)
    roads = rng.choice(np.array(T.ROADS[:-1], dtype=object), n)
    street_town = np.array([str(t).endswith("街道") for t in world.towns])
    urban = street_town[d.m_town] | (d.m_town == list(world.towns).index("城关镇"))
    m_project = np.where(urban, roads, d.m_village) + kinds
    hm = np.flatnonzero(hot)
    if d.n_spots:  # a hotspot shares one project, company, estate among its persons
        s_comm = rng.choice(world.communities, d.n_spots)
        s_proj = d.spot_village + rng.choice(np.array(T.PROJECT_KINDS, dtype=object), d.n_spots)
        m_community[hm] = s_comm[d.m_spot[hm]]
        for k, v in world.companies.items():
            m_company[k][hm] = rng.choice(v, d.n_spots)[d.m_spot[hm]]
        m_project[hm] = s_proj[d.m_spot[hm]]
    # facts of a shared problem (year, total owed, workers ...) are the same for all its persons;
    # personal holdings (area, mu, money) differ from person to person
    shared = {}
    for name in _SHARED_SLOTS:
        spec = T.SLOT_CHOICES[name]
        if spec[0] == "int":
            pool, lo, hi = _NUMBERS, spec[1], spec[2] + 1
        else:
            pool, lo, hi = np.array(spec, dtype=object), 0, len(spec)
        values = rng.integers(lo, hi, n)
        if d.n_spots:
            values[hot] = rng.integers(lo, hi, d.n_spots)[d.m_spot[hot]]
        shared[name] = pool[values]
    context = {"town": d.town_names, "village": d.m_village, "community": m_community}
    body = _render(rng, d.m_tpl, {**context, "project": m_project, **m_company, **shared})
    if d.n_spots:  # each person adds something of their own
        tails = rng.choice(np.array(T.HOT_PERSONAL, dtype=object), len(hm))
        sizes = rng.integers(2, 8, len(hm))
        body[hm] = [
            b + t.format(town=d.town_names[i], k=k)
            for b, t, i, k in zip(body[hm], tails, hm, sizes, strict=True)
        ]
    # individual matters are worded in different styles, some with context before or after
    ind = np.flatnonzero(~hot)
    style = rng.integers(0, len(T.WORDING_STYLES), len(ind))
    for k, pairs in enumerate(T.WORDING_STYLES):
        sel = ind[style == k]
        for a, b in pairs:
            body[sel] = [t.replace(a, b) for t in body[sel]]
    before = rng.choice(np.array(T.CONTEXT_BEFORE, dtype=object), len(ind))
    after = rng.choice(np.array(T.CONTEXT_AFTER, dtype=object), len(ind))
    u = rng.random((2, len(ind)))
    body[ind] = np.where(u[0] < 0.3, before, "") + body[ind] + np.where(u[1] < 0.3, after, "")
    for i in np.flatnonzero(street_town[d.m_town]):  # a street's 社区 has 居委会, not 村委会
        text = body[i]
        for a, b in T.URBAN_WORDS:
            text = text.replace(a, b)
        body[i] = text
    d.m_body = body


def _assign_units(d: SimpleNamespace) -> None:
    """Responsible unit (a county bureau, or the town's government) and group matters."""
    rng, n = d.rng, d.n_matters
    d.m_unit = np.empty(n, dtype=object)
    classes = _TEMPLATE_CLASS[d.m_tpl]
    for c in np.unique(classes):
        sel = np.flatnonzero(classes == c)
        d.m_unit[sel] = rng.choice(np.array(T.UNITS[c], dtype=object), len(sel))
    by_town = rng.random(n) < 0.35
    town_units = np.array([_town_unit(str(t)) for t in d.world.towns], dtype=object)
    d.m_unit[by_town] = town_units[d.m_town[by_town]]
    d.m_group = _GROUP_KINDS[d.m_tpl] & (rng.random(n) < np.where(d.is_hot_m, 0.3, 0.12))


def _schedule_rows(d: SimpleNamespace) -> None:
    """Rows (submissions): dates spaced weeks or months apart within [start, end], channel."""
    rng = d.rng
    row_matter = np.r_[
        np.repeat(np.arange(d.n_ind_matters), d.lengths), d.n_ind_matters + d.hot_matter_local
    ].astype(np.int64)
    n_rows = len(row_matter)
    assert n_rows == d.n, (n_rows, d.n)
    hot_row = np.r_[np.zeros(d.n_ind, dtype=bool), np.ones(d.n_hot, dtype=bool)]

    gaps = 14 + rng.gamma(1.5, 40.0, n_rows)
    first_of_matter = np.r_[True, np.diff(row_matter) != 0]
    gaps[first_of_matter] = 0.0
    gaps[hot_row] = 0.0
    m_span = np.bincount(row_matter, weights=gaps, minlength=d.n_matters)
    shrink = np.where(m_span > d.span, d.span / np.maximum(m_span, 1), 1.0)
    gaps *= shrink[row_matter]
    m_span = np.minimum(m_span, d.span)
    m_first = d.d0 + rng.random(d.n_matters) * (d.span - m_span)
    hm = np.flatnonzero(d.is_hot_m)
    m_first[hm] = d.spot_start[d.m_spot[hm]]
    offset = np.cumsum(gaps)
    offset -= np.repeat(
        offset[first_of_matter], np.diff(np.r_[np.flatnonzero(first_of_matter), n_rows])
    )
    if d.n_hot:
        offset[hot_row] = rng.random(d.n_hot) * d.spot_window[d.hot_spot]
    received = np.clip(np.floor(m_first[row_matter] + offset).astype(np.int64), d.d0, d.d1)

    channel = rng.choice(len(_CHANNELS), n_rows, p=_CHANNEL_P)  # index into _CHANNELS
    group_row = d.m_group[row_matter] & (rng.random(n_rows) < 0.8)
    channel[group_row] = _VISIT
    # offices receive visits and faxes on working days: move weekend ones to Friday
    weekday = (received + 3) % 7  # Monday = 0
    office = (channel == _VISIT) | (channel == _FAX)
    back = np.where(weekday == 5, 1, np.where(weekday == 6, 2, 0))
    moved = received - back
    moved = np.where(moved < d.d0, received + (3 - back) % 3, moved)
    received = np.where(office & (back > 0), np.clip(moved, d.d0, d.d1), received)

    # order each matter's rows by date: chain position and whether another submission follows
    order = np.lexsort((received, row_matter))
    d.row_matter, d.received, d.channel, d.group_row = (
        a[order] for a in (row_matter, received, channel, group_row)
    )
    d.n_rows = n_rows
    d.seq = _seq_within(d.row_matter)
    chain_len = np.bincount(d.row_matter, minlength=d.n_matters)[d.row_matter]
    d.has_next = d.seq < chain_len - 1
    d.tpl_row = d.m_tpl[d.row_matter]


def _visits_and_leaders(d: SimpleNamespace) -> None:
    """Persons per visit, visit level climbing along a chain, leaders (包案)."""
    rng, n_rows, seq = d.rng, d.n_rows, d.seq
    count = np.ones(n_rows, dtype=np.int64)
    family = (d.channel == _VISIT) & (rng.random(n_rows) < 0.15)
    count[family] = rng.integers(2, 5, int(family.sum()))
    n_group = int(d.group_row.sum())
    count[d.group_row] = np.clip(5 + rng.gamma(1.3, 12.0, n_group), 5, 60).astype(int)
    d.count = count

    base = np.where(
        d.channel == _VISIT,
        rng.choice(5, n_rows, p=[0.28, 0.57, 0.11, 0.03, 0.01]),
        rng.choice(5, n_rows, p=[0.06, 0.88, 0.05, 0.008, 0.002]),
    )
    step = (rng.random(n_rows) < 0.18) & (seq > 0)
    climb = np.cumsum(step)
    climb -= np.repeat(climb[seq == 0], np.diff(np.r_[np.flatnonzero(seq == 0), n_rows]))
    m_base = np.zeros(d.n_matters, dtype=np.int64)
    m_base[d.row_matter[seq == 0]] = base[seq == 0]
    level = np.clip(np.maximum(base, m_base[d.row_matter]) + climb, 0, 4)
    d.visit_level = _LEVELS[level]

    # leaders: more likely for long chains, escalated matters and hotspots
    m_maxlevel = np.zeros(d.n_matters, dtype=np.int64)
    np.maximum.at(m_maxlevel, d.row_matter, level)
    m_len = np.bincount(d.row_matter, minlength=d.n_matters)
    p_leader = 0.05 + 0.12 * (m_len >= 3) + 0.15 * (m_maxlevel >= 3) + 0.2 * d.is_hot_m
    leaders = d.world.leaders
    m_leader = np.where(
        rng.random(d.n_matters) < p_leader, rng.choice(leaders, d.n_matters), None
    ).astype(object)
    if d.n_spots:
        s_leader = np.where(rng.random(d.n_spots) < 0.6, rng.choice(leaders, d.n_spots), None)
        m_leader[d.is_hot_m] = s_leader[d.m_spot[d.is_hot_m]]
    d.leader = m_leader[d.row_matter]


def _handling(d: SimpleNamespace) -> None:
    """Deadline (60 days, 90 when extended), closing date, outcome and satisfaction."""
    rng, n_rows = d.rng, d.n_rows
    late = rng.random(n_rows) < 0.13
    extended = late & (rng.random(n_rows) < 0.35)
    days = np.where(
        late,
        61 + np.minimum(rng.gamma(1.4, 28.0, n_rows), 240),
        3 + np.minimum(rng.gamma(2.0, 11.0, n_rows), 57),
    ).astype(np.int64)
    days = np.where(extended, rng.integers(61, 91, n_rows), days)
    d.deadline = d.received + np.where(extended, 90, 60)
    d.has_deadline = extended | (rng.random(n_rows) < 0.8)
    d.closed = d.received + days
    stuck = rng.random(n_rows) < 0.045  # left open long past the deadline
    d.is_open = is_open = (d.closed > d.today) | stuck
    d.mtype = _TEMPLATE_MTYPE[d.tpl_row]
    outcome = np.empty(n_rows, dtype=object)
    for mt in MATTER_TYPES:
        sel = np.flatnonzero(d.mtype == mt)
        outcome[sel] = rng.choice(np.array(T.OUTCOMES_CLOSED[mt], dtype=object), len(sel))
    n_open = int(is_open.sum())
    outcome[is_open] = np.where(
        rng.random(n_open) < 0.75,
        rng.choice(np.array(T.OUTCOMES_OPEN, dtype=object), n_open),
        None,
    )
    ext_rows = np.flatnonzero(extended)
    outcome[ext_rows] = [T.EXTENSION_NOTE + (o or "正在办理") for o in outcome[ext_rows]]
    d.outcome = outcome
    sat_values = np.array(SATISFACTION_VALUES, dtype=object)
    sat = np.where(  # unsatisfied people come back more often
        d.has_next,
        rng.choice(sat_values, n_rows, p=[0.1, 0.2, 0.5, 0.2]),
        rng.choice(sat_values, n_rows, p=[0.56, 0.24, 0.07, 0.13]),
    )
    sat[is_open] = None
    d.satisfaction = sat


def _row_texts(d: SimpleNamespace) -> None:
    """Category as the clerk wrote it, and the summary: opener + body + closing remark."""
    rng, n_rows, seq, tpl_row = d.rng, d.n_rows, d.seq, d.tpl_row
    u = rng.random(n_rows)  # national name, a local name, or nothing
    d.category = np.where(
        u < 0.62, _TEMPLATE_CLASS[tpl_row], np.where(u < 0.9, _TEMPLATE_LOCAL[tpl_row], None)
    )
    verbs, verb_idx = _VERBS, _TEMPLATE_VERB_IDX[tpl_row]
    first_open = rng.integers(0, len(T.OPENERS_FIRST), n_rows)
    rep_open = rng.integers(0, len(T.OPENERS_REPEAT), n_rows)
    rep_close = rng.choice(np.array(T.CLOSERS_REPEAT, dtype=object), n_rows)
    grp_close = rng.integers(0, len(T.CLOSERS_GROUP), n_rows)
    reps = rng.integers(3, 6, n_rows)
    k_max = int(seq.max()) + 2
    first_tab = np.array(
        [[o.format(v=v) for v in verbs] for o in T.OPENERS_FIRST], dtype=object
    ).reshape(len(T.OPENERS_FIRST), len(verbs))
    rep_tab = np.array(
        [[[o.format(v=v, k=k) for k in range(k_max)] for v in verbs] for o in T.OPENERS_REPEAT],
        dtype=object,
    ).reshape(len(T.OPENERS_REPEAT), len(verbs), k_max)
    grp_tab = np.array([[g.format(rep=r) for r in range(6)] for g in T.CLOSERS_GROUP], dtype=object)
    body = d.m_body[d.row_matter]
    summary = np.where(
        seq > 0,
        rep_tab[rep_open, verb_idx, np.minimum(seq + 1, k_max - 1)] + body + rep_close,
        first_tab[first_open, verb_idx] + body,
    )
    d.summary = np.where(d.group_row, summary + grp_tab[grp_close, reps], summary)


def _personal_data(d: SimpleNamespace) -> None:
    """The petitioner's name, ID, phone and address, with the gaps real ledgers have."""
    rng, n_rows = d.rng, d.n_rows
    d.person = person = d.m_person[d.row_matter]
    remote = (d.channel == _ONLINE) | (d.channel == _PHONE)
    d.id_number = d.people.id_number[person].copy()
    d.id_number[remote & (rng.random(n_rows) < 0.35)] = None
    d.phone = d.people.phone[person].copy()
    d.phone[rng.random(n_rows) < 0.04] = None
    d.address = d.people.address[person].copy()
    d.address[(d.channel == _PHONE) & (rng.random(n_rows) < 0.2)] = None


def _as_dates(days: np.ndarray, missing: np.ndarray | None = None) -> np.ndarray:
    out = days.astype("datetime64[D]").astype("datetime64[ns]")
    if missing is not None:
        out[missing] = np.datetime64("NaT")
    return out


def _frame(d: SimpleNamespace, *, with_truth: bool) -> pd.DataFrame:
    """The canonical frame in ledger order (by date received), case numbers per year."""
    n, rm = d.n, d.row_matter
    columns = {
        "received_date": _as_dates(d.received),
        "channel": _CHANNELS[d.channel],
        "petitioner": d.people.name[d.person],
        "id_number": d.id_number,
        "phone": d.phone,
        "address": d.address,
        "person_count": d.count,
        "locality": d.town_names[rm],
        "category": d.category,
        "summary": d.summary,
        "matter_type": d.mtype,
        "responsible_unit": d.m_unit[rm],
        "leader": d.leader,
        "visit_level": d.visit_level,
        "deadline": _as_dates(d.deadline, ~d.has_deadline),
        "closed_date": _as_dates(d.closed, d.is_open),
        "outcome": d.outcome,
        "satisfaction": d.satisfaction,
    }
    if with_truth:
        columns["true_category"] = _TEMPLATE_CLASS[d.tpl_row]
        columns["true_matter"] = rm
        columns["true_hotspot"] = d.m_spot[rm]
        columns["true_person"] = d.person
        columns["template"] = d.tpl_row
    perm = np.argsort(d.received, kind="stable")
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
