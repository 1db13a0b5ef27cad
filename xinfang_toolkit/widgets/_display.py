"""Small HTML helpers shared by the widgets: masked tables, case cards, the CSS."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from ..privacy import mask_pii
from ..schema import label
from ._html import escape, text

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
.xf-review-card {border: 1px solid #d6e0ea; border-radius: 6px; padding: 8px 12px;
                 max-width: 720px;}
.xf-review-summary {font-size: 14px; margin: 0 0 6px 0;}
.xf-bars {font-size: 12px; padding: 4px 8px; min-width: 0; box-sizing: border-box;}
.xf-bars-title {font-weight: 600; margin-bottom: 4px;}
.xf-legend {font-size: 11px; color: #444; margin-bottom: 2px;}
.xf-legend i {display: inline-block; width: 10px; height: 10px; margin: 0 3px 0 8px;}
.xf-hbar {display: flex; align-items: center; gap: 6px; margin: 2px 0;}
.xf-hbar-label {width: 7em; text-align: right; white-space: nowrap; overflow: hidden;
                text-overflow: ellipsis;}
.xf-hbar-track {flex: 1; background: #f0f3f6; height: 12px; min-width: 80px;}
.xf-hbar-fill {display: block; background: #0173b2; height: 12px;}
.xf-hbar-n {width: 5em;}
.xf-vbars {display: flex; align-items: stretch; gap: 2px; width: 100%;}
.xf-vgroup {flex: 1 1 0; min-width: 0; display: flex; flex-direction: column;}
.xf-vplot {height: 130px; display: flex; align-items: flex-end; justify-content: center; gap: 1px;
           border-bottom: 1px solid #bbb;}
.xf-vbar {flex: 0 1 18px; min-width: 2px; display: flex; flex-direction: column;
          justify-content: flex-end; align-items: center; height: 100%;}
.xf-vbar-fill {background: #0173b2; width: 100%;}
.xf-vbar-n {font-size: 10px; color: #333; white-space: nowrap;}
.xf-vlabel {font-size: 10px; color: #555; text-align: center; white-space: nowrap;
            overflow: visible; height: 2.6em; line-height: 1.3em;}
.xf-busy {color: #b35c00; font-weight: 600; visibility: hidden;}
.xf-busy.xf-on {visibility: visible;}
body:has(.xf-dashboard) .xf-loading {display: none;}
</style>
"""


def masked_table(
    rows: pd.DataFrame,
    *,
    columns: Sequence[str] = TABLE_COLUMNS,
    text_width: int = 40,
    first_row_number: int | None = None,
    names: Iterable[str] = (),
) -> str:
    """An HTML table of ``rows`` with personal data masked (privacy.mask_pii), Chinese headers.

    ``names``: the persons known from the whole frame (``privacy.known_names``), masked in these
    rows' texts too.
    """
    cols = [c for c in columns if c in rows.columns]
    # the whole rows are masked, so names from every name column are masked in the texts too
    shown = mask_pii(rows, names=names)[cols] if len(rows) else rows[cols]
    head = "".join(f"<th>{escape(label(c))}</th>" for c in cols)
    if first_row_number is not None:
        head = "<th>#</th>" + head
    body = []
    for i, rec in enumerate(shown.itertuples(index=False, name=None)):
        cells = "".join(
            f"<td>{text(v, text_width if c == 'summary' else None)}</td>"
            for c, v in zip(cols, rec, strict=True)
        )
        if first_row_number is not None:
            cells = f"<td>{first_row_number + i}</td>" + cells
        body.append(f"<tr>{cells}</tr>")
    if not body:
        return '<p class="xf-muted">没有符合条件的信访件。</p>'
    return f'<table class="xf-table"><tr>{head}</tr>{"".join(body)}</table>'


def case_card(row: pd.DataFrame, *, names: Iterable[str] = ()) -> str:
    """A definition list of one case (a one-row frame): every filled field with its Chinese
    label, personal data masked (``names`` as in :func:`masked_table`)."""
    masked = mask_pii(row, names=names).iloc[0]
    items = []
    for col, value in masked.items():
        shown = text(value)
        if shown:
            items.append(f"<tr><th>{escape(label(str(col)))}</th><td>{shown}</td></tr>")
    return f'<table class="xf-table xf-card">{"".join(items)}</table>'
