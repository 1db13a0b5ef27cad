"""Case analytics: deadlines and periods, repeat chains, hotspots, escalation, group visits, backlog,
and the figure registry (:data:`FIGURES`): each headline figure defined once, read by every surface.

Every function takes a cases frame (schema.conform_cases form) and returns a new frame; the
input is never changed. See each function for the exact columns it adds.

This face holds the names analysts and notebooks use; the other rooms of the package import
their helpers from the module that defines them (``from ..analysis._movements import ...``).
"""

from ._activities import ACTIVITY_FIGURES, activity_table, activity_values
from ._backlog import (
    DEFAULT_WEIGHTS,
    backlog_parts_at,
    backlog_table,
    flag_backlog,
    is_backlog_at,
    open_at,
)
from ._calendar import (
    add_working_days,
    is_working_day,
    objection_deadline,
    supported_years,
    working_days_between,
)
from ._charts import (
    AGE_BINS,
    backlog_ageing,
    counted_rows,
    escalation_counts,
    month_counts,
    on_time_by_month,
    year_over_year,
)
from ._deadlines import compute_deadlines, date_issues
from ._display import display_value, for_display
from ._enrich import ENRICH_COLUMNS, classify_categories, enrich
from ._escalation import (
    escalation_phrase,
    escalation_table,
    group_visits,
    skip_level_flags,
    visit_flags,
)
from ._figures import (
    FIGURES,
    HEADLINE_KEYS,
    Figure,
    Scope,
    figure,
    figure_rows,
    figure_series,
    figure_table,
    figure_values,
)
from ._hotspots import DEFAULT_HEAT_WEIGHTS, find_hotspots, hotspot_cases
from ._kpis import kpis, prepared_as_of
from ._labels import label_columns
from ._movements import movements
from ._periods import assign_period, data_as_of, data_period, period_bounds, to_day
from ._precedents import PRECEDENT_WEIGHTS, PrecedentIndex, find_precedents
from ._repeats import link_repeats, repeat_chains
from ._rules import Rules, load_rules
from ._settle import SETTLE_DAYS, settled_at
from ._units import assigned_table, unit_table

__all__ = [
    # how the office handled the cases: 工作台账 figures
    "ACTIVITY_FIGURES",
    "activity_table",
    "activity_values",
    # 积案
    "DEFAULT_WEIGHTS",
    "backlog_parts_at",
    "backlog_table",
    "flag_backlog",
    "is_backlog_at",
    "open_at",
    # working days and deadlines
    "add_working_days",
    "is_working_day",
    "objection_deadline",
    "supported_years",
    "working_days_between",
    # chart tables (the dashboard's and plots' charts)
    "AGE_BINS",
    "backlog_ageing",
    "escalation_counts",
    "month_counts",
    "counted_rows",
    "on_time_by_month",
    "year_over_year",
    "compute_deadlines",
    "date_issues",
    # showing cases to a person
    "display_value",
    "for_display",
    # the one preparation step
    "ENRICH_COLUMNS",
    "classify_categories",
    "enrich",
    # visit levels, 越级, 集体访
    "escalation_phrase",
    "escalation_table",
    "group_visits",
    "skip_level_flags",
    "visit_flags",
    # the figure registry
    "FIGURES",
    "Figure",
    "Scope",
    "figure",
    "figure_rows",
    "figure_table",
    "figure_values",
    "figure_series",
    "HEADLINE_KEYS",
    "DEFAULT_HEAT_WEIGHTS",
    "find_hotspots",
    "hotspot_cases",
    "kpis",
    "prepared_as_of",
    "label_columns",
    "movements",
    # periods
    "assign_period",
    "data_as_of",
    "data_period",
    "period_bounds",
    "to_day",
    "PRECEDENT_WEIGHTS",
    "PrecedentIndex",
    "find_precedents",
    "link_repeats",
    "repeat_chains",
    "Rules",
    "load_rules",
    "SETTLE_DAYS",
    "settled_at",
    "assigned_table",
    "unit_table",
]
