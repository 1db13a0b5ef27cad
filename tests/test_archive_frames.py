"""Archive answers to pandas: text built once per distinct value, dtypes of the data contract."""

from __future__ import annotations

import gc
import re
import unicodedata

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from archive_helpers import base_cases, closed
from hypothesis import given
from hypothesis import strategies as st

from xinfang_toolkit.archive import CaseArchive
from xinfang_toolkit.archive._frames import (
    CAST_SQL,
    INCOMING,
    _column,
    collector_paused,
    fetch,
    text_array,
    to_arrow,
)
from xinfang_toolkit.archive._keys import case_keys, case_number
from xinfang_toolkit.schema import TEXT_DTYPE, conform_cases

_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=6)


def _as_list(values) -> list:
    return [None if v is pd.NA else v for v in values]


@given(st.lists(st.one_of(st.none(), _TEXT), max_size=60), st.integers(1, 4))
def test_text_array_keeps_every_value_and_gap(values, chunks):
    size = max(len(values) // chunks, 1)
    parts = [values[i : i + size] for i in range(0, len(values), size)] or [[]]
    out = text_array(pa.chunked_array([pa.array(p, type=pa.string()) for p in parts]))
    assert out.dtype == TEXT_DTYPE
    assert _as_list(out) == values


def test_text_array_shares_repeated_values_and_copies_unique_ones():
    towns = text_array(pa.array(["城关镇", "河东乡", None] * 20_000))
    assert towns[0] is towns[3]  # one Python string per distinct value
    assert pd.isna(towns[2])
    numbers = [f"XF{i:06d}" for i in range(30_000)] + [None]
    assert _as_list(text_array(pa.array(numbers))) == numbers


@given(st.lists(st.one_of(st.none(), _TEXT), min_size=1, max_size=8), st.booleans())
def test_large_text_arrays_pass_pandas_own_check(words, unique):
    # long answers skip pandas' per-value check: what they hold must pass it all the same
    cycle = [words[i % len(words)] for i in range(1_000)]  # repeated values: shared strings
    values = [None if w is None else f"{i}{w}" for i, w in enumerate(cycle)] if unique else cycle
    out = text_array(pa.array(values, type=pa.string()))
    checked = pd.arrays.StringArray(np.array(_as_list(out), dtype=object), dtype=TEXT_DTYPE)
    assert out.dtype == checked.dtype == TEXT_DTYPE
    assert type(out) is type(checked)
    assert _as_list(out) == _as_list(checked) == values
    assert all(v is pd.NA or type(v) is str for v in out.to_numpy(dtype=object))


def test_text_array_of_an_all_empty_column():
    for n in (2, 500):  # a short answer is converted value by value, a long one through Arrow
        out = text_array(pa.array([None] * n, type=pa.null()))
        assert out.dtype == TEXT_DTYPE and len(out) == n and out.isna().all()
    assert len(text_array(pa.array([], type=pa.string()))) == 0


def test_fetch_gives_the_contract_dtypes():
    con = duckdb.connect()
    frame = fetch(
        con,
        "SELECT 'a' AS case_id, DATE '2026-01-02' AS received_date, NULL::DATE AS closed_date, "
        "true AS closed_flag, 3::INTEGER AS person_count, ? AS summary",
        ["来信"],
    )
    assert frame["case_id"].dtype == TEXT_DTYPE and frame["summary"].tolist() == ["来信"]
    assert frame["received_date"].dtype == "datetime64[ns]"
    assert frame["received_date"].iloc[0] == pd.Timestamp("2026-01-02")
    assert frame["closed_date"].isna().all()
    assert frame["closed_flag"].dtype == "boolean"
    assert frame["person_count"].dtype == "Int64"


@given(
    st.lists(st.one_of(st.none(), st.booleans()), max_size=40),
    st.lists(st.one_of(st.none(), st.integers(-(2**31), 2**31 - 1)), max_size=40),
    st.integers(1, 3),
)
def test_flags_and_counts_convert_as_pandas_does(flags, counts, chunks):
    """Flags and counts are built from Arrow's values and nulls directly; the answer is what
    pandas' own conversion gives, all-empty and chunked columns included."""

    def chunked(values, kind):
        size = max(len(values) // chunks, 1)
        parts = [values[i : i + size] for i in range(0, len(values), size)] or [[]]
        return pa.chunked_array([pa.array(p, type=kind) for p in parts], type=kind)

    for values, kind, name, dtype in (
        (flags, pa.bool_(), "closed_flag", "boolean"),
        (counts, pa.int32(), "person_count", "Int64"),
    ):
        for column in (chunked(values, kind), pa.nulls(len(values))):
            got = _column(name, column)
            want = pd.array(column.to_pandas(), dtype=dtype)
            assert got.dtype == want.dtype
            assert _as_list(got) == _as_list(want)


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_restored_as_it_was(enabled):
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(RuntimeError), collector_paused():
            raise RuntimeError
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def _versions_index(path) -> list:
    con = duckdb.connect(str(path))
    try:
        return con.execute(
            "SELECT index_name FROM duckdb_indexes() WHERE table_name = 'versions'"
        ).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("old", [1, 2])
def test_an_older_archive_gets_the_case_key_index_and_history_works(tmp_path, old):
    path = tmp_path / "a.duckdb"
    cases = base_cases(4)
    CaseArchive(path).import_cases(cases, period="2026-06-30")
    assert _versions_index(path) == [("versions_case_key",)]
    con = duckdb.connect(str(path))  # make it an archive of schema version 1 or 2
    con.execute("DROP INDEX versions_case_key")
    if old == 2:
        con.execute("ALTER TABLE versions ADD COLUMN key_hash UBIGINT")
    con.execute("UPDATE archive_meta SET value = ? WHERE key = 'schema_version'", [str(old)])
    con.close()
    archive = CaseArchive(path)
    assert _versions_index(path) == [("versions_case_key",)]
    history = archive.history(cases["case_id"].iloc[1])
    assert len(history) == 1 and history["case_id"].iloc[0] == cases["case_id"].iloc[1]
    archive.import_cases(closed(cases, [1], "2026-07-03"), period="2026-07-31")
    assert len(archive.history(cases["case_id"].iloc[1])) == 2


@given(st.lists(st.one_of(st.none(), _TEXT), min_size=1, max_size=40), st.integers(1, 7))
def test_fetch_in_batches_is_fetch_at_once(values, batch):
    con = duckdb.connect()
    con.register("t", pa.table({"summary": pa.array(values, type=pa.string())}))
    sql = "SELECT summary, len(summary) AS person_count FROM t"
    whole = fetch(con, sql)
    pd.testing.assert_frame_equal(fetch(con, sql, batch_rows=batch), whole)
    assert _as_list(whole["summary"]) == values


@given(
    st.lists(st.one_of(st.none(), _TEXT), min_size=0, max_size=40),
    st.integers(1, 7),
    st.integers(-3, 3),
)
def test_fetch_filled_to_a_known_length_is_fetch_joined(values, batch, off):
    """Every kind of column (text, date, count, flag) filled batch by batch into arrays of the
    announced length gives the same frame as joining the batches, also when the answer has
    fewer or more rows than announced, and when it spans several batches (one thread, shared
    text)."""
    con = duckdb.connect()
    con.register("t", pa.table({"summary": pa.array(values, type=pa.string())}))
    sql = (
        "SELECT summary, len(summary) AS person_count, summary IS NULL AS closed_flag, "
        "DATE '2026-01-01' + len(summary)::INTEGER AS received_date FROM t"
    )
    joined = fetch(con, sql, batch_rows=batch)
    filled = fetch(con, sql, batch_rows=batch, rows=max(len(values) + off, 0))
    pd.testing.assert_frame_equal(filled, joined)
    assert _as_list(filled["summary"]) == values


def test_fetch_of_no_rows_has_the_answer_columns():
    frame = fetch(
        duckdb.connect(), "SELECT 'x' AS case_id, DATE '2026-01-02' AS received_date LIMIT 0"
    )
    assert list(frame.columns) == ["case_id", "received_date"] and frame.empty
    assert frame["received_date"].dtype == "datetime64[ns]"


def test_to_arrow_keeps_values_gaps_and_types():
    cases = conform_cases(base_cases(4))
    cases.loc[1, ["summary", "closed_flag", "person_count"]] = pd.NA
    table = to_arrow(cases)
    assert table.column_names == list(INCOMING)
    assert table.column("case_key").null_count == 4  # not in the frame: all null
    assert table.column("summary").to_pylist()[1] is None
    assert table.column("summary").to_pylist()[0] == cases.loc[0, "summary"]
    assert table.column("person_count").to_pylist()[1] is None
    assert pa.types.is_timestamp(table.column("received_date").type)
    con = duckdb.connect()
    con.register("inc", table)
    back = con.execute(f"SELECT {CAST_SQL} FROM inc").df()
    assert back["received_date"].tolist() == cases["received_date"].tolist()


@given(st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=20))
def test_case_keys_of_numbers_are_case_number(numbers):
    frame = pd.DataFrame(
        {"case_id": pd.array(numbers, dtype="string"), "received_date": pd.NaT, "summary": "x"}
    )
    keys = case_keys(frame)
    blank = [not n.strip() for n in numbers]
    expected = ["编号:" + case_number(n) for n, b in zip(numbers, blank, strict=True) if not b]
    assert [k for k, b in zip(keys["case_key"], blank, strict=True) if not b] == expected


@given(st.text(max_size=12) | st.from_regex(r"[A-Za-z0-9 \t-]{0,12}", fullmatch=True))
def test_case_number_is_nfkc_without_whitespace_upper_case(text):
    """The documented rule, written out (the function skips NFKC for ASCII text)."""
    assert case_number(text) == re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()


def test_fetch_leaves_the_connection_threads_as_they_were():
    con = duckdb.connect()
    con.execute("SET threads = 2")
    # an answer of several batches (3 rows, batches of 1) reads on one thread meanwhile
    frame = fetch(con, "SELECT range AS source_row FROM range(3)", batch_rows=1, rows=3)
    assert frame["source_row"].tolist() == [0, 1, 2]
    assert con.execute("SELECT current_setting('threads')").fetchall() == [(2,)]
    with pytest.raises(duckdb.Error):
        fetch(con, "SELECT no_such_column", batch_rows=1, rows=3)
    assert con.execute("SELECT current_setting('threads')").fetchall() == [(2,)]
