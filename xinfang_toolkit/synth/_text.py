"""Word lists and summary templates for synthetic petition cases, read from the package's data
files ``data/synth/words.yaml`` (places, units, openers, outcomes ...) and
``data/synth/templates.csv`` (the summary templates).

Every name there is invented. Templates use natural vocabulary per national content class so that
rule-based and trained classifiers see the words real ledgers use.

A template is ``(national_class, local_label, matter_type, verb, body, kind)``:
``verb`` opens the summary (反映/举报/建议/要求), ``body`` follows it and may hold slots in braces,
``kind`` is "" for individual matters, "hot" for problems many people share (hotspots) and
"group" for individual matters that are sometimes raised by a group.
"""

from __future__ import annotations

from typing import Any

from .._datafile import data_file, load_yaml, read_csv_rows

TEMPLATE_COLUMNS = ("class", "local", "matter_type", "verb", "body", "kind")


def as_tuples(value: Any) -> Any:
    """A data file's lists as tuples, all the way down (dicts keep their order)."""
    if isinstance(value, list):
        return tuple(as_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: as_tuples(v) for k, v in value.items()}
    return value


def synth_yaml(name: str) -> dict[str, Any]:
    """One of the synth data files (``data/synth/<name>``), lists read as tuples."""
    return as_tuples(load_yaml(data_file(f"synth/{name}")))


def _templates() -> tuple[tuple[str, str | None, str, str, str, str], ...]:
    rows = read_csv_rows(data_file("synth/templates.csv"), columns=TEMPLATE_COLUMNS)
    return tuple(
        (r["class"], r["local"] or None, r["matter_type"], r["verb"], r["body"], r["kind"])
        for _line, r in rows
    )


_WORDS = synth_yaml("words.yaml")

COUNTY: str = _WORDS["county"]
CITY: str = _WORDS["city"]
#: the county's towns and streets, with a weight for how many cases each sends
TOWNS: tuple[tuple[str, float], ...] = _WORDS["towns"]
#: villages (or communities for streets) that must exist, from the seed reports
FIXED_VILLAGES: dict[str, tuple[str, ...]] = _WORDS["fixed_villages"]
VILLAGE_HEADS: list[str] = _WORDS["village_heads"].split()
VILLAGE_TAILS: tuple[str, ...] = _WORDS["village_tails"]
COMMUNITY_HEADS: list[str] = _WORDS["community_heads"].split()
COMMUNITY_TAILS: tuple[str, ...] = _WORDS["community_tails"]
STREET_TAILS: tuple[str, ...] = _WORDS["street_tails"]
COMPANY_HEADS: list[str] = _WORDS["company_heads"].split()
#: company name tails by the slot they fill in templates
COMPANY_TAILS: dict[str, tuple[str, ...]] = _WORDS["company_tails"]
ROADS: tuple[str, ...] = _WORDS["roads"]
RIVERS: tuple[str, ...] = _WORDS["rivers"]
PROJECT_KINDS: tuple[str, ...] = _WORDS["project_kinds"]
#: each slot: a tuple of choices, or ("int", lo, hi) for a random integer
SLOT_CHOICES: dict[str, tuple] = {**_WORDS["slot_choices"], "river": RIVERS, "road": ROADS}
TEMPLATES: tuple[tuple[str, str | None, str, str, str, str], ...] = _templates()
#: national class weights (share of matters), roughly what county offices report
CLASS_WEIGHTS: dict[str, float] = _WORDS["class_weights"]
#: responsible units per national class (a town's government is used too, see _cases)
UNITS: dict[str, tuple[str, ...]] = _WORDS["units"]
OPENERS_FIRST: tuple[str, ...] = _WORDS["openers_first"]
OPENERS_REPEAT: tuple[str, ...] = _WORDS["openers_repeat"]
CLOSERS_REPEAT: tuple[str, ...] = _WORDS["closers_repeat"]
#: wording styles: each individual matter is written in one of them (style 0 keeps the template)
WORDING_STYLES: tuple[tuple[tuple[str, str], ...], ...] = _WORDS["wording_styles"]
CONTEXT_BEFORE: tuple[str, ...] = _WORDS["context_before"]
CONTEXT_AFTER: tuple[str, ...] = _WORDS["context_after"]
#: a personal remark added to each person's account of a shared problem (hotspot)
HOT_PERSONAL: tuple[str, ...] = _WORDS["hot_personal"]
CLOSERS_GROUP: tuple[str, ...] = _WORDS["closers_group"]
OUTCOMES_CLOSED: dict[str, tuple[str, ...]] = _WORDS["outcomes_closed"]
OUTCOMES_OPEN: tuple[str, ...] = _WORDS["outcomes_open"]
EXTENSION_NOTE: str = _WORDS["extension_note"]
#: village words said otherwise in a street's community: (village word, community word)
URBAN_WORDS: tuple[tuple[str, str], ...] = _WORDS["urban_words"]
