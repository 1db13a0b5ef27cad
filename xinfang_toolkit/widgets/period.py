"""The figures of a report period under the dashboard, following its filter.

The dashboard's cards count every case by the page's day; a report counts a period (from
``start`` to ``end``, as of ``end``). :class:`PeriodFigures` shows the main figures of that
period for the cases the dashboard's filter keeps, read from the figure registry (the same
numbers as 05_统计汇报 for the same period), and updates with every filter change.
"""

from __future__ import annotations

import ipywidgets as widgets

from ._html import escape
from .dashboard import _fmt_int, _fmt_rate

__all__ = ["PeriodFigures"]


def _value(value: object, unit: str) -> str:
    return _fmt_rate(value) if unit == "%" else _fmt_int(value)


class PeriodFigures:
    """The figures of ``start``..``end`` (as of ``end``) for the rows ``board``'s filter keeps.

    The cases are prepared once as of ``end`` (chains and backlog on all the data); a filter
    change counts the kept rows with the registry. ``values`` holds the current figures by
    key; ``widget`` (an HTML widget) shows them with their Chinese names and definitions.
    ``keys``: the figures shown (default ``analysis.HEADLINE_KEYS``).
    """

    def __init__(self, board, *, start: object, end: object, keys=None):
        from .. import analysis

        self._analysis = analysis
        self.board = board
        self.start = analysis.to_day(start, name="start 起始日期")
        self.end = analysis.to_day(end, name="end 截止日期")
        self.keys = tuple(analysis.HEADLINE_KEYS if keys is None else keys)
        prepared, _ = analysis.prepared_as_of(board.cases, today=self.end)
        self._frame = prepared
        self.values: dict = {}
        self.widget = widgets.HTML()
        self.widget.add_class("xf-period")
        board.panel.on_change(self._refresh)
        self._refresh(board.panel)

    def _refresh(self, panel) -> None:
        pos = panel.positions
        frame = self._frame if len(pos) == len(self._frame) else self._frame.iloc[pos]
        scope = self._analysis.Scope.of(as_of=self.end, start=self.start, end=self.end)
        self.values = {k: self._analysis.figure(k).value(frame, scope) for k in self.keys}
        figure = self._analysis.figure
        rows = "".join(
            f'<tr title="{escape(figure(k).definition)}"><td>{escape(figure(k).label)}</td>'
            f'<td style="text-align:right">{_value(self.values[k], figure(k).unit)}</td></tr>'
            for k in self.keys
        )
        span = f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"
        filtered = "" if len(pos) == len(self._frame) else f"(筛选后的 {len(pos):,} 件)"
        self.widget.value = (
            f"<h3>统计期 {escape(span)} 的主要指标{escape(filtered)}</h3>"
            f"<p>截至 {self.end:%Y-%m-%d}，与统计汇报同一口径；随上方的筛选条件更新。</p>"
            f'<table class="xf-table" style="max-width:32em">{rows}</table>'
        )

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
