"""Masking and pseudonymous keys for personal data (姓名, 身份证号, 联系电话, 住址, 账号).

Every display and export masks personal data by default through one path: ``mask_pii`` for a
frame of cases (every personal column by its kind, the free text of every other column),
``mask_issues`` for LoadResult.issues / .excluded, ``mask_text`` (or a ``TextMasker`` built
once with ``known_names``) for one text. Only the analysis needs the real values, to link
repeat submissions of one person; it does so through ``person_key`` / ``person_keys``, a salted
one-way key that is stable across runs but is not the ID number.
"""

from __future__ import annotations

from ._frame import known_names, mask_issues, mask_pii, pseudonymize, text_columns
from ._keys import DEFAULT_SALT, person_key, person_keys
from ._kinds import column_kind, pii_columns
from ._text import TextMasker, mask_text
from ._values import mask_account, mask_address, mask_id, mask_name, mask_phone

__all__ = [
    "DEFAULT_SALT",
    "TextMasker",
    "column_kind",
    "known_names",
    "mask_account",
    "mask_address",
    "mask_id",
    "mask_issues",
    "mask_name",
    "mask_phone",
    "mask_pii",
    "mask_text",
    "person_key",
    "person_keys",
    "pii_columns",
    "pseudonymize",
    "text_columns",
]
