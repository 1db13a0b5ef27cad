"""write_ledger: write cases the way real offices keep them (messy workbooks and GBK CSV files).

Layouts
-------
``county``   .xlsx 台账: title row, 填报单位/填报时间 line, two-row header with a merged group cell
             信访人基本情况 over 姓名/身份证号码/联系电话/住址, header text with spaces and line
             breaks, section rows (一、本期受理 / 二、往年积案), 包案领导 merged vertically over the
             rows it covers, a 合计 row, 填表人/审核人 and 注： lines below.
``hotline``  .xlsx 12345 hotline export: 工单编号, 留言时间 (with time of day), 留言详情, 答复时间 ...
``national`` .xlsx export of the national system: pinyin-code headers (xfjbh xfrq xfxs xfrs nrfldm
             wtsddm xbjzsj bjbz cfxfbz jabz ...) under one title line.
``csv``      GBK-encoded .csv with a simple one-row header.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
import xlsxwriter.exceptions

from ..schema import TEXT_DTYPE, conform_cases
from . import _messy as M
from . import _text as T
from ._people import make_names

LAYOUTS = ("county", "hotline", "national", "csv")
_SUFFIX = {"county": ".xlsx", "hotline": ".xlsx", "national": ".xlsx", "csv": ".csv"}
_GROUP = "信访人基本情况"

# (header text, canonical column or None, cell kind, group header or None)
COUNTY_COLUMNS: tuple[tuple[str, str | None, str, str | None], ...] = (
    ("序号", None, "seq", None),
    ("信访件\n编号", "case_id", "text", None),
    ("登记日期", "received_date", "date", None),
    ("信访\n形式", "channel", "channel", None),
    ("姓  名", "petitioner", "text", _GROUP),
    ("身份证号码", "id_number", "id", _GROUP),
    ("联系电话", "phone", "phone", _GROUP),
    ("住  址", "address", "text", _GROUP),
    ("人数", "person_count", "count", None),
    ("问题属地", "locality", "text", None),
    ("内容分类", "category", "text", None),
    ("反映\n问题", "summary", "text", None),
    ("事项类型", "matter_type", "text", None),
    ("责任单位", "responsible_unit", "text", None),
    ("包案领导", "leader", "leader", None),
    ("信访去向", "visit_level", "level", None),
    ("办理时限", "deadline", "deadline", None),
    ("办结日期", "closed_date", "closed", None),
    ("化解情况", "outcome", "text", None),
    ("满意度", "satisfaction", "sat", None),
)
#: other ways offices head the county ledger's columns (the first one is in COUNTY_COLUMNS)
COUNTY_HEADER_VARIANTS: dict[str, tuple[str, ...]] = {
    "case_id": ("编号", "信访件编号"),
    "received_date": ("来访日期", "信访日期", "登记\n时间"),
    "channel": ("信访形式", "来访形式"),
    "petitioner": ("姓名", "信访人姓名"),
    "id_number": ("身份证号",),
    "phone": ("联系\n电话",),
    "address": ("家庭住址", "住址"),
    "person_count": ("来访\n人数",),
    "locality": ("所属乡镇",),
    "category": ("问题类别",),
    "summary": ("诉求摘要", "主要问题", "反映问题摘要"),
    "responsible_unit": ("承办单位",),
    "visit_level": ("访别",),
    "deadline": ("限办日期",),
    "closed_date": ("办结时间",),
    "outcome": ("办理结果", "处理结果"),
    "satisfaction": ("群众满意度",),
}
HOTLINE_COLUMNS = (
    ("工单编号", "case_id", "text", None),
    ("留言时间", "received_date", "datetime", None),
    ("来电人", "petitioner", "text", None),
    ("来电号码", "phone", "phone", None),
    ("诉求渠道", "channel", "hotline_channel", None),
    ("所属区域", "locality", "text", None),
    ("工单类型", "category", "text", None),
    ("留言详情", "summary", "text", None),
    ("承办单位", "responsible_unit", "text", None),
    ("办理时限", "deadline", "deadline", None),
    ("答复时间", "closed_date", "datetime", None),
    ("办理结果", "outcome", "text", None),
    ("满意度", "satisfaction", "sat", None),
)
NATIONAL_COLUMNS = (
    ("xfjbh", "case_id", "text", None),
    ("xfrq", "received_date", "date", None),
    ("xfxs", "channel", "channel", None),
    ("xfrxm", "petitioner", "text", None),
    ("sfzh", "id_number", "id", None),
    ("lxdh", "phone", "phone", None),
    ("住址", "address", "text", None),
    ("xfrs", "person_count", "count", None),
    ("wtsddm", "locality", "text", None),
    ("nrfldm", "category", "text", None),
    ("xfnr", "summary", "text", None),
    ("事项类型", "matter_type", "text", None),
    ("cbdw", "responsible_unit", "text", None),
    ("包案领导", "leader", "text", None),
    ("信访去向", "visit_level", "level", None),
    ("xbjzsj", "deadline", "deadline", None),
    ("bjrq", "closed_date", "closed", None),
    ("办理结果", "outcome", "text", None),
    ("myd", "satisfaction", "sat", None),
    ("bjbz", None, "flag_closed", None),
    ("cfxfbz", None, "flag_repeat", None),
    ("jabz", None, "flag_backlog", None),
)
CSV_COLUMNS = (
    ("编号", "case_id", "text", None),
    ("登记日期", "received_date", "date", None),
    ("信访形式", "channel", "channel", None),
    ("姓名", "petitioner", "text", None),
    ("身份证号", "id_number", "id", None),
    ("联系电话", "phone", "phone", None),
    ("住址", "address", "text", None),
    ("人数", "person_count", "count", None),
    ("问题属地", "locality", "text", None),
    ("问题类别", "category", "text", None),
    ("反映问题", "summary", "text", None),
    ("事项类型", "matter_type", "text", None),
    ("责任单位", "responsible_unit", "text", None),
    ("包案领导", "leader", "text", None),
    ("访别", "visit_level", "level", None),
    ("限办日期", "deadline", "deadline", None),
    ("办结日期", "closed_date", "closed", None),
    ("办理结果", "outcome", "text", None),
    ("满意度", "satisfaction", "sat", None),
)
_COLUMNS = {
    "county": COUNTY_COLUMNS,
    "hotline": HOTLINE_COLUMNS,
    "national": NATIONAL_COLUMNS,
    "csv": CSV_COLUMNS,
}
_HOTLINE_CHANNELS = {
    "来电": ("12345热线", "市长热线", "来电"),
    "网上信访": ("网站留言", "微信", "网上"),
}


# ---- preparing a sheet's rows ------------------------------------------------------------------
def _check(cases: pd.DataFrame, layout: str, path: Path) -> None:
    if layout not in LAYOUTS:
        raise ValueError(f"未知的台账样式 {layout!r}, 可选: {', '.join(LAYOUTS)} (unknown layout)")
    if not isinstance(cases, pd.DataFrame):
        raise TypeError("cases 必须是 DataFrame (cases must be a pandas DataFrame)")
    if path.suffix.lower() != _SUFFIX[layout]:
        raise ValueError(
            f"样式 {layout} 应写成 {_SUFFIX[layout]} 文件, 收到 {path.name} "
            f"(layout {layout} writes {_SUFFIX[layout]} files)"
        )


def _flags(cases: pd.DataFrame, export_day: pd.Timestamp) -> dict[str, pd.Series]:
    """bjbz / cfxfbz / jabz as the national system writes them (是/否)."""
    closed = cases["closed_date"].notna()
    if "true_matter" in cases.columns:
        key = cases["true_matter"].astype(TEXT_DTYPE)
    else:
        key = cases["id_number"].fillna(cases["petitioner"]).astype(TEXT_DTYPE)
        key = key + "|" + cases["category"].fillna("").astype(TEXT_DTYPE)
    order = cases["received_date"].sort_values(kind="stable").index
    repeat = key.loc[order].duplicated() & key.loc[order].notna()
    repeat = repeat.reindex(cases.index)
    age = (export_day - cases["received_date"]).dt.days
    backlog = ~closed & (age > 90)
    yes_no = {True: "是", False: "否"}
    return {
        "flag_closed": closed.map(yes_no),
        "flag_repeat": repeat.map(yes_no),
        "flag_backlog": backlog.map(yes_no),
    }


def _cells(
    cases: pd.DataFrame,
    columns,
    rng: np.random.Generator,
    *,
    layout: str,
    messy: bool,
    monthday_year: int | None,
) -> list[list]:
    """One list of cell values per column, in the order of ``columns``."""
    text_only = layout == "csv"
    numbers = layout != "csv"
    export_day = cases["received_date"].max() + pd.Timedelta(days=20)
    flags = _flags(cases, export_day) if layout == "national" else {}
    out = []
    for _header, col, kind, _group in columns:
        values = cases[col] if col else None
        if kind == "seq":
            cells = list(range(1, len(cases) + 1))
        elif kind in ("text", "leader"):
            cells = M.text_cells(values, rng, messy=messy)
        elif kind == "date":
            cells = M.date_cells(
                values, rng, messy=messy, monthday_year=monthday_year, text_only=text_only
            )
        elif kind == "datetime":
            cells = M.datetime_cells(values, rng, messy=messy)
        elif kind == "closed":
            cells = M.closed_cells(
                values, rng, messy=messy, monthday_year=monthday_year, text_only=text_only
            )
        elif kind == "deadline":
            cells = M.deadline_cells(
                values,
                cases["received_date"],
                rng,
                messy=messy,
                monthday_year=monthday_year,
                text_only=text_only,
            )
        elif kind == "count":
            cells = M.count_cells(values, rng, messy=messy)
        elif kind == "id":
            cells = M.id_cells(values, rng, messy=messy, numbers=numbers)
        elif kind == "phone":
            cells = M.phone_cells(values, rng, messy=messy, numbers=numbers)
        elif kind == "channel":
            cells = M.variant_cells(values, M.CHANNEL_VARIANTS, rng, messy=messy)
        elif kind == "hotline_channel":
            variants = {**M.CHANNEL_VARIANTS, **_HOTLINE_CHANNELS}
            cells = M.variant_cells(values, variants, rng, messy=messy)
        elif kind == "level":
            cells = M.variant_cells(values, M.LEVEL_VARIANTS, rng, messy=messy)
        elif kind == "sat":
            cells = M.variant_cells(values, M.SATISFACTION_VARIANTS, rng, messy=messy)
        elif kind.startswith("flag_"):
            cells = [str(v) for v in flags[kind]]
        else:  # pragma: no cover - a programming error in the column tables
            raise AssertionError(kind)
        out.append(cells)
    return out


def _county_order(cases: pd.DataFrame, main_year: int) -> tuple[pd.DataFrame, int]:
    """Rows of the main year first (一、本期受理), then older ones (二、往年积案).

    Within a section, a leader's cases are listed together (so 包案领导 can be merged).
    Returns the ordered frame and the number of rows in the first section.
    """
    year = cases["received_date"].dt.year
    old = (year < main_year).to_numpy()
    if not old.any():
        last = cases["received_date"].max()
        old = (
            cases["closed_date"].isna() & (last - cases["received_date"]).dt.days.gt(90)
        ).to_numpy()
        if old.all():
            old[:] = False
    parts = []
    for part in (cases[~old], cases[old]):
        first_day = part.groupby("leader", dropna=True)["received_date"].transform("min")
        key = first_day.reindex(part.index).fillna(part["received_date"])
        leader_rank = part["leader"].notna().astype(int)
        ordered = part.assign(_k=key, _l=leader_rank, _n=part["leader"].fillna(""))
        ordered = ordered.sort_values(["_k", "_l", "_n", "received_date"], kind="stable")
        parts.append(ordered.drop(columns=["_k", "_l", "_n"]))
    return pd.concat(parts), int((~old).sum())


def _title(cases: pd.DataFrame, main_year: int, rng: np.random.Generator) -> str:
    """河东县2026年1-10月信访事项登记台账, or one of the other ways titles are written."""
    months = cases.loc[cases["received_date"].dt.year == main_year, "received_date"].dt.month
    m1, m2 = int(months.min()), int(months.max())
    form = rng.choice(3, p=[0.6, 0.25, 0.15])
    if m1 == m2:
        span = f"{m1}月"
    elif form == 0:
        span = f"{m1}-{m2}月"
    elif form == 1:
        span = f"{m1}月至{m2}月"
    else:
        span = f"{m1}—{m2}月"
    name = "信访事项登记台账" if rng.random() < 0.7 else "群众来信来访登记台账"
    return f"{T.COUNTY}{main_year}年{span}{name}"


# ---- xlsx writing ------------------------------------------------------------------------------
class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook):
        base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter"}
        self.title = wb.add_format({**base, "bold": True, "font_size": 16, "align": "center"})
        self.plain = wb.add_format(base)
        self.header = wb.add_format(
            {**base, "bold": True, "border": 1, "align": "center", "text_wrap": True}
        )
        self.cell = wb.add_format({**base, "border": 1, "text_wrap": True})
        self.section = wb.add_format({**base, "bold": True, "border": 1})
        self.merged = wb.add_format({**base, "border": 1, "align": "center"})
        self.dates = [
            wb.add_format({**base, "border": 1, "num_format": f})
            for f in ("yyyy-mm-dd", "yyyy/m/d", 'yyyy"年"m"月"d"日"')
        ]
        self.datetime = wb.add_format({**base, "border": 1, "num_format": "yyyy-mm-dd hh:mm:ss"})


def _write_cell(ws, row: int, col: int, value, fmt: _Formats, rng: np.random.Generator) -> None:
    if isinstance(value, str):
        ws.write_string(row, col, value, fmt.cell)
    elif value is None:
        ws.write_blank(row, col, None, fmt.cell)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value, fmt.datetime)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, value, fmt.dates[int(rng.integers(3))])
    else:
        ws.write_number(row, col, value, fmt.cell)


def _write_rows(ws, start_row: int, cells: list[list], fmt: _Formats, rng, skip=None) -> None:
    for c, column in enumerate(cells):
        for i, value in enumerate(column):
            if skip and (start_row + i, c) in skip:
                continue
            _write_cell(ws, start_row + i, c, value, fmt, rng)


def _county_header(col: str | None, default: str, rng: np.random.Generator) -> str:
    variants = COUNTY_HEADER_VARIANTS.get(col or "", ())
    if not variants or rng.random() < 0.6:
        return default
    return variants[int(rng.integers(len(variants)))]


def _county_sheet(wb, ws, cases, rng, *, fmt: _Formats, messy: bool, unit: str) -> None:
    main_year = int(cases["received_date"].dt.year.max())
    ordered, n_first = _county_order(cases, main_year)
    cols = tuple(
        (_county_header(col, header, rng), col, kind, group)
        for header, col, kind, group in COUNTY_COLUMNS
    )
    ncol = len(cols)
    # dates of the title's year may be written without it (3月5日); older ones keep their year
    cells = _cells(ordered, cols, rng, layout="county", messy=messy, monthday_year=main_year)
    # rows 0-3: title, fill-in line, two header rows
    ws.merge_range(0, 0, 0, ncol - 1, _title(cases, main_year, rng), fmt.title)
    last = cases["received_date"].max() + pd.Timedelta(days=int(rng.integers(3, 12)))
    last = min(last, pd.Timestamp(main_year, 12, 31))
    ws.merge_range(1, 0, 1, 5, f"填报单位：{unit}（盖章）", fmt.plain)
    ws.merge_range(
        1, ncol - 4, 1, ncol - 1, f"填报时间：{last.year}年{last.month}月{last.day}日", fmt.plain
    )
    group_cols = [i for i, c in enumerate(cols) if c[3] == _GROUP]
    ws.merge_range(2, group_cols[0], 2, group_cols[-1], _GROUP, fmt.header)
    for i, (header, _col, _kind, group) in enumerate(cols):
        if group:
            ws.write_string(3, i, header, fmt.header)
        else:
            ws.merge_range(2, i, 3, i, header, fmt.header)
    ws.set_row(2, 24)
    ws.set_row(3, 30)
    # body: section 1, rows, section 2, rows (row numbers below are 0-based for xlsxwriter)
    body_top = 4
    ws.merge_range(body_top, 0, body_top, ncol - 1, "一、本期受理信访事项", fmt.section)
    first_rows = list(range(body_top + 1, body_top + 1 + n_first))
    rest = len(ordered) - n_first
    second_head = body_top + 1 + n_first
    rows = first_rows
    if rest:
        ws.merge_range(second_head, 0, second_head, ncol - 1, "二、往年积案", fmt.section)
        rows = first_rows + list(range(second_head + 1, second_head + 1 + rest))
    # 包案领导 merged over consecutive rows of the same leader (within a section)
    lcol = next(i for i, c in enumerate(cols) if c[1] == "leader")
    leaders = [v if isinstance(v, str) else None for v in ordered["leader"].tolist()]
    skip: set[tuple[int, int]] = set()
    i = 0
    while i < len(rows):
        j = i
        while (
            j + 1 < len(rows)
            and rows[j + 1] == rows[j] + 1
            and leaders[i] is not None
            and leaders[j + 1] == leaders[i]
        ):
            j += 1
        if j > i:
            ws.merge_range(rows[i], lcol, rows[j], lcol, leaders[i], fmt.merged)
            skip.update((r, lcol) for r in rows[i : j + 1])
        i = j + 1
    for c, column in enumerate(cells):
        for k, value in enumerate(column):
            if (rows[k], c) not in skip:
                _write_cell(ws, rows[k], c, value, fmt, rng)
    end = rows[-1] + 1 if rows else body_top + 1
    # 合计, signatures, notes
    ccol = next(i for i, c in enumerate(cols) if c[1] == "person_count")
    ws.write_string(end, 0, "合计", fmt.section)
    ws.merge_range(end, 1, end, ccol - 1, f"共{len(ordered)}件", fmt.section)
    ws.write_number(end, ccol, int(ordered["person_count"].fillna(1).sum()), fmt.section)
    signers = make_names(rng, 2, male=rng.random(2) < 0.5)
    ws.write_string(
        end + 2,
        0,
        f"填表人：{signers[0]}        审核人：{signers[1]}        联系电话：0371-6{rng.integers(1000000, 9999999)}",
        fmt.plain,
    )
    ws.write_string(
        end + 3,
        0,
        "注：1.信访形式填写来信、来访、网上信访、来电、传真；2.办理时限按《信访工作条例》规定，"
        "一般为60日；3.包案领导栏填写县级包案领导姓名。",
        fmt.plain,
    )
    widths = {"summary": 48, "address": 24, "id_number": 21, "outcome": 30, "responsible_unit": 18}
    for i, c in enumerate(cols):
        ws.set_column(i, i, widths.get(c[1], 11))


def _flat_sheet(wb, ws, cases, rng, *, fmt: _Formats, layout: str, messy: bool, unit: str) -> None:
    cols = _COLUMNS[layout]
    cells = _cells(cases, cols, rng, layout=layout, messy=messy, monthday_year=None)
    top = 0
    if layout == "national":
        stamp = cases["received_date"].max() + pd.Timedelta(days=20)
        ws.write_string(0, 0, f"信访事项查询结果（{unit}）导出时间：{stamp:%Y-%m-%d}", fmt.plain)
        top = 1
    for i, (header, *_rest) in enumerate(cols):
        ws.write_string(top, i, header, fmt.header)
    _write_rows(ws, top + 1, cells, fmt, rng)
    widths = {"summary": 48, "outcome": 30, "received_date": 20, "closed_date": 20}
    for i, c in enumerate(cols):
        ws.set_column(i, i, widths.get(c[1], 12))


def _cannot_write(path: Path, exc: BaseException) -> str:
    return (
        f"无法写入文件 {path}: {exc}. 如果它正在 Excel 中打开, 请先关闭再试 "
        f"(cannot write {path.name}; close it in Excel and retry)"
    )


# ---- public ------------------------------------------------------------------------------------
def write_ledger_book(
    groups: Mapping[str, pd.DataFrame],
    path,
    *,
    layout: str = "county",
    seed: int = 0,
    messy: bool = True,
    unit: str | None = None,
) -> Path:
    """Write several frames as the sheets of one workbook ({sheet name: cases}).

    Same layouts as :func:`write_ledger` except ``csv`` (a CSV file has one table only).
    Returns the path written.
    """
    path = Path(path)
    if layout == "csv":
        if len(groups) != 1:
            raise ValueError("CSV 文件只能有一张表 (a CSV file holds one sheet only)")
    if not groups:
        raise ValueError("没有要写入的工作表 (no sheets to write)")
    frames = {}
    for name, frame in groups.items():
        _check(frame, layout, path)
        if not str(name) or len(str(name)) > 31 or any(ch in str(name) for ch in "[]:*?/\\"):
            raise ValueError(f"工作表名不合法: {name!r} (invalid sheet name)")
        frames[str(name)] = conform_cases(frame)
    unit = unit or f"{T.COUNTY}信访局"
    path.parent.mkdir(parents=True, exist_ok=True)
    if layout == "csv":
        (frame,) = frames.values()
        rng = np.random.default_rng([seed, 0])
        cells = _cells(frame, CSV_COLUMNS, rng, layout="csv", messy=messy, monthday_year=None)
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow([c[0] for c in CSV_COLUMNS])
        for row in zip(*cells, strict=True):
            writer.writerow(["" if v is None else v for v in row])
        try:
            path.write_bytes(buf.getvalue().encode("gbk"))
        except OSError as exc:
            raise OSError(_cannot_write(path, exc)) from exc
        return path
    wb = xlsxwriter.Workbook(str(path), {"nan_inf_to_errors": True})
    # a fixed creation time derived from the data, so the same seed gives the same bytes
    latest = max((f["received_date"].max() for f in frames.values() if len(f)), default=None)
    stamp = (latest if pd.notna(latest) else pd.Timestamp("2026-01-01")) + pd.Timedelta(days=20)
    wb.set_properties({"created": stamp.to_pydatetime(), "author": unit})
    try:
        fmt = _Formats(wb)
        for k, (name, frame) in enumerate(frames.items()):
            ws = wb.add_worksheet(name)
            rng = np.random.default_rng([seed, k])
            if len(frame) == 0:
                continue
            if layout == "county":
                _county_sheet(wb, ws, frame, rng, fmt=fmt, messy=messy, unit=unit)
            else:
                _flat_sheet(wb, ws, frame, rng, fmt=fmt, layout=layout, messy=messy, unit=unit)
    finally:
        try:
            wb.close()
        except (OSError, xlsxwriter.exceptions.FileCreateError) as exc:
            raise OSError(_cannot_write(path, exc)) from exc
    return path


def write_ledger(
    cases: pd.DataFrame,
    path,
    *,
    layout: str = "county",
    seed: int = 0,
    messy: bool = True,
    sheets: str | None = None,
    unit: str | None = None,
) -> Path:
    """Write ``cases`` as one ledger file the way offices keep them; returns the path.

    ``layout``: "county" (.xlsx 台账 with title, two-row merged header, sections, 合计 and notes),
    "hotline" (.xlsx 12345 export), "national" (.xlsx, pinyin-code headers) or "csv" (GBK).
    ``messy=True`` mixes date spellings, counts like 3人/三人, full-width digits, null words,
    lower-case x and IDs stored as numbers, phones with dashes, channel/level variants.
    ``sheets``: a column name (e.g. "locality") to write one sheet per value.
    ``unit``: the reporting office named in the fill-in line (default 河东县信访局).
    """
    path = Path(path)
    _check(cases, layout, path)
    default_sheet = {"county": "台账", "hotline": "工单", "national": "Sheet1", "csv": "csv"}[
        layout
    ]
    if sheets is None:
        groups = {default_sheet: cases}
    else:
        if sheets not in cases.columns:
            raise ValueError(f"没有列 {sheets!r}, 无法按它分表 (no column {sheets!r} to split by)")
        keys = cases[sheets].fillna("未填").astype(str)
        groups = {k: cases[keys == k] for k in sorted(keys.unique())}
    return write_ledger_book(groups, path, layout=layout, seed=seed, messy=messy, unit=unit)
