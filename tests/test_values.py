"""Value cells: estimated counts, phone extensions, account ids as personal data."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinfang_toolkit.analysis import link_repeats
from xinfang_toolkit.clean import clean_cases, fold_width, normalize_phone, parse_count
from xinfang_toolkit.privacy import mask_pii, person_keys


@pytest.mark.parametrize(
    ("text", "number"), [("约50人", 50), ("50余人", 50), ("30人左右", 30), ("近百人", 100)]
)
def test_estimated_count_kept_with_a_note(text, number):
    value, problem = parse_count(text)
    assert value == number and "估计" in problem


@given(st.integers(min_value=1, max_value=9999))
def test_estimate_property(n):
    assert parse_count(f"约{n}人")[0] == n and parse_count(f"{n}人")[1] is None


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("0571-88889999转123", "057188889999转123"),
        ("0571-88889999 分机 8", "057188889999转8"),
        ("０５７１－８８８８９９９９转１２", "057188889999转12"),
        ("0571-88889999", "057188889999"),
    ],
)
def test_phone_extension_kept(text, phone):
    assert normalize_phone(text) == (phone, None)


def test_clean_cases_account_and_estimate_issue():
    raw = pd.DataFrame(
        {
            "received_date": ["2026-01-02", "2026-01-03"],
            "person_count": ["约50人", "3"],
            "phone": ["0571-88889999转123", "13812345678"],
            "account_id": ["A00045581", "A00045581"],
            "source_row": [2, 3],
        }
    )
    cases, issues = clean_cases(raw, today="2026-12-01")
    assert cases["person_count"].tolist() == [50, 3]
    assert cases["phone"][0] == "057188889999转123"
    assert issues["column"].tolist() == ["person_count"]
    masked = mask_pii(cases)
    assert "A00045581" not in masked["account_id"].tolist()


def test_account_keys_agree_between_privacy_and_repeats():
    cases = pd.DataFrame(
        {
            "case_id": ["1", "2", "3", "4"],
            "received_date": pd.to_datetime(
                ["2026-01-02", "2026-02-02", "2026-03-02", "2026-03-05"]
            ),
            "account_id": ["A1", "A1", "A2", pd.NA],
            "id_number": [pd.NA, pd.NA, pd.NA, pd.NA],
            "petitioner": ["张三", "张三", "张三", "张三"],
            "phone": ["13812345678"] * 4,
            "summary": ["路灯不亮"] * 4,
        }
    )
    linked = link_repeats(cases)
    assert linked["person_key"].tolist() == person_keys(cases).tolist()
    assert linked["person_key"][0] == linked["person_key"][1] != linked["person_key"][2]


def test_fold_width():
    assert fold_width("２０１９／４／２５　ＡＢ") == "2019/4/25 AB"
    assert fold_width("plain") == "plain"


@pytest.mark.parametrize("value", ["匿名", "匿名用户", "游客", "Guest", "0000", " "])
def test_anonymous_accounts_are_no_identity(value):
    raw = pd.DataFrame({"account_id": [value, value], "summary": ["a", "a"], "source_row": [2, 3]})
    cases, _ = clean_cases(raw)
    assert cases["account_id"].isna().all()
    assert person_keys(cases).isna().all()


def test_account_is_trimmed_and_folded():
    raw = pd.DataFrame({"account_id": [" Ａ00045581 ", "A00045581"], "source_row": [2, 3]})
    cases, _ = clean_cases(raw)
    assert cases["account_id"].tolist() == ["A00045581", "A00045581"]


def test_pseudonymize_hides_the_account():
    from xinfang_toolkit.privacy import pseudonymize

    cases = pd.DataFrame({"account_id": ["A00045581"], "petitioner": ["张三"], "summary": ["a"]})
    out = pseudonymize(cases)
    assert out["account_id"][0] != "A00045581" and out["petitioner"][0].startswith("P")


def test_value_vocabularies_are_editable_data():
    import pytest

    from xinfang_toolkit.clean import normalize_channel, parse_flag, value_words

    channel = dict(value_words("channel"))
    assert "走访" in channel["来访"] and "12345" in channel["来电"]
    flags = dict(value_words("flag"))
    assert "√" in flags["是"] and "×" in flags["否"]
    assert normalize_channel("群众走访")[0] == "来访" and parse_flag("√")[0] is True
    with pytest.raises(ValueError, match="value_words"):
        value_words("no_such_field")
