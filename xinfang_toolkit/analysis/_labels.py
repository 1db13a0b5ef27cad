"""Chinese column names for the tables the analysis returns (display and export)."""

from __future__ import annotations

import pandas as pd

from ..schema import label

__all__ = ["TABLE_LABELS_ZH", "label_columns"]

#: columns of repeat_chains, find_hotspots and backlog_table that schema.LABELS_ZH does not name
TABLE_LABELS_ZH: dict[str, str] = {
    "rank": "序号",
    "cases": "件数",
    "persons": "人数",
    "case_ids": "信访件编号",
    "row_index": "行索引",
    "latest_case": "最近信访件",
    "first_date": "首次信访日期",
    "last_date": "最近信访日期",
    "span_days": "跨度天数",
    "hotspot_id": "热点编号",
    "keywords": "关键词",
    "days_since_last": "距最近一件天数",
    "recent_cases": "近30天件数",
    "previous_cases": "前30天件数",
    "volume": "件数分",
    "persons_score": "人数分",
    "recency": "新近分",
    "growth": "增长分",
    "heat": "热度",
    "priority": "优先级",
    "reason": "积案原因",
    "backlog_reason": "积案原因",
    "date_problem": "日期问题",
    "c_overdue": "超期分",
    "c_repeats": "重复分",
    "c_escalation": "去向分",
    "c_persons": "人数分",
}


def label_columns(table: pd.DataFrame) -> pd.DataFrame:
    """A copy with Chinese column names (analysis tables and canonical columns)."""
    return table.rename(columns=lambda c: TABLE_LABELS_ZH.get(c, label(c)))
