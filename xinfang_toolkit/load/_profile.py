"""Hand-made header mappings and layout profiles (``load_cases(..., mapping=)``).

A mapping fixes what a header means: ``{"来访人员": "petitioner", "序号": None}`` (None or "" keeps
a header unmapped on purpose; the canonical name may also be its Chinese label, 信访人). It is a
dict, a CSV file (``表头,规范列名`` rows, or ``header,canonical``) or a YAML file. A YAML file may also
hold **layout profiles**: a profile is keyed by the header row of one ledger layout and applies
only to sheets with exactly that header row, so the mapping corrected once for a village's
ledger is reused for next month's ledger of the same layout::

    mapping:             # every sheet
      来访人员: petitioner
    profiles:
      - name: 东风镇来访登记表.xlsx / Sheet1
        header_row: [序号, 来访时间, 来访人员, 反映主要问题]
        mapping: {序号: null, 来访时间: received_date, 来访人员: petitioner, 反映主要问题: summary}
      - name: 留言导出.csv / 留言导出     # a CSV saved without its header row
        header_row: []
        shape: {columns: 9, kinds: [code, datetime, code, text, longtext, phone, ...]}
        mapping: {列A: case_id, 列B: received_date, 列H: outcome, ...}

A sheet without a header row has no header to key its profile on: its profile is keyed on its
shape, the number of columns and what each holds (:mod:`._shape`), and applies to later files
of the same shape, column by column.

:func:`save_profile` writes such a file from ``LoadResult.columns`` (plus corrections); the
notebook 01 keeps it as ``表头映射.yaml`` beside the ledgers. Nothing is stored anywhere else.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd
import yaml

from .._datafile import DataFileError, line_of, load_yaml, read_text
from ..schema import LABELS_ZH
from ._header import TARGETS, layout_key
from ._match import header_key
from ._shape import shape_key, shape_parts

Manual = dict[str, str | None]

_BY_LABEL = {label: col for col, label in LABELS_ZH.items() if col in TARGETS}


def canonical_name(value: object, where: str = "mapping") -> str | None:
    """A canonical column from its name or Chinese label; None for empty (= unmapped)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    if text in ("", "-", "无", "none", "None", "未识别"):
        return None
    if text in TARGETS:
        return text
    if text in _BY_LABEL:
        return _BY_LABEL[text]
    raise ValueError(
        f"{where}: “{text}”不是规范列名; 可用: {', '.join(sorted(TARGETS))} (或其中文名)"
    )


def _manual(entries: object, where: str) -> Manual:
    if not isinstance(entries, Mapping):
        raise DataFileError(f"{where}: mapping 应为“表头: 规范列名”的对照, 而不是 {entries!r}")
    at = where.at if isinstance(where, _Where) else (lambda _value: where)
    return {header_key(k): canonical_name(v, f"{at(k)}: {k}") for k, v in entries.items()}


def read_mapping(
    mapping: Mapping[str, object] | str | Path | None,
) -> tuple[Manual, dict[str, Manual]]:
    """``(entries for every sheet, {layout key: entries})`` from a dict, a CSV or a YAML file."""
    if mapping is None:
        return {}, {}
    if isinstance(mapping, Mapping):
        if "profiles" in mapping or "mapping" in mapping:
            return _from_document(mapping, "mapping")
        return _manual(mapping, "mapping"), {}
    path = Path(mapping)
    if not path.exists():
        raise FileNotFoundError(f"找不到表头映射文件: {path}")
    text = read_text(path)  # UTF-8 or GBK (Excel's "CSV" on Chinese Windows)
    where = _Where(str(path), text)
    if path.suffix.lower() in (".yaml", ".yml"):
        document = load_yaml(path, text=text) or {}
        if not isinstance(document, Mapping):
            raise DataFileError(f"{path}: 应为 mapping: / profiles: 两节, 或 表头: 规范列名 的对照")
        if "profiles" in document or "mapping" in document:
            return _from_document(document, where)
        return _manual(document, where), {}
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise DataFileError(f"{path}: CSV 格式错误 ({exc}) / CSV syntax error") from None
    rows = [r for r in rows if r and r[0].strip() and not r[0].startswith("#")]
    if rows and rows[0][:2] in (["表头", "规范列名"], ["header", "canonical"]):
        rows = rows[1:]
    return _manual({r[0]: (r[1] if len(r) > 1 else None) for r in rows}, where), {}


class _Where(str):
    """A file name that knows the file's text, so a message can name the line of a value."""

    text: str

    def __new__(cls, name: str, text: str) -> _Where:
        self = super().__new__(cls, name)
        self.text = text
        return self

    def at(self, value: object) -> str:
        line = line_of(self.text, value)
        return f"{self} 第 {line} 行" if line else str(self)


def _from_document(document: Mapping, where: str) -> tuple[Manual, dict[str, Manual]]:
    shared = _manual(document.get("mapping") or {}, where)
    profiles: dict[str, Manual] = {}
    listed = document.get("profiles") or []
    if not isinstance(listed, list):
        raise DataFileError(f"{where}: profiles 应为列表 (每项以 - 开头)")
    for n, profile in enumerate(listed, start=1):
        if not isinstance(profile, Mapping):
            raise DataFileError(f"{where}: 第 {n} 个 profile 应有 name / header_row / mapping")
        profiles[_profile_key(profile, f"{where}: 第 {n} 个 profile")] = _manual(
            profile.get("mapping") or {}, f"{where} #{n}"
        )
    return shared, profiles


def _profile_key(profile: Mapping, where: str = "", *, strict: bool = True) -> str:
    """The layout a profile applies to: its header row, or for a sheet without one its shape
    (``shape: {columns: 9, kinds: [code, datetime, ...]}``, see :mod:`._shape`)."""
    shape = profile.get("shape")
    if isinstance(shape, Mapping):
        kinds = shape.get("kinds") or []
        if not isinstance(shape.get("columns"), int) or not isinstance(kinds, list):
            raise DataFileError(f"{where}: shape 应有 columns (列数) 和 kinds (各列内容的列表)")
        return shape_key(shape["columns"], ["" if k is None else str(k) for k in kinds])
    row = profile.get("header_row") or []
    if not row or not isinstance(row, list):
        if not strict:  # a profile kept as it is in a file being updated
            return ""
        raise DataFileError(f"{where}: 没有 header_row (表头列表)")
    return layout_key(row)


def profiles_from_columns(
    columns: pd.DataFrame, corrections: Mapping[tuple[str, str, str], object] | None = None
) -> list[dict]:
    """One profile per (file, sheet) of a ``LoadResult.columns`` table; ``corrections`` maps
    ``(file, sheet, header)`` to the right canonical column (or None)."""
    from ..privacy import SourceMasker

    corrections = dict(corrections or {})
    # a profile file is kept beside the ledgers and shared: the file and sheet names and the
    # header texts (a note in a header row) are written masked; a masked header row still
    # finds its layout (see _header: the masked key is tried too)
    show, masked = SourceMasker(), SourceMasker(parts=False)
    out = []
    for (file, sheet), part in columns.groupby(["file", "sheet"], sort=False):
        headers = [masked(h) for h in part["header"].tolist() if isinstance(h, str) and h.strip()]
        mapping: dict[str, str | None] = {}
        for header, canonical in zip(part["header"], part["canonical"], strict=True):
            if not isinstance(header, str) or not header.strip():
                continue
            value = corrections.get((file, sheet, header), canonical)
            where = f"{show(file)} / {show(sheet)}: {masked(header)}"
            mapping[masked(header)] = canonical_name(value, where)
        profile = {"name": f"{show(file)} / {show(sheet)}", "header_row": headers}
        shape = _sheet_shape(part)
        if shape is not None:  # no header row: the profile is keyed on the sheet's shape
            profile = {"name": profile["name"], "header_row": [], "shape": shape}
        out.append(profile | {"mapping": mapping})
    return out


def _sheet_shape(part: pd.DataFrame) -> dict | None:
    """``{columns, kinds}`` of a sheet without a header row (its ``layout`` in the columns
    table), else None."""
    layout = part["layout"].iloc[0] if "layout" in part.columns and len(part) else None
    parts = shape_parts(layout) if isinstance(layout, str) else None
    if parts is None:
        return None
    return {"columns": parts[0], "kinds": parts[1]}


def save_profile(
    columns: pd.DataFrame,
    path: str | Path,
    *,
    corrections: Mapping[tuple[str, str, str], object] | None = None,
) -> Path:
    """Write (or update) a YAML profile file from ``LoadResult.columns`` and corrections.

    A profile already in the file with the same header row is replaced; others are kept. The
    file is written whole (to a temporary file first, then moved into place).
    """
    path = Path(path)
    document: dict = {"mapping": {}, "profiles": []}
    if path.exists():
        old = load_yaml(path) or {}
        if not isinstance(old, Mapping):
            raise DataFileError(f"{path}: 应为 mapping: / profiles: 两节, 无法在其中添加")
        document["mapping"] = dict(old.get("mapping") or {})
        document["profiles"] = list(old.get("profiles") or [])
    new = profiles_from_columns(columns, corrections)
    new_keys = {_profile_key(p) for p in new}
    kept = [p for p in document["profiles"] if _profile_key(p, strict=False) not in new_keys]
    document["profiles"] = kept + _unique(new)
    text = "# 表头映射 / header mapping profiles (xinfang_toolkit load_cases(..., mapping=))\n"
    text += yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".profile-", suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _unique(profiles: Iterable[dict]) -> list[dict]:
    seen, out = set(), []
    for profile in profiles:
        key = _profile_key(profile)
        if key not in seen:
            seen.add(key)
            out.append(profile)
    return out
