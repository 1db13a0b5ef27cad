"""Taxonomy, keyword rules and classify(): hand-checked values."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from xinfang_toolkit.classify import CLASSIFY_COLUMNS, Taxonomy, TaxonomyError, classify
from xinfang_toolkit.schema import MATTER_TYPES, UNCLASSIFIED

NATIONAL = (
    "城乡建设 农村农业 政法 教育文体 劳动和社会保障 民政 党务政务 经济管理 卫生计生 商贸旅游 "
    "环境保护 交通运输 纪检监察 国土资源 科技与信息产业"
).split()


@pytest.fixture(scope="module")
def tax() -> Taxonomy:
    return Taxonomy.default()


# --- taxonomy -------------------------------------------------------------------------------
def test_default_has_the_15_national_classes_each_with_keywords(tax):
    assert sorted(tax.names) == sorted(NATIONAL)
    for c in tax.classes:
        assert len(c.keywords) >= 5, c.name
        for child, words in c.children.items():
            assert words, (c.name, child)
    assert "征地拆迁" in tax["国土资源"].children
    assert "劳资纠纷" in tax["劳动和社会保障"].children
    assert "退役军人安置" in tax["民政"].children


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ("土地纠纷", ("国土资源", "土地权属")),
        ("民政救济", ("民政", "社会救助")),
        ("民事纠纷", ("政法", "民事纠纷")),
        ("三农问题", ("农村农业", None)),
        ("涉法涉诉", ("政法", "涉法涉诉")),
        ("干部作风", ("党务政务", "干部作风")),
        ("城建拆迁", ("城乡建设", "城市拆迁")),
        ("征地拆迁", ("国土资源", "征地拆迁")),
        ("水库移民", ("农村农业", "水库移民")),
        ("劳动保障", ("劳动和社会保障", None)),
        ("村级财务", ("农村农业", "村务财务")),
        ("土地征用和承包", ("国土资源", None)),
        ("退伍军人安置", ("民政", "退役军人安置")),
        ("原民办教师", ("教育文体", "教师待遇")),
        ("医患纠纷", ("卫生计生", "医患纠纷")),
        ("交通事故赔偿", ("交通运输", "交通事故赔偿")),
        ("市场管理", ("商贸旅游", "市场管理")),
        ("征地", ("国土资源", "征地拆迁")),
        ("环保", ("环境保护", None)),
        ("劳资纠纷", ("劳动和社会保障", "劳资纠纷")),
        # national names, second-level names, suffixes, full-width spaces
        ("环境保护", ("环境保护", None)),
        ("城乡建设类", ("城乡建设", None)),
        ("噪声污染", ("环境保护", "噪声污染")),
        (" 环\u3000保 ", ("环境保护", None)),
    ],
)
def test_local_names_normalise_to_national(tax, local, expected):
    assert tax.normalize(local) == expected


def test_empty_other_and_unknown_labels(tax):
    for value in (None, "", "  ", pd.NA, float("nan"), "未分类"):
        assert tax.normalize(value) is None
    assert tax.normalize("其他") is None and tax.is_known("其他")
    assert tax.normalize("火星移民") is None and not tax.is_known("火星移民")
    norm = tax.normalize_series(pd.Series(["环保", "其他", "火星移民", None]))
    assert norm["level1"].tolist()[0] == "环境保护"
    assert norm["level1"].isna().tolist() == [False, True, True, True]
    # known is False only for a non-empty name the taxonomy does not know
    assert norm["known"].tolist() == [True, True, False, True]


def test_to_frame_lists_every_class_and_child(tax):
    frame = tax.to_frame()
    n_children = sum(len(c.children) for c in tax.classes)
    assert len(frame) == 15 + n_children
    assert list(frame.columns) == ["一级分类", "二级分类", "关键词", "排除词", "背景词"]


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "classes:\n  - name: 环境保护\n    keywords: [污染, 噪音\n  - name: 交通运输\n",
        encoding="utf-8",
    )
    with pytest.raises(TaxonomyError) as err:
        Taxonomy.from_file(path)
    msg = str(err.value)
    assert "bad.yaml" in msg and "行" in msg
    line = int(msg.split("第 ")[1].split(" 行")[0])
    assert line in (3, 4)  # the unclosed list, reported where the parser notices it


def test_class_without_keywords_names_its_line(tmp_path):
    path = tmp_path / "tax.yaml"
    path.write_text(
        "# comment\n"
        "classes:\n"
        "  - name: 环境保护\n"
        "    keywords: [污染]\n"
        "  - name: 交通运输\n"
        "    keywords: []\n"
        "    children:\n"
        "      - name: 公交\n"
        "        keywords:\n",
        encoding="utf-8",
    )
    with pytest.raises(TaxonomyError) as err:
        Taxonomy.from_file(path)
    msg = str(err.value)
    assert "第 5 行: 分类「交通运输」没有关键词" in msg
    assert "第 8 行: 二级分类「公交」没有关键词" in msg
    assert "2 处问题" in msg


def test_duplicate_class_and_bad_local_name_are_reported_together(tmp_path):
    path = tmp_path / "tax.yaml"
    path.write_text(
        "classes:\n"
        "  - name: 环境保护\n"
        "    keywords: [污染]\n"
        "  - name: 环境保护\n"
        "    keywords: [噪音]\n"
        "local_names:\n"
        "  环保: 环境保护\n"
        "  修路: 交通运输\n",
        encoding="utf-8",
    )
    with pytest.raises(TaxonomyError) as err:
        Taxonomy.from_file(path)
    msg = str(err.value)
    assert "第 4 行: 分类「环境保护」重复" in msg
    assert "第 8 行: 本地名称「修路」对应的分类「交通运输」不在分类表中" in msg


def test_local_names_csv_errors_name_the_row(tmp_path):
    yaml_path = tmp_path / "tax.yaml"
    yaml_path.write_text("classes:\n  - name: 环境保护\n    keywords: [污染]\n", encoding="utf-8")
    csv_path = tmp_path / "local.csv"
    csv_path.write_text(
        "local_name,category,category_level2\n环保,环境保护,\n修路,交通运输,\n", encoding="utf-8"
    )
    with pytest.raises(TaxonomyError, match="第 3 行: 本地名称「修路」"):
        Taxonomy.from_file(yaml_path, local_names=csv_path)
    csv_path.write_text("local_name,category\n环保,环境保护\n", encoding="utf-8")
    tax = Taxonomy.from_file(yaml_path, local_names=csv_path)
    assert tax.normalize("环保") == ("环境保护", None)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(TaxonomyError, match="找不到分类表文件"):
        Taxonomy.from_file(tmp_path / "nope.yaml")


# --- rules ----------------------------------------------------------------------------------
def test_rule_scores_confidence_and_evidence_by_hand(tax):
    out = tax.matcher.match(["化工厂夜间偷排污水，河里死鱼"])
    row = out.iloc[0]
    assert row["level1"] == "环境保护"
    assert row["level2"] == "水污染"
    assert row["evidence"] == "化工厂、偷排、污水、死鱼"
    # 化工厂 (3 chars) 1.5 + 偷排 1 + 污水 1 + 死鱼 1 = 4.5, no other class scores
    assert row["confidence"] == pytest.approx(1 - math.exp(-4.5))


def test_longest_match_wins_over_its_parts(tax):
    row = tax.matcher.match(["要求解决征地拆迁遗留问题"]).iloc[0]
    assert row["level1"] == "国土资源"
    assert row["evidence"] == "征地拆迁"  # not 拆迁 (城乡建设) inside it


def test_competing_classes_lower_the_confidence(tax):
    row = tax.matcher.match(["延期交房拖欠工资"]).iloc[0]
    # 城乡建设: 延期交房 2; 劳动和社会保障: 拖欠工资 2 -> a tie, file order decides
    assert row["level1"] == "城乡建设"
    assert row["confidence"] == pytest.approx(2 / 4 * (1 - math.exp(-2)))


def test_context_words_count_half(tax):
    """A message told in another class's setting goes by its problem words."""
    row = tax.matcher.match(["小区物业拖欠工资"]).iloc[0]
    # 城乡建设: 小区物业 is a context word (2 x 0.5); 劳动和社会保障: 拖欠工资 2
    assert row["level1"] == "劳动和社会保障"
    assert row["confidence"] == pytest.approx(2 / 3 * (1 - math.exp(-2)))
    custom = Taxonomy.from_dict(
        {
            "classes": [
                {"name": "教育", "keywords": ["学校", "补课"], "context": ["学校"]},
                {"name": "卫生", "keywords": ["食物中毒"]},
            ]
        }
    )
    assert custom.matcher.match(["学校食堂食物中毒"])["level1"].iloc[0] == "卫生"
    assert custom.matcher.match(["学校"])["level1"].iloc[0] == "教育"  # still counts


def test_negative_words_and_custom_taxonomy():
    tax = Taxonomy.from_dict(
        {
            "classes": [
                {"name": "环境保护", "keywords": ["卫生", "污染"], "negative": ["卫生院"]},
                {"name": "卫生计生", "keywords": ["医院", "卫生院"]},
            ]
        }
    )
    got = tax.matcher.match(["环境卫生差", "卫生院环境污染"])
    assert got["level1"].tolist() == ["环境保护", "卫生计生"]
    assert got["evidence"].tolist() == ["卫生", "卫生院"]
    # no matter-type rules in this file: none is filled
    assert got["matter_type"].isna().all()


def test_nothing_matched_is_unclassified_not_forced(tax):
    got = tax.matcher.match(["你好", "", "12345"])
    assert got["level1"].tolist() == [UNCLASSIFIED] * 3
    assert got["confidence"].tolist() == [0.0, 0.0, 0.0]
    assert got["level2"].isna().all()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("举报村支书贪污扶贫款", "检举控告类"),
        ("建议在村口增设公交站台", "建议意见类"),
        ("建议尽快补发拖欠的工资", "申诉求决类"),  # 建议 with a demand: 拖欠 blocks the rule
        ("要求补发养老金", "申诉求决类"),
        ("路灯坏了", "申诉求决类"),  # default for any non-empty text
    ],
)
def test_matter_type_rules(tax, text, expected):
    assert tax.matcher.match([text])["matter_type"].iloc[0] == expected


# --- classify() -------------------------------------------------------------------------------
def _cases() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "case_id": ["A1", "A2", "A3", "A4", "A5", "A6", "A7"],
            "category": [None, "村级财务", "环保", "其他", "火星移民", pd.NA, "交通"],
            "summary": [
                "小区物业乱收费，电梯坏了没人修",
                "村务公开走过场，村集体账目不清",
                "包工头拖欠农民工工资",
                "举报化工厂偷排污水",
                "你好",
                None,
                "建议增设公交站",
            ],
            "matter_type": ["", None, "申诉求决类", None, None, None, "建议意见类"],
        }
    )


def test_classify_adds_the_columns_and_keeps_the_input():
    cases = _cases()
    before = cases.copy()
    out = classify(cases)
    pd.testing.assert_frame_equal(cases, before)
    for col in CLASSIFY_COLUMNS:
        assert col in out.columns
    assert out["category_pred"].dtype == "string"
    assert out["needs_review"].dtype == bool
    assert out["category_confidence"].between(0, 1).all()


def test_classify_given_rule_none_and_review():
    out = classify(_cases()).set_index("case_id")
    assert out.loc["A1", "category_pred"] == "城乡建设"
    assert out.loc["A1", "category_source"] == "rule"
    assert (
        out.loc["A1", "category_evidence"] == "关键词: 小区物业、电梯"
    )  # 乱收费 scores for 教育文体
    # given local name, agreeing rule: kept and normalised
    assert out.loc["A2", "category_pred"] == "农村农业"
    assert out.loc["A2", "category_level2"] == "村务财务"
    assert out.loc["A2", "category_source"] == "given"
    assert out.loc["A2", "category_confidence"] == 1.0
    assert not out.loc["A2", "needs_review"]
    # given 环保 but the text is about wages: kept, flagged, the rule's view in evidence
    assert out.loc["A3", "category_pred"] == "环境保护"
    assert out.loc["A3", "category_machine"] == "劳动和社会保障"
    assert out.loc["A3", "needs_review"]
    assert "规则判为「劳动和社会保障」" in out.loc["A3", "category_evidence"]
    assert out.loc["A3", "category_confidence"] < 0.5
    # 其他 carries no category: the rule decides
    assert out.loc["A4", "category_pred"] == "环境保护"
    assert out.loc["A4", "category_source"] == "rule"
    # unknown given name: flagged; nothing matched -> 未分类, source none
    assert out.loc["A5", "category_pred"] == UNCLASSIFIED
    assert out.loc["A5", "category_source"] == "none"
    assert out.loc["A5", "needs_review"]
    assert "火星移民" in out.loc["A5", "category_evidence"]
    # missing summary -> 未分类, no error
    assert out.loc["A6", "category_pred"] == UNCLASSIFIED
    assert out.loc["A6", "category_confidence"] == 0.0
    assert pd.isna(out.loc["A6", "matter_type"])


def test_classify_fills_only_empty_matter_types():
    out = classify(_cases()).set_index("case_id")
    assert out.loc["A1", "matter_type"] == "检举控告类"  # "" filled by rule (乱收费)
    assert out.loc["A3", "matter_type"] == "申诉求决类"  # given kept
    assert out.loc["A4", "matter_type"] == "检举控告类"
    assert out.loc["A7", "matter_type"] == "建议意见类"
    assert set(out["matter_type"].dropna()) <= set(MATTER_TYPES)


def test_classify_without_optional_columns_and_empty_frame():
    out = classify(pd.DataFrame({"summary": ["学校乱收费", None]}))
    assert out["category_pred"].tolist() == ["教育文体", UNCLASSIFIED]
    assert out["matter_type"].tolist()[0] == "检举控告类"  # 乱收费 is a complaint about conduct
    empty = classify(pd.DataFrame({"summary": pd.Series([], dtype="string")}))
    assert len(empty) == 0 and "category_pred" in empty.columns
    with pytest.raises(TypeError, match="DataFrame"):
        classify(["not", "a", "frame"])


def test_classify_repeated_summaries_get_identical_answers():
    texts = ["小区物业乱收费", "化工厂偷排污水"] * 500
    out = classify(pd.DataFrame({"summary": texts}))
    assert out["category_pred"].iloc[::2].eq("城乡建设").all()
    assert out["category_pred"].iloc[1::2].eq("环境保护").all()


def test_classify_with_a_model_fills_what_rules_miss():
    from xinfang_toolkit.classify import TextClassifier

    texts = [
        "嗯嗯那个事情",
        "嗯嗯那个事儿",
        "嗯那个事情啊",
        "哈哈这个东西",
        "哈哈这个玩意",
        "哈这个东西呀",
    ]
    labels = ["甲类", "甲类", "甲类", "乙类", "乙类", "乙类"]
    model = TextClassifier().fit(texts, labels)
    cases = pd.DataFrame({"summary": ["嗯嗯那个事", "化工厂偷排污水，河里死鱼"]})
    out = classify(cases, model=model)
    assert out.loc[0, "category_pred"] == "甲类"
    assert out.loc[0, "category_source"] == "model"
    assert out.loc[0, "category_evidence"].startswith("模型特征: ")
    assert "嗯" in out.loc[0, "category_evidence"] or "那个" in out.loc[0, "category_evidence"]
    # strong keyword evidence still wins over a two-class toy model
    assert out.loc[1, "category_source"] == "rule"
    out2 = classify(cases, model=model, min_model_confidence=1.01)
    assert out2.loc[0, "category_source"] == "none"


def test_classify_synthetic_cases_with_evidence():
    from xinfang_toolkit.synth import generate_cases

    cases = generate_cases(300, seed=3)
    tax = Taxonomy.default()
    out = classify(cases.assign(category=pd.NA), taxonomy=tax)
    given = tax.normalize_series(cases["category"])["level1"]
    known = given.notna()
    agree = (out["category_pred"][known] == given[known]).mean()
    assert agree > 0.85, agree
    hit = out["category_pred"] != UNCLASSIFIED
    assert hit.mean() > 0.95
    assert out.loc[hit, "category_evidence"].str.startswith("关键词: ").all()


def test_classify_in_two_processes_gives_the_same_result(monkeypatch):
    from xinfang_toolkit.classify import _rules

    monkeypatch.setattr(_rules, "_CHUNK", 4)  # 3 chunks from 10 texts: the pool is used
    texts = ["小区物业乱收费", "化工厂偷排污水", "你好", "", "包工头拖欠工资"] * 2
    cases = pd.DataFrame({"summary": [f"{t}{i}" if t else t for i, t in enumerate(texts)]})
    one = classify(cases)
    two = classify(cases, n_jobs=2)
    pd.testing.assert_frame_equal(one, two)
    assert one["category_pred"].iloc[0] == "城乡建设"


def test_odd_characters_do_not_break_matching(tax):
    texts = ["a\ud800b物业费", "\x02\x03物业费", "ＡＰＰ乱扣费", "物业\n费", "İ物业费"]
    got = tax.matcher.match(texts)
    assert got["level1"].tolist() == [
        "城乡建设",
        "城乡建设",
        "科技与信息产业",
        "城乡建设",
        "城乡建设",
    ]
    assert got["evidence"].tolist()[:3] == ["物业费", "物业费", "app、扣费"]
    assert got["evidence"].tolist()[3] == "物业"  # a line break splits 物业费


def test_export_default_gives_an_editable_copy(tmp_path):
    yaml_path, csv_path = Taxonomy.export_default(tmp_path / "mine")
    text = yaml_path.read_text(encoding="utf-8").replace("[物业, 房产证,", "[物业, 群租房, 房产证,")
    yaml_path.write_text(text, encoding="utf-8")
    mine = Taxonomy.from_file(yaml_path, local_names=csv_path)
    assert mine.names == Taxonomy.default().names
    assert mine.normalize("土地纠纷") == ("国土资源", "土地权属")
    assert mine.matcher.match(["楼下群租房"])["level1"].iloc[0] == "城乡建设"
    with pytest.raises(TaxonomyError, match="已存在"):
        Taxonomy.export_default(tmp_path / "mine")


def test_local_names_csv_saved_by_excel_as_gbk(tmp_path):
    yaml_path = tmp_path / "tax.yaml"
    yaml_path.write_text("classes:\n  - name: 环境保护\n    keywords: [污染]\n", encoding="utf-8")
    csv_path = tmp_path / "local.csv"
    csv_path.write_bytes("local_name,category\n环保,环境保护\n".encode("gbk"))
    assert Taxonomy.from_file(yaml_path, local_names=csv_path).normalize("环保") == (
        "环境保护",
        None,
    )


def test_taxonomy_yaml_saved_as_gbk_is_read(tmp_path):
    path = tmp_path / "tax.yaml"
    path.write_bytes("classes:\n  - name: 环境保护\n    keywords: [污染]\n".encode("gbk"))
    assert Taxonomy.from_file(path).names == ("环境保护",)
    path.write_bytes(b"classes: \xff\xfe\xfa\n")
    with pytest.raises(TaxonomyError, match="UTF-8"):
        Taxonomy.from_file(path)


def test_keyword_automaton_reads_no_corpus(monkeypatch):
    """The automaton's character order comes from the keywords, not from a message corpus."""
    from xinfang_toolkit.classify import _corpus

    def refuse(name):
        raise AssertionError(f"the matcher read {name}")

    monkeypatch.setattr(_corpus, "_read", refuse)
    from xinfang_toolkit.classify._taxonomy import _data_path

    fresh = Taxonomy.from_file(_data_path("taxonomy.yaml"))
    got = fresh.matcher.match(["小区电梯坏了没人修", "拖欠农民工工资"])
    assert got["level1"].tolist() == ["城乡建设", "劳动和社会保障"]


def test_classify_imports_no_plots_widgets_or_private_modules_of_others():
    import importlib
    import re
    from pathlib import Path

    pkg = importlib.import_module("xinfang_toolkit.classify")  # the name is also a function
    for path in Path(pkg.__file__).parent.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"from \.\.(plots|widgets)\b", text), path.name
        assert not re.search(r"from \.\.\w+\._", text), path.name


def test_shipped_labelled_sets():
    from xinfang_toolkit.classify import STANDIN_CLASSES, handwritten_messages, labelled_corpus
    from xinfang_toolkit.synth import complaint_corpus

    held = handwritten_messages()
    assert list(held.columns) == ["text", "label"]
    assert held["label"].value_counts().to_dict() == dict.fromkeys(STANDIN_CLASSES, 30)
    assert not held["text"].duplicated().any() and (held["text"].str.len() >= 8).all()
    # held apart: no hand-written message is in the stand-in corpus or its generator's output
    generated = set(labelled_corpus()["text"]) | set(complaint_corpus(per_class=400)["text"])
    assert not set(held["text"]) & generated


def test_each_row_decided_by_its_own_summary_and_given_category(tax):
    # one summary with several given names, each pair on several rows: every row gets what
    # its own pair decides, the same as when the pair is classified alone
    summaries = ["要求补发征地补偿款", "要求补发征地补偿款", "拖欠工资", None, "要求补发征地补偿款"]
    given = ["征地拆迁", "环保", "环保", "不知道的类", None]
    cases = pd.DataFrame({"summary": summaries * 3, "category": given * 3})
    out = classify(cases, taxonomy=tax)
    for k in range(len(summaries)):
        alone = classify(cases.iloc[[k]], taxonomy=tax)
        for j in (k, k + 5, k + 10):
            got = out.iloc[[j]][list(CLASSIFY_COLUMNS)].reset_index(drop=True)
            pd.testing.assert_frame_equal(got, alone[list(CLASSIFY_COLUMNS)].reset_index(drop=True))
    assert out["needs_review"].iloc[:5].tolist() == [False, True, True, True, False]


def test_classify_without_taxonomy_reads_the_shipped_one_once_and_callers_get_their_own():
    from xinfang_toolkit.classify._taxonomy import shared_default

    cases = pd.DataFrame({"summary": ["小区门口道路破损多年无人修", "拖欠工资三个月"]})
    first = classify(cases)
    assert shared_default() is shared_default()  # parsed once, matcher built once
    pd.testing.assert_frame_equal(first, classify(cases, taxonomy=Taxonomy.default()))
    mine = Taxonomy.default()
    assert mine is not shared_default() and mine is not Taxonomy.default()
    mine.local_names.clear()  # a caller's change stays in the caller's copy
    assert shared_default().local_names
    pd.testing.assert_frame_equal(classify(cases), first)
