"""Read workbooks and CSV files into plain grids of cell values (no interpretation yet)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import python_calamine as pc

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
SUFFIXES = EXCEL_SUFFIXES | CSV_SUFFIXES

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class LoadError(Exception):
    """Nothing usable could be read (missing file, empty folder, every sheet unreadable ...).

    The message is in Chinese and names the file and sheet; English may follow.
    """


class SheetError(Exception):
    """One sheet (or file) could not be read; reported in issues, the others go on."""


@dataclass
class Grid:
    """The cells of one sheet: ``cells[i, j]`` is Excel row ``i + 1``, column ``j + 1``.

    Empty cells are ``""``. ``merged`` lists merged ranges as ``(row0, col0, row1, col1)``
    (0-based, inclusive).
    """

    file: Path
    sheet: str
    cells: np.ndarray
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


@dataclass
class Skipped:
    file: Path
    sheet: str
    problem: str


def find_files(paths: object) -> list[Path]:
    """Expand a path, a folder or a list of them into the readable files they hold."""
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)  # type: ignore[call-overload]
    if not items:
        raise LoadError("没有给出要读取的文件 / no file given")
    files: list[Path] = []
    for item in items:
        path = Path(item)
        if not path.exists():
            raise LoadError(f"找不到文件或文件夹: {path} / file or folder not found")
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and p.suffix.lower() in SUFFIXES
                and not p.name.startswith(("~$", ".~", "."))
            )
            if not found:
                raise LoadError(
                    f"文件夹里没有可读取的台账 (.xlsx/.xlsm/.xls/.ods/.csv): {path} "
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


def _open_workbook(path: Path) -> pc.CalamineWorkbook:
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head:
        raise SheetError(f"{path.name}: 文件是空的 (0 字节)")
    if head == _OLE_MAGIC and path.suffix.lower() in {".xlsx", ".xlsm"}:
        raise SheetError(
            f"{path.name}: 工作簿有密码保护, 无法读取; 请在 Excel 里去掉打开密码后另存再试 "
            "/ workbook is password-protected"
        )
    try:
        return pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError as exc:
        raise SheetError(
            f"{path.name}: 工作簿有密码保护, 无法读取 / workbook is password-protected"
        ) from exc
    except (pc.CalamineError, OSError, ValueError) as exc:
        raise SheetError(
            f"{path.name}: 工作簿已损坏或不是 Excel 文件, 无法打开 ({exc}) "
            "/ corrupt or not a workbook"
        ) from exc


def read_workbook(path: Path, sheets: list[str | int] | None) -> Iterator[Grid | Skipped]:
    """Yield one Grid per sheet asked for (all visible sheets when ``sheets`` is None)."""
    book = _open_workbook(path)
    try:
        meta = book.sheets_metadata
        names = [m.name for m in meta]
        if sheets is None:
            wanted = []
            for m in meta:
                if str(m.typ) != "SheetTypeEnum.WorkSheet":
                    continue
                if str(m.visible) != "SheetVisibleEnum.Visible":
                    yield Skipped(path, m.name, f"隐藏的工作表“{m.name}”未读取")
                    continue
                wanted.append(m.name)
        else:
            wanted = []
            for s in sheets:
                if isinstance(s, int):
                    if 0 <= s < len(names):
                        wanted.append(names[s])
                    else:
                        yield Skipped(path, str(s), f"没有第 {s + 1} 个工作表 (共 {len(names)} 个)")
                elif s in names:
                    wanted.append(s)
                else:
                    yield Skipped(path, str(s), f"没有名为“{s}”的工作表; 有: {'、'.join(names)}")
        for name in wanted:
            try:
                sheet = book.get_sheet_by_name(name)
                rows = sheet.to_python(skip_empty_area=False)
                merged_raw = sheet.merged_cell_ranges or []
            except pc.CalamineError as exc:
                yield Skipped(path, name, f"工作表“{name}”无法读取: {exc}")
                continue
            cells = np.array(rows, dtype=object) if rows else np.empty((0, 0), dtype=object)
            if cells.ndim != 2:  # ragged rows (should not happen with calamine): pad
                width = max(len(r) for r in rows)
                cells = np.array([list(r) + [""] * (width - len(r)) for r in rows], dtype=object)
            merged = [(a[0], a[1], b[0], b[1]) for a, b in merged_raw]
            yield Grid(path, name, cells, merged)
    finally:
        book.close()


def detect_encoding(sample: bytes, *, truncated: bool = False) -> str:
    """utf-8-sig, utf-8, then GB18030 (a superset of GBK/GB2312), then charset-normalizer.

    ``sample`` is the start of the file; ``truncated`` says the file goes on after it (so a
    multi-byte character cut at the end of the sample is not an error).
    """
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    for enc in ("utf-8", "gb18030"):
        try:
            sample.decode(enc)
            return enc
        except UnicodeDecodeError as exc:
            if truncated and exc.start >= len(sample) - 4:
                return enc  # the sample cut a multi-byte character in two
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        raise SheetError("无法识别 CSV 文件的编码 (不是 UTF-8 也不是 GBK) / unknown encoding")
    return best.encoding


_SAMPLE = 1 << 20


def read_csv(path: Path) -> Grid:
    """Read a CSV (UTF-8, UTF-8 with BOM, GBK/GB18030; comma, tab or semicolon) as text cells."""
    with path.open("rb") as fh:
        sample = fh.read(_SAMPLE + 1)
    if not sample.strip():
        raise SheetError(f"{path.name}: 文件是空的")
    truncated = len(sample) > _SAMPLE
    encoding = detect_encoding(sample[:_SAMPLE], truncated=truncated)
    head = sample[:20000].decode(encoding, errors="ignore")
    try:
        delimiter = csv.Sniffer().sniff(head, delimiters=",\t;|").delimiter
    except csv.Error:
        delimiter = ","
    head_rows = list(csv.reader(io.StringIO(head), delimiter=delimiter))
    width = max((len(r) for r in head_rows), default=1)
    for enc in dict.fromkeys([encoding, "gb18030"]):
        try:
            return Grid(path, path.stem, _parse_csv(path, enc, delimiter, width), [])
        except UnicodeDecodeError:
            continue
    raise SheetError(
        f"{path.name}: CSV 文件编码有误, 既不是 {encoding} 也不是 GB18030 / cannot decode file"
    )


def _parse_csv(path: Path, encoding: str, delimiter: str, width: int) -> np.ndarray:
    try:
        frame = pd.read_csv(
            path,
            encoding=encoding,
            sep=delimiter,
            header=None,
            names=range(width),
            dtype=object,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
        return frame.to_numpy(dtype=object)
    except pd.errors.ParserError:  # ragged rows wider than the first ones: plain csv module
        with path.open(encoding=encoding, newline="") as fh:
            rows = list(csv.reader(fh, delimiter=delimiter))
        width = max(len(r) for r in rows)
        return np.array([r + [""] * (width - len(r)) for r in rows], dtype=object)
