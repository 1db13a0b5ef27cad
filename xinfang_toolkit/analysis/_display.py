"""Tables as an analyst reads them: the one display layer for frames.

:func:`for_display` turns any frame the toolkit returns (cases, backlog matters, hotspots,
statistics tables) into text to read: Chinese headers, the useful columns first, whole numbers
without ".0", rates as percentages with one decimal, other decimals with one, dates as dates,
empty cells blank, yes/no as 是/否, the classifier's codes (given, rule …) in Chinese, lists
joined with 、. :func:`display_columns` does only the headers and the column order and keeps
the values (for exports, where Excel formats the numbers).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..schema import LABELS_ZH, LEDGER_FLAG_COLUMNS, TEXT_DTYPE

__all__ = [
    "DISPLAY_LABELS_ZH",
    "display_value",
    "DISPLAY_ORDER",
    "HIDDEN_COLUMNS",
    "VALUE_LABELS_ZH",
    "display_columns",
    "for_display",
]

#: the columns an analyst looks at first, in this order (others follow in their own order)
DISPLAY_ORDER: tuple[str, ...] = (
    "rank",
    "hotspot_id",
    "keywords",
    "priority",
    "heat",
    "case_id",
    "received_date",
    "channel",
    "locality",
    "category",
    "category_pred",
    "summary",
    "status",
    "reason",
    "backlog_reason",
    "cases",
    "persons",
    "person_count",
    "overdue_days",
    "repeat_count",
    "visit_level",
    "span_days",
    "first_date",
    "last_date",
    "responsible_unit",
    "due_date",
    "closed_date",
)

#: technical columns left out of what an analyst reads (the score components, internal
#: positions, chain numbers, lists of every case); ``hide=()`` shows them
HIDDEN_COLUMNS: tuple[str, ...] = (
    "chain_id",
    "chain_seq",
    "case_ids",
    "row_index",
    "first_case",
    "person_key",
    "c_overdue",
    "c_repeats",
    "c_escalation",
    "c_persons",
    "volume",
    "persons_score",
    "recency",
    "growth",
)

#: codes in values, as the analyst reads them
VALUE_LABELS_ZH: dict[str, str] = {
    "given": "台账原分类",
    "rule": "规则",
    "model": "模型",
    "none": "未分类",
    "priority": "优先",
    "easy_first": "由易到难",
}

#: Chinese headers of the columns of tables that are not case columns (the schema's labels,
#: ``schema.LABELS_ZH``, come first; then the registry's figure names)
DISPLAY_LABELS_ZH: dict[str, str] = {
    "header_rows": "表头行",
    "period_source": "统计期来源",
    "similarity": "相似度",
    "shared_terms": "共同词语",
    "resolution": "化解方式",
    "stopped": "已息诉",
    "month": "月份",
    "year": "年份",
    "month_end": "月末",
    "backlog": "积案",
    "open": "未办结",
    "resolved": "已退出积案",
    "known": "已知",
    "field": "字段",
    "case_key": "案件代码",
    "versions": "版本数",
    "precision": "精确率",
    "recall": "召回率",
    "f1": "F1值",
    "support": "样本数",
    "count": "件数",
    "n": "件数",
    "rate": "比率",
    "level1": "一级分类",
    "level2": "二级分类",
    "label": "分类",
    "text": "内容",
    "file": "文件",
    "sheet": "工作表",
    "header": "原表头",
    "how": "对应方式",
    "rows": "行数",
    "score": "得分",
    "old": "原值",
    "new": "新值",
    "before": "变更前",
    "after": "变更后",
    "imported_at": "导入时间",
    "source": "来源",
    "kind": "类型",
    "name": "名称",
}

#: columns whose values are column names (问题清单's 列, the archive's changed 字段)
_NAME_COLUMNS = frozenset({"column", "field", "字段", "列", "标准列"})

#: column names (or Chinese labels) that hold a share 0..1: shown as a percentage
_RATE_WORDS = (
    "rate",
    "share",
    "ratio",
    "率",
    "占比",
    "比例",
    "幅度",
    "置信度",
    "confidence",
    "f1",
    "similarity",
    "相似度",
)


def _is_rate(name: object) -> bool:
    text = str(name).lower()
    return any(w in text for w in _RATE_WORDS) or text.endswith("%")


def _ordered(columns: Sequence, first: Iterable[str]) -> list:
    order = {c: i for i, c in enumerate(first)}
    lead = sorted((c for c in columns if c in order), key=order.__getitem__)
    return lead + [c for c in columns if c not in order]


def _kept(frame: pd.DataFrame, hide: Iterable[str], first: Iterable[str]) -> list:
    hidden = set(hide)
    empty_flags = {c for c in LEDGER_FLAG_COLUMNS if c in frame and frame[c].isna().all()}
    keep = [c for c in frame.columns if c not in hidden and c not in empty_flags]
    return _ordered(keep, first)


def _label(column: object) -> object:
    """The Chinese header: the schema's label, or the registry figure's name (on_time_rate)."""
    if not isinstance(column, str):
        return column
    if column in LABELS_ZH:
        return LABELS_ZH[column]
    if column in DISPLAY_LABELS_ZH:
        return DISPLAY_LABELS_ZH[column]
    from ._figures import FIGURES

    names = {f.key: f.name for f in FIGURES}
    return names.get(column, column)


def display_columns(
    frame: pd.DataFrame,
    *,
    hide: Iterable[str] = HIDDEN_COLUMNS,
    first: Iterable[str] = DISPLAY_ORDER,
) -> pd.DataFrame:
    """A copy with the useful columns first, technical ones (``hide``) and the ledger's empty
    yes/no columns left out, and Chinese headers (``schema.LABELS_ZH``); values unchanged."""
    kept = _kept(frame, hide, first)
    out = frame[kept].copy()
    out.columns = _labels(kept)
    return out


def _labels(columns: Sequence) -> list:
    """The Chinese headers of ``columns``, a second use of one label numbered (信访件编号2)."""
    seen: dict[object, int] = {}
    out = []
    for c in columns:
        name = _label(c)
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}{seen[name]}")
    return out


def _text(value: object) -> str:
    if isinstance(value, str):
        return VALUE_LABELS_ZH.get(value, value)
    return str(value)


def _cell(value: object, *, rate: bool) -> str:
    """One value as text (see the module)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return "、".join(_cell(v, rate=False) for v in value)
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and np.isnan(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "是" if value else "否"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}" if value == value.normalize() else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, pd.Timedelta):
        return f"{value.days}天"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if rate and -1.5 <= v <= 1.5:
            return f"{v * 100:.1f}%"
        if v.is_integer():
            return str(int(v))
        return f"{v:.1f}"
    return _text(value)


def display_value(value: object) -> str:
    """One value as an analyst reads it (as :func:`for_display` writes a cell): "" for empty,
    是/否, whole numbers without ".0", other numbers with one decimal, dates as dates, the
    classifier's codes in Chinese, lists joined with 、."""
    return _cell(value, rate=False)


def _column_text(values: pd.Series, *, rate: bool, names: bool = False) -> pd.Series:
    """A column as text; ``names``: its values are column names (问题清单's 列), shown by
    their Chinese labels."""
    if values.dtype == object and values.map(lambda v: isinstance(v, (list, tuple))).any():
        return values.map(lambda v: _cell(v, rate=rate)).astype(object)
    numbers = pd.api.types.is_float_dtype(values.dtype) and not rate
    if numbers:  # one precision per column: 85.0 beside 93.8, 517 beside 3 (never 517.0)
        finite = values.dropna()
        whole = bool(((finite % 1) == 0).all()) if len(finite) else True
        text = values.map(lambda v: "" if pd.isna(v) else (f"{v:.0f}" if whole else f"{v:.1f}"))
        return text.astype(object)
    # written once per distinct value (a ledger repeats its towns, categories and dates)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    cells = [_label(v) if names and isinstance(v, str) else v for v in uniques]
    texts = np.asarray([_cell(v, rate=rate) for v in cells] + [""], dtype=object)
    return pd.Series(texts[codes], index=values.index, dtype=object)


def _rate_rows(frame: pd.DataFrame) -> np.ndarray | None:
    """In a table of 指标 rows (总体情况, 同比), the rows such as 按期办结率 hold shares."""
    for key in ("指标", "项目"):
        if key in frame.columns:
            return frame[key].astype(TEXT_DTYPE).str.endswith("率").fillna(False).to_numpy()
    if frame.index.name in ("指标", "项目"):
        return pd.Series(frame.index.astype(str)).str.endswith("率").to_numpy()
    return None


def _index_text(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.RangeIndex):
        return index
    if isinstance(index, pd.MultiIndex):
        named = [n in _NAME_COLUMNS for n in index.names]
        return pd.MultiIndex.from_tuples(
            [
                tuple(
                    _cell(_label(v) if k and isinstance(v, str) else v, rate=False)
                    for v, k in zip(t, named, strict=True)
                )
                for t in index
            ],
            names=[_label(n) for n in index.names],
        )
    name = index.name
    names = name in _NAME_COLUMNS
    return pd.Index(
        [_cell(_label(v) if names and isinstance(v, str) else v, rate=False) for v in index],
        name=_label(name),
    )


def for_display(
    frame: pd.DataFrame | pd.Series,
    *,
    hide: Iterable[str] = HIDDEN_COLUMNS,
    first: Iterable[str] = DISPLAY_ORDER,
    rates: Iterable[str] = (),
) -> pd.DataFrame:
    """``frame`` as text for an analyst to read (the module says how each value is written).

    ``hide`` the technical columns left out (default :data:`HIDDEN_COLUMNS`), ``first`` the
    columns put first (default :data:`DISPLAY_ORDER`), ``rates`` more columns holding shares
    0..1 (columns named like 率, rate, 占比 are found by their name). A Series is shown as a
    one-column table.
    """
    if isinstance(frame, pd.Series):
        frame = frame.to_frame(name=frame.name if frame.name is not None else "数值")
    extra = set(rates)
    if frame.columns.has_duplicates:
        raise ValueError("for_display：列名重复，无法显示")
    kept = _kept(frame, hide, first)
    rate_rows = _rate_rows(frame)
    out = {}
    for c, name in zip(kept, _labels(kept), strict=True):
        rate = _is_rate(c) or _is_rate(name) or c in extra
        names = c in _NAME_COLUMNS
        values = frame[c]
        if rate_rows is not None and rate_rows.any() and not rate:
            # the figure rows by their own precision, the rate rows as percentages
            text = np.empty(len(values), dtype=object)
            text[~rate_rows] = _column_text(values[~rate_rows], rate=False, names=names).to_numpy()
            text[rate_rows] = _column_text(values[rate_rows], rate=True).to_numpy()
            out[name] = pd.Series(text, index=frame.index, dtype=object)
        else:
            out[name] = _column_text(values, rate=rate, names=names)
    table = pd.DataFrame(out, index=frame.index, columns=list(out))
    table.index = _index_text(frame.index)
    table.columns.name = _label(frame.columns.name)
    return table
