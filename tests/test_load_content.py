"""The loader reads columns by what they hold, not only by what they are called (issue 28).

Fixtures: tests/fixtures_content.py (four layouts of real systems, built in code). The gap
tests use only public names, so that each of them fails on the loader that matched headers by
their text alone; unit tests of the new modules import them where they are used.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import string

import numpy as np
import openpyxl
import pandas as pd
import pytest
from fixtures_content import (
    english_platform_export,
    hotline_placeholders,
    survey_import_template,
    web_messages_headerless_csv,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinfang_toolkit import compute_deadlines, link_repeats, load_cases
from xinfang_toolkit.clean import id_check_digit

TODAY = "2026-01-01"


def _mapping(result, sheet=None) -> dict[str, str]:
    cols = result.columns
    if sheet is not None:
        cols = cols[cols["sheet"] == sheet]
    return {c: h for h, c in zip(cols["header"], cols["canonical"], strict=True) if c}


def _same(got: pd.Series, want: pd.Series) -> None:
    got = got.reset_index(drop=True)
    want = want.reset_index(drop=True)
    if pd.api.types.is_datetime64_any_dtype(want):
        pd.testing.assert_series_equal(got, want.astype("datetime64[ns]"), check_names=False)
    else:
        assert got.astype(object).where(got.notna(), None).tolist() == want.tolist()


# --- a CSV export saved without its header row --------------------------------------------------
def test_headerless_csv_every_row_a_case_mapped_by_content(tmp_path):
    want = web_messages_headerless_csv(tmp_path / "留言导出.csv")
    result = load_cases(tmp_path / "留言导出.csv", today=TODAY)
    assert len(result.cases) == len(want) and result.excluded.empty  # row 1 is a case too
    assert result.cases["source_row"].tolist() == list(range(1, len(want) + 1))
    mapping = _mapping(result)
    assert mapping == {
        "case_id": "列A",
        "received_date": "列B",
        "account_id": "列C",
        "summary": "列E",
        "phone": "列F",
        "closed_date": "列G",
        "status_text": "列I",
    }
    cols = result.columns.set_index("header")
    assert (cols.loc[list(mapping.values()), "how"] == "按内容").all()
    assert cols.loc["列B", "evidence"] == "100% 日期时间"
    for col in ("case_id", "received_date", "received_time", "account_id", "summary", "phone"):
        _same(result.cases[col], want[col])
    _same(result.cases["closed_date"], want["closed_date"])
    sheet_issue = result.issues[result.issues["source_row"].isna()]["problem"].str.cat()
    assert "没有表头行" in sheet_issue and "按内容" in sheet_issue


# --- an export headed by a platform's English field names ---------------------------------------
def test_english_field_names_mapped_by_content(tmp_path):
    want = english_platform_export(tmp_path / "export.xlsx")
    result = load_cases(tmp_path / "export.xlsx", today=TODAY)
    assert len(result.cases) == len(want)
    assert _mapping(result) == {
        "case_id": "id",
        "received_date": "create_time",
        "account_id": "user_id",
        "petitioner": "contact_name",
        "phone": "contact_phone",
        "summary": "content",
        "status_text": "status",
        "closed_date": "reply_time",
    }
    for col in ("case_id", "received_date", "petitioner", "phone", "summary", "status_text"):
        _same(result.cases[col], want[col])
    # the reply text is kept under its own name, nothing dropped
    assert "reply_content" in result.cases.columns
    assert "按内容判断的列" in result.summary()


# --- a hotline export with placeholder callers and a status column ------------------------------
def test_placeholders_are_no_persons(tmp_path):
    want = hotline_placeholders(tmp_path / "12345.xlsx")
    result = load_cases(tmp_path / "12345.xlsx", today=TODAY)
    cases = result.cases
    _same(cases["petitioner"], want["petitioner"])  # kept as written for display
    problems = result.issues[result.issues["problem"].str.contains("占位", na=False)]
    # counted once per sheet and column, not once per cell
    assert sorted(problems["column"]) == ["petitioner", "phone"]
    n_callers = int(want["petitioner"].isin(["市民", "匿名", "某女士"]).sum())
    assert (
        f"有 {n_callers} 件是占位写法" in problems.set_index("column").loc["petitioner", "problem"]
    )


def test_repeat_linking_never_joins_through_placeholders(tmp_path):
    want = hotline_placeholders(tmp_path / "12345.xlsx")
    cases = load_cases(tmp_path / "12345.xlsx", today=TODAY).cases
    linked = link_repeats(cases)
    placeholder = want["petitioner"].isin(["市民", "匿名", "某女士"]).to_numpy()
    assert linked.loc[placeholder, "person_key"].isna().all()
    # no two cases joined through 市民 + 12345 (the same matter, the same "person")
    assert not linked.loc[placeholder, "is_repeat"].any()
    assert linked.loc[placeholder, "chain_id"].is_unique


def test_status_column_feeds_closure_without_closing_date(tmp_path):
    want = hotline_placeholders(tmp_path / "12345.xlsx")
    result = load_cases(tmp_path / "12345.xlsx", today=TODAY)
    assert _mapping(result)["status_text"] == "工单状态"
    done = compute_deadlines(result.cases, today="2025-06-01")
    closed = want["status_text"].isin(["办结", "已办结"]).to_numpy()
    assert (done.loc[closed, "status"] == "已办结").all()
    assert (done.loc[~closed, "status"] != "已办结").all()  # 已转办待回复, 退回: still open


# --- an import template with a hint row, a survey date and a yes/no column -----------------------
def test_template_hint_row_survey_date_and_yes_no_column(tmp_path):
    want = survey_import_template(tmp_path / "调研.xlsx")
    result = load_cases(tmp_path / "调研.xlsx", today=TODAY)
    assert len(result.cases) == len(want)
    hint = result.excluded[result.excluded["source_row"] == 3]
    assert len(hint) == 1 and "导入模板" in hint["reason"].iloc[0]
    mapping = _mapping(result)
    assert mapping["received_date"] == "投诉发生时间"  # not 调研日期
    _same(result.cases["received_date"], want["received_date"])
    assert mapping["summary"] == "具体情况"  # the text, found by its values
    _same(result.cases["summary"], want["summary"])
    assert "诉求是否解决" not in mapping.values()  # a yes/no column is no summary ...
    assert result.cases["诉求是否解决"].tolist() == want["resolved"].tolist()  # ... kept as is
    demoted = result.issues["problem"].str.contains("诉求是否解决", na=False)
    text = result.issues.loc[demoted, "problem"].iloc[0]
    assert "反映问题" in text and "是/否" in text  # names both, and says why
    cols = result.columns.set_index("header")
    assert cols.loc["具体情况", "how"] == "按内容"
    assert cols.loc["具体情况", "evidence"].endswith("字")


def test_rows_without_case_content_are_excluded(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    for row in [
        ["登记日期", "信访人", "信访形式", "内容分类", "反映问题"],
        ["2025-03-05", "张三", "来访", "城乡建设", "路灯不亮"],
        [None, None, "来信", "民政", None],  # no date, person, summary, id or number
        ["2025-03-07", None, None, None, "拆迁补偿"],
    ]:
        ws.append(row)
    wb.save(tmp_path / "a.xlsx")
    result = load_cases(tmp_path / "a.xlsx", today=TODAY)
    assert result.cases["source_row"].tolist() == [2, 4]
    row = result.excluded[result.excluded["source_row"] == 3]
    assert len(row) == 1 and "没有案件内容" in row["reason"].iloc[0]


# --- a 续表 (issue 23): a sheet without a header row, after one with it --------------------------
def _id(rng: random.Random) -> str:
    first = f"410122{rng.randrange(1950, 2000)}0{rng.randrange(1, 10)}1{rng.randrange(10)}"
    first += f"{rng.randrange(1000):03d}"
    return first + id_check_digit(first)


def test_continuation_sheet_rows_are_cases_and_messages_quote_nothing(tmp_path):
    rng = random.Random(7)
    header = ["序号", "登记日期", "信访人", "身份证号", "联系电话", "反映问题"]

    def rows(start: int, n: int) -> list[list[object]]:
        return [
            [
                start + i,
                f"2025-04-{i + 1:02d}",
                f"王{'伟芳娜敏静'[i % 5]}{'强磊军'[i % 3]}",
                _id(rng),
                f"139{rng.randrange(10**8):08d}",
                f"反映第{start + i}号小区供暖不热，多次报修无人处理",
            ]
            for i in range(n)
        ]

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    for row in [header, *rows(1, 8)]:
        ws.append(row)
    more = wb.create_sheet("续表")
    body = rows(9, 8)
    for row in body:
        more.append(row)
    odd = wb.create_sheet("杂项")  # nothing recognisable: refused, its rows listed by number
    odd.append(["张秀兰", "13800138000"])
    odd.append(["李四", "13900139000"])
    wb.save(tmp_path / "台账.xlsx")
    result = load_cases(tmp_path / "台账.xlsx", today=TODAY)
    cont = result.cases[result.cases["source_sheet"] == "续表"]
    assert cont["source_row"].tolist() == list(range(1, 9))
    assert cont["petitioner"].tolist() == [r[2] for r in body]  # the first sheet's header
    assert cont["phone"].tolist() == [r[4] for r in body]
    cont_cols = result.columns[result.columns["sheet"] == "续表"]
    assert (
        dict(zip(cont_cols["header"], cont_cols["canonical"], strict=True))["身份证号"]
        == "id_number"
    )
    assert "续表" in " ".join(result.issues["problem"].fillna(""))
    assert cont["summary"].tolist() == [r[5] for r in body]
    assert cont["id_number"].tolist() == [r[3] for r in body]
    refused = result.excluded[result.excluded["source_sheet"] == "杂项"]
    assert refused["source_row"].tolist() == [1, 2]
    text = " ".join(result.issues["problem"].fillna("")) + " ".join(result.excluded["content"])
    text += " ".join(result.sources["status"].astype(str))
    for secret in ["张秀兰", "13800138000", *(r[3] for r in body), *(r[4] for r in body)]:
        assert secret not in text
    assert "第 1 行" in " ".join(result.issues["problem"].fillna(""))


# --- property: shuffled and renamed columns of a known ledger -----------------------------------
def _ledger(n: int, seed: int) -> pd.DataFrame:
    rng = random.Random(seed)
    start = dt.datetime(2024, 1, 1)
    rows = []
    for _ in range(n):
        when = start + dt.timedelta(minutes=rng.randrange(0, 500_000))
        rows.append(
            {
                "received": f"{when:%Y-%m-%d %H:%M:%S}",
                "summary": "反映"
                + rng.choice(["村里", "小区", "单位"])
                + "的"
                + rng.choice(
                    [
                        "道路破损严重多年无人修缮",
                        "拖欠工资三个月至今未发放到位",
                        "噪音扰民问题长期得不到解决",
                    ]
                ),  # fmt: skip
                "id": _id(rng),
                "phone": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                "unit": rng.choice(["住建局", "人社局", "城关镇"]),
                "n": str(rng.randrange(1, 4)),
            }
        )
    return pd.DataFrame(rows)


_NAMES = st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=8).map(lambda s: "q_" + s)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10_000),
    order=st.permutations(range(6)),
    names=st.lists(_NAMES, min_size=6, max_size=6, unique=True),
    header=st.booleans(),
)
def test_content_mapping_recovers_shuffled_renamed_columns(tmp_path, seed, order, names, header):
    known = _ledger(12, seed)
    cols = [known.columns[k] for k in order]
    path = tmp_path / f"l{seed}.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        if header:
            writer.writerow(names)
        writer.writerows(known[cols].itertuples(index=False))
    result = load_cases(path, today=TODAY)
    cases = result.cases
    assert len(cases) == len(known)
    assert (
        cases["received_date"].tolist() == pd.to_datetime(known["received"]).dt.normalize().tolist()
    )
    assert cases["summary"].tolist() == known["summary"].tolist()
    assert cases["id_number"].tolist() == known["id"].tolist()
    assert cases["phone"].tolist() == known["phone"].tolist()


# --- the editor still confirms and corrects a mapping made by content ---------------------------
def test_mapping_editor_corrects_content_mapping_and_profile_applies(tmp_path):
    from xinfang_toolkit.widgets import MappingEditor

    english_platform_export(tmp_path / "export.xlsx")
    first = load_cases(tmp_path / "export.xlsx", today=TODAY)
    editor = MappingEditor(first.columns, path=tmp_path / "表头映射.yaml")
    keys = [k[2] for k in editor._keys]
    editor.header.value = keys.index("reply_content")
    editor.target.value = "outcome"
    editor.apply()
    editor.save()
    again = load_cases(tmp_path / "export.xlsx", mapping=tmp_path / "表头映射.yaml", today=TODAY)
    table = again.columns.set_index("header")
    assert table.loc["reply_content", "canonical"] == "outcome"
    assert table.loc["reply_content", "how"] == "人工指定"
    assert table.loc["create_time", "canonical"] == "received_date"
    assert again.cases["outcome"].notna().sum() == first.cases["reply_content"].notna().sum()


# --- units of the new modules -------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, kind",
    [
        ("2019/4/25 9:32:09", "datetime"),
        (dt.datetime(2024, 3, 5, 10, 1), "datetime"),
        (dt.datetime(2024, 3, 5), "date"),
        ("2024年3月5日", "date"),
        ("110101198805051237", "id"),
        ("13812345678", "phone"),
        ("0571-88889999", "phone"),
        ("是", "yesno"),
        ("已转办待回复", "status"),
        ("基本满意", "satisfaction"),
        ("走访", "channel"),
        ("赴省", "level"),
        ("城乡建设", "category"),
        ("GD2019000123", "code"),
        ("3人", "number"),
        ("张秀兰", "name"),
        ("市民", "name"),
        ("住建局", "text"),
        ("小区路灯损坏多日无人维修，夜间出行不便", "longtext"),
        ("", None),
    ],
)
def test_kind_of(value, kind):
    from xinfang_toolkit.load._values import kind_of

    assert kind_of(value) == kind


def test_profile_fit_and_contradiction():
    from xinfang_toolkit.load._values import contradiction, fit, profile_values

    yesno = profile_values(["是", "否", "是", "是", "否", "否"])
    assert contradiction(yesno, "longtext", strict=False) == "100% 是/否"
    assert contradiction(yesno, "longtext", strict=True) is None  # too few cells to overrule
    dates = profile_values([f"2024-01-0{d}" for d in range(1, 10)] + ["见附件"])
    assert fit(dates, "date") == pytest.approx(0.9)
    assert contradiction(dates, "date", strict=False) is None
    assert dates.evidence() == "90% 日期"


def test_propose_dates_in_row_order():
    from xinfang_toolkit.load._values import profile_values, propose

    sent = [f"2024-03-{d:02d} 10:00:00" for d in range(1, 11)]
    replied = [f"2024-03-{d + 5:02d} 09:00:00" for d in range(1, 11)]
    found = propose({0: profile_values(replied), 1: profile_values(sent)}, taken=set())
    assert found[1].canonical == "received_date" and found[0].canonical == "closed_date"


def test_placeholder_vocabulary():
    from xinfang_toolkit._placeholders import is_placeholder, placeholder_mask

    for name in [
        "市民",
        "匿名",
        "无",
        "不详",
        "某先生",
        "某女士",
        "XX",
        "ｘｘ",
        "群众",
        "张某",
        " 市 民 ",
    ]:
        assert is_placeholder(name, "petitioner"), name
    for name in ["张秀兰", "阿卜杜热合曼·艾买提", "Mary Johnson"]:
        assert not is_placeholder(name, "petitioner"), name
    assert is_placeholder("000000000000000000", "id_number")
    assert not is_placeholder("110101198805051237", "id_number")
    assert is_placeholder("12345", "phone") and not is_placeholder("13812345678", "phone")
    values = ["市民", "张秀兰", None, np.nan, "", "匿名"]
    assert placeholder_mask(values, "petitioner").tolist() == [
        True,
        False,
        False,
        False,
        False,
        True,
    ]
    assert not placeholder_mask(["市民"], "summary").any()  # not a personal column


def test_person_keys_skip_placeholders():
    from xinfang_toolkit.privacy import person_key, person_keys

    frame = pd.DataFrame(
        {
            "petitioner": ["市民", "市民", "张三", "张三"],
            "phone": ["12345", "13812345678", "13812345678", "13812345678"],
            "id_number": ["000000000000000000", None, None, None],
        }
    )
    keys = person_keys(frame)
    assert keys.isna().tolist() == [True, True, False, False] and keys[2] == keys[3]
    assert person_key(name="市民", phone="13812345678") is None


def test_status_words():
    from xinfang_toolkit.analysis._deadlines import status_state

    assert [
        status_state(t) for t in ["办结", "已办结", "完成", "办理中", "已转办待回复", "退回"]
    ] == [
        "已办结",
        "已办结",
        "已办结",
        "办理中",
        "办理中",
        "退回",
    ]
    assert status_state("未办结") == "办理中" and status_state("") is None


def test_hint_cells():
    from xinfang_toolkit.load._rows import is_hint

    assert all(map(is_hint, ["日期选择", "有下拉框选择", "必填", "文本", "请选择"]))
    assert not any(map(is_hint, ["张三", "反映问题", "2024-01-01", "满意"]))
