"""The archive's surfaces: command line, timeline widget, trend chart, monthly sample ledgers,
the period parser."""

from __future__ import annotations

import pandas as pd
import pytest
from archive_helpers import base_cases, closed, ledger
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.figure import Figure

from xinfang_toolkit.archive import CaseArchive, ledger_period, period_from_text
from xinfang_toolkit.cli import main
from xinfang_toolkit.load import load_cases
from xinfang_toolkit.plots import plot_backlog_trend
from xinfang_toolkit.synth import MONTHLY_FOLDER, generate_cases, monthly_states
from xinfang_toolkit.widgets import CaseTimeline


@pytest.fixture
def two_months(tmp_path):
    cases = base_cases()
    folder = tmp_path / "in"
    ledger(cases, folder, "2026-07")
    ledger(closed(cases, [0], "2026-08-10"), folder, "2026-08")
    return cases, folder


def test_cli_import_status_changes_export(two_months, tmp_path, capsys):
    cases, folder = two_months
    db = str(tmp_path / "a.duckdb")
    assert main(["archive", "--archive", db, "import", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "新增 12 件, 更新 1 件" in out
    assert main(["archive", "--archive", db, "import", str(folder)]) == 0
    assert "已导入过" in capsys.readouterr().out
    assert main(["archive", "--archive", db, "status"]) == 0
    assert "12 件信访件" in capsys.readouterr().out
    xlsx = tmp_path / "changes.xlsx"
    args = ["archive", "--archive", db, "changes", "--from", "2026-08-01", "--to", "2026-08-31"]
    assert main([*args, "-o", str(xlsx)]) == 0
    assert "办结 1 件" in capsys.readouterr().out
    sheet = pd.read_excel(xlsx, sheet_name="办结", engine="calamine")
    assert list(sheet["信访件编号"]) == [cases.loc[0, "case_id"]]
    assert cases.loc[0, "petitioner"] not in set(sheet["信访人"])
    assert main(["archive", "--archive", db, "export", "-o", str(tmp_path / "pq")]) == 0
    assert (tmp_path / "pq" / "cases").is_dir() and (tmp_path / "pq" / "history").is_dir()


def test_cli_not_an_archive_exits_2_with_the_message(tmp_path, capsys):
    bad = tmp_path / "bad.duckdb"
    bad.write_text("x", encoding="utf-8")
    assert main(["archive", "--archive", str(bad), "status"]) == 2
    assert "不是台账归档文件" in capsys.readouterr().err


def test_timeline_widget_shows_a_masked_history(two_months, tmp_path):
    cases, folder = two_months
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_ledgers(folder)
    ids = list(cases["case_id"][:3])
    widget = CaseTimeline(archive, ids)
    assert len(widget.history) == 2  # case 0: July and August
    assert "第2版" in widget.view.value and "办结日期" in widget.view.value
    widget.case.value = ids[1]
    assert len(widget.history) == 1
    assert "第2版" not in widget.view.value
    name = cases.loc[1, "petitioner"]
    assert name not in widget.view.value
    assert cases.loc[1, "id_number"] not in widget.view.value


def test_timeline_escapes_data(two_months, tmp_path):
    cases, folder = two_months
    cases = cases.copy()
    cases.loc[0, "responsible_unit"] = "<script>x</script>"
    ledger(cases, folder, "2026-06")
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_ledgers(folder)
    widget = CaseTimeline(archive, [cases.loc[0, "case_id"]])
    assert "<script>" not in widget.view.value
    assert "&lt;script&gt;" in widget.view.value


def test_plot_backlog_trend(two_months, tmp_path):
    _, folder = two_months
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_ledgers(folder)
    fig = plot_backlog_trend(archive.backlog_trend())
    assert isinstance(fig, Figure)
    assert fig.axes[0].get_title() == "积案数量变化(月末)"
    assert len(fig.axes[0].lines) == 2
    empty = plot_backlog_trend(pd.DataFrame(columns=["month_end", "backlog", "open"]))
    assert isinstance(empty, Figure)


def test_monthly_states_carry_open_cases_and_show_the_month_end_state():
    cases = generate_cases(200, seed=5, start="2026-01-01", end="2026-09-30", today="2026-09-30")
    states = monthly_states(cases, ["2026-08", "2026-09"])
    aug, sep = states["2026-08"], states["2026-09"]
    start = pd.Timestamp("2026-09-01")
    carried = sep[sep["received_date"] < start]
    assert not (carried["closed_date"] < start).any()
    assert set(carried.index) <= set(aug.index)
    assert not (aug["closed_date"] > pd.Timestamp("2026-08-31")).any()
    assert aug.loc[aug["closed_date"].isna(), "outcome"].isna().all()
    assert len(set(aug.index) & set(sep.index)) > 0


def test_sample_monthly_ledgers_import_and_repeat_cases(sample_data_dir, tmp_path):
    folder = sample_data_dir / MONTHLY_FOLDER
    files = sorted(folder.glob("*.xlsx"))
    assert len(files) == 3
    archive = CaseArchive(tmp_path / "a.duckdb")
    result = archive.import_ledgers(folder)
    assert result.updated > 0 and result.unchanged > 0
    assert result.content_keyed > 0
    assert "closed_date" in set(result.blanked_fields["field"])
    assert len(archive.cases()) == result.new


@given(
    st.integers(2000, 2099),
    st.integers(1, 12),
    st.sampled_from(["{y}年{m}月", "{y}-{m:02d}", "{y}.{m}", "{y}{m:02d}", "{y}年1-{m}月"]),
    st.sampled_from(["", "河东县", "积案台账_"]),
)
def test_period_from_text_gives_the_month_end(year, month, form, prefix):
    text = prefix + form.format(y=year, m=month) + "台账"
    assert period_from_text(text) == pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)


def test_period_sources(tmp_path):
    cases = base_cases(3)
    named = ledger(cases, tmp_path, "2026-07")
    assert ledger_period(named, cases) == (pd.Timestamp("2026-07-31"), "文件名")
    plain = named.rename(tmp_path / "台账.xlsx")
    day, source = ledger_period(plain, load_cases(plain))
    assert source == "标题" and day.year == 2026
    assert period_from_text("截至2026年9月20日积案台账") == pd.Timestamp("2026-09-20")
    assert period_from_text("没有日期") is None
    assert ledger_period(plain, cases, "2026-09-20")[0] == pd.Timestamp("2026-09-20")
    with pytest.raises(ValueError, match="无法识别"):
        ledger_period(plain, cases, "下个月")


def test_monthly_sample_ledgers_are_regenerated_identically(sample_data_dir, tmp_path):
    import python_calamine as pc

    from xinfang_toolkit.synth import write_monthly_ledgers

    def values(path):
        wb = pc.CalamineWorkbook.from_path(str(path))
        return [wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names]

    paths = write_monthly_ledgers(tmp_path / MONTHLY_FOLDER)
    for path in paths:
        committed = sample_data_dir / MONTHLY_FOLDER / path.name
        assert committed.exists(), f"run python -m xinfang_toolkit.synth: {committed} missing"
        assert values(path) == values(committed), path.name
    readme = (sample_data_dir / MONTHLY_FOLDER / "README.md").read_text(encoding="utf-8")
    assert readme == (tmp_path / MONTHLY_FOLDER / "README.md").read_text(encoding="utf-8")


def test_case_id_lists_are_python_lists_with_pyarrow_installed():
    # pyarrow (a dependency of the archive) makes pandas store strings in Arrow; agg(list) then
    # gives a pyarrow list column without .str; notebook 03 joins these lists with .str.join
    from xinfang_toolkit.analysis import backlog_table, repeat_chains

    cases = generate_cases(300, seed=2, start="2025-01-01", end="2026-06-30", today="2026-10-31")
    table = backlog_table(cases, today="2026-10-31")
    assert len(table) and table["case_ids"].dtype == object
    assert table["case_ids"].str.join("、").str.len().gt(0).all()
    chains = repeat_chains(cases)
    assert isinstance(chains["case_ids"].iloc[0], list)
    assert isinstance(chains["case_ids"].iloc[0][0], str)


def test_backlog_trend_counts_open_cases_as_analysis_does(tmp_path):
    from xinfang_toolkit.analysis import open_at

    cases = base_cases()
    cases["closed_flag"] = False
    cases.loc[0, "closed_flag"] = True  # 已办结 marked, no closing date: closed, not 未办结
    archive = CaseArchive(tmp_path / "a.duckdb")
    archive.import_cases(cases, period="2026-07-31", name="七月")
    trend = archive.backlog_trend()
    day = pd.Timestamp("2026-07-31")
    row = trend[trend["month_end"] == day].iloc[0]
    assert row["open"] == int(open_at(archive.cases(), day).sum()) == len(cases) - 1


@pytest.mark.parametrize(
    "action",
    [
        ["status"],
        ["undo"],
        ["changes", "--from", "2026-08-01", "--to", "2026-08-31"],
        ["export", "-o", "pq"],
    ],
)
def test_cli_a_mistyped_archive_path_is_an_error_not_a_new_archive(tmp_path, capsys, action):
    missing = tmp_path / "归档拼错.duckdb"
    assert main(["archive", "--archive", str(missing), *action]) == 2
    assert "归档文件不存在" in capsys.readouterr().err
    assert sorted(tmp_path.iterdir()) == []
