"""Reports: statistics of a period (summarize), drafted text (draft_report), Word and Excel files.

Every export masks personal data by default (privacy.mask_pii); full data only on request.
"""

import importlib

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

__all__ = [
    "Dossier",
    "DossierBook",
    "ReportPanel",
    "dossier",
    "export_dossiers",
    "Summary",
    "TemplateError",
    "draft_report",
    "export_docx",
    "export_tables",
    "export_xlsx",
    "protect_frame",
    "report_profiles",
    "report_schemes",
    "summarize",
    "table_html",
]


def __getattr__(name: str):
    # the panel is a widget: it lives in widgets and loads ipywidgets only when asked for
    if name == "ReportPanel":
        from ..widgets.report_panel import ReportPanel

        return ReportPanel
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
