"""Reading the archive: cases on a day, one case's history, what changed in a period."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from ..privacy import mask_pii
from ..schema import PROVENANCE_COLUMNS, label
from ._backlog import backlog_candidates, backlog_on
from ._frames import as_cases, fetch
from ._keys import case_number
from ._store import FIELDS, key_hash_sql

_CASE_COLUMNS = ", ".join(("case_key", "key_kind", "person_key") + FIELDS + PROVENANCE_COLUMNS)


def state_sql(as_of: pd.Timestamp | None) -> tuple[str, list]:
    """SQL of every case's state (latest, or as of a day) with first_seen, last_seen, versions."""
    if as_of is None:
        return (
            f"SELECT {_CASE_COLUMNS}, first_seen, last_seen, versions, period FROM current",
            [],
        )
    day = as_of.date()
    sql = f"""
    SELECT {", ".join("v." + c for c in _CASE_COLUMNS.split(", "))}, s.first_seen, s.last_seen,
           n.versions, v.period
    FROM (SELECT * FROM versions WHERE period <= ?
          QUALIFY row_number() OVER (PARTITION BY case_key ORDER BY period DESC, import_id DESC) = 1) v
    JOIN (SELECT case_key, min(period) AS first_seen, max(period) AS last_seen FROM seen
          WHERE period <= ? GROUP BY case_key) s USING (case_key)
    JOIN (SELECT case_key, count(*)::INTEGER AS versions FROM versions WHERE period <= ?
          GROUP BY case_key) n USING (case_key)
    """
    return sql, [day, day, day]


def latest_or(con: duckdb.DuckDBPyConnection, day: pd.Timestamp | None) -> pd.Timestamp | None:
    """``None`` (the current table: one scan) when ``day`` is on or after the latest ledger
    period, else ``day``."""
    if day is None:
        return None
    last = con.execute("SELECT max(period) FROM imports").fetchall()[0][0]
    return None if last is None or day >= pd.Timestamp(last) else day


def cases_frame(
    con: duckdb.DuckDBPyConnection, as_of: pd.Timestamp | None, where: str = ""
) -> pd.DataFrame:
    sql, params = state_sql(latest_or(con, as_of))
    sql = f"SELECT * EXCLUDE (period) FROM ({sql}) {where}"  # no ORDER BY: 2x faster
    return as_cases(fetch(con, sql, params))


def _show(value: object) -> str:
    if value is None or pd.isna(value):
        return "(空)"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    return str(value)


def history_frame(con: duckdb.DuckDBPyConnection, case: str, *, mask: bool = True) -> pd.DataFrame:
    """Every version of one case, oldest first, with the fields that changed from the version
    before (``changes``: "字段: 旧 → 新"), the fields a ledger left empty (kept), the source
    file/sheet/row, the ledger period and the import time."""
    sql = f"""SELECT v.period, i.imported_at, i.file_name AS import_file,
                   {_CASE_COLUMNS.replace("case_key", "v.case_key")}, v.blanked, v.stale
            FROM versions v JOIN imports i USING (import_id)
            WHERE v.key_hash = {key_hash_sql("$key")} AND v.case_key = $key
            ORDER BY v.period, v.import_id"""
    # a case number gives its key directly (one scan); else look the key or number up
    frame = fetch(con, sql, {"key": "编号:" + case_number(case)})
    if frame.empty:
        found = con.execute(
            "SELECT case_key FROM current WHERE case_key = ? OR case_id = ? "
            "ORDER BY case_key LIMIT 1",
            [case, case],
        ).fetchall()
        if not found:
            raise KeyError(f"归档中没有信访件 {case!r} / no such case in the archive")
        frame = fetch(con, sql, {"key": found[0][0]})
    plain = frame.drop(columns=["blanked"])
    shown = mask_pii(plain) if mask else plain
    notes, blanked = [], []
    previous = None
    for i in range(len(frame)):
        row = shown.iloc[i]
        if previous is None:
            notes.append("首次出现 / first seen")
        else:
            diffs = [
                f"{label(c)}: {_show(previous[c])} → {_show(row[c])}"
                for c in FIELDS
                if _show(previous[c]) != _show(row[c])
            ]
            notes.append("; ".join(diffs) if diffs else "无变化")
        kept = frame["blanked"].iloc[i]
        blanked.append("、".join(label(c) for c in (kept if kept is not None else [])))
        previous = row
    shown.insert(0, "version", np.arange(1, len(frame) + 1))
    shown.insert(4, "changes", pd.array(notes, dtype="string"))
    shown.insert(5, "blanked_kept", pd.Series(blanked, dtype="string").replace("", pd.NA).array)
    return shown


@dataclass(frozen=True, eq=False)
class Changes:
    """What happened between ``start`` and ``end`` (both days included).

    ``counts``: one row per kind (新增, 办结, 重新打开, 新超期, 新进入积案, 退出积案) with its count;
    ``rows``: {kind: cases frame} (personal data masked unless ``mask=False`` was asked).
    Kinds: new = first seen in a ledger of the period; closed = open (or unknown) on the day
    before ``start`` and closed on ``end``; reopened = a ledger of the period left the closing
    date of a closed case empty or moved it later; newly overdue = 已超期 on ``end`` but not the
    day before ``start``; entered/left backlog: 积案 (``backlog_on``) on ``end`` but not the day
    before ``start``, and the reverse.
    """

    start: pd.Timestamp
    end: pd.Timestamp
    rows: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def counts(self) -> pd.DataFrame:
        return pd.DataFrame({"变化": list(self.rows), "件数": [len(v) for v in self.rows.values()]})

    def __getitem__(self, kind: str) -> pd.DataFrame:
        return self.rows[kind]

    def summary(self) -> str:
        parts = "; ".join(f"{k} {len(v)} 件" for k, v in self.rows.items())
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}: {parts}"

    def __repr__(self) -> str:
        return f"Changes({self.summary()})"

    def _repr_html_(self) -> str:
        return f"<div><b>Changes</b> {html.escape(self.summary())}</div>"


KINDS = ("新增", "办结", "重新打开", "新超期", "新进入积案", "退出积案")


def _reopened_keys(con, start: pd.Timestamp, end: pd.Timestamp) -> list[str]:
    rows = con.execute(
        """SELECT DISTINCT case_key FROM (
              SELECT case_key, period, closed_date, blanked,
                     lag(closed_date) OVER (PARTITION BY case_key ORDER BY period, import_id) AS before
              FROM versions
              WHERE case_key IN (SELECT case_key FROM versions WHERE period BETWEEN ? AND ?))
           WHERE period BETWEEN ? AND ?
             AND (list_contains(blanked, 'closed_date') OR closed_date > before)""",
        [start.date(), end.date(), start.date(), end.date()],
    ).fetchall()
    return [r[0] for r in rows]


def changes_between(
    con: duckdb.DuckDBPyConnection, start: pd.Timestamp, end: pd.Timestamp, *, mask: bool = True
) -> Changes:
    before_day = start - pd.Timedelta(days=1)
    # only cases that can change: open on either day or first seen in the period, and the other
    # cases of their persons (repeat chains); everything else was closed before and stays so
    sql_end, p_end = state_sql(latest_or(con, end))
    wanted = f"""WITH s AS ({sql_end}),
        c AS (SELECT case_key, person_key FROM s WHERE first_seen >= ? OR period >= ?
              OR closed_date IS NULL OR closed_date >= ?)
        SELECT * EXCLUDE (period) FROM s WHERE case_key IN (SELECT case_key FROM c)
           OR person_key IN (SELECT person_key FROM c WHERE person_key IS NOT NULL)"""
    after = as_cases(fetch(con, wanted, [*p_end, start.date(), start.date(), start.date()]))
    sql_before, p_before = state_sql(before_day)
    keys = after["case_key"]
    con.register("wanted_keys", pd.DataFrame({"case_key": keys.astype(object)}))
    try:
        before = as_cases(
            fetch(
                con,
                f"SELECT * EXCLUDE (period) FROM ({sql_before}) "
                "WHERE case_key IN (SELECT case_key FROM wanted_keys)",
                p_before,
            )
        )
    finally:
        con.unregister("wanted_keys")
    b = _judge(before, before_day)
    a = _judge(after, end)
    known = set(before["case_key"])
    b_idx = b.set_index("case_key")
    a_idx = a.set_index("case_key")
    closed_before = before.set_index("case_key")["closed_date"].notna()

    def pick(mask_keys) -> pd.DataFrame:
        out = a_idx.loc[mask_keys].reset_index()
        return mask_pii(out) if mask else out

    was = lambda col: b_idx[col].reindex(a_idx.index).fillna(False).astype(bool)  # noqa: E731
    is_new = ~a_idx.index.isin(list(known))
    closed = a_idx["closed_date"].notna() & ~closed_before.reindex(a_idx.index).fillna(False)
    overdue_a = a_idx["status"].eq("已超期").fillna(False)
    overdue_b = b_idx["status"].eq("已超期").reindex(a_idx.index).fillna(False).astype(bool)
    back_a = a_idx["is_backlog"]
    back_b = was("is_backlog")
    reopened = a_idx.index.isin(_reopened_keys(con, start, end))
    rows = {
        "新增": pick(is_new),
        "办结": pick(closed.to_numpy(dtype=bool)),
        "重新打开": pick(reopened),
        "新超期": pick((overdue_a & ~overdue_b).to_numpy(dtype=bool)),
        "新进入积案": pick((back_a & ~back_b).to_numpy(dtype=bool)),
        "退出积案": pick((~back_a & back_b).to_numpy(dtype=bool)),
    }
    return Changes(start=start, end=end, rows=rows)


def _judge(cases: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """Every case of ``cases`` with status and is_backlog on ``day`` (not yet received: NA)."""
    subset = cases[backlog_candidates(cases, day)]
    flagged = backlog_on(subset, day)
    cols = ["case_key", "status", "overdue_days", "is_backlog", "backlog_reason"]
    out = cases.merge(flagged[cols], on="case_key", how="left")
    out["is_backlog"] = out["is_backlog"].fillna(False).astype(bool)
    return out
