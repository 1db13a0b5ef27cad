"""Reports: statistics of a period (summarize), drafted text (draft_report), Word and Excel files.

Every export masks personal data by default (privacy.mask_pii); full data only on request.
"""

from ._docx import export_docx
from ._draft import TemplateError, draft_report
from ._export import export_tables, protect_frame
from ._html import table_html
from ._summary import Summary, summarize
from ._xlsx import export_xlsx

__all__ = [
    "ReportPanel",
    "Summary",
    "TemplateError",
    "draft_report",
    "export_docx",
    "export_tables",
    "export_xlsx",
    "protect_frame",
    "summarize",
    "table_html",
]


def __getattr__(name: str):
    # the panel is a widget: it lives in widgets and loads ipywidgets only when asked for
    if name == "ReportPanel":
        from ..widgets.report_panel import ReportPanel

        return ReportPanel
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
