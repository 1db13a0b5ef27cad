"""A ledger's period is read once, by the loader, from the title it already read: the loader and
the archive agree on it, and the archive never opens a workbook a second time."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from test_load import write_xlsx

from xinfang_toolkit.archive import CaseArchive
from xinfang_toolkit.load import load_cases

TODAY = "2026-12-01"


def _ledger(path: Path, title: str, first: dict[str, list[list]] | None = None) -> Path:
    rows = [
        [title],
        ["登记日期", "信访人", "反映问题"],
        ["2026-09-10", "张三", "村道损坏要求修复"],
        ["2026-09-25", "李四", "拖欠工资要求支付"],
    ]
    return write_xlsx(path, {**(first or {}), "台账": rows})


def test_a_day_in_the_title_is_the_period_of_the_loader_and_of_the_archive(tmp_path):
    # 截至 ... 日: the loader used to drop full dates from titles (no period, nothing checked)
    # while the archive took the day: two readings of one title
    path = _ledger(tmp_path / "积案台账.xlsx", "截至2026年9月20日信访积案台账")
    loaded = load_cases(path, today=TODAY)
    source = loaded.sources.set_index("sheet").loc["台账"]
    assert source["period"] == pd.Timestamp("2026-09-20")
    assert source["period_source"] == "标题"
    late = loaded.issues[loaded.issues["problem"].str.contains("统计期", na=False)]
    assert late["source_row"].tolist() == [4]
    assert "截至 2026-09-20" in late["problem"].iloc[0]

    imported = CaseArchive(tmp_path / "a.duckdb").import_ledgers(path)
    files = imported.files.set_index("file").loc[path.name]
    assert (files["period"], files["period_source"]) == (pd.Timestamp("2026-09-20"), "标题")


def test_the_archive_dates_a_ledger_by_the_sheet_the_loader_read(tmp_path):
    # an instructions sheet first: its deadline (2026年12月31日) is no period of the ledger
    note = {"填表说明": [["请于2026年12月31日前报送"], ["各栏均为必填"]]}
    path = _ledger(tmp_path / "台账.xlsx", "河东县2026年9月信访事项台账", first=note)
    loaded = load_cases(path, today=TODAY)
    assert loaded.sources.set_index("sheet").loc["台账", "period"] == pd.Timestamp("2026-09-30")
    imported = CaseArchive(tmp_path / "a.duckdb").import_ledgers(path)
    files = imported.files.set_index("file").loc[path.name]
    assert (files["period"], files["period_source"]) == (pd.Timestamp("2026-09-30"), "标题")


@pytest.mark.parametrize("title", ["2026-09 信访台账", "信访台账 (202609)", "2026年1-9月信访台账"])
def test_title_spellings_the_archive_knew_are_read_by_the_loader(tmp_path, title):
    path = _ledger(tmp_path / "a.xlsx", title)
    loaded = load_cases(path, today=TODAY)
    assert loaded.sources["period"].tolist() == [pd.Timestamp("2026-09-30")]
    late = loaded.issues[loaded.issues["problem"].str.contains("统计期", na=False)]
    assert late.empty


def test_a_fill_in_date_is_no_period(tmp_path):
    rows = [
        ["信访事项登记表"],
        ["填报单位: 河东县信访局", None, "填报时间: 2026年10月8日"],
        ["登记日期", "信访人", "反映问题"],
        ["2026-09-10", "张三", "村道损坏要求修复"],
    ]
    loaded = load_cases(write_xlsx(tmp_path / "a.xlsx", {"S": rows}), today=TODAY)
    assert loaded.sources["period"].isna().all()
    assert loaded.sources["period_source"].tolist() == [""]


def test_importing_a_ledger_opens_the_workbook_once(tmp_path, monkeypatch):
    import python_calamine

    path = _ledger(tmp_path / "台账.xlsx", "河东县2026年9月信访事项台账")
    opened: list[str] = []
    read_bytes = Path.read_bytes

    def counted_read_bytes(self):
        if self.suffix == ".xlsx":
            opened.append(self.name)
        return read_bytes(self)

    class CountedWorkbook:
        @staticmethod
        def from_path(name, *args, **kwargs):
            opened.append(Path(name).name)
            return real.from_path(name, *args, **kwargs)

    real = python_calamine.CalamineWorkbook
    monkeypatch.setattr(Path, "read_bytes", counted_read_bytes)
    monkeypatch.setattr(python_calamine, "CalamineWorkbook", CountedWorkbook)
    result = CaseArchive(tmp_path / "a.duckdb").import_ledgers(path)
    assert result.new == 2
    assert opened == [path.name]


@pytest.mark.parametrize(
    "title",
    [
        "某县信访登记表（2026年9月1日至2026年9月30日）",
        "信访登记表 2026.9.1-2026.9.30",
        "2026年9月1日至9月30日信访登记表",
        "2026年9月1日至30日信访登记表",
        "台账2026.8-2026.9",
        "统计时间：2026年9月1日-2026年9月30日",
    ],
)
def test_a_range_in_the_title_ends_on_its_last_day(tmp_path, title):
    """A title naming a range is read to its end: its start day made every case 'later than
    the period' (登记日期晚于本表标题的统计期 on each row)."""
    path = _ledger(tmp_path / "台账.xlsx", title)
    loaded = load_cases(path, today=TODAY)
    assert loaded.sources.set_index("sheet").loc["台账", "period"] == pd.Timestamp("2026-09-30")
    assert not loaded.issues["problem"].str.contains("统计期", na=False).any()
