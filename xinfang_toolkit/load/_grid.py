"""What the readers hand to the loader: a grid of raw cells per sheet, and what they noticed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


class LoadError(Exception):
    """Nothing usable could be read (missing file, empty folder, every sheet unreadable ...).

    The message is in Chinese and names the file and sheet; English may follow.
    """


class SheetError(Exception):
    """One sheet (or file) could not be read; reported in issues, the others go on."""


@dataclass(frozen=True)
class CellNote:
    """Something a reader noticed about one cell (0-based ``row``/``col`` of the sheet).

    ``outside``: the cell lies outside the grid (a stray cell far from the table, not read
    into ``cells``); its row is reported as excluded when no other cell of the grid is in it.
    """

    row: int
    col: int
    value: str
    problem: str
    outside: bool = False


@dataclass
class Grid:
    """The cells of one sheet: ``cells[i, j]`` is Excel row ``i + 1``, column ``j + 1``.

    Empty cells are ``""``. ``merged`` lists merged ranges as ``(row0, col0, row1, col1)``
    (0-based, inclusive). ``notes`` are the cells the reader changed or could not read.
    ``filled``: ``cells != ""`` when the reader knows it without comparing every cell.
    """

    file: Path
    sheet: str
    cells: np.ndarray
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    notes: list[CellNote] = field(default_factory=list)
    filled: np.ndarray | None = None


@dataclass
class Skipped:
    file: Path
    sheet: str
    problem: str


def column_letter(col: int) -> str:
    """0-based column number -> Excel letters (0 -> A, 26 -> AA)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_number(letters: str) -> int:
    """Excel letters -> 0-based column number (A -> 0, AA -> 26)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def choose_sheets(
    path: Path, sheets: list[str | int] | None, listing: list[tuple[str, bool, bool]]
) -> tuple[list[int], list[Skipped]]:
    """Which sheets of a workbook to read: positions in ``listing`` (name, is a worksheet,
    visible), and a Skipped entry for each hidden sheet or each asked-for sheet that is missing.
    ``sheets`` None: every visible worksheet."""
    names = [name for name, _, _ in listing]
    wanted: list[int] = []
    skipped: list[Skipped] = []
    if sheets is None:
        for k, (name, worksheet, visible) in enumerate(listing):
            if not worksheet:
                continue
            if not visible:
                skipped.append(Skipped(path, name, f"隐藏的工作表“{name}”未读取"))
                continue
            wanted.append(k)
        return wanted, skipped
    for s in sheets:
        if isinstance(s, int):
            if 0 <= s < len(names):
                wanted.append(s)
            else:
                skipped.append(
                    Skipped(path, str(s), f"没有第 {s + 1} 个工作表 (共 {len(names)} 个)")
                )
        elif s in names:
            wanted.append(names.index(s))
        else:
            skipped.append(Skipped(path, str(s), f"没有名为“{s}”的工作表; 有: {'、'.join(names)}"))
    return wanted, skipped
