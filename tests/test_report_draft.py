"""draft_report(): every number the text states is checked against the Summary."""

from __future__ import annotations

import re

import pytest
from test_report_ledger import END, START, TODAY, fixed_summarize

from xinfang_toolkit.report import draft_report
from xinfang_toolkit.report._draft import fmt_num, fmt_pct, zh_list


@pytest.fixture
def summary():
    return fixed_summarize(start=START, end=END, today=TODAY, compare="yoy")


@pytest.fixture
def text(summary):
    return draft_report(summary)


def _items(fragment: str) -> dict[str, int]:
    """'土地纠纷3件、民政救济3件和其他1件' -> {'土地纠纷': 3, ...}"""
    return {k: int(v) for k, v in re.findall(r"([^、，和\d]+?)(\d+)件", fragment)}


def test_headings_numbered_in_order(text):
    heads = [line for line in text.splitlines() if re.match(r"^[一二三四五六七八九十]、", line)]
    assert heads == [
        "一、基本情况",
        "二、办理情况",
        "三、积案化解",
        "四、反映的主要问题",
        "五、同比情况",
    ]


def test_totals_and_categories_match_summary(text, summary):
    n = summary.numbers
    m = re.search(r"共受理群众信访(\d+)件(\d+)人次", text)
    assert (int(m[1]), int(m[2])) == (n["cases"], n["persons"]) == (9, 22)
    cats = _items(re.search(r"涉及(.+?)。", text)[1])
    assert cats == {
        k.removeprefix("category."): v for k, v in n.items() if k.startswith("category.")
    }
    assert "涉及土地纠纷3件、民政救济3件、民事纠纷1件、其他1件和未分类1件" in text
    basic = text.split("二、")[0]
    assert not re.search(r"(?<![\d.])0(件|批)", basic)  # empty categories, levels left out


def test_escalation_sentence(text, summary):
    n = summary.numbers
    found = re.findall(r"(进京|赴省|到市|到县|到乡镇)(\d+)批(\d+)人次", text)
    names = {"进京": "国家", "赴省": "省", "到市": "市", "到县": "县区", "到乡镇": "乡镇"}
    assert found and [f[0] for f in found] == ["进京", "到市", "到县", "到乡镇"]  # no 赴省 0批
    for word, batches, persons in found:
        lv = names[word]
        assert (int(batches), int(persons)) == (n[f"level.{lv}.batches"], n[f"level.{lv}.persons"])
    assert "来访中，进京2批3人次，到市2批14人次" in text
    assert "集体访2批14人次，个访4批5人次" in text


def test_handling_rate_and_backlog(text, summary):
    n = summary.numbers
    assert f"落实领导包案处理{n['leader.cases']}件，已办结{n['leader.resolved']}件" in text
    m = re.search(r"按期办结(\d+)件，按期办结率([\d.]+)%", text)
    assert int(m[1]) == n["on_time"] and float(m[2]) == pytest.approx(n["on_time_rate"] * 100)
    assert "超期未办结1件" in text and "中位数为15天" in text
    assert "满意率66.7%" in text
    m = re.search(r"期初积案(\d+)件，本期化解(\d+)件，新增(\d+)件，期末积案(\d+)件", text)
    assert tuple(map(int, m.groups())) == tuple(
        n[f"backlog.{k}"] for k in ("start", "resolved", "new", "end")
    )


def test_problems_largest_first_and_units(text, summary):
    probs = re.findall(r"（\d）(\S+?)问题，(\d+)件，占([\d.]+)%", text)
    counts = [int(c) for _, c, _ in probs]
    assert counts == sorted(counts, reverse=True)
    assert [p for p, _, _ in probs] == [
        "土地纠纷",
        "民政救济",
        "民事纠纷",
        "其他",
    ]  # 未分类 not a problem
    for name, k, share in probs:
        assert int(k) == summary.numbers[f"category.{name}"]
        assert float(share) == pytest.approx(100 * int(k) / 9, abs=0.05)
    assert "依次为乙局（4件）、甲镇（3件）和丙办（1件）" in text


def test_comparison_sentence(text, summary):
    n = summary.numbers
    m = re.search(r"信访总量(\d+)件，比去年同期（(\d+)件）增加(\d+)件，上升(\d+)%", text)
    assert tuple(map(int, m.groups())) == (9, 1, 8, 800)
    assert n["change.cases"] == 8
    assert "按期办结率80%，比去年同期（100%）下降20个百分点" in text
    assert "集体访2批，比去年同期（0批）增加2批；" in text  # no percentage against zero


def test_mom_flat_and_decrease():
    s = fixed_summarize(start="2021-04-01", end="2021-04-30", today=TODAY, compare="mom")
    t = draft_report(s)
    assert "五、环比情况" in t and "信访总量2件，比上期（3件）减少1件，下降33.3%" in t
    assert "来访1批，与上期持平" in t
    assert "未发生集体访" in t


def test_one_item_grammar_and_empty_period():
    s = fixed_summarize(start="2021-04-30", end="2021-04-30", today=TODAY)
    t = draft_report(s)
    assert "共受理群众信访1件1人次，其中来电1件。按内容分类，涉及其他1件。" in t
    assert "来访中" not in t  # no visits: no escalation sentence
    empty = draft_report(fixed_summarize(start="2019-01-01", end="2019-01-31", today=TODAY))
    assert "未受理群众信访事项。另有1件没有登记日期" in empty and "二、积案化解" in empty


def test_custom_template(tmp_path, summary):
    (tmp_path / "mine.j2").write_text(
        '{{ section("概况") }}\n本期{{ n["cases"] }}件。\n{% include "backlog.j2" %}\n',
        encoding="utf-8",
    )
    t = draft_report(summary, template=tmp_path / "mine.j2")
    assert t.splitlines()[:2] == ["一、概况", "本期9件。"] and "期末积案2件" in t
    (tmp_path / "bad.j2").write_text('{{ n["no_such_figure"] }}{{ nonsense }}', encoding="utf-8")
    with pytest.raises(ValueError, match="不存在的变量"):
        draft_report(summary, template=tmp_path / "bad.j2")
    with pytest.raises(FileNotFoundError, match="找不到报告模板"):
        draft_report(summary, template=tmp_path / "missing.j2")


def test_formatters():
    assert zh_list([]) == "" and zh_list(["甲"]) == "甲" and zh_list(["甲", "乙"]) == "甲和乙"
    assert zh_list(["甲", "乙", "丙"]) == "甲、乙和丙"
    assert zh_list(["甲", "乙", "丙"], sep="，", last="，") == "甲，乙，丙"
    assert (fmt_num(15.0), fmt_num(15.25), fmt_pct(2 / 3), fmt_pct(1)) == (
        "15",
        "15.2",
        "66.7%",
        "100%",
    )
