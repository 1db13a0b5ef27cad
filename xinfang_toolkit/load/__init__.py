"""Load petition ledgers (Excel workbooks and CSV files) into one clean table of cases.

``load_cases(paths_or_folder, *, sheets=None, synonyms=None, year=None, mapping=None, today=None)
-> LoadResult``

* Reads .xlsx/.xlsm with fastexcel (calamine into Arrow, after one pass over the sheet XML that
  cuts off stray far cells such as one at XFD1048576, and finds merged ranges, long numbers and
  formulas without a cached value), .xls/.xlsb/.ods with python-calamine, and .csv in UTF-8,
  UTF-8 with BOM or GBK/GB18030 (detected; LF, CRLF or lone CR line ends) with pyarrow.csv.
  Several files and all visible sheets at once; every case carries ``source_file``,
  ``source_sheet`` and ``source_row`` (the row number Excel shows). A file that is locked,
  unreadable or corrupt is reported in ``issues`` and the others are read; NUL and other control
  characters in a cell are removed, and a half-written last CSV row is kept, each with an issue.
  Importing this subpackage sets one pandas option, ``mode.string_storage = "python"``: pyarrow
  is installed for these readers and would otherwise switch every text column to Arrow storage.
* Finds the header by itself (title and 填报单位/填报时间 lines above it, one- or two-row headers
  with merged group cells, spaces and line breaks in header text) and maps header text to
  canonical columns through the **synonym table** ``xinfang_toolkit/data/synonyms.csv``
  (``canonical,synonym`` rows: Chinese names, national pinyin codes such as xfrq/xfxs/nrfldm,
  12345-hotline names such as 工单编号/留言时间). Analysts may edit that file or pass
  ``synonyms={"来访人员": "petitioner"}`` / ``{"petitioner": ["来访人员"]}`` / a CSV path.
  Flag columns 办结标志 (bjbz), 重复信访标志 (cfxfbz), 积案标志 (jabz) and 是否延期 become the
  boolean columns ``closed_flag``, ``repeat_flag``, ``backlog_flag``, ``extended_flag`` (always
  present, NA when the ledger has no such column). Columns that map to nothing are kept under
  their normalised header text.
* Header matching is scored (``_match``): hand-made entries (``mapping=``, 人工指定), exact
  synonyms (同义词), then approximate matches (近似: a synonym inside the header, rapidfuzz
  similarity, cue words of ``data/header_cues.csv``) at 80 points or more. Two headers matching
  one column: the better score wins, the other is kept under its own name with an issue.
  ``LoadResult.columns`` lists every header of every sheet read with its column, how and score;
  ``summary()`` lists the unmapped and approximate ones and warns when a sheet lacks a column
  other sheets have. ``mapping=`` takes a dict, a CSV or a YAML file with layout profiles
  (:func:`save_profile`), reused for later ledgers with the same header row.
* Columns are also read by what they hold (``_values``): a sample of each column (100 cells)
  gets a value profile (shares of dates and date-times, ID numbers, phones, yes/no words,
  numbers, codes, names, channel/level/satisfaction/status/category words, text length,
  distinct share), shown as ``evidence`` in ``LoadResult.columns`` (e.g. "98% 日期时间"). Each
  canonical column declares the profile it expects (``schema.COLUMN_SPEC`` ``expects``): a
  header match whose values contradict it is demoted (kept under its own name, with an issue
  naming both), and of two headers competing for a column the one whose values fit wins. A sheet
  whose headers are unknown or foreign (English field names), or that has no header row (a 续表,
  a CSV saved without one: the first row looks like the rest), is mapped from values alone
  (how = 按内容, with a score and one issue per sheet); every row of a sheet without a header
  row is a case. A sheet lacking a date, summary, ID or phone column gets them proposed from the
  values of its unknown columns. The MappingEditor confirms or corrects such mappings and saves
  a layout profile as for any other.
* Placeholders (``data/placeholders.csv``: 市民, 匿名, 无, 不详, 某先生/某女士, XX, 群众, ids of
  zeros, the phone 12345 ...) stay as written, are counted once per sheet and column in an
  issue, and give no person key (``privacy.person_keys``).
* Rows under the header with none of date, summary, person, ID or case number (a template's
  hint row: 日期选择, 必填, 有下拉框选择 ...) are excluded with a reason; every non-empty row of a
  sheet that cannot be read is excluded too, named by its number only (its cells may be names,
  phones, ID numbers; messages about such sheets never quote them).
* A sheet that records visits (headers 来访时间/来访人数/接访..., or a title 来访登记) and has no
  信访形式 gets channel 来访 in its empty cells, reported once per sheet. Accounts (留言用户,
  网民编号 ...) become ``account_id``. A date with a time of day keeps the time in
  ``received_time``; a received date after ``today`` or after the sheet's year is reported.
  Import-template instruction and example rows (标红色的为必填项…, 示例) are excluded.
* Rows: a value merged over several body rows fills each of them; title lines, header rows,
  section rows (二、往年积案), totals (合计/小计/总计), signature and note lines (填表人, 审核人,
  注:), repeated headers and lines with only a 序号 go to ``excluded`` with a reason; blank rows
  are skipped. Invariant: every non-empty row is a case or an excluded row.
* Cells are normalised by :mod:`xinfang_toolkit.clean`; every cell a person should look at is
  listed in ``issues``. Dates without a year (3月5日) take ``year=``, else a year in the sheet's
  title rows, else in the sheet name, else in the file name.
* The same case read from two files (or sheets) is kept once, with an issue naming both places;
  two different rows with the same case number are both kept and reported.
* A sheet that cannot be read is reported in ``issues`` (column ``""``); :class:`LoadError` is
  raised only if nothing at all could be read, or a path is missing.
* ``LoadResult.summary()`` is a short Chinese account (counts only); ``LoadResult.masked()`` is
  a copy with personal data masked, for display and export; ``LoadResult.sources`` lists every
  sheet looked at (header rows, inferred year, cases, status).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import _pandas  # noqa: F401  (text columns keep Python storage; see _pandas)
from .._placeholders import PLACEHOLDER_FIELDS, placeholder_mask
from ..clean import FLAG_COLUMNS, clean_cases, fold_width
from ..schema import (
    CASE_COLUMNS,
    EXCLUDED_COLUMNS,
    ISSUE_COLUMNS,
    LABELS_ZH,
    PROVENANCE_COLUMNS,
    TEXT_DTYPE,
    conform_cases,
    empty_excluded,
    empty_issues,
)
from ._activities import (
    ACTIVITY_COLUMNS,
    ACTIVITY_KINDS,
    ActivityResult,
    load_activities,
    normalize_activity_kind,
)
from ._dedupe import drop_exact_duplicates, same_number_issues
from ._grid import CellNote, column_letter
from ._header import (
    NEED_TEXT,
    Header,
    HeaderMatcher,
    build_synonyms,
    continue_header,
    describe_missing,
    find_header,
    visit_evidence,
)
from ._match import APPROX, NONE
from ._profile import read_mapping, save_profile
from ._read import (
    OWN_OUTPUT,
    Grid,
    LoadError,
    SheetError,
    Skipped,
    find_files,
    is_own_output,
    read_file,
)
from ._rows import classify_rows, excluded_rows, fill_body_merges
from ._values import CONTENT, kind_of

__all__ = [
    "ACTIVITY_COLUMNS",
    "ACTIVITY_KINDS",
    "ActivityResult",
    "load_activities",
    "normalize_activity_kind",
    "load_cases",
    "LoadResult",
    "LoadError",
    "save_profile",
    "mapping_table",
    "COLUMN_TABLE",
    "find_files",
    "is_own_output",
]

#: columns of ``LoadResult.columns``: one row per header of every sheet read
COLUMN_TABLE: tuple[str, ...] = (
    "file",
    "sheet",
    "header",
    "canonical",
    "how",
    "score",
    "evidence",
)
#: columns whose absence from one sheet, when other sheets of the load have them, is worth a word
_EXPECTED_EVERYWHERE = (
    "received_date",
    "summary",
    "category",
    "channel",
    "petitioner",
    "locality",
    "visit_level",
    "person_count",
    "responsible_unit",
    "closed_date",
)
#: ... of which these are missed on any sheet of the load, the others within one workbook
_CORE = frozenset({"received_date", "summary", "category"})

_YEAR = re.compile(r"(?<!\d)((?:19[89]|20\d)\d)(?:年|(?!\d))")


@dataclass(frozen=True, eq=False)
class LoadResult:
    """What :func:`load_cases` read.

    ``cases``: one row per case (schema.conform_cases form plus flag and unmapped columns);
    ``issues``: one row per cell that was changed in a way a person should know or could not be
    read, and per sheet that could not be read (schema.ISSUE_COLUMNS); ``excluded``: every
    non-empty row that is not a case, with its reason (schema.EXCLUDED_COLUMNS); ``sources``: one
    row per sheet looked at (file, sheet, header_rows, cases, status); ``columns``: one row per
    header of every sheet read (:data:`COLUMN_TABLE`: file, sheet, header as written (列A ... for
    a sheet without a header row), canonical column or empty, how it was matched
    同义词/近似/按内容/人工指定/未识别, score 0-100, evidence: what the column holds).
    """

    cases: pd.DataFrame
    issues: pd.DataFrame
    excluded: pd.DataFrame
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    columns: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COLUMN_TABLE))

    def __iter__(self):  # allows ``cases, issues, excluded = load_cases(...)``
        return iter((self.cases, self.issues, self.excluded))

    def summary(self, *, mask: bool = True) -> str:
        """A short Chinese account of what was read (counts only, no personal data): file and
        sheet names and header texts are shown masked (``privacy.mask_source``: ID and phone
        numbers, names of persons) unless ``mask=False``."""
        from .. import privacy

        show = privacy.SourceMasker() if mask else (lambda v: v)
        header = privacy.SourceMasker(parts=False) if mask else (lambda v: v)
        src = self.sources
        n_files = src["file"].nunique() if len(src) else 0
        read = src[src["status"] == "已读取"] if len(src) else src
        lines = [
            f"读取 {n_files} 个文件、{len(read)} 个工作表, 得到 {len(self.cases)} 件信访件。",
            f"需要核对的单元格 {len(self.issues)} 处; 未计入案件的非空行 {len(self.excluded)} 行。",
        ]
        if len(self.excluded):
            counts = self.excluded["reason"].value_counts()
            lines.append("未计入的行: " + "; ".join(f"{k} {v} 行" for k, v in counts.items()))
        if len(self.issues):
            counts = (
                self.issues["column"]
                .fillna("")
                .replace("", "(整表/整行)")
                .map(lambda c: LABELS_ZH.get(c, header(c)))
                .value_counts()
            )
            lines.append("问题所在列: " + "; ".join(f"{k} {v} 处" for k, v in counts.items()))
        if len(src):
            bad = src[~src["status"].isin(["已读取", "空表"])]
            for _, row in bad.iterrows():
                lines.append(
                    f"未读取: {show(row['file'])} / {show(row['sheet'])}: {show(row['status'])}"
                )
        lines.extend(_column_lines(self.columns, show=show, header=header))
        return "\n".join(lines)

    def masked(self) -> LoadResult:
        """A copy safe to display or export: personal data masked in cases (privacy.mask_pii),
        in the values and texts of issues and in excluded row texts (privacy.mask_issues),
        with every person the cases name masked wherever they appear."""
        from .. import privacy

        names = privacy.known_names(self.cases)
        show = privacy.SourceMasker(names)
        columns = privacy.mask_sources(self.columns, masker=show)
        if "header" in columns.columns:  # a note typed in a header row names persons too
            header = privacy.SourceMasker(names, parts=False)
            columns = columns.assign(header=columns["header"].map(header))
        return LoadResult(
            privacy.mask_pii(self.cases, names=names),
            privacy.mask_issues(self.issues, names=names),
            privacy.mask_issues(self.excluded, names=names),
            privacy.mask_sources(self.sources, masker=show),
            columns,
        )

    def __repr__(self) -> str:
        return (
            f"LoadResult(案件 {len(self.cases)} 件, 问题 {len(self.issues)} 处, "
            f"排除 {len(self.excluded)} 行, 工作表 {len(self.sources)} 个)"
        )

    def _repr_html_(self) -> str:
        body = "<br>".join(html.escape(line) for line in self.summary().splitlines())
        return f"<div><b>LoadResult</b><br>{body}</div>"


#: Chinese headers of the mapping table, for display and export
COLUMN_TABLE_ZH: dict[str, str] = {
    "file": "文件",
    "sheet": "工作表",
    "header": "表头",
    "canonical": "标准列",
    "how": "方式",
    "score": "分数",
    "evidence": "内容依据",
}


def mapping_table(columns: pd.DataFrame, *, mask: bool = True) -> pd.DataFrame:
    """``LoadResult.columns`` for people: Chinese headers, the standard column by its Chinese
    name (e.g. 反映问题 (summary)), nothing personal in it: file and sheet names and header
    texts masked (``privacy.SourceMasker``) unless ``mask=False``."""
    out = columns.reindex(columns=list(COLUMN_TABLE)).copy()
    if mask:
        from .. import privacy

        show, header = privacy.SourceMasker(), privacy.SourceMasker(parts=False)
        for col in ("file", "sheet"):
            out[col] = out[col].map(show)
        out["header"] = out["header"].map(header)
    out["canonical"] = out["canonical"].map(
        lambda c: f"{LABELS_ZH.get(c, c)} ({c})" if isinstance(c, str) and c else ""
    )
    return out.rename(columns=COLUMN_TABLE_ZH).reset_index(drop=True)


def _column_lines(columns: pd.DataFrame, *, show=lambda v: v, header=lambda v: v) -> list[str]:
    """summary() lines about headers: unmapped, approximate, and columns a sheet lacks
    (file and sheet names passed through ``show``, header texts through ``header``)."""
    if columns is None or not len(columns):
        return []
    lines = []
    named = columns[columns["header"].fillna("").astype(str).str.strip() != ""]
    for (file, sheet), part in named.groupby(["file", "sheet"], sort=False):
        where = f"{show(file)} / {show(sheet)}"
        unknown = part.loc[part["how"] == NONE, "header"].map(lambda h: _short(header(h))).tolist()
        if unknown:
            lines.append(f"未识别的表头 ({where}, 按原表头保留): " + "、".join(unknown))
        content = part[part["how"] == CONTENT]
        if len(content):
            pairs = [
                f"{_short(h)}→{LABELS_ZH.get(c, c)} ({e})"
                for h, c, e in zip(
                    content["header"], content["canonical"], content["evidence"], strict=True
                )
            ]
            lines.append(f"按内容判断的列 ({where}, 请核对): " + "; ".join(pairs))
        approx = part[part["how"] == APPROX]
        if len(approx):
            pairs = [
                f"{_short(header(h))}→{LABELS_ZH.get(c, c)} ({s:.0f}分)"
                for h, c, s in zip(
                    approx["header"], approx["canonical"], approx["score"], strict=True
                )
            ]
            lines.append(
                f"近似匹配的表头 ({where}, 请核对, 可用 mapping= 改正): " + "; ".join(pairs)
            )
    have = (
        columns[columns["canonical"].fillna("") != ""]
        .groupby(["file", "sheet"], sort=False)["canonical"]
        .agg(set)
    )
    if len(have) > 1:
        everywhere = set().union(*have.tolist())
        for (file, sheet), got in have.items():
            # the contents of a case everywhere; other columns among sheets of the same file
            same_file = [g for (f, s), g in have.items() if f == file and s != sheet]
            nearby = set().union(*same_file) if same_file else set()
            lacking = [
                c
                for c in _EXPECTED_EVERYWHERE
                if c not in got and (c in nearby or (c in _CORE and c in everywhere))
            ]
            if lacking:
                names = "、".join(LABELS_ZH.get(c, c) for c in lacking)
                lines.append(
                    f"注意: {show(file)} / {show(sheet)} 没有其他工作表有的列: {names} "
                    "(表头写法不同? 可用 mapping= 指定)"
                )
    return lines


def _short(text: object) -> str:
    text = re.sub(r"\s+", "", str(text))
    return text if len(text) <= 16 else text[:15] + "…"


def _as_sheets(sheets: object) -> list[str | int] | None:
    if sheets is None:
        return None
    if isinstance(sheets, (str, int)):
        return [sheets]
    return list(sheets)  # type: ignore[call-overload]


_FILL_IN_DATE = re.compile(
    r"(填报|填表|导出|制表|打印|统计|报送|截止)(时间|日期)[:：]?\s*\S*"
    r"|(?<!\d)\d{4}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|([-/.])\d{1,2}\1\d{1,2}(?!\d))"
)


def _infer_year(cells: np.ndarray, header_top: int, sheet: str, file: Path) -> int | None:
    """The year of a sheet's dates written without one: from the title rows (not from the
    填报时间/导出时间 of the fill-in line or other full dates), else the sheet name, else the file."""
    for row in cells[:header_top]:
        for value in row:
            if not isinstance(value, str):
                continue
            text = _FILL_IN_DATE.sub(" ", fold_width(value))
            if m := _YEAR.search(text):
                return int(m[1])
    for text in (sheet, file.stem):
        if m := _YEAR.search(text):
            return int(m[1])
    return None


_TITLE_MONTHS = re.compile(
    r"(?<!\d)((?:19[89]|20\d)\d)\s*年\s*(?:(\d{1,2})\s*月?\s*[-—~至到]\s*)?(\d{1,2})\s*月(?!\s*\d{1,2}\s*[日号])"
)


def _title_period_end(cells: np.ndarray, header_top: int, sheet: str, file: Path):
    """The last day of the months a title names (2026年10月, 2026年1-10月), else None."""
    texts = [v for row in cells[:header_top] for v in row if isinstance(v, str)]
    for text in [*texts, sheet, file.stem]:
        m = _TITLE_MONTHS.search(_FILL_IN_DATE.sub(" ", fold_width(text)))
        if m and 1 <= int(m[3]) <= 12:
            return (pd.Timestamp(int(m[1]), int(m[3]), 1) + pd.offsets.MonthEnd(0)).date()
    return None


def _sheet_issue(file: Path, sheet: str, problem: str) -> dict[str, object]:
    return {
        "source_file": file.name,
        "source_sheet": sheet,
        "source_row": pd.NA,
        "column": "",
        "value": "",
        "problem": problem,
    }


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
    issue = _sheet_issue(grid.file, grid.sheet, problem) | {"column": "channel"}
    return cases, issue


def _read_sheet(
    grid: Grid,
    matcher: HeaderMatcher,
    profiles: Mapping[str, Mapping[str, str | None]],
    year: int | None,
    today: object = None,
    previous: tuple[str, Header] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, object], pd.DataFrame]:
    cells = grid.cells
    where = f"{grid.file.name} / 工作表“{grid.sheet}”"
    header = find_header(cells, grid.merged, matcher, profiles)
    if header is not None and previous is not None:
        header = continue_header(header, previous[1], previous[0], cells.shape[1])
    if header is None:
        raise SheetError(f"{where}: 没有找到可识别的表头。{describe_missing(cells)}")
    missing = []
    # a register of assigned cases (交办件登记表) dates its cases by 交办时间
    by_assignment = "received_date" not in header.canonical and "assigned_date" in header.canonical
    if "received_date" not in header.canonical and not by_assignment:
        missing.append("日期 (登记日期/信访日期/来访时间/留言时间 ...)")
    if not any(c in header.canonical for c in NEED_TEXT):
        missing.append("反映问题或内容分类")
    if missing:
        # header texts only: a cell that looks like data (a name, phone, ID, date) is not quoted
        found = "、".join(_label_text(v) for v in header.labels.values() if v) or "(无)"
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
        raise SheetError(
            f"{where}: 第 {header.top + 1} 行的表头缺少必需的列: {'; '.join(missing)}。"
            f"找到的列: {found}"
        )
    sheet_year = year if year is not None else _infer_year(cells, header.top, grid.sheet, grid.file)
    fill_body_merges(cells, grid.merged, header.body)
    if grid.filled is not None:
        fill_body_merges(grid.filled, grid.merged, header.body)
    reasons = classify_rows(cells, header, grid.merged, nonblank=grid.filled)
    is_case = reasons == ""
    is_case[: header.body] = False
    rows = np.flatnonzero(is_case)
    # the case rows are usually one run: take column views instead of copies
    take = (
        slice(rows[0], rows[-1] + 1) if len(rows) and rows[-1] - rows[0] + 1 == len(rows) else rows
    )
    raw = pd.DataFrame(
        {
            name: pd.Series(cells[take, j], dtype=object, copy=False)
            for j, name in header.columns.items()
        },
        index=pd.RangeIndex(len(rows)),
    )
    raw["source_file"] = grid.file.name
    raw["source_sheet"] = grid.sheet
    raw["source_row"] = rows + 1
    if by_assignment:
        raw["received_date"] = raw["assigned_date"]
    period_end = _title_period_end(cells, header.top, grid.sheet, grid.file)
    cases, issues = clean_cases(raw, year=sheet_year, today=today, period_end=period_end)
    cases, issues, empty_rows = _drop_contentless(cases, issues)
    if len(empty_rows):
        reasons = reasons.copy()
        reasons[empty_rows - 1] = NO_CASE_CONTENT
    extra = [_sheet_issue(grid.file, grid.sheet, note) for note in header.notes]
    if header.headerless or any(m.how == CONTENT for m in header.matches.values()):
        extra.append(_content_issue(grid, header))
    extra += _placeholder_issues(cases, grid)
    extra += [_note_issue(grid, note, header.columns) for note in grid.notes]
    if by_assignment:
        note = f"{where}: 本表没有登记日期列, 以交办时间作为登记日期"
        extra.append(_sheet_issue(grid.file, grid.sheet, note) | {"column": "received_date"})
    cases, visit_issue = _infer_visits(cases, grid, header, cells)
    if visit_issue:
        extra.append(visit_issue)
    if extra:
        issues = pd.concat([issues, pd.DataFrame(extra)], ignore_index=True)
    excluded = excluded_rows(grid.file.name, grid.sheet, cells, reasons)
    outside = _outside_rows(grid)
    if len(outside):
        excluded = pd.concat([excluded, outside], ignore_index=True)
    info = {
        "file": grid.file.name,
        "sheet": grid.sheet,
        "header_rows": ",".join(str(r + 1) for r in header.rows),
        "year": sheet_year,
        "cases": len(cases),
        "status": "已读取",
        "_header": header,
    }
    return cases, issues, excluded, info, _column_rows(grid, header)


#: the reason of a row under the header that holds none of what makes a case
NO_CASE_CONTENT = "没有案件内容 (无日期、反映问题、信访人、身份证号、编号)"
#: what makes a case: a row with none of these is no case (a template's hint row, 日期选择 ...)
_CASE_CONTENT = ("received_date", "summary", "petitioner", "id_number", "case_id", "account_id")


def _drop_contentless(
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


def _content_issue(grid: Grid, header) -> dict[str, object]:
    """The one issue of a sheet whose columns were (partly) recognised by their values: a sheet
    without a header row (a 续表, a CSV saved without one), or headers nobody here knows."""
    mapped = [
        f"{column_letter(j)} {_short(header.labels.get(j, '')) if not header.headerless else ''}"
        f"→{LABELS_ZH.get(m.canonical, m.canonical)} ({m.via})".replace(" →", "→")
        for j, m in header.matches.items()
        if m.how == CONTENT and header.columns.get(j) == m.canonical
    ]
    where = f"{grid.file.name} / 工作表“{grid.sheet}”"
    if header.continues:
        problem = (
            f"{where}: 没有表头行 (第 {header.body + 1} 行起就是数据), 是工作表“{header.continues}”"
            "的续表: 沿用它的表头, 每一行都按案件读入 (各列的内容与该表头相符)"
        )
        return _sheet_issue(grid.file, grid.sheet, problem)
    if header.headerless:
        lead = (
            f"{where}: 没有表头行 (第 {header.body + 1} 行起就是数据, 如续表或没有表头的导出), "
            "每一行都按案件读入; 各列按内容判断"
        )
    else:
        lead = f"{where}: 第 {header.top + 1} 行的表头有认不出的列名, 这些列按内容判断"
    problem = f"{lead}: {'; '.join(mapped)} (请核对, 可用 mapping= 或表头映射工具改正)"
    return _sheet_issue(grid.file, grid.sheet, problem)


def _placeholder_issues(cases: pd.DataFrame, grid: Grid) -> list[dict[str, object]]:
    """One issue per personal column of a sheet that holds placeholders (市民, 匿名, 无 ...)."""
    out = []
    for col in PLACEHOLDER_FIELDS:
        if col not in cases.columns:
            continue
        values = cases[col].to_numpy(dtype=object, na_value=None)
        mask = placeholder_mask(values, col)
        if not mask.any():
            continue
        hits = pd.Series(values[mask], dtype=object).value_counts()
        words = "、".join(f"“{w}”" for w in hits.index[:5].tolist())
        problem = (
            f"{grid.file.name} / 工作表“{grid.sheet}”: {LABELS_ZH.get(col, col)} 有 "
            f"{int(hits.sum())} 件是占位写法 ({words}{' 等' if len(hits) > 5 else ''}), "
            "照原样保留, 但不当作个人身份: 不用于认定同一人 (重复信访、人数统计)"
        )
        out.append(_sheet_issue(grid.file, grid.sheet, problem) | {"column": col})
    return out


def _label_text(label: object) -> str:
    """A header text for a message, or … when it looks like personal data or a value."""
    if kind_of(label) in ("name", "phone", "id", "date", "datetime", "longtext", "code"):
        return "…"
    return str(label)


def _note_issue(grid: Grid, note: CellNote, columns: Mapping[int, str]) -> dict[str, object]:
    """An issue for a cell the reader noticed; column = the mapped column, else its letter."""
    return {
        "source_file": grid.file.name,
        "source_sheet": grid.sheet,
        "source_row": note.row + 1,
        "column": "" if note.outside else columns.get(note.col, column_letter(note.col)),
        "value": note.value,
        "problem": note.problem,
    }


#: the reason of every non-empty row of a sheet that could not be read as a ledger
REFUSED = "所在工作表无法识别为台账 (未读入, 见问题清单)"


def _refused_rows(grid: Grid, filled: np.ndarray) -> pd.DataFrame:
    """Every non-empty row of a sheet that could not be read, excluded with a reason; the
    content says how many cells, never what they hold (names, phones, ID numbers)."""
    counts = filled.sum(axis=1) if filled.ndim == 2 else np.zeros(0, dtype=int)
    rows = np.flatnonzero(counts)
    return pd.DataFrame(
        {
            "source_file": grid.file.name,
            "source_sheet": grid.sheet,
            "source_row": rows + 1,
            "reason": REFUSED,
            "content": [f"{int(counts[i])} 个非空单元格" for i in rows],
        }
    )


STRAY = "表格以外的孤立单元格 (未读入)"


def _outside_rows(grid: Grid) -> pd.DataFrame:
    """Excluded entries for rows that hold only stray cells cut off by the reader."""
    rows: dict[int, list[str]] = {}
    for note in grid.notes:
        if note.outside and note.row >= grid.cells.shape[0]:
            rows.setdefault(note.row, []).append(note.value)
    return pd.DataFrame(
        {
            "source_file": grid.file.name,
            "source_sheet": grid.sheet,
            "source_row": [r + 1 for r in rows],
            "reason": STRAY,
            "content": [" | ".join(v)[:80] for v in rows.values()],
        }
    )


def _grids(files: Iterable[Path], sheets: list[str | int] | None):
    for path in files:
        yield from read_file(path, sheets)


def _finish_text(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    frame = frame.reindex(columns=list(columns))
    for col in columns:
        if col == "source_row":
            frame[col] = pd.to_numeric(frame[col]).astype("Int64")
        else:
            frame[col] = frame[col].astype(TEXT_DTYPE)
    return frame.reset_index(drop=True)


def load_cases(
    paths_or_folder: str | Path | Iterable[str | Path],
    *,
    sheets: str | int | Sequence[str | int] | None = None,
    synonyms: Mapping[str, object] | str | Path | None = None,
    year: int | None = None,
    mapping: Mapping[str, object] | str | Path | None = None,
    today: object = None,
    progress: bool = False,
) -> LoadResult:
    """Read ledgers into one clean table of cases; see the module docstring.

    ``paths_or_folder``: a file, a folder (every .xlsx/.xlsm/.xls/.ods/.csv in it) or a list of
    them. ``sheets``: sheet names or 0-based positions to read in every workbook (default: all
    visible sheets). ``synonyms``: extra header synonyms. ``year``: the year of dates written
    without one (3月5日). ``mapping``: headers fixed by hand, a dict ``{表头: 规范列名}`` or a
    CSV/YAML file, which may hold layout profiles keyed by their header row (see
    :func:`save_profile`); these win over the synonym table. ``today``: received dates after it
    are reported (default: the computer's date). ``progress``: show a progress bar over the
    files (tqdm, on stderr).
    """
    own: list[Path] = []  # the toolkit's own outputs found in folders: listed, not read
    files = find_files(paths_or_folder, own=own)
    if progress:
        from tqdm.auto import tqdm

        files = tqdm(files, desc="读取台账", unit="个文件")
    manual, profiles = read_mapping(mapping)
    matcher = HeaderMatcher(build_synonyms(synonyms), manual)
    wanted = _as_sheets(sheets)
    case_parts, issue_parts, excl_parts, infos, column_parts = [], [], [], [], []
    problems: list[str] = []
    for path in own:
        message = f"{path.name}: " + OWN_OUTPUT.format(why="文件名与本工具包的输出相同")
        issue_parts.append(pd.DataFrame([_sheet_issue(path, "", message)]))
        infos.append({"file": path.name, "sheet": "", "status": message})
    last: dict[Path, tuple[str, Header]] = {}  # the last header read in each file (for 续表)
    for grid in _grids(files, wanted):
        if isinstance(grid, Skipped):
            where = f"{grid.file.name}" + (f" / 工作表“{grid.sheet}”" if grid.sheet else "")
            message = grid.problem if grid.file.name in grid.problem else f"{where}: {grid.problem}"
            issue_parts.append(pd.DataFrame([_sheet_issue(grid.file, grid.sheet, message)]))
            infos.append({"file": grid.file.name, "sheet": grid.sheet, "status": grid.problem})
            if not grid.problem.startswith("隐藏"):
                problems.append(message)
            continue
        filled = grid.filled if grid.filled is not None else grid.cells != ""
        if grid.cells.size == 0 or not filled.any():
            infos.append(
                {"file": grid.file.name, "sheet": grid.sheet, "cases": 0, "status": "空表"}
            )
            continue
        try:
            cases, issues, excluded, info, column_rows = _read_sheet(
                grid, matcher, profiles, year, today, last.get(grid.file)
            )
        except SheetError as exc:
            issue_parts.append(pd.DataFrame([_sheet_issue(grid.file, grid.sheet, str(exc))]))
            excl_parts.append(_refused_rows(grid, filled))
            infos.append({"file": grid.file.name, "sheet": grid.sheet, "status": str(exc)})
            problems.append(str(exc))
            continue
        if info.get("_header") is not None and not info["_header"].headerless:
            last[grid.file] = (grid.sheet, info["_header"])
        info.pop("_header", None)
        case_parts.append(cases)
        issue_parts.append(issues)
        excl_parts.append(excluded)
        infos.append(info)
        column_parts.append(column_rows)
    if not case_parts:
        detail = (
            "\n".join(f"- {p}" for p in problems) or "- 所有工作表都是空的 / every sheet is empty"
        )
        raise LoadError(f"没有读到任何台账数据 / nothing could be read:\n{detail}")
    parts = [c for c in case_parts if len(c)] or case_parts[:1]
    if len(parts) == 1:  # already conformed by clean_cases
        cases = parts[0]
    else:
        cases = conform_cases(pd.concat(parts, ignore_index=True))
    for col in cases.columns:
        if col in FLAG_COLUMNS:
            cases[col] = cases[col].astype("boolean")
        elif col not in CASE_COLUMNS + PROVENANCE_COLUMNS and cases[col].dtype == object:
            cases[col] = cases[col].astype(TEXT_DTYPE)
    cases, dup_issues = drop_exact_duplicates(cases)
    if len(dup_issues):
        issue_parts.append(dup_issues)
    same_number = same_number_issues(cases)
    if len(same_number):
        issue_parts.append(same_number)
    issue_parts = [p for p in issue_parts if len(p)]
    issues = (
        _finish_text(pd.concat(issue_parts, ignore_index=True), ISSUE_COLUMNS)
        if issue_parts
        else empty_issues()
    )
    excl_parts = [p for p in excl_parts if len(p)]
    excluded = (
        _finish_text(pd.concat(excl_parts, ignore_index=True), EXCLUDED_COLUMNS)
        if excl_parts
        else empty_excluded()
    )
    sources = pd.DataFrame(infos).reindex(
        columns=["file", "sheet", "header_rows", "year", "cases", "status"]
    )
    columns = pd.concat(column_parts, ignore_index=True)
    columns["score"] = columns["score"].astype(float)
    return LoadResult(cases.reset_index(drop=True), issues, excluded, sources, columns)
