"""The one standard preparation step: classification and every case-level analysis column.

The dashboard, the notebooks, the command line and ``summarize`` all run :func:`enrich`, so a
figure counted on any of them starts from the same prepared cases.
"""

from __future__ import annotations

import pandas as pd

from ..privacy import DEFAULT_SALT
from ..schema import TEXT_DTYPE, UNCLASSIFIED
from ._backlog import flag_backlog
from ._deadlines import compute_deadlines
from ._escalation import DEFAULT_RESPONSIBLE_LEVEL, group_flags, skip_level_flags, visit_flags
from ._repeats import link_repeats
from ._rules import Rules, load_rules
from ._util import as_today, stripped

__all__ = ["AS_OF_ATTR", "ENRICH_COLUMNS", "classify_categories", "enrich"]

#: ``frame.attrs`` key holding the day an enriched frame counts as of
AS_OF_ATTR = "xf_as_of"
#: the ledger's own category, kept visible next to the national class (原分类)
ORIGINAL_CATEGORY = "category_original"

#: the columns enrich adds, in order
ENRICH_COLUMNS: tuple[str, ...] = (
    "category_original",
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
# enrich also runs classify_resolution (resolution_type where the ledger has no 化解方式, with
# resolution_source and resolution_evidence): not required of a prepared frame


def classify_categories(cases: pd.DataFrame, *, taxonomy=None) -> pd.DataFrame:
    """A copy whose ``category`` is the national first-level class (or 未分类, never empty).

    The ledger's own name (征地拆迁, 环保 ...) moves to ``category_original`` (原分类). Cases
    classified already (a ``category_pred`` column, e.g. from ``classify`` with a trained model)
    keep that class; otherwise ``classify`` runs with the taxonomy. Running it again is harmless.
    """
    from ..classify import classify

    out = cases.copy(deep=False)  # copy-on-write (pandas 3): new columns never reach the input
    if ORIGINAL_CATEGORY in out.columns:
        out["category"] = out[ORIGINAL_CATEGORY]
    elif "category" in out.columns:
        out[ORIGINAL_CATEGORY] = out["category"].astype(TEXT_DTYPE)
    else:
        out[ORIGINAL_CATEGORY] = pd.Series(pd.NA, index=out.index, dtype=TEXT_DTYPE)
    if "category_pred" not in out.columns:
        out = classify(out, taxonomy=taxonomy)
    pred = stripped(out["category_pred"])
    out["category"] = pred.where(pred.notna() & (pred != ""), UNCLASSIFIED).astype(TEXT_DTYPE)
    return out


def enrich(
    cases: pd.DataFrame,
    *,
    today: object = None,
    rules: str | Rules | dict = "2022",
    handling_days: int | None = None,
    extension_days: int | None = None,
    period_cutoff_day: int | None = None,
    group_threshold: int = 5,
    responsible_level: str = DEFAULT_RESPONSIBLE_LEVEL,
    levels_above: int = 0,
    window_days: int = 365,
    min_similarity: float = 0.5,
    backlog_span_days: int | None = None,
    backlog_min_cases: int | None = None,
    salt: str = DEFAULT_SALT,
    taxonomy=None,
) -> pd.DataFrame:
    """A copy of ``cases`` prepared for counting, as of ``today`` (:data:`ENRICH_COLUMNS`).

    Classifies (:func:`classify_categories`: ``category`` becomes the national class, the
    ledger's name stays in ``category_original``), then runs :func:`compute_deadlines`
    (due_date ... period, as of ``today``), :func:`link_repeats` (person_key ... repeat_count),
    the group-visit flag (``is_group``: a visit with person_count >= ``group_threshold``), the
    越级 flag (``is_skip_level``: a visit above the responsible level, see
    ``skip_level_flags``), and the backlog flags (``is_backlog`` on ``today``,
    ``backlog_reason``). The day counted as of is kept in ``attrs["xf_as_of"]``. Pass a fixed
    ``today`` for reproducible results.
    """
    rule = load_rules(rules)
    day = as_today(today)
    from ..classify import classify_resolution

    out = classify_categories(cases, taxonomy=taxonomy)
    out = classify_resolution(out)
    out = compute_deadlines(
        out,
        rules=rule,
        handling_days=handling_days,
        extension_days=extension_days,
        today=day,
        period_cutoff_day=period_cutoff_day,
    )
    out = link_repeats(out, window_days=window_days, min_similarity=min_similarity, salt=salt)
    out["is_group"] = group_flags(out, threshold=group_threshold) & visit_flags(out)
    out["is_skip_level"] = skip_level_flags(
        out, responsible_level=responsible_level, levels_above=levels_above
    )
    out = flag_backlog(
        out, today=day, rules=rule, span_days=backlog_span_days, min_cases=backlog_min_cases
    )
    out.attrs[AS_OF_ATTR] = day
    return out
