"""Normalisers for the values found in petition ledgers.

Every scalar normaliser returns ``(value, problem)``: the normalised value (``None`` when the cell
is empty or unreadable) and a short Chinese description of what a person should know about the
cell (``None`` when nothing needs saying). The column helpers apply them to a whole column by
parsing each *distinct* value once (ledgers repeat the same dates, channels and levels over and
over), and :func:`clean_cases` cleans a frame of raw canonical columns in one call, returning the
cleaned frame and one issue row per cell a person should look at.

Only codes, numbers and dates are NFKC-normalised (full-width digits become ASCII); free text is
only trimmed, so Chinese punctuation in summaries is kept as written.

Rooms: ``_text`` (empty cells, trimmed text), ``_numbers`` (person counts), ``_dates`` (date
cells), ``_date_columns`` (date columns), ``_ids`` (ID numbers, phones, accounts), ``_vocab``
(flags and the vocabularies of data/value_words.csv), ``_columns`` (a normaliser over a column),
``_handling`` (the handling columns: 交办, 督办, 化解), ``_cases`` (:func:`clean_cases`).
"""

from __future__ import annotations

from .._base.ids import id_check_digit, id_check_digits
from ..schema import FLAG_COLUMNS
from ._cases import clean_cases
from ._date_columns import parse_date_column, parse_datetime_column
from ._dates import day_month_order, parse_date, parse_datetime
from ._ids import ANONYMOUS_ACCOUNTS, normalize_account, normalize_id_number, normalize_phone
from ._numbers import parse_count
from ._text import NULL_WORDS, fold_width, is_null, normalize_text
from ._vocab import (
    normalize_channel,
    normalize_matter_type,
    normalize_satisfaction,
    normalize_visit_level,
    parse_flag,
    value_words,
)

__all__ = [
    "ANONYMOUS_ACCOUNTS",
    "FLAG_COLUMNS",
    "NULL_WORDS",
    "clean_cases",
    "day_month_order",
    "fold_width",
    "id_check_digit",
    "id_check_digits",
    "is_null",
    "normalize_account",
    "normalize_channel",
    "normalize_id_number",
    "normalize_matter_type",
    "normalize_phone",
    "normalize_satisfaction",
    "normalize_text",
    "normalize_visit_level",
    "parse_count",
    "parse_date",
    "parse_date_column",
    "parse_datetime",
    "parse_datetime_column",
    "parse_flag",
    "value_words",
]
