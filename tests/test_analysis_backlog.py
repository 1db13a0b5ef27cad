"""Backlog flags and reasons, priority components and order, enrich and kpis together."""

from __future__ import annotations

import pandas as pd
import pytest

from xinfang_toolkit.analysis import (
    ENRICH_COLUMNS,
    backlog_table,
    enrich,
    flag_backlog,
    is_backlog_at,
    kpis,
)
from xinfang_toolkit.synth import generate_cases

TODAY = "2026-11-20"
A, B, C, D = (f"41012219800101{n:03d}X" for n in range(4))


def _cases():
    rows = [
        # id, case, received, closed, level, persons, summary, backlog_flag
        (A, "a1", "2025-01-10", "2025-02-01", "市", 1, "要求补发征地补偿款", None),
        (A, "a2", "2025-06-10", "2025-07-01", "省", 1, "再次要求补发征地补偿款", None),
        (A, "a3", "2025-12-10", None, "国家", 1, "第三次要求补发征地补偿款", None),
        (B, "b1", "2026-08-01", None, "乡镇", 12, "要求解决村集体土地租金分配", None),
        (C, "c1", "2026-10-01", None, "县区", 1, "反映噪音扰民", "是"),
        (D, "d1", "2026-10-01", None, "县区", 1, "反映道路破损", None),
    ]
    df = pd.DataFrame(
        rows,
        columns=["id_number", "case_id", "received_date", "closed_date", "visit_level",
                 "person_count", "summary", "backlog_flag"],
    )  # fmt: skip
    df["petitioner"] = "某人"
    df["channel"] = ["来访", "来访", "来访", "来访", "来信", "来访"]
    for c in ("received_date", "closed_date"):
        df[c] = pd.to_datetime(df[c])
    df["person_count"] = df["person_count"].astype("Int64")
    return df


def test_backlog_flags_and_reasons():
    out = flag_backlog(_cases(), today=TODAY).set_index("case_id")
    # a3: due 2026-02-08, open -> 285 days overdue; chain a1-a3: 3 cases over 334 days
    assert out.loc["a3", "overdue_days"] == 285
    assert out.loc["a3", "backlog_reason"] == "超期未办结285天；同一事项信访3次，跨度334天"
    # a1, a2 were closed before today: never 积案 on that day, though their matter still is
    assert pd.isna(out.loc["a1", "backlog_reason"]) and pd.isna(out.loc["a2", "backlog_reason"])
    # b1: due 2026-09-30 -> 51 days overdue
    assert out.loc["b1", "backlog_reason"] == "超期未办结51天"
    assert out.loc["c1", "backlog_reason"] == "台账标记为积案"
    assert not out.loc["d1", "is_backlog"] and pd.isna(out.loc["d1", "backlog_reason"])
    assert out["is_backlog"].tolist() == [False, False, True, True, True, False]
    # stricter chain rule: 4 submissions needed -> a3 is still backlog (overdue), no chain reason
    assert (
        flag_backlog(_cases(), today=TODAY, min_cases=4)
        .set_index("case_id")
        .loc["a3", "backlog_reason"]
        == "超期未办结285天"
    )
    strict = flag_backlog(_cases(), today=TODAY, min_cases=4).set_index("case_id")
    assert strict["is_backlog"].tolist() == [False, False, True, True, True, False]


def test_long_chain_is_backlog_only_while_the_matter_is_open():
    cases = _cases()
    cases.loc[cases["case_id"] == "a3", "closed_date"] = pd.Timestamp("2026-01-20")
    out = flag_backlog(cases, today=TODAY).set_index("case_id")
    # chain a1-a3 still spans 334 days with 3 submissions, but every one of them is closed
    assert not out.loc[["a1", "a2", "a3"], "is_backlog"].any()
    assert out.loc[["a1", "a2", "a3"], "backlog_reason"].isna().all()
    # (with a3 open the same chain is backlog: test_backlog_flags_and_reasons)


def test_backlog_table_priority_components_and_order():
    t = backlog_table(flag_backlog(_cases(), today=TODAY))
    assert len(t) == 3  # one row per matter: chain a, b1, c1
    by = t.set_index("latest_case")
    a = by.loc["a3"]
    assert a["case_ids"] == ["a1", "a2", "a3"] and a["cases"] == 3 and a["span_days"] == 334
    assert a["visit_level"] == "国家" and a["repeat_count"] == 2 and a["overdue_days"] == 285
    assert (a["c_overdue"], a["c_repeats"], a["c_escalation"], a["c_persons"]) == (
        1.0,
        0.4,
        1.0,
        0.0,
    )
    assert a["priority"] == pytest.approx(100 * (0.35 + 0.25 * 0.4 + 0.25 * 1.0))  # 70.0
    b = by.loc["b1"]
    assert b["c_overdue"] == pytest.approx(51 / 180) and b["c_persons"] == 1.0
    assert b["priority"] == pytest.approx(round(100 * (0.35 * 51 / 180 + 0.15), 1))  # 24.9
    c = by.loc["c1"]
    assert c["overdue_days"] == 0 and c["c_escalation"] == 0.25
    assert c["priority"] == pytest.approx(6.2)  # 100 * 0.25 * 0.25 = 6.25, rounded half-even
    assert t["latest_case"].tolist() == ["a3", "b1", "c1"] and t["rank"].tolist() == [1, 2, 3]
    easy = backlog_table(flag_backlog(_cases(), today=TODAY), order="easy_first")
    assert easy["latest_case"].tolist() == ["c1", "b1", "a3"]
    persons_only = backlog_table(
        flag_backlog(_cases(), today=TODAY),
        weights={"overdue": 0, "repeats": 0, "escalation": 0, "persons": 1},
    )
    assert persons_only["latest_case"].iloc[0] == "b1"
    assert persons_only.attrs["weights"]["persons"] == 1
    with pytest.raises(ValueError, match="未知的权重"):
        backlog_table(_cases(), weights={"mood": 1}, today=TODAY)
    with pytest.raises(ValueError, match="order"):
        backlog_table(_cases(), order="hard", today=TODAY)


def test_enrich_adds_every_column_and_kpis_count_cases():
    df = _cases()
    out = enrich(df, today=TODAY)
    assert list(out.columns[: len(df.columns)]) == list(df.columns)
    assert all(c in out.columns for c in ENRICH_COLUMNS)
    assert out["is_group"].tolist() == [False, False, False, True, False, False]
    # c1 is a letter to 县区: never 越级访
    assert out["is_skip_level"].tolist() == [True, True, True, False, False, True]
    assert out["is_repeat"].tolist() == [False, True, True, False, False, False]
    k = kpis(out)
    assert k["backlog"] == 3 and k["repeats"] == 2 and k["group_visits"] == 1
    assert k["closed"] == 2 and k["on_time_rate"] == 1.0 and k["overdue"] == 2
    assert k["persons"] == 17
    grouped = enrich(df, today=TODAY, group_threshold=13, responsible_level="市")
    assert not grouped["is_group"].any()
    assert grouped["is_skip_level"].tolist() == [False, True, True, False, False, False]
    assert k["backlog.matters"] == 3 and k["as_of"] == pd.Timestamp(TODAY)


def test_label_columns_in_chinese():
    from xinfang_toolkit.analysis import label_columns

    t = backlog_table(flag_backlog(_cases(), today=TODAY))
    zh = label_columns(t)
    assert list(zh.columns[:3]) == ["序号", "事项链", "优先级"]
    assert "超期分" in zh.columns and "原因" in zh.columns and "办理状态" in zh.columns
    assert list(t.columns[:2]) == ["rank", "chain_id"]  # the input keeps its names


def test_every_function_accepts_empty_and_sparse_frames():
    from xinfang_toolkit import schema
    from xinfang_toolkit.analysis import (
        date_issues,
        escalation_table,
        find_hotspots,
        group_visits,
        repeat_chains,
    )

    for df in (schema.empty_cases(), pd.DataFrame({"summary": ["要求补偿"]})):
        out = enrich(df, today=TODAY)
        assert len(out) == len(df)
        assert kpis(out)["cases"] == 0  # no received date: counted on no day
        assert backlog_table(out).empty and find_hotspots(out).empty
        assert repeat_chains(out).empty
        # no channel: no visit (letters and calls go to no level and are no 个访)
        assert escalation_table(out, by=None).loc["合计", "合计批次"] == 0
        assert escalation_table(out, by=None, visits_only=False).loc["合计", "合计批次"] == len(df)
        assert group_visits(out).loc["合计", "批次"] == 0
        assert group_visits(out, visits_only=False).loc["合计", "批次"] == len(df)
        assert len(date_issues(out)) == len(df)  # the row without received_date


def test_open_at_is_the_one_definition_of_still_open_on_a_day():
    from xinfang_toolkit.analysis import open_at

    cases = pd.DataFrame(
        {
            "received_date": pd.to_datetime(
                ["2026-10-01", "2026-10-01", "2026-10-01", "2026-11-05", "2026-10-01"]
            ),
            "closed_date": pd.to_datetime([None, "2026-11-10", "2026-10-05", None, None]),
            "closed_flag": [False, False, False, False, True],
        }
    )
    got = open_at(cases, pd.Timestamp("2026-10-31")).tolist()
    # open; closed after the day (open then); closed; not yet received; 已办结 without a date
    assert got == [True, True, False, False, False]


def test_chain_codes_given_or_not_the_same_parts():
    """The figure registry's path (the frame's chain codes found once, given for each day) and
    the public one (found on each call) judge the same."""
    from xinfang_toolkit.analysis import backlog_parts_at
    from xinfang_toolkit.analysis._backlog import _backlog_parts, _is_backlog, chain_codes

    cases = enrich(generate_cases(400, seed=5), today="2026-11-20")
    cases.loc[cases.index[::7], "chain_id"] = pd.NA  # missing chains are grouped with nothing
    codes = chain_codes(cases)
    assert (codes[::7] == -1).all() and (codes >= -1).all()
    for day in ("2025-03-31", "2025-12-31", "2026-11-20"):
        pd.testing.assert_frame_equal(
            _backlog_parts(cases, day, codes), backlog_parts_at(cases, day)
        )
        pd.testing.assert_series_equal(_is_backlog(cases, day, codes), is_backlog_at(cases, day))
    assert (chain_codes(cases.drop(columns=["chain_id"])) == -1).all()


def test_the_registry_counts_as_the_public_functions():
    """积案 and 化解 figures (chain codes found once per frame) agree with is_backlog_at and
    settled_at (found on each call)."""
    from xinfang_toolkit.analysis import Scope, figure, settled_at

    cases = enrich(generate_cases(800, seed=9), today="2026-11-20", group_threshold=3)
    scope = Scope.of(as_of="2026-11-20", start="2026-01-01", end="2026-11-20")
    end = is_backlog_at(cases, "2026-11-20")
    start = is_backlog_at(cases, "2025-12-31")
    pd.testing.assert_series_equal(figure("backlog.end").rows(cases, scope), end)
    pd.testing.assert_series_equal(figure("backlog.start").rows(cases, scope), start)
    settled = figure("backlog.settled").rows(cases, scope)
    by_public = start & ~end & settled_at(cases, "2026-11-20")
    assert settled.any()
    pd.testing.assert_series_equal(settled, by_public, check_names=False)


def test_a_filter_shows_a_subset_of_the_same_backlog_facts():
    """Filter, then backlog: the matters touching the filtered rows, with the priority and
    reason computed on all the data (a filter that cuts a chain does not lower it)."""
    from xinfang_toolkit import load_cases

    cases = enrich(load_cases("sample_data").cases, today="2026-10-31")
    full = backlog_table(cases).set_index("chain_id")
    # the top matter's latest case only: the filter cuts its repeat chain
    top = full.index[0]
    chain = cases[cases["chain_id"] == top]
    assert len(chain) > 1
    latest = chain.sort_values("chain_seq").tail(1)
    assert backlog_table(latest)["priority"].iloc[0] < full.loc[top, "priority"]  # the trap
    one = backlog_table(cases, within=latest)
    assert list(one["chain_id"]) == [top] and one["rank"].tolist() == [1]
    assert one["priority"].iloc[0] == full.loc[top, "priority"]
    assert one["reason"].iloc[0] == full.loc[top, "reason"]
    # any filter: a subset of the same rows, the same facts, ranked within the subset
    for town in cases["locality"].dropna().unique()[:4]:
        kept = cases[cases["locality"] == town]
        sub = backlog_table(cases, within=kept.index).set_index("chain_id")
        touched = set(kept["chain_id"].dropna()) & set(full.index)
        assert set(sub.index) == touched
        cols = ["priority", "reason", "cases", "overdue_days"]
        pd.testing.assert_frame_equal(sub[cols], full.loc[sub.index, cols])
        assert sub["rank"].tolist() == list(range(1, len(sub) + 1))
