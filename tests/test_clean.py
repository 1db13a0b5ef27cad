"""Tests for xinfang_toolkit.clean: scalar normalisers (examples + properties) and clean_cases."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinfang_toolkit.clean import (
    clean_cases,
    id_check_digit,
    is_null,
    normalize_channel,
    normalize_id_number,
    normalize_matter_type,
    normalize_phone,
    normalize_satisfaction,
    normalize_text,
    normalize_visit_level,
    parse_count,
    parse_date,
    parse_date_column,
    parse_flag,
)

D = pd.Timestamp("2021-03-05")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


# --- parse_date ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2021, 3, 5),
        dt.datetime(2021, 3, 5, 14, 30),
        pd.Timestamp("2021-03-05 08:00"),
        44260,  # Excel serial of 2021-03-05
        44260.75,
        "44260",
        "2021.3.5",
        "2021/3/5",
        "2021-03-05",
        "20210305",
        20210305,
        "2021年3月5日",
        "2021年03月05日 14:30",
        "2021-03-05 14:30:00",
        "２０２１年３月５日",
        "二〇二一年三月五日",
        " 2021 年 3 月 5 日 ",
        "21.3.5",
    ],
)
def test_parse_date_spellings(value):
    assert parse_date(value) == (D, None)


def test_parse_date_month_day_needs_year():
    assert parse_date("3月5日", year=2021) == (D, None)
    assert parse_date("3.5", year=2021) == (D, None)
    assert parse_date("３月５日", year=2021) == (D, None)
    value, problem = parse_date("3月5日")
    assert value is None and "缺少年份" in problem


@pytest.mark.parametrize("value", [None, "", "无", "/", "—", "空", "不详", float("nan"), pd.NaT])
def test_parse_date_empty(value):
    assert parse_date(value) == (None, None)


@pytest.mark.parametrize(
    ("value", "word"),
    [("2021-02-30", "不存在"), ("abc", "无法识别"), (12, "无法识别"), ("1899-1-1", "合理范围")],
)
def test_parse_date_problems(value, word):
    result, problem = parse_date(value)
    assert result is None and word in problem


@given(st.dates(min_value=dt.date(1980, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_parse_date_property_all_spellings_agree(day):
    ts = pd.Timestamp(day)
    y, m, d = day.year, day.month, day.day
    spellings = [
        day,
        f"{y}.{m}.{d}",
        f"{y}/{m}/{d}",
        f"{y}-{m:02d}-{d:02d}",
        f"{y}{m:02d}{d:02d}",
        f"{y}年{m}月{d}日",
        f"{y}年{m}月{d}日".translate(FULL_WIDTH),
        (ts - pd.Timestamp("1899-12-30")).days,
    ]
    for value in spellings:
        assert parse_date(value) == (ts, None), value
    assert parse_date(f"{m}月{d}日", year=y) == (ts, None)


@given(st.one_of(st.text(max_size=20), st.integers(), st.floats(allow_nan=True)))
def test_parse_date_property_never_raises(value):
    result, problem = parse_date(value, year=2025)
    assert result is None or (isinstance(result, pd.Timestamp) and result == result.normalize())
    assert result is None or problem is None


def test_parse_date_column_caches_and_reports():
    values = pd.Series(["2021.3.5", "2021.3.5", "3月5日", "bad", None, 44260])
    parsed, problems = parse_date_column(values, year=2021)
    assert parsed.tolist()[:3] == [D, D, D]
    assert pd.isna(parsed[3]) and pd.isna(parsed[4]) and parsed[5] == D
    assert problems.notna().tolist() == [False, False, False, True, False, False]
    per_row = pd.Series([2021, 2022, 2022, None, None, None])
    parsed, _ = parse_date_column(values, year=per_row)
    assert parsed[2] == pd.Timestamp("2022-03-05")


# --- parse_count --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, 3),
        (3.0, 3),
        ("3", 3),
        ("3人", 3),
        ("三人", 3),
        ("十二", 12),
        ("二十", 20),
        ("二十三人", 23),
        ("一百零五", 105),
        ("两人", 2),
        ("５人", 5),
        ("12名", 12),
    ],
)
def test_parse_count_examples(value, expected):
    assert parse_count(value) == (expected, None)


@pytest.mark.parametrize(
    "value", ["3-5人", 3.5, -1, "很多", True, "12345678901234567890", "２０００００００人", 1e7]
)
def test_parse_count_problems(value):
    count, problem = parse_count(value)
    assert count is None and "人数" in problem


def _zh(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


@given(st.integers(min_value=0, max_value=99))
def test_parse_count_property_chinese_and_digits(n):
    assert parse_count(_zh(n)) == (n, None)
    assert parse_count(f"{_zh(n)}人") == (n, None)
    assert parse_count(f"{n}人") == (n, None)
    assert parse_count(float(n)) == (n, None)


@given(st.one_of(st.text(max_size=10), st.floats(), st.integers()))
def test_parse_count_property_never_raises(value):
    count, problem = parse_count(value)
    assert count is None or (isinstance(count, int) and count >= 0 and problem is None)


# --- ID numbers ---------------------------------------------------------------------------

VALID_ID = "110101199003074477"


def test_id_check_digit_known():
    assert id_check_digit("11010119900307447") == "7"
    assert id_check_digit("11010519491231002") == "X"  # GB 11643 example


def test_normalize_id_examples():
    assert normalize_id_number(VALID_ID) == (VALID_ID, None)
    assert normalize_id_number("110105194912310021")[0] is None
    assert normalize_id_number("11010519491231002x") == ("11010519491231002X", None)
    assert normalize_id_number(" 1101 0519 4912 3100 2X ") == ("11010519491231002X", None)
    assert normalize_id_number("１１０１０１１９９００３０７４４７７") == (VALID_ID, None)
    upgraded, note = normalize_id_number("110101900307447")
    assert upgraded == VALID_ID and "15 位" in note
    assert normalize_id_number("无") == (None, None)


@pytest.mark.parametrize("value", [110101199003074477, 1.101011990030745e17, "1.10101E+17"])
def test_normalize_id_numbers_stored_as_numbers_are_never_valid(value):
    result, problem = normalize_id_number(value)
    assert result is None and "数字" in problem


def test_normalize_id_rounded_text_hint():
    result, problem = normalize_id_number("110101199003074000")
    assert result is None and "000" in problem


_BIRTH = st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2020, 12, 31))


@st.composite
def valid_ids(draw):
    area = draw(st.from_regex(r"[1-6][0-9]{5}", fullmatch=True))
    birth = draw(_BIRTH).strftime("%Y%m%d")
    seq = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    first17 = area + birth + seq
    return first17 + id_check_digit(first17)


@given(valid_ids())
def test_normalize_id_property_valid_roundtrip(id_number):
    assert normalize_id_number(id_number) == (id_number, None)
    assert normalize_id_number(id_number.lower()) == (id_number, None)
    assert normalize_id_number(float(id_number[:17] + "0"))[0] is None  # stored as a number


@given(valid_ids(), st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=9))
def test_normalize_id_property_one_changed_digit_is_caught(id_number, pos, delta):
    chars = list(id_number)
    if chars[pos] == "X":
        chars[pos] = str(delta)
    else:
        chars[pos] = str((int(chars[pos]) + delta) % 10)
    assert normalize_id_number("".join(chars))[0] is None


@given(st.text(max_size=25))
def test_normalize_id_property_output_is_valid_or_empty(text):
    result, _ = normalize_id_number(text)
    assert result is None or (len(result) == 18 and id_check_digit(result[:17]) == result[17])


# --- phones -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "has_problem"),
    [
        ("13812345678", "13812345678", False),
        ("138-1234-5678", "13812345678", False),
        ("138 1234 5678", "13812345678", False),
        ("+86 13812345678", "13812345678", False),
        (13812345678.0, "13812345678", False),
        ("0371-66661234", "037166661234", False),
        ("(0371)66661234", "037166661234", False),
        ("13812345678/13912345678", "13812345678", True),
        ("12", "12", True),
        ("不详", None, False),
    ],
)
def test_normalize_phone_examples(value, expected, has_problem):
    result, problem = normalize_phone(value)
    assert result == expected and (problem is not None) == has_problem


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.sampled_from(["", "-", " ", "—"]))
def test_normalize_phone_property_mobile_with_separators(mobile, sep):
    text = mobile[:3] + sep + mobile[3:7] + sep + mobile[7:]
    assert normalize_phone(text) == (mobile, None)


@given(st.one_of(st.text(max_size=30), st.integers(min_value=0), st.floats(allow_nan=False)))
def test_normalize_phone_property_digits_only(value):
    result, _ = normalize_phone(value)
    assert result is None or (result.isdigit() and result.isascii())


# --- categorical values --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("走访", "来访"),
        ("来访", "来访"),
        ("网上信访", "网上信访"),
        ("微信", "网上信访"),
        ("12345热线", "来电"),
        ("电话", "来电"),
        ("信件", "来信"),
        ("传真", "传真"),
    ],
)
def test_normalize_channel(value, expected):
    assert normalize_channel(value) == (expected, None)


def test_normalize_channel_unknown_is_other_with_note():
    value, problem = normalize_channel("广播")
    assert value == "其他" and "广播" in problem


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("进京", "国家"),
        ("赴京", "国家"),
        ("国家", "国家"),
        ("赴省", "省"),
        ("到省", "省"),
        ("到市", "市"),
        ("赴市", "市"),
        ("到县", "县区"),
        ("到区", "县区"),
        ("本乡", "乡镇"),
        ("本镇", "乡镇"),
        ("街道", "乡镇"),
        ("乡镇", "乡镇"),
    ],
)
def test_normalize_visit_level(value, expected):
    assert normalize_visit_level(value) == (expected, None)


def test_normalize_visit_level_unknown():
    value, problem = normalize_visit_level("外地")
    assert value is None and "信访去向" in problem


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("满意", "满意"),
        ("非常满意", "满意"),
        ("比较满意", "基本满意"),
        ("基本满意", "基本满意"),
        ("不满意", "不满意"),
        ("未回访", "未评价"),
        ("未评价", "未评价"),
    ],
)
def test_normalize_satisfaction(value, expected):
    assert normalize_satisfaction(value) == (expected, None)


def test_matter_type_and_flags_and_text():
    assert normalize_matter_type("求决") == ("申诉求决类", None)
    assert normalize_matter_type("乱七八糟")[1] is not None
    assert parse_flag("是") == (True, None) and parse_flag("0") == (False, None)
    assert parse_flag("√") == (True, None) and parse_flag("") == (None, None)
    assert parse_flag("也许")[0] is None
    assert normalize_text("  反映\n问题 ") == "反映 问题"
    assert normalize_text(2025001.0) == "2025001"
    assert normalize_text("—") is None and is_null("不详") and not is_null("张三")
    assert normalize_text("拆迁补偿，要求解决。") == "拆迁补偿，要求解决。"  # no NFKC on free text


# --- clean_cases --------------------------------------------------------------------------


def _raw() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "received_date": ["2025.3.5", "3月6日", "bad", "2025-03-08"],
            "deadline": ["60天", "2025-05-01", "60", "三十日"],
            "closed_date": ["2025-04-01", "未办结", "正在办理", "2025-03-01"],
            "person_count": ["3人", "十二", None, "x"],
            "id_number": [VALID_ID, 110101199003074477.0, "11010119900307447x", None],
            "summary": [" 反映土地问题 ", "无", "低保", "拆迁"],
            "case_id": ["ＸＦ２０２５－００１", "XF2025-002", None, 2025004.0],
            "closed_flag": ["是", "否", "", "?"],
            "备注": [1.0, None, "x", ""],
            "source_file": "a.xlsx",
            "source_sheet": "S",
            "source_row": [5, 6, 7, 8],
        }
    )


def test_clean_cases_values_and_issues():
    raw = _raw()
    before = raw.copy()
    cases, issues = clean_cases(raw, year=2025)
    pd.testing.assert_frame_equal(raw, before)  # input untouched
    assert cases["received_date"].tolist()[:2] == [
        pd.Timestamp("2025-03-05"),
        pd.Timestamp("2025-03-06"),
    ]
    assert cases["deadline"][0] == pd.Timestamp("2025-05-04")  # 2025-03-05 + 60 days
    assert cases["deadline"][1] == pd.Timestamp("2025-05-01")
    assert pd.isna(cases["deadline"][2])  # 60 days, but no received date
    assert cases["deadline"][3] == pd.Timestamp("2025-04-07")  # 2025-03-08 + 三十日
    assert pd.isna(cases["closed_date"][1]) and pd.isna(cases["closed_date"][2])
    assert cases["person_count"].tolist()[:2] == [3, 12]
    assert cases["id_number"][0] == VALID_ID and pd.isna(cases["id_number"][1])
    assert cases["summary"][0] == "反映土地问题" and pd.isna(cases["summary"][1])
    assert cases["closed_flag"].tolist()[:2] == [True, False]
    assert cases["备注"][0] == "1"
    assert cases["case_id"].tolist()[:2] == ["XF2025-001", "XF2025-002"]
    assert pd.isna(cases["case_id"][2]) and cases["case_id"][3] == "2025004"
    got = set(zip(issues["source_row"], issues["column"], strict=True))
    assert got == {
        (7, "received_date"),  # bad date
        (7, "deadline"),  # duration without a start
        (8, "person_count"),
        (6, "id_number"),
        (7, "id_number"),
        (8, "closed_flag"),
        (8, "closed_date"),  # closed before received
    }
    assert list(issues.columns) == [
        "source_file",
        "source_sheet",
        "source_row",
        "column",
        "value",
        "problem",
    ]
    assert not issues["problem"].isna().any()
    assert str(cases["received_date"].dtype) == "datetime64[ns]"


def test_clean_cases_month_day_without_year_reported_per_cell():
    raw = pd.DataFrame({"received_date": ["3月5日", "3月6日"], "source_row": [2, 3]})
    cases, issues = clean_cases(raw)
    assert cases["received_date"].isna().all()
    assert issues["source_row"].tolist() == [2, 3]
    assert issues["problem"].str.contains("缺少年份").all()


@st.composite
def id_like(draw):
    """Valid IDs, their lower-case-x forms, one-digit mutations and odd dates (Feb 29/30)."""
    base = draw(valid_ids())
    kind = draw(st.sampled_from(["valid", "lower", "mutate", "feb"]))
    if kind == "lower":
        return base.lower()
    if kind == "mutate":
        pos = draw(st.integers(0, 16))
        return base[:pos] + str((int(base[pos]) + 1) % 10) + base[pos + 1 :]
    if kind == "feb":
        year = draw(st.integers(1900, 2099))
        first17 = f"110101{year}02{draw(st.sampled_from(['28', '29', '30']))}123"
        return first17 + id_check_digit(first17)
    return base


@given(st.lists(st.one_of(id_like(), st.text(max_size=20)), min_size=1, max_size=30))
def test_clean_cases_id_and_phone_columns_agree_with_scalar_functions(values):
    raw = pd.DataFrame({"id_number": values, "phone": values})
    cases, _ = clean_cases(raw)
    ids = [normalize_id_number(v)[0] for v in values]
    phones = [normalize_phone(v)[0] for v in values]
    assert [None if pd.isna(v) else v for v in cases["id_number"]] == ids
    assert [None if pd.isna(v) else v for v in cases["phone"]] == phones


def test_clean_cases_large_unique_columns_take_the_direct_path():
    """Columns of 10,000 distinct values skip the per-distinct-value step; same results."""
    n = 10_000
    ids = [f"110101{19500101 + (i % 28):08d}{i % 1000:03d}" for i in range(n)]
    ids = [v[:17] + id_check_digit(v[:17]) for v in ids]
    ids[7] = "bad"
    raw = pd.DataFrame(
        {
            "summary": [f" 诉求\n{i} " for i in range(n)],
            "id_number": ids,
            "phone": [f"138-{i:04d}-{i:04d}" for i in range(n)],
            "source_row": range(2, n + 2),
        }
    )
    cases, issues = clean_cases(raw)
    assert cases["summary"][5] == "诉求 5"
    assert cases["id_number"][3] == ids[3] and pd.isna(cases["id_number"][7])
    assert cases["phone"][12] == "13800120012"
    assert issues["source_row"].tolist() == [9] and issues["column"].tolist() == ["id_number"]


@given(st.one_of(st.text(max_size=12), st.integers(), st.floats(allow_nan=True), st.none()))
def test_categorical_normalisers_property_allowed_values_only(value):
    from xinfang_toolkit.schema import CHANNELS, SATISFACTION_VALUES, VISIT_LEVELS

    for func, allowed in (
        (normalize_channel, CHANNELS),
        (normalize_visit_level, VISIT_LEVELS),
        (normalize_satisfaction, SATISFACTION_VALUES),
    ):
        result, problem = func(value)
        assert result is None or result in allowed
        assert problem is None or isinstance(problem, str)
        if result is None and problem is None:
            assert is_null(value) or normalize_text(value) is None
