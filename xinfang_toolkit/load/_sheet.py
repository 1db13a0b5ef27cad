"""One sheet of a ledger read into cases: its header found, its rows sorted into cases and
excluded rows, its cells cleaned, and the issues and column mapping it gives rise to."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..clean import clean_cases
from ..schema import LABELS_ZH, TEXT_DTYPE
from ._grid import column_letter
from ._header import (
    NEED_TEXT,
    Header,
    HeaderMatcher,
    continue_header,
    describe_missing,
    find_header,
    visit_evidence,
)
from ._issues import (
    content_issue,
    label_text,
    note_issue,
    outside_rows,
    placeholder_issues,
    sheet_issue,
)
from ._match import NONE
from ._period import infer_year, title_period
from ._read import Grid, SheetError
from ._result import COLUMN_TABLE
from ._rows import classify_rows, excluded_rows, fill_body_merges
from ._values import CONTENT


def _column_rows(grid: Grid, header) -> pd.DataFrame:
    rows = []
    for j, label in header.labels.items():
        m = header.matches.get(j)
        if not label and j not in header.columns:
            continue
        rows.append(
            {
                "file": grid.file.name,
                "sheet": grid.sheet,
                "header": label,
                "canonical": (m.canonical if m else None) or "",
                "how": m.how if m else NONE,
                "score": float(m.score) if m and m.canonical else 0.0,
                "evidence": header.evidence.get(j, ""),
                "layout": header.shape,
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMN_TABLE))


def _infer_visits(
    cases: pd.DataFrame, grid: Grid, header, cells: np.ndarray
) -> tuple[pd.DataFrame, dict[str, object] | None]:
    """A sheet of visits (来访时间, 来访人数, 来访登记 ...) without channels: 来访, said once."""
    channel = cases["channel"]
    known = channel.dropna()
    if not len(cases) or (len(known) and not (known == "来访").all()) or channel.notna().all():
        return cases, None
    titles = [v for row in cells[: header.top] for v in row if isinstance(v, str) and v.strip()]
    evidence = visit_evidence(header.labels, [grid.sheet, *titles])
    if evidence is None:
        return cases, None
    empty = channel.isna()
    if "channel" in header.canonical:
        # a 来源 cell that named an assigning organ (国家信访局交办) is no visit: it stays empty
        empty &= cases["assigned_by"].isna()
        if not empty.any():
            return cases, None
    cases = cases.copy()
    cases.loc[empty, "channel"] = "来访"
    problem = (
        f"{grid.file.name} / 工作表“{grid.sheet}”: 本表记录来访 ({evidence}), "
        f"{int(empty.sum())} 件没有信访形式, 记为“来访” (推断)"
    )
    issue = sheet_issue(grid.file, grid.sheet, problem) | {"column": "channel"}
    return cases, issue


def read_sheet(
    grid: Grid,
    matcher: HeaderMatcher,
    profiles: Mapping[str, Mapping[str, str | None]],
    year: int | None,
    today: object = None,
    previous: tuple[str, Header] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, object], pd.DataFrame]:
    """One sheet read: ``(cases, issues, excluded, its row of sources, its rows of columns)``;
    SheetError when it holds no ledger. ``previous``: ``(sheet, header)`` of the last sheet read
    in the same file, whose header a sheet without a header row (a 续表) may continue."""
    cells = grid.cells
    header = _sheet_header(grid, matcher, profiles, previous)
    # a register of assigned cases (交办件登记表) dates its cases by 交办时间
    by_assignment = "received_date" not in header.canonical and "assigned_date" in header.canonical
    sheet_year = year if year is not None else infer_year(cells, header.top, grid.sheet, grid.file)
    reasons, raw = _case_rows(grid, header)
    if by_assignment:
        raw["received_date"] = raw["assigned_date"]
    period, period_source = title_period(cells, header.top, grid.sheet, grid.file)
    period_end = None if period is None else period.date()
    cases, issues = clean_cases(raw, year=sheet_year, today=today, period_end=period_end)
    cases, issues, empty_rows = drop_contentless(cases, issues)
    if len(empty_rows):
        reasons = reasons.copy()
        reasons[empty_rows - 1] = NO_CASE_CONTENT
    extra = _sheet_issues(grid, header, cases, by_assignment=by_assignment)
    cases, visit_issue = _infer_visits(cases, grid, header, cells)
    if visit_issue:
        extra.append(visit_issue)
    if extra:
        issues = pd.concat([issues, pd.DataFrame(extra)], ignore_index=True)
    excluded = excluded_rows(grid.file.name, grid.sheet, cells, reasons)
    outside = outside_rows(grid)
    if len(outside):
        excluded = pd.concat([excluded, outside], ignore_index=True)
    info = {
        "file": grid.file.name,
        "sheet": grid.sheet,
        "header_rows": ",".join(str(r + 1) for r in header.rows),
        "year": sheet_year,
        "period": period,
        "period_source": period_source,
        "cases": len(cases),
        "status": "已读取",
        "_header": header,
    }
    return cases, issues, excluded, info, _column_rows(grid, header)


def _sheet_header(
    grid: Grid,
    matcher: HeaderMatcher,
    profiles: Mapping[str, Mapping[str, str | None]],
    previous: tuple[str, Header] | None,
) -> Header:
    """The sheet's header (or the earlier sheet's, for a 续表); SheetError when there is none
    or it lacks a date or a summary/category column."""
    cells = grid.cells
    where = f"{grid.file.name} / 工作表“{grid.sheet}”"
    header = find_header(cells, grid.merged, matcher, profiles)
    if header is not None and previous is not None:
        header = continue_header(header, previous[1], previous[0], cells.shape[1])
    if header is None:
        raise SheetError(f"{where}: 没有找到可识别的表头。{describe_missing(cells)}")
    missing = []
    if not {"received_date", "assigned_date"} & set(header.canonical):
        missing.append("日期 (登记日期/信访日期/来访时间/留言时间 ...)")
    if not any(c in header.canonical for c in NEED_TEXT):
        missing.append("反映问题或内容分类")
    if not missing:
        return header
    if header.headerless:
        known = "、".join(
            f"{column_letter(j)}→{LABELS_ZH.get(c, c)}"
            for c, j in sorted(header.canonical.items(), key=lambda cj: cj[1])
        )
        raise SheetError(
            f"{where}: 没有表头行 (第 {header.body + 1} 行起像是数据, 如续表), 按各列内容认出 "
            f"{known or '(无)'}, 但缺少必需的列: {'; '.join(missing)} (可用 mapping= 指定, "
            "或在第一行写上表头)"
        )
    # header texts only: a cell that looks like data (a name, phone, ID, date) is not quoted
    found = "、".join(label_text(v) for v in header.labels.values() if v) or "(无)"
    raise SheetError(
        f"{where}: 第 {header.top + 1} 行的表头缺少必需的列: {'; '.join(missing)}。"
        f"找到的列: {found}"
    )


def _case_rows(grid: Grid, header: Header) -> tuple[np.ndarray, pd.DataFrame]:
    """``(reason of every row, the case rows' cells under their column names)``: merged body
    cells filled, rows sorted (:func:`classify_rows`), provenance added."""
    cells = grid.cells
    fill_body_merges(cells, grid.merged, header.body)
    if grid.filled is not None:
        fill_body_merges(grid.filled, grid.merged, header.body)
    reasons = classify_rows(cells, header, grid.merged, nonblank=grid.filled)
    is_case = reasons == ""
    is_case[: header.body] = False
    rows = np.flatnonzero(is_case)
    # the case rows are usually one run: take column views instead of copies
    one_run = len(rows) and rows[-1] - rows[0] + 1 == len(rows)
    take = slice(rows[0], rows[-1] + 1) if one_run else rows
    raw = pd.DataFrame(
        {
            name: pd.Series(cells[take, j], dtype=object, copy=False)
            for j, name in header.columns.items()
        },
        index=pd.RangeIndex(len(rows)),
    )
    # in the contract's text dtype at once (a bare assignment makes pandas' Arrow "str"
    # column, which conform_cases would convert again, cell by cell)
    for name, value in (("source_file", grid.file.name), ("source_sheet", grid.sheet)):
        raw[name] = pd.array(np.full(len(rows), value, dtype=object), dtype=TEXT_DTYPE)
    raw["source_row"] = rows + 1
    return reasons, raw


def _sheet_issues(
    grid: Grid, header: Header, cases: pd.DataFrame, *, by_assignment: bool
) -> list[dict[str, object]]:
    """The issues of the sheet as a whole: the header's notes, columns read by content,
    placeholders, cells the reader noticed, dates taken from 交办时间."""
    extra = [sheet_issue(grid.file, grid.sheet, note) for note in header.notes]
    if header.headerless or any(m.how == CONTENT for m in header.matches.values()):
        extra.append(content_issue(grid, header))
    extra += placeholder_issues(cases, grid)
    extra += [note_issue(grid, note, header.columns) for note in grid.notes]
    if by_assignment:
        note = (
            f"{grid.file.name} / 工作表“{grid.sheet}”: 本表没有登记日期列, 以交办时间作为登记日期"
        )
        extra.append(sheet_issue(grid.file, grid.sheet, note) | {"column": "received_date"})
    return extra


#: the reason of a row under the header that holds none of what makes a case
NO_CASE_CONTENT = "没有案件内容 (无日期、反映问题、信访人、身份证号、编号)"
#: what makes a case: a row with none of these is no case (a template's hint row, 日期选择 ...)
_CASE_CONTENT = ("received_date", "summary", "petitioner", "id_number", "case_id", "account_id")


def drop_contentless(
    cases: pd.DataFrame, issues: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Cases with none of date, summary, person, ID or case number are no cases: they are
    dropped (with their cell issues) and their row numbers returned, to be excluded."""
    if not len(cases):
        return cases, issues, np.array([], dtype=np.int64)
    has = np.zeros(len(cases), dtype=bool)
    for col in _CASE_CONTENT:
        has |= cases[col].notna().to_numpy(dtype=bool)  # clean_cases trims: "" is NA
    if has.all():
        return cases, issues, np.array([], dtype=np.int64)
    rows = cases.loc[~has, "source_row"].to_numpy(dtype=np.int64)
    cases = cases[has].reset_index(drop=True)
    if len(issues):
        issues = issues[~issues["source_row"].isin(rows).fillna(False)].reset_index(drop=True)
    return cases, issues, rows
