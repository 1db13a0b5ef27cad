"""Repeat chains: the same person and the same matter, on hand-made frames and properties."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from xinfang_toolkit.analysis import link_repeats
from xinfang_toolkit.privacy import person_key

ID_A = "410122199001011234"
ID_B = "410122199202023456"


def _cases(rows):
    df = pd.DataFrame(
        rows, columns=["case_id", "petitioner", "id_number", "phone", "received_date", "summary"]
    )
    df["received_date"] = pd.to_datetime(df["received_date"])
    return df


def test_two_matters_of_one_person_stay_two_chains():
    df = _cases(
        [
            ("c3", "张三", ID_A, None, "2025-06-01", "第三次要求补发2024年征地补偿款3.5万元"),
            ("c1", "张三", ID_A, None, "2025-01-05", "要求补发征地补偿款2万元"),
            ("c2", "张三", ID_A, None, "2025-03-01", "再次要求补发征地补偿款2万元"),
            ("d1", "张三", ID_A, None, "2025-02-01", "反映邻居违建挡住采光，要求拆除"),
            ("e1", "李四", ID_B, None, "2025-01-06", "要求补发征地补偿款2万元"),
        ]
    )
    out = link_repeats(df).set_index("case_id")
    key_a = person_key(ID_A)
    assert (out.loc[["c1", "c2", "c3", "d1"], "person_key"] == key_a).all()
    assert ID_A not in "".join(out["person_key"])  # pseudonymous
    land = out.loc[["c1", "c2", "c3"]]
    assert land["chain_id"].nunique() == 1
    assert land["chain_seq"].tolist() == [1, 2, 3]  # by received date
    assert (land["first_case"] == "c1").all()
    assert land["is_repeat"].tolist() == [False, True, True]
    assert (land["repeat_count"] == 2).all()
    assert out.loc["d1", "chain_id"] != out.loc["c1", "chain_id"]
    assert out.loc["d1", "chain_seq"] == 1 and out.loc["d1", "repeat_count"] == 0
    # the first matter (c1, 01-05) is chain 1, the neighbour matter (d1, 02-01) chain 2
    assert out.loc["c1", "chain_id"] == f"{key_a}-1" and out.loc["d1", "chain_id"] == f"{key_a}-2"
    # the same text from another person is never linked
    assert out.loc["e1", "chain_id"] != out.loc["c1", "chain_id"]
    assert not out.loc["e1", "is_repeat"]


def test_window_and_similarity_thresholds():
    df = _cases(
        [
            ("a", "王五", ID_A, None, "2023-01-01", "要求解决拖欠工资问题"),
            ("b", "王五", ID_A, None, "2024-06-01", "要求解决拖欠工资问题"),  # 517 days later
        ]
    )
    assert link_repeats(df)["chain_id"].nunique() == 2
    assert link_repeats(df, window_days=600)["chain_id"].nunique() == 1
    odd = _cases(
        [
            ("a", "王五", ID_A, None, "2024-01-01", "要求解决拖欠工资问题"),
            ("b", "王五", ID_A, None, "2024-02-01", "拖欠工资问题"),
        ]
    )
    assert link_repeats(odd, min_similarity=0.99)["chain_id"].nunique() == 2
    assert link_repeats(odd, min_similarity=0.3)["chain_id"].nunique() == 1


def test_person_without_id_by_name_and_phone_and_flags():
    df = _cases(
        [
            ("a", "赵六", None, "138-0000-1111", "2025-01-01", "要求解决拖欠工资问题"),
            ("b", "赵 六", None, "13800001111", "2025-02-01", "再次要求解决拖欠工资问题"),
            ("c", "赵六", None, "13900002222", "2025-02-01", "再次要求解决拖欠工资问题"),
            ("d", None, None, None, "2025-02-01", "要求解决拖欠工资问题"),
            ("e", None, None, None, "2025-02-01", "要求解决拖欠工资问题"),
        ]
    )
    df["repeat_flag"] = ["", "", "是", None, None]
    out = link_repeats(df).set_index("case_id")
    assert out.loc["a", "chain_id"] == out.loc["b", "chain_id"]
    assert out.loc["c", "chain_id"] != out.loc["a", "chain_id"]  # another phone
    # the ledger says c repeats an earlier matter, but its chain has no earlier case: the
    # earlier case cannot be found, so c is not counted as 重复信访 (a chain of one)
    assert not out.loc["c", "is_repeat"]
    assert out.loc["b", "is_repeat"] and not out.loc["a", "is_repeat"]
    assert out.loc["c", "chain_seq"] == 1
    assert pd.isna(out.loc["d", "person_key"])
    assert out.loc["d", "chain_id"] != out.loc["e", "chain_id"]  # unknown persons never linked
    assert out.loc["d", "chain_id"].startswith("U")


def test_empty_and_missing_columns():
    out = link_repeats(pd.DataFrame({"summary": pd.Series([], dtype="string")}))
    assert len(out) == 0 and "chain_id" in out.columns
    one = link_repeats(pd.DataFrame({"summary": ["要求补偿"]}))
    assert one["chain_seq"].tolist() == [1] and one["repeat_count"].tolist() == [0]


# --- properties -------------------------------------------------------------------------------
IDS = ["410122199001011234", "410122199202023456", "410122198803035678", None]
NAMES = ["张三", "李四"]
TEXTS = ["要求补发征地补偿款2万元", "再次要求补发征地补偿款3万元", "反映邻居违建", "拖欠工资问题"]
row = st.tuples(
    st.sampled_from(IDS),
    st.sampled_from(NAMES),
    st.sampled_from([None, "13800001111"]),
    st.dates(
        min_value=pd.Timestamp("2024-01-01").date(), max_value=pd.Timestamp("2025-12-31").date()
    ),
    st.sampled_from(TEXTS),
)


def _frame(rows):
    df = pd.DataFrame(
        rows, columns=["id_number", "petitioner", "phone", "received_date", "summary"]
    )
    df["received_date"] = pd.to_datetime(df["received_date"])
    df.insert(0, "case_id", [f"X{i}" for i in range(len(df))])
    return df


@given(st.lists(row, min_size=1, max_size=25))
def test_never_links_two_different_id_numbers(rows):
    out = link_repeats(_frame(rows))
    per_chain = out.dropna(subset=["id_number"]).groupby("chain_id")["id_number"].nunique()
    assert (per_chain <= 1).all()
    # and a chain never mixes a row with an ID number and one without
    mixed = out.groupby("chain_id")["id_number"].agg(lambda s: s.isna().any() and s.notna().any())
    assert not mixed.any()


@given(st.lists(row, min_size=1, max_size=25), st.randoms(use_true_random=False))
def test_stable_under_row_order(rows, rnd):
    df = _frame(rows)
    shuffled_index = list(df.index)
    rnd.shuffle(shuffled_index)
    a = link_repeats(df)
    b = link_repeats(df.loc[shuffled_index]).loc[df.index]
    cols = ["person_key", "chain_id", "chain_seq", "first_case", "is_repeat", "repeat_count"]
    # rows identical in every compared column may swap their case_id-based first_case only if
    # case ids are equal, which they are not here: so the results must be equal row by row
    pd.testing.assert_frame_equal(a[cols], b[cols])


def test_vectorised_keys_equal_privacy_person_key():
    from xinfang_toolkit.privacy import person_keys as _person_keys

    df = pd.DataFrame(
        {
            "id_number": [ID_A, " 41012219900101123x ", None, None, None, "123"],
            "petitioner": ["张三", "张三", "Ｗａｎｇ 五", "王五", None, "李四"],
            "phone": [None, None, "138 0000 1111", None, "13800001111", None],
            "address": [None, None, None, "某县某镇 某村", "某村", "某村"],
        }
    )
    expected = [person_key(*row) for row in df.itertuples(index=False, name=None)]
    assert _person_keys(df).tolist() == [pd.NA if k is None else k for k in expected]


def test_repeat_chains_table():
    from xinfang_toolkit.analysis import repeat_chains

    df = _cases(
        [
            ("c1", "张三", ID_A, None, "2025-01-05", "要求补发征地补偿款2万元，电话13800001111"),
            ("c2", "张三", ID_A, None, "2025-03-01", "再次要求补发征地补偿款2万元"),
            ("c3", "张三", ID_A, None, "2025-06-01", "第三次要求补发征地补偿款"),
            ("d1", "张三", ID_A, None, "2025-02-01", "反映邻居违建挡住采光，要求拆除"),
            ("e1", "李四", ID_B, None, "2025-01-06", "拖欠工资"),
            ("e2", "李四", ID_B, None, "2025-01-26", "拖欠工资"),
        ]
    )
    table = repeat_chains(df)
    assert table["case_ids"].tolist() == [["c1", "c2", "c3"], ["e1", "e2"]]
    assert table["span_days"].tolist() == [147, 20]
    assert table["latest_case"].tolist() == ["c3", "e2"]
    assert "138****1111" in table["summary"].iloc[0]
    assert len(repeat_chains(df, min_cases=3)) == 1


def test_a_given_person_key_is_kept_and_only_the_empty_ones_are_computed():
    df = _cases(
        [
            ("A1", "张三", ID_A, None, "2026-01-05", "村道损坏无人修"),
            ("A2", "张三", ID_A, None, "2026-02-05", "村道损坏无人修"),
            ("B1", "李四", ID_B, None, "2026-01-07", "工资被拖欠"),
        ]
    )
    df["person_key"] = pd.array(["P-GIVEN", "", None], dtype="string")
    out = link_repeats(df)
    assert out["person_key"].tolist() == ["P-GIVEN", person_key(ID_A), person_key(ID_B)]
    # the given key differs from the computed one of A2: two persons, no repeat
    assert not out["is_repeat"].any()


def test_same_day_submissions_ordered_by_content_whatever_the_row_order():
    df = _cases(
        [
            ("b2", "张三", ID_A, None, "2025-03-01", "要求补发征地补偿款2万元"),
            ("b1", "张三", ID_A, None, "2025-03-01", "要求补发征地补偿款2万元"),
            ("a9", "张三", ID_A, None, "2025-01-05", "要求补发征地补偿款2万元"),
            ("n1", "张三", ID_A, None, None, "要求补发征地补偿款2万元"),
            ("e1", "李四", ID_B, None, "2025-03-01", "要求补发征地补偿款2万元"),
            ("e0", "李四", ID_B, None, "2025-03-01", "拖欠工资问题"),
        ]
    )
    out = link_repeats(df).set_index("case_id")
    assert out.loc[["a9", "b1", "b2"], "chain_seq"].tolist() == [1, 2, 3]
    assert (out.loc[["b1", "b2"], "first_case"] == "a9").all()
    assert out.loc["n1", "chain_seq"] == 1 and out.loc["n1", "chain_id"].endswith("-2")
    assert out.loc["e0", "chain_id"].endswith("-1") and out.loc["e1", "chain_id"].endswith("-2")
    for seed in range(5):
        shuffled = link_repeats(df.sample(frac=1, random_state=seed)).set_index("case_id")
        pd.testing.assert_frame_equal(shuffled.loc[out.index], out)


@given(st.lists(row, min_size=0, max_size=25), st.integers(0, 3))
def test_chain_codes_group_the_rows_as_their_chain_ids(rows, copies):
    from xinfang_toolkit.analysis._backlog import chain_codes

    df = _frame(rows)
    nobody = df.iloc[:0].reindex(range(copies))  # rows without any person: one "U..." chain
    df = pd.concat([df, nobody.assign(case_id="U1", summary="无人")], ignore_index=True)
    out = link_repeats(df)
    codes = chain_codes(out)
    assert (codes >= 0).all()
    # one code per chain id, one chain id per code
    pairs = pd.DataFrame({"code": codes, "chain": out["chain_id"].to_numpy(dtype=object)})
    assert pairs.groupby("code")["chain"].nunique().eq(1).all()
    assert pairs.groupby("chain")["code"].nunique().eq(1).all()
