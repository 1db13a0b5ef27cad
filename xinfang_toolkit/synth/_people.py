"""Synthetic places and people: villages, companies, petitioners with valid-checksum ID numbers.

Faker (zh_CN) supplies the name lists and region codes; everything is drawn with numpy from
those pools so that a million petitioners take well under a second. Nobody here is real.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .._base.ids import id_check_digit, id_check_digits
from . import _text as T

#: the county's own region code (first 6 digits of most petitioners' ID numbers)
LOCAL_AREA_CODE = 410122
_PHONE_PREFIXES = np.array(
    [130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 155, 157, 158, 159]
    + [166, 173, 175, 176, 177, 180, 181, 182, 183, 185, 186, 187, 188, 189, 191, 198, 199],
    dtype=np.int64,
)


def int_strings(values: np.ndarray) -> np.ndarray:
    """Integers as an object array of Python strings (much faster than ndarray.astype(str))."""
    return np.array(list(map(str, np.asarray(values).tolist())), dtype=object)


def is_valid_id(value: str) -> bool:
    """True for an 18-character ID number whose last character is the right check digit."""
    if not isinstance(value, str) or len(value) != 18 or not value[:17].isdigit():
        return False
    return id_check_digit(value[:17]) == value[17]


@lru_cache(maxsize=1)
def _faker_pools() -> dict[str, np.ndarray]:
    """Name lists and region codes from Faker's zh_CN providers (loaded once)."""
    from faker.providers.person.zh_CN import Provider as Person
    from faker.providers.ssn.zh_CN import Provider as Ssn

    surnames = np.array(list(Person.last_names.keys()))
    weights = np.array(list(Person.last_names.values()), dtype=float)
    areas = np.array(
        [int(c) for c in Ssn.area_codes if not c.endswith("00") and not c.startswith("71")],
        dtype=np.int64,
    )
    single_m = [x for x in Person.first_names_male if len(x) == 1]
    single_f = [x for x in Person.first_names_female if len(x) == 1]
    return {
        "surnames": surnames,
        "surname_p": weights / weights.sum(),
        "male": np.array(Person.first_names_male),
        "female": np.array(Person.first_names_female),
        "male1": np.array(single_m),
        "female1": np.array(single_f),
        "areas": areas,
    }


@dataclass(frozen=True)
class World:
    """The invented county: towns, their villages, estates, companies and leaders."""

    towns: np.ndarray
    town_p: np.ndarray
    villages: tuple[np.ndarray, ...]  # per town
    communities: np.ndarray  # housing estates in the county town
    companies: dict[str, np.ndarray]  # by template slot: developer, builder, factory, company
    leaders: np.ndarray


def make_world(rng: np.random.Generator) -> World:
    towns = np.array([t for t, _ in T.TOWNS], dtype=object)
    town_p = np.array([w for _, w in T.TOWNS], dtype=float)
    town_p /= town_p.sum()
    heads = rng.permutation(np.array(T.VILLAGE_HEADS))
    villages = []
    pos = 0
    for town in towns:
        k = int(rng.integers(4, 7))  # 12 towns x at most 6 <= len(VILLAGE_HEADS)
        chosen = heads[pos : pos + k]
        pos += k
        tail = "社区" if town.endswith("街道") else "村"
        names = [f"{h}{tail}" for h in chosen]
        for fixed in T.FIXED_VILLAGES.get(str(town), ()):
            names[0] = fixed
        villages.append(np.array(names, dtype=object))
    communities = np.array(
        sorted(
            {
                f"{h}{t}"
                for h, t in zip(
                    rng.choice(T.COMMUNITY_HEADS, 40),
                    rng.choice(T.COMMUNITY_TAILS, 40),
                    strict=True,
                )
            }
        ),
        dtype=object,
    )
    companies = {}
    for kind, tails in T.COMPANY_TAILS.items():
        names = {
            ("" if rng.random() < 0.6 else T.COUNTY) + f"{h}{t}"
            for h, t in zip(rng.choice(T.COMPANY_HEADS, 16), rng.choice(tails, 16), strict=True)
        }
        companies[kind] = np.array(sorted(names), dtype=object)
    leaders = np.unique(make_names(rng, 14, male=rng.random(14) < 0.75))
    return World(towns, town_p, tuple(villages), communities, companies, leaders)


def make_names(rng: np.random.Generator, m: int, *, male: np.ndarray) -> np.ndarray:
    pools = _faker_pools()
    surname = rng.choice(pools["surnames"], m, p=pools["surname_p"])
    given = np.where(male, rng.choice(pools["male"], m), rng.choice(pools["female"], m))
    second = np.where(male, rng.choice(pools["male1"], m), rng.choice(pools["female1"], m))
    two = (rng.random(m) < 0.45) & (np.char.str_len(given) == 1) & (given != second)
    given = np.where(two, np.char.add(given, second), given)
    return np.char.add(surname, given).astype(object)


def make_id_numbers(
    rng: np.random.Generator, m: int, *, male: np.ndarray, birth: np.ndarray
) -> np.ndarray:
    """Valid 18-digit IDs: region code, birth date (datetime64[D]), sequence (odd = male), check."""
    pools = _faker_pools()
    local = rng.random(m) < 0.9
    region = np.where(local, LOCAL_AREA_CODE, rng.choice(pools["areas"], m))
    birth = birth.astype("datetime64[D]")
    month_start = birth.astype("datetime64[M]")
    year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    month = month_start.astype(np.int64) % 12 + 1
    day = (birth - month_start.astype("datetime64[D]")).astype(np.int64) + 1
    birth_num = year * 10000 + month * 100 + day
    seq = rng.integers(0, 500, m) * 2 + male.astype(np.int64)
    first17 = region * 10**11 + birth_num * 1000 + seq
    digits = (first17[:, None] // 10 ** np.arange(16, -1, -1, dtype=np.int64)) % 10
    check = id_check_digits(digits)
    return int_strings(first17) + check.astype(object)


def make_phones(rng: np.random.Generator, m: int) -> np.ndarray:
    num = rng.choice(_PHONE_PREFIXES, m) * 10**8 + rng.integers(0, 10**8, m)
    return int_strings(num)


@dataclass(frozen=True)
class People:
    name: np.ndarray
    id_number: np.ndarray
    phone: np.ndarray
    town: np.ndarray  # index into World.towns
    village: np.ndarray
    address: np.ndarray


def make_people(rng: np.random.Generator, m: int, world: World) -> People:
    male = rng.random(m) < 0.56
    names = make_names(rng, m, male=male)
    age_days = (np.clip(rng.normal(54, 14, m), 19, 88) * 365.25).astype(np.int64)
    birth = np.datetime64("2026-01-01") - age_days.astype("timedelta64[D]")
    ids = make_id_numbers(rng, m, male=male, birth=birth)
    phones = make_phones(rng, m)
    town = rng.choice(len(world.towns), m, p=world.town_p)
    village = np.empty(m, dtype=object)
    address = np.empty(m, dtype=object)
    for t, town_name in enumerate(world.towns):
        sel = np.flatnonzero(town == t)
        if not len(sel):
            continue
        vill = rng.choice(world.villages[t], len(sel))
        village[sel] = vill
        if str(town_name).endswith("街道"):
            unit = int_strings(rng.integers(1, 30, len(sel))) + "号楼"
        else:
            unit = int_strings(rng.integers(1, 13, len(sel))) + "组"
        address[sel] = (T.COUNTY + str(town_name)) + vill.astype(object) + unit
    return People(names, ids, phones, town, village, address)
