"""Report tables as HTML (for the ReportPanel and notebooks): every cell escaped."""

from __future__ import annotations

import html

import pandas as pd

from ._tables import display as cell_text
from ._tables import is_percent_column, row_is_percent

__all__ = ["table_html"]


def table_html(frame: pd.DataFrame) -> str:
    """A table as HTML with percentages written as 80% (fractions in 率/占比 columns or rows)."""
    cols = [str(c) for c in frame.columns]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for c in frame.columns:
            pct = is_percent_column(c) or (
                c in ("数值", "本期", "上期") and row_is_percent(row.iloc[0])
            )
            cells.append(f"<td>{html.escape(cell_text(row[c], percent=pct))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
