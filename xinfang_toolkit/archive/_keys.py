"""Case identity in the archive: the case number, else a documented content key.

* ``编号:<case_id>`` when the ledger gives a 信访件编号 (spaces removed, full-width folded, upper
  case): the same number in two ledgers is the same case.
* ``内容:<hash>`` otherwise: a 16-hex-digit BLAKE2b hash of three parts joined by ``|``:
  the received day (YYYY-MM-DD), the person key (:func:`privacy.person_keys`: ID number, else
  name + phone, else name + address; empty when unknown) and the summary fingerprint (the first
  40 characters of the summary after NFKC folding, with spaces and punctuation removed). Cases
  keyed this way are reported as such: a change of wording or of the received day in a later
  ledger makes it a new case, so give cases numbers where you can.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import pandas as pd

from .._base.text import fold_width
from ..privacy import person_keys
from ..schema import TEXT_DTYPE

KIND_NUMBER = "信访件编号"
KIND_CONTENT = "内容键"
FINGERPRINT_CHARS = 40
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def fingerprint(summary: object) -> str:
    """The summary part of the content key (see the module docstring)."""
    if summary is None or summary is pd.NA or (isinstance(summary, float) and np.isnan(summary)):
        return ""
    text = _NOISE.sub("", fold_width(str(summary)))
    return text[:FINGERPRINT_CHARS]


def case_number(case_id: object) -> str:
    """A case number as the archive keys it (NFKC, whitespace removed, upper case). ASCII text
    is its own NFKC form, so most numbers skip the normalisation."""
    text = fold_width(str(case_id))
    return "".join(text.split()).upper()  # str.split's whitespace is re's \s


def content_key(received: object, person: object, summary: object) -> str:
    day = "" if pd.isna(received) else pd.Timestamp(received).strftime("%Y-%m-%d")
    who = "" if person is None or pd.isna(person) else str(person)
    text = f"{day}|{who}|{fingerprint(summary)}"
    return "内容:" + hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def case_keys(cases: pd.DataFrame) -> pd.DataFrame:
    """``case_key``, ``key_kind`` and ``person_key`` for every row of a cases frame.

    A frame that already has a complete ``person_key`` column (from privacy.person_keys, e.g.
    a generator's or another system's) keeps it; else the keys are computed here."""
    given = cases["person_key"] if "person_key" in cases.columns else None
    if given is not None and given.notna().all():
        persons = given.astype(TEXT_DTYPE)
    else:
        persons = person_keys(cases)
    ids = cases["case_id"].astype(TEXT_DTYPE).to_numpy(dtype=object, na_value=None)
    numbered = [None if v is None or not v.strip() else "编号:" + case_number(v) for v in ids]
    has_id = np.fromiter((k is not None for k in numbered), dtype=bool, count=len(numbered))
    keys = pd.Series(pd.array(numbered, dtype=TEXT_DTYPE), index=cases.index)
    rest = ~has_id
    if rest.any():
        sub = cases.loc[rest]
        keys[rest] = [
            content_key(r, p, s)
            for r, p, s in zip(
                sub["received_date"], persons[rest], sub["summary"].astype(object), strict=True
            )
        ]
    kind = np.where(rest, KIND_CONTENT, KIND_NUMBER)
    return pd.DataFrame(
        {"case_key": keys, "key_kind": pd.array(kind, dtype=TEXT_DTYPE), "person_key": persons},
        index=cases.index,
    )
