"""Reading the editable data files: the package's ``data/*.csv``/``*.yaml``, report templates and
the users' own files (header mappings, layout profiles, rules, synonyms, local category names).

Analysts edit these in Excel or Notepad. Excel on Chinese Windows saves "CSV" as GBK, Notepad
adds a BOM, and a typo is one keystroke away. Every reader goes through here:

* :func:`read_text`: UTF-8 (with or without BOM), UTF-16 with a BOM, else GBK (GB18030, its
  superset); bytes that are none of these give a message naming the file and the line;
* :func:`load_yaml`: YAML parsed safely; a syntax error names the file and line;
* :func:`read_csv_rows` / :func:`read_csv_frame`: CSV rows with their line numbers; a missing
  column or a broken row names the file and line.

Problems raise :class:`DataFileError` (a ``ValueError``: the command line prints it and exits
with code 2, never a traceback).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = [
    "DataFileError",
    "data_file",
    "decode",
    "read_text",
    "load_yaml",
    "read_csv_rows",
    "read_csv_frame",
    "line_of",
]

Source = Union[str, os.PathLike, "Traversable"]  # noqa: UP007 - a string name inside


_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


class DataFileError(ValueError):
    """An editable data file that cannot be read: encoding, syntax, columns (message in Chinese,
    naming the file and line)."""


def data_file(name: str) -> Traversable:
    """A file of the package's ``data/`` folder (``"rules_2022.yaml"``, ``"templates/x.j2"``)."""
    return resources.files("xinfang_toolkit").joinpath("data", *name.split("/"))


def _name(source: Source, name: str | None) -> str:
    if name:
        return name
    if isinstance(source, (str, os.PathLike)):
        return str(source)
    return f"data/{source.name}"


def decode(data: bytes, name: str) -> str:
    """The text of a file's bytes: UTF-8 (BOM or not), UTF-16 with BOM, else GBK/GB18030."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _bad_bytes(data, exc, name) from None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as first:
        try:
            return data.decode("gb18030")  # GBK as saved by Excel/Notepad on Chinese Windows
        except UnicodeDecodeError:
            raise _bad_bytes(data, first, name) from None
    if text.isascii() or _CJK.search(text):
        return text
    # valid UTF-8 without a Chinese character but with other letters (a few GBK characters can
    # be read as Cyrillic or Latin): GBK if that reading is Chinese
    try:
        other = data.decode("gb18030")
    except UnicodeDecodeError:
        return text
    return other if _CJK.search(other) else text


def _bad_bytes(data: bytes, exc: UnicodeDecodeError, name: str) -> DataFileError:
    line = data[: exc.start].count(b"\n") + 1
    return DataFileError(
        f"{name} 第 {line} 行: 文字编码无法识别 (应为 UTF-8 或 GBK), 请用“另存为 CSV UTF-8”"
        "或 UTF-8 编码保存 / unknown text encoding"
    )


def read_text(source: Source, *, name: str | None = None) -> str:
    """The text of an editable data file (a path or a packaged file), newlines as written."""
    label = _name(source, name)
    try:
        if isinstance(source, (str, os.PathLike)):
            data = Path(source).read_bytes()
        else:
            data = source.read_bytes()
    except FileNotFoundError:
        raise DataFileError(f"找不到文件: {label} / file not found") from None
    except IsADirectoryError:
        raise DataFileError(f"{label} 是文件夹, 不是文件 / is a folder") from None
    except PermissionError:
        raise DataFileError(f"{label}: 没有读取权限或文件被占用 / not readable") from None
    return decode(data, label)


def load_yaml(source: Source, *, name: str | None = None, text: str | None = None) -> Any:
    """A YAML data file parsed safely (``None`` for an empty file); a syntax error names the
    file and the line. ``text``: already read text of ``source``."""
    import yaml

    label = _name(source, name)
    text = read_text(source, name=label) if text is None else text
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f" 第 {mark.line + 1} 行" if mark is not None else ""
        problem = exc.problem or exc.context or ""
        raise DataFileError(
            f"{label}{line}: YAML 格式错误 ({problem}); 常见原因: 冒号后少了空格、缩进不齐、"
            "引号不成对 / YAML syntax error"
        ) from None
    except yaml.YAMLError as exc:
        raise DataFileError(f"{label}: YAML 格式错误 ({exc}) / YAML error") from None


def _lines_without_comments(text: str, comment: str | None) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if comment and line.lstrip().startswith(comment):
            continue
        if not line.strip():
            continue
        yield number, line


def read_csv_rows(
    source: Source,
    *,
    columns: Sequence[str] = (),
    name: str | None = None,
    comment: str | None = "#",
) -> list[tuple[int, dict[str, str]]]:
    """``(line number, {column: text})`` for each row of a CSV data file with a header row.

    Blank lines and lines starting with ``comment`` are skipped; ``columns`` must all be in the
    header (else the message names the file, line and the missing columns). Values are stripped.
    """
    label = _name(source, name)
    numbered = list(_lines_without_comments(read_text(source, name=label), comment))
    if not numbered:
        if columns:
            raise DataFileError(f"{label}: 文件是空的, 应有表头 {','.join(columns)} / empty")
        return []
    reader = csv.reader(line for _n, line in numbered)
    rows: list[tuple[int, list[str]]] = []
    consumed = 0
    try:
        for row in reader:  # a quoted value may span lines: a row is numbered by its first
            rows.append((numbered[consumed][0], row))
            consumed = reader.line_num
    except csv.Error as exc:
        line = numbered[min(consumed, len(numbered) - 1)][0]
        raise DataFileError(
            f"{label} 第 {line} 行: CSV 格式错误 ({exc}) / CSV syntax error"
        ) from None
    header_line, header = rows[0][0], [h.strip() for h in rows[0][1]]
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataFileError(
            f"{label} 第 {header_line} 行 (表头): 缺少列 {', '.join(missing)}; "
            f"表头应含 {','.join(columns)}, 实际是 {','.join(header)} / missing columns"
        )
    out = []
    for number, row in rows[1:]:
        if len(row) > len(header):
            raise DataFileError(
                f"{label} 第 {number} 行: 有 {len(row)} 个值, 比表头的 {len(header)} 列多 "
                "(值里的逗号要用英文引号括起来) / too many values"
            )
        values = {h: (row[k].strip() if k < len(row) else "") for k, h in enumerate(header)}
        out.append((number, values))
    return out


def read_csv_frame(source: Source, *, columns: Sequence[str] = (), name: str | None = None) -> Any:
    """A CSV data file as a DataFrame of strings (``""`` for empty cells); ``columns`` must be
    present; a broken row names the file and line."""
    import pandas as pd

    from ._base.dtypes import TEXT_DTYPE

    label = _name(source, name)
    text = read_text(source, name=label)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=TEXT_DTYPE, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise DataFileError(f"{label}: 文件是空的, 应有表头 / empty") from None
    except pd.errors.ParserError as exc:
        raise DataFileError(f"{label}: CSV 格式错误 ({exc}) / CSV syntax error") from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataFileError(
            f"{label} 第 1 行 (表头): 缺少列 {', '.join(missing)}; 实际是 "
            f"{','.join(map(str, frame.columns))} / missing columns"
        )
    return frame


def line_of(text: str, needle: object) -> int | None:
    """The first line of ``text`` holding ``needle`` (for messages about a value), or None."""
    word = str(needle)
    for number, line in enumerate(text.splitlines(), start=1):
        if word in line:
            return number
    return None
