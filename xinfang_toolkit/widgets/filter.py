"""FilterPanel: choose cases by date, category, locality, channel, level, status and text.

The panel shows how many cases match, the first few (personal data masked) and two charts that
follow the filter; ``panel.filtered`` is the matching cases for the next cell. Other widgets
(CaseBrowser, Dashboard) follow one panel through ``panel.on_change(callback)``.

Speed: options and integer codes are computed once (``_index.CaseIndex``); a change combines
boolean masks and renders only the head of the result. The filtered frame is copied only when
``.filtered`` is read. Text search runs on Enter or on the 搜索 button, never on each keystroke.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import ipywidgets as widgets
import numpy as np
import pandas as pd

from ..privacy import known_names, mask_pii
from ..schema import label
from ._charts import html_bars
from ._display import STYLE, masked_table
from ._html import escape
from ._index import CHOICE_COLUMNS, CaseIndex

__all__ = ["FilterPanel"]

_FILTER_LABELS = {
    "category": "内容分类",
    "locality": "问题属地",
    "channel": "信访形式",
    "visit_level": "信访去向",
    "status": "办理状态",
    "assigned_by": "交办机关",
    "key_case": "重点",
    "resolution_type": "化解方式",
}


class FilterPanel:
    """Filter a cases frame interactively; ``.filtered`` holds the matching cases.

    Parameters: ``cases`` (canonical columns; ``status`` and ``is_group`` from analysis.enrich
    are used when present), ``head`` rows shown in the table, ``charts`` to draw the two small
    charts (by category, by month, in HTML) that follow the filter. The full matplotlib charts
    are in ``plots`` (``plots.plot_by_category(panel.filtered)``) and in the Dashboard.

    Controls (ipywidgets, settable from code and tests): ``start``, ``end`` (DatePicker),
    ``category``, ``locality``, ``channel``, ``visit_level``, ``status``, and where the cases
    have them ``assigned_by`` (交办机关), ``key_case`` (重点), ``resolution_type`` (化解方式)
    (SelectMultiple; nothing selected means all; None when the cases hold no such value), ``group_only`` (Checkbox), ``search`` (Text, applied on Enter) with
    ``search_button``, and ``reset_button``. Display the panel by leaving it last in a cell.

    The text search looks in the masked texts (numbers and names of persons masked as in every
    display), so a viewer cannot test whether a phone or ID number is on file; an analyst who
    must search the full texts unlocks it on purpose with ``search_unmasked=True``.
    """

    def __init__(
        self,
        cases: pd.DataFrame,
        *,
        head: int = 10,
        charts: bool = True,
        search_unmasked: bool = False,
    ):
        self.cases = cases
        #: search the texts as written (True, asked for on purpose) or masked (default)
        self.search_unmasked = bool(search_unmasked)
        self._masked_index: CaseIndex | None = None
        self.head = head
        self.index = CaseIndex(cases)
        self._callbacks: list[Callable[[FilterPanel], None]] = []
        self._hold = False
        self._mask = np.ones(len(cases), dtype=bool)
        self._positions = np.arange(len(cases))
        self._filtered: pd.DataFrame | None = None
        self._names: frozenset[str] | None = None

        self._make_inputs()
        boxes = self._make_choices()
        self._lay_out(boxes, charts=charts)
        for w in [self.start, self.end, self.group_only, self.search, *self.choices.values()]:
            w.observe(self._on_value, names="value")
        self.search_button.on_click(lambda _: self.update())
        self.reset_button.on_click(lambda _: self.reset())
        self.update()

    def _make_inputs(self) -> None:
        """The dates, the search box and its button, the reset button, the 集体访 box."""
        self.start = widgets.DatePicker(
            description="登记日期从", layout=widgets.Layout(width="250px")
        )
        self.end = widgets.DatePicker(description="至", layout=widgets.Layout(width="200px"))
        self.search = widgets.Text(
            placeholder="关键词(回车搜索),多个词用空格分开",
            continuous_update=False,
            layout=widgets.Layout(width="280px"),
        )
        self.search_button = widgets.Button(description="搜索", icon="search")
        self.reset_button = widgets.Button(description="重置")
        self.group_only = widgets.Checkbox(description="只看集体访", indent=False)

    def _make_choices(self) -> list[widgets.VBox]:
        """One list per choice column the cases hold values of (``choices``, and each as its
        attribute: None when the ledger has no such values); their boxes, titled."""
        layout = widgets.Layout(width="150px")
        self.choices: dict[str, widgets.SelectMultiple] = {}
        boxes = []
        for col in CHOICE_COLUMNS:
            choice = self.index.choices.get(col)
            if choice is None:
                continue
            options = [(f"{v} ({n})", v) for v, n in zip(choice.values, choice.counts, strict=True)]
            select = widgets.SelectMultiple(options=options, rows=5, layout=layout)
            select.add_class(f"xf-filter-{col.replace('_', '-')}")
            self.choices[col] = select
            title = widgets.HTML(f"<b>{_FILTER_LABELS.get(col, label(col))}</b>")
            boxes.append(widgets.VBox([title, select]))
        self.category = self.choices.get("category")
        self.locality = self.choices.get("locality")
        self.channel = self.choices.get("channel")
        self.visit_level = self.choices.get("visit_level")
        self.status = self.choices.get("status")
        # 交办机关, 是否重点, 化解方式: None when the ledger has no such values
        self.assigned_by = self.choices.get("assigned_by")
        self.key_case = self.choices.get("key_case")
        self.resolution_type = self.choices.get("resolution_type")
        return boxes

    def _lay_out(self, boxes: list[widgets.VBox], *, charts: bool) -> None:
        """The controls (with the data's date range as a hint), the count, the table and the
        small charts, in ``widget``."""
        span = ""
        if self.index.date_min is not None:
            span = f"数据范围 {self.index.date_min:%Y-%m-%d} 至 {self.index.date_max:%Y-%m-%d}"
        hint = widgets.HTML(
            f'<span class="xf-muted">{span};列表可按住 Ctrl 多选,不选即全部。</span>'
        )
        self.controls = widgets.VBox(
            [
                widgets.HTML(STYLE),
                widgets.HBox([self.start, self.end, self.search, self.search_button]),
                widgets.HBox(boxes),
                widgets.HBox([self.group_only, self.reset_button, hint]),
            ]
        )
        self.count_html = widgets.HTML()
        self.count_html.add_class("xf-count-box")
        #: "正在计算…" while a change is being applied (shown by the browser at once)
        self.busy = widgets.HTML(_busy(False))
        self.table_html = widgets.HTML()
        self.charts = charts
        self.chart_html = [
            widgets.HTML(layout=widgets.Layout(width="50%")) for _ in range(2 if charts else 0)
        ]
        self.widget = widgets.VBox(
            [
                self.controls,
                widgets.HBox([self.count_html, self.busy]),
                self.table_html,
                widgets.HBox(self.chart_html),
            ]
        )

    # --- state --------------------------------------------------------------------------------
    @property
    def names(self) -> frozenset[str]:
        """The persons the whole frame knows (``privacy.known_names``, computed once): masked in
        every row shown, not only in the row that names them."""
        if self._names is None:
            self._names = frozenset(known_names(self.cases))
        return self._names

    @property
    def mask(self) -> np.ndarray:
        """Boolean mask over ``cases`` of the matching rows."""
        return self._mask

    @property
    def positions(self) -> np.ndarray:
        """Row positions (0-based, for ``cases.iloc``) of the matching rows."""
        return self._positions

    @property
    def count(self) -> int:
        return int(len(self._positions))

    @property
    def filtered(self) -> pd.DataFrame:
        """The matching cases (a new frame, computed on first read after each change)."""
        if self._filtered is None:
            self._filtered = self.cases.iloc[self._positions].copy()
        return self._filtered

    def selections(self) -> dict[str, tuple[str, ...]]:
        """The chosen values of each choice filter (empty tuple = all)."""
        return {col: tuple(w.value) for col, w in self.choices.items()}

    def describe(self) -> str:
        """The active filters in words, e.g. "内容分类=民政;只看集体访" ("全部" if none)."""
        parts = []
        if self.start.value or self.end.value:
            parts.append(f"登记日期 {self.start.value or '…'} 至 {self.end.value or '…'}")
        for col, values in self.selections().items():
            if values:
                parts.append(f"{_FILTER_LABELS.get(col, col)}=" + "、".join(values))
        if self.group_only.value:
            parts.append("只看集体访")
        if self.search.value.strip():
            parts.append(f"关键词“{self.search.value.strip()}”")
        return ";".join(parts) or "全部"

    # --- events -------------------------------------------------------------------------------
    def on_change(self, callback: Callable[[FilterPanel], None]) -> None:
        """Call ``callback(panel)`` after every change of the filter."""
        self._callbacks.append(callback)

    def _on_value(self, change) -> None:
        if not self._hold:
            self.update()

    def reset(self) -> None:
        """Clear every filter (one update, not one per control)."""
        self._hold = True
        try:
            self.start.value = None
            self.end.value = None
            self.search.value = ""
            self.group_only.value = False
            for w in self.choices.values():
                w.value = ()
        finally:
            self._hold = False
        self.update()

    def compute(self) -> np.ndarray:
        """The mask for the current control values (no display update)."""
        unmasked = self.search_unmasked
        mask = self.index.mask(
            start=_date(self.start.value),
            end=_date(self.end.value),
            selections=self.selections(),
            group_only=bool(self.group_only.value),
            text=self.search.value if unmasked else "",
        )
        if unmasked:
            return mask
        found = self._masked_search().text_mask(self.search.value or "")
        return mask if found is None else mask & found

    def _masked_search(self) -> CaseIndex:
        """The searched text columns masked (``privacy.mask_pii``: numbers and persons; the
        case number is no personal data and stays), indexed once, on the first search."""
        if self._masked_index is None:
            cols = self.index.text_columns
            texts = mask_pii(
                self.cases[cols],
                columns=[],
                text_columns=[c for c in cols if c != "case_id"],
                names=self.names,
            )
            frame = texts.assign(is_group=False)
            self._masked_index = CaseIndex(frame, text_columns=cols)
        return self._masked_index

    def update(self) -> None:
        """Apply the filter: recompute the mask, the count, the head table, the charts, then call
        the ``on_change`` callbacks; ``busy`` shows "正在计算…" meanwhile."""
        self.busy.value = _busy(True)
        try:
            self._mask = self.compute()
            self._positions = np.flatnonzero(self._mask)
            self._filtered = None
            self.count_html.value = (
                f'<b>符合条件:<span class="xf-count">{self.count}</span> 件</b>'
                f'<span class="xf-muted">(共 {self.index.n} 件;{escape(self.describe())})</span>'
            )
            head = self.cases.iloc[self._positions[: self.head]]
            self.table_html.value = masked_table(head, names=self.names)
            if self.charts:
                self._draw_charts()
            for callback in self._callbacks:
                callback(self)
        finally:
            self.busy.value = _busy(False)

    def _draw_charts(self) -> None:
        # HTML bars drawn by the browser: a matplotlib PNG per change would cost ~300 ms
        pos = self._positions
        by_category = pd.Series(dtype="int64")
        if "category" in self.index.choices:
            by_category = self.index.counts("category", pos)
        self.chart_html[0].value = html_bars(by_category, title="按内容分类(前10)")
        months = self.index.month_counts(pos).tail(24)
        self.chart_html[1].value = html_bars(months, title="按登记月份(近24个月)", vertical=True)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def _busy(on: bool) -> str:
    state = " xf-on" if on else ""
    return f'<span class="xf-busy{state}" role="status">正在计算…</span>'


def _date(value: object) -> dt.date | None:
    return value if value else None
