"""The rows of ``issues`` and ``excluded`` that a sheet itself gives rise to: one issue for a
whole sheet, for its columns read by content, for its placeholders and for cells the reader
noticed; excluded rows of a sheet that could not be read and of stray cells outside it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .._placeholders import PLACEHOLDER_FIELDS, placeholder_mask
from ..schema import LABELS_ZH
from ._grid import CellNote, column_letter
from ._read import Grid
from ._values import CONTENT, kind_of


def short(text: object) -> str:
    """A header text for one line of a message: no spaces, at most 16 characters."""
    text = re.sub(r"\s+", "", str(text))
    return text if len(text) <= 16 else text[:15] + "…"


def sheet_issue(file: Path, sheet: str, problem: str) -> dict[str, object]:
    return {
        "source_file": file.name,
        "source_sheet": sheet,
        "source_row": pd.NA,
        "column": "",
        "value": "",
        "problem": problem,
    }


def content_issue(grid: Grid, header) -> dict[str, object]:
    """The one issue of a sheet whose columns were (partly) recognised by their values: a sheet
    without a header row (a 续表, a CSV saved without one), or headers nobody here knows."""
    mapped = [
        f"{column_letter(j)} {short(header.labels.get(j, '')) if not header.headerless else ''}"
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
        return sheet_issue(grid.file, grid.sheet, problem)
    if header.headerless and not mapped:  # every column as a saved layout profile says
        return sheet_issue(
            grid.file,
            grid.sheet,
            f"{where}: 没有表头行 (第 {header.body + 1} 行起就是数据), 每一行都按案件读入; "
            "各列按保存的表头映射 (同样列数和各列内容的无表头版式) 对应",
        )
    if header.headerless:
        lead = (
            f"{where}: 没有表头行 (第 {header.body + 1} 行起就是数据, 如续表或没有表头的导出), "
            "每一行都按案件读入; 各列按内容判断"
        )
    else:
        lead = f"{where}: 第 {header.top + 1} 行的表头有认不出的列名, 这些列按内容判断"
    problem = f"{lead}: {'; '.join(mapped)} (请核对, 可用 mapping= 或表头映射工具改正)"
    return sheet_issue(grid.file, grid.sheet, problem)


def placeholder_issues(cases: pd.DataFrame, grid: Grid) -> list[dict[str, object]]:
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
        out.append(sheet_issue(grid.file, grid.sheet, problem) | {"column": col})
    return out


def label_text(label: object) -> str:
    """A header text for a message, or … when it looks like personal data or a value."""
    if kind_of(label) in ("name", "phone", "id", "date", "datetime", "longtext", "code"):
        return "…"
    return str(label)


def note_issue(grid: Grid, note: CellNote, columns: Mapping[int, str]) -> dict[str, object]:
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


def refused_rows(grid: Grid, filled: np.ndarray) -> pd.DataFrame:
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


def outside_rows(grid: Grid) -> pd.DataFrame:
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
