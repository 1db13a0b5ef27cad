"""Masked means irreversible: no key in a masked output can be recomputed from a guessed ID.

A masked ID number keeps its first 6 and last 4 digits; only the birth date (8 digits) is
hidden, about 36,500 candidates over a century. The attacker here knows the public default
salt and the algorithm of every key, and even the true summaries; for every masked ID of an
output they try every birth date and look for the key, a chain id or a content key it gives.
"""

from __future__ import annotations

import os
import re

import pandas as pd
import pytest
from archive_helpers import base_cases

from xinfang_toolkit.analysis import link_repeats
from xinfang_toolkit.archive import CaseArchive
from xinfang_toolkit.archive._keys import content_key
from xinfang_toolkit.privacy import (
    SALT_ENV,
    default_salt_file,
    mask_pii,
    office_salt,
    person_key,
    person_keys,
    pseudonymize,
)
from xinfang_toolkit.privacy._keys import DEFAULT_SALT, _hashes

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def _valid_id(region: str, birth: str, seq: str) -> str:
    body = region + birth + seq
    return body + _CHECK[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def _candidates(masked: str) -> list[str]:
    """Every ID number a masked one can be: each day of 1920-2019 in the hidden middle."""
    days = pd.date_range("1920-01-01", "2019-12-31", freq="D").strftime("%Y%m%d")
    head, tail = masked[:6], masked[-4:]
    return [head + d + tail for d in days]


def _tokens(frame: pd.DataFrame) -> set[str]:
    text = " ".join(frame.astype("string").fillna("").to_numpy(dtype=str).ravel())
    return set(re.split(r"[\s\-]+", text)) | set(text.split())


def brute_force(shown: pd.DataFrame, truth: pd.DataFrame | None = None) -> list[str]:
    """The ID numbers recovered from ``shown`` (a masked output): a candidate's default-salted
    person key found in it, or (with ``truth``: the true received day and summary of each
    row, by position) the content key of a case of that person."""
    tokens = _tokens(shown)
    found = []
    masked_ids = shown["id_number"].dropna().astype(str)
    for pos, masked in masked_ids.items():
        if "*" not in masked:
            continue
        cands = _candidates(masked)
        keys = _hashes(["id:" + c for c in cands], DEFAULT_SALT)
        hits = [c for c, k in zip(cands, keys, strict=True) if k in tokens]
        if truth is not None and not hits:
            row = truth.loc[pos]
            contents = {
                content_key(row["received_date"], k, row["summary"]): c
                for c, k in zip(cands, keys, strict=True)
            }
            hits = [contents[t] for t in tokens & set(contents)]
        found.extend(hits)
    return found


def _people(n: int = 6) -> pd.DataFrame:
    cases = base_cases(n, seed=11)
    cases["id_number"] = [
        _valid_id("110101", f"19{60 + i:02d}0{1 + i % 9}1{i % 9}", f"{i:03d}") for i in range(n)
    ]
    return cases


def test_the_attack_works_on_a_key_shown_next_to_its_masked_id():
    """The attacker of these tests is real: a default-salted key beside a masked ID gives it."""
    cases = _people(3)
    shown = cases[["id_number"]].assign(person_key=person_keys(cases))
    shown["id_number"] = shown["id_number"].str[:6] + "********" + shown["id_number"].str[-4:]
    assert sorted(brute_force(shown)) == sorted(cases["id_number"])


def test_masked_frames_of_linked_cases_give_nothing_back():
    cases = _people(6)
    cases = pd.concat([cases, cases.iloc[:3].assign(case_id=lambda f: f["case_id"] + "b")])
    linked = link_repeats(cases.reset_index(drop=True))
    assert linked["person_key"].notna().all() and linked["chain_id"].str.startswith("P").all()
    shown = mask_pii(linked)
    assert shown["id_number"].str.contains(r"\*").all()
    assert brute_force(shown) == []
    # the keys still group the rows of one output as before
    pd.testing.assert_series_equal(
        pd.Series(pd.factorize(shown["chain_id"])[0]),
        pd.Series(pd.factorize(linked["chain_id"])[0]),
    )


def _truth(shown: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """The true received day and summary of each shown row (by case number, else by the
    received day and the masked summary's length, unique in these tests)."""
    rows = []
    for _, row in shown.iterrows():
        if pd.notna(row["case_id"]):
            match = current[current["case_id"] == row["case_id"]]
        else:
            match = current[
                current["case_id"].isna()
                & (current["received_date"] == row["received_date"])
                & (current["summary"].str.len() == len(row["summary"]))
            ]
        assert len(match) == 1
        rows.append(match.iloc[0])
    return pd.DataFrame(rows).reset_index(drop=True).set_axis(shown.index)


def test_archive_history_and_changes_masked_give_nothing_back(tmp_path):
    cases = _people(6)
    cases.loc[:2, "case_id"] = pd.NA  # cases without a number: keyed by content (person key)
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_cases(cases, period="2026-07-31")
    current = archive.cases()
    assert current["case_key"].str.startswith("内容:").sum() == 3
    new = archive.changes("2026-01-01", "2026-07-31")["新增"]
    assert len(new) == 6
    assert brute_force(new, _truth(new, current)) == []
    for key in new["case_key"]:
        history = archive.history(key)  # a masked content key still finds its case
        assert len(history) == 1 and history["case_key"].iloc[0] == key
        assert brute_force(history, _truth(history, current)) == []
    unmasked = archive.changes("2026-01-01", "2026-07-31", mask=False)["新增"]
    assert set(unmasked["case_key"]) == set(current["case_key"])


def test_pseudonymized_keys_cannot_be_confirmed_against_a_list_of_ids(tmp_path, monkeypatch):
    monkeypatch.setenv(SALT_ENV, str(tmp_path / "secret.key"))
    cases = _people(8)
    out = pseudonymize(link_repeats(cases))
    known = set(cases["id_number"])
    for salt in (DEFAULT_SALT, "", "xinfang"):
        confirmed = {pid for pid in known if person_key(pid, salt=salt) in set(out["petitioner"])}
        assert not confirmed
    tokens = _tokens(out)
    assert not tokens & set(_hashes(["id:" + p for p in known], DEFAULT_SALT))
    # stable within the office: the same secret file gives the same keys again
    again = pseudonymize(cases)
    assert again["petitioner"].tolist() == out["petitioner"].tolist()
    assert (tmp_path / "secret.key").exists()


def test_office_salt_is_made_once_and_read_after(tmp_path):
    path = tmp_path / "sub" / "office.key"
    first = office_salt(path)
    assert len(first) == 64 and first != DEFAULT_SALT
    assert office_salt(path) == first
    assert office_salt(tmp_path / "other.key") != first
    text = path.read_text(encoding="utf-8")
    assert first in text and text.startswith("#")
    if os.name == "posix":
        assert path.stat().st_mode & 0o077 == 0
    with pytest.raises(FileNotFoundError, match="找不到"):
        office_salt(tmp_path / "none.key", create=False)


def test_office_salt_refuses_a_damaged_file(tmp_path):
    bad = tmp_path / "bad.key"
    bad.write_text("short\n", encoding="utf-8")
    with pytest.raises(ValueError, match="单位密钥文件"):
        office_salt(bad)
    with pytest.raises(ValueError, match="文件夹"):
        office_salt(tmp_path)
    with pytest.raises(ValueError, match="太短"):
        pseudonymize(_people(2), salt="abc")


def test_default_salt_file_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(SALT_ENV, str(tmp_path / "x.key"))
    assert default_salt_file() == tmp_path / "x.key"
    monkeypatch.delenv(SALT_ENV)
    assert default_salt_file().name == "office_secret.key"


def test_pseudonymize_with_an_explicit_file_or_salt(tmp_path):
    cases = _people(4)
    a = pseudonymize(cases, salt_file=tmp_path / "a.key")
    b = pseudonymize(cases, salt_file=tmp_path / "b.key")
    assert set(a["petitioner"]).isdisjoint(set(b["petitioner"]))
    given = pseudonymize(cases, salt="a-secret-of-the-office-0123")
    assert (
        given["petitioner"].tolist()
        == person_keys(cases, salt="a-secret-of-the-office-0123").tolist()
    )
