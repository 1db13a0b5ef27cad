"""The case archive: every month's ledgers in one embedded DuckDB file, each case once.

``CaseArchive(path="archive.duckdb")`` opens or creates the archive. ``import_ledgers`` merges
ledgers (case number, else a content key; latest ledger period wins; blanked fields kept and
reported; a file imported twice changes nothing; one transaction per call); ``cases(as_of=)``
gives every case once (feed it to ``summarize``, the dashboard or the report); ``history``,
``changes``, ``backlog``, ``backlog_trend``, ``campaign`` and ``export_parquet`` read it.
"""

from ._archive import CaseArchive
from ._backlog import backlog_on, state_on
from ._keys import FINGERPRINT_CHARS, KIND_CONTENT, KIND_NUMBER, content_key, fingerprint
from ._merge import PAUSE_ENV, ImportResult
from ._period import ledger_period, period_from_text
from ._query import KINDS, Changes
from ._store import DEFAULT_PATH, FORMAT_NAME, MIGRATIONS, SCHEMA_VERSION, ArchiveError
from ._trend import CampaignProgress

__all__ = [
    "DEFAULT_PATH",
    "FINGERPRINT_CHARS",
    "FORMAT_NAME",
    "KINDS",
    "KIND_CONTENT",
    "KIND_NUMBER",
    "MIGRATIONS",
    "PAUSE_ENV",
    "SCHEMA_VERSION",
    "ArchiveError",
    "CampaignProgress",
    "CaseArchive",
    "Changes",
    "ImportResult",
    "backlog_on",
    "content_key",
    "fingerprint",
    "ledger_period",
    "period_from_text",
    "state_on",
]
