"""CaseTimeline: one case's history in the archive as a vertical timeline (masked)."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from ..schema import label
from . import _html as html  # the one escaping helper of the widgets

_STYLE = """
<style>
.xf-tl {border-left: 3px solid #0b4f8a; margin: 6px 0 6px 8px; padding-left: 12px; font-size: 13px;}
.xf-tl-item {margin-bottom: 10px;}
.xf-tl-head {font-weight: 600; color: #0b4f8a;}
.xf-tl-kept {color: #b35900;}
.xf-tl-src {color: #777; font-size: 12px;}
</style>
"""
_FACTS = ("received_date", "category", "locality", "responsible_unit", "leader", "closed_date")


def _day(value: object) -> str:
    return "" if pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d}"


def timeline_html(history: pd.DataFrame) -> str:
    """The versions of ``CaseArchive.history(...)`` (already masked) as escaped HTML."""
    if history.empty:
        return "<div class='xf-tl'>没有记录</div>"
    first = history.iloc[0]
    facts = "；".join(
        f"{label(c)}: {html.escape(_day(first[c]) if c.endswith('date') else str(first[c]))}"
        for c in _FACTS
        if c in history.columns and pd.notna(first[c])
    )
    items = []
    for row in history.itertuples(index=False):
        kept = getattr(row, "blanked_kept", None)
        kept_html = (
            f"<div class='xf-tl-kept'>台账留空, 已保留原值: {html.escape(str(kept))}</div>"
            if isinstance(kept, str) and kept
            else ""
        )
        stale = "(较旧台账, 仅记入历史)" if bool(getattr(row, "stale", False)) else ""
        items.append(
            "<div class='xf-tl-item'>"
            f"<div class='xf-tl-head'>第{int(row.version)}版 · 台账期间 {_day(row.period)}"
            f"{html.escape(stale)}</div>"
            f"<div>{html.escape(str(row.changes))}</div>{kept_html}"
            f"<div class='xf-tl-src'>来源: {html.escape(str(row.source_file))} / "
            f"{html.escape(str(row.source_sheet))} 第 {html.escape(str(row.source_row))} 行"
            f"; 导入于 {html.escape(str(row.imported_at))[:19]}</div></div>"
        )
    head = (
        f"<div><b>信访件 {html.escape(str(first['case_id']))}</b> "
        f"<span class='xf-tl-src'>{facts}</span></div>"
    )
    return _STYLE + head + "<div class='xf-tl'>" + "".join(items) + "</div>"


class CaseTimeline(widgets.VBox):
    """Choose a case (``options``: case ids) and see its history as a timeline.

    ``archive``: a :class:`~xinfang_toolkit.archive.CaseArchive`; the history is read masked.
    ``.case.value`` chooses the case; ``.history`` is the frame shown.
    """

    def __init__(self, archive, options, *, value: str | None = None):
        self.archive = archive
        opts = [str(o) for o in options]
        self.case = widgets.Dropdown(
            options=opts, value=value or (opts[0] if opts else None), description="信访件"
        )
        self.view = widgets.HTML()
        self.history = pd.DataFrame()
        super().__init__([self.case, self.view])
        self.case.observe(self._update, names="value")
        self._update()

    def _update(self, _change=None) -> None:
        if self.case.value is None:
            self.history = pd.DataFrame()
            self.view.value = "<div>没有可选的信访件</div>"
            return
        self.history = self.archive.history(self.case.value, mask=True)
        self.view.value = timeline_html(self.history)
