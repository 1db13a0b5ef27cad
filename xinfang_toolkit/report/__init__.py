"""Reports: statistics of a period (summarize), drafted text (draft_report), Word and Excel files.

Every export masks personal data by default (privacy.mask_pii); full data only on request.
The period chooser of notebook 05 is a widget: ``xinfang_toolkit.widgets.ReportPanel``.
"""

from .._lazy import lazy_exports

#: public name -> the private module that defines it, imported on first use: ``summarize`` does
#: not load python-docx, nor ``export_docx`` the Excel writer
_EXPORTS: dict[str, str] = {
    "Summary": "_summary",
    "summarize": "_summary",
    "TemplateError": "_draft",
    "draft_report": "_draft",
    "report_profiles": "_draft",
    "report_schemes": "_draft",
    "export_docx": "_docx",
    "export_tables": "_export",
    "protect_frame": "_export",
    "export_xlsx": "_xlsx",
    "table_html": "_html",
    "Dossier": "_dossier",
    "DossierBook": "_dossier",
    "dossier": "_dossier",
    "export_dossiers": "_dossier",
}

lazy_exports(__name__, _EXPORTS)

__all__ = [
    "Dossier",
    "DossierBook",
    "Summary",
    "TemplateError",
    "dossier",
    "draft_report",
    "export_docx",
    "export_dossiers",
    "export_tables",
    "export_xlsx",
    "protect_frame",
    "report_profiles",
    "report_schemes",
    "summarize",
    "table_html",
]
