"""The stand-in labelled corpus: varied, hand-written-template Chinese complaint messages
(phrases in ``data/synth/complaints.yaml``).

``data/labelled_complaints.csv`` (text,label; read by ``xinfang_toolkit.classify.labelled_corpus``)
was written by :func:`complaint_corpus` with its defaults. It imitates 12345-hotline and petition messages in 7 first-level classes and is
deliberately hard: classes share vocabulary (工地欠薪 vs 工地噪音 vs 工地扬尘, 医保报销 vs
医院收费, 校车 vs 公交, 村里修路 vs 土地承包), messages mention other classes in passing, the
wording is colloquial, with typos, missing punctuation and very different lengths. The label is
the class of the main request, as a 12345 dispatcher would file it. It is NOT produced by
the case generator (``generate_cases``) and shares no sentence with it. All names and places are
invented.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

import pandas as pd

from .._datafile import data_file, load_yaml
from ..classify import STANDIN_CLASSES

__all__ = ["complaint_corpus"]

#: the phrase tables (data/synth/complaints.yaml): lists as written there
_PHRASES = load_yaml(data_file("synth/complaints.yaml"))
_SLOTS: dict[str, list[str]] = _PHRASES["slots"]
_OPEN: list[str] = _PHRASES["open"]
_HISTORY: list[str] = _PHRASES["history"]
_DEMAND: list[str] = _PHRASES["demand"]
_CORE: dict[str, list[str]] = _PHRASES["core"]
_DETAIL: dict[str, list[str]] = _PHRASES["detail"]
#: sentences that mention another class's vocabulary without changing what is asked
_CROSS: list[str] = _PHRASES["cross"]
_HOMOPHONES: dict[str, str] = _PHRASES["homophones"]
#: short messages with weak signals: what people type into a hotline app in a hurry
_VAGUE: dict[str, list[str]] = _PHRASES["vague"]
_JOINERS: list[str] = _PHRASES["joiners"]


_INNER = re.compile(r"\{([^{}]*)\}")


def _fill(template: str, rng: random.Random) -> str:
    """Resolve {a|b} alternatives (innermost first) and {slot} names."""

    def pick(m: re.Match) -> str:
        body = m.group(1)
        if "|" in body:
            choice = rng.choice(body.split("|"))
            return rng.choice(_SLOTS[choice]) if choice in _SLOTS else choice
        if body in _SLOTS:
            return rng.choice(_SLOTS[body])
        return body

    text = template
    while "{" in text:
        text = _INNER.sub(pick, text)
    return text


def _noise(text: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.2:  # typos from homophones
        keys = [k for k in _HOMOPHONES if k in text]
        for k in rng.sample(keys, min(len(keys), rng.randint(1, 2))):
            text = text.replace(k, _HOMOPHONES[k], 1)
    r = rng.random()
    if r < 0.1:
        text = re.sub(r"[，。！？,.!?：；]", " ", text)
    elif r < 0.2:
        text = text.replace("，", ",").replace("。", ".")
    elif r < 0.25:
        text = text.rstrip("。") + "！！！"
    return re.sub(r"\s+", " ", text).strip()


def _message(label: str, rng: random.Random, cores: dict, vague: dict) -> str:
    if rng.random() < 0.07:
        return _noise(_fill(rng.choice(vague[label]), rng), rng)
    core = _fill(rng.choice(cores[label]), rng)
    length = rng.random()
    if length < 0.2:  # short, hotline-style
        text = core
    else:
        parts = [_fill(rng.choice(_OPEN), rng)]
        if rng.random() < 0.45:
            parts.append(_fill(rng.choice(_CROSS), rng))
        parts.append(core + rng.choice(["。", "，", "！", "。"]))
        if length > 0.5:
            parts.append(_fill(rng.choice(_DETAIL[label]), rng))
        if length > 0.7:
            parts.append(_fill(rng.choice(_HISTORY), rng))
        if length > 0.85 and rng.random() < 0.5:  # a second problem of the same class
            parts.append(_fill(rng.choice(cores[label]), rng) + "。")
        parts.append(_fill(rng.choice(_DEMAND), rng))
        text = "".join(parts)
    if rng.random() < 0.18:  # a side issue of another class, mentioned after the main one
        other = rng.choice([c for c in STANDIN_CLASSES if c != label])
        side = _fill(rng.choice(vague[other] + cores[other][:6]), rng)
        text = text.rstrip("。！，") + "。" + rng.choice(_JOINERS) + side + "。"
    return _noise(text, rng)


def complaint_corpus(
    *, per_class: int = 200, seed: int = 0, scenarios: Callable[[int], bool] | None = None
) -> pd.DataFrame:
    """``per_class`` distinct messages for each of :data:`STANDIN_CLASSES` (columns text, label).

    ``scenarios`` keeps only the scenarios (and short messages) whose index within their class
    passes the test, e.g. ``lambda i: i % 5 != 0``: train and test sets built from disjoint
    scenarios measure how a model copes with problems worded in ways it has never seen.
    """
    rng = random.Random(seed)
    cores, vague = _CORE, _VAGUE
    if scenarios is not None:
        cores = {c: [s for i, s in enumerate(v) if scenarios(i)] for c, v in _CORE.items()}
        vague = {c: [s for i, s in enumerate(v) if scenarios(i)] for c, v in _VAGUE.items()}
    rows: list[tuple[str, str]] = []
    for label in STANDIN_CLASSES:
        seen: set[str] = set()
        tries = 0
        while len(seen) < per_class and tries < per_class * 50:
            tries += 1
            text = _message(label, rng, cores, vague)
            if text and text not in seen:
                seen.add(text)
                rows.append((text, label))
    order = list(range(len(rows)))
    rng.shuffle(order)
    return pd.DataFrame([rows[i] for i in order], columns=["text", "label"])
