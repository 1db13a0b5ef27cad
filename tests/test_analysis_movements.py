"""analysis.movements: every breakdown against the previous period, and the words for it."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinfang_toolkit.analysis import movements
from xinfang_toolkit.analysis._movements import (
    CLEAR_RATE,
    FLAT_CASES,
    TREND_CASES,
    direction_word,
    largest_movements,
    trend_phrase,
)


def _channels(individual, group, letters, before=(100, 20, 50)):
    now = {"来访类型": {"个访": individual, "集体访": group}, "信访形式": {"来信": letters}}
    then = {"来访类型": {"个访": before[0], "集体访": before[1]}, "信访形式": {"来信": before[2]}}
    return movements(now, then)


def test_movements_table():
    now = {"内容分类": {"城乡建设": 92, "教育文体": 25, "新类": 4}, "问题属地": {"甲镇": 10}}
    before = {"内容分类": {"城乡建设": 74, "教育文体": 5, "旧类": 6}, "问题属地": {"甲镇": 10}}
    m = movements(now, before)
    assert list(m.columns) == ["维度", "项目", "本期", "上期", "增减", "增减幅度", "变化"]
    rows = {r.项目: r for r in m.itertuples()}
    assert (rows["城乡建设"].增减, round(rows["城乡建设"].增减幅度, 3)) == (18, 0.243)
    assert rows["教育文体"].增减幅度 == 4.0 and rows["教育文体"].变化 == "明显上升"
    assert rows["新类"].上期 == 0 and math.isnan(rows["新类"].增减幅度)
    assert rows["新类"].变化 == "明显上升"  # new, and 4 >= FLAT_CASES
    assert rows["旧类"].本期 == 0 and rows["旧类"].变化 == "明显下降"
    assert rows["甲镇"].变化 == "基本持平"
    assert list(m["项目"]) == ["城乡建设", "教育文体", "新类", "旧类", "甲镇"]


def test_largest_rises_and_falls():
    now = {"内容分类": {"甲": 25, "乙": 40, "丙": 10, "丁": 100, "戊": 12}}
    before = {"内容分类": {"甲": 5, "乙": 20, "丙": 30, "丁": 101, "戊": 10}}
    m = movements(now, before)
    up = largest_movements(m, n=5)
    # 甲 and 乙 both +20: the larger relative change first; 戊 +2 is 基本持平, 丁 -1 too
    assert list(up["项目"]) == ["甲", "乙"]
    down = largest_movements(m, n=5, rising=False)
    assert list(down["项目"]) == ["丙"]
    assert largest_movements(m, dimensions=["问题属地"]).empty


@pytest.mark.parametrize(
    ("now", "before", "rate", "word"),
    [
        (130, 100, False, "明显上升"),
        (115, 100, False, "有所上升"),
        (107, 100, False, "略有上升"),
        (104, 100, False, "基本持平"),
        (96, 100, False, "基本持平"),
        (93, 100, False, "略有下降"),
        (85, 100, False, "有所下降"),
        (70, 100, False, "明显下降"),
        (2, 1, False, "基本持平"),  # +100% but a single case: not a movement
        (5, 0, False, "明显上升"),
        (0.801, 0.728, True, "明显上升"),
        (0.937, 0.942, True, "基本持平"),
        (0.90, 0.93, True, "略有下降"),
        (None, 3, False, ""),
    ],
)
def test_direction_words(now, before, rate, word):
    assert direction_word(now, before, rate=rate) == word


def test_trend_phrase_one_up_two_down():
    m = _channels(individual=130, group=10, letters=30)
    assert trend_phrase(m) == "呈现“一增两减”的特点：个访增多，集访、来信减少"


def test_trend_phrase_the_other_way():
    m = _channels(individual=70, group=30, letters=80)
    assert trend_phrase(m) == "呈现“两增一减”的特点：集访、来信增多，个访减少"


def test_trend_phrase_leaves_out_small_movements():
    # 个访 +4 (below TREND_CASES), 集访 -2: only 来信 is clear: no phrase at all
    assert trend_phrase(_channels(individual=104, group=18, letters=80)) is None
    # 个访 +9 on 100 (9%, below TREND_RATE) is left out of a phrase that two others make
    m = _channels(individual=109, group=10, letters=30)
    assert trend_phrase(m) == "呈现“两减”的特点：集访、来信减少"


@given(
    st.integers(0, 500),
    st.integers(0, 500),
    st.integers(0, 500),
    st.integers(1, 500),
    st.integers(1, 500),
    st.integers(1, 500),
)
def test_trend_phrase_only_names_clear_movements(a, b, c, x, y, z):
    m = _channels(a, b, c, before=(x, y, z))
    phrase = trend_phrase(m)
    clear = 0
    for now, then in ((a, x), (b, y), (c, z)):
        change = now - then
        clear += abs(change) >= TREND_CASES and abs(change) / then >= 0.10
    assert (phrase is not None) == (clear >= 2)
    if phrase:
        name = phrase.split("”")[0]
        assert ("增" in name) == ("增多" in phrase) and ("减" in name) == ("减少" in phrase)


def test_thresholds_are_documented():
    from xinfang_toolkit.analysis import _movements

    doc = _movements.__doc__
    assert "FLAT_CASES" in doc and "CLEAR_RATE" in doc and "TREND_CASES" in doc
    assert FLAT_CASES == 3 and CLEAR_RATE == 0.2
    assert isinstance(movements({}, {}), pd.DataFrame)
