"""draft_report(): every number the text states is checked against the Summary."""

from __future__ import annotations

import dataclasses
import re
from types import SimpleNamespace

import pandas as pd
import pytest
from test_report_ledger import END, START, TODAY, fixed_summarize

from xinfang_toolkit.report import draft_report
from xinfang_toolkit.report._draft import fmt_num, fmt_pct, unit_bullets, zh_list


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
        "二、反映的主要问题",
        "三、工作开展情况",
        "四、积案化解",
        "五、存在的问题和困难",
        "六、下一步工作打算",
    ]
    opening = text.splitlines()[0]
    assert opening.startswith("2021年1月1日至2021年4月30日，我县信访工作在【请补充：")
    assert "受理群众信访9件22人次，接待群众来访6批19人次，信访事项按期办结率80%" in opening
    assert opening.endswith("现将有关情况汇报如下：")
    assert text.splitlines()[-1].startswith("【请补充：下一步工作打算")


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


def test_same_period_change_folded_into_each_figure(text, summary):
    # 9 against 1 case, 22 against 3 persons: one sentence, not a list of 比去年同期…
    assert "共受理群众信访9件22人次，同比分别上升800%和633.3%，其中" in text
    assert "来访6批19人次（同比上升500%）" in text
    assert "来信1件、" in text  # 1 against 1: no change said for it? (no earlier letter)
    assert text.count("比去年同期") == 0
    assert "按期办结率80%，同比下降20个百分点" in text
    assert "满意率66.7%（去年同期100%，同比下降33.3个百分点）" in text
    assert "集体访2批14人次（批次同比新增）" in text  # no percentage against zero


def test_escalation_sentence_in_the_profile_words(summary):
    n = summary.numbers
    county = draft_report(summary)  # default profile: 县
    assert "来访中，进京2批3人次，到市2批14人次，到县1批1人次，乡镇接待1批1人次" in county
    assert "集体访2批14人次" in county and "个访4批5人次" in county
    district = draft_report(summary, profile="区")
    assert "到区1批1人次，乡镇（街道）接待1批1人次" in district and "到县" not in district
    town = draft_report(summary, profile="乡镇")
    assert "到县1批1人次，到乡1批1人次" in town and "接待1批" not in town
    city = draft_report(summary, profile="市")
    assert "到市2批14人次，县区接待1批1人次" in city and "乡镇接待" not in city
    assert "我市" in city and "我乡" in town and "我区" in district
    found = re.findall(r"(进京|赴省|到市|到县)(\d+)批(\d+)人次", county)
    names = {"进京": "国家", "赴省": "省", "到市": "市", "到县": "县区"}
    for word, batches, persons in found:
        lv = names[word]
        assert (int(batches), int(persons)) == (n[f"level.{lv}.batches"], n[f"level.{lv}.persons"])
    with pytest.raises(ValueError, match="没有这个报告档次"):
        draft_report(summary, profile="省")


def test_handling_rate_and_backlog(text, summary):
    n = summary.numbers
    assert f"落实领导包案处理{n['leader.cases']}件，已办结{n['leader.resolved']}件" in text
    m = re.search(r"按期办结(\d+)件，按期办结率([\d.]+)%", text)
    assert int(m[1]) == n["on_time"] and float(m[2]) == pytest.approx(n["on_time_rate"] * 100)
    assert "超期未办结1件" in text and "中位数为15天" in text
    m = re.search(
        r"期初积案(\d+)件，本期办结(\d+)件（其中已化解(\d+)件），新增(\d+)件，期末积案(\d+)件", text
    )
    assert tuple(map(int, m.groups())) == tuple(
        n[f"backlog.{k}"] for k in ("start", "resolved", "settled", "new", "end")
    )
    assert "本期化解" not in text  # 办结 is not 化解 (DOMAIN.md)
    assert "期末积案中，土地纠纷1件、民政救济1件。" in text
    assert n["leader.open"] == n["leader.cases"] - n["leader.resolved"] == 1
    assert "领导包案件中尚有1件未办结" in text
    # the one 积案 no longer open was answered (办结) but not settled (化解): it is not praised as
    # 化解 (the draft said "已化解双河乡土地纠纷问题等积案" before)
    assert n["backlog.resolved"] == 1 and n["backlog.settled"] == 0
    assert "本期办结1件（其中已化解0件）" in text and "已化解双河乡" not in text


def test_handling_blanks_without_the_figures(text):
    for blank in (
        "主要领导阅批群众来信__件",
        "领导接访__次",
        "督办__次",
        "下访__次",
        "回访__件",
        "联合接访__次",
        "办理上级交办件__件",
        "分流__件",
    ):
        assert blank in text, blank
    # the ledger has 包案领导 and two 积案 on the day, one of them with a leader
    assert "积案包案率50%" in text
    assert "【请补充：积案化解专项工作" in text


def test_handling_filled_from_the_figures(summary):
    extra = {
        "instruction.cases": 14,
        "reception.sessions": 7,
        "supervision.count": 5,
        "supervision.cases": 4,
        "follow_up.cases": 4,
        "follow_up_rate": 0.5,
        "assigned.cases": 10,
        "assigned.on_time": 8,
        "assigned.overdue": 2,
        "key.cases": 3,
        "backlog.leader_rate": 0.75,
        "activity.下访": 19,
        "activity.联合接访": 11,
        "activity.集中整治": 2,
        "activity.专项督查": 1,
        "activity.矛盾纠纷排查": 4,
        "backlog.resolved.化解": 1,
        "backlog.resolved.分流": 0,
    }
    filled = dataclasses.replace(summary, numbers={**summary.numbers, **extra})
    t = draft_report(filled)
    assert "主要领导阅批群众来信14件，领导接访7次" in t
    assert "其中重点案件3件" in t
    assert "对信访案件督办5次（督办件4件）、下访19次、回访4件，回访率50%" in t
    assert "开展联合接访11次，集中整治2次，专项督查1次，矛盾纠纷排查4次" in t
    assert "办理上级交办件10件，按期办结8件，超期2件" in t
    assert "积案包案率75%" in t and "化解的积案中，化解1件、分流0件。" in t
    assert "上级交办件中有2件超期未办结" in t  # a bullet of 存在的问题
    assert "__" not in t


def test_problems_largest_first_with_sub_classes(text, summary):
    probs = re.findall(r"（\d）(\S+?)问题，(\d+)件，占([\d.]+)%", text)
    counts = [int(c) for _, c, _ in probs]
    assert counts == sorted(counts, reverse=True)
    assert [p for p, _, _ in probs] == ["土地纠纷", "民政救济", "民事纠纷", "其他"]
    for name, k, share in probs:
        assert int(k) == summary.numbers[f"category.{name}"]
        assert float(share) == pytest.approx(100 * int(k) / 9, abs=0.05)
    assert "依次为乙局（4件）、甲镇（3件）和丙办（1件）" in text


def test_sub_classes_and_an_office_scheme(summary):
    sub = {"subcategory.城乡建设/城市拆迁": 44, "subcategory.城乡建设/物业管理": 8}
    numbers = {k: v for k, v in summary.numbers.items() if not k.startswith("category.")}
    numbers.update(
        {
            "category.城乡建设": 60,
            "category.政法": 20,
            "category.农村农业": 15,
            "category.教育文体": 5,
            "subcategory.政法/涉法涉诉": 12,
            **sub,
        }
    )
    s = dataclasses.replace(summary, numbers=numbers)
    national = draft_report(s)
    assert "（1）城乡建设问题，60件，占666.7%，其中城市拆迁44件、物业管理8件" in national
    five = draft_report(s, scheme="五类问题")
    # 城市拆迁 44 -> 城建拆迁; the other 16 of 城乡建设 -> 其他; 政法 8 (not 涉法涉诉) -> 其他
    assert "涉及三农问题15件、涉法涉诉12件、城建拆迁44件和其他29件" in five
    assert "（2）涉法涉诉问题，12件" in five and "主要反映法院判决、执行等" in five
    assert "（4）其他问题，29件" in five
    assert draft_report(s, profile="区").count("城建拆迁44件") == 1  # 区 uses 五类问题
    with pytest.raises(ValueError, match="没有这个分类方案"):
        draft_report(s, scheme="不存在")


def test_rest_of_a_long_list_is_other(summary):
    numbers = {k: v for k, v in summary.numbers.items() if not k.startswith("category.")}
    numbers.update({f"category.类{i}": 20 - i for i in range(10)})
    numbers["category.其他"] = 3
    t = draft_report(dataclasses.replace(summary, numbers=numbers))
    # seven named, then the three smallest and 其他 as one 其他 (11 + 12 + 13 ... no 其余N类)
    assert "类6件14件和其他" not in t and "其余" not in t
    assert "类6" in t and "其他" + str(13 + 12 + 11 + 3) + "件" in t


def test_comparison_names_the_largest_movements(text, summary):
    moves = summary.movements
    assert moves is not None and set(moves["维度"]) >= {"内容分类", "问题属地", "责任单位"}
    assert (
        "与去年同期相比，信访总量明显上升，增加较多的有土地纠纷类信访增加3件（0件→3件）、"
        "民政救济类信访增加3件（0件→3件）、双河乡的信访增加3件（0件→3件）。"
    ) in text
    assert "全部增减见附表“增减变化”" in text
    # after the unit table's bullets (超期, 重复信访, 积案, 越级访 by unit)
    assert "五是部分类别信访量上升较快，土地纠纷类信访增加3件（0件→3件）" in text


def test_mom_flat_and_decrease():
    s = fixed_summarize(start="2021-04-01", end="2021-04-30", today=TODAY, compare="mom")
    t = draft_report(s)
    assert "共受理群众信访2件2人次，环比分别下降33.3%和33.3%" in t
    assert "来访1批1人次（与上期持平）" in t
    assert "未发生集体访" in t


def test_one_item_grammar_and_empty_period():
    s = fixed_summarize(start="2021-04-30", end="2021-04-30", today=TODAY)
    t = draft_report(s)
    assert "共受理群众信访1件1人次，其中来电1件。按内容分类，涉及其他1件。" in t
    assert "来访中" not in t  # no visits: no escalation sentence
    assert "落实领导包案处理0件" not in t
    empty = draft_report(fixed_summarize(start="2019-01-01", end="2019-01-31", today=TODAY))
    assert "未受理群众信访事项。另有1件没有登记日期" in empty and "四、积案化解" in empty


def test_unit_bullets_from_a_unit_table():
    units = pd.DataFrame(
        {
            "责任单位": ["甲局", "乙镇", "丙办", "丁局", "未填写"],
            "件数": [30, 20, 10, 5, 9],
            "按期办结率": [0.9, 0.8, 1.0, 1.0, 0.5],
            "超期未办结": [5, 3, 0, 3, 9],
            "重复信访件": [1, 6, 2, 0, 0],
            "越级访": [0, 0, 0, 0, 0],
            "不满意率": [0.1, 0.2, 0.0, 0.0, 0.0],
            "交办件": [4, 0, 2, 1, 0],
            "交办按期反馈率": [0.5, None, 1.0, 0.0, None],
            "积案": [2, 0, 0, 1, 0],
        }
    )
    bullets = unit_bullets(units, top=2)
    assert bullets == [
        "超期未办结件较多的单位有甲局（5件）和丁局（3件）",
        "重复信访件较多的单位有乙镇（6件）和丙办（2件）",
        "积案较多的单位有甲局（2件）和丁局（1件）",
        "交办件按期反馈率偏低的单位有丁局（0%）和甲局（50%）",
    ]  # 未填写 is not a unit; 越级访 all 0: no bullet
    assert unit_bullets(None) == [] and unit_bullets(units.iloc[0:0]) == []


def test_campaign_progress(summary):
    progress = SimpleNamespace(
        start=pd.Timestamp("2021-01-01"), end=pd.Timestamp("2021-04-30"), total=8, resolved=3
    )
    t = draft_report(summary, campaign=progress)
    assert "积案专项攻坚自2021年1月1日开始，当时有积案8件，截至2021年4月30日已办结3件" in t
    assert "尚余5件，办结率37.5%" in t
    assert "已化解3件" not in t  # 办结 is not 化解
    assert "【请补充：积案化解专项工作" not in t


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


def test_summarize_uses_the_unit_table_when_analysis_has_one(monkeypatch):
    from xinfang_toolkit import analysis
    from xinfang_toolkit.report._summary import UNIT_TABLE

    calls = []

    def unit_table(cases, *, as_of, start=None, end=None):
        calls.append((len(cases), as_of, start, end))
        return pd.DataFrame({"责任单位": ["某局"], "件数": [3], "超期未办结": [2], "积案": [1]})

    monkeypatch.setattr(analysis, "unit_table", unit_table, raising=False)
    s = fixed_summarize(start=START, end=END, today=TODAY)
    assert calls and calls[0][1:] == (
        pd.Timestamp(END),
        pd.Timestamp(START),
        pd.Timestamp(END),
    )
    assert s.tables[UNIT_TABLE]["责任单位"].tolist() == ["某局"]
    t = draft_report(s)
    assert "一是超期未办结件较多的单位有某局（2件）。" in t
    assert "二是积案较多的单位有某局（1件）。" in t


def test_profiles_and_schemes_are_checked(tmp_path, summary):
    bad = tmp_path / "profiles.yaml"
    bad.write_text(
        "profiles:\n  镇:\n    office_level: 村\n    levels: [乡镇]\n"
        "    level_words: {乡镇: 到镇}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="层级只能是"):
        draft_report(summary, profiles=bad, profile="镇")
    good = tmp_path / "mine.yaml"
    good.write_text(
        "default: 镇\nprofiles:\n  镇:\n    office_level: 乡镇\n    we: 我镇\n"
        "    levels: [国家, 市]\n    level_words: {国家: 进京, 市: 赴市}\n",
        encoding="utf-8",
    )
    t = draft_report(summary, profiles=good)
    assert "来访中，进京2批3人次，赴市2批14人次，其中越级访" in t and "我镇共受理" in t
    scheme = tmp_path / "schemes.yaml"
    scheme.write_text("schemes:\n  两类:\n    groups:\n      - members: [政法]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="每一项有 name"):
        draft_report(summary, schemes=scheme, scheme="两类")


def test_templates_run_in_the_sandbox(tmp_path, summary):
    (tmp_path / "evil.j2").write_text("{{ s.__class__.__mro__ }}", encoding="utf-8")
    with pytest.raises(ValueError, match="Python 内部对象"):
        draft_report(summary, template=tmp_path / "evil.j2")
