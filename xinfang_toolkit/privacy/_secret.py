"""The office's secret salt of pseudonymous keys, and keys re-keyed for masked displays.

A person key (``person_keys``) hashes the ID number with a salt. With the public default salt
anyone can recompute it: beside a masked ID number (first 6 and last 4 digits kept) only the
birth date is unknown, some 40,000 candidates, so a key shown next to a masked ID gives the ID
back in a fraction of a second. Hence:

* keys an office shares (``pseudonymize``, ``--pseudonymize``) use the office's own secret:
  32 random bytes made once with :mod:`secrets` and kept in a file that no export writes
  (:func:`office_salt`; the file is ``--salt-file PATH``, else the environment variable
  ``XINFANG_SALT_FILE``, else ``office_secret.key`` in the user data folder, on Windows
  ``%LOCALAPPDATA%\\xinfang_toolkit``). Keep the file; share it with nobody outside the office.
  The same file gives the same keys every month.
* keys inside masked outputs (``person_key``, the person part of ``chain_id``, an archive's
  content key ``内容:...``) are replaced by :func:`rekey_masked`: a keyed hash under a secret
  made afresh in each process and kept only in memory, so they still group the rows of one
  output but can be recomputed by nobody, not even from the office's own files.

The archive keeps its internal keys as they are (it merges months by them); they never leave
it unmasked.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
from pathlib import Path

import numpy as np
import pandas as pd

from ..schema import TEXT_DTYPE

__all__ = [
    "SALT_ENV",
    "default_salt_file",
    "office_salt",
    "rekey",
    "rekey_masked",
]

#: the environment variable naming the office's secret file (``--salt-file`` sets it)
SALT_ENV = "XINFANG_SALT_FILE"
_FILE_NAME = "office_secret.key"
_HEADER = "# xinfang_toolkit 单位密钥 (勿外传, 勿删除) / office secret: keep it, never share it\n"

_lock = threading.Lock()
_session: list[str] = []  # the process's display secret, made on first use (not on import)


def default_salt_file() -> Path:
    """Where the office's secret lives when no ``--salt-file`` is given: ``XINFANG_SALT_FILE``,
    else ``office_secret.key`` in the user data folder (platformdirs)."""
    named = os.environ.get(SALT_ENV, "").strip()
    if named:
        return Path(named).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("xinfang_toolkit", appauthor=False)) / _FILE_NAME


def _read(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"无法读取单位密钥文件 {path}: {exc}") from exc
    lines = [s.strip() for s in text.splitlines() if s.strip() and not s.startswith("#")]
    if len(lines) != 1 or len(lines[0]) < 32:
        raise ValueError(
            f"单位密钥文件 {path} 的内容不对 (应为一行至少 32 个字符的密钥); "
            "请找回原文件, 或换一个新文件名让工具新建一个 (新密钥生成的代码与旧的不同)"
        )
    return lines[0]


def office_salt(path: str | Path | None = None, *, create: bool = True) -> str:
    """The office's secret salt, from ``path`` (default :func:`default_salt_file`).

    A missing file is made once (``create=True``): 64 hex digits from ``secrets``, written
    with exclusive creation (two processes at once agree on one secret), readable by its owner
    only where the system allows it. A file that exists is only read."""
    file = Path(path).expanduser() if path is not None else default_salt_file()
    if file.is_dir():
        raise ValueError(f"单位密钥文件 {file} 是一个文件夹; 请给一个文件名")
    if file.exists() or not create:
        if not file.exists():
            raise FileNotFoundError(f"找不到单位密钥文件 {file}")
        return _read(file)
    secret = secrets.token_hex(32)
    file.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # made by another process meanwhile: theirs is the secret
        return _read(file)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(_HEADER + secret + "\n")
    return secret


def _session_secret() -> str:
    with _lock:
        if not _session:
            _session.append(secrets.token_hex(32))
        return _session[0]


def rekey(values: object, secret: str, *, prefix: str = "K") -> list[object]:
    """Each text ``prefix`` + 12 hex digits of a keyed BLAKE2b of it under ``secret`` (missing
    values stay missing; each distinct value hashed once)."""
    arr = pd.Series(values, dtype=object).to_numpy(dtype=object)
    codes, uniques = pd.factorize(arr)
    base = hashlib.blake2b(digest_size=8, key=secret.encode("utf-8")[:64])
    done = []
    for u in uniques:
        h = base.copy()
        h.update(str(u).encode("utf-8", "surrogatepass"))
        done.append(prefix + h.hexdigest()[:12].upper())
    table = np.asarray(done + [None], dtype=object)
    return list(table[codes])  # code -1 (missing): the None at the end


def _rekey_column(series: pd.Series, column: str, secret: str) -> pd.Series:
    values = series.astype(TEXT_DTYPE)
    if column == "person_key":
        new = rekey(values.to_numpy(dtype=object, na_value=None), secret)
    elif column == "chain_id":
        # "<person key>-<n>": the person part re-keyed, the number kept; "U...": a hash of the
        # case's own content (no person in it), kept
        text = values.fillna("")
        parts = text.str.rpartition("-")
        keyed = (parts[1] == "-") & text.str.startswith("P")
        new = text.to_numpy(dtype=object).copy()
        if keyed.any():
            heads = rekey(parts.loc[keyed, 0].to_numpy(dtype=object), secret)
            tails = parts.loc[keyed, 2].to_numpy(dtype=object)
            new[keyed.to_numpy()] = [f"{h}-{t}" for h, t in zip(heads, tails, strict=True)]
        new = np.where(values.isna().to_numpy(), None, new)
    else:  # case_key: an archive's content key hashes the person key; numbers are no secret
        text = values.fillna("")
        content = text.str.startswith("内容:").to_numpy()
        new = text.to_numpy(dtype=object).copy()
        if content.any():
            new[content] = rekey(new[content], secret, prefix="内容:K")
        new = np.where(values.isna().to_numpy(), None, new)
    return pd.Series(pd.array(list(new), dtype=TEXT_DTYPE), index=series.index, name=series.name)


#: the columns whose values are keys derived from personal data
KEY_COLUMNS = ("person_key", "chain_id", "case_key")


def rekey_masked(frame: pd.DataFrame, *, secret: str | None = None) -> pd.DataFrame:
    """``frame`` with its key columns (``KEY_COLUMNS``) re-keyed for a masked output: keys
    equal before are equal after, and nobody can recompute them (``secret``: default a secret
    of this process, made on first use and never written anywhere)."""
    present = [c for c in KEY_COLUMNS if c in frame.columns]
    if not present:
        return frame
    secret = secret if secret is not None else _session_secret()
    out = frame.copy(deep=False)
    for col in present:
        out[col] = _rekey_column(frame[col], col, secret)
    return out


def is_masked_content_key(key: str) -> bool:
    """A content key as :func:`rekey_masked` shows it (内容:K + 12 hex digits)."""
    return key.startswith("内容:K") and len(key) == len("内容:K") + 12


def masked_content_keys(keys: list[str]) -> list[str]:
    """The masked forms of archive content keys in this process (as :func:`rekey_masked`)."""
    return rekey(keys, _session_secret(), prefix="内容:K")
