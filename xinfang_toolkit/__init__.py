"""xinfang_toolkit: load, check, classify and report on petition (信访) case ledgers.

The public surface is listed in ``__all__``; everything else lives in private modules.
Importing the package changes no global state (fonts, warnings, pandas options) and loads
no heavy library: each public name is imported from its module when first used (PEP 562), so
``import xinfang_toolkit`` and ``xinfang --help`` stay fast.
"""

from ._lazy import lazy_exports

#: public name -> the module (relative to this package) that defines it
_EXPORTS: dict[str, str] = {
    # schema
    "CASE_COLUMNS": "schema",
    "LABELS_ZH": "schema",
    "PII_COLUMNS": "schema",
    "PROVENANCE_COLUMNS": "schema",
    # load
    "LoadError": "load",
    "LoadResult": "load",
    "load_cases": "load",
    "load_activities": "load",
    # synth
    "generate_cases": "synth",
    "make_sample_data": "synth",
    "write_ledger": "synth",
    "write_ledger_book": "synth",
    # privacy
    "mask_pii": "privacy",
    "person_key": "privacy",
    "pseudonymize": "privacy",
    # classify
    "Taxonomy": "classify",
    "TextClassifier": "classify",
    "classify": "classify",
    "classify_resolution": "classify",
    "load_labels": "classify",
    # analysis
    "add_working_days": "analysis",
    "backlog_table": "analysis",
    "compute_deadlines": "analysis",
    "date_issues": "analysis",
    "for_display": "analysis",
    "enrich": "analysis",
    "escalation_phrase": "analysis",
    "escalation_table": "analysis",
    "find_hotspots": "analysis",
    "find_precedents": "analysis",
    "group_visits": "analysis",
    "hotspot_cases": "analysis",
    "kpis": "analysis",
    "link_repeats": "analysis",
    "objection_deadline": "analysis",
    "working_days_between": "analysis",
    "unit_table": "analysis",
    # report
    "Summary": "report",
    "draft_report": "report",
    "export_docx": "report",
    "export_xlsx": "report",
    "export_tables": "report",
    "dossier": "report",
    "export_dossiers": "report",
    "summarize": "report",
    # plots
    "setup_chinese_font": "plots",
    # widgets
    "CaseBrowser": "widgets",
    "Dashboard": "widgets",
    "FilterPanel": "widgets",
    "PrecedentPanel": "widgets",
    "ReportPanel": "widgets",
    "ReviewQueue": "widgets",
}

lazy_exports(__name__, _EXPORTS)

__version__ = "0.1.0"

#: every name of ``_EXPORTS``: the pipeline verbs (files -> cases -> figures -> report) and the
#: names every notebook and outside check calls. Everything else is reached through its
#: subpackage: ``xinfang_toolkit.analysis`` (figures, deadlines, repeats, backlog, hotspots,
#: escalation), ``.report``, ``.privacy``, ``.widgets``, ``.synth``, ``.archive``, ``.schema``.
__all__ = [
    # schema
    "CASE_COLUMNS",
    "LABELS_ZH",
    "PII_COLUMNS",
    "PROVENANCE_COLUMNS",
    # load
    "LoadError",
    "LoadResult",
    "load_cases",
    "load_activities",
    # synth
    "generate_cases",
    "make_sample_data",
    "write_ledger",
    "write_ledger_book",
    # privacy
    "mask_pii",
    "person_key",
    "pseudonymize",
    # classify
    "Taxonomy",
    "TextClassifier",
    "classify",
    "classify_resolution",
    "load_labels",
    # analysis
    "add_working_days",
    "backlog_table",
    "compute_deadlines",
    "date_issues",
    "for_display",
    "enrich",
    "escalation_phrase",
    "escalation_table",
    "find_hotspots",
    "find_precedents",
    "group_visits",
    "hotspot_cases",
    "kpis",
    "link_repeats",
    "objection_deadline",
    "working_days_between",
    "unit_table",
    # report
    "Summary",
    "draft_report",
    "export_docx",
    "export_xlsx",
    "export_tables",
    "dossier",
    "export_dossiers",
    "summarize",
    # plots
    "setup_chinese_font",
    # widgets
    "CaseBrowser",
    "Dashboard",
    "FilterPanel",
    "PrecedentPanel",
    "ReportPanel",
    "ReviewQueue",
]
