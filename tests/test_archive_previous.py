"""``prev`` / ``nxt`` of a merge (the state a ledger is compared with) read ``current`` where it
can; they must equal the look-up in the whole history, whatever the order of the ledgers."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from archive_helpers import base_cases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinfang_toolkit.archive import CaseArchive
from xinfang_toolkit.archive._merge import previous_states

CASES = base_cases(6)
MONTHS = [pd.Timestamp("2026-07-31") + pd.offsets.MonthEnd(k) for k in range(4)]
LEADERS = [None, "赵立新", "钱学文"]

_REFERENCE = """
SELECT case_key, leader, period FROM versions
WHERE case_key IN (SELECT case_key FROM inc) AND period {op} $period {extra}
QUALIFY row_number() OVER (PARTITION BY case_key ORDER BY period {order}, import_id {order}) = 1
ORDER BY case_key"""

ledgers = st.lists(
    st.tuples(
        st.integers(0, 3),  # the ledger's month
        st.lists(st.sampled_from(range(len(LEADERS))), min_size=6, max_size=6),
        st.lists(st.booleans(), min_size=6, max_size=6),  # which cases it lists
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers, st.integers(0, 3), st.lists(st.booleans(), min_size=6, max_size=6))
def test_previous_states_equal_the_lookup_in_the_history(imports, month, listed):
    with tempfile.TemporaryDirectory() as folder:
        archive = CaseArchive(Path(folder) / "a.duckdb")
        with archive:
            for k, (m, leaders, rows) in enumerate(imports):
                frame = CASES.copy()
                frame["leader"] = [LEADERS[i] for i in leaders]
                if any(rows):
                    archive.import_cases(frame[rows], period=MONTHS[m], name=str(k))
        keys = ["编号:" + c for c, on in zip(CASES["case_id"], listed, strict=True) if on]
        period = MONTHS[month]
        with archive._connect() as con:
            con.execute("CREATE TEMP TABLE inc (case_key VARCHAR)")
            con.executemany("INSERT INTO inc VALUES (?)", [[k] for k in keys + ["编号:NEW"]])
            previous_states(con, period)
            day = {"period": period.date()}
            rows = lambda sql, params=None: con.execute(sql, params).fetchall()  # noqa: E731
            want_prev = rows(_REFERENCE.format(op="<=", extra="", order="DESC"), day)
            not_prev = "AND case_key NOT IN (SELECT case_key FROM prev)"
            want_nxt = rows(_REFERENCE.format(op=">", extra=not_prev, order=""), day)
            assert rows("SELECT case_key, leader FROM prev ORDER BY case_key") == [
                r[:2] for r in want_prev
            ]
            assert rows("SELECT case_key, leader FROM nxt ORDER BY case_key") == [
                r[:2] for r in want_nxt
            ]
