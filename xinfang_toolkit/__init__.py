"""xinfang_toolkit: load, check, classify and report on petition (信访) case ledgers.

The public surface is listed in ``__all__``; everything else lives in private modules.
Importing the package changes no global state (fonts, warnings, pandas options), with one
exception: pandas' ``mode.string_storage`` is set to "python". pyarrow is installed for the
loader (fastexcel, pyarrow.csv), and with pyarrow present pandas would switch every text column
to Arrow storage, which changes ``.map``/``.str`` results and rejects lone surrogates; the
package keeps the text behaviour it is written and tested against.
"""

from . import _pandas  # noqa: F401  (first: sets pandas' string storage, see above)
from .schema import CASE_COLUMNS, LABELS_ZH, PII_COLUMNS, PROVENANCE_COLUMNS

# --- load (issue 2) ---
from .load import LoadError, LoadResult, load_cases

# --- synth ---
from .synth import generate_cases, make_sample_data, write_ledger, write_ledger_book

# --- privacy ---
from .privacy import mask_pii, person_key, pseudonymize

# --- classify (issue 3) ---
from .classify import Taxonomy, TextClassifier, classify, load_labels

# --- analysis (issue 4) ---
from .analysis import (
    add_working_days,
    backlog_table,
    compute_deadlines,
    date_issues,
    enrich,
    escalation_phrase,
    escalation_table,
    find_hotspots,
    group_visits,
    hotspot_cases,
    kpis,
    link_repeats,
    objection_deadline,
    working_days_between,
)

# --- report (issue 6) ---
from .report import Summary, draft_report, export_docx, export_xlsx, summarize

# --- plots and widgets (issue 5) ---
from .plots import setup_chinese_font
from .widgets import CaseBrowser, Dashboard, FilterPanel, ReviewQueue

__version__ = "0.1.0"

__all__ = [
    "CASE_COLUMNS",
    "LABELS_ZH",
    "PII_COLUMNS",
    "PROVENANCE_COLUMNS",
    # --- names added by each area, one line each, below its marker ---
    # load
    "LoadError",
    "LoadResult",
    "load_cases",
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
    "load_labels",
    # analysis
    "add_working_days",
    "backlog_table",
    "compute_deadlines",
    "date_issues",
    "enrich",
    "escalation_phrase",
    "escalation_table",
    "find_hotspots",
    "group_visits",
    "hotspot_cases",
    "kpis",
    "link_repeats",
    "objection_deadline",
    "working_days_between",
    # report
    "Summary",
    "draft_report",
    "export_docx",
    "export_xlsx",
    "summarize",
    # plots and widgets
    "setup_chinese_font",
    "FilterPanel",
    "CaseBrowser",
    "Dashboard",
    "ReviewQueue",
]
