"""CaseBrowser: page through cases and open one as a card with its repeat chain.

The browser follows a FilterPanel (``CaseBrowser(panel)``) or shows all of a frame
(``CaseBrowser(cases)``). The repeat chain is the cases sharing the case's ``chain_id`` (from
``analysis.link_repeats`` / ``analysis.enrich``), in date order. Personal data is masked.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd

from ..analysis._backlog import chain_codes
from ..privacy import known_names
from ..schema import TEXT_DTYPE
from ._display import STYLE, case_card, masked_table
from .filter import FilterPanel

__all__ = ["CaseBrowser"]

_CHAIN_COLUMNS = (
    "chain_seq",
    "case_id",
    "received_date",
    "channel",
    "visit_level",
    "status",
    "summary",
)


class CaseBrowser:
    """Page through cases (``page_size`` per page) and show one case in detail.

    Use ``next_button`` / ``prev_button`` (or ``next_page()`` / ``prev_page()``), and ``case``
    (a Dropdown of the cases on the page; its value is the row position in ``cases``) or
    ``show_case(case_id)``. ``chain`` holds the selected case's repeat chain (masked).
    """

    def __init__(self, source: pd.DataFrame | FilterPanel, *, page_size: int = 20):
        if isinstance(source, FilterPanel):
            self.panel: FilterPanel | None = source
            self.cases = source.cases
            self.names = source.names
        else:
            self.panel = None
            self.cases = source
            #: the persons the whole frame knows, masked in every card and table
            self.names = frozenset(known_names(source))
        self.page_size = page_size
        self.page = 0
        self.selected: int | None = None
        self._hold = False
        self.chain = self.cases.iloc[0:0]
        self._positions = np.arange(len(self.cases))
        has_chains = "chain_id" in self.cases.columns
        self._chain_codes = chain_codes(self.cases) if has_chains else None
        self._dates = pd.to_datetime(self.cases["received_date"], errors="coerce").to_numpy()

        self._make_widgets()
        self.precedent_button.on_click(lambda _: self.show_precedents())
        self.prev_button.on_click(lambda _: self.prev_page())
        self.next_button.on_click(lambda _: self.next_page())
        self.case.observe(self._on_case, names="value")
        if self.panel is not None:
            self.panel.on_change(self._on_filter)
            self._positions = self.panel.positions
        self._show_page()

    def _make_widgets(self) -> None:
        """The page buttons, the case list, the card, the chain, the 类案 button and list."""
        self.prev_button = widgets.Button(description="上一页", icon="arrow-left")
        self.next_button = widgets.Button(description="下一页", icon="arrow-right")
        self.page_label = widgets.HTML()
        self.case = widgets.Dropdown(description="查看", layout=widgets.Layout(width="460px"))
        self.page_html = widgets.HTML()
        self.card_html = widgets.HTML()
        self.chain_html = widgets.HTML()
        #: 类案: precedents of the selected case from other matters (analysis.PrecedentIndex,
        #: fitted on the first click); ``precedents`` holds them, ``precedents_html`` shows them
        self.precedent_button = widgets.Button(description="类案", icon="search")
        self.precedents_html = widgets.HTML()
        self.precedents = pd.DataFrame()
        self._precedent_index = None
        self.widget = widgets.VBox(
            [
                widgets.HTML(STYLE),
                widgets.HBox([self.prev_button, self.next_button, self.page_label]),
                self.page_html,
                self.case,
                widgets.HBox(
                    [
                        widgets.VBox(
                            [
                                widgets.HTML("<b>信访件详情</b>"),
                                self.card_html,
                                self.precedent_button,
                            ],
                            layout=widgets.Layout(width="45%"),
                        ),
                        widgets.VBox(
                            [widgets.HTML("<b>同一事项的信访记录(按日期)</b>"), self.chain_html],
                            layout=widgets.Layout(width="55%"),
                        ),
                    ]
                ),
                self.precedents_html,
            ]
        )

    @property
    def n_pages(self) -> int:
        return max(1, -(-len(self._positions) // self.page_size))

    @property
    def page_positions(self) -> np.ndarray:
        """Row positions (for ``cases.iloc``) of the cases on the current page."""
        start = self.page * self.page_size
        return self._positions[start : start + self.page_size]

    def next_page(self) -> None:
        if self.page + 1 < self.n_pages:
            self.page += 1
            self._show_page()

    def prev_page(self) -> None:
        if self.page > 0:
            self.page -= 1
            self._show_page()

    def show_case(self, case_id: str) -> None:
        """Open the case with this ``case_id`` (it need not be on the current page)."""
        hits = np.flatnonzero((self.cases["case_id"] == case_id).fillna(False).to_numpy())
        if not len(hits):
            raise KeyError(f"没有编号为 {case_id} 的信访件 / no case with case_id {case_id!r}")
        self._select(int(hits[0]))

    def show_precedents(self, *, k: int = 5) -> pd.DataFrame:
        """类案 of the selected case: the most similar answered cases of other matters
        (``analysis.find_precedents``), shown masked under the card."""
        from ..analysis import PrecedentIndex
        from .precedents import precedents_html

        if self.selected is None:
            self.precedents = pd.DataFrame()
            self.precedents_html.value = '<p class="xf-muted">请先选择一件信访件。</p>'
            return self.precedents
        case_id = self.cases["case_id"].iloc[self.selected]
        if pd.isna(case_id):
            self.precedents = pd.DataFrame()
            self.precedents_html.value = (
                '<p class="xf-muted">这件信访件没有编号，无法查找类案。</p>'
            )
            return self.precedents
        if self._precedent_index is None:
            self._precedent_index = PrecedentIndex().fit(self.cases)
        self.precedents = self._precedent_index.query(str(case_id), k=k)
        self.precedents_html.value = "<b>类案参考(其他事项,已办结)</b>" + precedents_html(
            self.precedents
        )
        return self.precedents

    def _on_filter(self, panel: FilterPanel) -> None:
        self._positions = panel.positions
        self.page = 0
        self._show_page()

    def _on_case(self, change) -> None:
        if change["new"] is not None and not self._hold:
            self._select(int(change["new"]))

    def _show_page(self) -> None:
        pos = self.page_positions
        rows = self.cases.iloc[pos]
        total = len(self._positions)
        self.page_label.value = f"第 {self.page + 1} / {self.n_pages} 页(共 {total} 件)"
        self.prev_button.disabled = self.page == 0
        self.next_button.disabled = self.page + 1 >= self.n_pages
        self.page_html.value = masked_table(
            rows, first_row_number=self.page * self.page_size + 1, names=self.names
        )
        options = []
        for p, cid, date, cat in zip(
            pos,
            rows["case_id"].astype(TEXT_DTYPE).fillna("(无编号)"),
            pd.to_datetime(rows["received_date"], errors="coerce"),
            rows["category"].astype(TEXT_DTYPE).fillna("")
            if "category" in rows
            else [""] * len(pos),
            strict=True,
        ):
            day = "" if pd.isna(date) else f"{date:%Y-%m-%d}"
            options.append((f"{cid} | {day} | {cat}", int(p)))
        self._hold = True
        try:
            self.case.options = options
            if options:
                self.case.value = options[0][1]
        finally:
            self._hold = False
        if options:
            self._select(options[0][1])
        else:
            self.selected = None
            self.card_html.value = '<p class="xf-muted">本页没有信访件。</p>'
            self.chain_html.value = ""

    def _select(self, position: int) -> None:
        self.selected = position
        self.precedents = pd.DataFrame()
        self.precedents_html.value = ""
        self.card_html.value = case_card(self.cases.iloc[[position]], names=self.names)
        if self._chain_codes is None:
            self.chain = self.cases.iloc[[position]]
            self.chain_html.value = (
                '<p class="xf-muted">尚未计算重复访链:请先运行 analysis.enrich(cases)。</p>'
            )
            return
        code = self._chain_codes[position]
        members = np.flatnonzero(self._chain_codes == code) if code >= 0 else np.array([position])
        order = np.argsort(self._dates[members], kind="stable")
        self.chain = self.cases.iloc[members[order]]
        self.chain_html.value = masked_table(self.chain, columns=_CHAIN_COLUMNS, names=self.names)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
