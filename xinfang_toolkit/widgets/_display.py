"""Small HTML helpers shared by the widgets: masked tables, PNG charts, CSS."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..privacy import mask_pii
from ..schema import label

#: columns shown in the small tables (those present in the frame)
TABLE_COLUMNS: tuple[str, ...] = (
    "case_id",
    "received_date",
    "channel",
    "person_count",
    "locality",
    "category",
    "visit_level",
    "status",
    "petitioner",
    "summary",
)

STYLE = """
<style>
.xf-table {border-collapse: collapse; font-size: 12px; width: 100%;}
.xf-table th {background: #eef3f8; text-align: left; padding: 3px 6px; white-space: nowrap;}
.xf-table td {border-top: 1px solid #e3e3e3; padding: 3px 6px; vertical-align: top;}
.xf-kpis {display: flex; flex-wrap: wrap; gap: 10px; margin: 6px 0;}
.xf-kpi {border: 1px solid #d6e0ea; border-radius: 6px; padding: 8px 14px; min-width: 120px;
         background: #f7fafc;}
.xf-kpi-label {color: #555; font-size: 12px;}
.xf-kpi-value {font-size: 22px; font-weight: 600; color: #0b4f8a;}
.xf-card {border: 1px solid #d6e0ea; font-size: 13px;}
.xf-card th {width: 7em; font-weight: normal; color: #555; vertical-align: top;}
.xf-muted {color: #777;}
.xf-bars {font-size: 12px; padding: 4px 8px; min-width: 320px;}
.xf-bars-title {font-weight: 600; margin-bottom: 4px;}
.xf-hbar {display: flex; align-items: center; gap: 6px; margin: 2px 0;}
.xf-hbar-label {width: 7em; text-align: right; white-space: nowrap; overflow: hidden;}
.xf-hbar-track {flex: 1; background: #f0f3f6; height: 12px; min-width: 160px;}
.xf-hbar-fill {display: block; background: #0173b2; height: 12px;}
.xf-hbar-n {width: 5em;}
.xf-vbars {display: flex; align-items: flex-end; gap: 3px; height: 150px;}
.xf-vbar {display: flex; flex-direction: column; justify-content: flex-end; align-items: center;
          height: 100%; width: 26px;}
.xf-vbar-fill {background: #0173b2; width: 18px;}
.xf-vbar-n {font-size: 10px; color: #333;}
.xf-vbar-label {font-size: 10px; color: #555; white-space: nowrap;}
</style>
"""


def _text(value: object, width: int | None = None) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, (bool, np.bool_)):
        return "是" if value else "否"
    text = str(value)
    if width is not None and len(text) > width:
        text = text[: width - 1] + "…"
    return html.escape(text)


def masked_table(
    rows: pd.DataFrame,
    *,
    columns: Sequence[str] = TABLE_COLUMNS,
    text_width: int = 40,
    first_row_number: int | None = None,
) -> str:
    """An HTML table of ``rows`` with personal data masked (privacy.mask_pii), Chinese headers."""
    cols = [c for c in columns if c in rows.columns]
    shown = mask_pii(rows[cols]) if len(rows) else rows[cols]
    head = "".join(f"<th>{html.escape(label(c))}</th>" for c in cols)
    if first_row_number is not None:
        head = "<th>#</th>" + head
    body = []
    for i, rec in enumerate(shown.itertuples(index=False, name=None)):
        cells = "".join(
            f"<td>{_text(v, text_width if c == 'summary' else None)}</td>"
            for c, v in zip(cols, rec, strict=True)
        )
        if first_row_number is not None:
            cells = f"<td>{first_row_number + i}</td>" + cells
        body.append(f"<tr>{cells}</tr>")
    if not body:
        return '<p class="xf-muted">没有符合条件的信访件。</p>'
    return f'<table class="xf-table"><tr>{head}</tr>{"".join(body)}</table>'


def case_card(row: pd.DataFrame) -> str:
    """A definition list of one case (a one-row frame): every filled field with its Chinese
    label, personal data masked."""
    masked = mask_pii(row).iloc[0]
    items = []
    for col, value in masked.items():
        text = _text(value)
        if text:
            items.append(f"<tr><th>{html.escape(label(str(col)))}</th><td>{text}</td></tr>")
    return f'<table class="xf-table xf-card">{"".join(items)}</table>'


def html_bars(counts: pd.Series, *, title: str, top: int = 10, vertical: bool = False) -> str:
    """A small bar chart in HTML/CSS (drawn by the browser: instant, any font, any size).

    Horizontal bars show the ``top`` largest values; vertical bars keep the index order (months).
    Each bar carries ``data-label`` and ``data-value`` attributes (for tests and scripts).
    """
    head = f'<div class="xf-bars-title">{html.escape(title)}</div>'
    if not vertical:
        counts = counts[counts > 0].sort_values(ascending=False, kind="stable").head(top)
    if counts.empty or counts.max() <= 0:
        return f'<div class="xf-bars">{head}<p class="xf-muted">无数据</p></div>'
    peak = float(counts.max())
    items = []
    for name, value in counts.items():
        share = 100.0 * float(value) / peak
        attrs = f'data-label="{html.escape(str(name))}" data-value="{int(value)}"'
        if vertical:
            items.append(
                f'<div class="xf-vbar" {attrs} title="{html.escape(str(name))}:{int(value)}">'
                f'<span class="xf-vbar-n">{int(value)}</span>'
                f'<div class="xf-vbar-fill" style="height:{share:.1f}%"></div>'
                f'<span class="xf-vbar-label">{html.escape(str(name)[-5:])}</span></div>'
            )
        else:
            items.append(
                f'<div class="xf-hbar" {attrs}><span class="xf-hbar-label">'
                f"{html.escape(str(name))}</span>"
                f'<span class="xf-hbar-track"><span class="xf-hbar-fill" '
                f'style="width:{share:.1f}%"></span></span>'
                f'<span class="xf-hbar-n">{int(value):,}</span></div>'
            )
    kind = "xf-vbars" if vertical else "xf-hbars"
    return f'<div class="xf-bars">{head}<div class="{kind}">{"".join(items)}</div></div>'
