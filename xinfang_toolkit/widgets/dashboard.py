"""Dashboard: KPI cards and the main charts, all following one FilterPanel.

The figures come from ``analysis`` (``enrich`` for the derived columns, ``kpis`` for the
cards) and the charts from ``plots``; the dashboard only arranges them. It is the page that
``make app`` serves with Voila (notebooks/04_数据看板.ipynb).
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from .. import plots
from ._display import STYLE
from .browser import CaseBrowser
from .filter import FilterPanel

__all__ = ["Dashboard"]

_CHARTS = (
    ("各月信访量(同比)", plots.plot_cases_by_period, {}),
    ("按内容分类", plots.plot_by_category, {"top": 12}),
    ("按问题属地", plots.plot_by_locality, {"top": 12}),
    ("信访去向", plots.plot_escalation, {}),
    ("按期办结率", plots.plot_on_time_rate, {}),
    ("未办结件账龄", plots.plot_backlog_ageing, {"today": None}),
)


def _fmt_int(value: object) -> str:
    return "—" if value is None or pd.isna(value) else f"{int(value):,}"


def _fmt_rate(value: object) -> str:
    return "—" if value is None or pd.isna(value) else f"{float(value):.1%}"


def _fmt_days(value: object) -> str:
    return "—" if value is None or pd.isna(value) else f"{float(value):.0f} 天"


class Dashboard:
    """KPI cards (信访件, 批次/人次, 按期办结率, 超期, 积案), charts and a case browser.

    ``cases`` are prepared with ``analysis.enrich(cases, today=today)`` (classification
    included) unless they were prepared as of that day already. ``today`` (a date string such
    as "2026-11-20") is the day the page counts as of (it says so), for overdue and backlog.
    The cards read the figure registry (``analysis.FIGURES``) through ``analysis.kpis``; each
    card's tooltip is the figure's definition. ``start`` (optional) is a period start for
    期初/化解/新增 in ``kpis``.
    ``panel`` is the FilterPanel every part follows; ``kpis`` the current figures.
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
        self.panel = FilterPanel(self.cases, charts=False)
        self.browser = CaseBrowser(self.panel)
        self.kpis: dict = {}
        self.kpi_html = widgets.HTML()
        self.kpi_html.add_class("xf-kpi-box")
        self.show_charts = charts
        self.chart_images = {
            name: widgets.Image(format="png", layout=widgets.Layout(max_width="560px"))
            for name, _, _ in _CHARTS
        }
        grid = widgets.GridBox(
            [
                widgets.VBox([widgets.HTML(f"<b>{html.escape(name)}</b>"), img])
                for name, img in self.chart_images.items()
            ],
            layout=widgets.Layout(grid_template_columns="repeat(2, minmax(0, 1fr))"),
        )
        tabs = widgets.Tab(children=[grid, self.panel.table_html, self.browser.widget])
        for i, name in enumerate(["统计图", "前几条", "逐件浏览"]):
            tabs.set_title(i, name)
        self.widget = widgets.VBox(
            [
                widgets.HTML(STYLE + f"<h2>{html.escape(title)}</h2>"),
                self.panel.controls,
                self.panel.count_html,
                self.kpi_html,
                tabs,
            ]
        )
        self.widget.add_class("xf-dashboard")
        self.panel.on_change(self._refresh)
        self._refresh(self.panel)

    def _refresh(self, panel: FilterPanel) -> None:
        cases = panel.filtered
        self.kpis = dict(self._analysis.kpis(cases, today=self.today, start=self.start))
        # charts first, the KPI cards last: the count changing means the page is up to date
        if self.show_charts:
            for (_name, func, options), image in zip(
                _CHARTS, self.chart_images.values(), strict=True
            ):
                options = {k: (self.today if k == "today" else v) for k, v in options.items()}
                image.value = plots.to_png(func(cases, figsize=(6, 3.4), **options), dpi=72)
        k = self.kpis
        figure = self._analysis.figure
        cards = [
            ("信访件", f'<span class="xf-count">{k.get("cases", 0)}</span>', "cases"),
            (
                "批次 / 人次",
                f"{_fmt_int(k.get('cases'))} / {_fmt_int(k.get('persons'))}",
                "persons",
            ),
            ("已办结", _fmt_int(k.get("closed")), "closed"),
            ("按期办结率", _fmt_rate(k.get("on_time_rate")), "on_time_rate"),
            ("超期件", _fmt_int(k.get("overdue")), "overdue"),
            ("越级访", _fmt_int(k.get("skip_level")), "skip_level"),
            ("重复信访事项", _fmt_int(k.get("repeat.chains")), "repeat.chains"),
            ("积案", _fmt_int(k.get("backlog.end")), "backlog.end"),
            ("办理天数中位数", _fmt_days(k.get("median_days")), "median_days"),
        ]
        as_of = f"{self.today:%Y-%m-%d}"
        self.kpi_html.value = (
            f'<div class="xf-as-of">统计截至 {html.escape(as_of)}（超期、积案按这一天判断）</div>'
            '<div class="xf-kpis">'
            + "".join(
                f'<div class="xf-kpi" title="{html.escape(figure(key).definition, quote=True)}">'
                f'<div class="xf-kpi-label">{html.escape(name)}</div>'
                f'<div class="xf-kpi-value">{value}</div></div>'
                for name, value, key in cards
            )
            + "</div>"
        )

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
