"""The figure registry and its definitions, each checked on a small ledger counted by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from xinfang_toolkit import summarize
from xinfang_toolkit.analysis import (
    FIGURES,
    Scope,
    enrich,
    figure,
    figure_rows,
    figure_table,
    figure_values,
    is_backlog_at,
    kpis,
)
from xinfang_toolkit.schema import conform_cases

DAY = "2026-06-30"
START = "2026-04-01"  # 期初 = the state on 2026-03-31
P = "41012219800101"


def _ledger() -> pd.DataFrame:
    # fmt: off
    rows = [
        # case, id, received, closed, channel, level, resp, persons, category, summary, backlog_flag
        ("v1", P + "001X", "2026-04-02", None, "来访", "市", None, 1, "征地拆迁", "要求补发征地补偿款", None),
        ("l1", P + "002X", "2026-04-03", None, "来信", "省", None, 1, "环保", "反映工厂排放污水", None),
        ("o1", P + "003X", "2026-04-04", None, "网上信访", "国家", None, 1, "", "反映小区物业服务差", None),
        ("v2", P + "004X", "2026-04-05", "2026-04-20", "来访", "县区", "县区", 6, "城建拆迁", "反映拆迁安置房质量问题", None),
        ("v3", P + "005X", "2026-04-06", "2026-04-25", "来访", "县区", None, 2, None, "要求解决拖欠工资问题", None),
        # backlog: closed before the day, open overdue, ledger flag closed later, long chain
        ("b1", P + "006X", "2026-01-05", "2026-03-20", "来信", None, None, 1, "民政", "申请低保救助", None),
        ("b2", P + "007X", "2026-01-10", None, "来信", None, None, 1, "民政", "申请困难救助", None),
        ("b3", P + "008X", "2026-03-01", "2026-05-10", "来信", None, None, 1, "劳动保障", "反映工伤认定", "是"),
        ("b4", P + "009X", "2026-06-20", None, "来信", None, None, 1, "劳动保障", "反映社保缴费问题", "是"),
        ("c1", P + "010X", "2025-06-01", "2025-07-01", "来访", "乡镇", None, 1, "土地纠纷", "要求解决宅基地纠纷问题", None),
        ("c2", P + "010X", "2025-10-01", "2025-11-01", "来访", "乡镇", None, 1, "土地纠纷", "再次要求解决宅基地纠纷问题", None),
        ("c3", P + "010X", "2026-06-01", None, "来访", "乡镇", None, 1, "土地纠纷", "第三次要求解决宅基地纠纷问题", None),
    ]
    # fmt: on
    cols = [
        "case_id",
        "id_number",
        "received_date",
        "closed_date",
        "channel",
        "visit_level",
        "responsible_level",
        "person_count",
        "category",
        "summary",
        "backlog_flag",
    ]  # fmt: skip
    df = pd.DataFrame(rows, columns=cols)
    df["petitioner"] = "某人"
    df["source_file"] = "手工台账.xlsx"
    df["source_sheet"] = "Sheet1"
    df["source_row"] = range(3, 3 + len(df))
    return conform_cases(df)


@pytest.fixture(scope="module")
def prepared() -> pd.DataFrame:
    return enrich(_ledger(), today=DAY)


def _ids(cases, mask) -> list[str]:
    return sorted(cases.loc[mask.to_numpy(), "case_id"])


def test_skip_level_is_visits_above_the_responsible_level(prepared):
    # v1: visit to 市, no responsible level -> default 乡镇: 越级. l1 a letter to 省 and o1 an
    # online petition to 国家: never 越级访. v2: visit to 县区 for a 县区 matter: not 越级.
    # v3: visit to 县区 for the default 乡镇: 越级. c1-c3: visits to 乡镇: not.
    assert _ids(prepared, prepared["is_skip_level"]) == ["v1", "v3"]
    k = kpis(prepared, today=DAY)
    assert (k["skip_level"], k["skip_level.persons"]) == (2, 3)


def test_backlog_on_a_day_and_the_identity(prepared):
    # on 2026-06-30: b1 closed 03-20 (never 积案 after), b2 open since 01-10, due 03-11:
    # overdue. b3 flagged but closed 05-10: not. b4 flagged and open: 积案. c1-c3 a chain of 3
    # over 365 days with c3 open: c3 积案, c1 c2 closed: not. v1, l1, o1 (received 04-02..04-04)
    # are due 06-01..06-03 and open: overdue.
    end = is_backlog_at(prepared, DAY)
    assert _ids(prepared, end) == ["b2", "b4", "c3", "l1", "o1", "v1"]
    # on 2026-03-31: b1 closed; b2 overdue (due 03-11); b3 flagged and open; c3 not received
    start = is_backlog_at(prepared, "2026-03-31")
    assert _ids(prepared, start) == ["b2", "b3"]
    k = kpis(prepared, today=DAY, start=START)
    assert (k["backlog.start"], k["backlog.resolved"], k["backlog.new"], k["backlog.end"]) == (
        2,
        1,  # b3: closed 05-10
        5,  # b4, c3, l1, o1, v1
        6,
    )
    assert k["backlog.end"] == k["backlog.start"] - k["backlog.resolved"] + k["backlog.new"]
    assert k["backlog.matters"] == 6  # each backlog case its own matter here
    assert bool(prepared.set_index("case_id").loc["c3", "is_backlog"])


def test_repeats_need_an_earlier_case_and_matters_are_chains(prepared):
    df = _ledger()
    df["repeat_flag"] = [True] + [False] * (len(df) - 1)  # v1 flagged, but a chain of one
    out = enrich(df, today=DAY)
    assert _ids(out, out["is_repeat"]) == ["c2", "c3"]
    k = kpis(out, today=DAY)
    assert (k["repeat.cases"], k["repeat.chains"]) == (2, 1)


def test_categories_are_national_classes_with_the_local_name_kept(prepared):
    by = prepared.set_index("case_id")
    assert (
        by.loc["v1", "category"] == "国土资源" and by.loc["v1", "category_original"] == "征地拆迁"
    )
    assert by.loc["v2", "category"] == "城乡建设" and by.loc["l1", "category"] == "环境保护"
    assert by.loc["c1", "category"] == "国土资源"
    assert prepared["category"].notna().all() and (prepared["category"] != "").all()
    # preparing twice changes nothing (the local name is read back from 原分类)
    again = enrich(prepared, today=DAY)
    assert again["category"].tolist() == prepared["category"].tolist()
    assert again["category_original"].tolist() == prepared["category_original"].tolist()


def test_rows_behind_a_figure_without_case_numbers(prepared):
    no_ids = prepared.assign(case_id=pd.NA)
    rows = figure_rows(no_ids, "skip_level", as_of=DAY)
    assert rows[["source_file", "source_sheet", "source_row"]].values.tolist() == [
        ["手工台账.xlsx", "Sheet1", 3],
        ["手工台账.xlsx", "Sheet1", 7],
    ]
    s = summarize(_ledger().assign(case_id=pd.NA), start=START, end=DAY)
    assert s.ids_for("skip_level") == [
        ("手工台账.xlsx", "Sheet1", 3),
        ("手工台账.xlsx", "Sheet1", 7),
    ]


def test_every_figure_the_same_in_kpis_and_summarize(prepared):
    s = summarize(_ledger(), start=START, end=DAY, today=DAY)
    k = kpis(prepared, today=DAY, start=START)
    for f in FIGURES:
        assert s.numbers[f.key] == k[f.key], f.key
        assert len(s.cases_for(f.key)) == int(f.rows(prepared, s_scope(s)).sum()), f.key
    # v1 l1 o1 v2 v3 b4 c3 received from 04-01 to 06-30
    assert figure_values(prepared, as_of=DAY, start=START)["cases"] == 7


def s_scope(summary):
    from xinfang_toolkit.analysis import Scope

    return Scope(as_of=summary.as_of, start=summary.start, end=summary.end)


def test_registry_is_data_with_chinese_names_and_units():
    keys = [f.key for f in FIGURES]
    assert len(keys) == len(set(keys))
    assert {f.unit for f in FIGURES} <= {"件", "批次", "人次", "个", "%", "天", "次"}
    assert figure("skip_level").name == "越级访" and "来访" in figure("skip_level").definition
    table = figure_table()
    assert list(table.columns) == ["指标", "单位", "口径说明"] and len(table) == len(FIGURES)
    with pytest.raises(KeyError, match="没有这个指标"):
        figure("nonsense")


def test_figure_rows_are_computed_once_per_frame_and_scope(prepared):
    scope = Scope.of(as_of=DAY, start=START)
    first = figure("satisfaction_rate").rows(prepared, scope)
    assert figure("satisfaction_rate").rows(prepared, scope) is first  # the memo
    other = prepared.iloc[:3]
    assert len(figure("satisfaction_rate").rows(other, scope)) == 3  # another frame: afresh
    assert figure("satisfaction_rate").rows(prepared, Scope.of(as_of=DAY)) is not first


def test_figure_series_shows_the_registry_values_under_their_labels():
    from xinfang_toolkit.analysis import HEADLINE_KEYS, figure_series

    k = kpis(enrich(_ledger(), today=DAY), today=DAY, start=START)
    shown = figure_series(k)
    assert shown.name == "数值" and len(shown) == len(HEADLINE_KEYS)
    assert shown["越级访（批次）"] == k["skip_level"]
    assert shown[figure("backlog.end").label] == k["backlog.end"]
    assert figure_series(k, ["cases"]).to_dict() == {figure("cases").label: k["cases"]}
    rate = figure_series({"on_time_rate": 0.9368}, ["on_time_rate"]).iloc[0]
    assert rate == "93.7%"  # a rate as the report writes it, not 0.9368
    assert figure_series({"on_time_rate": None}, ["on_time_rate"]).iloc[0] == "—"
    with pytest.raises(KeyError):
        figure_series(k, ["no.such.figure"])
