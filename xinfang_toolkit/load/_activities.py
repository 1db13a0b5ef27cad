"""The activity register (工作台账): office activities that are not case rows.

``load_activities(path)`` reads a ledger of activities: 领导接访, 下访, 约访, 督办, 回访, 联合接访,
专项督查, 集中整治, 矛盾纠纷排查, 阅批, each with its date, the leader or unit, the linked case
numbers and a count (one row may stand for several sessions). It uses the case loader's
machinery: files and sheets, title rows above the header, header synonyms
(``data/activity_synonyms.csv``), merged cells, excluded rows with a reason, one issue per cell a
person should look at, provenance (file, sheet, Excel row). Leaders are officials acting in
office and are not masked; free text (工作内容) is masked like every other text on display.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from .._base.text import fold_width as _nfkc
from ..clean import normalize_text, parse_count, parse_date_column, value_words
from ..clean._columns import map_unique as _map_unique
from ..clean._columns import text_column as _text_column
from ..clean._vocab import known_value
from ..schema import EXCLUDED_COLUMNS, ISSUE_COLUMNS, TEXT_DTYPE, empty_excluded, empty_issues
from ._header import describe_missing, find_header
from ._match import HeaderMatcher, header_key
from ._read import Skipped, find_files, read_file
from ._rows import classify_rows, excluded_rows, fill_body_merges

__all__ = [
    "ACTIVITY_COLUMNS",
    "ACTIVITY_KINDS",
    "ActivityResult",
    "load_activities",
    "normalize_activity_kind",
]

#: the kinds of office activity, as reports name them
ACTIVITY_KINDS: tuple[str, ...] = (
    "接访",
    "下访",
    "约访",
    "督办",
    "回访",
    "联合接访",
    "专项督查",
    "集中整治",
    "矛盾纠纷排查",
    "阅批",
)
#: the columns of ``ActivityResult.activities`` (then provenance)
ACTIVITY_COLUMNS: tuple[str, ...] = (
    "activity_date",
    "kind",
    "leader",
    "unit",
    "case_ids",
    "count",
    "note",
)
ACTIVITY_LABELS: dict[str, str] = {
    "activity_date": "日期",
    "kind": "工作类型",
    "leader": "领导",
    "unit": "单位",
    "case_ids": "关联信访件编号",
    "count": "次数",
    "note": "工作内容",
}
_PROVENANCE = ("source_file", "source_sheet", "source_row")


@cache
def _synonyms() -> dict[str, str]:
    from importlib import resources

    text = resources.files("xinfang_toolkit").joinpath("data/activity_synonyms.csv")
    table: dict[str, str] = {}
    for line in text.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("canonical,"):
            continue
        canonical, _, synonym = (part.strip() for part in line.partition(","))
        if canonical not in ACTIVITY_COLUMNS:
            raise ValueError(f"data/activity_synonyms.csv: “{canonical}”不是工作台账的列")
        table.setdefault(header_key(synonym), canonical)
    return table


_KIND_WORDS = value_words("activity_kind")


def normalize_activity_kind(value: object) -> tuple[str | None, str | None]:
    """工作类型 to one of :data:`ACTIVITY_KINDS` (领导接访日 -> 接访, 带案下访 -> 下访 ...)."""
    found, text = known_value(value, ACTIVITY_KINDS, _KIND_WORDS)
    if found is not None or text is None:
        return found, None
    return None, f"无法识别的工作类型 (应为 {'/'.join(ACTIVITY_KINDS)}): {text}"


_SPLIT = re.compile(r"[、,，;；/\s]+")


def _case_ids(value: object) -> tuple[str | None, None]:
    text = normalize_text(value)
    if text is None:
        return None, None
    parts = [p for p in _SPLIT.split(_nfkc(text)) if p]
    return (",".join(parts) or None), None


@dataclass
class ActivityResult:
    """What :func:`load_activities` read: ``activities`` (:data:`ACTIVITY_COLUMNS` and
    provenance), ``issues`` and ``excluded`` (as for cases), ``columns`` (every header with the
    column it was read as)."""

    activities: pd.DataFrame
    issues: pd.DataFrame
    excluded: pd.DataFrame
    columns: pd.DataFrame

    def __iter__(self):
        return iter((self.activities, self.issues, self.excluded))

    def masked(self) -> ActivityResult:
        """A copy for display: free text masked (leaders, as officials, are kept)."""
        from ..privacy import mask_issues, mask_pii

        return ActivityResult(
            mask_pii(self.activities),
            mask_issues(self.issues),
            mask_pii(self.excluded),
            self.columns,
        )

    def chinese(self) -> pd.DataFrame:
        """The activities with Chinese headers."""
        return self.activities.rename(columns=ACTIVITY_LABELS)


def _issue(file, sheet, row, column, value, problem) -> dict[str, object]:
    return {
        "source_file": file,
        "source_sheet": sheet,
        "source_row": row,
        "column": column,
        "value": "" if value is None else str(value),
        "problem": problem,
    }


def _read_sheet(grid, matcher: HeaderMatcher, year: int | None):
    where = f"{grid.file.name} / 工作表“{grid.sheet}”"
    cells = grid.cells
    header = find_header(cells, grid.merged, matcher)
    if header is None or not {"activity_date", "kind"} <= set(header.canonical):
        found = describe_missing(cells, matcher) if header is None else ""
        raise ValueError(f"{where}: 没有找到工作台账的表头 (需要 日期 和 工作类型 等列)。{found}")
    fill_body_merges(cells, grid.merged, header.rows[-1] + 1)
    reasons = classify_rows(cells, header, grid.merged, nonblank=grid.filled)
    is_row = reasons == ""
    is_row[: header.rows[-1] + 1] = False
    rows = np.flatnonzero(is_row)
    raw = pd.DataFrame(
        {name: pd.Series(cells[rows, j], dtype=object) for j, name in header.columns.items()},
        index=pd.RangeIndex(len(rows)),
    )
    out = pd.DataFrame(index=raw.index)
    issues: list[dict[str, object]] = []

    def note(column: str, problems: pd.Series) -> None:
        for i in np.flatnonzero(problems.notna().to_numpy()):
            value = raw[column].iat[i] if column in raw.columns else ""
            issues.append(
                _issue(grid.file.name, grid.sheet, int(rows[i]) + 1, column, value, problems.iat[i])
            )

    for col in ACTIVITY_COLUMNS:
        if col not in raw.columns:
            continue
        values = raw[col]
        if col == "activity_date":
            out[col], prob = parse_date_column(values, year=year)
        elif col == "kind":
            out[col], prob = _map_unique(values, normalize_activity_kind)
        elif col == "count":
            counts, prob = _map_unique(values, parse_count)
            out[col] = pd.array(counts.tolist(), dtype="Int64")
        elif col == "case_ids":
            out[col], prob = _map_unique(values, _case_ids)
        else:
            out[col], prob = _text_column(values), None
        if prob is not None:
            note(col, prob)
    for col in raw.columns:  # headers that map to nothing: kept under their own name
        if col not in ACTIVITY_COLUMNS:
            out[col] = _text_column(raw[col])
    if "activity_date" in out:
        missing = out["activity_date"].isna() & raw["activity_date"].map(normalize_text).isna()
        note("activity_date", pd.Series("缺少日期", index=raw.index).where(missing))
    out["source_file"] = grid.file.name
    out["source_sheet"] = grid.sheet
    out["source_row"] = rows + 1
    excluded = excluded_rows(grid.file.name, grid.sheet, cells, reasons)
    columns = pd.DataFrame(
        {
            "file": grid.file.name,
            "sheet": grid.sheet,
            "header": [header.labels.get(j, "") for j in header.columns],
            "canonical": [c if c in ACTIVITY_COLUMNS else "" for c in header.columns.values()],
        }
    )
    return out, pd.DataFrame(issues, columns=list(ISSUE_COLUMNS)), excluded, columns


def _conform(frame: pd.DataFrame) -> pd.DataFrame:
    n = len(frame)
    out = {}
    for col in ACTIVITY_COLUMNS:
        if col == "activity_date":
            values = frame[col] if col in frame else pd.Series(pd.NaT, index=frame.index)
            out[col] = pd.to_datetime(values).astype("datetime64[ns]")
        elif col == "count":
            values = frame[col] if col in frame else pd.Series(pd.NA, index=frame.index)
            counts = pd.to_numeric(values, errors="coerce").astype("Int64")
            out[col] = counts.fillna(1)  # a row without a count is one activity
        else:
            values = frame[col] if col in frame else pd.Series([None] * n, index=frame.index)
            out[col] = values.astype(TEXT_DTYPE)
    extra = [c for c in frame.columns if c not in ACTIVITY_COLUMNS and c not in _PROVENANCE]
    for col in extra:
        out[col] = frame[col].astype(TEXT_DTYPE)
    out["source_file"] = frame["source_file"].astype(TEXT_DTYPE)
    out["source_sheet"] = frame["source_sheet"].astype(TEXT_DTYPE)
    out["source_row"] = pd.to_numeric(frame["source_row"]).astype("Int64")
    return pd.DataFrame(out, index=frame.index).reset_index(drop=True)


def load_activities(
    paths_or_folder: str | Path | Iterable[str | Path],
    *,
    synonyms: Mapping[str, str] | None = None,
    year: int | None = None,
) -> ActivityResult:
    """Read activity registers (工作台账) into one table of activities; see the module docstring.

    ``synonyms``: extra headers ``{"表头写法": "activity_date" | "kind" | "leader" | "unit" |
    "case_ids" | "count" | "note"}``. ``year``: the year of dates written without one. A sheet
    that is no activity register is reported in ``issues`` and skipped; raises
    :class:`LoadError` (Chinese message) when nothing could be read.
    """
    from ._read import LoadError

    table = dict(_synonyms())
    for text, canonical in (synonyms or {}).items():
        if canonical not in ACTIVITY_COLUMNS:
            raise ValueError(
                f"synonyms: “{canonical}”不是工作台账的列 ({', '.join(ACTIVITY_COLUMNS)})"
            )
        table[header_key(text)] = canonical
    matcher = HeaderMatcher(table, cues=())
    parts, issue_parts, excl_parts, column_parts, problems = [], [], [], [], []
    for path in find_files(paths_or_folder):
        for grid in read_file(path, None):
            if isinstance(grid, Skipped):
                issue_parts.append(
                    pd.DataFrame([_issue(grid.file.name, grid.sheet, None, "", "", grid.problem)])
                )
                problems.append(grid.problem)
                continue
            if grid.cells.size == 0:
                continue
            try:
                found, issues, excluded, columns = _read_sheet(grid, matcher, year)
            except ValueError as exc:
                issue_parts.append(
                    pd.DataFrame([_issue(grid.file.name, grid.sheet, None, "", "", str(exc))])
                )
                problems.append(str(exc))
                continue
            parts.append(found)
            issue_parts.append(issues)
            excl_parts.append(excluded)
            column_parts.append(columns)
    if not parts:
        detail = "\n".join(f"- {p}" for p in problems) or "- 没有工作表"
        raise LoadError(f"没有读到任何工作台账 / no activity register could be read:\n{detail}")
    activities = _conform(pd.concat(parts, ignore_index=True))
    issue_parts = [p for p in issue_parts if len(p)]
    issues = pd.concat(issue_parts, ignore_index=True) if issue_parts else empty_issues()
    issues = issues.reindex(columns=list(ISSUE_COLUMNS))
    issues["source_row"] = pd.to_numeric(issues["source_row"]).astype("Int64")
    for col in ISSUE_COLUMNS:
        if col != "source_row":
            issues[col] = issues[col].astype(TEXT_DTYPE)
    excl_parts = [p for p in excl_parts if len(p)]
    excluded = pd.concat(excl_parts, ignore_index=True) if excl_parts else empty_excluded()
    excluded = excluded.reindex(columns=list(EXCLUDED_COLUMNS))
    excluded["source_row"] = pd.to_numeric(excluded["source_row"]).astype("Int64")
    return ActivityResult(activities, issues, excluded, pd.concat(column_parts, ignore_index=True))
