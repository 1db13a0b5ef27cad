"""Reports: statistics of a period (summarize), drafted text (draft_report), Word and Excel files."""

from ._draft import draft_report
from ._summary import Summary, summarize

__all__ = ["Summary", "draft_report", "summarize"]
