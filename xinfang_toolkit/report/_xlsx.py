"""export_xlsx(): one workbook with a sheet per table, a sheet of cases and a chart sheet.

Every text cell is written with ``write_string`` (never as a formula) and text that a
spreadsheet could run (=, +, -, @, tab, CR ...) gets a leading apostrophe (OWASP). Column
widths are computed for Chinese text (2 per CJK character): xlsxwriter's autofit counts a CJK
character as narrow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import xlsxwriter
import xlsxwriter.exceptions

from .. import privacy
from .._atomic import MARKER, atomic_path
from ..analysis import FIGURES
from ..analysis._util import stripped
from ..schema import TEXT_DTYPE, UNCLASSIFIED, label
from ._draft import draft_report
from ._summary import Summary
from ._tables import (
    cell_value,
    is_percent_column,
    neutralise,
    protect,
    protect_table,
    row_is_percent,
    text_width,
    with_chinese_headers,
)

__all__ = ["export_xlsx", "write_workbook"]

CASES_SHEET = "信访件"
CHART_SHEET = "图表"
MAX_WIDTH = 50
MIN_WIDTH = 6
#: rows looked at to size a column (the header always counts)
WIDTH_SAMPLE = 2000
_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
_FONT = "宋体"


@dataclass(frozen=True)
class BarChart:
    """A chart of one sheet's columns: categories in ``category_col``, one series per value col."""

    sheet: str
    category_col: int
    value_cols: tuple[int, ...]
    rows: int
    title: str
    kind: str = "bar"
    #: None: a chart sheet of its own; else the cell where the chart is inserted in ``sheet``
    anchor: str | None = None


def sheet_name(name: str, used: set[str]) -> str:
    """A valid, unique Excel sheet name (31 characters, no []:*?/\\)."""
    base = str(name).translate(_FORBIDDEN).strip("'")[:31] or "Sheet"
    out, i = base, 2
    while out.lower() in {u.lower() for u in used}:
        suffix = f"_{i}"
        out, i = base[: 31 - len(suffix)] + suffix, i + 1
    used.add(out)
    return out


def _column_width(header: str, values: pd.Series, *, fmt_len: int | None = None) -> float:
    widths = [text_width(header)]
    if fmt_len is not None:
        widths.append(fmt_len)
    else:
        sample = values.head(WIDTH_SAMPLE).dropna()
        if len(sample):
            widths.append(max(text_width(v) for v in sample.astype(TEXT_DTYPE).unique()))
    return float(min(MAX_WIDTH, max(MIN_WIDTH, max(widths) + 2)))


def _column_values(col: pd.Series) -> tuple[str, list]:
    """A column as (kind, Python values with None for missing); kind: date, number or text."""
    missing = col.isna().to_numpy()
    if pd.api.types.is_datetime64_any_dtype(col):
        values = list(col.dt.to_pydatetime())
        kind = "date"
    elif pd.api.types.is_bool_dtype(col):
        values = ["是" if v else "否" for v in col.fillna(False).to_numpy(dtype=bool)]
        kind = "text"
    elif pd.api.types.is_numeric_dtype(col):
        values = col.astype("float64").to_numpy(na_value=float("nan")).tolist()
        finite = [math.isfinite(v) for v in values]
        missing = missing | ~pd.Series(finite, dtype=bool).to_numpy()
        values = [
            int(v) if f and v.is_integer() else v for v, f in zip(values, finite, strict=True)
        ]
        kind = "number"
    else:
        values = [cell_value(v) for v in col.astype("object").tolist()]
        kind = "mixed"
    return kind, [None if m else v for v, m in zip(values, missing, strict=True)]


def _write_sheet(workbook, ws, frame: pd.DataFrame, formats: dict) -> None:
    columns = [str(c) for c in frame.columns]
    for c, name in enumerate(columns):
        ws.write_string(0, c, neutralise(name), formats["header"])
    row_pct = (
        [row_is_percent(v) for v in frame.iloc[:, 0].tolist()]
        if columns and columns[0] == "指标"
        else [False] * len(frame)
    )
    for c, name in enumerate(columns):
        kind, values = _column_values(frame.iloc[:, c])
        pct_col = is_percent_column(name)
        by_row = name in ("数值", "本期", "上期", "增减")
        text, num, pct, date = formats["text"], formats["num"], formats["pct"], formats["date"]
        whole = formats["int"]
        for r, v in enumerate(values, start=1):
            if v is None:
                continue
            if kind == "number" or (kind == "mixed" and isinstance(v, (int, float))):
                if isinstance(v, bool):
                    ws.write_string(r, c, "是" if v else "否", text)
                    continue
                use_pct = pct_col or (by_row and row_pct[r - 1])
                if use_pct:
                    ws.write_number(r, c, v, pct)
                else:
                    ws.write_number(r, c, v, whole if float(v).is_integer() else num)
            elif kind == "date" or isinstance(v, pd.Timestamp):
                ws.write_datetime(r, c, pd.Timestamp(v).to_pydatetime(), date)
            else:
                ws.write_string(r, c, neutralise(str(v)), text)
        if kind == "date":
            width = _column_width(name, frame.iloc[:, c], fmt_len=10)
        elif pct_col:
            width = _column_width(name, frame.iloc[:, c], fmt_len=7)
        else:
            width = _column_width(name, frame.iloc[:, c])
        ws.set_column(c, c, width)
    ws.freeze_panes(1, 0)
    if columns:
        ws.autofilter(0, 0, max(len(frame), 1), len(columns) - 1)


def _add_chart(workbook, spec: BarChart, sheets: dict[str, object], used: set[str]) -> None:
    if spec.rows == 0:
        return
    chart = workbook.add_chart({"type": spec.kind})
    colours = ["#0173B2", "#DE8F05", "#029E73", "#D55E00"]
    for i, col in enumerate(spec.value_cols):
        chart.add_series(
            {
                "name": [spec.sheet, 0, col],
                "categories": [spec.sheet, 1, spec.category_col, spec.rows, spec.category_col],
                "values": [spec.sheet, 1, col, spec.rows, col],
                "fill": {"color": colours[i % len(colours)]},
                "data_labels": {"value": True, "font": {"name": _FONT, "size": 9}},
            }
        )
    chart.set_title({"name": spec.title, "name_font": {"name": "黑体", "size": 14}})
    axis_font = {"num_font": {"name": _FONT, "size": 10}}
    chart.set_x_axis(axis_font)
    chart.set_y_axis(axis_font)
    chart.set_legend(
        {"position": "bottom", "font": {"name": _FONT}}
        if len(spec.value_cols) > 1
        else {"none": True}
    )
    if spec.kind == "bar":
        chart.set_y_axis({"reverse": True, **axis_font})  # largest first, at the top
    if spec.anchor is None:
        cs = workbook.add_chartsheet(sheet_name(CHART_SHEET, used))
        cs.set_chart(chart)
    else:
        chart.set_size({"width": 640, "height": 360})
        sheets[spec.sheet].insert_chart(spec.anchor, chart)


def write_workbook(
    path: str | Path,
    sheets: list[tuple[str, pd.DataFrame]],
    *,
    charts: tuple[BarChart, ...] = (),
    notes: list[str] | None = None,
) -> Path:
    """Write DataFrames as formatted sheets (the frames must already be masked as needed).

    The workbook carries the toolkit's marker in its custom document properties (the loader
    skips such files). xlsxwriter assembles the parts in memory (``in_memory``): no scratch
    file in the system temp folder, where an interrupted or failed run would leave it (and a
    failed write left its file open)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:  # whole or not at all
        _write_all(tmp, sheets, charts=charts, notes=notes)
    return path


def _write_all(
    path: Path,
    sheets: list[tuple[str, pd.DataFrame]],
    *,
    charts: tuple,
    notes: list[str] | None,
) -> None:
    workbook = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "nan_inf_to_errors": True,
            "in_memory": True,
        },
    )
    workbook.set_custom_property(MARKER, "written by xinfang_toolkit")
    base = {"font_name": _FONT, "font_size": 11, "valign": "vcenter"}
    formats = {
        "header": workbook.add_format(
            {
                **base,
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "align": "center",
                "text_wrap": True,
            }  # fmt: skip
        ),
        "text": workbook.add_format(base),
        # whole numbers as "1100" (Excel and WPS show "0.##" as "1100."), others with up to
        # two decimals ("3.5", "3.25"), shares 0..1 as percentages with one ("93.7%")
        "int": workbook.add_format({**base, "num_format": "0"}),
        "num": workbook.add_format({**base, "num_format": "0.0#"}),
        "pct": workbook.add_format({**base, "num_format": "0.0%"}),
        "date": workbook.add_format({**base, "num_format": "yyyy-mm-dd"}),
        "note": workbook.add_format({**base, "text_wrap": True, "valign": "top"}),
    }
    used: set[str] = set()
    written: dict[str, object] = {}
    if notes:
        ws = workbook.add_worksheet(sheet_name("说明", used))
        ws.set_column(0, 0, 100)
        for r, line in enumerate(notes):
            ws.write_string(r, 0, neutralise(line), formats["note"])
    renames: dict[str, str] = {}
    for name, frame in sheets:
        real = sheet_name(name, used)
        renames[name] = real
        ws = workbook.add_worksheet(real)
        _write_sheet(workbook, ws, frame, formats)
        written[real] = ws
    for spec in charts:
        real = renames.get(spec.sheet, spec.sheet)
        _add_chart(workbook, BarChart(**{**spec.__dict__, "sheet": real}), written, used)
    try:
        workbook.close()
    except xlsxwriter.exceptions.FileCreateError as exc:  # its OSError (disk full ...) inside
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else None
        if cause is None:
            raise OSError(str(exc)) from None
        raise cause from None


def _category_counts(cases: pd.DataFrame) -> pd.DataFrame:
    cat = stripped(cases["category"]).replace("", pd.NA).fillna(UNCLASSIFIED)
    counts = cat.value_counts()
    return pd.DataFrame({label("category"): counts.index.astype(str), "件数": counts.to_numpy()})


def export_xlsx(
    cases_or_summary: Summary | pd.DataFrame,
    path: str | Path,
    *,
    mask: bool = True,
    pseudonymize: bool = False,
) -> Path:
    """Write a Summary (a sheet per table, the cases, charts) or a cases frame to .xlsx.

    Personal data is masked by default (``privacy.mask_pii``: 张*明, 410122********123X,
    138****1234, address cut to its village); ``pseudonymize=True`` writes stable person keys
    instead of names and ID numbers (for training); full data only with ``mask=False``.
    Returns the path written.
    """
    if pseudonymize:
        privacy_note = "个人信息已假名化（信访人代码代替姓名和身份证号）。"
    elif mask:
        privacy_note = "个人信息已脱敏（姓名、身份证号、电话、住址）。"
    else:
        privacy_note = "注意：本文件含未脱敏的个人信息，仅限内部使用，不得外传。"
    if isinstance(cases_or_summary, Summary):
        s = cases_or_summary
        hide = mask or pseudonymize
        names = privacy.known_names(s.cases) if hide else set()
        tables = [(name, protect_table(t, mask=hide, names=names)) for name, t in s.tables.items()]
        cases = with_chinese_headers(protect(s.cases, mask=mask, pseudonymize=pseudonymize))
        sheets = tables + [(CASES_SHEET, cases)]
        charts: list[BarChart] = []
        cats = s.tables.get("内容分类")
        if cats is not None:
            charts.append(BarChart("内容分类", 0, (1,), len(cats), "按内容分类统计（件）"))
        esc = s.tables.get("信访去向")
        if esc is not None and len(esc):
            charts.append(
                BarChart("信访去向", 1, (2, 3), len(esc), "来访去向（批次/人次）", "column", "G2")
            )
        notes = [s.title, f"{s.as_of_text}（办理情况、超期和积案均按这一天判断）。", privacy_note]
        notes += ["", "指标口径："] + [f"{f.label}：{f.definition}" for f in FIGURES]
        notes += [""] + draft_report(s, mask=hide).splitlines()
        return write_workbook(path, sheets, charts=tuple(charts), notes=notes)
    if isinstance(cases_or_summary, pd.DataFrame):
        raw = cases_or_summary
        cases = with_chinese_headers(protect(raw, mask=mask, pseudonymize=pseudonymize))
        sheets = [(CASES_SHEET, cases)]
        charts = []
        if "category" in raw.columns:
            counts = _category_counts(raw)
            sheets.append(("分类统计", counts))
            charts.append(BarChart("分类统计", 0, (1,), len(counts), "按内容分类统计（件）"))
        return write_workbook(
            path, sheets, charts=tuple(charts), notes=[f"信访件 {len(raw)} 件。", privacy_note]
        )
    raise TypeError("export_xlsx 需要 summarize(...) 的结果或信访件 DataFrame")
