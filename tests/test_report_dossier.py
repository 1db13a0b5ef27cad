"""一案一档: dossier / export_dossiers."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from docx import Document
from test_canary import docx_text

from xinfang_toolkit._atomic import OutputError
from xinfang_toolkit.analysis import backlog_table, enrich, figure_rows
from xinfang_toolkit.report import DossierBook, dossier, export_dossiers
from xinfang_toolkit.report._dossier import INDEX_NAME, MEETING_SECTIONS, SECTIONS
from xinfang_toolkit.synth import generate_cases

TODAY = "2026-11-20"


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    cases = generate_cases(500, seed=7)
    # a hostile summary in the top backlog matter's latest case is set below
    return cases


@pytest.fixture(scope="module")
def enriched(raw) -> pd.DataFrame:
    return enrich(raw, today=TODAY)


@pytest.fixture(scope="module")
def table(enriched) -> pd.DataFrame:
    return backlog_table(enriched, today=TODAY)


@pytest.fixture(scope="module")
def book(enriched, table) -> DossierBook:
    return DossierBook(enriched, today=TODAY, backlog=table)


def test_numbers_are_those_of_backlog_table_and_the_registry(enriched, table, book):
    rows = figure_rows(enriched, "backlog.end", as_of=TODAY)
    backlog_ids = set(rows["case_id"])
    for _, b in table.head(10).iterrows():
        d = book.dossier(b["chain_id"], precedents=False)
        for key in ("cases", "repeat_count", "overdue_days", "visit_level", "persons", "reason"):
            assert d.figures[key] == b[key], key
        assert d.figures["first_date"] == b["first_date"]
        assert d.header["首次信访"] == f"{b['first_date']:%Y-%m-%d}"
        assert d.header["信访次数"].startswith(f"{b['cases']}次")
        assert d.header["化解优先级"] == f"第{b['rank']}位，{b['priority']}分"
        in_chain = set(b["case_ids"])
        assert d.figures["backlog_cases"] == len(in_chain & backlog_ids) >= 1
        # the timeline has every submission of the matter
        subs = d.timeline[d.timeline["事项"] == "信访"]
        assert sorted(subs["信访件编号"]) == sorted(in_chain)


def test_matter_given_by_case_id_or_row_is_the_same(table, book):
    b = table.iloc[0]
    a = book.dossier(b, precedents=False)
    c = book.dossier(b["first_case"], precedents=False)
    assert a.chain_id == c.chain_id == b["chain_id"]
    with pytest.raises(KeyError):
        book.dossier("no-such-thing")


def test_word_file_has_every_section_masks_persons(enriched, table, tmp_path):
    b = table.iloc[0]
    cases = enriched.copy()
    latest = cases["case_id"] == b["latest_case"]
    name = str(cases.loc[latest, "petitioner"].iloc[0])
    ident = str(cases.loc[latest, "id_number"].iloc[0])
    cases.loc[latest, "summary"] = f"{name}反映<script>alert(1)</script>，电话13912345678"
    d = dossier(b["chain_id"], cases, today=TODAY, k=3)
    path = d.to_docx(tmp_path / "d.docx")
    text = docx_text(path)
    for title in SECTIONS:
        assert title in text
    headings = [p.text for p in Document(str(path)).paragraphs if p.style.name == "Heading 1"]
    assert headings == list(SECTIONS)
    for name_, _hint in MEETING_SECTIONS:
        assert f"{name_}：" in text
    assert "类案参考" in text and len(d.precedents) == 3
    from xinfang_toolkit._atomic import has_mark

    assert has_mark(path), "the toolkit's own files carry its mark: never read back as ledgers"
    assert name not in text and ident not in text and "13912345678" not in text
    # every petitioner of the whole frame stays out of the file
    for person in cases["petitioner"].dropna().astype(str).unique():
        if len(person) >= 2:
            assert person not in text
    html = d.html()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert name not in html
    for title in SECTIONS:
        assert title in html


def test_handling_columns_shown_when_present(enriched, table):
    b = table.iloc[0]
    cases = enriched.copy()
    rows = cases["chain_id"] == b["chain_id"]
    cases["assigned_by"] = pd.Series(pd.NA, index=cases.index, dtype="string")
    cases.loc[rows, "assigned_by"] = "市信访局"
    cases["assigned_date"] = pd.NaT
    cases.loc[rows, "assigned_date"] = pd.Timestamp("2026-08-01")
    cases["supervision_count"] = pd.array([2] * len(cases), dtype="Int64")
    cases["resolution_type"] = pd.Series("疏导", index=cases.index, dtype="string")
    d = dossier(b["chain_id"], cases, today=TODAY, precedents=False)
    assert d.header["是否交办"] == "是（市信访局）"
    kinds = set(d.timeline["事项"])
    assert {"交办", "督办", "信访"} <= kinds
    assert set(d.answers["化解方式"]) == {"疏导"}
    plain = dossier(b["chain_id"], enriched, today=TODAY, precedents=False)
    assert plain.header["是否交办"].startswith("否")
    assert "督办" not in set(plain.timeline["事项"])


def test_export_writes_one_file_per_matter_and_an_index(book, table, tmp_path):
    folder = tmp_path / "卷宗"
    index = export_dossiers(table.head(4), folder, book=book)
    files = sorted(p.name for p in folder.iterdir() if p.suffix == ".docx")
    assert len(files) == 4 and list(index["文件"]) == sorted(index["文件"])
    assert set(files) == set(index["文件"])
    back = pd.read_csv(folder / INDEX_NAME, encoding="utf-8-sig")
    assert back["信访次数"].tolist() == table.head(4)["cases"].tolist()
    assert not [p for p in folder.iterdir() if ".part" in p.name]
    # its own folder may be written again
    export_dossiers(table.head(2), folder, book=book)


def test_export_refuses_a_folder_it_did_not_create(book, table, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "报告.docx").write_bytes(b"not ours")
    with pytest.raises(OutputError, match="不是空的"):
        export_dossiers(table.head(1), folder, book=book)
    assert [p.name for p in folder.iterdir()] == ["报告.docx"]


def test_export_is_whole_or_nothing(book, table, tmp_path, monkeypatch):
    from xinfang_toolkit.report import _dossier

    def boom(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(_dossier.Dossier, "_document", boom)
    folder = tmp_path / "out"
    with pytest.raises(RuntimeError):
        export_dossiers(table.head(2), folder, book=book)
    assert not folder.exists() or not any(folder.iterdir())


def test_archive_versions_join_the_timeline(tmp_path):
    from archive_helpers import base_cases, closed, ledger

    from xinfang_toolkit.archive import CaseArchive

    cases = base_cases(8)
    src = tmp_path / "ledgers"
    src.mkdir()
    ledger(cases, src, "2026-07")
    ledger(closed(cases, [0, 1], "2026-08-10"), src, "2026-08")
    with CaseArchive(tmp_path / "a.duckdb") as arc:
        arc.import_ledgers(sorted(src.glob("*.xlsx")))
        current = enrich(arc.cases(), today="2026-09-01")
        d = dossier("XF2026-0000", current, archive=arc, today="2026-09-01", precedents=False)
    versions = d.timeline[d.timeline["事项"].str.startswith("台账第")]
    assert len(versions) >= 2
    assert "首次" in versions["内容"].iloc[0]
    assert re.search("办结", " ".join(versions["内容"].iloc[1:]))


def test_a_frame_counted_as_of_another_day_is_counted_again(enriched):
    later = "2027-06-30"
    d = dossier(
        backlog_table(enriched, today=TODAY)["chain_id"].iloc[0],
        enriched,
        today=later,
        precedents=False,
    )
    assert d.as_of == pd.Timestamp(later)
    again = enrich(enriched, today=later)
    row = backlog_table(again, today=later)
    row = row[row["chain_id"] == d.chain_id].iloc[0]
    assert d.figures["overdue_days"] == row["overdue_days"]


def test_a_person_of_another_matter_named_in_a_summary_is_masked(enriched, table, tmp_path):
    """A dossier's summaries may name the petitioner of another matter with no cue word
    (反映邻居王建国…): every person the cases know is masked, in Word and in the page."""
    b = table.iloc[0]
    cases = enriched.copy()
    mine = cases["chain_id"] == b["chain_id"]
    others = cases.loc[~mine, "petitioner"].dropna().astype(str)
    other = next(p for p in others if len(p) == 3)
    latest = cases["case_id"] == b["latest_case"]
    cases.loc[latest, "summary"] = f"反映邻居{other}占用耕地建房"
    d = dossier(b["chain_id"], cases, today=TODAY, k=3)
    text = docx_text(d.to_docx(tmp_path / "d.docx"))
    assert f"反映邻居{other[0]}*{other[2]}占用耕地" in text
    assert other not in text and other not in d.html()


def test_a_stale_file_changed_by_hand_is_kept_when_the_folder_is_written_again(
    book, table, tmp_path
):
    """A second export with fewer matters removes the first run's own files it no longer writes,
    but never one changed since (an analyst's notes added to a page)."""
    folder = tmp_path / "卷宗"
    index = export_dossiers(table.head(3), folder, book=book, html_too=True)
    pages = [folder / (f[: -len(".docx")] + ".html") for f in index["文件"]]
    pages[2].write_text(pages[2].read_text(encoding="utf-8") + "<p>会商记录</p>", encoding="utf-8")
    export_dossiers(table.head(1), folder, book=book, html_too=True)
    assert pages[0].exists() and not pages[1].exists()
    assert pages[2].exists() and "会商记录" in pages[2].read_text(encoding="utf-8")
