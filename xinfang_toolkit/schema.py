"""The data contract: canonical columns, their Chinese labels, dtypes and allowed values.

Every other module speaks these names: one row per case, these columns, these allowed values
(the README's "在代码中使用" section shows the contract in use).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: TEXT_DTYPE, the dtype of every text column the package writes: pandas' own StringDtype with
#: Python storage, named explicitly (defined once on the ground floor, re-exported here)
from ._base.dtypes import TEXT_DTYPE
from ._base.ids import id_check_digits

# --- allowed values ---------------------------------------------------------------------------
CHANNELS: tuple[str, ...] = ("来信", "来访", "网上信访", "来电", "传真", "其他")
#: highest level visited, lowest first; 国家 means 进京.
VISIT_LEVELS: tuple[str, ...] = ("乡镇", "县区", "市", "省", "国家")
#: how reports write each level ("进京2批2人次, 到市31批577人次")
VISIT_LEVEL_REPORT_NAMES: dict[str, str] = {
    "国家": "进京",
    "省": "赴省",
    "市": "到市",
    "县区": "到县",
    "乡镇": "乡镇",
}
#: how an unknown or unreadable visit_level is counted in tables ("unknown stays unknown")
UNKNOWN_LEVEL = "未知"
SATISFACTION_VALUES: tuple[str, ...] = ("满意", "基本满意", "不满意", "未评价")
MATTER_TYPES: tuple[str, ...] = ("建议意见类", "检举控告类", "申诉求决类")
UNCLASSIFIED = "未分类"

#: status values written by analysis.compute_deadlines
STATUS_VALUES: tuple[str, ...] = ("已办结", "办理中", "即将到期", "已超期", "日期有误")


# --- the column spec: one row per column of the contract ---------------------------------------
@dataclass(frozen=True)
class ColumnSpec:
    """One column of the cases frame: its dtype kind, Chinese label, whether it holds personal
    data, and its allowed values (None: any). Every column list of this module derives from it."""

    name: str
    kind: str  # "text", "date" (datetime64, normalised to the day) or "int" (nullable Int64)
    label: str
    personal: bool = False
    allowed: tuple[str, ...] | None = None
    note: str = ""
    #: the value profile the column expects (load._values.EXPECTATIONS: date, time, longtext,
    #: text, name, id, phone, number, code, yesno, channel, level, satisfaction, status,
    #: category); a header whose column holds values that contradict it is not mapped to it
    expects: str = ""


#: the canonical case columns, in display order, then provenance
COLUMN_SPEC: tuple[ColumnSpec, ...] = (
    ColumnSpec("case_id", "text", "信访件编号", expects="code"),
    ColumnSpec("received_date", "date", "登记日期", expects="date"),
    ColumnSpec("channel", "text", "信访形式", allowed=CHANNELS, expects="channel"),
    ColumnSpec("petitioner", "text", "信访人", personal=True, expects="name"),
    ColumnSpec(
        "id_number", "text", "身份证号", personal=True, note="18 位, 校验位正确", expects="id"
    ),
    ColumnSpec(
        "phone",
        "text",
        "联系电话",
        personal=True,
        note="数字, 分机号以“转”连接",
        expects="phone",
    ),
    ColumnSpec("address", "text", "住址", personal=True, expects="text"),
    ColumnSpec("person_count", "int", "人数", expects="number"),
    ColumnSpec("locality", "text", "问题属地", expects="text"),
    ColumnSpec("category", "text", "内容分类", expects="text"),
    ColumnSpec("summary", "text", "反映问题", expects="longtext"),
    ColumnSpec("matter_type", "text", "事项类型", allowed=MATTER_TYPES),
    ColumnSpec("responsible_unit", "text", "责任单位", expects="text"),
    ColumnSpec("leader", "text", "包案领导", expects="text"),
    ColumnSpec("visit_level", "text", "信访去向", allowed=VISIT_LEVELS, expects="level"),
    ColumnSpec("deadline", "date", "办理时限", expects="date"),
    ColumnSpec("closed_date", "date", "办结日期", expects="date"),
    ColumnSpec("outcome", "text", "化解情况"),
    ColumnSpec(
        "satisfaction", "text", "满意度", allowed=SATISFACTION_VALUES, expects="satisfaction"
    ),
    # the time of day of received_date when the ledger writes one ("09:32:09", else empty);
    # the day itself is always received_date, a time never moves it
    ColumnSpec("received_time", "text", "登记时刻", note="HH:MM:SS", expects="time"),
    # a platform account (留言用户, 用户ID, 网民编号, 账号): personal data and an identity
    ColumnSpec("account_id", "text", "账号", personal=True, expects="code"),
)
# --- the handling columns: how the office handled a case (交办, 批示, 接访, 督办, 回访, 化解) ---
#: the ways a matter is settled (DOMAIN.md "How a case is handled"); 稳控 is never one of them
RESOLUTION_TYPES: tuple[str, ...] = ("化解", "分流", "疏导", "救助帮扶", "未化解")
#: the values of the handling columns that say yes or no (是否重点, 是否化解)
YES_NO: tuple[str, ...] = ("是", "否")
#: leaders are officials acting in office: their names are not personal data (not masked)
HANDLING_SPEC: tuple[ColumnSpec, ...] = (
    ColumnSpec("assigned_by", "text", "交办机关", note="词表 data/assigning_organs.csv"),
    ColumnSpec("assigned_date", "date", "交办时间"),
    ColumnSpec("feedback_due", "date", "反馈期限", note="写成天数时从交办时间 (或登记日期) 起算"),
    ColumnSpec("instruction", "text", "领导批示"),
    ColumnSpec("instruction_leader", "text", "批示领导"),
    ColumnSpec("reception_leader", "text", "接访领导"),
    ColumnSpec(
        "supervision_count", "int", "督办次数", note="督办情况写成带日期的记录时按日期条数计"
    ),
    ColumnSpec("follow_up_date", "date", "回访时间"),
    ColumnSpec("follow_up_result", "text", "回访结果"),
    ColumnSpec("key_case", "text", "是否重点", allowed=YES_NO),
    ColumnSpec("resolved_date", "date", "化解时间"),
    ColumnSpec("resolved_flag", "text", "是否化解", allowed=YES_NO),
    ColumnSpec("resolution_type", "text", "化解方式", allowed=RESOLUTION_TYPES),
)
COLUMN_SPEC = COLUMN_SPEC + HANDLING_SPEC
HANDLING_COLUMNS: tuple[str, ...] = tuple(c.name for c in HANDLING_SPEC)


# --- issue 28: the ledger's own status words (工单状态: 办结 / 已转办待回复 / 退回), kept as
# written; analysis reads closure from them where no closing date exists (value_words "status")
COLUMN_SPEC += (ColumnSpec("status_text", "text", "办理状态 (台账)", expects="status"),)
#: where each row came from; source_row is the row number Excel shows (1-based).
PROVENANCE_SPEC: tuple[ColumnSpec, ...] = (
    ColumnSpec("source_file", "text", "来源文件"),
    ColumnSpec("source_sheet", "text", "工作表"),
    ColumnSpec("source_row", "int", "行号"),
)

CASE_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMN_SPEC)
PROVENANCE_COLUMNS: tuple[str, ...] = tuple(c.name for c in PROVENANCE_SPEC)
DATE_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMN_SPEC if c.kind == "date")
INT_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMN_SPEC if c.kind == "int")
TEXT_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMN_SPEC if c.kind == "text")
#: personal data: masked in every display and export by default (see privacy.mask_pii).
PII_COLUMNS: tuple[str, ...] = tuple(c.name for c in COLUMN_SPEC if c.personal)

#: columns of LoadResult.issues and LoadResult.excluded
ISSUE_COLUMNS: tuple[str, ...] = (
    "source_file",
    "source_sheet",
    "source_row",
    "column",
    "value",
    "problem",
)
EXCLUDED_COLUMNS: tuple[str, ...] = (
    "source_file",
    "source_sheet",
    "source_row",
    "reason",
    "content",
)

# --- Chinese labels for display and export ----------------------------------------------------
LABELS_ZH: dict[str, str] = {
    **{c.name: c.label for c in COLUMN_SPEC + PROVENANCE_SPEC},
    "column": "列",
    "value": "原值",
    "problem": "问题",
    "reason": "原因",
    "content": "内容",
    # derived by analysis / classify
    "due_date": "应办结日期",
    "extended": "已延期",
    "days_taken": "办理天数",
    "on_time": "按期办结",
    "overdue_days": "超期天数",
    "status": "办理状态",
    "period": "统计期",
    "person_key": "信访人代码",
    "chain_id": "事项链",
    "chain_seq": "链内序号",
    "first_case": "首次信访件",
    "is_repeat": "重复访",
    "repeat_count": "重复次数",
    "is_group": "集体访",
    "is_skip_level": "越级访",
    "is_backlog": "积案",
    "backlog_reason": "积案原因",
    "date_problem": "日期问题",
    "category_pred": "建议分类",
    "category_level2": "二级分类",
    "category_source": "分类来源",
    "category_confidence": "置信度",
    "category_evidence": "分类依据",
    "category_machine": "机器分类",
    "needs_review": "待复核",
    "category_original": "原分类",
    "responsible_level": "责任层级",
    # the ledger's own yes/no columns (load keeps them for the analysis)
    "closed_flag": "台账标记办结",
    "repeat_flag": "台账标记重复",
    "backlog_flag": "台账标记积案",
    "extended_flag": "台账标记延期",
    # columns of the analysis tables (repeat_chains, find_hotspots, backlog_table)
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
    "c_overdue": "超期分",
    "c_repeats": "重复分",
    "c_escalation": "去向分",
    "c_persons": "人数分",
}
# the handling columns derived by classify (classify_resolution) and analysis (unit_table)
LABELS_ZH.update(
    {
        "resolution_source": "化解方式来源",
        "resolution_evidence": "化解方式依据",
    }
)
#: boolean columns filled from ledger flag columns (办结标志 bjbz, 重复信访标志 cfxfbz, 积案标志 jabz,
#: 是否延期): always present in cleaned cases
FLAG_COLUMNS: tuple[str, ...] = ("closed_flag", "repeat_flag", "backlog_flag", "extended_flag")
#: the ledger's yes/no columns: an all-empty one is left out of what analysts see
LEDGER_FLAG_COLUMNS: tuple[str, ...] = FLAG_COLUMNS


def label(column: str) -> str:
    """The Chinese label of a column, or the column name itself if it has none."""
    return LABELS_ZH.get(column, column)


def chinese_headers(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for analysts to read: Chinese headers (:data:`LABELS_ZH`), yes/no columns as 是/否,
    and the ledger's yes/no columns left out where they are empty (the one helper for this)."""
    empty = [c for c in LEDGER_FLAG_COLUMNS if c in frame.columns and frame[c].isna().all()]
    out = frame.drop(columns=empty)
    for col in out.columns:
        if out[col].dtype == bool or str(out[col].dtype) == "boolean":
            out[col] = out[col].map({True: "是", False: "否"}, na_action="ignore").astype("object")
    return out.rename(columns=lambda c: label(c) if isinstance(c, str) else c)


def empty_cases() -> pd.DataFrame:
    """An empty cases frame with every canonical and provenance column and its dtype."""
    return conform_cases(pd.DataFrame())


def empty_issues() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=TEXT_DTYPE) for c in ISSUE_COLUMNS})
    df["source_row"] = df["source_row"].astype("Int64")
    return df


def empty_excluded() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=TEXT_DTYPE) for c in EXCLUDED_COLUMNS})
    df["source_row"] = df["source_row"].astype("Int64")
    return df


def _empty_column(col: str, n: int, index: pd.Index, empty_text) -> pd.Series:
    """An all-missing column of the contract's dtype for ``col`` (built directly: fast)."""
    if col in DATE_COLUMNS:
        return pd.Series(np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"), index=index)
    if col in INT_COLUMNS or col == "source_row":
        mask = np.ones(n, dtype=bool)
        return pd.Series(pd.arrays.IntegerArray(np.zeros(n, dtype="int64"), mask), index=index)
    return pd.Series(
        empty_text, index=index, copy=True
    )  # one copy (a copied array is checked again)


def conform_cases(df: pd.DataFrame, *, copy: bool = True) -> pd.DataFrame:
    """Return a copy with every canonical + provenance column present, in order, with its dtype.

    Missing columns are added empty; extra columns are kept after the canonical ones. Values are
    only cast, never parsed: text that is not a date becomes NaT here, so parse first (clean).
    Columns that already have the right dtype are not cast again (this runs on every load).
    ``copy=False`` is for a caller that owns ``df`` and drops it (the archive's fresh query
    answers): columns of the right dtype are then reused, not copied.
    """
    n = len(df)
    empty_text = None  # built once, when a text column is missing
    columns: dict[str, pd.Series] = {}
    for col in CASE_COLUMNS + PROVENANCE_COLUMNS:
        if col not in df.columns:
            if empty_text is None:
                empty_text = pd.array(np.full(n, None, dtype=object), dtype=TEXT_DTYPE)
            columns[col] = _empty_column(col, n, df.index, empty_text)
            continue
        values = df[col]
        if col in DATE_COLUMNS:
            if values.dtype != "datetime64[ns]":
                values = pd.to_datetime(values, errors="coerce").astype("datetime64[ns]")
            values = values.dt.normalize()
        elif col in INT_COLUMNS or col == "source_row":
            if values.dtype != "Int64":
                values = pd.to_numeric(values, errors="coerce").astype("Int64")
        elif values.dtype != TEXT_DTYPE:
            values = values.astype(TEXT_DTYPE)
        columns[col] = values.copy() if copy else values
    extra = {c: df[c].copy() if copy else df[c] for c in df.columns if c not in columns}
    return pd.DataFrame({**columns, **extra}, index=df.index, copy=False)


# --- validation: every violation at once (lazy, like pandera) ---------------------------------
#: columns of validate_cases' answer
VIOLATION_COLUMNS: tuple[str, ...] = ("row", *ISSUE_COLUMNS)
_ID_RE = r"^\d{17}[\dX]$"
_PHONE_RE = r"^\d+(转\d+)?$"


def _kind_ok(spec: ColumnSpec, values: pd.Series) -> bool:
    if spec.kind == "date":
        return pd.api.types.is_datetime64_dtype(values.dtype)
    if spec.kind == "int":
        return pd.api.types.is_integer_dtype(values.dtype)
    return pd.api.types.is_string_dtype(values.dtype) or values.dtype == object


def _bad_values(spec: ColumnSpec, values: pd.Series) -> list[tuple[pd.Series, str]]:
    """(mask of violating rows, problem) pairs for one column of the right kind."""
    out: list[tuple[pd.Series, str]] = []
    present = values.notna()
    if spec.kind == "date":
        out.append((present & (values != values.dt.normalize()), "日期带有时刻, 应只保留日"))
        return out
    if spec.kind == "int":
        out.append((present & (values.fillna(0) < 0), "不能是负数"))
        return out
    text = values.astype(TEXT_DTYPE)
    filled = present & text.str.len().gt(0).fillna(False)
    if spec.allowed is not None:
        allowed = ", ".join(spec.allowed)
        out.append((filled & ~text.isin(spec.allowed).fillna(False), f"不是允许的值 ({allowed})"))
    if spec.name == "id_number":
        shaped = text.str.fullmatch(_ID_RE).fillna(False)
        out.append((filled & ~shaped, "身份证号应为 18 位 (末位可为 X)"))
        if shaped.any():
            ids = text[shaped].to_numpy(dtype=str)
            digits = np.array([[int(ch) for ch in s[:17]] for s in ids], dtype=np.int64)
            wrong = id_check_digits(digits) != np.array([s[17] for s in ids])
            bad = pd.Series(False, index=values.index)
            bad[shaped[shaped].index[wrong]] = True
            out.append((bad, "身份证号校验位不对"))
    if spec.name == "phone":
        out.append((filled & ~text.str.fullmatch(_PHONE_RE).fillna(False), "电话应只含数字"))
    return out


def validate_cases(df: pd.DataFrame) -> pd.DataFrame:
    """Every way ``df`` breaks the data contract, listed at once (an empty frame: none).

    One row per violation (:data:`VIOLATION_COLUMNS`): ``row`` (the frame's index label, empty
    for a missing column), the provenance of the row, the column, the value and the problem in
    Chinese. Checked: every canonical and provenance column present with its kind (date, integer,
    text); dates without a time; allowed values (:data:`COLUMN_SPEC`); ID numbers of 18
    characters with the right check digit; phones of digits; counts and row numbers not negative.
    Like pandera's lazy validation, nothing stops at the first problem.
    """
    found: list[pd.DataFrame] = []

    def provenance(rows: pd.Index, col: str) -> pd.DataFrame:
        part = pd.DataFrame({"row": rows.astype(str)}, index=rows)
        for p in PROVENANCE_COLUMNS:
            part[p] = df.loc[rows, p].astype(TEXT_DTYPE) if p in df.columns else pd.NA
        part["column"] = col
        return part

    for spec in COLUMN_SPEC + PROVENANCE_SPEC:
        if spec.name not in df.columns:
            found.append(
                pd.DataFrame(
                    [{"column": spec.name, "problem": f"缺少列 {spec.label} ({spec.name})"}]
                )
            )
            continue
        values = df[spec.name]
        if not _kind_ok(spec, values):
            kinds = {"date": "日期", "int": "整数", "text": "文字"}
            found.append(
                pd.DataFrame(
                    [
                        {
                            "column": spec.name,
                            "value": str(values.dtype),
                            "problem": f"{spec.label} 列应为{kinds[spec.kind]}类型",
                        }
                    ]
                )
            )
            continue
        for mask, problem in _bad_values(spec, values):
            mask = mask.fillna(False).astype(bool)
            if mask.any():
                rows = df.index[mask.to_numpy()]
                part = provenance(rows, spec.name)
                part["value"] = values[mask.to_numpy()].astype(TEXT_DTYPE).to_numpy()
                part["problem"] = f"{spec.label}: {problem}"
                found.append(part)
    if not found:
        return pd.DataFrame({c: pd.Series(dtype=TEXT_DTYPE) for c in VIOLATION_COLUMNS})
    out = pd.concat(found, ignore_index=True).reindex(columns=list(VIOLATION_COLUMNS))
    return out.astype(TEXT_DTYPE)
