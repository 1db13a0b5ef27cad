"""export_docx(): reopened with python-docx; text, tables, East Asian fonts, no personal data."""

from __future__ import annotations

import pytest
from docx import Document
from docx.oxml.ns import qn
from test_report_ledger import END, START, TODAY, ledger

from xinfang_toolkit.report import draft_report, export_docx, summarize


@pytest.fixture(scope="module")
def summary():
    return summarize(ledger(), start=START, end=END, today=TODAY, compare="yoy")


@pytest.fixture(scope="module")
def doc(summary, tmp_path_factory):
    path = export_docx(summary, tmp_path_factory.mktemp("docx") / "sub" / "报告.docx")
    assert path.is_file()
    return Document(str(path))


def _all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        parts += [c.text for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_title_and_drafted_text(doc, summary):
    paras = [p.text for p in doc.paragraphs]
    # the title and its period on two lines (a line break, never a break inside a date)
    assert paras[0] == "信访工作情况报告\n（2021年1月1日至2021年4月30日）"
    assert "统计截至2021年4月30日" in paras[1]
    for line in draft_report(summary).splitlines():
        assert line in paras
    assert "一、基本情况" in paras and "附表" in paras and "附图" in paras


def test_tables_hold_the_summary_figures(doc, summary):
    tables = {}
    for t in doc.tables:  # the first table of each header (总体情况 before 同比 and 说明)
        tables.setdefault(t.rows[0].cells[0].text, t)
    esc = tables["信访去向"]
    rows = [[c.text for c in r.cells] for r in esc.rows]
    assert rows[0] == ["信访去向", "报告用语", "批次", "人次"]
    assert ["国家", "进京", "2", "3"] in rows and ["市", "到市", "2", "14"] in rows
    overview = {r.cells[0].text: r.cells[1].text for r in tables["指标"].rows}
    assert overview["按期办结率"] == "80%" and overview["信访总量（件）"] == "9"
    cats = [[c.text for c in r.cells] for r in tables["内容分类"].rows]
    assert ["国土资源", "3", "16", "33.3%", "土地纠纷"] in cats  # national class, 原分类 kept


def test_east_asian_fonts(doc):
    body = next(p for p in doc.paragraphs if p.text.startswith("2021年1月1日"))
    heading = next(p for p in doc.paragraphs if p.text == "二、反映的主要问题")
    title = doc.paragraphs[0]

    def east(run):
        return run._element.rPr.rFonts.get(qn("w:eastAsia"))

    assert {east(r) for r in body.runs} == {"仿宋_GB2312"}
    assert {east(r) for r in heading.runs} == {"黑体"}
    assert {east(r) for r in title.runs} == {"方正小标宋简体"}
    assert doc.styles["Title"].element.pPr.find(qn("w:pBdr")) is None  # no blue rule
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.get(qn("w:ascii")) == "Times New Roman"
    # the font table names a fallback for fonts a machine may not have
    font_table = next(
        p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"
    ).blob.decode("utf-8")
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in font_table


def test_page_numbers_in_footer(doc):
    footer = doc.sections[0].footer.paragraphs[0]
    fields = footer._element.findall(".//" + qn("w:fldSimple"))
    assert [f.get(qn("w:instr")) for f in fields] == ["PAGE"]
    assert footer.text.startswith("— ") and footer.text.endswith(" —")


def test_charts_embedded_and_optional(doc, summary, tmp_path):
    assert len(doc.inline_shapes) == 3  # categories, escalation, on-time rate
    plain = Document(str(export_docx(summary, tmp_path / "plain.docx", charts=False)))
    assert len(plain.inline_shapes) == 0 and len(plain.tables) == len(doc.tables)


def test_no_personal_data(doc):
    text = _all_text(doc)
    df = ledger()
    for col in ("petitioner", "id_number", "phone"):
        for value in df[col].dropna():
            assert value not in text


def test_custom_text_and_bad_input(summary, tmp_path):
    d = Document(str(export_docx(summary, tmp_path / "t.docx", text="一、概况\n正文一段。")))
    paras = [p.text for p in d.paragraphs]
    assert "正文一段。" in paras and "二、办理情况" not in paras
    with pytest.raises(TypeError, match="Summary"):
        export_docx(ledger(), tmp_path / "x.docx")


def test_signature_block_and_wide_columns_for_long_unit_names(summary, tmp_path):
    path = export_docx(
        summary,
        tmp_path / "落款.docx",
        issuer="某县人民政府信访局",
        issue_date="2021-05-12",
        charts=False,
    )
    doc = Document(str(path))
    paras = [p.text for p in doc.paragraphs]
    at = paras.index("某县人民政府信访局")
    assert paras[at + 1] == "2021年5月12日"
    assert paras.index("附表") > at  # 落款 closes the text, the tables follow
    plain = Document(str(export_docx(summary, tmp_path / "无.docx", charts=False)))
    assert "某县人民政府信访局" not in [p.text for p in plain.paragraphs]
    units = next(t for t in doc.tables if t.rows[0].cells[0].text == "责任单位")
    widths = [c.width for c in units.columns]
    # 超期未办结 is the longest text of this table: its column is the widest
    assert widths[4] == max(widths) and widths[1] == min(widths)  # 件数
    assert sum(widths) <= 15.7 * 360000  # within the text width of the page (EMU per cm)


def test_long_unit_names_widen_their_column():
    import pandas as pd

    from xinfang_toolkit.report._docx import _column_widths

    frame = pd.DataFrame({"责任单位": ["某某县自然资源和规划局不动产登记中心"], "件数": [3]})
    narrow, wide = (
        _column_widths(frame, [["甲", "3"]]),
        _column_widths(frame, [["某某县自然资源和规划局不动产登记中心", "3"]]),
    )
    assert wide[0] > narrow[0] and wide[1] < narrow[1]


def test_movement_table_and_definitions_page(doc, summary):
    paras = [p.text for p in doc.paragraphs]
    assert "表11 增减变化" in paras or any(p.endswith(" 增减变化") for p in paras)
    moves = next(t for t in doc.tables if t.rows[0].cells[0].text == "维度")
    rows = [[c.text for c in r.cells] for r in moves.rows]
    assert rows[0] == ["维度", "项目", "本期", "上期", "增减", "增减幅度", "变化"]
    assert len(rows) - 1 == len(summary.movements)
    assert ["内容分类", "国土资源", "3", "1", "2", "200%", "基本持平"] in rows
    assert ["信访形式", "来信", "1", "0", "1", "", "基本持平"] in rows  # no rate against 0
    # 说明: every registry figure with its definition, after the appendix
    assert paras.index("说明") > paras.index("附表")
    before = doc.paragraphs[paras.index("说明") - 1]
    assert before._element.findall(".//" + qn("w:br"))[0].get(qn("w:type")) == "page"
    from xinfang_toolkit.analysis import FIGURES

    defs = doc.tables[-1]
    got = {r.cells[0].text: r.cells[2].text for r in defs.rows[1:]}
    assert got == {f.name: f.definition for f in FIGURES}


def test_second_level_headings_in_kaiti(doc):
    sub = next(p for p in doc.paragraphs if p.text == "（一）加强领导，落实信访工作责任")
    assert {r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in sub.runs} == {"楷体_GB2312"}
    body = next(p for p in doc.paragraphs if p.text.startswith("（五）【请补充"))
    assert {r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in body.runs} == {"仿宋_GB2312"}
