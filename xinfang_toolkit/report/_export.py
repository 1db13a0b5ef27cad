"""export_tables: any tables (cases, issue lists, statistics) to one .xlsx or .csv, safely.

The one door through which the command line and the notebooks write plain tables: personal data
masked (default), pseudonymised or, on request, in full; Chinese headers; every text cell that a
spreadsheet could run as a formula written as text; the file written whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from .. import privacy
from .._atomic import atomic_path
from ..schema import CASE_COLUMNS, chinese_headers
from ._tables import neutralise, protect, protect_issues, protect_table, with_chinese_headers
from ._xlsx import write_workbook

__all__ = ["export_tables", "protect_frame"]

#: columns by which an issue list or an excluded-rows list is recognised
_ISSUE_MARKS = ("problem", "reason")


def _kind(frame: pd.DataFrame) -> str:
    cols = set(frame.columns)
    if cols & set(_ISSUE_MARKS) and "source_row" in cols and "summary" not in cols:
        return "issues"
    if len(cols & set(CASE_COLUMNS)) >= 3:
        return "cases"
    return "table"


def protect_frame(
    frame: pd.DataFrame,
    *,
    mask: bool = True,
    pseudonymize: bool = False,
    names: Iterable[str] = (),
) -> pd.DataFrame:
    """``frame`` as an export shows it, with Chinese headers.

    Cases (canonical columns) are masked like ``mask_pii`` (or pseudonymised); issue lists and
    excluded rows have their original values and texts masked; any other table has its texts
    masked as free text. ``names``: persons known from elsewhere (``privacy.known_names``) whose
    names are masked wherever they appear.
    """
    kind = _kind(frame)
    if kind == "cases":
        out = protect(frame, mask=mask, pseudonymize=pseudonymize)
        if mask and names:
            # the free texts only: the personal columns are masked already (李*明), and
            # masking them twice would write *** in this workbook and 李*明 in the report's
            out = privacy.mask_pii(out, names=names, columns=())
        return with_chinese_headers(out)
    if kind == "issues":
        return chinese_headers(protect_issues(frame, mask=mask or pseudonymize, names=names))
    return chinese_headers(protect_table(frame, mask=mask or pseudonymize, names=names))


def _guard(frame: pd.DataFrame) -> pd.DataFrame:
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or str(safe[col].dtype) in ("string", "str"):
            safe[col] = safe[col].map(lambda v: neutralise(v) if isinstance(v, str) else v)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    return safe


def export_tables(
    frames: Mapping[str, pd.DataFrame] | pd.DataFrame,
    path: str | Path,
    *,
    mask: bool = True,
    pseudonymize: bool = False,
    names: Iterable[str] | None = None,
) -> Path:
    """Write ``frames`` (sheet name -> DataFrame, or one DataFrame) to ``path`` and return it.

    ``.xlsx``: one formatted sheet per frame. ``.csv``: exactly one frame, UTF-8 with BOM (Excel
    opens it with Chinese intact). Personal data is masked by default (``mask=False`` writes it
    in full, ``pseudonymize=True`` writes stable keys and still masks free text); the persons
    named in any of the frames are masked in all of them unless ``names`` is given. Text that a
    spreadsheet could evaluate (``=``, ``+``, ``-``, ``@`` ...) is written as text.
    """
    path = Path(path)
    if isinstance(frames, pd.DataFrame):
        frames = {path.stem: frames}
    if not frames:
        raise ValueError("没有要写出的表 / no tables to write")
    if names is None:
        names = set()
        if mask or pseudonymize:
            for frame in frames.values():
                names |= privacy.known_names(frame)
    shown = {
        sheet: protect_frame(frame, mask=mask, pseudonymize=pseudonymize, names=names)
        for sheet, frame in frames.items()
    }
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if len(shown) != 1:
            raise ValueError(f"CSV 文件只能写一张表 / a CSV holds one table: {path}")
        (frame,) = shown.values()
        with atomic_path(path) as tmp:
            _guard(frame).to_csv(tmp, index=False, encoding="utf-8-sig", date_format="%Y-%m-%d")
        return path
    if suffix != ".xlsx":
        raise ValueError(f"只能写出 .xlsx 或 .csv 文件 / write .xlsx or .csv: {path}")
    return write_workbook(path, list(shown.items()))
