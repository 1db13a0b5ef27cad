"""Masking and pseudonymous keys for personal data (姓名, 身份证号, 联系电话, 住址, 账号).

Every display and export masks personal data by default through one path: ``mask_pii`` for a
frame of cases (every personal column by its kind, the free text of every other column),
``mask_issues`` for LoadResult.issues / .excluded, ``mask_text`` (or a ``TextMasker`` built
once with ``known_names``) for one text. Only the analysis needs the real values, to link
repeat submissions of one person; it does so through ``person_key`` / ``person_keys``, a salted
one-way key that is stable across runs but is not the ID number. Keys never leave unmasked:
masked outputs carry them re-keyed under a secret of the process (``rekey_masked``), and shared
pseudonymous keys are salted with the office's own secret (``office_salt``, ``--salt-file``).
"""

from __future__ import annotations

from ._frame import (
    frame_masker,
    known_names,
    mask_columns,
    mask_issues,
    mask_pii,
    pseudonymize,
    text_columns,
)
from ._keys import DEFAULT_SALT, person_key, person_keys
from ._kinds import column_kind, pii_columns
from ._secret import (
    SALT_ENV,
    default_salt_file,
    is_masked_content_key,
    masked_content_keys,
    office_salt,
    rekey_masked,
)
from ._sources import SOURCE_COLUMNS, SourceMasker, mask_message, mask_source, mask_sources
from ._text import TextMasker, mask_text, mask_texts
from ._values import (
    mask_account,
    mask_address,
    mask_id,
    mask_name,
    mask_person,
    mask_phone,
)

__all__ = [
    "DEFAULT_SALT",
    "SALT_ENV",
    "SOURCE_COLUMNS",
    "SourceMasker",
    "TextMasker",
    "column_kind",
    "default_salt_file",
    "frame_masker",
    "is_masked_content_key",
    "known_names",
    "mask_account",
    "mask_address",
    "mask_columns",
    "mask_id",
    "mask_issues",
    "mask_message",
    "mask_name",
    "mask_person",
    "mask_phone",
    "mask_pii",
    "mask_source",
    "mask_sources",
    "mask_text",
    "mask_texts",
    "masked_content_keys",
    "office_salt",
    "person_key",
    "person_keys",
    "pii_columns",
    "pseudonymize",
    "rekey_masked",
    "text_columns",
]
