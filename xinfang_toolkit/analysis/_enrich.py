"""All case-level analysis columns in one call (what report and widgets use)."""

from __future__ import annotations

import pandas as pd

from ..privacy import DEFAULT_SALT
from ._backlog import flag_backlog
from ._deadlines import compute_deadlines
from ._escalation import group_flags, skip_level_flags
from ._repeats import link_repeats
from ._rules import Rules, load_rules

__all__ = ["ENRICH_COLUMNS", "enrich"]

#: the columns enrich adds, in order
ENRICH_COLUMNS: tuple[str, ...] = (
    "due_date",
    "extended",
    "days_taken",
    "on_time",
    "overdue_days",
    "status",
    "date_problem",
    "period",
    "person_key",
    "chain_id",
    "chain_seq",
    "first_case",
    "is_repeat",
    "repeat_count",
    "is_group",
    "is_skip_level",
    "is_backlog",
    "backlog_reason",
)


def enrich(
    cases: pd.DataFrame,
    *,
    today: object = None,
    rules: str | Rules | dict = "2022",
    handling_days: int | None = None,
    extension_days: int | None = None,
    period_cutoff_day: int | None = None,
    group_threshold: int = 5,
    responsible_level: str = "乡镇",
    levels_above: int = 0,
    window_days: int = 365,
    min_similarity: float = 0.5,
    backlog_span_days: int | None = None,
    backlog_min_cases: int | None = None,
    salt: str = DEFAULT_SALT,
) -> pd.DataFrame:
    """A copy of ``cases`` with every analysis column (:data:`ENRICH_COLUMNS`).

    Runs :func:`compute_deadlines` (due_date ... period), :func:`link_repeats` (person_key ...
    repeat_count), the group-visit flag (``is_group``: person_count >= ``group_threshold``), the
    越级 flag (``is_skip_level``, see ``skip_level_flags``), and the backlog flags
    (``is_backlog``, ``backlog_reason``). Pass a fixed ``today`` for reproducible results.
    """
    rule = load_rules(rules)
    out = compute_deadlines(
        cases,
        rules=rule,
        handling_days=handling_days,
        extension_days=extension_days,
        today=today,
        period_cutoff_day=period_cutoff_day,
    )
    out = link_repeats(out, window_days=window_days, min_similarity=min_similarity, salt=salt)
    out["is_group"] = group_flags(out, threshold=group_threshold)
    out["is_skip_level"] = skip_level_flags(
        out, responsible_level=responsible_level, levels_above=levels_above
    )
    out = flag_backlog(
        out, today=today, rules=rule, span_days=backlog_span_days, min_cases=backlog_min_cases
    )
    return out
