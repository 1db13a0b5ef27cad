"""The archive carries the handling columns (交办机关 ... 化解方式): kept, versioned, in history,
and added to an archive made before they existed."""

from __future__ import annotations

import duckdb
import fixtures_handling as F

from xinfang_toolkit.archive import CaseArchive
from xinfang_toolkit.schema import HANDLING_COLUMNS


def test_handling_columns_are_carried_and_versioned(tmp_path):
    F.assigned_register(tmp_path / "交办件.xlsx")
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_ledgers(tmp_path / "交办件.xlsx", period="2026-04-30")
    cases = archive.cases().set_index("case_id")
    assert set(HANDLING_COLUMNS) <= set(cases.columns)
    assert cases.loc["JB20260001", "assigned_by"] == "国家信访局"
    assert str(cases.loc["JB20260002", "feedback_due"].date()) == "2026-01-26"
    history = archive.history("JB20260001")
    assert history["assigned_by"].tolist() == ["国家信访局"]


def test_an_archive_without_the_handling_columns_gains_them(tmp_path):
    path = tmp_path / "old.duckdb"
    CaseArchive(path)
    con = duckdb.connect(str(path))
    con.execute("DROP INDEX versions_case_key")
    for table in ("versions", "current"):
        for col in HANDLING_COLUMNS:
            con.execute(f"ALTER TABLE {table} DROP COLUMN {col}")
    con.execute("CREATE INDEX versions_case_key ON versions (case_key)")
    con.close()
    F.backlog_ledger(tmp_path / "积案.xlsx")
    archive = CaseArchive(path)
    archive.import_ledgers(tmp_path / "积案.xlsx", period="2026-03-31")
    cases = archive.cases()
    assert cases["resolved_flag"].notna().sum() == 14
    assert (cases["key_case"] == "是").sum() == 4
