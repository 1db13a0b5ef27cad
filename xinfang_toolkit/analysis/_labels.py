"""Chinese column names for the tables the analysis returns (display and export).

The labels are data in ``schema.LABELS_ZH`` (one table for every column an analyst sees).
"""

from __future__ import annotations

import pandas as pd

from ..schema import CASE_COLUMNS, LABELS_ZH, PROVENANCE_COLUMNS, chinese_headers

__all__ = ["TABLE_LABELS_ZH", "label_columns"]

#: the labels of the analysis tables' own columns (a view of schema.LABELS_ZH)
TABLE_LABELS_ZH: dict[str, str] = {
    k: v for k, v in LABELS_ZH.items() if k not in CASE_COLUMNS + PROVENANCE_COLUMNS
}


def label_columns(table: pd.DataFrame) -> pd.DataFrame:
    """A copy with Chinese column names and 是/否 values (schema.chinese_headers)."""
    return chinese_headers(table)
