"""The small hand-counted ledger shared by the report, export and CLI tests.

``fake_enrich`` stands in for analysis.enrich with simple, fixed rules (60-day limit, repeat by
ID number, group from 5 persons, backlog = open past its due date), so that the counting of
summarize() is checked against numbers worked out by hand, whatever refinements the analysis
area makes. Integration with the real analysis.enrich is tested in test_report_summary.py.
"""

from __future__ import annotations

import pandas as pd

from xinfang_toolkit.schema import conform_cases

TODAY = "2021-05-10"
START, END = "2021-01-01", "2021-04-30"

# fmt: off
_ROWS = [
    # case_id, received, channel, name, id, phone, persons, locality, category, unit, leader,
    # level, closed, satisfaction
    ("A1", "2020-10-01", "来访", "赵大海", "110101198001010010", "13800000001", 1, "双河乡",
     "土地纠纷", "甲镇", None, "县区", "2021-02-10", None),
    ("A2", "2020-11-15", "来信", "钱小红", "110101198202020020", None, 1, None,
     "民政救济", "乙局", None, None, None, None),
    ("P0", "2020-03-01", "来访", "孙立", "110101197003030037", None, 3, None,
     "土地纠纷", "甲镇", None, "市", "2020-03-10", "满意"),
    ("C1", "2021-01-05", "来访", "李建国", "11010119650505005X", "13912345678", 2, "双河乡",
     "土地纠纷", "甲镇", "王局长", "国家", "2021-01-20", "满意"),
    ("C2", "2021-01-10", "来访", "周芳", "11010119750606006X", None, 1, "城关镇",
     "民政救济", "乙局", None, "国家", "2021-04-20", "不满意"),
    ("C3", "2021-02-01", "来访", "吴国强", "110101196807070072", None, 8, "双河乡",
     "土地纠纷", "甲镇", "李书记", "市", "2021-02-21", "基本满意"),
    ("C4", "2021-02-15", "来访", "郑秀英", "110101197208080089", None, 6, "双河乡",
     "土地纠纷", "甲镇", "李书记", "市", None, None),
    ("C5", "2021-03-01", "来访", "王五", "110101199009090099", None, None, None,
     "民事纠纷", "乙局", None, "县区", "2021-03-11", None),
    ("C6", "2021-03-05", "来信", "冯志明", "110101198510100102", None, 1, None,
     "民政救济", "乙局", None, None, "2021-05-05", None),
    ("C7", "2021-03-20", "网上信访", "陈静", None, "13700001111", None, None,
     None, "丙办", None, None, None, None),
    ("C8", "2021-04-02", "来访", "周芳", "11010119750606006X", None, 1, "城关镇",
     "民政救济", "乙局", None, "乡镇", "2021-04-12", None),
    ("C9", "2021-04-30", "来电", "褚卫东", None, "13655556666", None, None,
     "其他", None, None, None, None, None),
    ("X1", "2021-05-01", "来访", "卫兵", "11010119881111011X", None, 1, None,
     "其他", "丙办", None, "县区", None, None),
    ("U1", None, "来信", "蒋一", None, None, 1, None, "其他", "丙办", None, None, None, None),
]
# fmt: on
_COLS = [
    "case_id",
    "received_date",
    "channel",
    "petitioner",
    "id_number",
    "phone",
    "person_count",
    "locality",
    "category",
    "responsible_unit",
    "leader",
    "visit_level",
    "closed_date",
    "satisfaction",
]  # fmt: skip


def ledger() -> pd.DataFrame:
    """14 cases: 9 received from 2021-01-01 to 2021-04-30 (C1-C9), 3 before, 1 after, 1 undated."""
    df = pd.DataFrame(_ROWS, columns=_COLS)
    df["summary"] = [
        f"{name}反映{cat if isinstance(cat, str) else '有关'}问题，"
        f"联系电话{phone if isinstance(phone, str) else '无'}"
        for name, cat, phone in zip(df["petitioner"], df["category"], df["phone"], strict=True)
    ]
    df["address"] = "某县双河乡李家村3组12号"
    df["source_file"] = "hand.xlsx"
    return conform_cases(df)


def fake_enrich(cases: pd.DataFrame, *, today, group_threshold=5, **_: object) -> pd.DataFrame:
    """Fixed rules (see module doc); returns a new frame with the analysis columns."""
    out = cases.copy()
    today = pd.Timestamp(today)
    out["due_date"] = out["deadline"].fillna(out["received_date"] + pd.Timedelta(days=60))
    closed = out["closed_date"].notna()
    out["days_taken"] = (out["closed_date"] - out["received_date"]).dt.days.astype("Int64")
    out["on_time"] = pd.array(
        [
            (c <= d) if pd.notna(c) else pd.NA
            for c, d in zip(out["closed_date"], out["due_date"], strict=True)
        ],
        dtype="boolean",
    )
    late = ~closed & (out["due_date"] < today)
    out["status"] = pd.Series("办理中", index=out.index, dtype="string")
    out.loc[closed, "status"] = "已办结"
    out.loc[late, "status"] = "已超期"
    out = out.sort_values("received_date", kind="stable")
    out["is_repeat"] = out["id_number"].notna() & out["id_number"].duplicated()
    out["chain_id"] = out["id_number"]
    out = out.sort_index()
    out["is_group"] = out["person_count"].fillna(1) >= group_threshold
    out["is_skip_level"] = out["visit_level"].isin(["市", "省", "国家"])
    out["is_backlog"] = late
    # the other prepared columns, so that summarize takes the frame as it is
    out["category_original"] = out["category"]
    out["period"] = out["received_date"].dt.strftime("%Y-%m").astype("string")
    out["chain_seq"] = out.groupby(out["chain_id"].fillna(out["case_id"])).cumcount() + 1
    for col in ("extended", "overdue_days", "date_problem", "person_key", "first_case",
                "repeat_count", "backlog_reason"):  # fmt: skip
        out[col] = pd.NA
    return out


def prepared(day: str) -> pd.DataFrame:
    """The ledger as it stood on ``day`` (later cases absent), prepared by fake_enrich."""
    df = ledger()
    df = df[~(df["received_date"] > pd.Timestamp(day))].reset_index(drop=True)
    df.loc[df["closed_date"] > pd.Timestamp(day), "closed_date"] = pd.NaT
    return fake_enrich(df, today=day)


def fixed_summarize(*, start: str, end: str, today: str = TODAY, **options):
    """summarize() on the ledger prepared with the fixed rules (the comparison period, prepared
    by summarize itself, follows the real analysis)."""
    from xinfang_toolkit import summarize

    as_of = min(pd.Timestamp(end), pd.Timestamp(today))
    return summarize(prepared(str(as_of.date())), start=start, end=end, today=today, **options)


def test_ledger_has_the_documented_shape():
    df = ledger()
    assert len(df) == 14
    in_period = df["received_date"].between(START, END)
    assert sorted(df.loc[in_period, "case_id"]) == [f"C{i}" for i in range(1, 10)]


def test_fake_enrich_rules():
    out = fake_enrich(ledger(), today="2021-04-30")
    row = out.set_index("case_id")
    assert bool(row.loc["C8", "is_repeat"]) and not bool(row.loc["C2", "is_repeat"])
    assert row.loc["C4", "status"] == "已超期" and bool(row.loc["C3", "is_group"])
