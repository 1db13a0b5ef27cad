"""export_docx(): the work report as a Word document in official-document style.

East Asian text needs its own font slot (``w:eastAsia`` in ``w:rFonts``): Word and WPS use it
for Chinese characters, whatever ``font.name`` says. Body text is 仿宋_GB2312 (三号), headings
黑体, second-level headings （一）… 楷体_GB2312, the title 方正小标宋简体 (二号); the document's font table names a fallback for each
(仿宋, 黑体, 宋体), used by Word and WPS where the first font is not installed.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .. import privacy
from .._atomic import MARKER, atomic_path
from ..analysis import figure_table, to_day
from ..analysis._escalation import VISIT_CHANNEL
from ..schema import TEXT_DTYPE
from ._draft import draft_report
from ._summary import MOVEMENTS_TABLE, UNIT_TABLE, Summary
from ._tables import (
    display,
    is_percent_column,
    protect_table,
    row_is_percent,
    safe_text,
    text_width,
)

__all__ = ["FONTS", "export_docx"]

#: East Asian fonts: (font, fallback). Latin text uses Times New Roman.
FONTS: dict[str, tuple[str, str]] = {
    "title": ("方正小标宋简体", "宋体"),
    "heading": ("黑体", "SimHei"),
    "subheading": ("楷体_GB2312", "楷体"),
    "body": ("仿宋_GB2312", "仿宋"),
    "table": ("仿宋_GB2312", "仿宋"),
}
LATIN = "Times New Roman"
_SIZES = {
    "title": Pt(22),
    "heading": Pt(16),
    "subheading": Pt(16),
    "body": Pt(16),
    "table": Pt(10.5),
}
#: tables put in the document, in this order (those present in the Summary)
DOC_TABLES: tuple[str, ...] = (
    "总体情况",
    "信访形式",
    "内容分类",
    "信访去向",
    "集体访与个访",
    "办理状态",
    "积案",
    "积案类别",
    "信访量较多的单位",
    UNIT_TABLE,
    "同比",
    "环比",
    MOVEMENTS_TABLE,
)
_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
#: a second-level heading of 公文: （一）… on a line of its own, without a full stop (楷体)
_SUBHEADING = re.compile(r"^（[一二三四五六七八九十]+）[^。：【]{2,30}$")
#: width of the text area of an A4 page with the margins below (21 - 2.8 - 2.6 cm)
TEXT_WIDTH_CM = 15.6


def _set_fonts(rpr_owner, kind: str) -> None:
    """Set Latin and East Asian fonts on a run or a style (its w:rPr)."""
    east = FONTS[kind][0]
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr, value in (
        ("w:ascii", LATIN),
        ("w:hAnsi", LATIN),
        ("w:cs", LATIN),
        ("w:eastAsia", east),
        ("w:hint", "eastAsia"),
    ):
        fonts.set(qn(attr), value)
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme_attr), None)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _run(paragraph, text: str, kind: str, *, bold: bool = False):
    run = paragraph.add_run(safe_text(text))
    run.font.size = _SIZES[kind]
    run.bold = bold or None
    _set_fonts(run._element, kind)
    return run


def _styles(doc) -> None:
    for name, kind in (("Normal", "body"), ("Title", "title"), ("Heading 1", "heading")):
        style = doc.styles[name]
        style.font.name = LATIN
        style.font.size = _SIZES[kind]
        _set_fonts(style.element, kind)
    for name in ("Title", "Heading 1"):
        doc.styles[name].font.color.rgb = None  # black, not the theme's blue
        doc.styles[name].font.bold = False  # 黑体 and 小标宋 are not set in bold
        ppr = doc.styles[name].element.pPr
        border = ppr.find(qn("w:pBdr")) if ppr is not None else None
        if border is not None:  # the template's Title has a blue rule under it
            ppr.remove(border)


def _font_table(doc) -> None:
    """Declare each East Asian font with its fallback (w:altName) in word/fontTable.xml."""
    part = next(
        (p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"),
        None,
    )
    if part is None or not hasattr(part, "_blob"):
        return
    xml = part.blob.decode("utf-8")
    entries = []
    for font, fallback in {v for v in FONTS.values()}:
        if f'w:name="{font}"' in xml:
            continue
        entries.append(
            f'<w:font w:name="{font}"><w:altName w:val="{fallback}"/>'
            '<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
        )
    if entries:
        xml = xml.replace("</w:fonts>", "".join(entries) + "</w:fonts>")
        part._blob = xml.encode("utf-8")


def _page_numbers(section) -> None:
    """A centred page number "— 1 —" in the footer (a PAGE field, filled in by Word / WPS)."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, "— ", "table")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = _run(p, "1", "table")
    run._element.addprevious(field)
    field.append(run._element)
    _run(p, " —", "table")


def _body_paragraph(doc, text: str) -> None:
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.first_line_indent = Pt(32)  # two characters of 三号
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_after = Pt(0)
    _run(p, text, "body")


def _heading(doc, text: str) -> None:
    p = doc.add_paragraph(style="Heading 1")
    p.paragraph_format.first_line_indent = Pt(32)
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.space_after = Pt(6)
    _run(p, text, "heading")


def _subheading(doc, text: str) -> None:
    """（一）…: 楷体, indented like the body, on its own line."""
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.first_line_indent = Pt(32)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_after = Pt(0)
    _run(p, text, "subheading")


#: the width of one text-width unit (half a CJK character) of the 10.5 pt table font, and the
#: cell margins plus a little air, in cm
_CM_PER_UNIT = 0.19
_CELL_PAD_CM = 0.45


def _column_widths(frame: pd.DataFrame, texts: list[list[str]]) -> list[float]:
    """Column widths (cm) sized to their content: each column as wide as its widest text (2
    units per CJK character), so headers such as 件数 and numbers never wrap. A table wider
    than the page keeps its short columns whole and shares the rest among its long texts."""
    need = []
    for c, name in enumerate(frame.columns):
        widest = max([text_width(name)] + [text_width(row[c]) for row in texts])
        need.append(max(widest, 4) * _CM_PER_UNIT + _CELL_PAD_CM)
    if sum(need) <= TEXT_WIDTH_CM:
        return need
    short = [w <= 3.0 for w in need]
    fixed = sum(w for w, s in zip(need, short, strict=True) if s)
    rest = TEXT_WIDTH_CM - fixed
    long_total = sum(w for w, s in zip(need, short, strict=True) if not s)
    if rest <= 0 or long_total <= 0:  # nothing long to shrink: in proportion
        total = sum(need)
        return [TEXT_WIDTH_CM * w / total for w in need]
    return [w if s else w * rest / long_total for w, s in zip(need, short, strict=True)]


def _table(doc, title: str, frame: pd.DataFrame) -> None:
    cap = doc.add_paragraph()
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(cap, title, "heading").font.size = Pt(12)
    first = frame.columns[0]
    texts = []
    for _, row in frame.iterrows():
        line = []
        for name in frame.columns:
            pct = is_percent_column(name) or (
                name in ("数值", "本期", "上期", "增减") and row_is_percent(row[first])
            )
            line.append(display(row[name], percent=pct))
        texts.append(line)
    widths = _column_widths(frame, texts)
    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, name in zip(table.rows[0].cells, frame.columns, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], str(name), "table", bold=True)
    for line in texts:
        cells = table.add_row().cells
        for cell, name, value in zip(cells, frame.columns, line, strict=True):
            cell.paragraphs[0].alignment = (
                WD_ALIGN_PARAGRAPH.LEFT if name == first else WD_ALIGN_PARAGRAPH.CENTER
            )
            _run(cell.paragraphs[0], value, "table")
    for col, width in zip(table.columns, widths, strict=True):
        col.width = Cm(width)
        for cell in col.cells:
            cell.width = Cm(width)
    doc.add_paragraph()


def _title(doc, summary: Summary) -> None:
    """The title on its own line and the period on the next: a line never breaks inside a date."""
    title = doc.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, summary.title.split("（")[0], "title")
    title.runs[-1].add_break()
    _run(title, f"（{summary.period_text}）", "title").font.size = _SIZES["heading"]


def _signature(doc, issuer: str | None, issue_date: pd.Timestamp | None) -> None:
    """落款: the issuing unit and the date, right-aligned under the text."""
    doc.add_paragraph()
    for line in (
        issuer,
        issue_date and f"{issue_date.year}年{issue_date.month}月{issue_date.day}日",
    ):
        if line:
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(64)  # four characters from the right edge
            _run(p, str(line), "body")


def _charts(summary: Summary) -> list[tuple[str, bytes]]:
    """PNG images of the main charts (matplotlib, CJK font from plots)."""
    from .. import plots

    cases = summary.cases
    out: list[tuple[str, bytes]] = []
    if cases.empty:
        return out
    cats = summary.tables["内容分类"]
    if not cats.empty:
        counts = pd.Series(cats["件数"].to_numpy(), index=cats.iloc[:, 0].astype(str))
        fig = plots.plot_counts(counts, title="按内容分类统计", xlabel="件数")
        out.append(("图1 按内容分类统计", plots.to_png(fig, dpi=150)))
    visits = cases[cases["channel"].astype(TEXT_DTYPE) == VISIT_CHANNEL]
    if len(visits):
        fig = plots.plot_escalation(visits, title="来访去向（批次/人次）")
        out.append((f"图{len(out) + 1} 来访去向", plots.to_png(fig, dpi=150)))
    if "on_time" in cases.columns and cases["closed_date"].notna().any():
        fig = plots.plot_on_time_rate(cases)
        out.append((f"图{len(out) + 1} 按期办结率", plots.to_png(fig, dpi=150)))
    return out


def official_document():
    """An empty A4 document in the 公文 layout: styles and East Asian fonts, margins (3.7/3.5/2.8/2.6
    cm), page numbers, and the toolkit's mark in its properties (never read back as a ledger)."""
    doc = Document()
    _styles(doc)
    _font_table(doc)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _page_numbers(section)
    doc.core_properties.author = MARKER
    doc.core_properties.keywords = MARKER
    return doc


def export_docx(
    summary: Summary,
    path: str | Path,
    *,
    text: str | None = None,
    charts: bool = True,
    tables: tuple[str, ...] = DOC_TABLES,
    issuer: str | None = None,
    issue_date: object = None,
    signature: bool = True,
    notes: bool = True,
) -> Path:
    """Write the report as .docx: title, drafted text (``draft_report`` unless ``text``), the
    落款 (``issuer``, the issuing unit, and ``issue_date``, default today when an issuer is
    given; ``signature=False`` leaves it out), the main tables (with a comparison also the
    增减变化 table of every breakdown; the unit table when the Summary has it), the charts,
    and (``notes``) a 说明 page with the definition of each figure from the registry. The title and its
    period sit on two lines, so that no date is broken; table columns are as wide as their
    text needs. Holds no personal data (tables count cases; no names or numbers of persons).
    Returns the path written.
    """
    if not isinstance(summary, Summary):
        raise TypeError("export_docx 需要 summarize(...) 的结果 (a Summary)")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = draft_report(summary) if text is None else str(text)
    when = None
    if issue_date is not None or issuer:
        when = to_day(issue_date, name="issue_date 成文日期", default_today=True)

    doc = official_document()
    _title(doc, summary)
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    note = f"（{summary.as_of_text}，办理情况和积案均按这一天判断）"
    _run(sub, note, "body").font.size = Pt(12)

    for line in body.splitlines():
        line = line.strip()
        if not line:
            continue
        if _HEADING.match(line):
            _heading(doc, line)
        elif _SUBHEADING.match(line):
            _subheading(doc, line)
        else:
            _body_paragraph(doc, line)

    if signature and (issuer or when is not None):
        _signature(doc, issuer, when)

    present = [t for t in tables if t in summary.tables and not summary.tables[t].empty]
    if present:
        _heading(doc, "附表")
        names = privacy.known_names(summary.cases)
        for i, name in enumerate(present, start=1):
            _table(doc, f"表{i} {name}", protect_table(summary.tables[name], names=names))
    if charts:
        images = _charts(summary)
        if images:
            _heading(doc, "附图")
            for caption, png in images:
                doc.add_picture(io.BytesIO(png), width=Cm(15))
                doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
                cap = doc.add_paragraph()
                cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _run(cap, caption, "table")
    if notes:
        doc.add_page_break()  # 说明 on a page of its own
        _heading(doc, "说明")
        _body_paragraph(doc, "汇报中各项指标的统计口径如下（与数据看板、Excel 统计表相同）：")
        _table(doc, "指标口径", figure_table())
    doc.core_properties.title = summary.title
    with atomic_path(path) as tmp:  # whole or not at all
        doc.save(str(tmp))
    return path
