"""Dashboard: KPI cards and the main charts, all following one FilterPanel.

The figures come from ``analysis`` (``enrich`` for the derived columns, ``kpis`` for the
cards) and the chart tables from ``analysis._charts`` beside the figure registry
(``year_over_year``, ``escalation_counts``, ``on_time_by_month``, ``backlog_ageing``, counted
with the registry's rows); the dashboard only arranges them. It is the page that ``make app``
serves with Voila (notebooks/04_数据看板.ipynb).

Speed: the cases are enriched once, when the dashboard is built. A filter change takes the
matching rows of a narrow copy of the frame (no free text, personal or source columns, which no
figure reads), computes the cards and chart tables from it, and draws the charts in HTML
(``_charts``: the browser draws them; a matplotlib PNG costs ~0.5 s a chart). Only the widgets
whose HTML changed are sent to the browser. ``panel.busy`` shows "正在计算…" meanwhile.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd

from ..analysis._charts import (
    backlog_ageing,
    counted_rows,
    escalation_counts,
    on_time_by_month,
    year_over_year,
)
from ..schema import PII_COLUMNS, PROVENANCE_COLUMNS
from ._charts import html_bars, html_columns
from ._display import STYLE
from ._html import escape
from .browser import CaseBrowser
from .filter import FilterPanel

__all__ = ["Dashboard"]

#: columns no figure reads (free text, personal data, provenance): left out of the figure frame
#: (the derived columns of ``analysis.enrich`` all stay, so ``kpis`` never prepares again;
#: source_file stays: 回访率 and 积案化解 ask which ledger records 回访 and 化解)
_NOT_FIGURES = (
    *PII_COLUMNS,
    *(c for c in PROVENANCE_COLUMNS if c != "source_file"),
    "summary",
    "outcome",
)

#: the charts, in display order
CHARTS: tuple[str, ...] = (
    "各月信访量(同比)",
    "按内容分类",
    "按问题属地",
    "信访去向",
    "按期办结率",
    "未办结件账龄",
)


def _fmt_int(value: object) -> str:
    return "—" if value is None or pd.isna(value) else f"{int(value):,}"


def _fmt_rate(value: object) -> str:
    return "—" if value is None or pd.isna(value) else f"{float(value):.1%}"


def _fmt_days(value: object) -> str:
    return "—" if value is None or pd.isna(value) else f"{float(value):.0f} 天"


def _pct(value: float) -> str:
    return f"{float(value):.0%}"


#: the handling cards (交办, 接访, 督办, 回访, 重点, 包案, 化解): name, figure key, format, and
#: the column whose values make the card worth showing (None: always)
HANDLING_CARDS: tuple[tuple[str, str, str, str | None], ...] = (
    ("交办件", "assigned.cases", "int", "assigned_by"),
    ("交办超期未反馈", "assigned.overdue", "int", "assigned_by"),
    ("交办按期反馈率", "assigned.on_time_rate", "rate", "assigned_by"),
    ("领导阅批件", "instruction.cases", "int", "instruction"),
    ("领导接访次数", "reception.sessions", "int", "reception_leader"),
    ("督办次数", "supervision.count", "int", "supervision_count"),
    ("回访率", "follow_up_rate", "rate", "follow_up_date"),
    ("重点案件", "key.cases", "int", "key_case"),
    ("积案包案率", "backlog.leader_rate", "rate", None),
    ("包案未办结", "leader.open", "int", "leader"),
    ("积案化解", "backlog.settled", "int", None),
)


def _unit_html(table: pd.DataFrame) -> str:
    """责任单位办理情况 as an HTML table (units, never persons; rates as percentages)."""
    if not len(table):
        return '<p class="xf-muted">没有符合条件的信访件。</p>'
    head = "".join(f"<th>{escape(str(c))}</th>" for c in table.columns)
    body = []
    for rec in table.itertuples(index=False, name=None):
        cells = []
        for col, value in zip(table.columns, rec, strict=True):
            if col.endswith("率"):
                cells.append(_fmt_rate(value))
            elif col == "责任单位":
                cells.append(escape(str(value)))
            else:
                cells.append(_fmt_int(value))
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f'<table class="xf-table xf-units"><tr>{head}</tr>{"".join(body)}</table>'


class Dashboard:
    """KPI cards (信访件, 批次/人次, 按期办结率, 超期, 积案), charts and a case browser.

    ``cases`` are prepared with ``analysis.enrich(cases, today=today)`` (classification
    included) unless they were prepared as of that day already. ``today`` (a date string such
    as "2026-11-20") is the day the page counts as of (it says so), for overdue and backlog.
    The cards read the figure registry (``analysis.FIGURES``) through ``analysis.kpis``; each
    card's tooltip is the figure's definition. ``start`` (optional) is a period start for
    期初/化解/新增 in ``kpis``.
    ``panel`` is the FilterPanel every part follows; ``kpis`` the current figures;
    ``chart_html`` the chart widgets by name (:data:`CHARTS`).
    """

    def __init__(
        self,
        cases: pd.DataFrame,
        *,
        today: str | pd.Timestamp | None = None,
        title: str = "信访数据看板",
        charts: bool = True,
        start: str | pd.Timestamp | None = None,
    ):
        from .. import analysis

        self._analysis = analysis
        self.today = analysis.to_day(today, default_today=True)
        self.start = None if start is None else analysis.to_day(start, name="start 起始日期")
        # the one preparation step (classification included), as of the day shown on the page
        self.cases, _ = analysis.prepared_as_of(cases, today=self.today)
        self._figure_frame = self.cases.drop(
            columns=[c for c in _NOT_FIGURES if c in self.cases.columns]
        )
        self.panel = FilterPanel(self.cases, charts=False)
        self.browser = CaseBrowser(self.panel)
        self.kpis: dict = {}
        self._all: tuple[dict, dict[str, str], pd.DataFrame] | None = None
        self.kpi_html = widgets.HTML()
        self.kpi_html.add_class("xf-kpi-box")
        #: 责任单位办理情况 (analysis.unit_table) of the filtered cases
        self.units = pd.DataFrame()
        self.unit_html = widgets.HTML()
        self._handling_cards = [
            card
            for card in HANDLING_CARDS
            if card[3] is None
            or (card[3] in self.cases.columns and bool(self.cases[card[3]].notna().any()))
            or (card[1] == "follow_up_rate" and self.cases["follow_up_result"].notna().any())
        ]
        if self.start is None:  # 积案化解 needs a period start
            self._handling_cards = [c for c in self._handling_cards if c[1] != "backlog.settled"]
        self.show_charts = charts
        self.chart_html = {
            name: widgets.HTML(layout=widgets.Layout(min_width="0")) for name in CHARTS
        }
        for name, box in self.chart_html.items():
            box.add_class(f"xf-chart-{CHARTS.index(name)}")
        grid = widgets.GridBox(
            list(self.chart_html.values()),
            layout=widgets.Layout(grid_template_columns="repeat(2, minmax(0, 1fr))"),
        )
        tabs = widgets.Tab(
            children=[grid, self.panel.table_html, self.browser.widget, self.unit_html]
        )
        for i, name in enumerate(["统计图", "前几条", "逐件浏览", "责任单位"]):
            tabs.set_title(i, name)
        self.widget = widgets.VBox(
            [
                widgets.HTML(STYLE + f"<h2>{escape(title)}</h2>"),
                self.panel.controls,
                widgets.HBox([self.panel.count_html, self.panel.busy]),
                self.kpi_html,
                tabs,
            ]
        )
        self.widget.add_class("xf-dashboard")
        self.panel.on_change(self._refresh)
        self._refresh(self.panel)

    def figure_frame(self, positions: np.ndarray | None = None) -> pd.DataFrame:
        """The rows at ``positions`` (default: the panel's) without the columns no figure
        reads: what the cards and charts are computed from."""
        pos = self.panel.positions if positions is None else positions
        if len(pos) == len(self._figure_frame):
            return self._figure_frame
        return self._figure_frame.iloc[pos]

    def _refresh(self, panel: FilterPanel) -> None:
        everything = panel.count == len(self.cases)
        if everything and self._all is not None:  # no filter: the figures computed once
            self.kpis, charts, self.units = dict(self._all[0]), self._all[1], self._all[2]
        else:
            frame = self.figure_frame(panel.positions)
            self.kpis = dict(self._analysis.kpis(frame, today=self.today, start=self.start))
            charts = self._charts(panel, frame) if self.show_charts else {}
            self.units = self._analysis.unit_table(frame, as_of=self.today, start=self.start)
            if everything:
                self._all = (dict(self.kpis), charts, self.units)
        self.unit_html.value = _unit_html(self.units)
        # charts first, the KPI cards last: the count changing means the page is up to date
        for name, chart in charts.items():
            self.chart_html[name].value = chart
        self.kpi_html.value = self._cards_html(self.kpis)

    def _charts(self, panel: FilterPanel, frame: pd.DataFrame) -> dict[str, str]:
        index = panel.index
        # the cases the registry counts as of the page's day (as the cards and the other
        # charts count them: a case received after that day is not counted)
        pos = panel.positions[counted_rows(frame, as_of=self.today)]
        out: dict[str, str] = {}
        months = year_over_year(index.month_counts(pos))
        out[CHARTS[0]] = html_columns(
            months, title=CHARTS[0], labels=[str(m) for m in months.index]
        )
        for name, col in ((CHARTS[1], "category"), (CHARTS[2], "locality")):
            counts = index.counts(col, pos) if col in index.choices else pd.Series(dtype=int)
            out[name] = html_bars(counts, title=f"{name}(前12)", top=12)
        out[CHARTS[3]] = html_columns(
            escalation_counts(frame, as_of=self.today), title="信访去向(批次/人次)"
        )
        # the last 12 months: few enough to write each month's rate on its bar
        rate = on_time_by_month(frame, as_of=self.today).tail(12)
        out[CHARTS[4]] = html_columns(
            rate[["rate"]].rename(columns={"rate": "按期办结率"}),
            title="按期办结率(%,按办结月份,近12个月)",
            fmt=_pct,
            peak=1.0,
            legend=False,
        )
        ageing = backlog_ageing(frame, today=self.today)
        out[CHARTS[5]] = html_columns(
            ageing,
            title=f"未办结件账龄(截至{self.today:%Y-%m-%d})",
            stacked=True,
            labels=[escape(b) for b in ageing.index],
        )
        return out

    def _cards_html(self, k: dict) -> str:
        figure = self._analysis.figure
        cards = [
            ("信访件", f'<span class="xf-count">{_fmt_int(k.get("cases"))}</span>', "cases"),
            (  # 批次 are visits (来访批次), as the report counts them; letters are no 批
                "来访批次 / 人次",
                f"{_fmt_int(k.get('visits'))} / {_fmt_int(k.get('visit_persons'))}",
                "visits",
            ),
            ("已办结", _fmt_int(k.get("closed")), "closed"),
            ("按期办结率", _fmt_rate(k.get("on_time_rate")), "on_time_rate"),
            ("超期件", _fmt_int(k.get("overdue")), "overdue"),
            ("越级访", _fmt_int(k.get("skip_level")), "skip_level"),
            ("重复信访事项", _fmt_int(k.get("repeat.chains")), "repeat.chains"),
            ("积案", _fmt_int(k.get("backlog.end")), "backlog.end"),
            ("办理天数中位数", _fmt_days(k.get("median_days")), "median_days"),
        ]
        fmt = {"int": _fmt_int, "rate": _fmt_rate}
        cards += [(name, fmt[kind](k.get(key)), key) for name, key, kind, _ in self._handling_cards]
        as_of = f"{self.today:%Y-%m-%d}"
        return (
            f'<div class="xf-as-of">统计截至 {escape(as_of)}（超期、积案按这一天判断）</div>'
            '<div class="xf-kpis">'
            + "".join(
                f'<div class="xf-kpi" title="{escape(figure(key).definition)}">'
                f'<div class="xf-kpi-label">{escape(name)}</div>'
                f'<div class="xf-kpi-value">{value}</div></div>'
                for name, value, key in cards
            )
            + "</div>"
        )

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
