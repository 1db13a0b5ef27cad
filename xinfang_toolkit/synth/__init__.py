"""Synthetic petition data: clean cases, messy ledgers, and the sample_data folder.

Every person is invented (Faker zh_CN name lists, valid check-digit ID numbers). Use it for
training new staff, tests, benchmarks and the notebooks' sample data.

- ``generate_cases(n, *, seed, start, end, today, with_truth=False)``: clean canonical cases
  (schema.conform_cases) with repeat chains, hotspots, group and escalated visits, leaders,
  late, open and overdue cases. ``with_truth=True`` adds the generator's ground truth
  (true_category, true_matter, true_hotspot, true_person, template) for evaluating
  classifiers and repeat linking.
- ``write_ledger(cases, path, *, layout, seed, messy, sheets)`` / ``write_ledger_book``: the
  same cases as the messy files offices exchange (layouts in ``LAYOUTS``).
- ``complaint_corpus(*, per_class, seed, scenarios)``: labelled citizen-style messages of 7
  content classes, for training and evaluating text classifiers.
- ``make_sample_data(folder, *, seed=2026)``: the files in sample_data/ (``SAMPLE_FILES``);
  also ``python -m xinfang_toolkit.synth [folder] [seed]``.
- ``write_monthly_ledgers(folder, *, seed=2026, months=...)``: monthly ledgers of one county
  that repeat and update cases (sample_data/月度台账/, for the case archive); ``monthly_states``
  gives the frames.
- ``write_activity_register(path, *, n, seed)`` / ``generate_activities``: an activity register
  (工作台账: 接访, 下访, 督办, 回访 ...) for ``load_activities``; sample_data/工作台账/ holds one.
"""

from ._activities import ACTIVITY_FILE, generate_activities, write_activity_register
from ._cases import generate_cases
from ._complaints import complaint_corpus
from ._ledger import LAYOUTS, write_ledger, write_ledger_book
from ._monthly import MONTHLY_FOLDER, MONTHLY_MONTHS, monthly_states, write_monthly_ledgers
from ._people import id_check_digit, is_valid_id
from ._sample import SAMPLE_FILES, make_sample_data

__all__ = [
    "ACTIVITY_FILE",
    "generate_activities",
    "write_activity_register",
    "LAYOUTS",
    "SAMPLE_FILES",
    "complaint_corpus",
    "generate_cases",
    "id_check_digit",
    "is_valid_id",
    "make_sample_data",
    "write_ledger",
    "write_ledger_book",
    "MONTHLY_FOLDER",
    "MONTHLY_MONTHS",
    "monthly_states",
    "write_monthly_ledgers",
]
