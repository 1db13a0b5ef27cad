"""ipywidgets panels for JupyterLab and Voila: filter, case browser, dashboard, review queue."""

from .browser import CaseBrowser
from .dashboard import Dashboard
from .filter import FilterPanel
from .review import ReviewQueue
from .timeline import CaseTimeline

__all__ = ["FilterPanel", "CaseBrowser", "Dashboard", "ReviewQueue", "CaseTimeline"]
