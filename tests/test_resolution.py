"""classify_resolution: the ways a matter was resolved, from the ledger or the outcome text.

Three hand-labelled sets of outcome sentences, written for these tests (not from the synth
templates): ``resolution_labelled.csv`` (90, written before any rule), ``resolution_heldout.csv``
(30, written after the first tuning) and ``resolution_fresh.csv`` (30, written after the second
tuning and measured once; never used to change a rule). Accuracy before tuning: 61.1 %, 26.7 %,
30.0 %; after: 100 %, 100 %, 46.7 % (of the fresh set's misses 12 of 16 are left empty, not
given a wrong class).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import xinfang_toolkit as xt
from xinfang_toolkit.classify import ResolutionRules, classify_resolution
from xinfang_toolkit.schema import RESOLUTION_TYPES

HERE = Path(__file__).parent


def _accuracy(name: str, rules=None) -> float:
    lab = pd.read_csv(HERE / name, comment="#")
    out = classify_resolution(pd.DataFrame({"outcome": lab["text"]}), rules=rules)
    return float((out["resolution_type"].fillna("") == lab["label"]).mean())


def test_hand_labelled_sets():
    lab = pd.read_csv(HERE / "resolution_labelled.csv", comment="#")
    assert len(lab) >= 80 and set(lab["label"]) == set(RESOLUTION_TYPES)
    assert _accuracy("resolution_labelled.csv") >= 0.95
    assert _accuracy("resolution_heldout.csv") >= 0.9
    # new phrasings: measured, guarded against getting worse (see the module docstring)
    assert _accuracy("resolution_fresh.csv") >= 0.45


def test_classes_and_evidence():
    cases = pd.DataFrame(
        {
            "outcome": [
                "已协调解决，补偿款已拨付",
                "已引导信访人通过诉讼途径解决",
                "已做好政策解释工作",
                "为其申请临时救助",
                "问题未得到解决",
                "已协调解决",
                None,
                None,
                "经多方做工作，已稳控",
            ],
            "resolution_type": [None, None, None, None, None, "分流", None, None, None],
            "resolved_flag": [None, None, None, None, "否", None, "否", "是", None],
        }
    )
    out = classify_resolution(cases)
    assert out["resolution_type"].tolist()[:8] == [
        "化解",
        "分流",
        "疏导",
        "救助帮扶",
        "未化解",
        "分流",  # the ledger's 化解方式 wins over the text
        "未化解",  # 是否化解 = 否, no text
        "化解",
    ]
    assert out["resolution_source"].tolist()[5:8] == [
        "台账化解方式",
        "台账是否化解",
        "台账是否化解",
    ]
    assert "诉讼" in out.loc[1, "resolution_evidence"]
    # 稳控 is no class: nothing is made of it
    assert pd.isna(out.loc[8, "resolution_type"])
    assert set(out["resolution_type"].dropna()) <= set(RESOLUTION_TYPES)
    assert "resolution_evidence" not in cases.columns  # the input is not changed


def test_flag_yes_beats_an_unresolved_reading():
    out = classify_resolution(pd.DataFrame({"outcome": ["仍在协调"], "resolved_flag": ["是"]}))
    assert out.loc[0, "resolution_type"] == "化解"


def test_rules_are_editable_data(tmp_path):
    path = tmp_path / "rules.csv"
    path.write_text("type,word\n疏导,座谈\n化解,re:当场.{0,4}兑付\n", encoding="utf-8")
    rules = ResolutionRules.read(path)
    out = classify_resolution(pd.DataFrame({"outcome": ["召开座谈会", "当场全额兑付"]}), rules=path)
    assert out["resolution_type"].tolist() == ["疏导", "化解"]
    assert rules.match("当场全部兑付") == ("化解", "当场全部兑付")
    bad = tmp_path / "bad.csv"
    bad.write_text("type,word\n稳控,稳控\n", encoding="utf-8")
    with pytest.raises(ValueError, match="第 2 行"):
        ResolutionRules.read(bad)


def test_top_level_name():
    assert xt.classify_resolution is classify_resolution
