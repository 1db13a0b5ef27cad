"""Date and date-time cells: one tokenising parser, the time kept apart from the day."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xinfang_toolkit.clean import (
    clean_cases,
    day_month_order,
    parse_date,
    parse_date_column,
    parse_datetime,
    parse_datetime_column,
)

days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31))
times = st.times().map(lambda t: t.replace(microsecond=0))
spaces = st.sampled_from(["", " ", "  ", "   ", "\u3000"])


def _num(n: int, pad: bool) -> str:
    return f"{n:02d}" if pad else str(n)


@st.composite
def date_time_text(draw) -> tuple[str, dt.date, dt.time | None]:
    day, clock = draw(days), draw(times)
    pad = draw(st.booleans())
    sep = draw(st.sampled_from(["-", "/", ".", "年"]))
    y, m, d = str(day.year), _num(day.month, pad), _num(day.day, pad)
    inner = draw(st.sampled_from(["", "", " ", "  "]))  # spaces around the separators too
    if sep == "年":
        end = draw(st.sampled_from(["日", "号"]))
        text = f"{y}{inner}年{inner}{m}{inner}月{inner}{d}{inner}{end}"
    else:
        text = f"{y}{inner}{sep}{inner}{m}{inner}{sep}{inner}{d}"
    style = draw(st.sampled_from(["none", "colon", "colon_s", "zh", "t"]))
    h, mi, s = _num(clock.hour, pad), f"{clock.minute:02d}", f"{clock.second:02d}"
    if style == "none":
        return text + draw(spaces).replace("\u3000", " ").rstrip(), day, None
    gap = draw(spaces)
    if style == "colon":
        return f"{text}{gap or ' '}{h}:{mi}", day, clock.replace(second=0)
    if style == "colon_s":
        return f"{text}{gap or ' '}{h}:{mi}:{s}", day, clock
    if style == "zh":  # after 日 no space is needed; after 2000-1-1 it is (else: day 10?)
        gap = gap if sep == "年" else gap or " "
        return f"{text}{gap}{h}时{mi}分", day, clock.replace(second=0)
    return f"{day.isoformat()}T{clock:%H:%M:%S}", day, clock


@settings(max_examples=300, deadline=None)
@given(date_time_text())
def test_any_spelling_with_or_without_time_gives_the_day(case):
    text, day, clock = case
    got, problem = parse_date(text)
    assert problem is None, (text, problem)
    assert got == pd.Timestamp(day), text
    stamp, _ = parse_datetime(text)
    if clock is not None:
        assert stamp == pd.Timestamp(dt.datetime.combine(day, clock)), text


@settings(max_examples=100, deadline=None)
@given(date_time_text())
def test_full_width_spelling_gives_the_same_day(case):
    text, day, _clock = case
    wide = text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789-/.:"})
    assert parse_date(wide) == (pd.Timestamp(day), None)


@settings(max_examples=100, deadline=None)
@given(days, st.booleans())
def test_us_text_column_order_decided_from_unambiguous_values(day, day_first):
    def spell(d: dt.date) -> str:
        a, b = (d.day, d.month) if day_first else (d.month, d.day)
        return f"{a}/{b}/{d.year}"

    settle = dt.date(2016, 12, 16)  # 16 > 12 tells the order
    values = pd.Series([spell(settle), spell(day)], dtype=object)
    parsed, problems = parse_date_column(values)
    assert parsed.tolist() == [pd.Timestamp(settle), pd.Timestamp(day)]
    assert problems.isna().all()


@pytest.mark.parametrize(
    ("text", "day", "clock"),
    [
        ("2019/4/25 9:32:09", "2019-04-25", "09:32:09"),
        ("2018/12/8 12:16:24", "2018-12-08", "12:16:24"),
        ("2019/12/2 19:34:28", "2019-12-02", "19:34:28"),
        ("2019-04-25 09:32", "2019-04-25", "09:32:00"),
        ("2019-04-25T09:32:00", "2019-04-25", "09:32:00"),
        ("2019年4月25日 9时32分", "2019-04-25", "09:32:00"),
        ("2019年4月25日下午3点", "2019-04-25", "15:00:00"),
        ("2019年4月25日12点半", "2019-04-25", "12:30:00"),
        ("二〇一九年四月二十五日上午九时三十分", "2019-04-25", "09:30:00"),
        ("2019年4月25日上午", "2019-04-25", None),
        ("2026-10-22 上午", "2026-10-22", None),
        ("2026年10月17号", "2026-10-17", None),
        ("二〇二一年十月二十五日", "2021-10-25", None),
        ("２０１９／４／２５　９：３２", "2019-04-25", "09:32:00"),
        ("2019年4月25日(星期四)", "2019-04-25", None),
        ("20190425093209", "2019-04-25", "09:32:09"),
        (45000.375, "2023-03-15", "09:00:00"),
        ("45000.375", "2023-03-15", "09:00:00"),
        (dt.datetime(2019, 4, 25, 9, 32, 9), "2019-04-25", "09:32:09"),
    ],
)
def test_examples_day_and_time(text, day, clock):
    days_, clocks, problems = parse_datetime_column(pd.Series([text], dtype=object))
    assert days_[0] == pd.Timestamp(day)
    assert (clocks[0] if pd.notna(clocks[0]) else None) == clock
    assert problems.isna().all(), problems[0]


def test_letter_o_read_as_zero_with_a_note():
    got, problem = parse_date("2026.10.2O")
    assert got == pd.Timestamp("2026-10-20") and "字母 O" in problem


def test_impossible_time_keeps_the_day_with_an_issue():
    days_, clocks, problems = parse_datetime_column(pd.Series(["2019/4/25 25:00"]))
    assert days_[0] == pd.Timestamp("2019-04-25") and pd.isna(clocks[0])
    assert "时间不存在" in problems[0]


def test_ambiguous_us_column_is_read_month_first_with_a_note():
    parsed, problems = parse_date_column(pd.Series(["5/6/2016", "1/2/2016"]))
    assert parsed.tolist() == [pd.Timestamp("2016-05-06"), pd.Timestamp("2016-01-02")]
    assert problems.str.contains("顺序不确定").all()
    assert day_month_order(["5/6/2016", "13/6/2016"]) == "dmy"
    assert day_month_order(["5/6/2016", "5/16/2016"]) == "mdy"
    assert day_month_order(["5/6/2016"]) is None


def test_clean_cases_keeps_time_apart_and_reports_late_dates():
    raw = pd.DataFrame(
        {
            "received_date": ["2019/12/2 19:34:28", "2031-01-05", "2020-03-01", "2019-06-01"],
            "summary": ["a", "b", "c", "d"],
            "source_row": [2, 3, 4, 5],
        }
    )
    cases, issues = clean_cases(raw, year=2019, today=dt.date(2026, 12, 1))
    assert cases["received_date"].tolist()[0] == pd.Timestamp("2019-12-02")
    assert cases["received_time"].tolist()[0] == "19:34:28"
    assert pd.isna(cases["received_time"][1])
    problems = dict(zip(issues["source_row"].tolist(), issues["problem"].tolist(), strict=True))
    assert "晚于今天" in problems[3]
    assert "晚于本表所属的 2019 年" in problems[4]
    assert 2 not in problems and 5 not in problems


def test_each_distinct_spelling_parsed_once(monkeypatch):
    import xinfang_toolkit.clean._dates as clean

    calls = []
    real = clean._parse_stamp

    def counting(value, year, order=None):
        calls.append(value)
        return real(value, year, order)

    monkeypatch.setattr(clean, "_parse_stamp", counting)
    clean._parse_stamp_cached.cache_clear()
    values = pd.Series(["2019/4/25 9:32:09", "2019/4/26 9:00"] * 500, dtype=object)
    parse_datetime_column(values)
    assert sorted(c for c in calls if c is not None) == ["2019/4/25 9:32:09", "2019/4/26 9:00"]


# --- real date cells (date and date-time objects) read at once --------------------------------

CELLS = st.one_of(
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1)),
    st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2026, 1, 1)).map(
        lambda t: t.replace(hour=0, minute=0, second=0, microsecond=0)
    ),
    st.times(),
    st.sampled_from(["2025/3/5 9:32:09", "2025年3月5日", "", None, "不详", 45000.5]),
    st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2026, 1, 1)).map(
        pd.Timestamp
    ),
    st.datetimes(
        min_value=dt.datetime(2024, 1, 1),
        max_value=dt.datetime(2026, 1, 1),
        timezones=st.just(dt.timezone(dt.timedelta(hours=8))),
    ),
)
#: columns of one kind (date cells only, date-times only) as well as mixed ones
COLUMNS = st.one_of(
    st.lists(CELLS, min_size=1, max_size=400),
    st.lists(st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2110, 1, 1)), max_size=300),
    st.lists(
        st.datetimes(min_value=dt.datetime(1975, 1, 1), max_value=dt.datetime(2105, 1, 1)),
        max_size=300,
    ),
    st.lists(  # date-times only, some with a time zone (a frame an analyst built)
        st.datetimes(
            min_value=dt.datetime(2024, 1, 1),
            max_value=dt.datetime(2026, 1, 1),
            timezones=st.sampled_from([None, dt.timezone(dt.timedelta(hours=8))]),
        ),
        min_size=1,
        max_size=50,
    ),
)


@settings(max_examples=60, deadline=None)
@given(COLUMNS)
def test_date_cells_read_at_once_as_one_by_one(values):
    """The date and date-time objects of a column (a workbook's date cells) are converted by
    numpy at once; each gives the day, time of day and problem the one-by-one reader gives."""
    days_, clocks, problems = parse_datetime_column(pd.Series(values, dtype=object))
    for value, day, clock, problem in zip(values, days_, clocks, problems, strict=True):
        stamp, want_problem = parse_datetime(value)
        want_day = pd.NaT if stamp is None else stamp.normalize()
        assert (pd.isna(day) and pd.isna(want_day)) or day == want_day, value
        seconds = 0 if stamp is None else int((stamp - stamp.normalize()).total_seconds())
        want_clock = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        assert (pd.isna(clock) and seconds == 0) or clock == want_clock, value
        assert problem == want_problem, value


def test_many_date_cells_and_their_time_of_day():
    stamps = pd.date_range("2025-01-01 08:00", periods=3000, freq="37min")
    values = pd.Series([t.to_pydatetime() for t in stamps] + [dt.date(1970, 1, 1)], dtype=object)
    days_, clocks, problems = parse_datetime_column(values)
    assert (days_[:3000].to_numpy() == stamps.normalize().to_numpy()).all()
    assert clocks[1] == "08:37:00" and pd.isna(days_[3000])
    assert "1980-2100" in problems[3000]
