"""What :func:`load_cases` returns: :class:`LoadResult` (cases, issues, excluded rows, the sheets
looked at and the mapping of their headers), its Chinese summary and the mapping table."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from ..schema import LABELS_ZH
from ._issues import short
from ._match import APPROX, NONE
from ._values import CONTENT

#: columns of ``LoadResult.columns``: one row per header of every sheet read
COLUMN_TABLE: tuple[str, ...] = (
    "file",
    "sheet",
    "header",
    "canonical",
    "how",
    "score",
    "evidence",
    "layout",
)
#: columns whose absence from one sheet, when other sheets of the load have them, is worth a word
_EXPECTED_EVERYWHERE = (
    "received_date",
    "summary",
    "category",
    "channel",
    "petitioner",
    "locality",
    "visit_level",
    "person_count",
    "responsible_unit",
    "closed_date",
)
#: ... of which these are missed on any sheet of the load, the others within one workbook
_CORE = frozenset({"received_date", "summary", "category"})


@dataclass(frozen=True, eq=False)
class LoadResult:
    """What :func:`load_cases` read.

    ``cases``: one row per case (schema.conform_cases form plus flag and unmapped columns);
    ``issues``: one row per cell that was changed in a way a person should know or could not be
    read, and per sheet that could not be read (schema.ISSUE_COLUMNS); ``excluded``: every
    non-empty row that is not a case, with its reason (schema.EXCLUDED_COLUMNS); ``sources``: one
    row per sheet looked at (file, sheet, header_rows, cases, status); ``columns``: one row per
    header of every sheet read (:data:`COLUMN_TABLE`: file, sheet, header as written (列A ... for
    a sheet without a header row), canonical column or empty, how it was matched
    同义词/近似/按内容/人工指定/未识别, score 0-100, evidence: what the column holds, layout: for
    a sheet without a header row the shape its layout profile is keyed on, 无表头:列数:各列内容,
    else empty).
    """

    cases: pd.DataFrame
    issues: pd.DataFrame
    excluded: pd.DataFrame
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    columns: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COLUMN_TABLE))

    def __iter__(self):  # allows ``cases, issues, excluded = load_cases(...)``
        return iter((self.cases, self.issues, self.excluded))

    def summary(self, *, mask: bool = True) -> str:
        """A short Chinese account of what was read (counts only, no personal data): file and
        sheet names and header texts are shown masked (``privacy.mask_source``: ID and phone
        numbers, names of persons) unless ``mask=False``."""
        from .. import privacy

        show = privacy.SourceMasker() if mask else (lambda v: v)
        header = privacy.SourceMasker(parts=False) if mask else (lambda v: v)
        src = self.sources
        n_files = src["file"].nunique() if len(src) else 0
        read = src[src["status"] == "已读取"] if len(src) else src
        lines = [
            f"读取 {n_files} 个文件、{len(read)} 个工作表, 得到 {len(self.cases)} 件信访件。",
            f"需要核对的单元格 {len(self.issues)} 处; 未计入案件的非空行 {len(self.excluded)} 行。",
        ]
        if len(self.excluded):
            counts = self.excluded["reason"].value_counts()
            lines.append("未计入的行: " + "; ".join(f"{k} {v} 行" for k, v in counts.items()))
        if len(self.issues):
            counts = (
                self.issues["column"]
                .fillna("")
                .replace("", "(整表/整行)")
                .map(lambda c: LABELS_ZH.get(c, header(c)))
                .value_counts()
            )
            lines.append("问题所在列: " + "; ".join(f"{k} {v} 处" for k, v in counts.items()))
        if len(src):
            bad = src[~src["status"].isin(["已读取", "空表"])]
            for _, row in bad.iterrows():
                lines.append(
                    f"未读取: {show(row['file'])} / {show(row['sheet'])}: {show(row['status'])}"
                )
        lines.extend(_column_lines(self.columns, show=show, header=header))
        return "\n".join(lines)

    def masked(self) -> LoadResult:
        """A copy safe to display or export: personal data masked in cases (privacy.mask_pii),
        in the values and texts of issues and in excluded row texts (privacy.mask_issues),
        with every person the cases name masked wherever they appear."""
        from .. import privacy

        names = privacy.known_names(self.cases)
        show = privacy.SourceMasker(names)
        columns = privacy.mask_sources(self.columns, masker=show)
        if "header" in columns.columns:  # a note typed in a header row names persons too
            header = privacy.SourceMasker(names, parts=False)
            columns = columns.assign(header=columns["header"].map(header))
        return LoadResult(
            privacy.mask_pii(self.cases, names=names),
            privacy.mask_issues(self.issues, names=names),
            privacy.mask_issues(self.excluded, names=names),
            privacy.mask_sources(self.sources, masker=show),
            columns,
        )

    def __repr__(self) -> str:
        return (
            f"LoadResult(案件 {len(self.cases)} 件, 问题 {len(self.issues)} 处, "
            f"排除 {len(self.excluded)} 行, 工作表 {len(self.sources)} 个)"
        )

    def _repr_html_(self) -> str:
        body = "<br>".join(html.escape(line) for line in self.summary().splitlines())
        return f"<div><b>LoadResult</b><br>{body}</div>"


#: Chinese headers of the mapping table, for display and export
COLUMN_TABLE_ZH: dict[str, str] = {
    "file": "文件",
    "sheet": "工作表",
    "header": "表头",
    "canonical": "标准列",
    "how": "方式",
    "score": "分数",
    "evidence": "内容依据",
}


def mapping_table(columns: pd.DataFrame, *, mask: bool = True) -> pd.DataFrame:
    """``LoadResult.columns`` for people: Chinese headers, the standard column by its Chinese
    name (e.g. 反映问题 (summary)), nothing personal in it: file and sheet names and header
    texts masked (``privacy.SourceMasker``) unless ``mask=False``."""
    out = columns.reindex(columns=list(COLUMN_TABLE_ZH)).copy()
    if mask:
        from .. import privacy

        show, header = privacy.SourceMasker(), privacy.SourceMasker(parts=False)
        for col in ("file", "sheet"):
            out[col] = out[col].map(show)
        out["header"] = out["header"].map(header)
    out["canonical"] = out["canonical"].map(
        lambda c: f"{LABELS_ZH.get(c, c)} ({c})" if isinstance(c, str) and c else ""
    )
    return out.rename(columns=COLUMN_TABLE_ZH).reset_index(drop=True)


def _column_lines(columns: pd.DataFrame, *, show=lambda v: v, header=lambda v: v) -> list[str]:
    """summary() lines about headers: unmapped, approximate, and columns a sheet lacks
    (file and sheet names passed through ``show``, header texts through ``header``)."""
    if columns is None or not len(columns):
        return []
    lines = []
    named = columns[columns["header"].fillna("").astype(str).str.strip() != ""]
    for (file, sheet), part in named.groupby(["file", "sheet"], sort=False):
        where = f"{show(file)} / {show(sheet)}"
        unknown = part.loc[part["how"] == NONE, "header"].map(lambda h: short(header(h))).tolist()
        if unknown:
            lines.append(f"未识别的表头 ({where}, 按原表头保留): " + "、".join(unknown))
        for how, title, why in (
            (CONTENT, "按内容判断的列 ({}, 请核对): ", lambda r: r["evidence"]),
            (APPROX, "近似匹配的表头 ({}, 请核对, 可用 mapping= 改正): ", _points),
        ):
            rows = part[part["how"] == how]
            if len(rows):
                pairs = [
                    f"{short(header(r['header']))}→{LABELS_ZH.get(r['canonical'], r['canonical'])}"
                    f" ({why(r)})"
                    for _, r in rows.iterrows()
                ]
                lines.append(title.format(where) + "; ".join(pairs))
    have = (
        columns[columns["canonical"].fillna("") != ""]
        .groupby(["file", "sheet"], sort=False)["canonical"]
        .agg(set)
    )
    if len(have) > 1:
        everywhere = set().union(*have.tolist())
        for (file, sheet), got in have.items():
            # the contents of a case everywhere; other columns among sheets of the same file
            same_file = [g for (f, s), g in have.items() if f == file and s != sheet]
            nearby = set().union(*same_file) if same_file else set()
            lacking = [
                c
                for c in _EXPECTED_EVERYWHERE
                if c not in got and (c in nearby or (c in _CORE and c in everywhere))
            ]
            if lacking:
                names = "、".join(LABELS_ZH.get(c, c) for c in lacking)
                lines.append(
                    f"注意: {show(file)} / {show(sheet)} 没有其他工作表有的列: {names} "
                    "(表头写法不同? 可用 mapping= 指定)"
                )
    return lines


def _points(row) -> str:
    return f"{row['score']:.0f}分"
