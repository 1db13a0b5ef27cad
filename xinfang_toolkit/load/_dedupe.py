"""Exact duplicate cases: the same case read from two places is kept once, with an issue."""

from __future__ import annotations

import pandas as pd

from ..schema import CASE_COLUMNS


def drop_exact_duplicates(cases: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Drop cases equal in every canonical column to an earlier case from another file or sheet.

    Returns ``(kept cases, issue rows)``; each issue names the dropped row and where the kept
    copy is. Identical rows inside one sheet are kept (they may be two real submissions) and
    reported.
    """
    cols = [c for c in CASE_COLUMNS if c in cases.columns]
    if cases.empty or not cols:
        return cases, pd.DataFrame()
    # cheap pre-filter on a few columns, then the full comparison on the candidates only
    if "case_id" in cols and cases["case_id"].notna().all():
        # equal cases have equal numbers: one column to hash when every case has a number
        candidates = cases["case_id"].duplicated(keep=False)
    else:
        probe = [c for c in ("received_date", "summary", "petitioner", "case_id") if c in cols]
        candidates = cases[probe].duplicated(keep=False) if probe else cases.index == cases.index
    if not candidates.any():
        return cases, pd.DataFrame()
    content = cases.loc[candidates, cols]
    filled = content.notna().sum(axis=1) >= 2  # rows with almost nothing are not "the same case"
    keys = pd.util.hash_pandas_object(content, index=False)
    dup = keys.duplicated(keep=False) & filled
    if not dup.any():
        return cases, pd.DataFrame()
    sub = cases.loc[content.index[dup.to_numpy()]]
    place = sub["source_file"].astype(str) + "\x00" + sub["source_sheet"].astype(str)
    first = {}
    drop, rows = [], []
    for idx, key, where in zip(sub.index, keys[dup], place, strict=True):
        if key not in first:
            first[key] = (idx, where)
            continue
        kept_idx, kept_where = first[key]
        if not content.loc[idx].equals(content.loc[kept_idx]):
            continue  # hash collision: not the same
        k = cases.loc[kept_idx]
        there = f"{k['source_file']} / {k['source_sheet']} 第 {k['source_row']} 行"
        r = cases.loc[idx]
        if where == kept_where:
            problem = f"与同一工作表 {there} 完全相同; 两行都保留, 请核实是否重复登记"
        else:
            problem = f"与 {there} 是同一件 (各列完全相同), 只保留一份 / exact duplicate dropped"
            drop.append(idx)
        rows.append(
            {
                "source_file": r["source_file"],
                "source_sheet": r["source_sheet"],
                "source_row": r["source_row"],
                "column": "",
                "value": "" if pd.isna(r.get("case_id")) else str(r["case_id"]),
                "problem": problem,
            }
        )
    return cases.drop(index=drop), pd.DataFrame(rows)


def same_number_issues(cases: pd.DataFrame) -> pd.DataFrame:
    """Issues for cases sharing a case number but differing in content (kept, both reported).

    Typical cause: the same case copied into two monthly ledgers, updated in the later one (a
    closing date filled in). Counting both would count the case twice, so a person should look.
    """
    if "case_id" not in cases.columns or cases.empty:
        return pd.DataFrame()
    ids = cases["case_id"]
    dup = ids.notna() & ids.duplicated(keep=False)
    if not dup.any():
        return pd.DataFrame()
    rows = []
    sub = cases.loc[dup]
    for _case_id, group in sub.groupby("case_id", sort=False):
        first = group.iloc[0]
        there = f"{first['source_file']} / {first['source_sheet']} 第 {first['source_row']} 行"
        for _, r in group.iloc[1:].iterrows():
            rows.append(
                {
                    "source_file": r["source_file"],
                    "source_sheet": r["source_sheet"],
                    "source_row": r["source_row"],
                    "column": "case_id",
                    "value": str(r["case_id"]),
                    "problem": f"信访件编号与 {there} 相同, 但内容不同; 两行都保留, 请核实"
                    "是否同一件 (例如月报里更新过的同一件)",
                }
            )
    return pd.DataFrame(rows)
