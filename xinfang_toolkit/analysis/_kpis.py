"""Headline figures of case handling (never of persons), read from the figure registry."""

from __future__ import annotations

import pandas as pd

from ..schema import STATUS_VALUES, TEXT_DTYPE
from ._enrich import AS_OF_ATTR, ENRICH_COLUMNS, enrich
from ._figures import Scope, figure_values
from ._periods import to_day
from ._rules import Rules

__all__ = ["kpis", "prepared_as_of"]

BAD_DATE = STATUS_VALUES[-1]


def prepared_as_of(
    cases: pd.DataFrame,
    *,
    today: object = None,
    rules: str | Rules | dict = "2022",
    period_cutoff_day: int | None = None,
    **options: object,
) -> tuple[pd.DataFrame, pd.Timestamp]:
    """``cases`` prepared by :func:`enrich` as of ``today`` and that day.

    A frame enriched already as of the same day (``attrs["xf_as_of"]``; or with no day recorded
    when ``today`` is not given) is used as it is; otherwise the derived columns are dropped and
    ``enrich`` runs again. ``today=None`` means the frame's own day, else the real today.
    """
    recorded = cases.attrs.get(AS_OF_ATTR)
    prepared = all(c in cases.columns for c in ENRICH_COLUMNS)
    if today is None:
        day = to_day(recorded) if recorded is not None else to_day(None, default_today=True)
    else:
        day = to_day(today, name="today 今天")
    if prepared and (recorded is None or to_day(recorded) == day):
        return cases, day
    base = cases.drop(
        columns=[c for c in ENRICH_COLUMNS if c in cases.columns and c != "category_original"]
    )
    out = enrich(base, today=day, rules=rules, period_cutoff_day=period_cutoff_day, **options)
    return out, day


def kpis(
    cases: pd.DataFrame,
    *,
    today: object = None,
    start: object = None,
    end: object = None,
    rules: str | Rules | dict = "2022",
    period_cutoff_day: int | None = None,
) -> dict:
    """Every figure of the registry (``analysis.FIGURES``) for ``cases``, as of ``today``.

    Keys are the registry's (``"cases"``, ``"skip_level"``, ``"backlog.end"`` ...; see
    :data:`FIGURES` for each definition), counted over the cases received from ``start`` to
    ``end`` (default: all) and by ``today``; 期初/化解/新增 need ``start``. Unprepared cases
    are prepared with :func:`enrich` first. Also: ``as_of`` (the day counted as of) and, under
    their earlier names, ``batches`` (= cases), ``repeats`` (= repeat.cases), ``group_visits``
    (= group.batches), ``backlog`` (= backlog.end, 件) and ``date_problems`` (rows whose dates
    cannot be right, 日期有误).

    Rates are floats in 0..1, or None when there is nothing to divide by.
    """
    prepared, day = prepared_as_of(
        cases, today=today, rules=rules, period_cutoff_day=period_cutoff_day
    )
    scope = Scope.of(as_of=day, start=start, end=end)
    values = figure_values(prepared, as_of=scope)
    status = prepared["status"].astype(TEXT_DTYPE)
    return {
        **values,
        "as_of": day,
        "batches": values["cases"],
        "repeats": values["repeat.cases"],
        "group_visits": values["group.batches"],
        "backlog": values["backlog.end"],
        "date_problems": int((status == BAD_DATE).fillna(False).sum()),
    }
