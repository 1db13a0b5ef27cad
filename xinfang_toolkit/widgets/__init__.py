"""ipywidgets panels for JupyterLab and Voila: filter, case browser, dashboard (and review)."""

from .browser import CaseBrowser
from .dashboard import Dashboard
from .filter import FilterPanel

__all__ = ["FilterPanel", "CaseBrowser", "Dashboard"]
