"""Hotspots: membership, counts, heat components, traceability."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from xinfang_toolkit.analysis import find_hotspots, hotspot_cases

IDS = [f"41012219900101{n:03d}X" for n in range(10)]


def _cases():
    rows = []
    # four persons, one project, one town, within 55 days -> one hotspot
    for i, d in enumerate(["2026-01-05", "2026-01-20", "2026-02-10", "2026-03-01"]):
        text = f"幸福小区拆迁安置房{i + 3}年未交付，要求尽快交房"
        rows.append((f"h{i}", IDS[i], "东城镇", d, text, i + 1))
    # the same person again on the same project: one more case, not one more person
    rows.append(
        ("h4", IDS[0], "东城镇", "2026-03-05", "幸福小区拆迁安置房3年未交付，要求尽快交房", 1)
    )
    # an unrelated matter in the same town
    rows.append(("x1", IDS[5], "东城镇", "2026-01-07", "邻居违章建房挡住采光", 1))
    # the same text in another town: not part of the 东城镇 hotspot
    rows.append(
        ("y1", IDS[6], "西城镇", "2026-01-07", "幸福小区拆迁安置房3年未交付，要求尽快交房", 1)
    )
    # the same project but a year earlier (outside the 90-day window), two persons only
    rows.append(
        ("z1", IDS[7], "东城镇", "2025-01-07", "幸福小区拆迁安置房2年未交付，要求尽快交房", 1)
    )
    rows.append(
        ("z2", IDS[8], "东城镇", "2025-01-17", "幸福小区拆迁安置房2年未交付，要求尽快交房", 1)
    )
    df = pd.DataFrame(
        rows,
        columns=["case_id", "id_number", "locality", "received_date", "summary", "person_count"],
    )
    df["received_date"] = pd.to_datetime(df["received_date"])
    df["person_count"] = df["person_count"].astype("Int64")
    return df


def test_hotspot_membership_and_counts():
    df = _cases()
    hot = find_hotspots(df, today="2026-03-10")
    assert len(hot) == 1
    h = hot.iloc[0]
    assert h["hotspot_id"] == "H001" and h["locality"] == "东城镇"
    assert sorted(h["case_ids"]) == ["h0", "h1", "h2", "h3", "h4"]
    assert h["cases"] == h["批次"] == 5
    assert h["persons"] == 4
    assert h["人次"] == 1 + 2 + 3 + 4 + 1
    assert (h["first_date"], h["last_date"]) == (
        pd.Timestamp("2026-01-05"),
        pd.Timestamp("2026-03-05"),
    )
    assert h["span_days"] == 59
    assert "交房" in "".join(h["keywords"]) or "安置" in "".join(h["keywords"])
    assert "幸福小区" in h["summary"]


def test_heat_components_by_hand():
    hot = find_hotspots(_cases(), today="2026-03-10")
    h = hot.iloc[0]
    # components are shown to two decimals (no 1.5e-05); heat uses the exact values
    volume, persons, recency = 1 - math.exp(-5 / 10), 1 - math.exp(-4 / 10), math.exp(-5 / 30)
    assert (h["volume"], h["persons_score"], h["recency"]) == (
        round(volume, 2),
        round(persons, 2),
        round(recency, 2),
    )
    assert h["days_since_last"] == 5
    # last 30 days (02-09..03-10): 02-10, 03-01, 03-05 -> 3; the 30 before: 01-20 -> 1
    assert (h["recent_cases"], h["previous_cases"]) == (3, 1)
    assert h["growth"] == pytest.approx(0.75)
    expected = 100 * (0.3 * volume + 0.3 * persons + 0.2 * recency + 0.2 * 0.75)
    assert h["heat"] == pytest.approx(round(expected, 1))
    only_volume = find_hotspots(
        _cases(), today="2026-03-10", weights={"persons": 0, "recency": 0, "growth": 0}
    )
    assert only_volume["heat"].iloc[0] == pytest.approx(round(100 * volume, 1))
    assert only_volume.attrs["weights"]["volume"] == 0.3


def test_thresholds_and_traceability():
    df = _cases()
    assert find_hotspots(df, today="2026-03-10", min_persons=5).empty
    two = find_hotspots(df, today="2026-03-10", min_persons=2)
    assert len(two) == 2  # the 2025 pair is now a hotspot too
    assert set(two.iloc[1]["case_ids"]) == {"z1", "z2"}
    hot = find_hotspots(df.set_index("case_id", drop=False), today="2026-03-10")
    rows = hotspot_cases(df.set_index("case_id", drop=False), hot, "H001")
    assert rows["case_id"].tolist() == ["h0", "h1", "h2", "h3", "h4"]
    with pytest.raises(KeyError, match="没有热点"):
        hotspot_cases(df, hot, "H999")
    with pytest.raises(ValueError, match="min_persons"):
        find_hotspots(df, min_persons=1)


def test_long_running_problem_is_cut_into_windows():
    rows = [
        (f"w{i}", IDS[i % 6], "东城镇", d, "滨河路改造工程多年未完工，雨天积水严重", 1)
        for i, d in enumerate(
            ["2025-01-01", "2025-02-01", "2025-03-01", "2025-05-01", "2025-06-01", "2025-07-01"]
        )
    ]
    df = pd.DataFrame(
        rows,
        columns=["case_id", "id_number", "locality", "received_date", "summary", "person_count"],
    )
    df["received_date"] = pd.to_datetime(df["received_date"])
    hot = find_hotspots(df, today="2025-07-10", window_days=90)
    assert sorted(map(sorted, hot["case_ids"])) == [["w0", "w1", "w2"], ["w3", "w4", "w5"]]
    assert hot.iloc[0]["case_ids"] == ["w3", "w4", "w5"]  # the recent one is hotter
    assert (hot["span_days"] <= 90).all()


def test_keywords_are_whole_words():
    """The n-grams cut words apart (响村民身体健, 康要); keywords are whole words, cut at
    punctuation."""
    from xinfang_toolkit.analysis._hotspots import whole_words

    text = "夜间偷排更严重，影响村民身体健康，要求关停"
    assert whole_words("响村民身体健", [text]) == "影响村民身体健康"
    assert whole_words("偷排更严重影响", [text]) == "偷排更严重"  # not across the comma
    assert whole_words("没有的词", [text]) == "没有的词"
    # too long grown: the whole words inside it, then the longest piece between punctuation
    assert whole_words("村民身体健康要求关", [text], longest=4) == "村民身体健康"


def test_a_person_named_in_the_summaries_is_masked_in_summary_and_keywords():
    """Summaries may name the petitioner of another case with no cue word (反映张富贵拖欠…):
    the hotspot's summary and keywords mask every person the cases know."""
    names = ["王建国", "李秀英", "赵德明", "孙丽华"]
    rows = [
        {
            "case_id": f"C{i}",
            "petitioner": n,
            "received_date": pd.Timestamp("2026-03-01") + pd.Timedelta(days=i),
            "locality": "城关镇",
            "summary": f"反映张富贵拖欠工程款，要求张富贵支付拖欠的工程款{i}",
        }
        for i, n in enumerate(names)
    ]
    rows.append(
        {
            "case_id": "C9",
            "petitioner": "张富贵",
            "received_date": pd.Timestamp("2026-01-01"),
            "locality": "河西乡",
            "summary": "咨询政策",
        }
    )
    hot = find_hotspots(pd.DataFrame(rows), min_persons=3)
    assert len(hot) == 1
    shown = hot["summary"].iloc[0] + " ".join(hot["keywords"].iloc[0])
    assert "张富贵" not in shown and "富贵" not in shown.replace("张*贵", "")
    assert "张*贵" in hot["summary"].iloc[0]
