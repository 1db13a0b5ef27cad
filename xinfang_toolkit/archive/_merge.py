"""Importing ledgers: load each file, then merge its cases into the archive in SQL.

Rules (tested in tests/test_archive_merge.py):

* identity: the case number, else the content key of :mod:`._keys` (reported as such);
* the latest state wins by the ledger's period (:mod:`._period`), then by import order; a ledger
  older than what the archive already knows of a case is kept in the case's history (``stale``)
  and never overwrites the newer facts;
* a field a ledger leaves empty where an earlier ledger had a value keeps that value, and the
  case and field are reported (``blanked``);
* a file whose bytes (SHA-256) were imported before for the same period is skipped and reported;
* everything one call writes is one transaction: stopped half-way, the archive is as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from ..load import LoadError, LoadResult, find_files, load_cases
from ..schema import conform_cases, label
from ._frames import CAST_SQL, collector_paused, to_arrow
from ._keys import KIND_CONTENT, case_keys
from ._period import ledger_period
from ._store import (
    FIELDS,
    KEY_COLUMNS,
    SOURCE_COLUMNS,
    compact_current,
    current_is_bloated,
    row_count,
)

# ``no_prev`` below: the row starts a version of its own (no earlier version, and not equal to
# the earliest later one)
#: test hook: when set to a file path, an import writes that file just before it commits and
#: waits (so a test can kill the process half-way, deterministically)
PAUSE_ENV = "XINFANG_ARCHIVE_PAUSE_BEFORE_COMMIT"
_FILE_COLUMNS = ["file", "period", "period_source", "status", "rows", "new", "updated"]
_FILE_COLUMNS += ["unchanged", "stale", "blanked", "content_keyed", "repeated_in_file"]


@dataclass(frozen=True, eq=False)
class ImportResult:
    """What one :meth:`CaseArchive.import_ledgers` call did.

    ``new`` / ``updated`` / ``unchanged``: cases first seen, changed, or seen again as they were;
    ``stale``: cases whose ledger is older than the archive's latest facts (kept in history only);
    ``blanked``: cases where a ledger left a field empty that had a value (the value is kept);
    ``load``: the :class:`LoadResult` of the files read (None when every file was imported
    before); ``changed_fields`` / ``blanked_fields``: one row per case and field (case_id,
    case_key, field, 字段, source_file); ``files``: one row per file (period and where it came
    from, status, counts); ``content_keyed``: cases identified by the content key, not a number.
    """

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0
    blanked: int = 0
    content_keyed: int = 0
    load: LoadResult | None = None
    changed_fields: pd.DataFrame = field(default_factory=pd.DataFrame)
    blanked_fields: pd.DataFrame = field(default_factory=pd.DataFrame)
    files: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_FILE_COLUMNS))

    @property
    def changed(self) -> bool:
        return bool(self.new or self.updated or self.stale or self.blanked)

    def summary(self) -> str:
        """A short Chinese account (counts and file names, no personal data)."""
        lines = []
        for row in self.files.itertuples(index=False):
            period = "" if pd.isna(row.period) else f"{pd.Timestamp(row.period):%Y-%m-%d}"
            where = f"(期间 {period}, 取自{row.period_source})" if period else ""
            lines.append(f"{row.file}{where}: {row.status}")
        if not self.changed:
            lines.append("归档没有任何变化 (文件已导入过, 或内容与归档相同)。")
        lines.append(
            f"新增 {self.new} 件, 更新 {self.updated} 件, 未变 {self.unchanged} 件;"
            f" 较旧台账仅记入历史 {self.stale} 件; 台账留空但保留原值 {self.blanked} 件。"
        )
        if self.content_keyed:
            lines.append(
                f"其中 {self.content_keyed} 件没有信访件编号, 按内容键(登记日期+信访人代码+"
                "反映问题摘要)识别。"
            )
        if len(self.changed_fields):
            counts = self.changed_fields["字段"].value_counts()
            lines.append("变化的字段: " + "; ".join(f"{k} {v} 件" for k, v in counts.items()))
        if len(self.blanked_fields):
            counts = self.blanked_fields["字段"].value_counts()
            lines.append(
                "留空的字段(已保留原值): " + "; ".join(f"{k} {v} 件" for k, v in counts.items())
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"ImportResult(新增 {self.new}, 更新 {self.updated}, 未变 {self.unchanged}, "
            f"较旧 {self.stale}, 留空保留 {self.blanked})"
        )

    def _repr_html_(self) -> str:
        body = "<br>".join(html.escape(line) for line in self.summary().splitlines())
        return f"<div><b>ImportResult</b><br>{body}</div>"


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _combine(results: list[LoadResult]) -> LoadResult | None:
    if not results:
        return None
    if len(results) == 1:
        return results[0]
    frames = [
        pd.concat([getattr(r, n) for r in results], ignore_index=True)
        for n in ("cases", "issues", "excluded", "sources")
    ]
    return LoadResult(*frames)


def _cols(template: str, columns=FIELDS, sep: str = ", ") -> str:
    return sep.join(template.format(c=c) for c in columns)


# ``is_new``: in neither ``prev`` nor ``late`` (so not in ``current``); ``stale``: in ``late``
# (the archive knows the case from a newer ledger); see :func:`previous_states`
_CAND_SQL = f"""
CREATE OR REPLACE TEMP TABLE cand AS
SELECT i.case_key, i.key_kind, coalesce(i.person_key, p.person_key) AS person_key,
    {_cols("coalesce(i.{c}, p.{c}) AS {c}")},
    i.source_file, i.source_sheet, i.source_row,
    $iid AS import_id, $period AS period,
    [x FOR x IN [{_cols("CASE WHEN i.{c} IS NULL AND p.{c} IS NOT NULL THEN '{c}' END")}]
     IF x IS NOT NULL] AS blanked,
    [x FOR x IN [{
    _cols(
        "CASE WHEN p.case_key IS NOT NULL AND i.{c} IS DISTINCT FROM p.{c} "
        "AND i.{c} IS NOT NULL THEN '{c}' END"
    )
}]
     IF x IS NOT NULL] AS changed,
    p.case_key IS NULL AND l.case_key IS NULL AS is_new,
    p.case_key IS NULL AND (n.case_key IS NULL OR {
    _cols("i.{c} IS DISTINCT FROM n.{c}", sep=" OR ")
})
        AS no_prev,
    l.case_key IS NOT NULL AS stale
FROM inc i
LEFT JOIN prev p ON p.case_key = i.case_key
LEFT JOIN nxt n ON n.case_key = i.case_key
LEFT JOIN late l ON l.case_key = i.case_key
"""

_VERSION_COLUMNS = ", ".join(KEY_COLUMNS + FIELDS + SOURCE_COLUMNS)

#: the rule that adds a version: a case's first state, or one that differs from the last
ADDS_VERSION = "no_prev OR len(changed) > 0 OR len(blanked) > 0"

# ``current`` after a file, from ``cand`` and ``prev`` (no look-up in ``versions``): a new case
# is its one version; a known case whose ledger is not older than its latest and added a version
# (``moved``) now stands as that version (``cand`` holds exactly its fields), seen once more;
# any other known case is seen once more (first/last seen, and one version more if this older
# ledger added one)
_REFRESH_SQL = f"""
CREATE OR REPLACE TEMP TABLE moved AS
SELECT {", ".join("m." + c for c in _VERSION_COLUMNS.split(", "))}, m.import_id, m.period,
       least(p.first_seen, m.period) AS first_seen, greatest(p.last_seen, m.period) AS last_seen,
       p.versions + 1 AS versions
FROM cand m JOIN prev p USING (case_key)
WHERE NOT m.is_new AND NOT m.stale AND ({ADDS_VERSION});
UPDATE current SET first_seen = least(current.first_seen, k.period),
       last_seen = greatest(current.last_seen, k.period),
       versions = current.versions + CASE WHEN k.added THEN 1 ELSE 0 END
FROM (SELECT case_key, period, ({ADDS_VERSION}) AS added FROM cand
      WHERE NOT is_new AND case_key NOT IN (SELECT case_key FROM moved)) k
WHERE current.case_key = k.case_key;
DELETE FROM current WHERE case_key IN (SELECT case_key FROM moved);
INSERT INTO current BY NAME
SELECT {_VERSION_COLUMNS}, import_id, period, period AS first_seen, period AS last_seen,
       1 AS versions
FROM cand WHERE is_new
UNION ALL BY NAME SELECT * FROM moved;
DROP TABLE moved;
"""


_PREV_COLUMNS = ", ".join(("case_key", "person_key") + FIELDS)

# ``prev``: each incoming case's latest version up to this ledger's period. ``current`` holds
# every case's latest version (by period, then import order), so for a case whose latest ledger
# is not newer than this one it is ``current``'s row; only the cases known from newer ledgers
# (``late``, none in a month-by-month import) need their history read
_PREV_SQL = (
    f"CREATE OR REPLACE TEMP TABLE prev AS SELECT {_PREV_COLUMNS}, first_seen, last_seen, "
    "versions FROM current "
    "WHERE case_key IN (SELECT case_key FROM inc) AND period <= $period",
    "CREATE OR REPLACE TEMP TABLE late AS SELECT case_key FROM current "
    "WHERE case_key IN (SELECT case_key FROM inc) AND period > $period",
)
_PREV_LATE_SQL = f"""
INSERT INTO prev BY NAME SELECT {_PREV_COLUMNS} FROM versions
WHERE case_key IN (SELECT case_key FROM late) AND period <= $period
QUALIFY row_number() OVER (PARTITION BY case_key ORDER BY period DESC, import_id DESC) = 1
"""
# ``nxt``: for a case first listed by this (older) ledger, its earliest later version; an older
# listing equal to it adds no version (only the sighting)
_NXT_SQL = f"""
CREATE OR REPLACE TEMP TABLE nxt AS SELECT {_PREV_COLUMNS} FROM versions
WHERE case_key IN (SELECT case_key FROM late) AND period > $period
AND case_key NOT IN (SELECT case_key FROM prev)
QUALIFY row_number() OVER (PARTITION BY case_key ORDER BY period, import_id) = 1
"""


def previous_states(con: duckdb.DuckDBPyConnection, period: pd.Timestamp) -> None:
    """Temporary tables ``prev`` and ``nxt`` (case_key, person_key and the fields; ``prev``'s
    rows read from ``current`` also its first_seen, last_seen and versions) and ``late`` for the
    cases of ``inc`` and a ledger of ``period``: see :data:`_PREV_SQL` and :data:`_NXT_SQL`."""
    day = {"period": period.date()}
    for sql in _PREV_SQL:
        con.execute(sql, day)
    if row_count(con, "late"):  # cases the archive knows from newer ledgers: read their history
        con.execute(_PREV_LATE_SQL, day)
        con.execute(_NXT_SQL, day)
    else:
        con.execute(f"CREATE OR REPLACE TEMP TABLE nxt AS SELECT {_PREV_COLUMNS} FROM prev LIMIT 0")


def _fields_frame(con: duckdb.DuckDBPyConnection, column: str, where: str) -> pd.DataFrame:
    frame = con.execute(
        f"SELECT case_id, case_key, unnest({column}) AS field, source_file FROM cand "
        f"WHERE len({column}) > 0 AND {where} ORDER BY case_key"
    ).df()
    frame.insert(3, "字段", frame["field"].map(label))
    return frame


def merge_file(
    con: duckdb.DuckDBPyConnection, cases: pd.DataFrame, *, import_id: int, period: pd.Timestamp
) -> dict:
    """Merge one file's cases (inside the caller's transaction); returns counts and fields."""
    keys = case_keys(cases)
    frame = pd.concat([keys, cases.drop(columns=[c for c in KEY_COLUMNS if c in cases])], axis=1)
    last = ~frame["case_key"].duplicated(keep="last").to_numpy()  # a case twice: its last row
    con.register("inc_raw", to_arrow(frame if last.all() else frame[last]))
    params = {"iid": import_id, "period": period.date()}
    con.execute(f"CREATE OR REPLACE TEMP TABLE inc AS SELECT {CAST_SQL} FROM inc_raw")
    con.unregister("inc_raw")
    previous_states(con, period)
    con.execute(_CAND_SQL, params)
    con.execute(
        f"INSERT INTO versions BY NAME SELECT {_VERSION_COLUMNS}, import_id, period, blanked, "
        "stale "
        f"FROM cand WHERE {ADDS_VERSION}"
    )
    con.execute("INSERT INTO seen SELECT case_key, $iid, $period FROM inc", params)
    counts = con.execute(
        """SELECT count(*) FILTER (is_new),
                  count(*) FILTER (NOT is_new AND NOT stale AND len(changed) > 0),
                  count(*) FILTER (NOT is_new AND stale AND (len(changed) > 0 OR no_prev)),
                  count(*) FILTER (len(blanked) > 0),
                  count(*) FILTER (key_kind = $kind),
                  count(*)
           FROM cand""",
        {"kind": KIND_CONTENT},
    ).fetchall()[0]
    new, updated, stale, blanked, content_keyed, distinct = (int(v or 0) for v in counts)
    out = {
        "rows": len(frame),
        "new": new,
        "updated": updated,
        "stale": stale,
        "unchanged": distinct - new - updated - stale,
        "blanked": blanked,
        "content_keyed": content_keyed,
        "repeated_in_file": len(frame) - distinct,
        "changed_fields": _fields_frame(con, "changed", "NOT is_new AND NOT stale"),
        "blanked_fields": _fields_frame(con, "blanked", "true"),
    }
    con.execute(_REFRESH_SQL)
    for name in ("inc", "prev", "late", "nxt", "cand"):
        con.execute(f"DROP TABLE {name}")
    return out


def _status(c: dict) -> str:
    text = f"已导入 {c['rows']} 行: 新增 {c['new']}, 更新 {c['updated']}, 未变 {c['unchanged']}"
    if c["stale"]:
        text += f", 较旧台账仅记入历史 {c['stale']}"
    if c["blanked"]:
        text += f", 留空保留原值 {c['blanked']}"
    if c["repeated_in_file"]:
        text += f"; 文件内同一件出现多次 {c['repeated_in_file']} 行, 取最后一行"
    return text


def import_ledgers(
    con: duckdb.DuckDBPyConnection,
    paths_or_folder,
    *,
    period: object = None,
    mapping: Mapping[str, object] | str | Path | None = None,
    dry_run: bool = False,
    check_period: bool = True,
) -> ImportResult:
    """Load the files and merge them into the archive behind ``con`` in one transaction
    (rolled back at the end when ``dry_run``: the result tells what would change). A period
    far from the file's own dates raises ValueError unless ``check_period=False``."""
    own: list[Path] = []  # the toolkit's own outputs in the folders: never imported
    files = find_files(paths_or_folder, own=own)  # the loader's own rule for what a folder holds
    known = {
        (h, pd.Timestamp(p)): name
        for h, p, name in con.execute("SELECT file_hash, period, file_name FROM imports").fetchall()
    }
    rows: list[dict] = [
        {"file": p.name, "status": "本工具包写出的结果文件 (文件名与输出相同), 不是台账, 未导入"}
        for p in own
    ]
    todo: list[tuple[int, Path, str, LoadResult, pd.Timestamp, str]] = []
    loads: list[LoadResult] = []
    for order, path in enumerate(files):
        digest = file_hash(path)
        try:
            loaded = load_cases(path, synonyms=mapping)
        except LoadError as exc:
            rows.append({"file": path.name, "status": f"无法读取, 未导入: {exc}"})
            continue
        when, source = ledger_period(path, loaded, period)
        if check_period:
            check_period_against_data(path, loaded.cases, when, source)
        if (digest, when) in known:
            rows.append(
                {
                    "file": path.name,
                    "period": when,
                    "period_source": source,
                    "status": f"已导入过 (与 {known[digest, when]} 内容完全相同, 期间相同), 未改变",
                }
            )
            continue
        loads.append(loaded)
        known[digest, when] = path.name
        todo.append((order, path, digest, loaded, when, source))
    # older ledgers first, so that within one call the import order follows the periods too
    todo.sort(key=lambda t: (t[4], t[0]))
    merged = _merge_all(
        con,
        [(p.name, digest, ld.cases, when, src) for _o, p, digest, ld, when, src in todo],
        dry_run=dry_run,
    )
    order = {p.name: i for i, p in enumerate(files)}
    table = pd.DataFrame(rows + merged.pop("files")).reindex(columns=_FILE_COLUMNS)
    table = table.sort_values("file", key=lambda s: s.map(order), kind="stable")
    return ImportResult(**merged, load=_combine(loads), files=table.reset_index(drop=True))


def _merge_all(
    con: duckdb.DuckDBPyConnection, items: list[tuple], *, dry_run: bool = False
) -> dict:
    """Merge ``(name, file hash or None, cases, period, period source)`` items in order, in one
    transaction (rolled back when ``dry_run``); returns the ImportResult fields (files as a list
    of rows)."""
    changed, blanked, rows = [], [], []
    totals = dict.fromkeys(("new", "updated", "unchanged", "stale", "blanked", "content_keyed"), 0)
    if items:
        with collector_paused():
            con.execute("BEGIN TRANSACTION")
            try:
                bloated = current_is_bloated(con)
                next_id = con.execute("SELECT coalesce(max(import_id), 0) FROM imports")
                next_id = next_id.fetchall()[0][0]
                for name, digest, cases, when, source in items:
                    next_id += 1
                    c = merge_file(con, cases, import_id=next_id, period=when)
                    con.execute(
                        "INSERT INTO imports VALUES (?, ?, ?, ?, ?, current_localtimestamp(), "
                        "?, ?, ?, ?, ?, ?)",
                        [next_id, name, digest, when.date(), source]
                        + [c[k] for k in ("rows", "new", "updated", "unchanged", "stale")]
                        + [c["blanked"]],
                    )
                    changed.append(c.pop("changed_fields"))
                    blanked.append(c.pop("blanked_fields"))
                    for k in totals:
                        totals[k] += c[k]
                    row = {"file": name, "period": when, "period_source": source}
                    rows.append({**row, "status": _status(c), **c})
                if bloated:
                    compact_current(con)
                _pause_for_tests()
                con.execute("ROLLBACK" if dry_run else "COMMIT")
            except BaseException:
                with contextlib.suppress(duckdb.Error):  # the error that led here is told
                    con.execute("ROLLBACK")
                raise
    return {
        **totals,
        "changed_fields": pd.concat(changed, ignore_index=True) if changed else pd.DataFrame(),
        "blanked_fields": pd.concat(blanked, ignore_index=True) if blanked else pd.DataFrame(),
        "files": rows,
    }


def import_frame(
    con: duckdb.DuckDBPyConnection, cases: pd.DataFrame, *, period: pd.Timestamp, name: str
) -> ImportResult:
    """Merge a cases frame (already clean: the data contract's columns) as one import named
    ``name`` with ledger period ``period``, in one transaction (no file, no load_cases)."""
    merged = _merge_all(con, [(name, None, conform_cases(cases), period, "参数 period=")])
    files = pd.DataFrame(merged.pop("files")).reindex(columns=_FILE_COLUMNS)
    return ImportResult(**merged, files=files)


#: how far a ledger's period may lie from its own dates before an import refuses it
PERIOD_AHEAD_OF_DATA = pd.DateOffset(years=3)
PERIOD_AHEAD_OF_TODAY = pd.DateOffset(months=1)


def check_period_against_data(
    path: Path, cases: pd.DataFrame, when: pd.Timestamp, source: str, *, today: object = None
) -> None:
    """Refuse a period that cannot be the ledger's (a typo such as 2062-08 for 2026-08): later
    than a month after today, more than three years after the file's latest date, or before
    most of the cases it lists were received. ``--force-period`` / ``check_period=False``
    imports it anyway."""
    now = pd.Timestamp.today().normalize() if today is None else pd.Timestamp(today)
    received = pd.to_datetime(cases["received_date"], errors="coerce").dropna()
    days = pd.concat([received, pd.to_datetime(cases["closed_date"], errors="coerce")]).dropna()
    problem = None
    if when > now + PERIOD_AHEAD_OF_TODAY:
        problem = f"晚于今天 ({now:%Y-%m-%d})"
    elif len(days) and when > days.max() + PERIOD_AHEAD_OF_DATA:
        problem = f"比文件中最晚的日期 {days.max():%Y-%m-%d} 晚三年以上"
    elif len(received) and (received > when + pd.DateOffset(months=1)).mean() > 0.5:
        problem = f"早于文件中大多数信访件的登记日期 (最晚 {received.max():%Y-%m-%d})"
    if problem:
        raise ValueError(
            f"{path.name}: 台账期间 {when:%Y-%m-%d} (取自{source}) {problem}, 可能写错了;"
            " 未导入任何文件。请核对 --period, 确实无误时加 --force-period"
            " / the period is far from the ledger's own dates: check --period or force it"
        )


def undo_last_import(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Take back the last import call (every file it imported: they share its time), in one
    transaction: its versions, sightings and import rows go, and the affected cases get back
    their state from the remaining history (a case only that call brought is removed).
    Returns the import rows taken back (empty: nothing to undo)."""
    undone = con.execute(
        "SELECT * FROM imports WHERE imported_at = (SELECT max(imported_at) FROM imports) "
        "ORDER BY import_id"
    ).df()
    if undone.empty:
        return undone
    ids = [int(i) for i in undone["import_id"]]
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE undo_keys AS "
            "SELECT DISTINCT case_key FROM seen WHERE list_contains($ids, import_id)",
            {"ids": ids},
        )
        for table in ("versions", "seen", "imports"):
            con.execute(f"DELETE FROM {table} WHERE list_contains($ids, import_id)", {"ids": ids})
        con.execute("DELETE FROM current WHERE case_key IN (SELECT case_key FROM undo_keys)")
        con.execute(
            f"""INSERT INTO current BY NAME
            SELECT {_VERSION_COLUMNS}, v.import_id, v.period, s.first_seen, s.last_seen,
                   n.versions
            FROM (SELECT * FROM versions WHERE case_key IN (SELECT case_key FROM undo_keys)
                  QUALIFY row_number() OVER (PARTITION BY case_key
                                             ORDER BY period DESC, import_id DESC) = 1) v
            JOIN (SELECT case_key, min(period) AS first_seen, max(period) AS last_seen
                  FROM seen WHERE case_key IN (SELECT case_key FROM undo_keys)
                  GROUP BY case_key) s USING (case_key)
            JOIN (SELECT case_key, count(*)::INTEGER AS versions FROM versions
                  WHERE case_key IN (SELECT case_key FROM undo_keys)
                  GROUP BY case_key) n USING (case_key)"""
        )
        con.execute("DROP TABLE undo_keys")
        _pause_for_tests()
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
    return undone


def _pause_for_tests() -> None:
    marker = os.environ.get(PAUSE_ENV)
    if marker:
        Path(marker).write_text("paused before commit", encoding="utf-8")
        time.sleep(600)
