"""CSV files (UTF-8, UTF-8 with BOM, GBK/GB18030; comma, tab, semicolon, bar) as text grids.

The common file (one width, no blank lines) goes through pyarrow.csv, multi-threaded, into Arrow;
anything pyarrow would reshape (blank lines, rows of another width, a half-written last row) is
read again with the csv module so that row numbers stay the ones a spreadsheet shows.
Line endings may be LF, CRLF or a lone CR (old Mac exports).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from ._arrow import grid_from_arrow
from ._grid import CellNote, Grid, SheetError

_SAMPLE = 1 << 20

HALF_WRITTEN = (
    "最后一行不完整: 文件在这一行中间结束 (导出或复制可能没有完成), 只读到 {got} 列 (表格有 "
    "{width} 列); 请核对原文件 / last row cut off"
)


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


def _arrow_read(data: bytes, encoding: str, delimiter: str, width: int) -> pa.Table | None:
    """pyarrow's reading, or None when the file has rows it would drop or reshape.

    A file in another encoding than UTF-8 is parsed as bytes (GBK/GB18030 never use the bytes
    of a comma, quote or line end inside a character): each distinct cell value is decoded
    once afterwards, instead of transcoding the whole file.
    """
    cell_type = pa.string() if encoding == "utf-8" else pa.binary()
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,  # a blank line has the wrong width: ArrowInvalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": cell_type for i in range(width)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError, LookupError):
        return None
    return None if table.num_columns != width else table


_ASCII_SAFE = frozenset({"utf-8", "gb18030", "gbk", "gb2312", "big5", "ascii"})


def read_csv(path: Path) -> Grid:
    """Read a CSV as text cells (see the module docstring)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SheetError(f"{path.name}: 文件无法打开 ({exc.strerror or exc})") from exc
    if not data.strip():
        raise SheetError(f"{path.name}: 文件是空的")
    encoding = detect_encoding(data[:_SAMPLE], truncated=len(data) > _SAMPLE)
    if encoding == "utf-8-sig":
        data, encoding = data[3:], "utf-8"
    ends_line = data.endswith((b"\n", b"\r"))
    head = data[:20000].decode(encoding, errors="ignore")
    try:
        delimiter = csv.Sniffer().sniff(head, delimiters=",\t;|").delimiter
    except csv.Error:
        delimiter = ","
    head_rows = list(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter))
    width = max((len(r) for r in head_rows), default=1)
    body = data.rstrip(b"\r\n") + b"\n"  # blank lines at the end are no rows
    table = _arrow_read(body, encoding, delimiter, width) if encoding in _ASCII_SAFE else None
    if table is not None:
        cells, notes, filled = grid_from_arrow(table.columns, table.num_rows, encoding=encoding)
        del table, data, body
        pa.default_memory_pool().release_unused()  # the Arrow buffers are no longer needed
        return Grid(path, path.stem, cells, [], notes, filled)
    for enc in dict.fromkeys([encoding, "gb18030"]):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SheetError(
            f"{path.name}: CSV 文件编码有误, 既不是 {encoding} 也不是 GB18030 / cannot decode file"
        )
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    while rows and not any(rows[-1]):
        rows.pop()
    width = max(len(r) for r in rows)
    notes: list[CellNote] = []
    if rows and not ends_line and len(rows) > 1:
        last = rows[-1]
        width_before = max(len(r) for r in rows[:-1])
        if len(last) < width_before:
            notes.append(
                CellNote(
                    len(rows) - 1,
                    len(last) - 1,
                    delimiter.join(last)[-60:],
                    HALF_WRITTEN.format(got=len(last), width=width_before),
                )
            )
    columns = [
        pa.array([r[j] if j < len(r) else "" for r in rows], pa.string()) for j in range(width)
    ]
    cells, cell_notes, filled = grid_from_arrow(columns, len(rows))
    return Grid(path, path.stem, cells, [], notes + cell_notes, filled)
