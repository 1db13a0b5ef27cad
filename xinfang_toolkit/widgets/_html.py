"""The one way a value from data or from a user goes into a widget's HTML: escaped text.

Every widget builds its HTML from :func:`text` (a cell value: dates as days, flags as 是/否,
empty as "", long text cut) or :func:`escape` (any value as it is), both of which escape
``& < > " '``, so a ledger cell or a search word such as ``<img src=x onerror=...>`` is shown as
text and never runs, inside elements and inside attribute values (``title="..."``) alike.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

__all__ = ["escape", "text", "plain"]


def _is_empty(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and value != value


def plain(value: object, width: int | None = None) -> str:
    """A cell value as display text (not escaped): "" for empty, dates as YYYY-MM-DD, 是/否."""
    if _is_empty(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, (bool, np.bool_)):
        return "是" if value else "否"
    # the one display layer (analysis.display_value): 3 not 3.0, 规则 not rule, lists with 、
    from ..analysis import display_value

    out = display_value(value)
    if width is not None and len(out) > width:
        out = out[: width - 1] + "…"
    return out


def escape(value: object) -> str:
    """``str(value)`` escaped for HTML text and for quoted attribute values ("" for None)."""
    return "" if value is None else html.escape(str(value), quote=True)


def text(value: object, width: int | None = None) -> str:
    """A cell value as escaped display text (see :func:`plain`)."""
    return html.escape(plain(value, width), quote=True)
