"""The merge rules of CaseArchive.import_ledgers (issue 12)."""

from __future__ import annotations

import pandas as pd
import pytest
from archive_helpers import base_cases, closed, ledger

from xinfang_toolkit import load_cases, summarize
from xinfang_toolkit.archive import KIND_CONTENT, KIND_NUMBER, CaseArchive


@pytest.fixture
def july(tmp_path):
    cases = base_cases()
    return cases, ledger(cases, tmp_path / "in", "2026-07")


def test_first_import_counts_every_case_new(tmp_path, july):
    cases, path = july
    archive = CaseArchive(tmp_path / "a.duckdb")
    result = archive.import_ledgers(path)
    assert (result.new, result.updated, result.unchanged) == (len(cases), 0, 0)
    assert result.load is not None and len(result.load.cases) == len(cases)
    got = archive.cases()
    assert sorted(got["case_id"]) == sorted(cases["case_id"])
    assert (got["versions"] == 1).all()
    assert (got["first_seen"] == pd.Timestamp("2026-07-31")).all()
    assert (got["key_kind"] == KIND_NUMBER).all()
    assert result.files.loc[0, "period_source"] == "文件名"


def test_same_file_twice_changes_nothing_and_says_so(tmp_path, july):
    _cases, path = july
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_ledgers(path)
    before = archive.cases()
    again = archive.import_ledgers(path)
    assert not again.changed
    assert (again.new, again.updated, again.unchanged) == (0, 0, 0)
    assert again.load is None
    assert "已导入过" in again.files.loc[0, "status"]
    assert "没有任何变化" in again.summary()
    pd.testing.assert_frame_equal(archive.cases(), before)
    assert archive.status()["imports"] == 1


def test_an_updated_case_is_merged_into_one_with_its_history(tmp_path, july):
    cases, path = july
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_ledgers(path)
    august = closed(cases, [0], "2026-08-10")
    result = archive.import_ledgers(ledger(august, tmp_path / "in", "2026-08"))
    assert (result.new, result.updated, result.unchanged) == (0, 1, len(cases) - 1)
    fields = set(result.changed_fields["field"])
    assert fields == {"closed_date", "outcome", "satisfaction"}
    got = archive.cases().set_index("case_id")
    assert len(got) == len(cases)
    case = cases.loc[0, "case_id"]
    assert got.loc[case, "closed_date"] == pd.Timestamp("2026-08-10")
    assert got.loc[case, "versions"] == 2
    assert got.loc[case, "last_seen"] == pd.Timestamp("2026-08-31")
    history = archive.history(case)
    assert list(history["version"]) == [1, 2]
    assert "办结日期: (空) → 2026-08-10" in history.loc[1, "changes"]
    assert history.loc[1, "source_file"] == "河东县台账_2026年08月.xlsx"
    assert history["imported_at"].notna().all()


def test_load_cases_counts_twice_but_the_archive_once(tmp_path, july):
    cases, path = july
    august = ledger(closed(cases, [0, 1], "2026-08-10"), tmp_path / "in", "2026-08")
    loaded = load_cases([path, august]).cases
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_ledgers([path, august])
    merged = archive.cases()
    assert len(loaded) == len(cases) + 2  # the two updated cases kept twice by load_cases
    assert len(merged) == len(cases)
    kw = {"start": "2026-01-01", "end": "2026-08-31", "today": "2026-08-31"}
    s = summarize(merged, **kw)
    assert s.numbers["cases"] == len(cases)
    assert summarize(loaded, **kw).numbers["cases"] == len(cases) + 2


def test_an_older_ledger_imported_late_never_overwrites_newer_facts(tmp_path, july):
    cases, path = july
    archive = CaseArchive(tmp_path / "a.duckdb")
    august = closed(cases, [0], "2026-08-10")
    archive.import_ledgers(ledger(august, tmp_path / "in", "2026-08"))
    late = archive.import_ledgers(path)  # July, imported after August
    assert late.updated == 0 and late.new == 0
    assert late.stale == 1
    got = archive.cases().set_index("case_id")
    case = cases.loc[0, "case_id"]
    assert got.loc[case, "closed_date"] == pd.Timestamp("2026-08-10")
    assert got.loc[case, "first_seen"] == pd.Timestamp("2026-07-31")
    history = archive.history(case)
    assert list(history["period"]) == [pd.Timestamp("2026-07-31"), pd.Timestamp("2026-08-31")]
    assert bool(history.loc[0, "stale"]) and not bool(history.loc[1, "stale"])
    # the state of a past day is the July ledger's
    assert pd.isna(archive.cases(as_of="2026-07-31").set_index("case_id").loc[case, "closed_date"])


def test_one_call_sorts_its_files_by_period(tmp_path, july):
    cases, path = july
    august = ledger(closed(cases, [0], "2026-08-10"), tmp_path / "in", "2026-08")
    archive = CaseArchive(tmp_path / "a.duckdb")
    result = archive.import_ledgers([august, path])
    assert result.stale == 0 and result.updated == 1
    got = archive.cases().set_index("case_id")
    assert got.loc[cases.loc[0, "case_id"], "closed_date"] == pd.Timestamp("2026-08-10")


def test_a_case_without_a_number_is_keyed_by_content_and_reported(tmp_path):
    cases = base_cases()
    cases.loc[3, "case_id"] = pd.NA
    archive = CaseArchive(tmp_path / "a.duckdb")
    first = archive.import_ledgers(ledger(cases, tmp_path / "in", "2026-07"))
    assert first.content_keyed == 1
    assert "内容键" in first.summary()
    again = archive.import_ledgers(
        ledger(closed(cases, [3], "2026-08-02"), tmp_path / "in", "2026-08")
    )
    assert (again.new, again.updated) == (0, 1)
    got = archive.cases()
    row = got[got["key_kind"] == KIND_CONTENT]
    assert len(row) == 1 and row["case_key"].iloc[0].startswith("内容:")
    assert row["closed_date"].iloc[0] == pd.Timestamp("2026-08-02")
    assert archive.status()["content_keyed"] == 1


def test_a_blanked_field_is_kept_and_reported(tmp_path, july):
    cases, path = july
    archive = CaseArchive(tmp_path / "a.duckdb")
    august = closed(cases, [0], "2026-08-10")
    archive.import_ledgers([path, ledger(august, tmp_path / "in", "2026-08")])
    september = august.copy()
    september.loc[0, ["closed_date", "outcome", "satisfaction"]] = pd.NA
    result = archive.import_ledgers(ledger(september, tmp_path / "in", "2026-09"))
    assert result.blanked == 1 and result.updated == 0
    assert set(result.blanked_fields["field"]) == {"closed_date", "outcome", "satisfaction"}
    assert "办结日期" in result.summary()
    case = cases.loc[0, "case_id"]
    got = archive.cases().set_index("case_id")
    assert got.loc[case, "closed_date"] == pd.Timestamp("2026-08-10")
    history = archive.history(case)
    assert "办结日期" in history["blanked_kept"].iloc[-1]
    changes = archive.changes("2026-09-01", "2026-09-30")
    assert list(changes["重新打开"]["case_id"]) == [case]


def test_a_repeated_row_in_one_file_keeps_the_last(tmp_path):
    cases = base_cases(6)
    twice = pd.concat([cases, closed(cases.iloc[[2]], [2], "2026-07-05")])
    archive = CaseArchive(tmp_path / "a.duckdb")
    result = archive.import_ledgers(ledger(twice, tmp_path / "in", "2026-07"))
    assert result.new == 6
    assert result.files.loc[0, "repeated_in_file"] == 1
    got = archive.cases().set_index("case_id").loc[cases.loc[2, "case_id"]]
    both = result.load.cases[result.load.cases["case_id"] == cases.loc[2, "case_id"]]
    last = both.sort_values("source_row").iloc[-1]
    assert got["source_row"] == last["source_row"]
    assert pd.isna(got["closed_date"]) == pd.isna(last["closed_date"])


def test_period_parameter_wins_over_the_file_name(tmp_path, july):
    _cases, path = july
    archive = CaseArchive(tmp_path / "a.duckdb")
    result = archive.import_ledgers(path, period="2026-09")
    assert result.files.loc[0, "period"] == pd.Timestamp("2026-09-30")
    assert result.files.loc[0, "period_source"] == "参数 period="


def test_import_cases_merges_a_frame_with_the_same_rules(tmp_path):
    cases = base_cases(5)
    archive = CaseArchive(tmp_path / "a.duckdb")
    first = archive.import_cases(cases, period="2026-07-31", name="系统导出")
    assert first.new == 5
    second = archive.import_cases(closed(cases, [1], "2026-08-03"), period="2026-08-31")
    assert (second.new, second.updated, second.unchanged) == (0, 1, 4)
    again = archive.import_cases(closed(cases, [1], "2026-08-03"), period="2026-08-31")
    assert (again.updated, again.unchanged) == (0, 5)
    got = archive.cases().set_index("case_id")
    assert got.loc[cases.loc[1, "case_id"], "closed_date"] == pd.Timestamp("2026-08-03")
    assert list(archive.imports()["file_name"]) == ["系统导出", "(数据框)", "(数据框)"]


def test_a_given_person_key_is_kept(tmp_path):
    cases = base_cases(3)
    cases["person_key"] = ["PA", "PB", "PA"]
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_cases(cases, period="2026-07-31")
    assert sorted(archive.cases()["person_key"]) == ["PA", "PA", "PB"]
    cases = cases.drop(columns="person_key")
    archive.import_cases(cases, period="2026-08-31")
    assert archive.cases()["person_key"].str.startswith("P").all()


def test_current_is_always_the_latest_version_and_the_sightings(tmp_path):
    """``current`` is kept up to date from each file's merge alone; it must equal the state
    looked up from ``versions`` and ``seen`` afterwards, whatever the order of the ledgers:
    new cases, updates, unchanged sightings, an older ledger imported late, a blanked field,
    a case listed twice in a file."""
    cases = base_cases(8)
    aug = closed(cases, [0, 1], "2026-08-10")
    aug.loc[2, "leader"] = "赵立新"
    new = base_cases(2, seed=9)
    new["case_id"] = ["XF2026-N001", "XF2026-N002"]
    sep = pd.concat([aug, new], ignore_index=True)
    sep.loc[0, ["closed_date", "outcome", "satisfaction"]] = pd.NA  # blanked: kept
    sep = pd.concat([sep, closed(sep.iloc[[3]], [3], "2026-09-02")], ignore_index=True)
    june = cases.iloc[:5].copy()
    june.loc[4, "leader"] = "钱学文"  # an older ledger, imported last
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_cases(cases, period="2026-07-31", name="7")
    archive.import_cases(aug, period="2026-08-31", name="8")
    archive.import_cases(sep, period="2026-09-30", name="9")
    archive.import_cases(sep, period="2026-09-30", name="9 again")
    archive.import_cases(june, period="2026-06-30", name="6")
    columns = "case_key, import_id, period, first_seen, last_seen, versions, leader, closed_date"
    kept = f"SELECT {columns} FROM current ORDER BY case_key"
    looked_up = f"""
        SELECT {columns} FROM (
            SELECT * FROM versions QUALIFY row_number() OVER (
                PARTITION BY case_key ORDER BY period DESC, import_id DESC) = 1) v
        JOIN (SELECT case_key, min(period) AS first_seen, max(period) AS last_seen FROM seen
              GROUP BY case_key) USING (case_key)
        JOIN (SELECT case_key, count(*)::INTEGER AS versions FROM versions GROUP BY case_key)
            USING (case_key)
        ORDER BY case_key"""
    with archive._connect() as con:
        assert con.execute(kept).fetchall() == con.execute(looked_up).fetchall()
        assert con.execute("SELECT count(*) FROM current").fetchall() == [(len(cases) + 2,)]
    got = archive.cases().set_index("case_id")
    assert got.loc[cases.loc[0, "case_id"], "closed_date"] == pd.Timestamp("2026-08-10")
    assert got.loc[cases.loc[4, "case_id"], "first_seen"] == pd.Timestamp("2026-06-30")
    assert pd.isna(got.loc[cases.loc[4, "case_id"], "leader"])  # June's leader: history only
    assert "钱学文" in set(archive.history(cases.loc[4, "case_id"], mask=False)["leader"].dropna())
