"""Reading the archive: cases on a day, one case's history, what changed in a period."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from ..privacy import is_masked_content_key, mask_pii, masked_content_keys
from ..schema import PROVENANCE_COLUMNS, TEXT_DTYPE, label
from ._backlog import BACKLOG_COLUMNS, JUDGE_COLUMNS, backlog_candidates, backlog_on
from ._frames import as_cases, fetch
from ._keys import KIND_CONTENT, case_number
from ._store import FIELDS, row_count

_CASE_COLUMNS = ", ".join(("case_key", "key_kind", "person_key") + FIELDS + PROVENANCE_COLUMNS)


def state_sql(as_of: pd.Timestamp | None) -> tuple[str, list]:
    """SQL of every case's state (latest, or as of a day) with first_seen, last_seen, versions.

    As of a day: a case last listed by then is as the ``current`` table has it (one scan);
    only the cases listed again later have their state of that day looked up in ``versions``
    (so the work grows with the cases updated since, not with the whole archive)."""
    if as_of is None:
        return (
            f"SELECT {_CASE_COLUMNS}, first_seen, last_seen, versions, period FROM current",
            [],
        )
    day = as_of.date()
    later = "SELECT case_key FROM current WHERE last_seen > ? AND first_seen <= ?"
    sql = f"""
    SELECT {_CASE_COLUMNS}, first_seen, last_seen, versions, period FROM current
    WHERE last_seen <= ?
    UNION ALL
    SELECT {", ".join("v." + c for c in _CASE_COLUMNS.split(", "))}, s.first_seen, s.last_seen,
           n.versions, v.period
    FROM (SELECT * FROM versions WHERE period <= ? AND case_key IN ({later})
          QUALIFY row_number() OVER (PARTITION BY case_key ORDER BY period DESC, import_id DESC) = 1) v
    JOIN (SELECT case_key, min(period) AS first_seen, max(period) AS last_seen FROM seen
          WHERE period <= ? AND case_key IN ({later}) GROUP BY case_key) s USING (case_key)
    JOIN (SELECT case_key, count(*)::INTEGER AS versions FROM versions
          WHERE period <= ? AND case_key IN ({later}) GROUP BY case_key) n USING (case_key)
    """
    return sql, [day] + [day, day, day] * 3


def latest_or(con: duckdb.DuckDBPyConnection, day: pd.Timestamp | None) -> pd.Timestamp | None:
    """``None`` (the current table: one scan) when ``day`` is on or after the latest ledger
    period, else ``day``."""
    if day is None:
        return None
    last = con.execute("SELECT max(period) FROM imports").fetchall()[0][0]
    return None if last is None or day >= pd.Timestamp(last) else day


def cases_frame(con: duckdb.DuckDBPyConnection, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """Every case's state (latest, or as of a day): the answer of ``cases()``."""
    day = latest_or(con, as_of)
    sql, params = state_sql(day)
    sql = f"SELECT * EXCLUDE (period) FROM ({sql})"  # no ORDER BY: 2x faster
    # the plain scan of every case, of a known length: spanning several batches, it reads on
    # one thread and shares repeated text (memory over time, see ``fetch``); an answer of one
    # batch reads on both threads (1,000,000 cases: 0.4 s instead of 0.8 s in DuckDB)
    rows = row_count(con, "current") if day is None else None
    return as_cases(fetch(con, sql, params, rows=rows))


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
    # the case's versions first (the index on case_key finds them), then their imports
    sql = f"""WITH v AS MATERIALIZED (SELECT * FROM versions WHERE case_key = $key)
            SELECT v.period, i.imported_at, i.file_name AS import_file,
                   {_CASE_COLUMNS.replace("case_key", "v.case_key")}, v.blanked, v.stale
            FROM v JOIN imports i USING (import_id)
            ORDER BY v.period, v.import_id"""
    # a case number gives its key directly; else look the key or number up
    frame = fetch(con, sql, {"key": "编号:" + case_number(case)})
    if frame.empty:
        found = con.execute(
            "SELECT case_key FROM current WHERE case_key = ? OR case_id = ? "
            "ORDER BY case_key LIMIT 1",
            [case, case],
        ).fetchall()
        if not found and is_masked_content_key(case):
            found = _masked_key(con, case)
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
    shown.insert(4, "changes", pd.array(notes, dtype=TEXT_DTYPE))
    shown.insert(5, "blanked_kept", pd.Series(blanked, dtype=TEXT_DTYPE).replace("", pd.NA).array)
    return shown


def _masked_key(con: duckdb.DuckDBPyConnection, shown: str) -> list[tuple[str]]:
    """The archive's content key shown masked as ``shown`` by this process (a masked list
    names a case without a number by its re-keyed content key: looked up among all)."""
    sql = "SELECT case_key FROM current WHERE key_kind = ?"
    keys = [r[0] for r in con.execute(sql, [KIND_CONTENT]).fetchall()]
    return [(k,) for k, m in zip(keys, masked_content_keys(keys), strict=True) if m == shown][:1]


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


def candidates(
    con: duckdb.DuckDBPyConnection,
    day: pd.Timestamp,
    where: str,
    params: list,
    *,
    columns: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """The states on ``day`` of the cases meeting ``where`` (SQL on the state's columns, with
    ``params``) and of every other case of their persons (a repeat chain links one person's
    cases, so judging 积案 needs them too); ``columns`` only, or all."""
    sql, p = state_sql(latest_or(con, day))
    cols = "* EXCLUDE (period)" if columns is None else ", ".join(columns)
    wanted = f"""WITH s AS ({sql}),
        c AS (SELECT case_key, person_key FROM s WHERE {where})
        SELECT {cols} FROM s WHERE case_key IN (SELECT case_key FROM c)
           OR person_key IN (SELECT person_key FROM c WHERE person_key IS NOT NULL)"""
    return as_cases(fetch(con, wanted, [*p, *params]))


def states_of(
    con: duckdb.DuckDBPyConnection,
    day: pd.Timestamp | None,
    keys: pd.Series | pd.Index | list,
    *,
    columns: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """The states on ``day`` (``None``: the latest) of the cases with these ``keys``, ordered by
    case key; ``columns`` only, or all."""
    sql, params = state_sql(latest_or(con, day))
    cols = "* EXCLUDE (period)" if columns is None else ", ".join(columns)
    name = "wanted_keys"
    con.register(name, pa.table({"case_key": pa.array(pd.Series(keys, dtype=TEXT_DTYPE))}))
    try:
        return as_cases(
            fetch(
                con,
                f"SELECT {cols} FROM ({sql}) WHERE case_key IN (SELECT case_key FROM {name}) "
                "ORDER BY case_key",
                params,
            )
        )
    finally:
        con.unregister(name)


def changes_between(
    con: duckdb.DuckDBPyConnection, start: pd.Timestamp, end: pd.Timestamp, *, mask: bool = True
) -> Changes:
    """See :class:`Changes`. Status and 积案 are judged on the few columns they need
    (``JUDGE_COLUMNS``) for the cases that can change: open on either day, first seen or
    updated in the period, and their persons' other cases (everything else was closed before
    and stays so); whole rows are read, and masked once, only for the cases listed."""
    before_day = start - pd.Timedelta(days=1)
    s = start.date()
    after = candidates(
        con,
        end,
        "first_seen >= ? OR period >= ? OR closed_date IS NULL OR closed_date >= ?",
        [s, s, s],
        columns=JUDGE_COLUMNS,
    )
    before = states_of(con, before_day, after["case_key"], columns=JUDGE_COLUMNS)
    a = _judge(after, end).set_index("case_key")
    b = _judge(before, before_day).set_index("case_key").reindex(a.index)

    def flag(values: pd.Series) -> np.ndarray:
        return values.fillna(False).to_numpy(dtype=bool)

    closed_a = a["closed_date"].notna().to_numpy()
    closed_b = b["closed_date"].notna().to_numpy()
    overdue_a, overdue_b = flag(a["status"].eq("已超期")), flag(b["status"].eq("已超期"))
    back_a, back_b = flag(a["is_backlog"]), flag(b["is_backlog"])
    kinds = {
        "新增": ~a.index.isin(before["case_key"]),
        "办结": closed_a & ~closed_b,
        "重新打开": a.index.isin(_reopened_keys(con, start, end)),
        "新超期": overdue_a & ~overdue_b,
        "新进入积案": back_a & ~back_b,
        "退出积案": ~back_a & back_b,
    }
    listed = a.index[np.logical_or.reduce(list(kinds.values()))]
    rows = states_of(con, end, listed).set_index("case_key")
    rows = rows.join(a.loc[listed, list(BACKLOG_COLUMNS)])
    shown = rows.reset_index()
    if mask:  # the keys too (a content key hashes the person key): re-keyed by mask_pii
        shown = mask_pii(shown)
    shown.index = rows.index
    return Changes(
        start=start,
        end=end,
        rows={kind: shown.loc[a.index[m]].reset_index(drop=True) for kind, m in kinds.items()},
    )


def _judge(cases: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """Every case of ``cases`` with status and is_backlog on ``day`` (not yet received: NA)."""
    subset = cases[backlog_candidates(cases, day)]
    flagged = backlog_on(subset, day)
    out = cases.merge(flagged[["case_key", *BACKLOG_COLUMNS]], on="case_key", how="left")
    out["is_backlog"] = out["is_backlog"].fillna(False).astype(bool)
    return out
