"""类案: find_precedents / PrecedentIndex."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xinfang_toolkit._base.ngrams import hashed_counts, normalized_texts, tfidf_matrix
from xinfang_toolkit.analysis import (
    PRECEDENT_WEIGHTS,
    PrecedentIndex,
    backlog_table,
    enrich,
    find_precedents,
)
from xinfang_toolkit.analysis._precedents import stopped_after_answer
from xinfang_toolkit.schema import conform_cases
from xinfang_toolkit.synth import generate_cases

TODAY = "2026-11-20"
REQUIRED = ("query_case_id", "rank", "case_id", "similarity", "shared_terms", "locality")


@pytest.fixture(scope="module")
def enriched() -> pd.DataFrame:
    return enrich(generate_cases(600, seed=5), today=TODAY)


def _frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    for c in ("received_date", "closed_date"):
        if c in df:
            df[c] = pd.to_datetime(df[c])
    return conform_cases(df)


def test_never_the_same_person_and_one_row_per_matter(enriched):
    queries = backlog_table(enriched, today=TODAY)["latest_case"].head(15).tolist()
    out = find_precedents(enriched, queries, k=8)
    assert set(REQUIRED) <= set(out.columns)
    by_id = enriched.set_index("case_id")
    for qid, rows in out.groupby("query_case_id"):
        assert rows["rank"].tolist() == list(range(1, len(rows) + 1))
        assert rows["similarity"].is_monotonic_decreasing
        assert not (rows["chain_id"] == by_id.loc[qid, "chain_id"]).any()
        keys = by_id.loc[rows["case_id"], "person_key"]
        assert not (keys == by_id.loc[qid, "person_key"]).any()
        assert rows["chain_id"].is_unique  # each other matter once
        assert qid not in set(rows["case_id"])


def test_resolved_only_gives_answered_cases(enriched):
    q = enriched["case_id"].iloc[3]
    out = find_precedents(enriched, q, k=10)
    closed = enriched.set_index("case_id").loc[out["case_id"], "closed_date"]
    assert closed.notna().all()
    every = find_precedents(enriched, q, k=10, resolved_only=False)
    assert len(every) == 10


def test_text_query_finds_the_matching_matter_with_evidence():
    cases = _frame(
        [
            {
                "case_id": "A",
                "summary": "楼下烧烤店营业到凌晨，噪音扰民",
                "closed_date": "2026-01-05",
            },
            {"case_id": "B", "summary": "单位拖欠工资三个月未发放", "closed_date": "2026-01-05"},
            {"case_id": "C", "summary": "村里修路占用耕地补偿未到位", "closed_date": "2026-01-05"},
        ]
    ).assign(received_date=pd.Timestamp("2026-01-01"))
    out = find_precedents(cases, "小区楼下烧烤店半夜噪音太大", k=2)
    assert out["case_id"].iloc[0] == "A"
    assert out["query_case_id"].isna().all()
    assert "烧烤店" in out["shared_terms"].iloc[0]
    assert out["text_similarity"].iloc[0] > 0
    # a text sharing no n-gram with anything gives no precedent (category never alone)
    assert find_precedents(cases, "甲乙丙", k=2).empty


def test_text_similarity_is_the_tfidf_cosine():
    """The index's cosine equals the cosine of the engine's own TF-IDF rows (fitted on the same
    distinct texts), and so scikit-learn's weights, for every case."""
    texts = ["拖欠农民工工资", "拖欠工资不发", "征地补偿款未到位", "补偿款被截留", "噪音扰民"]
    cases = _frame(
        [
            {"case_id": str(i), "summary": t, "closed_date": "2026-01-01"}
            for i, t in enumerate(texts)
        ]
    ).assign(received_date=pd.Timestamp("2025-12-01"))
    idx = PrecedentIndex().fit(cases)
    m, _ = tfidf_matrix(texts)
    expected = (m @ m[0].T).toarray().ravel()
    got = idx.text_scores(texts[0])
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_hashed_counts_agree_with_the_tfidf_engine():
    texts = ["反映拖欠工资", "反映反映拖欠", "征地补偿"]
    r, col, tf, grams = hashed_counts(texts)
    m, _ = tfidf_matrix(texts)
    assert sorted(zip(r.tolist(), col.tolist(), strict=True)) == sorted(
        zip(*m.nonzero(), strict=True)
    )
    assert tf[(r == 1)].max() == 2  # 反映 twice in the second text
    assert len(grams) == len(col)
    assert normalized_texts(["Ａ，b"]) == ["ab"]


def test_score_is_documented_weighted_sum():
    cases = _frame(
        [
            {"case_id": "Q", "summary": "拖欠工资", "category": "劳动和社会保障"},
            {"case_id": "S", "summary": "拖欠工资问题", "category": "劳动和社会保障"},
            {"case_id": "D", "summary": "拖欠工资问题", "category": "城乡建设"},
        ]
    ).assign(received_date=pd.Timestamp("2026-01-01"), closed_date=pd.Timestamp("2026-02-01"))
    out = find_precedents(cases, "Q", k=2)
    assert out["case_id"].tolist() == ["S", "D"]
    s, d = out.iloc[0], out.iloc[1]
    assert s["text_similarity"] == pytest.approx(d["text_similarity"])
    w = PRECEDENT_WEIGHTS
    assert s["similarity"] == pytest.approx(
        w["text"] * s["text_similarity"] + w["category"], abs=1e-3
    )
    assert d["similarity"] == pytest.approx(w["text"] * d["text_similarity"], abs=1e-3)


def test_way_of_resolution_from_resolution_type_when_present():
    base = [
        {"case_id": "Q", "summary": "拖欠工资", "outcome": "已答复"},
        {"case_id": "P", "summary": "拖欠工资问题", "outcome": "已协调支付工资"},
    ]
    cases = _frame(base).assign(
        received_date=pd.Timestamp("2026-01-01"), closed_date=pd.Timestamp("2026-02-01")
    )
    plain = find_precedents(cases, "Q", k=1)
    assert plain["resolution"].iloc[0] == "已协调支付工资"
    # the contract's 化解方式 column is there but empty: the way comes from the outcome text
    assert plain["resolution_type"].isna().all()
    typed = cases.assign(resolution_type=pd.array(["", "化解"], dtype="string"))
    out = find_precedents(typed, "Q", k=1)
    assert out["resolution"].iloc[0] == "化解"
    assert out["resolution_type"].iloc[0] == "化解"


def test_resolved_flag_and_date_count_as_resolved():
    cases = _frame(
        [
            {"case_id": "Q", "summary": "拖欠工资"},
            {"case_id": "P", "summary": "拖欠工资问题"},
        ]
    ).assign(received_date=pd.Timestamp("2026-01-01"))
    assert find_precedents(cases, "Q", k=1).empty
    flagged = cases.assign(resolved_flag=[False, True])
    assert find_precedents(flagged, "Q", k=1)["case_id"].tolist() == ["P"]


def test_stopped_after_answer():
    cases = _frame(
        [
            # chain 0: answered, came back 30 days later; then answered and silent
            {"received_date": "2025-01-01", "closed_date": "2025-02-01"},
            {"received_date": "2025-03-03", "closed_date": "2025-04-01"},
            # chain 1: answered long ago, never came back
            {"received_date": "2025-01-01", "closed_date": "2025-01-20"},
            # chain 2: answered recently: too early to tell
            {"received_date": "2026-10-01", "closed_date": "2026-11-01"},
            # chain 3: no answer
            {"received_date": "2026-10-01"},
        ]
    )
    chains = np.array([0, 0, 1, 2, 3])
    out = stopped_after_answer(cases, chains, quiet_days=180, as_of=pd.Timestamp("2026-11-20"))
    assert out.tolist() == [False, True, True, pd.NA, pd.NA]


def test_index_must_match_the_cases_and_k_checked(enriched):
    idx = PrecedentIndex().fit(enriched.head(100))
    with pytest.raises(ValueError, match="index"):
        find_precedents(enriched, enriched["case_id"].iloc[0], index=idx)
    with pytest.raises(ValueError, match="k"):
        idx.query(enriched["case_id"].iloc[0], k=0)
    with pytest.raises(KeyError):
        idx.query(["no-such-case"])


def test_summaries_of_precedents_are_masked():
    cases = _frame(
        [
            {"case_id": "Q", "summary": "拖欠工资问题，电话13812345678"},
            {
                "case_id": "P",
                "petitioner": "张伟",
                "summary": "张伟反映拖欠工资问题，电话13812345678",
            },
        ]
    ).assign(received_date=pd.Timestamp("2026-01-01"), closed_date=pd.Timestamp("2026-02-01"))
    out = find_precedents(cases, "Q", k=1)
    text = out["summary"].iloc[0]
    assert "张伟" not in text and "13812345678" not in text
    assert "petitioner" not in out.columns


def test_shared_terms_and_the_query_s_person_are_masked():
    # the shared terms are runs of both texts: a name both mention was shown as evidence; and a
    # precedent's summary may name the person of the query case
    cases = _frame(
        [
            {"case_id": "Q", "petitioner": "李建华", "summary": "张建国家隔壁工地拖欠工资问题"},
            {
                "case_id": "P",
                "petitioner": "张建国",
                "summary": "张建国和李建华反映工地拖欠工资问题",
            },
        ]
    ).assign(received_date=pd.Timestamp("2026-01-01"), closed_date=pd.Timestamp("2026-02-01"))
    out = find_precedents(cases, "Q", k=1)
    terms, summary = out["shared_terms"].iloc[0], out["summary"].iloc[0]
    assert "拖欠工资" in terms and "张建国" not in terms
    assert "拖欠工资" in summary and "张建国" not in summary and "李建华" not in summary


def test_outcomes_of_precedents_are_masked():
    # the outcome is free text too, and the panel shows it as 化解方式 when there is no type
    cases = _frame(
        [
            {"case_id": "Q", "summary": "拖欠工资问题"},
            {
                "case_id": "P",
                "petitioner": "张伟",
                "summary": "拖欠工资问题",
                "outcome": "已向张伟答复，电话13812345678",
            },
        ]
    ).assign(received_date=pd.Timestamp("2026-01-01"), closed_date=pd.Timestamp("2026-02-01"))
    out = find_precedents(cases, "Q", k=1)
    for name in ("outcome", "resolution"):
        text = out[name].iloc[0]
        assert "已" in text and "张伟" not in text and "13812345678" not in text


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet="拖欠工资征地补偿噪音扰民低保", min_size=2, max_size=12),
            st.sampled_from(["城乡建设", "民政", "未分类"]),
            st.integers(0, 6),
            st.booleans(),
        ),
        min_size=2,
        max_size=40,
    ),
    st.integers(1, 6),
)
def test_pruned_query_equals_brute_force(rows, k):
    """The query looks only at texts that could reach the k-th score: the answer must be the
    brute-force ranking (every case scored, filtered, best case per matter)."""
    cases = _frame(
        [
            {
                "case_id": f"C{i}",
                "summary": text,
                "category": cat,
                "chain_id": f"P{chain}-1",
                "closed_date": "2026-01-05" if closed else None,
            }
            for i, (text, cat, chain, closed) in enumerate(rows)
        ]
    ).assign(received_date=pd.Timestamp("2026-01-01"))
    idx = PrecedentIndex().fit(cases)
    q = 0
    got = idx.query("C0", k=k, evidence=False)
    cos = idx.text_scores(rows[q][0])[idx._text_of]
    w = idx.weights
    same = (idx._category == idx._category[q]) & (idx._category[q] >= 0)
    score = w["text"] * cos + w["category"] * same
    ok = (cos > 1e-9) & idx._resolved & (idx._chain != idx._chain[q])
    order = [i for i in np.lexsort((np.arange(len(rows)), -score)) if ok[i]]
    best, seen = [], set()
    for i in order:
        if idx._chain[i] not in seen:
            seen.add(idx._chain[i])
            best.append(f"C{i}")
    assert got["case_id"].tolist() == best[:k]


def test_a_person_of_another_case_named_in_a_precedent_is_masked():
    """A precedent's summary may name the petitioner of another case without any cue word
    (反映邻居王建国…): every person the indexed cases know is masked, not only the answer's own."""
    cases = _frame(
        [
            {"case_id": "A", "petitioner": "王建国", "summary": "要求解决宅基地确权问题"},
            {"case_id": "B", "petitioner": "李秀英", "summary": "反映邻居王建国占用耕地建房"},
            {"case_id": "C", "petitioner": "赵四海", "summary": "单位拖欠工资三个月未发放"},
        ]
    ).assign(received_date=pd.Timestamp("2026-01-01"), closed_date=pd.Timestamp("2026-01-05"))
    # only B answers: 王建国's own case (A) is not among the rows shown
    out = find_precedents(cases, "村民占用耕地建房要求处理", k=1, resolved_only=False)
    assert out["case_id"].tolist() == ["B"]
    shown = " ".join(str(v) for col in out.columns for v in out[col].tolist())
    assert "王建国" not in shown and "李秀英" not in shown
    assert "王*国" in shown  # masked, not dropped: the reader still sees a person is named


def test_a_frame_built_by_hand_with_a_repeated_column_name_is_read():
    """known_names takes columns by position: two columns both named 备注 (a frame an analyst
    put together) neither break the precedents nor hide the names written in either."""
    cases = _frame(
        [
            {"case_id": "A", "petitioner": "王建国", "summary": "反映占用耕地建房"},
            {"case_id": "B", "petitioner": "李秀英", "summary": "反映邻居占用耕地建房"},
        ]
    ).assign(received_date=pd.Timestamp("2026-01-01"), closed_date=pd.Timestamp("2026-01-05"))
    notes = pd.DataFrame({"备注": ["其妻赵桂兰来访", ""], "x": ["", "邻居周海涛代为反映"]})
    notes.columns = ["备注", "备注"]
    cases = pd.concat([cases, notes], axis=1)
    cases.loc[1, "summary"] = "反映赵桂兰占用耕地建房"
    out = find_precedents(cases, "占用耕地建房", k=2, resolved_only=False)
    assert len(out) == 2
    shown = " ".join(str(v) for v in out["summary"].tolist())
    assert "赵桂兰" not in shown and "赵*兰" in shown


def test_a_case_is_found_by_its_number_when_other_cases_have_none():
    """Monthly ledgers leave some case numbers empty: querying a numbered case still works
    (the comparison with a missing number was an error: boolean value of NA is ambiguous)."""
    cases = _frame(
        [
            {"case_id": "A", "petitioner": "王建国", "summary": "反映占用耕地建房"},
            {"case_id": "B", "petitioner": "李秀英", "summary": "反映邻居占用耕地建房"},
            {"case_id": None, "petitioner": "赵四海", "summary": "反映村里占用耕地建房"},
            {"case_id": None, "petitioner": "钱五", "summary": "单位拖欠工资"},
        ]
    ).assign(received_date=pd.Timestamp("2026-01-01"), closed_date=pd.Timestamp("2026-01-05"))
    out = find_precedents(cases, "B", k=2, resolved_only=False)
    assert len(out) >= 1 and (out["query_case_id"] == "B").all()
