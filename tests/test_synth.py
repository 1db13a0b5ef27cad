"""Tests for xinfang_toolkit.synth: synthetic cases, messy ledgers and the sample_data folder."""

from __future__ import annotations

import pandas as pd
import pytest

from xinfang_toolkit.schema import (
    CASE_COLUMNS,
    CHANNELS,
    MATTER_TYPES,
    PROVENANCE_COLUMNS,
    SATISFACTION_VALUES,
    VISIT_LEVELS,
)
from xinfang_toolkit.synth import generate_cases, id_check_digit, is_valid_id

TODAY = pd.Timestamp("2026-11-20")
NATIONAL = {
    "城乡建设",
    "农村农业",
    "政法",
    "教育文体",
    "劳动和社会保障",
    "民政",
    "党务政务",
    "经济管理",
    "卫生计生",
    "商贸旅游",
    "环境保护",
    "交通运输",
    "纪检监察",
    "国土资源",
    "科技与信息产业",
}


@pytest.fixture(scope="module")
def cases() -> pd.DataFrame:
    return generate_cases(800, seed=3, with_truth=True)


# ---- ID numbers ---------------------------------------------------------------------------
def test_check_digit_known_values():
    # GB 11643 worked example: 11010519491231002 -> X
    assert id_check_digit("11010519491231002") == "X"
    # the ISO 7064 MOD 11-2 rule written out
    digits = [int(c) for c in "41012219640927097"]
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(d * w for d, w in zip(digits, weights, strict=True))
    assert id_check_digit("41012219640927097") == "10X98765432"[total % 11]
    assert is_valid_id("11010519491231002X")
    assert not is_valid_id("110105194912310021")
    assert not is_valid_id("11010519491231002x")  # lower case is for the loader to fix
    assert not is_valid_id("1101051949123100")


def test_ids_valid_and_consistent(cases):
    ids = cases["id_number"].dropna()
    assert len(ids) > 0.8 * len(cases)
    assert ids.str.len().eq(18).all()
    assert all(is_valid_id(x) for x in ids)
    assert ids.str.endswith("X").any()
    birth = pd.to_datetime(ids.str[6:14], format="%Y%m%d")
    assert birth.between("1930-01-01", "2008-01-01").all()
    # one person keeps one ID number and one name throughout
    per_person = cases.dropna(subset=["id_number"]).groupby("true_person")
    assert per_person["id_number"].nunique().max() == 1
    assert per_person["petitioner"].nunique().max() == 1
    assert cases["phone"].dropna().str.fullmatch(r"1[3-9]\d{9}").all()
    assert (
        cases["address"]
        .dropna()
        .str.fullmatch(r"河东县\S+?(乡|镇|街道)\S+?(村|社区)\d+(组|号楼)")
        .all()
    )


# ---- shape and determinism ------------------------------------------------------------------
def test_canonical_frame(cases):
    assert list(cases.columns[: len(CASE_COLUMNS) + 3]) == list(CASE_COLUMNS + PROVENANCE_COLUMNS)
    assert len(cases) == 800
    assert cases["case_id"].is_unique
    assert cases["received_date"].is_monotonic_increasing
    assert cases["received_date"].min() >= pd.Timestamp("2025-01-01")
    assert cases["received_date"].max() <= pd.Timestamp("2026-10-31")
    assert str(cases["person_count"].dtype) == "Int64"
    assert set(cases["channel"]) <= set(CHANNELS)
    assert set(cases["visit_level"]) <= set(VISIT_LEVELS)
    assert set(cases["matter_type"]) <= set(MATTER_TYPES)
    assert set(cases["satisfaction"].dropna()) <= set(SATISFACTION_VALUES)
    assert cases["source_row"].tolist() == list(range(2, 802))
    assert (cases["source_file"] == "synthetic").all()
    assert cases["summary"].notna().all() and cases["summary"].str.len().gt(15).all()
    closed = cases.dropna(subset=["closed_date"])
    assert (closed["closed_date"] >= closed["received_date"]).all()
    assert (closed["closed_date"] <= TODAY).all()


def test_deterministic_and_seed_dependent():
    a = generate_cases(300, seed=11)
    b = generate_cases(300, seed=11)
    c = generate_cases(300, seed=12)
    pd.testing.assert_frame_equal(a, b)
    assert not a["summary"].equals(c["summary"])


def test_sizes_and_bad_arguments():
    assert len(generate_cases(0)) == 0
    assert list(generate_cases(0).columns) == list(CASE_COLUMNS + PROVENANCE_COLUMNS)
    assert len(generate_cases(7, seed=1)) == 7
    assert len(generate_cases(1, seed=1)) == 1
    with pytest.raises(ValueError, match="非负整数"):
        generate_cases(-1)
    with pytest.raises(ValueError, match="早于"):
        generate_cases(10, start="2026-01-01", end="2025-01-01")
    short = generate_cases(200, start="2026-03-01", end="2026-03-31", today="2026-04-10")
    assert short["received_date"].between("2026-03-01", "2026-03-31").all()


# ---- features other areas rely on -----------------------------------------------------------
def test_repeat_chains(cases):
    sizes = cases.groupby("true_matter").size()
    repeated = sizes[sizes > 1].index
    assert len(repeated) > 30
    assert (sizes >= 4).any()
    chain = cases[cases["true_matter"] == sizes.idxmax()]
    # same person, similar but not identical wording, spread over weeks at least
    assert chain["petitioner"].nunique() == 1
    assert chain["summary"].nunique() > 1
    assert (chain["received_date"].max() - chain["received_date"].min()).days >= 28
    # repeats say so ("再次", "多次" ...) and share the core text of the first submission
    later = cases[cases.duplicated("true_matter", keep="first")]
    assert later["summary"].str.contains("再次|又一次|多次|重复|继续|第.次").all()
    # some persons raise two different matters
    matters_per_person = cases.groupby("true_person")["true_matter"].nunique()
    assert (matters_per_person >= 2).sum() >= 5


def test_escalation_and_group_visits(cases):
    levels = cases["visit_level"].value_counts()
    for level in VISIT_LEVELS:
        assert levels.get(level, 0) > 0, level
    group = cases[cases["person_count"] >= 5]
    assert len(group) >= 10
    assert (group["channel"] == "来访").all()
    assert group["person_count"].max() <= 60
    # a chain that climbs: a later submission at a higher level than the first
    rank = cases["visit_level"].map({v: i for i, v in enumerate(VISIT_LEVELS)})
    first = rank.groupby(cases["true_matter"]).transform("first")
    assert (rank > first).sum() > 5


def test_hotspots(cases):
    hot = cases[cases["true_hotspot"] >= 0]
    assert 0.08 < len(hot) / len(cases) < 0.2
    for _, spot in hot.groupby("true_hotspot"):
        assert spot["locality"].nunique() == 1
        assert spot["true_category"].nunique() == 1
        assert (spot["received_date"].max() - spot["received_date"].min()).days <= 70
    biggest = hot.groupby("true_hotspot")["petitioner"].nunique().max()
    assert biggest >= 8


def test_handling_open_overdue_late(cases):
    closed = cases["closed_date"].notna()
    days = (cases["closed_date"] - cases["received_date"]).dt.days
    due = cases["deadline"].fillna(cases["received_date"] + pd.Timedelta(days=60))
    on_time = closed & (cases["closed_date"] <= due)
    late = closed & (cases["closed_date"] > due)
    overdue_open = ~closed & (due < TODAY)
    recent_open = ~closed & (due >= TODAY)
    assert on_time.mean() > 0.7
    assert late.sum() > 10 and overdue_open.sum() > 5 and recent_open.sum() > 5
    assert days[closed].max() > 60
    # explicit deadlines are received + 60, or + 90 when extended (outcome says so)
    delta = (cases["deadline"] - cases["received_date"]).dt.days.dropna()
    assert set(delta.unique()) <= {60, 90}
    ext = cases[(cases["deadline"] - cases["received_date"]).dt.days == 90]
    assert len(ext) > 0 and ext["outcome"].str.startswith("经批准延期").all()
    assert cases["deadline"].isna().any()
    # satisfaction only for closed cases; open cases have no satisfaction
    assert cases.loc[~closed, "satisfaction"].isna().all()
    assert cases.loc[closed, "satisfaction"].notna().all()


def test_categories_leaders_units(cases):
    assert set(cases["true_category"]) == NATIONAL
    cat = cases["category"]
    assert cat.isna().mean() > 0.03
    local = set(cat.dropna()) - NATIONAL
    assert {"征地拆迁", "劳资纠纷", "村级财务"} & local
    share_leader = cases["leader"].notna().mean()
    assert 0.08 < share_leader < 0.35
    # one leader per matter
    assert cases.dropna(subset=["leader"]).groupby("true_matter")["leader"].nunique().max() == 1
    assert cases["responsible_unit"].str.contains("人民政府|办事处").any()
    assert cases["responsible_unit"].str.startswith("县").any()
    channels = cases["channel"].value_counts()
    assert channels.index[0] == "来访"


def test_vocabulary_matches_class(cases):
    words = {
        "劳动和社会保障": "工资|社会保险|养老|工伤|劳动",
        "环境保护": "污染|排放|污水|粉尘|油烟|臭|噪音",
        "国土资源": "征|土地|宅基地|耕地",
        "纪检监察": "举报",
    }
    for cls, pattern in words.items():
        texts = cases.loc[cases["true_category"] == cls, "summary"]
        assert texts.str.contains(pattern).mean() > 0.9, cls


def test_names_are_chinese_and_small_n_works():
    df = generate_cases(50, seed=5)
    assert df["petitioner"].str.fullmatch(r"[\u4e00-\u9fff]{2,4}").all()
    assert df["locality"].str.endswith(("乡", "镇", "街道")).all()
