"""Classify the rows of a sheet: case, blank, or excluded with a reason."""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd

from ..clean import is_null
from ._header import Header
from ._rowkinds import (
    HINT_ROWS,
    SECTION_LINE,
    first_cell_marks,
    is_hint,
    is_hint_row,
    is_instruction,
    row_key,
)

__all__ = ["classify_rows", "excluded_rows", "fill_body_merges", "is_hint"]

TITLE = "标题或填报信息 (表头上方)"
HEADER = "表头"
REPEATED_HEADER = "重复的表头行"
SECTION = "分节行"
TOTAL = "合计行"
SIGNATURE = "签名或备注行"
NO_CONTENT = "没有案件内容 (只有序号等)"
INSTRUCTION = "填表说明或示例行 (导入模板)"


def fill_body_merges(
    cells: np.ndarray, merged: list[tuple[int, int, int, int]], start: int
) -> None:
    """A value merged over several rows of the body (包案领导 written once) fills every row."""
    for r0, c0, r1, _c1 in merged:
        if r1 > r0 and r0 >= start and c0 < cells.shape[1]:
            value = cells[r0, c0]
            cells[r0 + 1 : r1 + 1, c0] = value


def classify_rows(
    cells: np.ndarray,
    header: Header,
    merged: list[tuple[int, int, int, int]],
    *,
    nonblank: np.ndarray | None = None,
) -> np.ndarray:
    """One entry per grid row: None (blank), "" (a case) or the reason it is excluded.

    ``nonblank``: which cells are not "" when the reader knows it already (Grid.filled)."""
    nonblank, count = _filled_cells(cells, nonblank)
    nrows = cells.shape[0]
    reasons = np.full(nrows, "", dtype=object)
    reasons[count == 0] = None
    above = np.arange(nrows) < header.top
    reasons[above & (count > 0)] = TITLE
    reasons[header.rows] = HEADER
    start = header.body
    if start >= nrows:
        return reasons
    body = _Body(cells[start:], nonblank[start:], count[start:], start)
    todo = body.count > 0
    steps = (
        (REPEATED_HEADER, partial(_repeated_headers, cells, header)),
        (TOTAL, _total_rows),
        (SIGNATURE, _note_rows),
        (INSTRUCTION, _template_rows),
        (SECTION, partial(_section_rows, merged)),
        (NO_CONTENT, partial(_contentless_rows, header)),
    )
    for reason, step in steps:  # each step looks at the rows no earlier step excluded
        found = todo & step(body, todo)
        reasons[start + np.flatnonzero(found)] = reason
        todo &= ~found
    return reasons


def _filled_cells(cells: np.ndarray, nonblank: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Which cells hold something and how many per row: cells of only spaces are blank too
    (checked on rows with few filled cells only)."""
    nrows, ncols = cells.shape
    if nonblank is not None:
        nonblank = nonblank.copy()
    else:
        nonblank = cells != "" if ncols else np.zeros((nrows, 0), dtype=bool)
    count = nonblank.sum(axis=1)
    for i in np.flatnonzero((count > 0) & (count <= 4)):
        for j in np.flatnonzero(nonblank[i]):
            value = cells[i, j]
            if value is None or (isinstance(value, str) and not value.strip()):
                nonblank[i, j] = False
        count[i] = nonblank[i].sum()
    return nonblank, count


class _Body:
    """The rows under the header: cells, which are filled, how many per row, and the first
    filled cell of each row (factorized: each distinct first cell is judged once)."""

    def __init__(self, cells: np.ndarray, nonblank: np.ndarray, count: np.ndarray, start: int):
        self.cells, self.nonblank, self.count, self.start = cells, nonblank, count, start
        self.first_col = np.argmax(nonblank, axis=1) if len(cells) else np.zeros(0, dtype=int)
        self.first_val = cells[np.arange(len(cells)), self.first_col]
        codes, uniques = pd.factorize(self.first_val)
        # what each distinct first cell says, for every row (code -1: no value)
        marks = [np.append(m, False)[codes] for m in first_cell_marks(uniques)]
        self.total_start, self.note_start, self.example = marks


def _repeated_headers(
    cells: np.ndarray, header: Header, body: _Body, todo: np.ndarray
) -> np.ndarray:
    """Two or more cells equal to the header text of their column (four labelled columns are
    enough to recognise a repeated header)."""
    same = np.zeros(len(body.cells), dtype=np.int64)
    checked = 0
    for j in range(cells.shape[1]):
        texts = {cells[r, j] for r in header.rows if isinstance(cells[r, j], str) and cells[r, j]}
        for text in texts:
            same += body.cells[:, j] == text
        checked += bool(texts)
        if checked == 4:
            break
    return same >= 2


def _total_rows(body: _Body, todo: np.ndarray) -> np.ndarray:
    """Total lines (合计 ...): they start at the left or have few cells, so a case whose
    summary happens to start with 合计 (far right, many cells filled) stays a case."""
    return body.total_start & ((body.first_col <= 2) | (body.count <= 3))


def _note_rows(body: _Body, todo: np.ndarray) -> np.ndarray:
    """Signature or note lines (填表人, 注: ...), at the left or with few cells (see above);
    a total line is no note."""
    return body.note_start & ~body.total_start & ((body.first_col <= 2) | (body.count <= 3))


def _template_rows(body: _Body, todo: np.ndarray) -> np.ndarray:
    """An import template's instruction lines (标红色的为必填项…) and example rows (示例), and
    its hint row right under the header: most of its cells say how to fill the column (日期选择,
    必填, 有下拉框选择 ...) instead of holding a value."""
    instruction = todo & body.example
    for k in np.flatnonzero(todo & (body.count <= 3) & ~instruction):
        instruction[k] = is_instruction(body.first_val[k], int(body.count[k]))
    for k in np.flatnonzero(todo[:HINT_ROWS] & ~instruction[:HINT_ROWS]):
        instruction[k] = is_hint_row(list(body.cells[k][body.nonblank[k]]))
    return instruction


def _section_rows(
    merged: list[tuple[int, int, int, int]], body: _Body, todo: np.ndarray
) -> np.ndarray:
    """A single (possibly merged) text cell such as 二、往年积案."""
    merged_starts = {(r0, c0): c1 - c0 for r0, c0, r1, c1 in merged if c1 > c0}
    found = np.zeros(len(body.cells), dtype=bool)
    for k in np.flatnonzero(todo & (body.count <= 2)):
        values = set(body.cells[k][body.nonblank[k]])
        value = next(iter(values)) if len(values) == 1 else None
        if not isinstance(value, str):
            continue
        spans = merged_starts.get((body.start + k, int(body.first_col[k])), 0)
        found[k] = bool(SECTION_LINE.match(row_key(value))) or spans >= 2
    return found


def _contentless_rows(header: Header, body: _Body, todo: np.ndarray) -> np.ndarray:
    """Nothing in any case column (a pre-numbered empty line: only 序号); a row with several
    filled cells has case content, so the sparse ones only are checked."""
    found = np.zeros(len(body.cells), dtype=bool)
    case_cols = [j for j, name in header.columns.items() if name in header.canonical]
    if case_cols:
        for k in np.flatnonzero(todo & (body.count <= 4)):
            found[k] = all(is_null(body.cells[k, j]) for j in case_cols)
    return found


def excluded_rows(file: str, sheet: str, cells: np.ndarray, reasons: np.ndarray) -> pd.DataFrame:
    """The excluded list of one sheet: every row with a reason, its place and a short text
    (masked where it is shown or written, like every list of the loader)."""
    rows = np.flatnonzero((reasons != "") & pd.notna(reasons))
    return pd.DataFrame(
        {
            "source_file": file,
            "source_sheet": sheet,
            "source_row": rows + 1,
            "reason": reasons[rows],
            "content": [_row_text(cells[i]) for i in rows],
        }
    )


def _row_text(row: np.ndarray) -> str:
    """Short text of an excluded row (title, total, note ...) for the excluded list."""
    parts = []
    for value in row:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                continue
        elif isinstance(value, float) and value.is_integer():
            value = str(int(value))
        parts.append(str(value))
    text = " | ".join(dict.fromkeys(parts))
    return text if len(text) <= 80 else text[:79] + "…"
