"""Case analytics: deadlines and periods, repeat chains, hotspots, escalation, group visits, backlog.

Every function takes a cases frame (schema.conform_cases form) and returns a new frame; the
input is never changed. See each function for the exact columns it adds.
"""

from ._backlog import DEFAULT_WEIGHTS, backlog_table, flag_backlog, priority_components
from ._calendar import (
    add_working_days,
    is_working_day,
    objection_deadline,
    supported_years,
    working_days_between,
)
from ._deadlines import compute_deadlines, date_issues
from ._enrich import ENRICH_COLUMNS, enrich
from ._escalation import (
    escalation_phrase,
    escalation_table,
    group_flags,
    group_visits,
    normalize_levels,
    skip_level_flags,
)
from ._hotspots import DEFAULT_HEAT_WEIGHTS, find_hotspots, hotspot_cases
from ._kpis import kpis
from ._labels import TABLE_LABELS_ZH, label_columns
from ._periods import assign_period, period_bounds
from ._repeats import link_repeats, repeat_chains
from ._rules import Rules, load_rules
from ._util import person_counts

__all__ = [
    "DEFAULT_HEAT_WEIGHTS",
    "DEFAULT_WEIGHTS",
    "ENRICH_COLUMNS",
    "Rules",
    "TABLE_LABELS_ZH",
    "add_working_days",
    "assign_period",
    "backlog_table",
    "compute_deadlines",
    "date_issues",
    "enrich",
    "escalation_phrase",
    "escalation_table",
    "find_hotspots",
    "flag_backlog",
    "group_flags",
    "group_visits",
    "hotspot_cases",
    "is_working_day",
    "kpis",
    "label_columns",
    "link_repeats",
    "load_rules",
    "normalize_levels",
    "person_counts",
    "objection_deadline",
    "period_bounds",
    "priority_components",
    "repeat_chains",
    "skip_level_flags",
    "supported_years",
    "working_days_between",
]
