"""Escalation table and phrase, 越级 flags, group visits: 批次 and 人次 worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from xinfang_toolkit.analysis import (
    escalation_phrase,
    escalation_table,
    group_visits,
    skip_level_flags,
)
from xinfang_toolkit.analysis._escalation import normalize_levels


def _cases():
    return pd.DataFrame(
        {
            "locality": ["甲镇", "甲镇", "甲镇", "乙乡", "乙乡", "乙乡", None],
            "visit_level": ["国家", "市", "市", "县区", "乡镇", "火星", None],
            "person_count": pd.array([2, 30, 1, 6, None, 1, 5], dtype="Int64"),
            "responsible": ["乡镇", "市", "乡镇", "乡镇", "乡镇", "乡镇", "乡镇"],
            "channel": "来访",
        }
    )


def test_escalation_table_by_locality():
    t = escalation_table(_cases())
    assert list(t.index) == ["乙乡", "甲镇", "未知", "合计"]
    assert list(t.columns[:4]) == ["进京批次", "进京人次", "赴省批次", "赴省人次"]
    assert list(t.columns[-6:]) == [
        "未知批次",
        "未知人次",
        "合计批次",
        "合计人次",
        "越级批次",
        "越级人次",
    ]
    assert t.loc["甲镇", ["进京批次", "进京人次", "到市批次", "到市人次"]].tolist() == [1, 2, 2, 31]
    # the missing person_count counts as one person
    assert t.loc["乙乡", ["到县批次", "到县人次", "乡镇批次", "乡镇人次"]].tolist() == [1, 6, 1, 1]
    # an unrecognised and an empty level are 未知
    assert t.loc["合计", ["未知批次", "未知人次"]].tolist() == [2, 6]
    assert t.loc["合计", ["合计批次", "合计人次"]].tolist() == [7, 46]
    assert t.drop(index="合计").sum().tolist() == t.loc["合计"].tolist()
    # 越级 (above 乡镇): 国家 2, 市 30, 市 1 in 甲镇; 县区 6 in 乙乡
    assert t.loc["甲镇", ["越级批次", "越级人次"]].tolist() == [3, 33]
    assert t.loc["乙乡", ["越级批次", "越级人次"]].tolist() == [1, 6]
    assert t.loc["合计", ["越级批次", "越级人次"]].tolist() == [4, 39]
    city = escalation_table(_cases(), responsible_level="responsible")
    assert city.loc["甲镇", "越级批次"] == 2  # the 市 matter that went to 市 is not 越级
    assert "越级批次" not in escalation_table(_cases(), responsible_level=None).columns


def test_escalation_phrase():
    df = _cases()
    assert (
        escalation_phrase(df)
        == "进京1批2人次，到市2批31人次，到县1批6人次，乡镇1批1人次，去向未知2批6人次"
    )
    assert escalation_phrase(df, include_unknown=False).endswith("乡镇1批1人次")
    assert escalation_phrase(escalation_table(df), row="甲镇") == "进京1批2人次，到市2批31人次"
    assert escalation_phrase(df.iloc[0:0]) == "无来访"
    only = escalation_table(df, by=None)
    assert list(only.index) == ["合计"] and only.loc["合计", "合计人次"] == 46


def test_normalize_levels_accepts_report_words():
    s = pd.Series(["进京", "赴省", "到市", "到区", "乡", "省", "", None])
    assert normalize_levels(s).tolist() == [
        "国家",
        "省",
        "市",
        "县区",
        "乡镇",
        "省",
        "未知",
        "未知",
    ]


def test_skip_level_counts_visits_only_above_the_responsible_level():
    df = pd.DataFrame(
        {
            "channel": ["来访", "来信", "网上信访", "来访", "来访", "来访", "来电"],
            "visit_level": ["市", "市", "省", "县区", "国家", "县区", "国家"],
            "responsible_level": [None, None, None, "县区", "县区", "", None],
        }
    )
    # hand count: visit to 市 (default 乡镇 responsible) yes; a letter and an online petition
    # to a higher level no; visit to 县区 for a 县区 matter no; to 国家 for a 县区 matter yes;
    # responsible level empty -> default 乡镇, 县区 is above it; a call never
    assert skip_level_flags(df).tolist() == [True, False, False, False, True, True, False]
    assert skip_level_flags(df, responsible_level="市").tolist() == [
        False, False, False, False, True, False, False,
    ]  # fmt: skip


def test_skip_level():
    df = _cases()
    assert skip_level_flags(df).tolist() == [True, True, True, True, False, False, False]
    # the regulation allows the level above: 县区 for a 乡镇 matter is no longer 越级
    assert skip_level_flags(df, levels_above=1).tolist() == [
        True,
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    # responsible level per case from a column: the 市 matter that went to 市 is not 越级
    assert skip_level_flags(df, responsible_level="responsible").tolist()[1] is False
    assert skip_level_flags(df, responsible_level="市").tolist() == [True] + [False] * 6
    with pytest.raises(ValueError, match="responsible_level"):
        skip_level_flags(df, responsible_level="村")


def test_group_visits():
    df = _cases()
    g = group_visits(df)
    assert g.loc["集体访"].tolist() == [3, 41]  # 30, 6 and 5 persons
    assert g.loc["个访"].tolist() == [4, 5]  # 2, 1, None (1), 1
    assert g.loc["合计"].tolist() == [7, 46]
    assert group_visits(df, threshold=6).loc["集体访"].tolist() == [2, 36]
    by = group_visits(df, by="locality")
    assert by.loc["甲镇", ["集体访批次", "集体访人次", "个访批次", "个访人次"]].tolist() == [
        1,
        30,
        2,
        3,
    ]
    assert by.loc["合计", "合计人次"] == 46
    with pytest.raises(ValueError, match="threshold"):
        group_visits(df, threshold=1)
    with pytest.raises(KeyError, match="没有列"):
        group_visits(df, by="nope")


def test_normalize_levels_speaks_the_loaders_vocabulary():
    from xinfang_toolkit.analysis._escalation import normalize_levels

    raw = pd.Series(["赴京", "到区", "本镇", "到省", "乱写", None, "国家"], dtype="object")
    assert normalize_levels(raw).tolist() == ["国家", "县区", "乡镇", "省", "未知", "未知", "国家"]


def test_flag_speaks_the_loaders_vocabulary():
    from xinfang_toolkit.analysis._util import flag

    df = pd.DataFrame({"f": ["是", "否", "已结", "√", "×", "", None, "Y"]})
    assert flag(df, "f").tolist() == [True, False, True, True, False, False, False, True]


def test_level_lookups_equal_series_map():
    from xinfang_toolkit.analysis._escalation import _RANK, _by_value

    values = pd.Series(
        ["市", None, "省", "未知", "县区", "市", "乱写"], index=list("abcdefg"), name="v"
    )
    values = values.astype("string")
    got = _by_value(values, _RANK, -99)
    want = values.map(_RANK).astype("object").where(values.map(_RANK).notna(), -99)
    pd.testing.assert_series_equal(got, want.astype(object))
    levels = normalize_levels(values)
    assert levels.tolist() == ["市", "未知", "省", "未知", "县区", "市", "未知"]
    assert levels.name == "v" and levels.index.equals(values.index) and levels.dtype == "string"
