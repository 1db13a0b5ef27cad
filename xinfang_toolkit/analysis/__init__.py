"""Case analytics: deadlines and periods, repeat chains, hotspots, escalation, group visits, backlog,
and the figure registry (:data:`FIGURES`): each headline figure defined once, read by every surface.

Every function takes a cases frame (schema.conform_cases form) and returns a new frame; the
input is never changed. See each function for the exact columns it adds.
"""

from ._activities import ACTIVITY_FIGURES, ActivityFigure, activity_table, activity_values
from ._backlog import (
    DEFAULT_WEIGHTS,
    backlog_parts_at,
    backlog_table,
    chain_codes,
    flag_backlog,
    is_backlog_at,
    open_at,
    priority_components,
)
from ._calendar import (
    add_working_days,
    is_working_day,
    objection_deadline,
    supported_years,
    working_days_between,
)
from ._deadlines import compute_deadlines, date_issues
from ._enrich import AS_OF_ATTR, ENRICH_COLUMNS, classify_categories, enrich, enrich_with_chains
from ._escalation import (
    DEFAULT_RESPONSIBLE_LEVEL,
    VISIT_CHANNEL,
    escalation_phrase,
    escalation_table,
    group_flags,
    group_visits,
    normalize_levels,
    responsible_levels,
    skip_level_flags,
    visit_flags,
)
from ._figures import (
    FIGURES,
    HANDLING_FIGURES,
    Figure,
    Scope,
    figure,
    figure_rows,
    figure_table,
    figure_values,
)
from ._hotspots import DEFAULT_HEAT_WEIGHTS, find_hotspots, hotspot_cases
from ._kpis import kpis, prepared_as_of
from ._labels import TABLE_LABELS_ZH, label_columns
from ._periods import (
    COMPARE_NAMES,
    COMPARE_PERIOD_NAMES,
    assign_period,
    check_period,
    data_period,
    months_spanned,
    period_bounds,
    period_text,
    previous_period,
    to_day,
)
from ._repeats import link_repeats, repeat_chains
from ._rules import Rules, load_rules
from ._settle import SETTLE_DAYS, settle_rule, settled_at
from ._units import ASSIGNED_COLUMNS, UNIT_COLUMNS, assigned_table, unit_table
from ._util import person_counts, stripped

__all__ = [
    # how the office handled the cases (交办, 督办, 回访, 化解) and the units
    "ACTIVITY_FIGURES",
    "ActivityFigure",
    "activity_table",
    "activity_values",
    "ASSIGNED_COLUMNS",
    "HANDLING_FIGURES",
    "SETTLE_DAYS",
    "UNIT_COLUMNS",
    "assigned_table",
    "settle_rule",
    "settled_at",
    "unit_table",
    "AS_OF_ATTR",
    "COMPARE_NAMES",
    "COMPARE_PERIOD_NAMES",
    "DEFAULT_RESPONSIBLE_LEVEL",
    "FIGURES",
    "Figure",
    "Scope",
    "VISIT_CHANNEL",
    "backlog_parts_at",
    "check_period",
    "classify_categories",
    "data_period",
    "figure",
    "figure_rows",
    "figure_table",
    "figure_values",
    "is_backlog_at",
    "months_spanned",
    "open_at",
    "period_text",
    "prepared_as_of",
    "previous_period",
    "responsible_levels",
    "to_day",
    "visit_flags",
    "DEFAULT_HEAT_WEIGHTS",
    "DEFAULT_WEIGHTS",
    "ENRICH_COLUMNS",
    "Rules",
    "TABLE_LABELS_ZH",
    "add_working_days",
    "assign_period",
    "backlog_table",
    "chain_codes",
    "compute_deadlines",
    "date_issues",
    "enrich",
    "enrich_with_chains",
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
    "stripped",
    "objection_deadline",
    "period_bounds",
    "priority_components",
    "repeat_chains",
    "skip_level_flags",
    "supported_years",
    "working_days_between",
]
