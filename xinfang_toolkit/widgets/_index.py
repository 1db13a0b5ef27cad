"""A filter index over a cases frame: numpy codes computed once, boolean masks per change.

Filtering a million cases must take milliseconds, so nothing here copies the frame: each
categorical column is factorized once into integer codes, dates become integer days, and a
filter is a combination of boolean masks (a lookup table indexed by the codes for a choice of
values, two comparisons for a date range). Text search is the only slow step (a substring
search over the text columns); its mask is cached per query, so other filter changes reuse it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..analysis._escalation import group_flags
from ..schema import CHANNELS, RESOLUTION_TYPES, STATUS_VALUES, TEXT_DTYPE, VISIT_LEVELS, YES_NO

#: the value standing for an empty cell in a choice list
BLANK = "(空白)"

#: the choice filters, in display order, with the preferred order of their values
CHOICE_COLUMNS: dict[str, Sequence[str] | None] = {
    "category": None,  # by frequency
    "locality": None,
    "channel": CHANNELS,
    "visit_level": VISIT_LEVELS,
    "status": STATUS_VALUES,
    # how the cases were handled: offered only when the ledger has the column filled
    "assigned_by": None,
    "key_case": YES_NO,
    "resolution_type": RESOLUTION_TYPES,
}
#: choice filters shown only when their column holds a value (a ledger without 交办机关 has none)
OPTIONAL_CHOICES: frozenset[str] = frozenset({"assigned_by", "key_case", "resolution_type"})

#: columns searched by the text search
TEXT_COLUMNS: tuple[str, ...] = ("case_id", "summary", "responsible_unit")

_NO_DATE = np.iinfo(np.int64).min


@dataclass(frozen=True)
class Choice:
    """One choice column: its values (options) and the code of every row (BLANK = last)."""

    values: tuple[str, ...]
    counts: tuple[int, ...]
    codes: np.ndarray

    def mask(self, selected: Iterable[str]) -> np.ndarray:
        lookup = {v: i for i, v in enumerate(self.values)}
        table = np.zeros(len(self.values), dtype=bool)
        for value in selected:
            if value in lookup:
                table[lookup[value]] = True
        return table[self.codes]


def _choice(series: pd.Series, order: Sequence[str] | None) -> Choice:
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    uniques = [str(u) for u in uniques]
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    n_blank = int((codes < 0).sum())
    if order is None:
        rank = sorted(range(len(uniques)), key=lambda i: (-counts[i], uniques[i]))
    else:
        pos = {v: i for i, v in enumerate(order)}
        rank = sorted(
            range(len(uniques)), key=lambda i: (pos.get(uniques[i], len(pos)), uniques[i])
        )
    values = [uniques[i] for i in rank]
    value_counts = [int(counts[i]) for i in rank]
    # remap codes to the display order; the blank code is the last value
    remap = np.empty(len(uniques) + 1, dtype=np.int32)
    remap[np.asarray(rank, dtype=np.int64)] = np.arange(len(uniques), dtype=np.int32)
    remap[-1] = len(uniques)  # factorize's -1 indexes the last slot
    new_codes = remap[codes]
    if n_blank:
        values.append(BLANK)
        value_counts.append(n_blank)
    return Choice(tuple(values), tuple(value_counts), new_codes)


class CaseIndex:
    """Precomputed codes of a cases frame, for fast filtering (see the module docstring)."""

    def __init__(self, cases: pd.DataFrame, *, text_columns: Sequence[str] = TEXT_COLUMNS):
        self.cases = cases
        self.n = len(cases)
        if "received_date" in cases.columns:
            dates = pd.to_datetime(cases["received_date"], errors="coerce")
            days = dates.to_numpy(dtype="datetime64[D]").astype(np.int64)
            days[dates.isna().to_numpy()] = _NO_DATE
            self.days = days
            # months since 1970-01, for the per-month counts
            months = dates.to_numpy(dtype="datetime64[M]").astype(np.int64)
            months[dates.isna().to_numpy()] = _NO_DATE
            self.months = months
            valid = dates.dropna()
            self.date_min = valid.min() if len(valid) else None
            self.date_max = valid.max() if len(valid) else None
        else:
            self.days = np.full(self.n, _NO_DATE, dtype=np.int64)
            self.months = np.full(self.n, _NO_DATE, dtype=np.int64)
            self.date_min = self.date_max = None
        self.choices: dict[str, Choice] = {
            col: _choice(cases[col], order)
            for col, order in CHOICE_COLUMNS.items()
            if col in cases.columns
            and (col not in OPTIONAL_CHOICES or bool(cases[col].notna().any()))
        }
        if "is_group" in cases.columns:
            self.group = cases["is_group"].fillna(False).to_numpy(dtype=bool)
        else:  # before analysis.enrich: the analysis rule with its default threshold
            self.group = group_flags(cases).to_numpy(dtype=bool)
        self.text_columns = [c for c in text_columns if c in cases.columns]
        self._text_query: str | None = None
        self._text_mask: np.ndarray | None = None
        self._all_months: pd.Series | None = None

    def text_mask(self, query: str) -> np.ndarray | None:
        """Rows whose text columns contain every space-separated term of ``query`` (cached)."""
        terms = query.split()
        if not terms:
            return None
        key = " ".join(terms)
        if key != self._text_query:
            mask = np.ones(self.n, dtype=bool)
            for term in terms:
                hit = np.zeros(self.n, dtype=bool)
                for col in self.text_columns:
                    found = self.cases[col].astype(TEXT_DTYPE).str.contains(term, regex=False)
                    hit |= found.fillna(False).to_numpy(dtype=bool)
                mask &= hit
            self._text_query, self._text_mask = key, mask
        return self._text_mask

    def mask(
        self,
        *,
        start: object = None,
        end: object = None,
        selections: Mapping[str, Iterable[str]] | None = None,
        group_only: bool = False,
        text: str = "",
    ) -> np.ndarray:
        """The boolean mask of rows matching every active filter (all True when none is)."""
        parts: list[np.ndarray] = []
        if start is not None:
            parts.append(self.days >= _day(start))
        if end is not None:
            day = _day(end)
            parts.append((self.days <= day) & (self.days != _NO_DATE))
        for col, selected in (selections or {}).items():
            selected = tuple(selected)
            if selected and col in self.choices:
                parts.append(self.choices[col].mask(selected))
        if group_only:
            parts.append(self.group)
        text_mask = self.text_mask(text or "")
        if text_mask is not None:
            parts.append(text_mask)
        if not parts:
            return np.ones(self.n, dtype=bool)
        out = parts[0].copy()
        for p in parts[1:]:
            out &= p
        return out

    def counts(self, column: str, positions: np.ndarray) -> pd.Series:
        """Rows per value of a choice column among ``positions``, largest first."""
        choice = self.choices[column]
        if len(positions) == self.n:  # no filter: the counts computed once
            return pd.Series(choice.counts, index=list(choice.values)).sort_values(ascending=False)
        counts = np.bincount(choice.codes[positions], minlength=len(choice.values) + 1)
        counts = counts[: len(choice.values)]
        return pd.Series(counts, index=list(choice.values)).sort_values(ascending=False)

    def month_counts(self, positions: np.ndarray) -> pd.Series:
        """Rows per received month among ``positions`` ("2026-01" -> n), in month order."""
        if len(positions) == self.n:  # no filter: computed once
            if self._all_months is None:
                self._all_months = self._month_counts(self.months)
            return self._all_months.copy()
        return self._month_counts(self.months[positions])

    @staticmethod
    def _month_counts(months: np.ndarray) -> pd.Series:
        months = months[months != _NO_DATE]
        if not len(months):
            return pd.Series(dtype="int64")
        lo = int(months.min())
        counts = np.bincount(months - lo)
        labels = np.arange(lo, lo + len(counts)).astype("datetime64[M]").astype(str)
        return pd.Series(counts, index=labels)


def _day(value: object) -> int:
    return int(np.datetime64(pd.Timestamp(value).date(), "D").astype(np.int64))
