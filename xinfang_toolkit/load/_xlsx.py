""".xlsx/.xlsm sheets through fastexcel (calamine into Arrow), guarded by one pass over the XML.

calamine builds a dense range from the first to the last cell of a sheet, so one stray cell at
XFD1048576 asks for 16384 x 1048576 cells (512 GiB) and aborts the process. Before calamine
sees a sheet, :func:`scan_sheet` streams its XML once (decompressing, not parsing) and finds:

* the extent of the cells (last row, widest column) - far stray cells are cut off and reported;
* number cells too long for Excel (a 18-digit ID stored as a number): fastexcel gives text for
  mixed columns, so these cells get their number back (the loader reports the lost digits);
* formula cells without a cached value (written by a program, never calculated);
* the merged ranges (fastexcel does not list them).

calamine also reads the whole shared-string table (``xl/sharedStrings.xml``) into memory before
any sheet: 60 million empty strings compress to 2.5 MB and abort the process. Before calamine
opens a workbook, :func:`check_shared_strings` looks at the table's size in the zip directory,
its ``count``/``uniqueCount`` attributes and then counts the strings themselves in one streamed
pass that stops at the cap (attributes and the directory can lie); a workbook over the cap is
refused with a Chinese message naming it, and the other files of the folder are read.

The sheet is then read as text by fastexcel in one pass; date-time cells come back as dates.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from ._arrow import grid_from_arrow
from ._grid import (
    CellNote,
    Grid,
    SheetError,
    Skipped,
    choose_sheets,
    column_letter,
    column_number,
)

#: at most this many cells (rows x columns) in calamine's dense range (32 bytes each)
MAX_CELLS = 40_000_000
#: at most this many shared strings (calamine keeps each as a string: ~64 bytes or more)
MAX_SHARED_STRINGS = 20_000_000
#: at most this many bytes of shared-string XML (uncompressed)
MAX_SHARED_BYTES = 1 << 30
#: at most this many bytes (uncompressed) for the workbook's small parts: workbook.xml and its
#: relationships (read whole here) and styles.xml (read whole by calamine); real ones are < 1 MB
MAX_PART_BYTES = 64 << 20
#: a cell this many empty rows / columns beyond the rest of the table is a stray cell
_ROW_GAP = 10_000
_COL_GAP = 200


_P = rb"(?:\w+:)?"  # an optional namespace prefix (x:c)
_WIDE_REF = re.compile(rb' r="([A-Z]{2,3})[0-9]')
_COL_A = re.compile(
    rb"<" + _P + rb'c r="A[0-9]+"[^>]*>(?:<' + _P + rb"f[^>]*(?:/>|>[^<]*</" + _P + rb"f>))?"
    rb"<" + _P + rb"(?:v>[^<]|is>)"
)
_ANY_REF = re.compile(rb"<" + _P + rb'c r="([A-Z]+)[0-9]')
_ROW = re.compile(rb"<" + _P + rb'row r="([0-9]+)"')
_ROW_END = re.compile(rb"</\w+:row>")
_CELL = re.compile(
    rb"<" + _P + rb'c r="([A-Z]+)([0-9]+)"([^>]*?)(?:/>|>(.*?)</' + _P + rb"c>)", re.S
)
_FORMULA = re.compile(rb"<" + _P + rb"f(?:\s[^>]*)?(?:/>|>(.*?)</" + _P + rb"f>)", re.S)
_VALUE = re.compile(rb"<" + _P + rb"(?:v>[^<]|is>)")
_MERGE = re.compile(rb"<" + _P + rb'mergeCell ref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"')
#: pieces of XML a scan looks at (small enough to stay in the processor's cache)
_CHUNK = 1 << 18

NO_CACHED_VALUE = (
    "公式没有保存计算结果 (文件由程序生成、从未在 Excel 中计算过), 读到的是空值: "
    "请在 Excel 中打开、保存后再导入 / formula without a cached value"
)


@dataclass
class SheetScan:
    """What one pass over a sheet's XML found (0-based rows and columns)."""

    last_row: int = -1
    last_col: int = 25  # at least column Z (single-letter references are not looked at)
    has_col_a: bool = False
    first_col: int | None = None
    numbers: dict[tuple[int, int], float] = field(default_factory=dict)
    formulas: list[tuple[int, int, str]] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


_REF = re.compile(rb'\sr="([A-Z]+)([0-9]+)"')
_TYPE = re.compile(rb'\st="([a-z]+)"')


def _number_cell_at(chunk: bytes, pos: int) -> tuple[int, int] | None:
    """The (row, col) of the cell element holding position ``pos`` if it is a number cell."""
    lo = max(0, pos - 4096)
    start = max(chunk.rfind(b"<c ", lo, pos), chunk.rfind(b":c ", lo, pos))
    if start < 0:
        return None
    tag = chunk[start : chunk.find(b">", start)]
    kind = _TYPE.search(tag)
    ref = _REF.search(tag)
    if ref is None or (kind is not None and kind[1] != b"n"):
        return None  # a shared string, inline text or formula text
    return int(ref[2]) - 1, column_number(ref[1].decode())


#: digits folded to 0 and capital letters to A: runs of 16 digits and wide column references
#: are found with plain substring searches (C speed) in one folded copy of a chunk
_FOLD = bytes.maketrans(b"123456789BCDEFGHIJKLMNOPQRSTUVWXYZ", b"000000000" + b"A" * 25)
_DIGITS16 = b"0" * 16  # a number written with 16 digits or more
_WIDE_NEEDLE = b' r="AA'  # a reference to column AA or beyond


def _big_number_hits(chunk: bytes, folded: bytes) -> list[int]:
    """Where a number of 1e15 or more may be written: 16 digits in a row, or a two-digit
    exponent (``1.1E+17``; the ``+`` is found with memchr, it is rare in sheet XML)."""
    hits = []
    pos = folded.find(_DIGITS16)
    while pos >= 0:
        hits.append(pos)
        pos = folded.find(_DIGITS16, pos + len(_DIGITS16))
    pos = chunk.find(b"+")
    while pos >= 0:
        if chunk[pos - 1 : pos] in (b"E", b"e") and chunk[pos + 1 : pos + 3].isdigit():
            hits.append(pos - 1)
        pos = chunk.find(b"+", pos + 1)
    return hits


def _big_numbers(chunk: bytes, folded: bytes, scan: SheetScan) -> None:
    """Number cells of 1e15 or more (Excel keeps 15 digits; an ID stored as a number)."""
    for pos in _big_number_hits(chunk, folded):
        start = chunk.rfind(b"v>", max(0, pos - 40), pos + 2)
        if start >= 0:
            text = chunk[start + 2 : chunk.find(b"<", start)]
            try:
                number = float(text)
            except ValueError:
                number = 0.0
            if abs(number) >= 1e15 and (ref := _number_cell_at(chunk, start)) is not None:
                scan.numbers[ref] = number


def _scan_chunk(chunk: bytes, scan: SheetScan) -> None:
    if not scan.has_col_a:
        if _COL_A.search(chunk):
            scan.has_col_a = True
        else:
            cols = set(_ANY_REF.findall(chunk))
            if cols:
                low = min(column_number(c.decode()) for c in cols)
                scan.first_col = low if scan.first_col is None else min(scan.first_col, low)
    folded = chunk.translate(_FOLD)
    if _WIDE_NEEDLE in folded:
        wide = set(_WIDE_REF.findall(chunk))
        if wide:
            scan.last_col = max(scan.last_col, *(column_number(c.decode()) for c in wide))
    rows = _ROW.findall(chunk[-4096:]) or _ROW.findall(chunk)
    if rows:
        scan.last_row = max(scan.last_row, int(rows[-1]) - 1)
    _big_numbers(chunk, folded, scan)
    # formulas and merged ranges are rare: a one-byte memchr ("f", "g" are in no tag or
    # attribute of plain cells and rows) decides whether the longer search is needed
    if b"f" in chunk and b"f>" in chunk:  # </f> or </x:f>
        for m in _CELL.finditer(chunk):
            inner = m[4] or b""
            f = _FORMULA.search(inner)
            after = inner[f.end() :] if f else b""
            # Excel writes a formula whose result is "" as t="str" with an empty <v></v>
            cached_empty = b't="str"' in m[3] and b"<v" in after
            if f and not _VALUE.search(after) and not cached_empty:
                text = (f[1] or b"").decode("utf-8", "replace")
                scan.formulas.append(
                    (int(m[2]) - 1, column_number(m[1].decode()), f"={text}" if text else "")
                )
    if b"g" in chunk and b"mergeCell " in chunk:
        for m in _MERGE.finditer(chunk):
            r0, c0 = int(m[2]) - 1, column_number(m[1].decode())
            r1, c1 = (int(m[4]) - 1, column_number(m[3].decode())) if m[3] else (r0, c0)
            scan.merged.append((r0, c0, r1, c1))


def _aligned_chunks(fh: io.BufferedIOBase) -> Iterator[bytes]:
    """The XML in pieces that end after a ``</row>`` (elements are never cut in two). A row
    longer than a piece is gathered in a list and joined once (no copying per piece read)."""
    pending: list[bytes] = []
    while block := fh.read(_CHUNK):
        cut = block.rfind(b"</row>")
        if cut >= 0:
            cut += len(b"</row>")
        else:  # </x:row>; a bare "row>" may be text inside a cell (<t>arrow></t>)
            ends = [m.end() for m in _ROW_END.finditer(block)]
            cut = ends[-1] if ends else -1
        if cut < 0:
            pending.append(block)
            continue
        pending.append(block[:cut])
        yield b"".join(pending)
        pending = [block[cut:]]
    if any(pending):
        yield b"".join(pending)


def scan_sheet(book: zipfile.ZipFile, member: str) -> SheetScan:
    scan = SheetScan()
    with book.open(member) as fh:
        for chunk in _aligned_chunks(fh):
            _scan_chunk(chunk, scan)
    return scan


_SST_ROOT = re.compile(rb"<(\w+:)?sst[\s>]")
_SST_COUNT = re.compile(rb"\s(?:unique)?[cC]ount=\"([0-9]+)\"")


def _shared_strings_member(book: zipfile.ZipFile) -> zipfile.ZipInfo | None:
    for item in book.infolist():
        if item.filename.lower().endswith("sharedstrings.xml"):
            return item
    return None


def _too_many(path: Path, what: str) -> SheetError:
    return SheetError(
        f"{path.name}: 共享字符串表过大 ({what}), 超过上限 {MAX_SHARED_STRINGS:,} 个 / "
        f"{MAX_SHARED_BYTES >> 20:,} MB, 可能是恶意构造的文件 (解压炸弹), 未读取; "
        "同一文件夹的其他文件照常读取 / shared-string table too large, file refused"
    )


def check_shared_strings(book: zipfile.ZipFile, path: Path) -> int:
    """The number of shared strings of a workbook; :class:`SheetError` if over the caps.

    Looks at the uncompressed size in the zip directory and the ``count``/``uniqueCount``
    attributes first, then counts the ``<si>`` elements while decompressing in pieces (nothing
    kept), stopping as soon as the count or the bytes pass the cap.
    """
    item = _shared_strings_member(book)
    if item is None:
        return 0
    if item.file_size > MAX_SHARED_BYTES:
        raise _too_many(path, f"解压后 {item.file_size >> 20:,} MB")
    count, size, carry, needles = 0, 0, b"", None
    with book.open(item) as fh:
        while block := fh.read(_CHUNK):
            size += len(block)
            if size > MAX_SHARED_BYTES:
                raise _too_many(path, f"解压后超过 {MAX_SHARED_BYTES >> 20:,} MB")
            buf = carry + block
            if needles is None:
                root = _SST_ROOT.search(buf)
                if root is None and len(buf) < 4096:
                    carry = buf
                    continue
                prefix = (root[1] or b"") if root else b""
                # every <si>, <si/>, <si ...> and <si> with a line break: one count (no other
                # element of the table starts so, and "<" is escaped in text)
                needles = [b"<" + prefix + b"si"]
                head = buf[: root.end() + 400] if root else b""
                declared = [int(v) for v in _SST_COUNT.findall(head)]
                if declared and max(declared) > MAX_SHARED_STRINGS:
                    raise _too_many(path, f"声明 {max(declared):,} 个")
                carry = b""
            # an element ending in the carried tail was counted with the previous piece
            count += sum(buf.count(n) - carry.count(n) for n in needles)
            if count > MAX_SHARED_STRINGS:
                raise _too_many(path, f"超过 {MAX_SHARED_STRINGS:,} 个")
            carry = buf[-8:]
    return count


class _PartTooLarge(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _read_part(book: zipfile.ZipFile, name: str, *, keep: bool = True) -> bytes:
    """A small part of the workbook, decompressed in pieces and refused past MAX_PART_BYTES
    (the size in the zip directory can lie); ``keep=False`` only measures it."""
    pieces, size = [], 0
    with book.open(name) as fh:
        while block := fh.read(_CHUNK):
            size += len(block)
            if size > MAX_PART_BYTES:
                raise _PartTooLarge(name)
            if keep:
                pieces.append(block)
    return b"".join(pieces)


def check_parts(book: zipfile.ZipFile) -> None:
    """The styles part is small enough for calamine to read whole (it is, in real workbooks)."""
    for item in book.infolist():
        if item.filename.lower().endswith("styles.xml"):
            _read_part(book, item.filename, keep=False)


@dataclass
class _SheetInfo:
    name: str
    member: str | None  # the worksheet XML (None: a chart sheet)
    visible: bool


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheets(book: zipfile.ZipFile) -> list[_SheetInfo]:
    """Sheets in workbook order, from xl/workbook.xml and its relationships (transitional or
    strict OOXML namespaces alike: elements are matched by their local name)."""
    workbook = next(
        (n for n in book.namelist() if n.lower() in ("xl/workbook.xml", "xl/workbook2.xml")),
        "xl/workbook.xml",
    )
    base = PurePosixPath(workbook).parent
    rels_name = str(base / "_rels" / (PurePosixPath(workbook).name + ".rels"))
    targets: dict[str, tuple[str, str]] = {}
    for rel in ElementTree.fromstring(_read_part(book, rels_name)).iter():
        if _local(rel.tag) != "Relationship":
            continue
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else str(base / target)
        targets[rel.get("Id", "")] = (path, rel.get("Type", ""))
    out = []
    for sheet in ElementTree.fromstring(_read_part(book, workbook)).iter():
        if _local(sheet.tag) != "sheet":
            continue
        rid = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), "")
        path, kind = targets.get(rid, ("", ""))
        member = path if kind.endswith("/worksheet") else None
        visible = sheet.get("state", "visible") == "visible"
        out.append(_SheetInfo(sheet.get("name", ""), member, visible))
    return out


def _block(scan_cells: list[tuple[int, int]]) -> tuple[int, int]:
    """Last row and column of the table proper: cells after a gap of more than _ROW_GAP empty
    rows (or _COL_GAP empty columns) are strays."""

    def edge(values: list[int], gap: int) -> int:
        values = sorted(set(values))
        last = values[0]
        for v in values[1:]:
            if v - last > gap:
                break
            last = v
        return last

    return edge([r for r, _ in scan_cells], _ROW_GAP), edge([c for _, c in scan_cells], _COL_GAP)


def _replace_member(book: zipfile.ZipFile, member: str, xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for item in book.infolist():  # new ZipInfo: writestr changes the one it is given
            data = xml if item.filename == member else book.read(item.filename)
            new.writestr(zipfile.ZipInfo(item.filename, item.date_time), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _cut_strays(
    book: zipfile.ZipFile, member: str, name: str, path: Path
) -> tuple[bytes, list[CellNote]]:
    """The workbook without the far stray cells of one sheet, and a note per stray cell (with its
    value, read by fastexcel from a copy where the strays are moved to column A)."""
    import fastexcel

    xml = book.read(member)
    cells = [
        (int(m[2]) - 1, column_number(m[1].decode()), m.start(), m.end())
        for m in _CELL.finditer(xml)
        if m[4] and _VALUE.search(m[4])
    ]
    if not cells:
        return _replace_member(book, member, xml), []
    last_row, last_col = _block([(r, c) for r, c, _, _ in cells])
    strays = [c for c in cells if c[0] > last_row or c[1] > last_col]
    if (last_row + 1) * (last_col + 1) > MAX_CELLS:
        raise SheetError(
            f"{path.name} / 工作表“{name}”: 表格太大 ({last_row + 1} 行 x {last_col + 1} 列), "
            "无法读取 / sheet too large"
        )
    kept, moved, pos = [], [], 0
    for k, (_r, _c, start, end) in enumerate(strays):
        kept.append(xml[pos:start])
        pos = end
        cell = re.sub(rb'r="[A-Z]+[0-9]+"', f'r="A{k + 1}"'.encode(), xml[start:end], count=1)
        moved.append(b'<row r="%d">%s</row>' % (k + 1, cell))
    kept.append(xml[pos:])
    head = xml[: xml.find(b"<sheetData")] if b"<sheetData" in xml else b""
    tail = xml[xml.find(b"</sheetData>") + len(b"</sheetData>") :] if head else b""
    strays_xml = head + b"<sheetData>" + b"".join(moved) + b"</sheetData>" + tail
    values = (
        fastexcel.read_excel(_replace_member(book, member, strays_xml))
        .load_sheet(name, header_row=None, dtypes="string", skip_rows=0)
        .to_arrow()
        .column(0)
        .to_pylist()
    )
    notes = [
        CellNote(
            r,
            c,
            str(v or ""),
            f"{column_letter(c)}{r + 1} 是远离表格的孤立单元格 (表格到第 {last_row + 1} 行、"
            f"{column_letter(last_col)} 列), 未读入; 它让工作表范围变成 {r + 1} 行 x {c + 1} 列 "
            "/ stray cell far outside the table, not read",
            outside=True,
        )
        for (r, c, _s, _e), v in zip(strays, values, strict=False)
    ]
    return _replace_member(book, member, b"".join(kept)), notes


def read_xlsx(path: Path, sheets: list[str | int] | None) -> Iterator[Grid | Skipped]:
    """Yield one Grid per sheet asked for (all visible worksheets when ``sheets`` is None)."""
    import fastexcel

    data = path.read_bytes()
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        infos = _sheets(book)
        check_parts(book)
        check_shared_strings(book, path)
    except _PartTooLarge as exc:
        raise SheetError(
            f"{path.name}: 工作簿的 {exc.name} 解压后超过 {MAX_PART_BYTES >> 20} MB, "
            "可能是恶意构造的文件 (解压炸弹), 未读取 / workbook part too large, file refused"
        ) from None
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, zlib.error) as exc:
        raise SheetError(
            f"{path.name}: 工作簿已损坏或不是 Excel 文件, 无法打开 ({exc}) / corrupt workbook"
        ) from exc
    chosen, skipped = choose_sheets(
        path, sheets, [(i.name, i.member is not None, i.visible) for i in infos]
    )
    yield from skipped
    wanted = [infos[k] for k in chosen]
    reader = None
    for info in wanted:
        if info.member is None:
            yield Skipped(path, info.name, f"“{info.name}”是图表, 不是工作表")
            continue
        try:
            scan = scan_sheet(book, info.member)
            notes: list[CellNote] = []
            source = data
            if (scan.last_row + 1) * (scan.last_col + 1) > MAX_CELLS:
                source, notes = _cut_strays(book, info.member, info.name, path)
                scan = scan_sheet(zipfile.ZipFile(io.BytesIO(source)), info.member)
                sheet_reader = fastexcel.read_excel(source)
            else:
                reader = reader or fastexcel.read_excel(data)
                sheet_reader = reader
            # eager: calamine's cells straight into one Arrow batch (no lazy sheet object)
            table = sheet_reader.load_sheet(
                info.name, header_row=None, dtypes="string", skip_rows=0, eager=True
            )
        except (fastexcel.FastExcelError, zipfile.BadZipFile, KeyError, OSError) as exc:
            yield Skipped(path, info.name, f"工作表“{info.name}”无法读取: {exc}")
            continue
        offset = 0 if scan.has_col_a else (scan.first_col or 0)
        width = max([offset + table.num_columns] + [m[3] + 1 for m in scan.merged])
        cells, cell_notes, filled = grid_from_arrow(
            table.columns, table.num_rows, width=width, offset=offset, dates=True
        )
        for (r, c), number in scan.numbers.items():
            if r < cells.shape[0] and c < cells.shape[1]:
                cells[r, c] = number
                filled[r, c] = True
        notes.extend(cell_notes)
        notes.extend(CellNote(r, c, f, NO_CACHED_VALUE) for r, c, f in scan.formulas)
        yield Grid(path, info.name, cells, scan.merged, notes, filled)
