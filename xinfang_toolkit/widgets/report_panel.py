"""ReportPanel: choose the period with date pickers and see the figures and drafted text.

Used by notebooks/05_统计汇报.ipynb (``from xinfang_toolkit.widgets import ReportPanel``, or
``xinfang_toolkit.ReportPanel``; the report package no longer holds a widget). The panel computes a Summary at once from the values it
was given (so a notebook runs unattended) and again whenever 重新统计 is pressed.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
from IPython.display import HTML, display

from ..report import Summary, draft_report, summarize, table_html
from ._html import escape

__all__ = ["ReportPanel"]

#: tables shown under the text, in this order
PANEL_TABLES: tuple[str, ...] = ("总体情况", "信访去向", "内容分类", "积案", "信访量较多的单位")


def _to_date(value: object):
    return None if value is None else pd.Timestamp(value).date()


class ReportPanel:
    """Date pickers, a comparison choice and a button; shows the drafted text and main tables.

    ``panel.summary`` is the latest Summary (None if the chosen period was invalid);
    ``panel.text`` its drafted text. Display the panel with ``display(panel)`` or as the last
    expression of a cell.
    """

    def __init__(
        self,
        cases: pd.DataFrame,
        *,
        start: object,
        end: object,
        compare: str | None = None,
        today: object = None,
        group_threshold: int = 5,
        period_cutoff_day: int | None = None,
    ) -> None:
        self._cases = cases
        self._options = {
            "today": today,
            "group_threshold": group_threshold,
            "period_cutoff_day": period_cutoff_day,
        }
        self.start = widgets.DatePicker(description="起始日期", value=_to_date(start))
        self.end = widgets.DatePicker(description="截止日期", value=_to_date(end))
        self.compare = widgets.Dropdown(
            description="比较",
            options=[("不比较", None), ("同比（去年同期）", "yoy"), ("环比（上期）", "mom")],
            value=compare,
        )
        self.button = widgets.Button(description="重新统计", button_style="primary", icon="refresh")
        self.message = widgets.HTML()
        self.output = widgets.Output()
        self.button.on_click(self.refresh)
        self.widget = widgets.VBox(
            [
                widgets.HBox([self.start, self.end, self.compare, self.button]),
                self.message,
                self.output,
            ]  # fmt: skip
        )
        self.summary: Summary | None = None
        self.text: str = ""
        self.refresh()

    def refresh(self, *_: object) -> Summary | None:
        """Summarise the chosen period again; show a Chinese message if it cannot be done."""
        try:
            summary = summarize(
                self._cases,
                start=self.start.value,
                end=self.end.value,
                compare=self.compare.value,
                **self._options,
            )
        except (ValueError, TypeError) as exc:
            self.message.value = f"<b style='color:#d55e00'>{escape(str(exc))}</b>"
            self.summary, self.text = None, ""
            return None
        self.summary = summary
        self.text = draft_report(summary)
        self.message.value = (
            f"<b>{escape(summary.title)}</b>：{summary.numbers['cases']}件，"
            f"办理情况统计截至{summary.as_of.date()}"
        )
        self.output.clear_output()
        with self.output:
            paragraphs = "".join(f"<p>{escape(p)}</p>" for p in self.text.splitlines())
            display(HTML(paragraphs))
            for name in PANEL_TABLES:
                if name in summary.tables:
                    display(HTML(f"<h4>{escape(name)}</h4>" + table_html(summary.tables[name])))
        return summary

    def _ipython_display_(self) -> None:
        display(self.widget)
