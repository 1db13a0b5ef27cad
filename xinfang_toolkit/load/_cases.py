"""``load_cases``: every sheet of every file read (:mod:`._sheet`) and put together into one
:class:`LoadResult`; see the package docstring."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..clean import FLAG_COLUMNS
from ..schema import (
    CASE_COLUMNS,
    EXCLUDED_COLUMNS,
    ISSUE_COLUMNS,
    PROVENANCE_COLUMNS,
    TEXT_DTYPE,
    conform_cases,
    empty_excluded,
    empty_issues,
)
from ._dedupe import drop_exact_duplicates, same_number_issues
from ._header import Header, HeaderMatcher, build_synonyms
from ._issues import refused_rows, sheet_issue
from ._profile import read_mapping
from ._read import OWN_OUTPUT, Grid, LoadError, SheetError, Skipped, find_files, read_file
from ._result import LoadResult
from ._sheet import read_sheet

#: columns of ``LoadResult.sources``: one row per sheet looked at; ``period`` is the day (or the
#: last day of the months) its title names, else its sheet name, else its file name, and
#: ``period_source`` says which (标题/工作表名/文件名); the archive dates a ledger by it
SOURCE_TABLE = (
    "file",
    "sheet",
    "header_rows",
    "year",
    "period",
    "period_source",
    "cases",
    "status",
)


def _as_sheets(sheets: object) -> list[str | int] | None:
    if sheets is None:
        return None
    if isinstance(sheets, (str, int)):
        return [sheets]
    return list(sheets)  # type: ignore[call-overload]


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
    parts = _Parts()
    for path in own:
        parts.own_output(path)
    last: dict[Path, tuple[str, Header]] = {}  # the last header read in each file (for 续表)
    for grid in _grids(files, _as_sheets(sheets)):
        if isinstance(grid, Skipped):
            parts.skipped(grid)
            continue
        filled = grid.filled if grid.filled is not None else grid.cells != ""
        if grid.cells.size == 0 or not filled.any():
            parts.infos.append(
                {"file": grid.file.name, "sheet": grid.sheet, "cases": 0, "status": "空表"}
            )
            continue
        try:
            read = read_sheet(grid, matcher, profiles, year, today, last.get(grid.file))
        except SheetError as exc:
            parts.refused(grid, filled, str(exc))
            continue
        header = read[3].pop("_header", None)
        if header is not None and not header.headerless:
            last[grid.file] = (grid.sheet, header)
        parts.read(*read)
    return parts.result()


class _Parts:
    """What the sheets of one load gave, gathered sheet by sheet and put together at the end."""

    def __init__(self) -> None:
        self.cases: list[pd.DataFrame] = []
        self.issues: list[pd.DataFrame] = []
        self.excluded: list[pd.DataFrame] = []
        self.columns: list[pd.DataFrame] = []
        self.infos: list[dict[str, object]] = []
        self.problems: list[str] = []  # why sheets could not be read (for LoadError)

    def own_output(self, path: Path) -> None:
        """A file the toolkit wrote itself (found in a folder): listed, not read."""
        message = f"{path.name}: " + OWN_OUTPUT.format(why="文件名与本工具包的输出相同")
        self.issues.append(pd.DataFrame([sheet_issue(path, "", message)]))
        self.infos.append({"file": path.name, "sheet": "", "status": message})

    def skipped(self, grid: Skipped) -> None:
        """A file or sheet the reader skipped (hidden, locked, corrupt ...)."""
        where = f"{grid.file.name}" + (f" / 工作表“{grid.sheet}”" if grid.sheet else "")
        message = grid.problem if grid.file.name in grid.problem else f"{where}: {grid.problem}"
        self.issues.append(pd.DataFrame([sheet_issue(grid.file, grid.sheet, message)]))
        self.infos.append({"file": grid.file.name, "sheet": grid.sheet, "status": grid.problem})
        if not grid.problem.startswith("隐藏"):
            self.problems.append(message)

    def refused(self, grid: Grid, filled: np.ndarray, problem: str) -> None:
        """A sheet that holds no ledger: its non-empty rows excluded, the reason an issue."""
        self.issues.append(pd.DataFrame([sheet_issue(grid.file, grid.sheet, problem)]))
        self.excluded.append(refused_rows(grid, filled))
        self.infos.append({"file": grid.file.name, "sheet": grid.sheet, "status": problem})
        self.problems.append(problem)

    def read(
        self,
        cases: pd.DataFrame,
        issues: pd.DataFrame,
        excluded: pd.DataFrame,
        info: dict[str, object],
        columns: pd.DataFrame,
    ) -> None:
        """A sheet read (:func:`read_sheet`)."""
        self.cases.append(cases)
        self.issues.append(issues)
        self.excluded.append(excluded)
        self.infos.append(info)
        self.columns.append(columns)

    def result(self) -> LoadResult:
        """The LoadResult of every sheet; LoadError when no sheet was read."""
        if not self.cases:
            detail = "\n".join(f"- {p}" for p in self.problems)
            detail = detail or "- 所有工作表都是空的 / every sheet is empty"
            raise LoadError(f"没有读到任何台账数据 / nothing could be read:\n{detail}")
        cases = _all_cases(self.cases)
        cases, dup_issues = drop_exact_duplicates(cases)
        issue_parts = [*self.issues, dup_issues, same_number_issues(cases)]
        issue_parts = [p for p in issue_parts if len(p)]
        issues = (
            _finish_text(pd.concat(issue_parts, ignore_index=True), ISSUE_COLUMNS)
            if issue_parts
            else empty_issues()
        )
        excl_parts = [p for p in self.excluded if len(p)]
        excluded = (
            _finish_text(pd.concat(excl_parts, ignore_index=True), EXCLUDED_COLUMNS)
            if excl_parts
            else empty_excluded()
        )
        sources = pd.DataFrame(self.infos).reindex(columns=list(SOURCE_TABLE))
        sources["period"] = pd.to_datetime(sources["period"])
        columns = pd.concat(self.columns, ignore_index=True)
        columns["score"] = columns["score"].astype(float)
        return LoadResult(cases.reset_index(drop=True), issues, excluded, sources, columns)


def _all_cases(case_parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The cases of every sheet in one frame: flag columns boolean, unmapped text columns
    TEXT_DTYPE."""
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
    return cases
