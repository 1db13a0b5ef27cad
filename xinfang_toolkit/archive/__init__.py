"""The case archive: every month's ledgers in one embedded DuckDB file, each case once.

``CaseArchive(path="archive.duckdb")`` opens or creates the archive. ``import_ledgers`` merges
ledgers (case number, else a content key; latest ledger period wins; blanked fields kept and
reported; a file imported twice changes nothing; one transaction per call); ``cases(as_of=)``
gives every case once (feed it to ``summarize``, the dashboard or the report); ``history``,
``changes``, ``backlog``, ``backlog_trend``, ``campaign`` and ``export_parquet`` read it.
"""

from .._lazy import lazy_exports

#: public name -> its private module; loaded on first use (DuckDB only when the archive is used)
_EXPORTS: dict[str, str] = {
    "CaseArchive": "_archive",
    "backlog_on": "_backlog",
    "state_on": "_backlog",
    "FINGERPRINT_CHARS": "_keys",
    "KIND_CONTENT": "_keys",
    "KIND_NUMBER": "_keys",
    "content_key": "_keys",
    "fingerprint": "_keys",
    "PAUSE_ENV": "_merge",
    "ImportResult": "_merge",
    "ledger_period": "_period",
    "period_from_text": "_period",
    "KINDS": "_query",
    "Changes": "_query",
    "DEFAULT_PATH": "_names",
    "FORMAT_NAME": "_store",
    "MIGRATIONS": "_store",
    "SCHEMA_VERSION": "_store",
    "ArchiveError": "_store",
    "CampaignProgress": "_trend",
}

lazy_exports(__name__, _EXPORTS)

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
