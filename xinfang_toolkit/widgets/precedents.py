"""PrecedentPanel: the 会诊 workbench: pick a backlog matter, read its dossier and its precedents
side by side, mark which precedents help, export the dossier to Word.

The panel holds no analysis of its own: the dossier is ``report.DossierBook`` (which reads
``analysis.backlog_table``, the figure registry and ``analysis.PrecedentIndex``). Every value is
escaped HTML; persons are masked (a dossier shows only the chain's pseudonymous key).
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from . import _html as html
from ._display import STYLE

__all__ = ["PrecedentPanel", "precedents_html"]

_DOSSIER_STYLE = """
<style>
.xf-dossier table {border-collapse: collapse; font-size: 12px; width: 100%; margin-bottom: 6px;}
.xf-dossier th {background: #eef3f8; text-align: left; padding: 2px 6px; white-space: nowrap;
                vertical-align: top;}
.xf-dossier td {border-top: 1px solid #e3e3e3; padding: 2px 6px; vertical-align: top;}
.xf-dossier h4 {margin: 10px 0 4px 0; color: #0b4f8a;}
.xf-prec-help {background: #eaf6ea;}
</style>
"""

_SHOWN = (
    ("rank", "序号"),
    ("similarity", "相似度"),
    ("shared_terms", "共同关键词"),
    ("locality", "属地"),
    ("responsible_unit", "责任单位"),
    ("category", "分类"),
    ("summary", "诉求摘要"),
    ("resolution", "化解方式"),
    ("days_taken", "办理天数"),
    ("stopped", "答复后息诉"),
)


def precedents_html(precedents: pd.DataFrame, *, helpful=()) -> str:
    """Precedents (``analysis.find_precedents``) as an escaped table; rows whose case is in
    ``helpful`` are marked 有帮助."""
    if precedents is None or precedents.empty:
        return '<p class="xf-muted">没有找到类案（只在已办结的其他事项中查找）。</p>'
    helpful = set(helpful)
    cols = [(c, t) for c, t in _SHOWN if c in precedents.columns]
    head = "".join(f"<th>{html.escape(t)}</th>" for _, t in cols) + "<th>会诊标记</th>"
    rows = []
    for _, r in precedents.iterrows():
        cells = []
        for c, _t in cols:
            v = r[c]
            if c == "similarity":
                v = f"{float(v):.2f}"
            elif c == "stopped":
                v = "尚难判断" if pd.isna(v) else ("是" if v else "否")
            cells.append(f"<td>{html.text(v, 60)}</td>")
        mark = "有帮助" if r["case_id"] in helpful else ""
        cls = ' class="xf-prec-help"' if mark else ""
        rows.append(f"<tr{cls}>" + "".join(cells) + f"<td>{html.escape(mark)}</td></tr>")
    return (
        '<table class="xf-table"><thead><tr>'
        + head
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


class PrecedentPanel:
    """Choose a backlog matter (``matter``: a Dropdown whose value is the chain id), see its
    dossier (``dossier_html``) and precedents (``precedents_html``); tick the helpful ones in
    ``helpful`` (their case ids; kept per matter in ``marks``) and write the dossier with
    ``export_button`` into ``out_dir`` (the path written is in ``last_export``).

    ``cases``: enriched cases (``analysis.enrich``) or raw ones (enriched as of ``today``);
    ``archive``: a CaseArchive for each case's versions; ``k`` precedents per matter.
    ``book``: a ``report.DossierBook`` built already (shares its index and backlog table).
    """

    def __init__(
        self,
        cases: pd.DataFrame | None = None,
        *,
        today: object = None,
        archive=None,
        k: int = 5,
        book=None,
        out_dir: str | Path = "out/卷宗",
    ) -> None:
        from ..report._dossier import DossierBook

        if book is None:
            if cases is None:
                raise ValueError("PrecedentPanel 需要 cases 或 book / give cases or book")
            book = DossierBook(cases, today=today, archive=archive, k=k)
        self.book = book
        self.out_dir = Path(out_dir)
        self.marks: dict[str, set[str]] = {}
        self.current = None  # the Dossier shown
        self.last_export: Path | None = None
        table = book.backlog
        options = [
            (
                f"第{int(r['rank'])}位 | {html.plain(r['locality'])} | "
                f"{html.plain(r['category'])} | {int(r['cases'])}次",
                str(r["chain_id"]),
            )
            for _, r in table.iterrows()
        ]
        self.matter = widgets.Dropdown(
            options=options, description="积案事项", layout=widgets.Layout(width="520px")
        )
        self.helpful = widgets.SelectMultiple(
            options=[], description="有帮助", layout=widgets.Layout(width="320px", height="110px")
        )
        self.export_button = widgets.Button(description="导出卷宗(Word)", icon="download")
        self.status = widgets.HTML()
        self.dossier_html = widgets.HTML()
        self.precedents_html = widgets.HTML()
        self.widget = widgets.VBox(
            [
                widgets.HTML(STYLE + _DOSSIER_STYLE),
                widgets.HBox([self.matter, self.export_button]),
                self.status,
                widgets.HBox(
                    [
                        widgets.VBox(
                            [widgets.HTML("<b>卷宗</b>"), self.dossier_html],
                            layout=widgets.Layout(width="55%"),
                        ),
                        widgets.VBox(
                            [
                                widgets.HTML("<b>类案参考(其他事项,已办结)</b>"),
                                self.precedents_html,
                                self.helpful,
                            ],
                            layout=widgets.Layout(width="45%"),
                        ),
                    ]
                ),
            ]
        )
        self._hold = False
        self.matter.observe(self._on_matter, names="value")
        self.helpful.observe(self._on_helpful, names="value")
        self.export_button.on_click(lambda _: self.export())
        if options:
            self._show(options[0][1])
        else:
            self.status.value = '<p class="xf-muted">统计日没有积案事项。</p>'
            self.export_button.disabled = True

    @property
    def precedents(self) -> pd.DataFrame:
        """The precedents of the matter shown (``analysis.find_precedents`` columns)."""
        return self._precedents

    def show(self, matter) -> None:
        """Open a matter by chain id or by a case id of it (need not be in the backlog)."""
        self._show(self.book.chain_of(matter))

    def _on_matter(self, change) -> None:
        if change["new"] is not None and not self._hold:
            self._show(change["new"])

    def _on_helpful(self, change) -> None:
        if self._hold or self.current is None:
            return
        self.marks[self.current.chain_id] = set(change["new"])
        self._render_precedents()

    def _show(self, chain: str) -> None:
        d = self.book.dossier(chain, precedents=False)
        latest = str(d.demands["信访件编号"].iloc[-1])
        self._precedents = self.book.index.query(latest, k=self.book.k)
        from ..report._dossier import _precedent_table

        d.precedents = _precedent_table(self._precedents)
        self.current = d
        self._hold = True
        try:
            if chain in dict((v, v) for _, v in self.matter.options) and self.matter.value != chain:
                self.matter.value = chain
            ids = [str(c) for c in self._precedents["case_id"]] if len(self._precedents) else []
            self.helpful.options = ids
            self.helpful.value = tuple(i for i in ids if i in self.marks.get(chain, set()))
        finally:
            self._hold = False
        self.dossier_html.value = _DOSSIER_STYLE + d.html()
        self._render_precedents()
        self.status.value = ""

    def _render_precedents(self) -> None:
        chain = self.current.chain_id
        self.precedents_html.value = precedents_html(
            self._precedents, helpful=self.marks.get(chain, set())
        )

    def export(self) -> Path | None:
        """Write the dossier shown (with the helpful precedents marked) as Word into
        ``out_dir``; returns the path."""
        if self.current is None:
            return None
        d = self.current
        marked = self.marks.get(d.chain_id, set())
        if not d.precedents.empty:
            d.precedents = d.precedents.assign(
                会诊标记=["有帮助" if c in marked else "" for c in d.precedents["信访件编号"]]
            )
        if marked:
            d.notes["钥匙"] = "参考类案：" + "、".join(sorted(marked))
        name = f"卷宗_{d.header['问题属地'] or '属地未填'}_{d.header['内容分类'] or '未分类'}"
        safe = "".join("_" if ch in '<>:"/\\|?*' else ch for ch in name)
        path = self.out_dir / f"{safe}_{d.chain_id}.docx"
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            d.to_docx(path)
        except (OSError, ValueError) as exc:  # ValueError: OutputError, someone's own file
            self.status.value = f'<p class="xf-muted">写出失败：{html.escape(exc)}</p>'
            return None
        self.last_export = path
        self.status.value = f"<p>已导出：{html.escape(path)}</p>"
        return path

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
