"""Synthetic petition data: clean cases, messy ledgers, and the sample_data folder.

Every person is invented (Faker zh_CN name lists, valid check-digit ID numbers). Use it for
training new staff, tests, benchmarks and the notebooks' sample data.
"""

from ._cases import generate_cases
from ._ledger import LAYOUTS, write_ledger, write_ledger_book
from ._people import id_check_digit, is_valid_id
from ._sample import SAMPLE_FILES, make_sample_data

__all__ = [
    "LAYOUTS",
    "SAMPLE_FILES",
    "generate_cases",
    "id_check_digit",
    "is_valid_id",
    "make_sample_data",
    "write_ledger",
    "write_ledger_book",
]
