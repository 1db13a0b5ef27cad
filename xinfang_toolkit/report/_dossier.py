"""一案一档: the file of one backlog matter, for the 会诊 (case conference).

A dossier is about a matter (a repeat chain, or a single case), never about a person: the
petitioner appears only as the chain's pseudonymous key, every free text is masked, and there
are no social relations or person-level scores. Its numbers are the matter's row of
``analysis.backlog_table`` and the figure registry's 积案 rows (the same on every surface).

Sections: the header (事项概况), the timeline (办理经过: every submission, 交办, 批示, answer,
督办, 回访, 化解 and archive version with its date), the demands as written (信访诉求, masked),
the answers and outcomes with their way of resolution (答复与办理结果), the precedents (类案参考),
and blank sections 症结 / 钥匙 / 措施 for the meeting. :meth:`Dossier.html` gives the same content
as escaped HTML (for ``widgets.PrecedentPanel``); :meth:`Dossier.to_docx` a Word file in the
report's 公文 style; :func:`export_dossiers` one file per matter and an index, written together.
"""

from __future__ import annotations

import contextlib
import html
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .._atomic import OutputError, atomic_outputs, written_by_toolkit
from ..analysis import (
    PrecedentIndex,
    backlog_table,
    enrich,
    figure_rows,
    to_day,
)
from ..analysis._enrich import AS_OF_ATTR
from ..privacy import TextMasker, frame_masker
from ..schema import TEXT_DTYPE
from ._html import table_html
from ._tables import display, safe_text

__all__ = ["Dossier", "DossierBook", "dossier", "export_dossiers"]

#: the three sections the 会诊 fills in (找准症结、找准钥匙、找准措施)
MEETING_SECTIONS: tuple[tuple[str, str], ...] = (
    ("症结", "问题的根源在哪里（由会诊填写）"),
    ("钥匙", "化解的关键在哪里（由会诊填写）"),
    ("措施", "具体措施、责任单位和时限（由会诊填写）"),
)
#: the sections of every dossier, in order (Word headings and HTML headings alike)
SECTIONS: tuple[str, ...] = (
    "一、事项概况",
    "二、办理经过",
    "三、信访诉求",
    "四、答复与办理结果",
    "五、类案参考",
    "六、会诊意见",
)
#: the marker file of a folder written by :func:`export_dossiers` (lists the files it wrote)
MARKER = ".xinfang_dossiers"
INDEX_NAME = "积案卷宗索引.csv"


#: the case columns a dossier reads (the handling columns only where the frame has them)
_USED: tuple[str, ...] = (
    "case_id",
    "chain_id",
    "chain_seq",
    "person_key",
    "petitioner",
    "received_date",
    "channel",
    "person_count",
    "locality",
    "category",
    "category_level2",
    "responsible_unit",
    "leader",
    "visit_level",
    "summary",
    "due_date",
    "status",
    "overdue_days",
    "closed_date",
    "days_taken",
    "outcome",
    "satisfaction",
    "repeat_count",
    "assigned_by",
    "assigned_date",
    "feedback_due",
    "instruction",
    "supervision_count",
    "follow_up_date",
    "follow_up_result",
    "key_case",
    "resolved_date",
    "resolved_flag",
    "resolution_type",
)


def _day(value: object) -> str:
    return "" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d}"


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series(pd.NA, index=frame.index, dtype="object")


@dataclass
class Dossier:
    """One matter's file. ``header``: label -> value (texts); ``figures``: the numbers (as in
    ``backlog_table``); ``timeline``, ``demands``, ``answers``, ``precedents``: frames with
    Chinese headers, masked."""

    chain_id: str
    title: str
    header: dict[str, str]
    figures: dict[str, object]
    timeline: pd.DataFrame
    demands: pd.DataFrame
    answers: pd.DataFrame
    precedents: pd.DataFrame
    as_of: pd.Timestamp
    notes: dict[str, str] = field(default_factory=dict)

    # -- HTML ------------------------------------------------------------------------------
    def html(self) -> str:
        """The dossier as HTML; every value escaped."""
        e = html.escape
        parts = [f"<div class='xf-dossier'><h3>{e(self.title)}</h3>"]
        parts.append(f"<p class='xf-muted'>统计截至 {e(_day(self.as_of))}</p>")
        parts.append(f"<h4>{e(SECTIONS[0])}</h4><table>")
        for k, v in self.header.items():
            parts.append(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>")
        parts.append("</table>")
        for title, frame in zip(
            SECTIONS[1:5], (self.timeline, self.demands, self.answers, self.precedents), strict=True
        ):
            parts.append(f"<h4>{e(title)}</h4>")
            parts.append(_frame_html(frame))
        parts.append(f"<h4>{e(SECTIONS[5])}</h4>")
        for name, hint in MEETING_SECTIONS:
            note = self.notes.get(name, "")
            parts.append(
                f"<p><b>{e(name)}</b>：<span class='xf-muted'>{e(note or hint)}</span></p>"
            )
        parts.append("</div>")
        return "".join(parts)

    def _repr_html_(self) -> str:
        return self.html()

    # -- Word ------------------------------------------------------------------------------
    def to_docx(self, path: str | Path) -> Path:
        """Write the dossier as a Word file (whole or not at all); returns the path."""
        path = Path(path)
        with atomic_outputs([path]) as (tmp,):
            self._document().save(str(tmp))
        return path

    def _document(self):
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        from ._docx import _run

        doc = _new_document()
        title = doc.add_paragraph()
        title._p.style = "Title"
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(title, self.title, "title")
        sub = doc.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(sub, f"（统计截至{_day(self.as_of)}；信访人以匿名编号表示）", "body").font.size = Pt(
            12
        )
        _heading(doc, SECTIONS[0])
        head = pd.DataFrame({"项目": list(self.header), "内容": list(self.header.values())})
        _table(doc, "表1 事项概况", head)
        for i, (name, frame) in enumerate(
            zip(
                SECTIONS[1:5],
                (self.timeline, self.demands, self.answers, self.precedents),
                strict=True,
            ),
            start=2,
        ):
            _heading(doc, name)
            if frame.empty:
                p = doc.add_paragraph()
                _run(p, "（无记录）", "body")
            else:
                _table(doc, f"表{i} {name[2:]}", frame)
        _heading(doc, SECTIONS[5])
        for name, hint in MEETING_SECTIONS:
            p = doc.add_paragraph()
            _run(p, f"{name}：", "body", bold=True)
            _run(p, self.notes.get(name, "") or f"（{hint}）", "body")
            for _ in range(3):
                doc.add_paragraph()
        doc.core_properties.title = safe_text(self.title)
        doc.core_properties.author = "xinfang_toolkit"
        return doc


def _heading(doc, text: str) -> None:
    """A 黑体 heading as ``_docx._heading`` writes it (style set by id: looking the style up by
    its name scans the styles part on every call)."""
    from docx.shared import Pt

    from ._docx import _run

    p = doc.add_paragraph()
    p._p.style = "Heading1"
    p.paragraph_format.first_line_indent = Pt(32)
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.space_after = Pt(6)
    _run(p, text, "heading")


def _cell_xml(text: str, width: int, *, bold: bool, center: bool) -> str:
    from xml.sax.saxutils import escape

    from ._docx import FONTS, LATIN

    east = FONTS["table"][0]
    jc = '<w:jc w:val="center"/>' if center else ""
    b = "<w:b/>" if bold else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p><w:pPr>{jc}</w:pPr>'
        f'<w:r><w:rPr><w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:cs="{LATIN}" '
        f'w:eastAsia="{east}" w:hint="eastAsia"/>{b}<w:sz w:val="21"/>'
        f'<w:lang w:eastAsia="zh-CN"/></w:rPr>'
        f'<w:t xml:space="preserve">{escape(safe_text(text))}</w:t></w:r></w:p></w:tc>'
    )


def _table(doc, title: str, frame: pd.DataFrame) -> None:
    """A caption and a table in the report's style (``_docx._table``'s look: grid, 五号 仿宋,
    bold centred header, columns as wide as their text), built as one piece of XML: python-docx
    adds cells one element at a time, 100 times slower for a dossier's tables."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    from ._docx import TEXT_WIDTH_CM, _column_widths, _run

    cap = doc.add_paragraph()
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(cap, title, "heading").font.size = Pt(12)
    texts = [[display(v) for v in row] for row in frame.itertuples(index=False)]
    widths = [int(w / 2.54 * 1440) for w in _column_widths(frame, texts)]  # cm -> twips
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    head = "".join(
        _cell_xml(str(c), w, bold=True, center=True)
        for c, w in zip(frame.columns, widths, strict=True)
    )
    rows = [f"<w:tr>{head}</w:tr>"]
    for line in texts:
        cells = "".join(
            _cell_xml(t, w, bold=False, center=i > 0)
            for i, (t, w) in enumerate(zip(line, widths, strict=True))
        )
        rows.append(f"<w:tr>{cells}</w:tr>")
    total = int(TEXT_WIDTH_CM / 2.54 * 1440)
    xml = (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        f'<w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )
    cap._p.addnext(parse_xml(xml))
    doc.add_paragraph()


_TEMPLATE: list[bytes] = []  # the styled empty document, prepared once per process


def _new_document():
    """An empty A4 document in the report's 公文 style (fonts, margins, page numbers); the
    styling is done once and the result reopened for every dossier."""
    import io

    from docx import Document

    from ._docx import official_document

    if not _TEMPLATE:
        doc = official_document()
        buffer = io.BytesIO()
        doc.save(buffer)
        _TEMPLATE.append(buffer.getvalue())
    return Document(io.BytesIO(_TEMPLATE[0]))


def _frame_html(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "<p class='xf-muted'>（无记录）</p>"
    return table_html(frame)  # the report's one escaped HTML table


class DossierBook:
    """What many dossiers of one cases frame share, computed once: the prepared cases, the
    backlog table, the registry's 积案 rows, the chain positions, and the precedent index.

    ``cases``: enriched cases (``analysis.enrich``), or raw cases (enriched here as of
    ``today``). ``archive``: a ``CaseArchive`` whose history adds each case's versions to the
    timeline. ``activities``: an activity register (rows with ``case_id`` and a date column
    ``activity_date`` or ``date``, and ``activity_type`` or ``kind``), optional.
    """

    def __init__(
        self,
        cases: pd.DataFrame,
        *,
        today: object = None,
        archive=None,
        activities: pd.DataFrame | None = None,
        k: int = 5,
        index: PrecedentIndex | None = None,
        backlog: pd.DataFrame | None = None,
    ) -> None:
        counted = cases.attrs.get(AS_OF_ATTR)
        stale = (
            counted is not None
            and today is not None
            and to_day(today, name="today 统计日") != pd.Timestamp(counted)
        )
        if stale or "is_backlog" not in cases.columns or "chain_id" not in cases.columns:
            cases = enrich(cases, today=today)  # counted as of another day: again, as of today
        day = cases.attrs.get(AS_OF_ATTR) if today is None else today
        self.today = to_day(day, name="today 统计日", default_today=True)
        self.cases = cases
        self.archive = archive
        self.activities = activities
        self.k = int(k)
        self.backlog = backlog_table(cases, today=self.today) if backlog is None else backlog
        rows = figure_rows(cases, "backlog.end", as_of=self.today)
        self._backlog_rows = np.zeros(len(cases), dtype=bool)
        self._backlog_rows[cases.index.get_indexer(rows.index)] = True
        codes, uniques = pd.factorize(cases["chain_id"].astype(TEXT_DTYPE), use_na_sentinel=True)
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
        self._chain_pos = {str(u): order[bounds[i] : bounds[i + 1]] for i, u in enumerate(uniques)}
        self._ids = cases["case_id"].astype(TEXT_DTYPE)
        self._index = index
        self.index_fitted = index is not None
        self._masker: TextMasker | None = None

    @property
    def masker(self) -> TextMasker:
        """Masks a dossier's free text: every person the cases know (a summary may name the
        petitioner of another matter), built once on first use (or the index's, when fitted)."""
        if self._masker is None:
            fitted = self._index is not None and self._index.cases is self.cases
            self._masker = self._index.masker if fitted else frame_masker(self.cases)
        return self._masker

    @property
    def index(self) -> PrecedentIndex:
        """The precedent index over the cases (fitted on first use)."""
        if self._index is None:
            self._index = PrecedentIndex(as_of=self.today).fit(self.cases)
        return self._index

    def chain_of(self, matter) -> str:
        """The chain id of a matter given as a chain id, a case id or a backlog_table row."""
        if isinstance(matter, pd.Series):
            matter = matter.get("chain_id")
        if isinstance(matter, dict):
            matter = matter.get("chain_id")
        key = str(matter)
        if key in self._chain_pos:
            return key
        hits = np.flatnonzero((self._ids == key).fillna(False).to_numpy())
        if len(hits):
            return str(self.cases["chain_id"].iloc[hits[0]])
        raise KeyError(f"没有这个积案事项或信访件：{key!r} / no such matter or case")

    def dossier(self, matter, *, precedents: bool = True) -> Dossier:
        chain = self.chain_of(matter)
        pos = self._chain_pos[chain]
        # the columns a dossier reads, each taken on its own (a wide frame's rows are slow)
        rows = pd.DataFrame(
            {c: self.cases[c].iloc[pos].array for c in _USED if c in self.cases.columns},
            index=self.cases.index[pos],
        )
        order = np.lexsort(
            (
                _col(rows, "chain_seq").fillna(0).to_numpy(dtype=float),
                pd.to_datetime(_col(rows, "received_date")).to_numpy(dtype="datetime64[ns]"),
            )
        )
        rows = rows.iloc[order]
        pos = pos[order]
        masker = self.masker
        brow = self.backlog[self.backlog["chain_id"].astype(TEXT_DTYPE) == chain]
        figures = self._figures(rows, pos, brow)
        header = self._header(rows, brow, figures)
        prec = pd.DataFrame()
        if precedents:
            latest = str(rows["case_id"].iloc[-1])
            prec = _precedent_table(self.index.query(latest, k=self.k))
        title = (
            f"积案事项卷宗（{header['问题属地'] or '属地未填'}·{header['内容分类'] or '未分类'}）"
        )
        return Dossier(
            chain_id=chain,
            title=title,
            header=header,
            figures=figures,
            timeline=self._timeline(rows, masker),
            demands=_demands(rows, masker),
            answers=_answers(rows, masker),
            precedents=prec,
            as_of=self.today,
        )

    # -- parts -----------------------------------------------------------------------------
    def _figures(self, rows, pos, brow) -> dict[str, object]:
        f: dict[str, object] = {"backlog_cases": int(self._backlog_rows[pos].sum())}
        if len(brow):
            b = brow.iloc[0]
            for key in (
                "rank",
                "priority",
                "cases",
                "repeat_count",
                "overdue_days",
                "visit_level",
                "persons",
                "first_date",
                "last_date",
                "span_days",
                "reason",
            ):
                f[key] = b[key]
        else:  # not backlog on the day: the same facts, counted the same way
            received = pd.to_datetime(rows["received_date"])
            f.update(
                rank=None,
                priority=None,
                cases=len(rows),
                repeat_count=int(_col(rows, "repeat_count").max() or 0),
                overdue_days=0,
                visit_level=_text(_col(rows, "visit_level").dropna().iloc[-1])
                if _col(rows, "visit_level").notna().any()
                else "未知",
                persons=int(pd.to_numeric(_col(rows, "person_count")).fillna(1).max()),
                first_date=received.min(),
                last_date=received.max(),
                span_days=(received.max() - received.min()).days,
                reason="统计日不是积案",
            )
        return f

    def _header(self, rows, brow, f) -> dict[str, str]:
        last = rows.iloc[-1]
        levels = [_text(v) for v in _col(rows, "visit_level").dropna().unique() if _text(v)]
        assigned = [_text(v) for v in _col(rows, "assigned_by").dropna().unique() if _text(v)]
        first_date = f["first_date"]
        open_days = (self.today - pd.Timestamp(first_date)).days if pd.notna(first_date) else None
        h = {
            "事项编号": _text(last.get("chain_id")),
            "信访人": f"匿名编号 {_text(last.get('person_key')) or '（无）'}",
            "问题属地": _text(last.get("locality")),
            "内容分类": _text(last.get("category")),
            "二级分类": _text(last.get("category_level2")),
            "责任单位": _text(last.get("responsible_unit")),
            "包案领导": _text(last.get("leader")) or "（未明确）",
            "首次信访": _day(first_date),
            "最近信访": _day(f["last_date"]),
            "已历时": f"{open_days}天" if open_days is not None else "",
            "信访次数": f"{f['cases']}次（重复{f['repeat_count']}次）",
            "积案件数": f"{f['backlog_cases']}件",
            "最高去向": _text(f["visit_level"]),
            "到过的层级": "、".join(levels),
            "涉及人数": f"{f['persons']}人",
            "是否交办": ("是（" + "、".join(assigned) + "）") if assigned else "否（台账未记交办）",
            "办理时限": self._clocks(rows),
            "积案原因": _text(f["reason"]),
            "化解优先级": (
                f"第{f['rank']}位，{f['priority']}分"
                if f.get("rank") is not None
                else "不在积案清单"
            ),
        }
        if "key_case" in rows.columns and rows["key_case"].notna().any():
            h["重点积案"] = "、".join(sorted({_text(v) for v in rows["key_case"].dropna()}))
        return h

    def _clocks(self, rows) -> str:
        """The state of each clock: handling deadline of the open cases, 交办 feedback due."""
        parts = []
        status = _col(rows, "status").astype(TEXT_DTYPE)
        for r, st in zip(rows.itertuples(index=False), status, strict=True):
            due = getattr(r, "due_date", None)
            if pd.isna(getattr(r, "closed_date", None)) and pd.notna(due):
                late = getattr(r, "overdue_days", 0)
                late_text = f"，超期{int(late)}天" if pd.notna(late) and late and late > 0 else ""
                parts.append(f"{r.case_id}：办理期限{_day(due)}（{_text(st)}{late_text}）")
            fb = getattr(r, "feedback_due", None)
            if fb is not None and pd.notna(fb):
                state = "已过" if pd.Timestamp(fb) < self.today else "未到"
                parts.append(f"{r.case_id}：交办反馈期限{_day(fb)}（{state}）")
        return "；".join(parts) or "均已办结"

    def _timeline(self, rows, masker) -> pd.DataFrame:
        ev: list[tuple[object, str, str, str]] = []
        for r in rows.itertuples(index=False):
            cid = _text(r.case_id)
            d = r._asdict()
            ways = "、".join(x for x in (_text(d.get("channel")), _text(d.get("visit_level"))) if x)
            ev.append((d.get("received_date"), "信访", cid, ways))
            if pd.notna(d.get("assigned_date", None)) or _text(d.get("assigned_by")):
                ev.append(
                    (d.get("assigned_date"), "交办", cid, _text(d.get("assigned_by")) or "交办件")
                )
            if _text(d.get("instruction")):
                ev.append((pd.NaT, "领导批示", cid, str(masker(_text(d.get("instruction"))))))
            sup = d.get("supervision_count")
            if sup is not None and pd.notna(sup) and float(sup) > 0:
                ev.append((pd.NaT, "督办", cid, f"督办{int(sup)}次"))
            if pd.notna(d.get("closed_date")):
                ev.append((d.get("closed_date"), "答复办结", cid, masker(_text(d.get("outcome")))))
            if pd.notna(d.get("follow_up_date", None)) or _text(d.get("follow_up_result")):
                ev.append(
                    (
                        d.get("follow_up_date"),
                        "回访",
                        cid,
                        str(masker(_text(d.get("follow_up_result")))),
                    )
                )
            if pd.notna(d.get("resolved_date", None)):
                ev.append((d.get("resolved_date"), "化解", cid, _text(d.get("resolution_type"))))
            if self.archive is not None and cid:
                ev.extend(self._versions(cid))
        if self.activities is not None and len(self.activities):
            ev.extend(self._activity_events(rows))
        frame = pd.DataFrame(ev, columns=["日期", "事项", "信访件编号", "内容"])
        frame["日期"] = pd.to_datetime(frame["日期"], errors="coerce")
        frame = frame.sort_values("日期", kind="stable", na_position="last")
        return frame.reset_index(drop=True)

    def _versions(self, cid: str) -> list[tuple[object, str, str, str]]:
        try:
            hist = self.archive.history(cid, mask=True)
        except KeyError:
            return []
        out = []
        for h in hist.itertuples(index=False):
            out.append((h.period, f"台账第{int(h.version)}版", cid, _text(h.changes)))
        return out

    def _activity_events(self, rows) -> list[tuple[object, str, str, str]]:
        act = self.activities
        ids = set(rows["case_id"].astype(str))
        if "case_id" not in act.columns:
            return []
        mine = act[act["case_id"].astype(str).isin(ids)]
        date_col = next((c for c in ("activity_date", "date") if c in act.columns), None)
        kind_col = next((c for c in ("activity_type", "kind") if c in act.columns), None)
        out = []
        for _, a in mine.iterrows():
            out.append(
                (
                    a[date_col] if date_col else pd.NaT,
                    _text(a[kind_col]) if kind_col else "工作台账",
                    _text(a["case_id"]),
                    "",
                )
            )
        return out


def _demands(rows, masker) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "信访件编号": rows["case_id"].astype(TEXT_DTYPE).to_numpy(),
            "登记日期": pd.to_datetime(_col(rows, "received_date")).to_numpy(),
            "信访形式": _col(rows, "channel").astype(TEXT_DTYPE).to_numpy(),
            "人数": _col(rows, "person_count").to_numpy(),
            "诉求摘要": [masker(_text(s)) for s in _col(rows, "summary")],
        }
    )


def _answers(rows, masker) -> pd.DataFrame:
    outcome = [masker(_text(s)) for s in _col(rows, "outcome")]
    way = list(outcome)
    if "resolution_type" in rows.columns:
        way = [_text(t) or o for t, o in zip(rows["resolution_type"], outcome, strict=True)]
    out = pd.DataFrame(
        {
            "信访件编号": rows["case_id"].astype(TEXT_DTYPE).to_numpy(),
            "办理期限": pd.to_datetime(_col(rows, "due_date")).to_numpy(),
            "办结日期": pd.to_datetime(_col(rows, "closed_date")).to_numpy(),
            "办理天数": _col(rows, "days_taken").to_numpy(),
            "办理状态": _col(rows, "status").astype(TEXT_DTYPE).to_numpy(),
            "办理结果": outcome,
            "化解方式": way,
            "满意度": _col(rows, "satisfaction").astype(TEXT_DTYPE).to_numpy(),
        }
    )
    for name, label in (("resolved_date", "化解日期"), ("follow_up_result", "回访结果")):
        if name in rows.columns:
            values = rows[name]
            out[label] = (
                pd.to_datetime(values).to_numpy()
                if name.endswith("date")
                else [masker(_text(v)) for v in values]
            )
    return out


def _precedent_table(prec: pd.DataFrame) -> pd.DataFrame:
    if prec.empty:
        return pd.DataFrame()
    stopped = prec["stopped"].map({True: "是", False: "否"}).fillna("尚难判断")
    return pd.DataFrame(
        {
            "序号": prec["rank"].to_numpy(),
            "信访件编号": prec["case_id"].to_numpy(),
            "相似度": prec["similarity"].round(2).to_numpy(),
            "共同关键词": prec["shared_terms"].to_numpy(),
            "问题属地": prec["locality"].to_numpy(),
            "责任单位": prec["responsible_unit"].to_numpy(),
            "内容分类": prec["category"].to_numpy(),
            "诉求摘要": prec["summary"].to_numpy(),
            "化解方式": prec["resolution"].to_numpy(),
            "办理天数": prec["days_taken"].to_numpy(),
            "答复后息诉": stopped.to_numpy(),
        }
    )


def dossier(
    matter,
    cases: pd.DataFrame,
    *,
    archive=None,
    today: object = None,
    k: int = 5,
    precedents: bool = True,
    activities: pd.DataFrame | None = None,
    book: DossierBook | None = None,
) -> Dossier:
    """The dossier (一案一档) of one matter: ``matter`` is a chain id, a case id of the matter,
    or a row of ``backlog_table``. ``cases``: enriched cases (or raw: enriched as of
    ``today``); ``archive``: a ``CaseArchive`` for the versions of each case; ``k``
    precedents (``analysis.find_precedents``); ``activities``: an optional activity register.
    For many dossiers of one frame build a :class:`DossierBook` once and pass ``book=``.
    See the module text for its sections; :meth:`Dossier.to_docx` writes it to Word.
    """
    if book is None:
        book = DossierBook(cases, today=today, archive=archive, activities=activities, k=k)
    return book.dossier(matter, precedents=precedents)


def _safe_name(text: str) -> str:
    bad = '<>:"/\\|?*\x00'
    return "".join("_" if c in bad or ord(c) < 32 else c for c in text).strip(" .")[:60] or "事项"


def check_folder(folder: Path) -> None:
    """Refuse a folder that holds files the toolkit did not write there (no marker file)."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"输出位置 {folder} 是一个文件，不是文件夹 / {folder} is a file")
    if folder.is_dir():
        entries = [p for p in folder.iterdir()]
        if entries and not (folder / MARKER).is_file():
            raise OutputError(
                f"文件夹 {folder} 不是空的，也不是本工具写的卷宗文件夹，不会写入；请换一个新文件夹 / "
                f"folder {folder} is not empty and was not created by xinfang dossier"
            )


def export_dossiers(
    matters,
    path: str | Path,
    cases: pd.DataFrame | None = None,
    *,
    today: object = None,
    archive=None,
    k: int = 5,
    book: DossierBook | None = None,
    html_too: bool = False,
) -> pd.DataFrame:
    """Write one Word dossier per matter into the folder ``path``, and an index
    (积案卷宗索引.csv: number, file, matter facts from ``backlog_table``). ``matters``: a
    ``backlog_table`` frame, or a list of chain ids / case ids (then ``cases`` is needed, or
    ``book``). All files are written together or none; a non-empty folder that this function
    did not write before is refused (OutputError). Returns the index."""
    if book is None:
        if cases is None:
            raise ValueError("export_dossiers 需要 cases 或 book / give cases or book")
        book = DossierBook(cases, today=today, archive=archive, k=k)
    folder = Path(path)
    check_folder(folder)
    if isinstance(matters, pd.DataFrame):
        items = [row for _, row in matters.iterrows()]
    else:
        items = list(matters)
    docs = [book.dossier(m) for m in items]
    names, rows = [], []
    for i, d in enumerate(docs, start=1):
        stem = f"{i:03d}_{_safe_name(d.header['问题属地'] or '属地未填')}_{_safe_name(d.header['内容分类'] or '未分类')}"
        names.append(stem + ".docx")
        rows.append(
            {
                "序号": i,
                "文件": stem + ".docx",
                "问题属地": d.header["问题属地"],
                "内容分类": d.header["内容分类"],
                "责任单位": d.header["责任单位"],
                "包案领导": d.header["包案领导"],
                "首次信访": d.header["首次信访"],
                "最近信访": d.header["最近信访"],
                "信访次数": d.figures["cases"],
                "积案件数": d.figures["backlog_cases"],
                "超期天数": d.figures["overdue_days"],
                "最高去向": d.figures["visit_level"],
                "化解优先级": d.figures.get("priority"),
                "积案原因": d.figures["reason"],
            }
        )
    index = pd.DataFrame(rows)
    targets = [folder / n for n in names] + [folder / INDEX_NAME, folder / MARKER]
    if html_too:
        targets += [folder / (Path(n).stem + ".html") for n in names]
    before = _listed(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with atomic_outputs(targets) as temps:
        for d, tmp in zip(docs, temps[: len(docs)], strict=True):
            d._document().save(str(tmp))
        index.to_csv(temps[len(docs)], index=False, encoding="utf-8-sig")
        written = [str(n) for n in names] + [INDEX_NAME]
        if html_too:
            for d, tmp in zip(docs, temps[len(docs) + 2 :], strict=True):
                Path(tmp).write_text(_page(d), encoding="utf-8")
            written += [Path(n).stem + ".html" for n in names]
        Path(temps[len(docs) + 1]).write_text(os.linesep.join(written), encoding="utf-8")
    for stale in before - set(written):  # files of an earlier run of ours, not written now
        path = folder / stale  # removed only while it is still as the toolkit wrote it
        if path.is_file() and written_by_toolkit(path):
            with contextlib.suppress(OSError):
                path.unlink()
    return index


def _listed(folder: Path) -> set[str]:
    """The files an earlier export wrote into ``folder`` (its marker), plain names only."""
    marker = folder / MARKER
    if not marker.is_file():
        return set()
    names = marker.read_text(encoding="utf-8").splitlines()
    return {n for n in names if n and Path(n).name == n and n not in (MARKER, "..", ".")}


def _page(d: Dossier) -> str:
    return (
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>"
        f"<title>{html.escape(d.title)}</title></head><body>{d.html()}</body></html>"
    )
