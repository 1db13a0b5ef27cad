"""ipywidgets panels for JupyterLab and Voila: filter, case browser, dashboard, review queue,
header mapping editor."""

from .browser import CaseBrowser
from .dashboard import Dashboard
from .filter import FilterPanel
from .mapping import MappingEditor
from .review import ReviewQueue

__all__ = ["FilterPanel", "CaseBrowser", "Dashboard", "ReviewQueue", "MappingEditor"]
