"""Tests for xinfang_toolkit.synth: synthetic cases, messy ledgers and the sample_data folder."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xinfang_toolkit.schema import (
    CASE_COLUMNS,
    CHANNELS,
    MATTER_TYPES,
    PROVENANCE_COLUMNS,
    SATISFACTION_VALUES,
    VISIT_LEVELS,
)
from xinfang_toolkit.synth import (
    ACTIVITY_FILE,
    SAMPLE_FILES,
    generate_cases,
    id_check_digit,
    is_valid_id,
    make_sample_data,
    write_ledger,
    write_ledger_book,
)
from xinfang_toolkit.synth._ledger import COUNTY_COLUMNS, COUNTY_HEADER_VARIANTS

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
    # every person names the same place, project or company: the first clause of the summary
    # (after the opener, digits removed since personal figures differ) is shared in a hotspot
    clause = (
        hot["summary"]
        .str.replace(
            r"^(信访人|来人|群众|再次|又一次|多次|重复|继续|第\d+次)?(反映|要求|举报|建议)",
            "",
            regex=True,
        )
        .str.split("，")
        .str[0]
        .str.replace(r"\d+", "#", regex=True)
    )
    assert (clause.groupby(hot["true_hotspot"]).nunique() == 1).all()
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
    assert late.sum() > 10 and overdue_open.sum() > 5 and recent_open.sum() > 2
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


# ---- messy ledgers ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    return generate_cases(300, seed=8, start="2025-06-01", end="2026-09-30", today="2026-10-20")


def _sheet_values(path, sheet=None) -> list[tuple]:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return [row for row in ws.iter_rows(values_only=True)], ws


def test_county_layout_features(small, tmp_path):

    path = write_ledger(small, tmp_path / "台账.xlsx", layout="county", seed=1)
    rows, ws = _sheet_values(path)
    assert re.fullmatch(r"河东县2026年1(-|月至|—)9月(信访事项|群众来信来访)登记台账", rows[0][0])
    assert rows[1][0].startswith("填报单位：") and "填报时间：" in str(rows[1][-4])
    assert rows[2][4] == "信访人基本情况"
    defaults = [c for c, _col, _k, _g in COUNTY_COLUMNS]
    chosen = [rows[3][i] if c[3] else rows[2][i] for i, c in enumerate(COUNTY_COLUMNS)]
    for header, (default, col, _kind, _group) in zip(chosen, COUNTY_COLUMNS, strict=True):
        assert header in (default, *COUNTY_HEADER_VARIANTS.get(col or "", ())), header
    assert any("\n" in h or "  " in h for h in chosen)
    assert chosen != defaults  # some columns are headed differently
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "E3:H3" in merged and "A3:A4" in merged
    # 包案领导 (column O) merged over several body rows
    leader_merges = [r for r in ws.merged_cells.ranges if r.min_col == 15 and r.min_row > 4]
    assert leader_merges and all(r.max_row > r.min_row for r in leader_merges)
    first = [r[0] for r in rows]
    assert "一、本期受理信访事项" in first and "二、往年积案" in first and "合计" in first
    assert any(str(v).startswith("填表人：") for v in first)
    assert any(str(v).startswith("注：") for v in first)
    body = [r for r in rows if isinstance(r[0], int)]
    assert len(body) == len(small)
    total_row = rows[first.index("合计")]
    assert total_row[1] == f"共{len(small)}件" and total_row[8] == int(small["person_count"].sum())
    # 2025 rows sit below 二、往年积案, 2026 rows above it
    section2 = first.index("二、往年积案")
    assert all(str(r[1]).strip().startswith("XF2026") for r in rows[5:section2])
    assert all(str(r[1]).strip().startswith("XF2025") for r in rows[section2 + 1 : section2 + 5])
    # messy spellings
    dates = [r[2] for r in body]
    assert any(isinstance(v, dt.datetime) for v in dates)
    assert any(isinstance(v, (int, float)) and 40000 < v < 50000 for v in dates)  # serials
    texts = [v for v in dates if isinstance(v, str)]
    assert any("." in v for v in texts) and any("/" in v for v in texts)
    assert any("年" in v for v in texts) and any(v.isdigit() and len(v) == 8 for v in texts)
    assert any("０" in v or "２" in v for v in texts)  # full-width digits
    counts = [r[8] for r in body]
    assert any(isinstance(v, str) and v.endswith("人") and v[0].isdigit() for v in counts)
    assert any(isinstance(v, str) and v[0] in "一二三四五六七八九十" for v in counts)
    ids = [r[5] for r in body]
    assert any(isinstance(v, float) for v in ids)  # Excel turned some IDs into numbers
    assert any(isinstance(v, str) and v.endswith("x") for v in ids)
    assert {"无", "/", "—", "不详"} & {v for r in body for v in r if isinstance(v, str)}
    phones = [r[6] for r in body]
    assert any(isinstance(v, str) and "-" in v for v in phones)
    channels = {r[3] for r in body}
    assert "走访" in channels or "到访" in channels
    closed = {r[17] for r in body}
    assert {"未办结", "正在办理"} & closed
    deadlines = {r[16] for r in body}
    assert {"60天", "60日", 60} & deadlines


def test_month_day_dates_only_for_the_title_year(small, tmp_path):

    rows, _ = _sheet_values(write_ledger(small, tmp_path / "a.xlsx", seed=3))
    assert rows[0][0].startswith("河东县2026年1")
    body = [r for r in rows if isinstance(r[0], int)]
    by_id = small.set_index("case_id")
    monthday = 0
    for r in body:
        cell = r[2]
        if isinstance(cell, str) and cell.strip()[0] in "123456789" and cell.endswith("日"):
            if "年" not in cell and "." not in cell and "/" not in cell:
                monthday += 1
                assert by_id.loc[r[1].strip(), "received_date"].year == 2026, cell
    assert monthday > 5
    assert not any(isinstance(r[2], dt.time) for r in body)


def test_other_layouts(small, tmp_path):
    rows, _ = _sheet_values(write_ledger(small, tmp_path / "h.xlsx", layout="hotline"))
    assert rows[0][:3] == ("工单编号", "留言时间", "来电人") and "留言详情" in rows[0]
    assert "答复时间" in rows[0] and len(rows) == len(small) + 1
    assert any(isinstance(r[1], str) and len(r[1]) == 19 for r in rows[1:])  # with a time
    rows, _ = _sheet_values(write_ledger(small, tmp_path / "n.xlsx", layout="national"))
    header = rows[1]
    for code in "xfjbh xfrq xfxs xfrs nrfldm wtsddm xbjzsj bjbz cfxfbz jabz".split():
        assert code in header, code
    flags = {r[header.index("cfxfbz")] for r in rows[2:]}
    assert flags == {"是", "否"}
    closed_flag = [r[header.index("bjbz")] for r in rows[2:]]
    assert closed_flag.count("否") == int(small["closed_date"].isna().sum())
    path = write_ledger(small, tmp_path / "c.csv", layout="csv")
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gbk")
    assert text.startswith("编号,登记日期,信访形式,姓名,身份证号")
    assert "E+17" in text  # an ID as Excel saves a long number to CSV


def test_sheets_and_book(small, tmp_path):
    import openpyxl

    path = write_ledger(small, tmp_path / "towns.xlsx", sheets="locality")
    wb = openpyxl.load_workbook(path, read_only=True)
    assert sorted(wb.sheetnames) == sorted(small["locality"].unique())
    first = wb[wb.sheetnames[0]]
    n_first = int((small["locality"] == wb.sheetnames[0]).sum())
    assert sum(isinstance(r[0], int) for r in first.iter_rows(values_only=True)) == n_first
    wb.close()
    book = write_ledger_book(
        {"双河乡": small.iloc[:50], "康王乡": small.iloc[50:90]},
        tmp_path / "book.xlsx",
        layout="national",
    )
    assert openpyxl.load_workbook(book, read_only=True).sheetnames == ["双河乡", "康王乡"]


def test_write_ledger_bad_input(small, tmp_path):
    with pytest.raises(ValueError, match="未知的台账样式"):
        write_ledger(small, tmp_path / "x.xlsx", layout="weird")
    with pytest.raises(ValueError, match=r"\.csv"):
        write_ledger(small, tmp_path / "x.xlsx", layout="csv")
    with pytest.raises(ValueError, match="没有列"):
        write_ledger(small, tmp_path / "x.xlsx", sheets="nope")
    with pytest.raises(ValueError, match="一张表"):
        write_ledger_book({"a": small, "b": small}, tmp_path / "x.csv", layout="csv")
    with pytest.raises(ValueError, match="工作表名不合法"):
        write_ledger_book({"a/b": small}, tmp_path / "x.xlsx")
    (tmp_path / "busy.xlsx").mkdir()  # cannot be written, like a file open in Excel on Windows
    with pytest.raises(OSError, match="无法写入文件"):
        write_ledger(small, tmp_path / "busy.xlsx")
    (tmp_path / "busy.csv").mkdir()
    with pytest.raises(OSError, match="无法写入文件"):
        write_ledger(small, tmp_path / "busy.csv", layout="csv")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match="不是文件夹"):
        make_sample_data(tmp_path / "file")


def test_deterministic_files(small, tmp_path):
    a = write_ledger(small, tmp_path / "a.csv", layout="csv", seed=4).read_bytes()
    b = write_ledger(small, tmp_path / "b.csv", layout="csv", seed=4).read_bytes()
    c = write_ledger(small, tmp_path / "c.csv", layout="csv", seed=5).read_bytes()
    assert a == b and a != c


def test_clean_values_when_not_messy(small, tmp_path):
    rows, _ = _sheet_values(write_ledger(small, tmp_path / "n.xlsx", layout="hotline", messy=False))
    channels = {r[4] for r in rows[1:]}
    assert channels <= set(CHANNELS)


@pytest.mark.parametrize(
    ("layout", "suffix"),
    [("county", ".xlsx"), ("hotline", ".xlsx"), ("national", ".xlsx"), ("csv", ".csv")],
)
def test_round_trip_through_loader(small, tmp_path, layout, suffix):
    load = pytest.importorskip("xinfang_toolkit.load")
    path = write_ledger(small, tmp_path / f"ledger{suffix}", layout=layout, seed=6)
    result = load.load_cases(path)
    got = result.cases.set_index("case_id")
    want = small.set_index("case_id")
    assert sorted(got.index) == sorted(want.index)
    got = got.loc[want.index]
    columns = {
        "county": CASE_COLUMNS[1:],
        "csv": CASE_COLUMNS[1:],
        "national": CASE_COLUMNS[1:],
        "hotline": (
            "received_date",
            "channel",
            "petitioner",
            "phone",
            "locality",
            "category",
            "summary",
            "responsible_unit",
            "deadline",
            "closed_date",
            "outcome",
            "satisfaction",
        ),
    }[layout]
    for col in columns:
        a, b = want[col], got[col]
        if col == "id_number":  # IDs that Excel stored as numbers are lost, and reported
            lost = a.notna() & b.isna()
            reported = result.issues.loc[result.issues["column"] == "id_number", "source_row"]
            assert lost.sum() == len(reported) > 0
            a = a[~lost]
            b = b[~lost]
        same = (a == b).fillna(False).astype(bool) | (a.isna() & b.isna())
        rows = set(got.loc[same.index[~same.to_numpy()], "source_row"].head(3))
        said = result.issues.loc[result.issues["source_row"].isin(rows), "problem"].tolist()
        assert same.all(), (col, a[~same].head(3).tolist(), b[~same].head(3).tolist(), said)


# ---- sample_data -----------------------------------------------------------------------------
def _xlsx_values(path) -> dict[str, list[tuple]]:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    from xinfang_toolkit.synth.__main__ import main

    folder = tmp_path_factory.mktemp("sample")
    assert main([str(folder), "2026"]) == 0  # python -m xinfang_toolkit.synth folder seed
    return folder, [folder / name for name in (*SAMPLE_FILES, "README.md")]


def test_sample_data_is_regenerated_identically(regenerated, sample_data_dir):
    folder, paths = regenerated
    assert all(p.exists() for p in paths)
    for name in SAMPLE_FILES:
        committed = sample_data_dir / name
        assert committed.exists(), (
            f"sample_data/{name} missing: run python -m xinfang_toolkit.synth"
        )
        assert committed.stat().st_size < 300_000
        if name.endswith(".xlsx"):
            assert _xlsx_values(folder / name) == _xlsx_values(committed), name
        else:
            assert (folder / name).read_bytes() == committed.read_bytes(), name
    assert _xlsx_values(folder / ACTIVITY_FILE) == _xlsx_values(sample_data_dir / ACTIVITY_FILE)
    readme = (sample_data_dir / "README.md").read_text(encoding="utf-8")
    assert readme == (folder / "README.md").read_text(encoding="utf-8")
    assert "虚构" in readme and "invented" in readme


def test_make_sample_data_returns_paths(tmp_path):
    paths = make_sample_data(tmp_path / "s", seed=1, n=120)
    assert [p.name for p in paths] == [*SAMPLE_FILES, "工作台账_2026.xlsx", "README.md"]
    assert "120" in paths[-1].read_text(encoding="utf-8")


def test_sample_data_content(sample_data_dir):
    import openpyxl

    sheets = openpyxl.load_workbook(sample_data_dir / SAMPLE_FILES[0]).sheetnames
    assert sheets == ["来访登记", "来信登记"]
    load = pytest.importorskip("xinfang_toolkit.load")
    result = load.load_cases(sample_data_dir)
    cases = result.cases
    assert 600 <= len(cases) <= 1500 and cases["case_id"].is_unique
    assert set(cases["received_date"].dt.year) == {2025, 2026}
    assert set(cases["source_file"]) == set(SAMPLE_FILES)
    assert (cases["person_count"] >= 5).sum() >= 20
    assert {"市", "省", "国家"} <= set(cases["visit_level"].dropna())
    assert cases["leader"].notna().sum() >= 50
    due = cases["deadline"].fillna(cases["received_date"] + pd.Timedelta(days=60))
    assert (cases["closed_date"].isna() & (due < TODAY)).sum() >= 10
    ids = cases["id_number"].dropna()
    repeated_ids = ids[ids.duplicated()].nunique()
    assert repeated_ids >= 30  # persons who came more than once
    # IDs that Excel stored as numbers are reported, not passed as valid
    id_issues = result.issues[result.issues["column"] == "id_number"]
    assert len(id_issues) > 0


# ---- properties and helpers ------------------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(0, 90),
    seed=st.integers(0, 2**32 - 1),
    start=st.dates(dt.date(2018, 1, 1), dt.date(2026, 6, 1)),
    span=st.integers(0, 900),
)
def test_generate_cases_invariants(n, seed, start, span):
    end = start + dt.timedelta(days=span)
    today = end + dt.timedelta(days=20)
    df = generate_cases(n, seed=seed, start=start, end=end, today=today)
    assert len(df) == n and df["case_id"].is_unique
    assert df["received_date"].between(pd.Timestamp(start), pd.Timestamp(end)).all()
    closed = df.dropna(subset=["closed_date"])
    assert (closed["closed_date"] >= closed["received_date"]).all()
    assert (closed["closed_date"] <= pd.Timestamp(today)).all()
    assert all(is_valid_id(x) for x in df["id_number"].dropna())
    assert df["person_count"].ge(1).all()


def test_chinese_numbers_and_fullwidth():
    from xinfang_toolkit.synth._messy import chinese_number, fullwidth

    assert [chinese_number(k) for k in (1, 3, 10, 12, 20, 35, 60)] == [
        "一",
        "三",
        "十",
        "十二",
        "二十",
        "三十五",
        "六十",
    ]
    assert fullwidth("2026年3月5日") == "２０２６年３月５日"


def test_write_ledger_does_not_change_its_input(small, tmp_path):
    before = small.copy()
    write_ledger(small, tmp_path / "a.xlsx")
    write_ledger(small, tmp_path / "a.csv", layout="csv")
    pd.testing.assert_frame_equal(small, before)
