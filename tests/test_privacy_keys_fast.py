"""person_keys' fast paths give exactly what the one-value functions give.

``_norm_all`` takes a short way for plain ASCII letters and digits; ``_hashes`` sets the keyed
blake2b up once. Stored keys (archives, shared exports) depend on both staying exact.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from xinfang_toolkit.privacy import person_key, person_keys
from xinfang_toolkit.privacy._keys import _hash, _hashes, _norm, _norm_all

_ASCII = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=127), max_size=20)
_TRICKY = st.text(
    alphabet=st.sampled_from(
        list("0123456789xXaZ -")
        + ["\u3000", "\u00a0", "\t", "\n", "\x1c", "\x1f", "\u2003"]  # spaces of every kind
        + ["０", "９", "Ｘ", "ｘ", "Ａ", "ｚ"]  # full-width digits and letters
        + ["٣", "৩", "३", "²", "Ⅻ"]  # digits of other scripts, superscript, roman numeral
        + ["张", "ß", "ﬁ", "İ", "é"]  # letters whose upper case or NFKC form changes length
    ),
    max_size=20,
)
_ANY = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=20)
_VALUE = st.one_of(_ASCII, _TRICKY, _ANY, st.none(), st.integers(), st.floats())


@given(st.lists(_VALUE, max_size=40))
def test_norm_all_is_norm_of_each(values):
    assert _norm_all(values) == [_norm(v) for v in values]


def test_norm_all_examples():
    values = [
        "41012219900101123x",
        "１３６５２７００７１２",
        " 137 0000 1111 ",
        "abc\u00a0",
        "",
        "  ",
    ]
    assert _norm_all(values) == [
        "41012219900101123X",
        "13652700712",
        "13700001111",
        "ABC",
        "",
        "",
    ]


def _fresh(text: str, salt: str) -> str:
    """The key as first defined: a fresh keyed blake2b per text."""
    data = text.encode("utf-8", "surrogatepass")
    digest = hashlib.blake2b(data, digest_size=8, key=salt.encode("utf-8")[:64])
    return "P" + digest.hexdigest()[:12].upper()


@given(st.lists(_ANY, max_size=20), st.text(max_size=80))
def test_hashes_equal_a_fresh_keyed_blake2b(texts, salt):
    assert _hashes(texts, salt) == [_fresh(t, salt) for t in texts]
    assert [_hash(t, salt) for t in texts] == [_fresh(t, salt) for t in texts]


def test_known_key_is_unchanged():
    # a key as stored in archives and exports: it must never change
    assert _hash("id:110101199003077777", "xinfang-toolkit") == _fresh(
        "id:110101199003077777", "xinfang-toolkit"
    )
    assert person_key("110101199003077777") == _fresh("id:110101199003077777", "xinfang-toolkit")


@given(
    st.lists(
        st.tuples(_TRICKY, st.sampled_from(["张三", " 张三", "李四\u3000", None]), _TRICKY),
        min_size=1,
        max_size=30,
    )
)
def test_person_keys_equal_person_key_per_row(rows):
    ids = [r[0] if len(r[0]) % 3 else r[0] + "110101199003077777" for r in rows]
    df = pd.DataFrame(
        {
            "id_number": pd.array(ids, dtype="string"),
            "petitioner": pd.array([r[1] for r in rows], dtype="string"),
            "phone": pd.array([r[2] for r in rows], dtype="string"),
        }
    )
    got = person_keys(df).to_numpy(dtype=object, na_value=None)
    want = np.asarray(
        [person_key(i, n, p) for i, n, p in zip(ids, df["petitioner"], df["phone"], strict=True)],
        dtype=object,
    )
    assert got.tolist() == want.tolist()
