"""One truth per figure: the dashboard, summarize, the drafted text and the Excel export agree.

For every figure of the registry (analysis.FIGURES), on sample_data and on a generated year of
20,000 cases: the Dashboard's kpis (what its cards show), summarize's numbers, the figures the
drafted text states and the 总体情况 sheet of the exported workbook are equal.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from xinfang_toolkit import draft_report, export_xlsx, load_cases, summarize
from xinfang_toolkit.analysis import FIGURES, figure_rows, figure_values
from xinfang_toolkit.report._draft import fmt_pct, fmt_points
from xinfang_toolkit.synth import generate_cases

pytest.importorskip("ipywidgets")
from xinfang_toolkit.widgets import Dashboard  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"

#: the sentences of the drafted text that state a registry figure: key -> pattern with one
#: number (the templates in data/templates say it this way)
TEXT = {
    "cases": r"共受理群众信访(\d+)件",
    "persons": r"共受理群众信访\d+件(\d+)人次",
    "skip_level": r"其中越级访(\d+)批",
    "skip_level.persons": r"其中越级访\d+批(\d+)人次",
    "group.batches": r"集体访(\d+)批",
    "group.persons": r"集体访\d+批(\d+)人次",
    "repeat.cases": r"重复信访(\d+)件",
    "repeat.chains": r"涉及(\d+)个重复信访事项",
    "leader.cases": r"落实领导包案处理(\d+)件",
    "leader.resolved": r"落实领导包案处理\d+件，已办结(\d+)件",
    "closed": r"已办结信访事项(\d+)件",
    "on_time": r"其中按期办结(\d+)件",
    "overdue": r"其中超期未办结(\d+)件",
    "backlog.start": r"期初积案(\d+)件",
    "backlog.resolved": r"本期办结(\d+)件",
    "backlog.settled": r"本期办结\d+件（其中已化解(\d+)件）",
    "backlog.new": r"本期办结\d+件(?:（其中已化解\d+件）)?，新增(\d+)件",
    "backlog.end": r"期末积案(\d+)件",
}


def _same(a, b) -> bool:
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return (a is None or pd.isna(a)) and (b is None or pd.isna(b))
    return abs(float(a) - float(b)) < 1e-9


def _check(cases: pd.DataFrame, *, start: str, end: str, tmp_path: Path) -> dict:
    board = Dashboard(cases, today=end, start=start)
    board_numbers = board.kpis
    assert f"统计截至 {end}" in board.kpi_html.value
    summary = summarize(cases, start=start, end=end, today=end)
    text = draft_report(summary)
    assert summary.as_of_text in text
    sheet = pd.read_excel(
        export_xlsx(summary, tmp_path / "r.xlsx"), sheet_name="总体情况", engine="openpyxl"
    )
    in_xlsx = dict(zip(sheet["指标"], sheet["数值"], strict=True))
    for f in FIGURES:
        s_value = summary.numbers[f.key]
        assert _same(board_numbers[f.key], s_value), (f.key, board_numbers[f.key], s_value)
        assert _same(in_xlsx[f.label], s_value), (f.key, in_xlsx[f.label], s_value)
        if f.key in TEXT and s_value:
            found = re.search(TEXT[f.key], text)
            assert found and int(found.group(1)) == s_value, (f.key, s_value)
    _check_charts(board, summary, text, start=start, end=end)
    return summary.numbers


def _check_charts(board, summary, text: str, *, start: str, end: str) -> None:
    """The chart tables count the registry's rows: 信访去向 the 来访批次 of the report (its
    进京/赴省/到市 sentence), the on-time chart the cases of 按期办结率, 同比 信访总量."""
    from xinfang_toolkit import analysis

    received = board.cases["received_date"]
    period = board.cases[(received >= start) & (received <= end)]
    n = summary.numbers
    esc = analysis.escalation_counts(period, as_of=end)
    # visits whose ledger gives no level go to no bar of the chart (a handling register often
    # has none): the bars and those visits together are the report's 来访批次 and 人次
    unknown = analysis.escalation_table(period, by=None, responsible_level=None).iloc[0]
    assert int(esc["批次"].sum()) + int(unknown["未知批次"]) == n["visits"]
    assert int(esc["人次"].sum()) + int(unknown["未知人次"]) == n["visit_persons"]
    for level, name in (("国家", "进京"), ("省", "赴省"), ("市", "到市")):
        assert esc.loc[name, "批次"] == n[f"level.{level}.batches"], name
        said = re.search(name + r"(\d+)批", text)
        if said:
            assert int(said.group(1)) == n[f"level.{level}.batches"], name
    group = analysis.group_visits(period)
    assert group.loc["集体访", "批次"] == n["group.batches"]
    assert group.loc["合计", "批次"] == n["visits"]
    rate = analysis.on_time_by_month(period, as_of=end)
    known = figure_rows(period, "on_time_rate", as_of=end)
    assert int(rate["n"].sum()) == len(known)
    if n["on_time_rate"] is not None:
        hits = (rate["rate"] * rate["n"]).sum() / rate["n"].sum()
        assert abs(hits - n["on_time_rate"]) < 1e-9
    months = analysis.month_counts(period, as_of=end)
    assert int(months.sum()) == n["cases"]
    # the dashboard's own 信访去向 chart (all cases by its day) counts visits too
    board_esc = re.findall(
        r'data-value="(\d+)" data-series="批次"', board.chart_html["信访去向"].value
    )
    if board.show_charts:
        everything = figure_values(board.cases, as_of=end)
        every = board.cases[board.cases["received_date"] <= end]
        no_level = analysis.escalation_table(every, by=None, responsible_level=None).iloc[0]
        assert sum(int(v) for v in board_esc) + int(no_level["未知批次"]) == everything["visits"]


def test_sample_data_agrees_everywhere(tmp_path):
    cases = load_cases(SAMPLE).cases
    n = _check(cases, start="2026-01-01", end="2026-10-31", tmp_path=tmp_path)
    assert n["backlog.end"] == n["backlog.start"] - n["backlog.resolved"] + n["backlog.new"]
    assert n["skip_level"] <= n["visits"]


def test_a_generated_year_of_20000_cases_agrees_everywhere(tmp_path):
    cases = generate_cases(20_000, seed=10, start="2025-11-01", end="2026-10-31")
    n = _check(cases, start="2026-04-01", end="2026-10-31", tmp_path=tmp_path)
    assert n["cases"] > 5_000 and n["backlog.start"] > 0


def test_the_page_s_period_figures_agree_with_the_report_and_follow_the_filter():
    """The lower figures of the served page (notebook 04) are the report's for the same
    period, and follow the dashboard's filter (they ignored it)."""
    from xinfang_toolkit.analysis import data_as_of
    from xinfang_toolkit.widgets import PeriodFigures

    cases = load_cases(SAMPLE).cases
    assert data_as_of(cases) == pd.Timestamp("2026-11-20")
    board = Dashboard(cases, today=data_as_of(cases), charts=False)
    period = PeriodFigures(board, start="2026-01-01", end="2026-10-31")
    summary = summarize(cases, start="2026-01-01", end="2026-10-31", today="2026-10-31")
    for key, value in period.values.items():
        assert _same(value, summary.numbers[key]), key
    assert "信访总量" in period.widget.value and "越级访" in period.widget.value
    category = board.cases["category"].value_counts().index[0]
    board.panel.category.value = (category,)
    received = board.cases["received_date"]
    kept = (board.cases["category"] == category) & received.between("2026-01-01", "2026-10-31")
    assert period.values["cases"] == int(kept.sum()) < summary.numbers["cases"]
    assert "筛选后" in period.widget.value


def test_every_label_with_pi_on_the_dashboard_counts_visits():
    """批 means a visit (来访批次) on every surface: the card said 批次 for every channel."""
    cases = load_cases(SAMPLE).cases
    board = Dashboard(cases, today="2026-11-20", charts=False)
    cards = re.findall(
        r'xf-kpi-label">([^<]*)</div><div class="xf-kpi-value">([^<]*)</div>', board.kpi_html.value
    )
    with_pi = {label: value for label, value in cards if "批" in label}
    assert with_pi, cards
    for value in with_pi.values():
        assert value.split(" / ")[0].replace(",", "") == str(board.kpis["visits"])
    assert board.kpis["visits"] < board.kpis["cases"]


def test_the_handling_ledgers_agree_everywhere(tmp_path):
    """The handling figures (交办, 批示, 接访, 督办, 回访, 重点, 包案, 积案化解) where they are not
    zero: the three handling layouts of fixtures_handling, loaded together."""
    import fixtures_handling as F

    folder = tmp_path / "ledgers"
    folder.mkdir()
    F.assigned_register(folder / "交办件.xlsx")
    F.supervision_register(folder / "督办.xlsx")
    F.backlog_ledger(folder / "积案.xlsx")
    cases = load_cases(folder, today="2026-12-01").cases
    n = _check(cases, start="2026-01-01", end="2026-04-30", tmp_path=tmp_path)
    handling = [f.key for f in FIGURES if f.key.split(".")[0] in ("assigned", "supervision")]
    assert handling and all(n[k] for k in handling if not k.endswith("_rate"))
    assert n["backlog.settled"] and n["reception.sessions"] and n["follow_up.cases"]
    summary = summarize(cases, start="2026-01-01", end="2026-04-30", today="2026-04-30")
    sheets = pd.read_excel(
        export_xlsx(summary, tmp_path / "h.xlsx"), sheet_name=None, engine="openpyxl"
    )
    units = sheets["责任单位办理情况"]
    assert int(units["交办件"].sum()) == n["assigned.cases"]
    assert int(sheets["交办件按交办机关"]["交办件"].sum()) == n["assigned.cases"]


_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
_ITEM = re.compile(r"（\d+）")
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)(%|个百分点)?")


def _traced_values(summary) -> tuple[set[float], set[str], set[str]]:
    """What the draft may say: the Summary's numbers (this period and the earlier one) and
    the movement table's counts; percentages of its rates, shares and changes."""
    n = summary.numbers
    before = summary.previous.numbers if summary.previous is not None else {}
    counts = {float(v) for v in (*n.values(), *before.values()) if isinstance(v, (int, float))}
    pcts: set[str] = set()
    points: set[str] = set()
    for key, value in n.items():
        if value is None:
            continue
        if key.endswith("_rate"):
            pcts.add(fmt_pct(value))
            if before.get(key) is not None:
                pcts.add(fmt_pct(before[key]))
                points.add(fmt_points(abs(value - before[key])))
        elif n.get("cases"):
            pcts.add(fmt_pct(value / n["cases"]))  # a share (占)
        if before.get(key) and not key.endswith("_rate"):
            pcts.add(fmt_pct(abs(value / before[key] - 1)))
    # the unit bullets of 存在的问题 state the unit table's figures
    for name in ("责任单位", "责任单位办理情况"):
        units = summary.tables.get(name)
        for col in [] if units is None else units.columns[1:]:
            values = pd.to_numeric(units[col], errors="coerce").dropna()
            counts |= {float(v) for v in values}
            if "率" in str(col):
                pcts |= {fmt_pct(v) for v in values}
    # 其他: the categories after the seven largest, summed (a sum of the Summary's numbers)
    cats = sorted((v for k, v in n.items() if k.startswith("category.") and v), reverse=True)
    counts.add(float(sum(cats[7:])))
    kinds = sorted((v for k, v in n.items() if k.startswith("backlog_kind.")), reverse=True)
    counts.add(float(sum(kinds[5:])))  # 期末积案中 … 其他N件
    moves = summary.movements
    if moves is not None:
        counts |= {float(v) for v in (*moves["本期"], *moves["上期"], *moves["增减"].abs())}
        pcts |= {fmt_pct(abs(v)) for v in moves["增减幅度"].dropna()}
    return counts, pcts, points


def test_every_number_of_the_draft_is_traced_and_equal_on_every_surface(tmp_path):
    cases = load_cases(SAMPLE).cases
    summary = summarize(
        cases, start="2026-01-01", end="2026-10-31", today="2026-11-20", compare="yoy"
    )
    text = draft_report(summary)
    counts, pcts, points = _traced_values(summary)
    said = _ITEM.sub("", _DATE.sub("", text))
    found = _NUMBER.findall(said)
    assert len(found) > 100
    for number, unit in found:
        if unit == "%":
            assert number + "%" in pcts, number
        elif unit == "个百分点":
            assert number in points, number
        else:
            assert float(number) in counts, number
    # the 同比 folded into the first figures is the 同比 table's change
    n = summary.numbers
    table = summary.tables["同比"].set_index("指标")
    assert table.loc["信访总量（件）", "增减幅度"] == "+21.4%"
    assert "共受理群众信访517件1230人次，同比分别上升21.4%和30.7%" in text
    assert n["change_rate.cases"] == pytest.approx(0.214, abs=5e-4)
    # the movement table is the same in the Excel file and the Summary
    book = export_xlsx(summary, tmp_path / "r.xlsx")
    sheet = pd.read_excel(book, sheet_name="增减变化", engine="openpyxl")
    moves = summary.movements
    assert len(sheet) == len(moves) and list(sheet["项目"]) == list(moves["项目"])
    assert list(sheet["增减"]) == list(moves["增减"])
    # 个访 and 集体访 are visits only: they add up to 来访 (the registry's visits)
    assert n["individual.batches"] + n["group.batches"] == n["visits"] == 239
    assert "集体访37批686人次" in text and "个访202批266人次" in text
    # the backlog by kind adds up to 期末积案
    kinds = {k: v for k, v in n.items() if k.startswith("backlog_kind.")}
    assert sum(kinds.values()) == n["backlog.end"]
    assert "期末积案中，国土资源8件、政法8件、环境保护8件" in text
