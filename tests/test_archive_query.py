"""Reading the archive: cases as of a day, changes in a period, backlog trend, campaign, export."""

from __future__ import annotations

import duckdb
import pandas as pd
import polars as pl
import pytest
from archive_helpers import base_cases, closed, ledger

from xinfang_toolkit.archive import KINDS, CaseArchive, backlog_on
from xinfang_toolkit.archive._backlog import JUDGE_COLUMNS
from xinfang_toolkit.synth import generate_cases


@pytest.fixture
def three_months(tmp_path):
    """July: 12 open cases (some overdue); August: case 0 closed, 2 new cases; September: case 1
    closed, case 0's closing date left empty."""
    cases = base_cases()
    cases["deadline"] = cases["received_date"] + pd.Timedelta(days=60)
    new = base_cases(2, seed=9)
    new["case_id"] = ["XF2026-N001", "XF2026-N002"]
    new["received_date"] = pd.Timestamp("2026-08-05")
    new["deadline"] = pd.Timestamp("2026-10-04")
    august = pd.concat([closed(cases, [0], "2026-08-10"), new], ignore_index=True)
    september = closed(august, [1], "2026-09-03")
    september.loc[0, ["closed_date", "outcome", "satisfaction"]] = pd.NA
    folder = tmp_path / "in"
    paths = [
        ledger(cases, folder, "2026-07"),
        ledger(august, folder, "2026-08"),
        ledger(september, folder, "2026-09"),
    ]
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_ledgers(folder)
    return archive, cases, paths


def test_cases_as_of_a_past_day(three_months):
    archive, cases, _ = three_months
    assert len(archive.cases(as_of="2026-07-31")) == len(cases)
    assert len(archive.cases(as_of="2026-08-31")) == len(cases) + 2
    assert len(archive.cases(as_of="2026-06-30")) == 0
    july = archive.cases(as_of="2026-07-31")
    assert july["closed_date"].isna().all()
    assert (july["last_seen"] == pd.Timestamp("2026-07-31")).all()
    latest = archive.cases().set_index("case_id")
    assert latest.loc[cases.loc[1, "case_id"], "closed_date"] == pd.Timestamp("2026-09-03")
    assert latest.loc[cases.loc[0, "case_id"], "closed_date"] == pd.Timestamp("2026-08-10")


def test_changes_of_a_month(three_months):
    archive, cases, _ = three_months
    aug = archive.changes("2026-08-01", "2026-08-31")
    assert list(aug.counts["变化"]) == list(KINDS)
    assert set(aug["新增"]["case_id"]) == {"XF2026-N001", "XF2026-N002"}
    assert list(aug["办结"]["case_id"]) == [cases.loc[0, "case_id"]]
    assert aug["重新打开"].empty
    sep = archive.changes("2026-09-01", "2026-09-30")
    assert sep["新增"].empty
    assert list(sep["办结"]["case_id"]) == [cases.loc[1, "case_id"]]
    assert list(sep["重新打开"]["case_id"]) == [cases.loc[0, "case_id"]]
    assert "2026-09-01 至 2026-09-30" in sep.summary()


def test_a_case_closed_before_the_period_is_not_counted_closed_again(tmp_path):
    """办结 lists only cases open the day before the period and closed by its end, also when
    the period brings new cases (unknown the day before) and updates a case closed before."""
    july = closed(base_cases(3), [0], "2026-07-10")
    new = base_cases(1, seed=9)
    new["case_id"] = ["XF2026-N001"]
    new["received_date"] = pd.Timestamp("2026-08-05")
    august = pd.concat([closed(july, [1], "2026-08-12"), new], ignore_index=True)
    august.loc[0, "leader"] = "赵立新"  # closed in July, updated in August: still not 办结 then
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_cases(july, period="2026-07-31")
    archive.import_cases(august, period="2026-08-31")
    aug = archive.changes("2026-08-01", "2026-08-31")
    assert list(aug["办结"]["case_id"]) == [july.loc[1, "case_id"]]
    assert list(aug["新增"]["case_id"]) == ["XF2026-N001"]


def test_judging_on_the_judge_columns_is_judging_on_all(tmp_path):
    """changes() judges status and 积案 on JUDGE_COLUMNS only: the same answer as on every
    column (repeat chains, deadlines, ledger flags), on cases with chains and missing persons."""
    cases = generate_cases(400, seed=5, start="2025-06-01", end="2026-06-30", today="2026-07-31")
    cases.loc[cases.index[::7], ["petitioner", "id_number", "phone", "address"]] = pd.NA
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_cases(cases, period="2026-07-31")
    state = archive.cases()
    for day in (pd.Timestamp("2026-03-31"), pd.Timestamp("2026-07-31")):
        full = backlog_on(state, day).set_index("case_key")
        narrow = backlog_on(state[list(JUDGE_COLUMNS)], day).set_index("case_key")
        assert full["is_backlog"].any()
        cols = ["status", "overdue_days", "is_backlog", "backlog_reason", "chain_id"]
        pd.testing.assert_frame_equal(narrow[cols], full.loc[narrow.index, cols])
        assert narrow.index.equals(full.index)


def test_changes_are_masked_by_default(three_months):
    archive, cases, _ = three_months
    rows = archive.changes("2026-08-01", "2026-08-31")["办结"]
    full = archive.changes("2026-08-01", "2026-08-31", mask=False)["办结"]
    assert full["petitioner"].iloc[0] == cases.loc[0, "petitioner"]
    assert rows["petitioner"].iloc[0] != cases.loc[0, "petitioner"]
    assert "*" in rows["petitioner"].iloc[0]


def test_backlog_changes_follow_the_one_definition(three_months):
    archive, _cases, _ = three_months
    day = pd.Timestamp("2026-08-31")
    direct = backlog_on(archive.cases(as_of=day), day)
    expected = set(direct.loc[direct["is_backlog"], "case_key"])
    assert expected  # the July cases are overdue by then
    assert set(archive.backlog(day)["case_key"]) == expected
    trend = archive.backlog_trend().set_index("month_end")
    assert list(trend.index) == list(pd.date_range("2026-07-31", "2026-09-30", freq="ME"))
    assert trend.loc[day, "backlog"] == len(expected)
    before = set(archive.backlog("2026-07-31")["case_key"])
    aug = archive.changes("2026-08-01", "2026-08-31")
    assert set(aug["新进入积案"]["case_key"]) == expected - before
    assert set(aug["退出积案"]["case_key"]) == before - expected


def test_campaign_progress(three_months):
    archive, cases, _ = three_months
    start = archive.backlog("2026-07-31")
    progress = archive.campaign("2026-07-31", "2026-09-30")
    assert progress.total == len(start)
    resolved = set(progress.rows.loc[progress.rows["resolved"], "case_id"])
    end = set(archive.backlog("2026-09-30")["case_key"])
    assert resolved == set(start.loc[~start["case_key"].isin(end), "case_id"])
    assert cases.loc[0, "case_id"] in resolved  # overdue in July, closed in August
    assert progress.remaining == progress.total - progress.resolved
    summary = progress.summary()  # 办结 is not 化解: nothing here says which were settled
    assert f"已办结(不再是积案) {progress.resolved} 件" in summary and "化解" not in summary


def test_history_of_an_unknown_case_is_a_clear_error(three_months):
    archive, _, _ = three_months
    with pytest.raises(KeyError, match="归档中没有信访件"):
        archive.history("XF-没有这件")


def test_export_parquet_reads_back_with_duckdb_and_polars(three_months, tmp_path):
    archive, cases, _ = three_months
    folder = archive.export_parquet(tmp_path / "parquet")
    got = duckdb.sql(
        f"SELECT * FROM read_parquet('{(folder / 'cases').as_posix()}/**/*.parquet', "
        "hive_partitioning = true)"
    ).df()
    assert len(got) == len(cases) + 2
    assert set(got["month"].dropna().astype(int)) <= set(range(1, 13))
    assert not set(got["petitioner"]) & set(cases["petitioner"])  # masked
    history = pl.read_parquet(folder / "history" / "**" / "*.parquet", hive_partitioning=True)
    assert history.height == archive.status()["versions"]
    assert sorted(history["month"].unique().to_list()) == [7, 8, 9]
    # written again: the folder is replaced whole
    archive.export_parquet(folder, mask=False)
    again = pl.read_parquet(folder / "cases" / "**" / "*.parquet", hive_partitioning=True)
    assert set(again["petitioner"].to_list()) == set(archive.cases()["petitioner"])


def test_dashboard_and_report_take_the_archive_cases(three_months, tmp_path):
    from xinfang_toolkit import Dashboard, draft_report, export_docx, summarize

    archive, cases, paths = three_months
    merged = archive.cases()
    board = Dashboard(merged, today="2026-09-30", charts=False)
    assert len(board.cases) == len(cases) + 2
    summary = summarize(merged, start="2026-01-01", end="2026-09-30", today="2026-09-30")
    assert summary.numbers["cases"] == len(cases) + 2
    assert draft_report(summary)
    assert export_docx(summary, tmp_path / "r.docx", charts=False).exists()
