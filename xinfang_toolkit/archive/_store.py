"""The archive file: opening it, its schema version, migrations, and the messages users see.

One DuckDB file holds five tables:

``archive_meta``  key/value: ``format`` = ``xinfang_archive``, ``schema_version``.
``imports``       one row per ledger file imported (its SHA-256, period, counts, time).
``versions``      one row per state of a case: the data contract's columns as that ledger showed
                  them (a field the ledger left empty keeps the earlier value, see ``blanked``),
                  its source file/sheet/row, the ledger period and the import. An index on
                  ``case_key`` (schema 3) finds one case's rows without reading the table
                  (DuckDB's per-block min/max of text only looks at the first 8 bytes, and
                  every key starts "编号:"); it replaces schema 2's ``key_hash`` column.
``seen``          one row per case per ledger that listed it (first_seen / last_seen).
``current``       the latest state of every case (by ledger period, then import order), kept up
                  to date by every import so that ``cases()`` is one table scan.

An import replaces the rows of ``current`` whose case moved on. DuckDB would vacuum the deleted
rows at every checkpoint, rewriting row groups of ``current`` (1 to 2 s on a 1,000,000-case
archive, in some months and not others). Connections here do not vacuum; an import compacts
``current`` itself once its deleted rows outnumber its live ones (:func:`compact_current`), so
the table never holds more than twice its cases.

Each connection attaches the file to the process's in-memory DuckDB instance (:func:`connect`)
with row groups of :data:`ROW_GROUP_ROWS` rows, so that an import's rows are compressed as they
are inserted rather than all at the commit.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from ..clean import FLAG_COLUMNS
from ..schema import CASE_COLUMNS, DATE_COLUMNS, INT_COLUMNS

FORMAT_NAME = "xinfang_archive"
SCHEMA_VERSION = 3

#: the case fields an archive keeps for every version (contract columns + ledger flags)
FIELDS: tuple[str, ...] = CASE_COLUMNS + FLAG_COLUMNS
KEY_COLUMNS: tuple[str, ...] = ("case_key", "key_kind", "person_key")
SOURCE_COLUMNS: tuple[str, ...] = ("source_file", "source_sheet", "source_row")


#: the name the archive file is attached under, with a number per connection (``archive_3``)
ALIAS = "archive"

#: rows per row group of what is written from now on (DuckDB's default: 122,880). A 100,000-case
#: ledger then fills whole row groups, which DuckDB compresses and writes to the file while the
#: INSERT runs ("optimistic writing", on both threads) rather than in the checkpoint at COMMIT:
#: a month's merge into a 1,000,000-case archive 2.0 s instead of 2.5 s. A multiple of 2,048.
ROW_GROUP_ROWS = 49_152


class ArchiveError(Exception):
    """The archive cannot be used (not an archive, newer format, in use); message in Chinese."""


def sql_type(column: str) -> str:
    if column in DATE_COLUMNS:
        return "DATE"
    if column in INT_COLUMNS or column == "source_row":
        return "INTEGER"
    if column in FLAG_COLUMNS:
        return "BOOLEAN"
    return "VARCHAR"


def _columns_sql(columns) -> str:
    return ", ".join(f"{c} {sql_type(c)}" for c in columns)


_CASE_SQL = _columns_sql(KEY_COLUMNS[:2] + ("person_key",) + FIELDS + SOURCE_COLUMNS)

_SCHEMA_V1 = f"""
CREATE TABLE archive_meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE imports (
    import_id INTEGER PRIMARY KEY, file_name VARCHAR, file_hash VARCHAR, period DATE,
    period_source VARCHAR, imported_at TIMESTAMP, rows INTEGER, new INTEGER, updated INTEGER,
    unchanged INTEGER, stale INTEGER, blanked INTEGER);
CREATE TABLE versions ({_CASE_SQL}, import_id INTEGER, period DATE, blanked VARCHAR[],
    stale BOOLEAN);
CREATE TABLE seen (case_key VARCHAR, import_id INTEGER, period DATE);
CREATE TABLE current ({_CASE_SQL}, import_id INTEGER, period DATE, first_seen DATE,
    last_seen DATE, versions INTEGER);
"""


def current_is_bloated(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether ``current`` holds more deleted rows than live ones (ask before writing to it:
    DuckDB's stored size does not count a transaction's own changes)."""
    stored = con.execute(
        "SELECT estimated_size FROM duckdb_tables() "
        "WHERE database_name = current_database() AND table_name = 'current'"
    ).fetchall()[0][0]
    live = row_count(con, "current")
    return stored - live > live


def compact_current(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite ``current`` without its deleted rows (inside the caller's transaction)."""
    con.execute("CREATE TABLE current_compact AS SELECT * FROM current")
    con.execute("DROP TABLE current")
    con.execute("ALTER TABLE current_compact RENAME TO current")


def row_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """The number of rows of one of the archive's (or a temporary) tables."""
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def key_hash_sql(expr: str) -> str:
    """SQL of the ``key_hash`` of a case key (MD5 based: the same in every DuckDB version)."""
    return f"CAST(md5_number({expr}) >> 64 AS UBIGINT)"


def _add_key_hash(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("ALTER TABLE versions ADD COLUMN key_hash UBIGINT")
    con.execute(f"UPDATE versions SET key_hash = {key_hash_sql('case_key')}")


def _index_case_keys(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("ALTER TABLE versions DROP COLUMN key_hash")
    con.execute("CREATE INDEX versions_case_key ON versions (case_key)")


#: migrations: ``MIGRATIONS[v]`` upgrades an archive of schema version v to v + 1, in place, in
#: the transaction that also writes the new version number. Add one when the schema changes. A
#: new archive is made as version 1 and then goes through every migration.
MIGRATIONS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {
    1: _add_key_hash,
    2: _index_case_keys,
}


def _explain(path: Path, exc: Exception) -> ArchiveError:
    text = str(exc)
    low = text.lower()
    if "already attached" in low:  # this process holds the file (e.g. a ``with`` block)
        return ArchiveError(
            f"归档正被另一个程序使用: {path}。本程序中已有一个打开它的连接 (如 with 块),"
            " 请在其中使用同一个 CaseArchive, 或等它结束后再试。"
            " / the archive is in use by another connection of this program"
        )
    if re.search(r"\block\b", low) and "corrupt" not in low:  # not "block"
        return ArchiveError(
            f"归档正被另一个程序使用: {path}。请关闭正在使用它的笔记本或命令后再试。"
            " / the archive is in use by another program"
        )
    if "permission denied" in low or "read-only" in low or "read only" in low:
        return ArchiveError(
            f"归档文件 {path} 是只读的或没有读写权限, 无法打开 (需要写入权限); 请检查文件权限。"
            " / the archive is read-only or not accessible"
        )
    if "no space left" in low or "disk is full" in low or "not enough space" in low:
        return ArchiveError(
            f"归档文件 {path} 所在磁盘空间已满, 未作任何改变; 请腾出空间后再试。 / disk full"
        )
    if "newer" in low or "version" in low and "storage" in low:
        return ArchiveError(
            f"{path} 由更新版本的工具包创建, 当前版本无法读取, 请升级 xinfang_toolkit。"
            " / the archive was written by a newer version"
        )
    if _looks_like_duckdb(path):
        return ArchiveError(
            f"归档文件 {path} 已损坏, 无法打开 ({text.splitlines()[0] if text else type(exc).__name__})。"
            "请用备份替换它 / the archive file is damaged"
        )
    return ArchiveError(
        f"{path} 不是台账归档文件 (无法作为 DuckDB 数据库打开), 请换一个文件名。"
        f" / not an archive file ({text.splitlines()[0] if text else type(exc).__name__})"
    )


def _looks_like_duckdb(path: Path) -> bool:
    """Whether the file starts like a DuckDB database (its magic bytes at offset 8)."""
    try:
        with path.open("rb") as fh:
            return fh.read(12)[8:12] == b"DUCK"
    except OSError:
        return False


def failed(path: Path, exc: Exception) -> ArchiveError:
    """An error of DuckDB while the archive is in use, in Chinese (nothing was changed: every
    write is one transaction)."""
    explained = _explain(path, exc)
    text = str(exc)
    low = text.lower()
    if "不是台账归档文件" not in str(explained) and "已损坏" not in str(explained):
        return explained
    first = text.splitlines()[0] if text else type(exc).__name__
    if any(w in low for w in ("corrupt", "checksum", "invalid", "serializ", "malformed")) or (
        "io error" in low or "ioexception" in type(exc).__name__.lower()
    ):
        return ArchiveError(
            f"归档文件 {path} 已损坏, 无法读取 ({first})。归档未作任何改变; 请用备份替换它。"
            " / the archive file is damaged"
        )
    return ArchiveError(f"归档 {path} 操作失败, 未作任何改变: {first} / archive error")


def _meta(con: duckdb.DuckDBPyConnection) -> dict[str, str] | None:
    tables = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()
    }
    if "archive_meta" not in tables:
        return None if tables else {}
    return dict(con.execute("SELECT key, value FROM archive_meta").fetchall())


def _initialise(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("BEGIN TRANSACTION")
    con.execute(_SCHEMA_V1)
    for version in range(1, SCHEMA_VERSION):
        MIGRATIONS[version](con)
    con.execute(
        "INSERT INTO archive_meta VALUES ('format', ?), ('schema_version', ?)",
        [FORMAT_NAME, str(SCHEMA_VERSION)],
    )
    con.execute("COMMIT")


def _migrate(con: duckdb.DuckDBPyConnection, path: Path, version: int) -> None:
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise ArchiveError(
                f"{path}: 归档格式版本 {version} 没有升级方法 / no migration from version {version}"
            )
        con.execute("BEGIN TRANSACTION")
        step(con)
        version += 1
        con.execute(
            "UPDATE archive_meta SET value = ? WHERE key = 'schema_version'", [str(version)]
        )
        con.execute("COMMIT")


def add_new_fields(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Add the contract's columns an archive made by an earlier toolkit lacks (the handling
    columns 交办机关 ... 化解方式, and any column added later) to ``versions`` and ``current``,
    empty for the cases archived before; return their names. Adding a column keeps the format
    readable by the toolkit that wrote it (its queries name their columns), so no version step."""
    added: list[str] = []
    for table in ("versions", "current"):
        have = {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}
        missing = [c for c in FIELDS if c not in have]
        for col in missing:
            con.execute(f"ALTER TABLE {table} ADD COLUMN {col} {sql_type(col)}")
        added += [c for c in missing if c not in added]
    return added


def check_and_prepare(path: Path) -> None:
    """Create the archive if the file does not exist (and its folder), else check and
    migrate it."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    with connect(path) as con:
        meta = _meta(con)
        if meta is None or (meta and meta.get("format") != FORMAT_NAME):
            raise ArchiveError(
                f"{path} 是一个 DuckDB 数据库, 但不是台账归档 (没有归档信息表), 请换一个文件名。"
                " / a DuckDB database, but not a case archive"
            )
        if not meta:
            _initialise(con)
            return
        version = int(meta.get("schema_version", "0"))
        if version > SCHEMA_VERSION:
            raise ArchiveError(
                f"{path} 的归档格式版本为 {version}, 比当前工具包支持的 {SCHEMA_VERSION} 新,"
                " 请升级 xinfang_toolkit。 / the archive has a newer format; upgrade the toolkit"
            )
        if version < SCHEMA_VERSION:
            _migrate(con, path, version)
        con.execute("BEGIN TRANSACTION")
        add_new_fields(con)
        con.execute("COMMIT")


#: the tables an archive holds, and nothing else (no view, macro, default or generated column)
TABLES = frozenset({"archive_meta", "imports", "versions", "seen", "current"})
#: instances kept per process (one per archive file; the least recently used idle one goes)
_KEEP = 8


class _Instance:
    """An in-memory DuckDB instance for one archive file, with external access off: it may
    touch only that file, its WAL and its spill folder (``read_text``, ``COPY``, ``ATTACH`` of
    anything else fail), so a crafted archive cannot read or write other files."""

    def __init__(self, path: Path):
        self.users = 0
        #: the file's (size, modification time) when its schema was last found clean
        self.checked: tuple[int, int] | None = None
        self.con = duckdb.connect()
        name = str(path)
        self.con.execute("SET allowed_paths = ?", [[name, name + ".wal", name + ".wal.checkpoint"]])
        self.con.execute("SET temp_directory = ?", [name + ".tmp"])
        self.con.execute("SET allowed_directories = ?", [[name + ".tmp" + os.sep]])
        self.con.execute("SET enable_external_access = false")
        self.con.execute("SET autoinstall_known_extensions = false")
        self.con.execute("SET autoload_known_extensions = false")


_INSTANCES: dict[tuple[int, str], _Instance] = {}  # (process id, archive path) -> its instance
_INSTANCE_LOCK = threading.Lock()
_ALIASES = itertools.count(1)


def _instance(path: Path) -> _Instance:
    """The process's DuckDB instance for ``path`` (made on first use, 10 to 20 ms; a forked
    child makes its own). Attaching the file to it and detaching it again costs 1 to 4 ms."""
    key = (os.getpid(), str(path))
    with _INSTANCE_LOCK:
        if any(pid != key[0] for pid, _ in _INSTANCES):
            _INSTANCES.clear()  # a forked child: the parent's instances are not ours
        inst = _INSTANCES.pop(key, None) or _Instance(path)
        _INSTANCES[key] = inst  # most recently used last
        idle = [k for k, v in _INSTANCES.items() if v.users == 0 and k != key]
        for k in idle[: max(0, len(_INSTANCES) - _KEEP)]:
            _INSTANCES.pop(k).con.close()
        inst.users += 1
        return inst


def _release(inst: _Instance) -> None:
    with _INSTANCE_LOCK:
        inst.users -= 1


def check_schema(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse an archive holding anything but its tables: a view, a macro, a table of another
    name, a column with a default or generated value (each could run code on reading)."""
    db = [con.execute("SELECT current_database()").fetchall()[0][0]]
    found: list[str] = []
    found += [
        f"视图 {v}"
        for (v,) in con.execute(
            "SELECT view_name FROM duckdb_views() WHERE database_name = ? AND NOT internal", db
        ).fetchall()
    ]
    found += [
        f"宏 {f}"
        for (f,) in con.execute(
            "SELECT DISTINCT function_name FROM duckdb_functions() WHERE database_name = ?", db
        ).fetchall()
    ]
    tables = [
        t
        for (t,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ?", db
        ).fetchall()
    ]
    if (tables or found) and "archive_meta" not in tables:
        raise ArchiveError(
            f"{path} 是一个 DuckDB 数据库, 但不是台账归档 (没有归档信息表), 请换一个文件名。"
            " / a DuckDB database, but not a case archive"
        )
    found += [f"表 {t}" for t in tables if t not in TABLES]
    found += [
        f"列 {t}.{c} 的默认值"
        for t, c in con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = ? "
            "AND column_default IS NOT NULL",
            db,
        ).fetchall()
    ]
    if found:
        raise ArchiveError(
            f"{path} 不是本工具包写出的归档: 含有归档不应有的内容 ({'、'.join(found[:5])}),"
            " 为安全起见拒绝使用。 / the archive holds objects an archive never has (views,"
            " macros, other tables): refused"
        )


@contextlib.contextmanager
def connect(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to the archive file, closed afterwards; lock and format errors
    become :class:`ArchiveError` with a Chinese message.

    The connection is a cursor of the process's DuckDB instance for the file (external access
    off, see :class:`_Instance`), with the file attached under a name of its own (made the
    default database with USE) and detached at the end, which writes its changes into the file
    and releases it for other programs. Its schema is checked first (:func:`check_schema`)."""
    if path.exists() and path.is_dir():
        raise ArchiveError(f"{path} 是文件夹, 不是归档文件 / a folder, not an archive file")
    _refuse_unwritable(path)
    inst = _instance(path)
    try:
        con = inst.con.cursor()
    except BaseException:
        _release(inst)
        raise
    alias = f"{ALIAS}_{next(_ALIASES)}"
    try:
        con.execute(f"ATTACH ? AS {alias} (ROW_GROUP_SIZE {ROW_GROUP_ROWS})", [str(path)])
    except duckdb.Error as exc:
        con.close()
        _release(inst)
        raise _explain(path, exc) from None
    except BaseException:
        con.close()
        _release(inst)
        raise
    try:
        con.execute(f"USE {alias}")
        # no vacuuming (see the module docstring); a DuckDB without the setting vacuums
        with contextlib.suppress(duckdb.Error):
            con.execute("SET max_vacuum_tasks = 0")
        stamp = _stamp(path)
        try:  # a Ctrl-C while the schema is checked is a Ctrl-C too, not a damaged file
            if stamp is None or stamp != inst.checked:  # listing macros costs 0.1 to 0.2 s
                try:
                    check_schema(con, path)
                except duckdb.InterruptException:
                    raise
                except duckdb.Error as exc:
                    raise _explain(path, exc) from None
                inst.checked = stamp
            yield con
        except duckdb.InterruptException:  # Ctrl-C inside a query: rolled back, as Ctrl-C
            raise KeyboardInterrupt from None
        except RuntimeError as exc:  # DuckDB's "Query interrupted" when Ctrl-C hits a query
            if "interrupt" in str(exc).lower():
                raise KeyboardInterrupt from None
            raise
        except duckdb.Error as exc:  # a damaged file found while reading, disk full ...
            raise failed(path, exc) from None
    finally:
        try:
            _detach(con, alias)
        finally:
            _release(inst)
            with contextlib.suppress(OSError):  # DuckDB's spill folder, when it is empty
                Path(str(path) + ".tmp").rmdir()


def _stamp(path: Path) -> tuple[int, int] | None:
    """The file's size and modification time (a schema found clean stays clean until the file
    changes: another program, or this one writing to it)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _refuse_unwritable(path: Path) -> None:
    """A read-only archive file (or one in a read-only folder) named as such."""
    where = path if path.exists() else path.parent
    if where.exists() and not os.access(where, os.W_OK):
        raise ArchiveError(
            f"归档文件 {path} {'是只读的' if where == path else '所在的文件夹不能写入'},"
            " 无法打开 (需要写入权限); 请检查文件权限或换一个位置。"
            " / the archive (or its folder) is read-only"
        )


def _detach(con: duckdb.DuckDBPyConnection, alias: str) -> None:
    """Detach the file (an unfinished transaction is rolled back first) and close the cursor."""
    with contextlib.suppress(duckdb.Error):  # no transaction open: nothing to roll back
        con.execute("ROLLBACK")
    try:
        con.execute("USE memory")
        con.execute(f"DETACH {alias}")
    except duckdb.Error:  # the file is damaged or gone: the error that led here is the one told
        pass
    finally:
        con.close()
