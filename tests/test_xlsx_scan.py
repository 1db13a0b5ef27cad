"""The one pass over a sheet's XML before calamine sees it (:func:`_xlsx.scan_sheet`): its quick
substring searches (folded digits and letters, one-byte gates for formulas and merged ranges)
must find what a full XML parse finds, wherever the pieces are cut."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.etree import ElementTree

from hypothesis import given, settings
from hypothesis import strategies as st

from xinfang_toolkit.load import _xlsx
from xinfang_toolkit.load._grid import column_letter, column_number

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

#: number spellings written by Excel, openpyxl, xlsxwriter and WPS: plain, E notation, negative
NUMBERS = st.one_of(
    st.integers(-(10**19), 10**19).map(str),
    st.floats(allow_nan=False, allow_infinity=False, width=64).map(repr),
    st.floats(1e10, 1e20).map(lambda x: f"{x:.15E}"),
    st.floats(1e10, 1e20).map(lambda x: f"{x:.14e}"),
    st.sampled_from(["110101199003074477", "1.10101199003074E+17", "4.5E+15", "9.99E+14"]),
)

CELL = st.one_of(
    st.tuples(st.just("n"), NUMBERS),
    st.tuples(st.just("s"), st.integers(0, 10**6).map(str)),
    st.tuples(st.just("str"), st.sampled_from(["1234567890123456789", "E+17", "f>g", "AA1"])),
    st.tuples(st.just("f"), st.sampled_from(["SUM(A1:A3)", "A1*2", ""])),
    st.tuples(st.just("fv"), st.sampled_from(["SUM(A1:A3)", "B2+1"])),
)


@st.composite
def sheets(draw):
    """A sheet XML (its cells, merged ranges) with numbers, shared and inline strings,
    formulas with and without a cached value, at any column up to ZZ."""
    n_rows = draw(st.integers(1, 25))
    rows, cells = [], {}
    for r in range(n_rows):
        cols = sorted(draw(st.sets(st.integers(0, 701), min_size=1, max_size=6)))
        parts = []
        for c in cols:
            kind, value = draw(CELL)
            ref = f"{column_letter(c)}{r + 1}"
            cells[(r, c)] = (kind, value)
            if kind == "n":
                parts.append(f'<c r="{ref}" s="1"><v>{value}</v></c>')
            elif kind == "s":
                parts.append(f'<c r="{ref}" t="s"><v>{value}</v></c>')
            elif kind == "str":
                parts.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
            elif kind == "f":
                parts.append(f'<c r="{ref}"><f>{value}</f></c>')
            else:
                parts.append(f'<c r="{ref}"><f>{value}</f><v>3</v></c>')
        rows.append(f'<row r="{r + 1}">{"".join(parts)}</row>')
    merged = draw(st.lists(st.tuples(st.integers(0, n_rows - 1), st.integers(0, 30)), max_size=3))
    merge_xml = "".join(
        f'<mergeCell ref="{column_letter(c)}{r + 1}:{column_letter(c + 1)}{r + 1}"/>'
        for r, c in merged
    )
    tail = f'<mergeCells count="{len(merged)}">{merge_xml}</mergeCells>' if merged else ""
    xml = (
        f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData>{"".join(rows)}</sheetData>'
        f'{tail}<pageMargins left="0.7" right="0.7" footer="0.3"/></worksheet>'
    ).encode()
    return xml


def _reference(xml: bytes) -> tuple[dict, list, list, int, int]:
    """What a full XML parse says: big number cells, formulas without a value, merged ranges,
    the last row and the widest column."""
    root = ElementTree.fromstring(xml)
    numbers, formulas, merged = {}, [], []
    last_row, last_col = -1, 25
    for c in root.iter(f"{{{NS}}}c"):
        ref = c.get("r")
        letters = ref.rstrip("0123456789")
        r, col = int(ref[len(letters) :]) - 1, column_number(letters)
        last_row, last_col = max(last_row, r), max(last_col, col)
        v, f = c.find(f"{{{NS}}}v"), c.find(f"{{{NS}}}f")
        if c.get("t", "n") == "n" and v is not None and f is None:
            if abs(float(v.text)) >= 1e15:
                numbers[(r, col)] = float(v.text)
        if f is not None and v is None:
            formulas.append((r, col, f"={f.text}" if f.text else ""))
    for m in root.iter(f"{{{NS}}}mergeCell"):
        a, b = m.get("ref").split(":")
        la, lb = a.rstrip("0123456789"), b.rstrip("0123456789")
        merged.append(
            (int(a[len(la) :]) - 1, column_number(la), int(b[len(lb) :]) - 1, column_number(lb))
        )
    return numbers, formulas, merged, last_row, last_col


def _zip(xml: bytes) -> zipfile.ZipFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", xml)
    return zipfile.ZipFile(io.BytesIO(buf.getvalue()))


@settings(max_examples=150, deadline=None)
@given(xml=sheets(), chunk=st.sampled_from([64, 300, 4096, 1 << 18]))
def test_the_scan_finds_what_a_full_parse_finds(xml, chunk):
    old = _xlsx._CHUNK
    _xlsx._CHUNK = chunk  # pieces cut after any row
    try:
        scan = _xlsx.scan_sheet(_zip(xml), "xl/worksheets/sheet1.xml")
    finally:
        _xlsx._CHUNK = old
    numbers, formulas, merged, last_row, last_col = _reference(xml)
    assert scan.numbers == numbers
    assert sorted(scan.formulas) == sorted(formulas)
    assert scan.merged == merged
    assert scan.last_row == last_row
    assert scan.last_col == last_col


def test_an_id_number_in_e_notation_and_in_full_is_found():
    xml = (
        f'<worksheet xmlns="{NS}"><sheetData><row r="1">'
        '<c r="A1"><v>1.10101199003074E+17</v></c><c r="B1"><v>110101199003074477</v></c>'
        '<c r="C1" t="s"><v>1234567890123456789</v></c><c r="D1"><v>999999999999999</v></c>'
        "</row></sheetData></worksheet>"
    ).encode()
    scan = _xlsx.scan_sheet(_zip(xml), "xl/worksheets/sheet1.xml")
    assert scan.numbers == {(0, 0): 1.10101199003074e17, (0, 1): 110101199003074477.0}


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(st.integers(0, 3000), min_size=1, max_size=20),
    chunk=st.sampled_from([7, 64, 1000]),
    prefix=st.sampled_from(["", "x:"]),
)
def test_pieces_end_after_a_row_and_lose_nothing(rows, chunk, prefix):
    """Rows of any length (some far longer than a piece) come out whole, in order."""
    # a cell's text may hold "row>" (XML leaves ">" unescaped in text): never a place to cut
    xml = "".join(
        f'<{prefix}row r="{k}"><{prefix}c><{prefix}is><{prefix}t>{"y" * n}arrow>'
        f"</{prefix}t></{prefix}is></{prefix}c></{prefix}row>"
        for k, n in enumerate(rows)
    )
    data = (xml + "</sheetData><pageMargins/>").encode()
    old = _xlsx._CHUNK
    _xlsx._CHUNK = chunk
    try:
        pieces = list(_xlsx._aligned_chunks(io.BytesIO(data)))
    finally:
        _xlsx._CHUNK = old
    assert b"".join(pieces) == data
    for piece in pieces[:-1]:
        assert piece.endswith(f"</{prefix}c></{prefix}row>".encode())


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1899, 12, 30), max_value=dt.datetime(2200, 1, 1)))
def test_a_date_time_text_becomes_the_cell_it_was(value):
    """fastexcel writes date cells as ISO text; each comes back as a time (Excel day 0), a date
    (midnight) or a date-time, told from the text as the full datetime would tell it."""
    from xinfang_toolkit.load._arrow import _as_cell

    text = value.isoformat(sep=" ")
    if value.year < 1900:
        want = value.time()
    elif value.time() == dt.time(0):
        want = value.date()
    else:
        want = value
    got = _as_cell(text)
    assert type(got) is type(want) and got == want
    if value.microsecond == 0:  # a typed midnight with a fraction of zeros is midnight too
        fraction = _as_cell(text + ".000")
        assert type(fraction) is type(want) and fraction == want


@settings(max_examples=25, deadline=None)
@given(
    extra=st.lists(
        st.sampled_from(["", "a\x00b", "\x01", "2025-03-05 00:00:00", "2025-03-05 09:32:09", "甲"]),
        max_size=40,
    ),
    seed=st.integers(0, 1000),
)
def test_a_column_of_distinct_values_reads_as_an_encoded_one(extra, seed):
    """A long column of nearly all different values is read without encoding it first: the
    same cells, filled marks and notes (control characters, date cells) as the encoded way."""
    import random

    import pyarrow as pa

    from xinfang_toolkit.load import _arrow

    rng = random.Random(seed)
    values = [f"XF{k:06d}" for k in range(8000)] + extra + [None] * rng.randint(0, 3)
    rng.shuffle(values)
    values[:2000] = sorted(values[:2000], key=str)  # the sample still sees distinct values
    array = pa.array(values, type=pa.string())
    assert _arrow._mostly_distinct(array)
    direct_notes, encoded_notes = [], []
    cells, filled = _arrow._column(array, 3, dates=True, notes=direct_notes)
    old = _arrow._DIRECT_ROWS
    _arrow._DIRECT_ROWS = 10**9
    try:
        want_cells, want_filled = _arrow._column(array, 3, dates=True, notes=encoded_notes)
    finally:
        _arrow._DIRECT_ROWS = old
    assert cells.tolist() == want_cells.tolist()
    assert filled.tolist() == want_filled.tolist()
    assert sorted(direct_notes, key=lambda n: n.row) == sorted(encoded_notes, key=lambda n: n.row)
