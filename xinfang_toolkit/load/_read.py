"""Read workbooks and CSV files into plain grids of cell values (no interpretation yet).

.xlsx/.xlsm: fastexcel (calamine into Arrow) behind a pass over the sheet XML (:mod:`._xlsx`);
.xls/.xlsb/.ods: python-calamine; .csv/.txt/.tsv: pyarrow.csv or the csv module (:mod:`._csv`).
A file that cannot be opened (locked, unreadable, corrupt) becomes a :class:`Skipped` entry with
a Chinese message naming it; the other files are read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from .._atomic import OWN_OUTPUT_STEMS, has_mark
from ._csv import detect_encoding, read_csv
from ._grid import CellNote, Grid, LoadError, SheetError, Skipped, choose_sheets
from ._xlsx import read_xlsx

__all__ = [
    "CSV_SUFFIXES",
    "CellNote",
    "Grid",
    "LoadError",
    "SheetError",
    "Skipped",
    "detect_encoding",
    "find_files",
    "is_own_output",
    "read_csv",
    "read_file",
    "read_workbook",
]

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
FASTEXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
SUFFIXES = EXCEL_SUFFIXES | CSV_SUFFIXES

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


OWN_OUTPUT = (
    "本工具包自己写出的文件 ({why}), 不是原始台账, 未读取 (以免重复计数或把打码后的数据当作台账); "
    "如确是台账, 请改名或另存 / written by xinfang_toolkit itself, not read as a ledger"
)


def is_own_output(path: Path) -> bool:
    """Whether ``path`` is a workbook the toolkit wrote (its mark in the document properties)."""
    return path.suffix.lower() in FASTEXCEL_SUFFIXES and has_mark(path)


def find_files(paths: object, *, own: list[Path] | None = None) -> list[Path]:
    """Expand a path, a folder or a list of them into the readable files they hold.

    Files in a folder named like the toolkit's own outputs (案件清单.xlsx, 问题清单.csv ...)
    are left out (and appended to ``own`` when it is given): ``xinfang load 台账 -o 台账``
    followed by ``xinfang report 台账`` counts each case once. Workbooks carrying the toolkit's
    mark are skipped when read (:func:`read_file`), wherever they come from."""
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)  # type: ignore[call-overload]
    if not items:
        raise LoadError("没有给出要读取的文件 / no file given")
    files: list[Path] = []
    for item in items:
        path = Path(item)
        if not path.exists():
            raise LoadError(f"找不到文件或文件夹: {path} / file or folder not found")
        if path.is_dir():
            listed = sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and p.suffix.lower() in SUFFIXES
                and not p.name.startswith(("~$", ".~", "."))
            )
            found = [p for p in listed if p.stem not in OWN_OUTPUT_STEMS]
            if own is not None:
                own.extend(p for p in listed if p.stem in OWN_OUTPUT_STEMS)
            if not found:
                mine = "" if len(found) == len(listed) else " (其中的文件都是本工具包写出的结果)"
                raise LoadError(
                    f"文件夹里没有可读取的台账 (.xlsx/.xlsm/.xls/.ods/.csv){mine}: {path} "
                    "/ no workbook or CSV in folder"
                )
            files.extend(found)
        elif path.suffix.lower() not in SUFFIXES:
            raise LoadError(
                f"不支持的文件类型 {path.suffix or '(无扩展名)'}: {path}; "
                "支持 .xlsx/.xlsm/.xls/.ods/.csv / unsupported file type"
            )
        else:
            files.append(path)
    return files


_LOCKED = (
    "{name}: 文件被占用或没有读取权限, 无法打开 (是否正在 Excel/WPS 中打开? 关闭后重试) "
    "/ file locked or not readable"
)


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(8)
    except PermissionError as exc:
        raise SheetError(_LOCKED.format(name=path.name)) from exc
    except OSError as exc:
        raise SheetError(f"{path.name}: 文件无法打开 ({exc.strerror or exc})") from exc


def read_workbook(path: Path, sheets: list[str | int] | None) -> Iterator[Grid | Skipped]:
    """Yield one Grid per sheet asked for (all visible sheets when ``sheets`` is None)."""
    head = _head(path)
    if not head:
        raise SheetError(f"{path.name}: 文件是空的 (0 字节)")
    if head == _OLE_MAGIC and path.suffix.lower() in FASTEXCEL_SUFFIXES:
        raise SheetError(
            f"{path.name}: 工作簿有密码保护, 无法读取; 请在 Excel 里去掉打开密码后另存再试 "
            "/ workbook is password-protected"
        )
    if path.suffix.lower() in FASTEXCEL_SUFFIXES and head.startswith(_ZIP_MAGIC):
        if is_own_output(path):
            raise SheetError(f"{path.name}: " + OWN_OUTPUT.format(why="文档属性中有本工具包的标记"))
        yield from read_xlsx(path, sheets)
    else:
        yield from _calamine_sheets(path, sheets)


def _calamine_sheets(path: Path, sheets: list[str | int] | None) -> Iterator[Grid | Skipped]:
    """.xls/.xlsb/.ods (and anything not a zip) through python-calamine."""
    import python_calamine as pc

    try:
        book = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError as exc:
        raise SheetError(
            f"{path.name}: 工作簿有密码保护, 无法读取 / workbook is password-protected"
        ) from exc
    except (pc.CalamineError, OSError, ValueError) as exc:
        raise SheetError(
            f"{path.name}: 工作簿已损坏或不是 Excel 文件, 无法打开 ({exc}) "
            "/ corrupt or not a workbook"
        ) from exc
    try:
        meta = book.sheets_metadata
        listing = [
            (
                m.name,
                str(m.typ) == "SheetTypeEnum.WorkSheet",
                str(m.visible) == "SheetVisibleEnum.Visible",
            )
            for m in meta
        ]
        chosen, skipped = choose_sheets(path, sheets, listing)
        yield from skipped
        wanted = [listing[k][0] for k in chosen]
        for name in wanted:
            try:
                sheet = book.get_sheet_by_name(name)
                rows = sheet.to_python(skip_empty_area=False)
                merged_raw = sheet.merged_cell_ranges or []
            except pc.CalamineError as exc:
                yield Skipped(path, name, f"工作表“{name}”无法读取: {exc}")
                continue
            width = max((len(r) for r in rows), default=0)
            cells = np.full((len(rows), width), "", dtype=object)
            for i, r in enumerate(rows):
                cells[i, : len(r)] = r
            merged = [(a[0], a[1], b[0], b[1]) for a, b in merged_raw]
            yield Grid(path, name, cells, merged)
    finally:
        book.close()


_FATAL = (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)


def read_file(path: Path, sheets: list[str | int] | None) -> Iterator[Grid | Skipped]:
    """The grids of one file; a file that cannot be read at all gives one Skipped entry."""
    try:
        if path.suffix.lower() in CSV_SUFFIXES:
            _head(path)
            yield read_csv(path)
        else:
            yield from read_workbook(path, sheets)
    except SheetError as exc:
        yield Skipped(path, "", str(exc))
    except PermissionError:
        yield Skipped(path, "", _LOCKED.format(name=path.name))
    except OSError as exc:
        yield Skipped(path, "", f"{path.name}: 文件无法读取 ({exc.strerror or exc}) / unreadable")
    except _FATAL:
        raise
    except BaseException as exc:  # noqa: BLE001 - a corrupt file can make a Rust reader panic
        # (pyo3's PanicException derives from BaseException); report it and read the rest
        yield Skipped(
            path,
            "",
            f"{path.name}: 文件已损坏或格式不对, 无法读取 ({type(exc).__name__}: {exc}) "
            "/ corrupt file",
        )
