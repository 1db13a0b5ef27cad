"""Tests for load_cases on workbooks and CSVs generated here (openpyxl / plain text)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinfang_toolkit import schema
from xinfang_toolkit.load import LoadError, LoadResult, load_cases

VALID_ID = "110101199003074477"
VALID_ID2 = "11010519491231002X"


def write_xlsx(
    path: Path,
    sheets: dict[str, list[list]],
    merges: dict[str, list[str]] | None = None,
    hidden: tuple[str, ...] = (),
) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for rng in (merges or {}).get(name, []):
            ws.merge_cells(rng)
        if name in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def nonempty_rows(path: Path) -> dict[str, set[int]]:
    """Row numbers with any non-blank cell, per sheet, read independently with openpyxl."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        rows = set()
        for row in ws.iter_rows():
            if any(c.value is not None and str(c.value).strip() for c in row):
                rows.add(row[0].row)
        out[ws.title] = rows
    return out


def assert_row_invariant(result: LoadResult, path: Path) -> None:
    """Every non-empty row is a case or excluded (header rows included), never both."""
    for sheet, rows in nonempty_rows(path).items():
        if sheet not in set(result.cases["source_sheet"]) | set(result.excluded["source_sheet"]):
            continue
        c = result.cases[
            (result.cases["source_file"] == path.name) & (result.cases["source_sheet"] == sheet)
        ]
        e = result.excluded[
            (result.excluded["source_file"] == path.name)
            & (result.excluded["source_sheet"] == sheet)
        ]
        case_rows, excl_rows = set(c["source_row"]), set(e["source_row"])
        assert not case_rows & excl_rows
        assert case_rows | excl_rows == rows, (sheet, rows - (case_rows | excl_rows))


MESSY_ROWS = [
    ["XX镇2025年信访事项登记台账"],
    ["填报单位：XX镇信访办", None, None, None, None, "填报时间：2025年2月1日"],
    [
        "序号",
        "登记日期",
        "信访人基本情况",
        None,
        None,
        "反映\n问题",
        "信访形式",
        "人数",
        "信访去向",
        "包案领导",
        "办理时限",
        "办结日期",
        "回访人",
    ],
    [None, None, "姓  名", "身份证号码", "联系电话"],
    ["一、本月新增"],
    [
        1,
        "3月5日",
        "张三",
        VALID_ID,
        "138-1234-5678",
        "反映土地补偿未到位",
        "走访",
        "3人",
        "进京",
        "王书记",
        "60天",
        "2025-04-01",
        "甲",
    ],
    [
        2,
        dt.datetime(2025, 3, 6),
        "李四",
        110101199003074477,
        "13912345678",
        "要求解决低保",
        "来信",
        "十二",
        "到县",
        None,
        "2025-05-06",
        "未办结",
        None,
    ],
    [
        3,
        "2025.3.7",
        "王五",
        "/",
        "无",
        "拆迁补偿",
        "网上",
        "1",
        "赴省",
        "赵镇长",
        60,
        "正在办理",
        None,
    ],
    ["序号", "登记日期", "姓名", "身份证号码", "联系电话", "反映问题"],
    ["二、往年积案"],
    [
        4,
        45000,
        "赵六",
        VALID_ID2.lower(),
        "0371-66661234",
        "工资拖欠",
        "来访",
        "三人",
        "本乡",
        "钱主任",
        "2023-05-14",
        "2023.5.1",
        None,
    ],
    [5],
    [],
    ["合计", None, None, None, None, None, None, 19],
    ["填表人：某某", None, None, None, "审核人：某某"],
    ["注：本表按月报送"],
]
MESSY_MERGES = {
    "1月": [
        "A1:M1",
        "A3:A4",
        "B3:B4",
        "C3:E3",
        "F3:F4",
        "G3:G4",
        "H3:H4",
        "I3:I4",
        "J3:J4",
        "K3:K4",
        "L3:L4",
        "M3:M4",
        "A5:M5",
        "J6:J7",
        "A10:M10",
    ],
}


@pytest.fixture
def messy(tmp_path) -> Path:
    return write_xlsx(tmp_path / "镇台账.xlsx", {"1月": MESSY_ROWS}, MESSY_MERGES)


def test_messy_workbook_cases(messy):
    result = load_cases(messy)
    cases = result.cases
    assert cases["source_row"].tolist() == [6, 7, 8, 11]
    assert cases["petitioner"].tolist() == ["张三", "李四", "王五", "赵六"]
    assert cases["received_date"].tolist() == [
        pd.Timestamp("2025-03-05"),
        pd.Timestamp("2025-03-06"),
        pd.Timestamp("2025-03-07"),
        pd.Timestamp("2023-03-15"),  # Excel serial 45000
    ]
    assert cases["summary"].tolist() == [
        "反映土地补偿未到位",
        "要求解决低保",
        "拆迁补偿",
        "工资拖欠",
    ]
    assert cases["channel"].tolist() == ["来访", "来信", "网上信访", "来访"]
    assert cases["person_count"].tolist() == [3, 12, 1, 3]
    assert cases["visit_level"].tolist() == ["国家", "县区", "省", "乡镇"]
    assert cases["leader"].tolist() == ["王书记", "王书记", "赵镇长", "钱主任"]  # J6:J7 merged
    assert cases["id_number"].tolist()[0] == VALID_ID
    assert pd.isna(cases["id_number"][1]) and pd.isna(cases["id_number"][2])
    assert cases["id_number"][3] == VALID_ID2
    assert cases["phone"].tolist()[:2] == ["13812345678", "13912345678"]
    assert cases["phone"][3] == "037166661234"
    assert cases["deadline"].tolist() == [
        pd.Timestamp("2025-05-04"),
        pd.Timestamp("2025-05-06"),
        pd.Timestamp("2025-05-06"),
        pd.Timestamp("2023-05-14"),
    ]
    assert cases["closed_date"][0] == pd.Timestamp("2025-04-01")
    assert cases["closed_date"][1:3].isna().all()
    assert cases["source_file"].unique().tolist() == ["镇台账.xlsx"]
    assert "回访人" in cases.columns and cases["回访人"][0] == "甲"  # unmapped, kept
    assert list(cases.columns[: len(schema.CASE_COLUMNS)]) == list(schema.CASE_COLUMNS)
    assert str(cases["received_date"].dtype) == "datetime64[ns]"
    assert str(cases["person_count"].dtype) == "Int64"


def test_messy_workbook_excluded_and_issues(messy):
    result = load_cases(messy)
    reasons = dict(zip(result.excluded["source_row"], result.excluded["reason"], strict=True))
    assert reasons == {
        1: "标题或填报信息 (表头上方)",
        2: "标题或填报信息 (表头上方)",
        3: "表头",
        4: "表头",
        5: "分节行",
        9: "重复的表头行",
        10: "分节行",
        12: "没有案件内容 (只有序号等)",
        14: "合计行",
        15: "签名或备注行",
        16: "签名或备注行",
    }
    issues = result.issues
    # only the ID Excel stored as a number needs a person; 未办结/正在办理 are not problems
    assert list(zip(issues["source_row"], issues["column"], strict=True)) == [(7, "id_number")]
    assert "数字" in issues["problem"][0]
    assert_row_invariant(result, messy)


def test_summary_and_repr_show_no_personal_data(messy):
    result = load_cases(messy)
    text = result.summary() + repr(result) + result._repr_html_()
    assert "4 件" in result.summary() and "合计行 1 行" in result.summary()
    for secret in ("张三", "李四", VALID_ID, "13812345678"):
        assert secret not in text
    cases, issues, excluded = result  # unpacks like a tuple
    assert len(cases) == 4 and len(excluded) == 11


def test_year_from_title_file_name_argument_or_issue(tmp_path):
    rows = [["登记日期", "反映问题"], ["3月5日", "甲"], ["12月1日", "乙"]]
    no_year = write_xlsx(tmp_path / "台账.xlsx", {"S": rows})
    result = load_cases(no_year)
    assert result.cases["received_date"].isna().all()
    assert result.issues["source_row"].tolist() == [2, 3]
    assert result.issues["problem"].str.contains("缺少年份").all()
    assert load_cases(no_year, year=2024).cases["received_date"][0] == pd.Timestamp("2024-03-05")
    in_name = write_xlsx(tmp_path / "2023年台账.xlsx", {"S": rows})
    assert load_cases(in_name).cases["received_date"][1] == pd.Timestamp("2023-12-01")
    in_title = write_xlsx(tmp_path / "2023年台账b.xlsx", {"S": [["2022年度来访登记"], *rows]})
    assert load_cases(in_title).cases["received_date"][0] == pd.Timestamp("2022-03-05")


def test_pinyin_codes_and_flags(tmp_path):
    rows = [
        [
            "xfjbh",
            "xfrq",
            "xfxs",
            "xfrs",
            "nrfldm",
            "wtsddm",
            "xbjzsj",
            "bjbz",
            "cfxfbz",
            "jabz",
            "是否延期",
        ],
        ["A001", "20250305", "来访", 2, "城乡建设", "某村", "2025-05-04", "是", "否", "0", "√"],
        ["A002", "20250306", "网上信访", 1, "农村农业", "某镇", "60日", "否", "是", "1", None],
    ]
    result = load_cases(write_xlsx(tmp_path / "export.xlsx", {"导出": rows}))
    c = result.cases
    assert c["case_id"].tolist() == ["A001", "A002"]
    assert c["category"].tolist() == ["城乡建设", "农村农业"]
    assert c["locality"].tolist() == ["某村", "某镇"]
    assert c["deadline"].tolist() == [pd.Timestamp("2025-05-04"), pd.Timestamp("2025-05-05")]
    assert c["closed_flag"].tolist() == [True, False]
    assert c["repeat_flag"].tolist() == [False, True]
    assert c["backlog_flag"].tolist() == [False, True]
    assert c["extended_flag"][0] and pd.isna(c["extended_flag"][1])
    assert str(c["closed_flag"].dtype) == "boolean"


def test_hotline_names_and_user_synonyms(tmp_path):
    rows = [
        ["工单编号", "留言时间", "留言详情", "答复时间", "上访群众"],
        ["GD1", "2025-01-02 10:11", "路灯不亮", "2025-01-05", "张三"],
    ]
    path = write_xlsx(tmp_path / "12345.xlsx", {"工单": rows})
    plain = load_cases(path).cases
    assert plain["case_id"][0] == "GD1" and plain["summary"][0] == "路灯不亮"
    assert plain["closed_date"][0] == pd.Timestamp("2025-01-05")
    assert pd.isna(plain["petitioner"][0]) and plain["上访群众"][0] == "张三"
    for syn in ({"上访群众": "petitioner"}, {"petitioner": ["上访群众"]}):
        assert load_cases(path, synonyms=syn).cases["petitioner"][0] == "张三"
    with pytest.raises(ValueError, match="规范列名"):
        load_cases(path, synonyms={"上访群众": "nobody"})


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(tmp_path, encoding):
    text = (
        "2025年信访登记表\n"
        "信访日期,信访人,身份证号,反映问题,人数\n"
        f"2025/3/5,张三,{VALID_ID},反映土地补偿问题,3人\n"
        ",,,,\n"
        "2025/3/6,李四,4.10122E+17,要求解决低保,\n"
        "合计,,,,3\n"
    )
    path = tmp_path / "台账.csv"
    path.write_bytes(text.encode(encoding))
    result = load_cases(path)
    assert result.cases["petitioner"].tolist() == ["张三", "李四"]
    assert result.cases["summary"][0] == "反映土地补偿问题"
    assert result.cases["source_row"].tolist() == [3, 5]
    assert result.cases["id_number"][0] == VALID_ID and pd.isna(result.cases["id_number"][1])
    assert result.issues["column"].tolist() == ["id_number"]
    assert result.excluded["reason"].tolist() == ["标题或填报信息 (表头上方)", "表头", "合计行"]


def test_duplicates_across_files_kept_once(tmp_path):
    rows = [
        ["登记日期", "信访人", "反映问题"],
        ["2025-03-05", "张三", "土地问题"],
        ["2025-03-06", "李四", "低保"],
    ]
    write_xlsx(tmp_path / "a.xlsx", {"S": rows})
    write_xlsx(tmp_path / "b.xlsx", {"T": [rows[0], rows[2], ["2025-03-07", "王五", "拆迁"]]})
    result = load_cases(tmp_path)
    assert sorted(result.cases["petitioner"]) == ["张三", "李四", "王五"]
    dup = result.issues[result.issues["problem"].str.contains("只保留一份")]
    assert dup["source_file"].tolist() == ["b.xlsx"] and dup["source_row"].tolist() == [2]
    assert "a.xlsx / S 第 3 行" in dup["problem"].iloc[0]


def test_progress_bar_over_files_same_result(tmp_path, capsys):
    rows = [["登记日期", "信访人", "反映问题"], ["2025-03-05", "张三", "土地问题"]]
    write_xlsx(tmp_path / "a.xlsx", {"S": rows})
    write_xlsx(tmp_path / "b.xlsx", {"S": [rows[0], ["2025-03-07", "王五", "拆迁"]]})
    quiet = load_cases(tmp_path)
    assert "读取台账" not in capsys.readouterr().err
    shown = load_cases(tmp_path, progress=True)
    err = capsys.readouterr().err
    assert "读取台账" in err and "2/2" in err
    pd.testing.assert_frame_equal(quiet.cases, shown.cases)


def test_sheet_selection_hidden_and_bad_sheet(tmp_path):
    good = [["登记日期", "反映问题"], ["2025-03-05", "甲"]]
    path = write_xlsx(
        tmp_path / "w.xlsx",
        {"好": good, "说明": [["本表说明"], ["随便写写"]], "下拉": [["来访"]], "空": []},
        hidden=("下拉",),
    )
    result = load_cases(path)
    assert len(result.cases) == 1
    problems = result.issues[result.issues["column"] == ""]
    bad = problems[problems["source_sheet"] == "说明"]["problem"].iloc[0]
    assert (
        "w.xlsx" in bad
        and "说明" in bad
        and "表头" in bad
        and "本表说明" not in bad  # rows are named by number, never quoted (issue 23)
        and "第 1 行" in bad
        and "登记日期" in bad
    )
    refused = result.excluded[result.excluded["source_sheet"] == "说明"]
    assert refused["source_row"].tolist() == [1, 2]  # nothing lost without a trace
    assert not refused["content"].str.contains("本表说明|随便").any()
    assert problems["source_sheet"].tolist().count("下拉") == 1  # hidden sheet reported, not read
    status = dict(zip(result.sources["sheet"], result.sources["status"], strict=True))
    assert status["好"] == "已读取" and status["空"] == "空表" and "表头" in status["说明"]
    assert load_cases(path, sheets="好").issues.empty
    assert load_cases(path, sheets=[0]).cases["summary"].tolist() == ["甲"]
    assert "没有名为“无此表”" in load_cases(path, sheets=["好", "无此表"]).issues["problem"].iloc[0]
    with pytest.raises(LoadError, match="说明"):
        load_cases(path, sheets="说明")


def test_missing_required_columns(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", {"S": [["信访人", "联系电话"], ["张三", "13812345678"]]})
    with pytest.raises(LoadError) as err:
        load_cases(path)
    message = str(err.value)
    assert "x.xlsx" in message and "“S”" in message and "缺少必需的列" in message
    assert "信访人" in message and "反映问题" in message


def test_bad_input_errors(tmp_path):
    with pytest.raises(LoadError, match="找不到"):
        load_cases(tmp_path / "nope.xlsx")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.txt.bak").write_text("x", encoding="utf-8")
    with pytest.raises(LoadError, match="没有可读取的台账"):
        load_cases(tmp_path / "empty")
    corrupt = tmp_path / "坏.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 this is not a zip")
    with pytest.raises(LoadError, match="坏.xlsx.*损坏"):
        load_cases(corrupt)
    locked = tmp_path / "密.xlsx"  # encrypted OOXML is an OLE compound file
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(LoadError, match="密.xlsx.*密码"):
        load_cases(locked)
    good = write_xlsx(tmp_path / "ok.xlsx", {"S": [["登记日期", "反映问题"], ["2025-03-05", "甲"]]})
    result = load_cases([good, corrupt])  # one bad file does not stop the others
    assert len(result.cases) == 1 and "损坏" in result.issues["problem"].iloc[0]


def test_two_row_header_without_merges_and_group_row(tmp_path):
    rows = [
        ["序号", "信访日期", "信访人基本情况", None, "反映问题", "办理情况", None],
        [None, None, "姓名", "住址", None, "责任单位", "化解情况"],
        [1, "2025-01-02", "张三", "某村", "修路", "交通局", "已化解"],
    ]
    result = load_cases(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
    c = result.cases
    assert c[["petitioner", "address", "summary", "responsible_unit", "outcome"]].iloc[
        0
    ].tolist() == ["张三", "某村", "修路", "交通局", "已化解"]
    assert result.excluded["reason"].tolist() == ["表头", "表头"]
    assert result.sources["header_rows"][0] == "1,2"


def test_row_invariant_on_many_messy_sheets(tmp_path):
    sheets = {
        "a": MESSY_ROWS,
        "b": [
            ["合计"],
            ["登记日期", "信访人", "反映问题"],
            ["2025-01-01", "甲", "x"],
            ["小计", 1],
            ["2025-01-02", "乙", "y"],
            ["审核人：", "某"],
            [None, None, "  "],
            ["（三）其他"],
        ],
    }
    path = write_xlsx(tmp_path / "m.xlsx", sheets, {"a": MESSY_MERGES["1月"]})
    result = load_cases(path)
    assert_row_invariant(result, path)
    b = result.excluded[result.excluded["source_sheet"] == "b"]
    assert dict(zip(b["source_row"], b["reason"], strict=True)) == {
        1: "标题或填报信息 (表头上方)",
        2: "表头",
        4: "合计行",
        6: "签名或备注行",
        8: "分节行",
    }


def test_year_ignores_fill_in_and_export_dates(tmp_path):
    rows = [
        ["信访事项查询结果 导出时间：2026-01-11"],
        ["填报时间：2026年1月3日", "2025年度"],
        ["登记日期", "反映问题"],
        ["3月5日", "甲"],
    ]
    path = write_xlsx(tmp_path / "export.xlsx", {"S": rows})
    result = load_cases(path)
    assert result.cases["received_date"][0] == pd.Timestamp("2025-03-05")
    assert result.sources["year"][0] == 2025


def test_masked_copy_hides_personal_data(messy):
    result = load_cases(messy)
    masked = result.masked()
    assert masked.cases["petitioner"][0] == "张*"
    assert masked.cases["id_number"][0] == "110101********4477"
    assert masked.cases["phone"][0] == "138****5678"
    raw_id_issue = result.issues["value"][0]
    assert raw_id_issue == "110101199003074000"  # the 15 digits Excel kept
    assert masked.issues["value"][0] == "110101********4000"
    text = masked.cases.to_string() + masked.issues.to_string() + masked.excluded.to_string()
    for secret in ("张三", VALID_ID, "13812345678", raw_id_issue):
        assert secret not in text
    assert result.cases["petitioner"][0] == "张三"  # the original is unchanged


ROW_KINDS = {
    "case": lambda i: [i, f"2025-03-{(i % 28) + 1:02d}", f"人{i}", f"诉求{i}", "来访"],
    "blank": lambda i: [],
    "spaces": lambda i: [None, "  ", None],
    "total": lambda i: ["合计", None, None, None, None, i],
    "note": lambda i: [f"注：第{i}条说明"],
    "sign": lambda i: ["填表人：某某", None, "审核人：某某"],
    "section": lambda i: ["二、往年积案"],
    "serial": lambda i: [i],
    "header": lambda i: ["序号", "登记日期", "信访人", "反映问题", "信访形式"],
}


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.booleans(),
    kinds=st.lists(st.sampled_from(sorted(ROW_KINDS)), min_size=1, max_size=15),
)
def test_row_invariant_property(tmp_path, title, kinds):
    rows = [["2025年台账"]] if title else []
    rows.append(ROW_KINDS["header"](0))
    rows += [ROW_KINDS[k](i + 1) for i, k in enumerate(kinds)]
    path = write_xlsx(tmp_path / "p.xlsx", {"S": rows})
    result = load_cases(path)
    assert_row_invariant(result, path)
    assert len(result.cases) == kinds.count("case")


@pytest.mark.parametrize(
    ("title", "year"),
    [
        ("河东县2026年1-10月信访事项登记台账", 2026),
        ("2024年度台账 (2025-01-03 导出)", 2024),
        ("台账 打印日期 2026/1/5", None),
        ("2023年3月5日至2023年6月30日", None),
    ],
)
def test_year_from_title_variants(tmp_path, title, year):
    path = write_xlsx(
        tmp_path / "t.xlsx", {"S": [[title], ["登记日期", "反映问题"], ["3月5日", "甲"]]}
    )
    got = load_cases(path).sources["year"][0]
    assert pd.isna(got) if year is None else got == year


def test_csv_ragged_rows_and_tab_delimiter(tmp_path):
    ragged = tmp_path / "ragged.csv"
    ragged.write_text(
        "登记日期,反映问题\n2025-03-05,甲\n2025-03-06,乙,多出来的一格,又一格\n", encoding="utf-8"
    )
    result = load_cases(ragged)
    assert result.cases["summary"].tolist() == ["甲", "乙"]
    assert result.cases["列C"][1] == "多出来的一格"  # data without a header is kept, not dropped
    tabbed = tmp_path / "tab.csv"
    tabbed.write_text("信访日期\t信访人\t反映问题\n2025/3/5\t张三\t修路\n", encoding="utf-8")
    assert load_cases(tabbed).cases["petitioner"].tolist() == ["张三"]


def test_synonyms_from_csv_file(tmp_path):
    table = tmp_path / "my_synonyms.csv"
    table.write_text("canonical,synonym\npetitioner,来访群众\nsummary,群众诉求\n", encoding="utf-8")
    path = write_xlsx(
        tmp_path / "w.xlsx",
        {"S": [["日期", "来访群众", "群众诉求"], ["2025-03-05", "张三", "修路"]]},
    )
    cases = load_cases(path, synonyms=table).cases
    assert cases[["petitioner", "summary"]].iloc[0].tolist() == ["张三", "修路"]


def test_synonyms_csv_saved_by_excel_as_gbk(tmp_path):
    """Excel on Chinese Windows saves a CSV in GBK: the user's synonym table is read all the same."""
    table = tmp_path / "我的同义词.csv"
    table.write_bytes(
        "canonical,synonym\r\npetitioner,来访群众\r\nsummary,群众诉求\r\n".encode("gbk")
    )
    path = write_xlsx(
        tmp_path / "w.xlsx",
        {"S": [["日期", "来访群众", "群众诉求"], ["2025-03-05", "张三", "修路"]]},
    )
    cases = load_cases(path, synonyms=table).cases
    assert cases[["petitioner", "summary"]].iloc[0].tolist() == ["张三", "修路"]


def test_folder_reads_xlsm_and_skips_office_lock_files(tmp_path):
    rows = [["登记日期", "反映问题"], ["2025-03-05", "甲"]]
    write_xlsx(tmp_path / "宏台账.xlsm", {"S": rows})
    (tmp_path / "~$宏台账.xlsm").write_bytes(b"lock")  # Excel's lock file while a book is open
    (tmp_path / "说明.docx").write_bytes(b"not a ledger")
    result = load_cases(tmp_path)
    assert result.cases["summary"].tolist() == ["甲"]
    assert result.sources["file"].tolist() == ["宏台账.xlsm"] and result.issues.empty


def test_same_case_number_with_different_content_is_reported(tmp_path):
    header = ["信访件编号", "登记日期", "反映问题", "办结日期"]
    write_xlsx(tmp_path / "1月.xlsx", {"S": [header, ["XF001", "2025-01-05", "修路", "未办结"]]})
    write_xlsx(
        tmp_path / "2月.xlsx", {"S": [header, ["XF001", "2025-01-05", "修路", "2025-02-10"]]}
    )
    result = load_cases(tmp_path)
    assert len(result.cases) == 2  # both kept: which one is right is for a person to say
    issue = result.issues[result.issues["column"] == "case_id"]
    assert issue["source_file"].tolist() == ["2月.xlsx"]
    assert "1月.xlsx / S 第 2 行" in issue["problem"].iloc[0]


def test_case_whose_summary_starts_like_a_total_stays_a_case(tmp_path):
    rows = [
        ["序号", "编号", "信访人", "来访日期", "反映问题"],
        [None, None, None, None, "合计"],  # a total line written under the summary column
        [None, None, "张三", "2025-03-05", "合计拖欠工资3万元未付"],
        ["合计", None, None, None, 1],
    ]
    result = load_cases(write_xlsx(tmp_path / "t.xlsx", {"S": rows}))
    assert result.cases["summary"].tolist() == ["合计拖欠工资3万元未付"]
    reasons = dict(zip(result.excluded["source_row"], result.excluded["reason"], strict=True))
    assert reasons == {1: "表头", 2: "合计行", 4: "合计行"}
