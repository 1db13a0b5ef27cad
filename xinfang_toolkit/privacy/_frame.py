"""The one masking path of frames: cases, issues and excluded rows, tables of a report.

``mask_pii`` masks every personal column by its kind (canonical or named so by its header) and
the free text of every other text column: numbers, house numbers, and the names of every person
the frame knows (from its name columns and after cue words) wherever they appear.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from .._base.distinct import map_distinct
from ..schema import TEXT_DTYPE
from ._keys import person_keys
from ._kinds import EXEMPT_COLUMNS, column_kind, pii_columns
from ._secret import KEY_COLUMNS, office_salt, rekey_masked
from ._sources import SOURCE_COLUMNS, SourceMasker, mask_sources
from ._text import TextMasker, clean_names, cue_names
from ._values import mask_account, mask_address, mask_id, mask_person, mask_phone

__all__ = [
    "frame_masker",
    "known_names",
    "mask_columns",
    "mask_issues",
    "mask_pii",
    "pseudonymize",
    "text_columns",
]


def _is_text(series: pd.Series) -> bool:
    dtype = series.dtype
    return pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype)


def text_columns(frame: pd.DataFrame) -> list[str]:
    """The free-text columns of a frame: text dtype, not personal by kind, not an identifier."""
    kinds = pii_columns(frame.columns)
    return [
        c
        for c in frame.columns
        if c not in kinds and c not in EXEMPT_COLUMNS and _is_text(frame[c])
    ]


def _uniques(series: pd.Series) -> list[str]:
    return [v for v in pd.unique(series.dropna().to_numpy(dtype=object)) if isinstance(v, str)]


def known_names(frame: pd.DataFrame, *, columns: Iterable[str] | None = None) -> set[str]:
    """The names of persons a frame knows: its name columns' values and names after cue words.

    Pass them as ``names=`` when masking a part of the frame (one card, one page), so that a
    person named in another row is masked here too. ``columns``: the text columns to look for
    cue words in (default: every free-text column). Columns are taken by position, so a frame
    built by hand with a repeated column name is read whole.
    """
    kinds = pii_columns(frame.columns)
    wanted = None if columns is None else set(columns)
    names: set[str] = set()
    for i, col in enumerate(frame.columns):
        values = frame.iloc[:, i]
        kind = kinds.get(col)
        if kind == "name":
            names |= clean_names(_uniques(values))
        if wanted is None:
            text = kind is None and col not in EXEMPT_COLUMNS and _is_text(values)
        else:
            text = col in wanted
        if text or kind in ("name", "address"):
            names |= cue_names(_uniques(values))
    return names


def frame_masker(frame: pd.DataFrame) -> TextMasker:
    """A masker for the free text shown from a frame (a hotspot's summary, a precedent, a
    dossier): every person the whole frame knows (:func:`known_names`), since a text may name
    the petitioner of another row with no cue word, and the numbers."""
    return TextMasker(known_names(frame))


def _map_unique(series: pd.Series, func: Callable[[list], list]) -> pd.Series:
    """Apply ``func`` (a list of distinct values -> their masked values) once per distinct
    string; other values (numbers, missing) are left as they are."""
    if not len(series):
        return series.copy()
    codes, masked = map_distinct(series, func, batch=True, strings_only=True)
    out = series.to_numpy(dtype=object).copy()
    seen = codes < len(masked) - 1  # missing cells (the last slot) keep their own value
    out[seen] = masked[codes[seen]]
    try:
        return pd.Series(out, index=series.index, name=series.name, dtype=series.dtype)
    except (TypeError, ValueError):
        return pd.Series(out, index=series.index, name=series.name)


def mask_columns(frame: pd.DataFrame, *, names: Iterable[str] = ()) -> pd.DataFrame:
    """``frame`` with its column names masked as header texts (a note typed in a header row
    becomes a column name: 备注(张秀兰 13812345678)); names the masking leaves as they are
    (every canonical and ordinary header) are kept, and two names never become one."""
    masker = SourceMasker(names, parts=False)
    columns = list(frame.columns)
    new = [masker(c) if isinstance(c, str) else c for c in columns]
    if new == columns:
        return frame
    seen: set[object] = set(c for c, n in zip(columns, new, strict=True) if c == n)
    for i, (old, name) in enumerate(zip(columns, new, strict=True)):
        if old == name:
            continue
        candidate, k = name, 2
        while candidate in seen:
            candidate, k = f"{name}({k})", k + 1
        new[i] = candidate
        seen.add(candidate)
    out = frame.copy(deep=False)
    out.columns = new
    return out


def _by_kind(kind: str, masker: TextMasker) -> Callable[[list], list]:
    """The masker of the values of a personal column of ``kind`` (a list in, a list out)."""

    def name(values: list) -> list:
        # the known names and numbers first; then every name of the cell not masked yet (any
        # length, any script: 阿卜杜热合曼·艾买提, Mary Johnson, 张 三)
        return [mask_person(m) for m in masker.many(values)]

    def number(plain: Callable[[object], object]) -> Callable[[list], list]:
        def f(values: list) -> list:
            return [
                m if m != v else plain(v) for v, m in zip(values, masker.many(values), strict=True)
            ]

        return f

    def address(values: list) -> list:
        return [mask_address(m) for m in masker.many(values)]

    def account(values: list) -> list:
        return [mask_account(v) for v in values]

    return {
        "name": name,
        "id": number(mask_id),
        "phone": number(mask_phone),
        "address": address,
        "account": account,
    }[kind]


def mask_pii(
    cases: pd.DataFrame,
    *,
    columns: Iterable[str] | None = None,
    text_columns: Iterable[str] | None = None,
    names: Iterable[str] = (),
) -> pd.DataFrame:
    """Return a copy of ``cases`` with personal data masked; the input is not changed.

    ``columns``: the personal columns (default: canonical ones and every column whose header
    says it holds personal data: 联系人, 代理人电话, 被反映人 ...), masked by kind.
    ``text_columns``: the free texts (default: every other text column but identifiers), in
    which ID numbers, phones, house numbers and names of persons are masked.
    ``names``: persons known from elsewhere (``known_names`` of the whole frame, when only a
    part of it is masked here).
    """
    out = cases.copy()
    if columns is None:
        kinds = pii_columns(out.columns)
    else:
        kinds = {c: column_kind(c) or "name" for c in columns if c in out.columns}
    if text_columns is None:
        texts = [
            c
            for c in out.columns
            if c not in kinds and c not in EXEMPT_COLUMNS and _is_text(out[c])
        ]
    else:
        texts = [c for c in text_columns if c in out.columns and c not in kinds]
    texts = [c for c in texts if c not in SOURCE_COLUMNS]
    known = set(clean_names(names)) | known_names(out, columns=texts)
    masker = TextMasker(known, cues=False)
    for col in texts:
        out[col] = _map_unique(out[col], masker.many)
    for col, kind in kinds.items():
        out[col] = _map_unique(out[col], _by_kind(kind, masker))
    out = mask_columns(mask_sources(out, names=known), names=known)
    # keys computed from personal data (person_key, chain_id, an archive's content key) can be
    # recomputed from a guessed ID number: re-keyed under a secret nobody holds
    return rekey_masked(out)


def mask_issues(frame: pd.DataFrame, *, names: Iterable[str] = ()) -> pd.DataFrame:
    """LoadResult.issues or .excluded, masked: the original ``value`` by its column's kind,
    and the texts (``problem``, ``content`` ...) as free text. ``names``: the persons known
    from the cases (``known_names(cases)``)."""
    out = frame.copy()
    if not len(out):
        return out
    texts = [
        c for c in text_columns(out) if c not in ("column", "reason") and c not in SOURCE_COLUMNS
    ]
    known = set(clean_names(names)) | known_names(out, columns=texts)
    value_kind = pd.Series(dtype=object)
    if "value" in out.columns and "column" in out.columns:
        value_kind = out["column"].map(lambda c: column_kind(c) if isinstance(c, str) else None)
        known |= clean_names(out.loc[value_kind == "name", "value"].tolist())
    masker = TextMasker(known, cues=False)
    for col in texts:
        if col == "value" and len(value_kind):
            masked = out["value"].copy()
            for kind, rows in value_kind.groupby(value_kind.fillna(""), sort=False).groups.items():
                func = _by_kind(kind, masker) if kind else masker.many
                masked.loc[rows] = _map_unique(out.loc[rows, "value"], func)
            out["value"] = masked
        else:
            out[col] = _map_unique(out[col], masker.many)
    return mask_sources(out, names=known)


def pseudonymize(
    cases: pd.DataFrame, *, salt: str | None = None, salt_file: str | Path | None = None
) -> pd.DataFrame:
    """A copy for training or sharing: stable keys instead of the petitioner's name and ID.

    ``petitioner`` becomes the person key, ``id_number`` and ``phone`` are emptied, every
    other personal column and all free text are masked as by ``mask_pii``; the keys a frame
    carries (``person_key``, ``chain_id``, content ``case_key``) are re-keyed. Keys are salted
    with the office's secret (``office_salt(salt_file)``: made once, kept out of every
    export), never with the public default: nobody outside can recompute a key from an ID
    number. ``salt``: a secret given directly instead (at least 16 characters).
    """
    if salt is None:
        salt = office_salt(salt_file)
    elif len(str(salt)) < 16:
        raise ValueError("salt 太短 (至少 16 个字符); 不给 salt 时用单位密钥文件")
    out = mask_pii(cases)
    keyed = [c for c in KEY_COLUMNS if c in cases.columns]
    if keyed:
        stable = rekey_masked(cases[keyed], secret=salt)
        for col in keyed:
            out[col] = stable[col]
    if "petitioner" in out.columns:
        out["petitioner"] = person_keys(cases, salt=salt)
    for col in ("id_number", "phone"):
        if col in out.columns:
            out[col] = pd.Series(pd.NA, index=out.index, dtype=TEXT_DTYPE)
    return out
