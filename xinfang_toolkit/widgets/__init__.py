"""ipywidgets panels for JupyterLab and Voila: filter, case browser, dashboard, review queue,
header mapping editor, report period chooser; and ``preview``, the masked short view of a cases
frame."""

from ._preview import preview
from .browser import CaseBrowser
from .dashboard import Dashboard
from .filter import FilterPanel
from .mapping import MappingEditor
from .period import PeriodFigures
from .precedents import PrecedentPanel
from .report_panel import ReportPanel
from .review import ReviewQueue
from .timeline import CaseTimeline

__all__ = [
    "CaseBrowser",
    "CaseTimeline",
    "Dashboard",
    "FilterPanel",
    "MappingEditor",
    "PeriodFigures",
    "PrecedentPanel",
    "ReportPanel",
    "ReviewQueue",
    "preview",
]
