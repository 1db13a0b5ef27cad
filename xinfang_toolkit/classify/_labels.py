"""The reviewed-labels file: corrections an analyst made, kept across sessions (UTF-8 CSV).

Columns: case_id, summary, label, reviewed_at. One row per case (a later review of the same
case replaces the earlier one). Summaries are stored masked (no ID or phone numbers, no names).
Written as UTF-8 with a BOM (so Excel shows the Chinese); read as UTF-8, or as GBK when an
analyst saved it from Excel as plain "CSV".
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from .._datafile import read_text
from ..schema import TEXT_DTYPE

__all__ = ["LABEL_COLUMNS", "load_labels", "read_labels", "save_labels"]

LABEL_COLUMNS: tuple[str, ...] = ("case_id", "summary", "label", "reviewed_at")


def read_labels(path: str | Path) -> pd.DataFrame:
    """The labels file as a DataFrame (empty, with the right columns, if it does not exist)."""
    path = Path(path)
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype=TEXT_DTYPE) for c in LABEL_COLUMNS})
    text = read_text(path, name=f"标注文件 {path.name}")  # UTF-8 or GBK (Excel's "CSV")
    try:
        df = pd.read_csv(io.StringIO(text), dtype=TEXT_DTYPE, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ValueError(
            f"标注文件 {path.name} 无法读取 (cannot read labels file): {exc}"
        ) from None
    missing = [c for c in ("summary", "label") if c not in df.columns]
    if missing:
        raise ValueError(
            f"标注文件 {path.name} 缺少列 {', '.join(missing)} "
            f"(labels file needs columns {', '.join(LABEL_COLUMNS)})"
        )
    for c in LABEL_COLUMNS:
        if c not in df.columns:
            df[c] = pd.Series([""] * len(df), dtype=TEXT_DTYPE)
    return df[list(LABEL_COLUMNS)]


def load_labels(path: str | Path) -> tuple[list[str], list[str]]:
    """Texts and labels from a labels file, ready for ``TextClassifier.fit(texts, labels)``.

    Rows without a summary or a label are skipped.
    """
    df = read_labels(path)
    df = df[(df["summary"].str.strip() != "") & (df["label"].str.strip() != "")]
    return df["summary"].tolist(), df["label"].str.strip().tolist()


def save_labels(path: str | Path, rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """Upsert ``rows`` (dicts with case_id, summary, label, reviewed_at) into the labels file.

    A row whose case_id is already in the file replaces it. The file is rewritten atomically
    (temporary file, then rename). Returns the file's new content.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    old = read_labels(path)
    new = pd.DataFrame(list(rows), columns=list(LABEL_COLUMNS)).astype(TEXT_DTYPE).fillna("")
    if len(new) == 0:
        return old
    keyed = new["case_id"] != ""
    drop = old["case_id"].isin(set(new.loc[keyed, "case_id"])) & (old["case_id"] != "")
    merged = pd.concat([old[~drop], new], ignore_index=True)
    dup = (merged["case_id"] != "") & merged.duplicated(subset=["case_id"], keep="last")
    merged = merged[~dup]
    tmp = path.with_suffix(path.suffix + ".tmp")
    merged.to_csv(tmp, index=False, encoding="utf-8-sig")  # the BOM lets Excel show Chinese
    tmp.replace(path)
    return merged.reset_index(drop=True)
