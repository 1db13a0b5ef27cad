"""``preview(cases)``: the first rows of a cases frame as an analyst wants to see them.

``mask_pii(cases).head()`` shows all 27+ columns squeezed side by side, most of them empty or
internal. ``preview`` shows the useful ones (the source file, sheet and row last, to trace
every case back to its ledger) (those of :data:`PREVIEW_COLUMNS` that the frame has
and that are not all empty in the rows shown), personal data masked through
``privacy.mask_pii``, dates as days, flags as 是/否, and Chinese headers.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..analysis import label_columns
from ..privacy import known_names, mask_pii
from ._html import plain

__all__ = ["PREVIEW_COLUMNS", "preview"]

#: the columns a preview shows, in this order (those present and not empty)
PREVIEW_COLUMNS: tuple[str, ...] = (
    "case_id",
    "received_date",
    "channel",
    "petitioner",
    "person_count",
    "locality",
    "category",
    "summary",
    "visit_level",
    "responsible_unit",
    "status",
    "closed_date",
    "source_file",
    "source_sheet",
    "source_row",
)


def preview(
    cases: pd.DataFrame,
    n: int = 5,
    *,
    columns: Sequence[str] | None = None,
    text_width: int = 40,
) -> pd.DataFrame:
    """The first ``n`` cases, useful columns only, masked, with Chinese headers (a new frame).

    ``columns`` replaces :data:`PREVIEW_COLUMNS`; summaries are cut at ``text_width`` characters.
    """
    rows = mask_pii(cases.head(n), names=known_names(cases))
    wanted = [c for c in (columns or PREVIEW_COLUMNS) if c in rows.columns]
    if columns is None:
        wanted = [c for c in wanted if rows[c].notna().any()]
    out = pd.DataFrame(index=rows.index)
    for col in wanted:
        width = text_width if col == "summary" else None
        out[col] = [plain(v, width) for v in rows[col].tolist()]
    return label_columns(out)
