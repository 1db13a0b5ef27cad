"""``xinfang archive ...``: import ledgers into the case archive, show it, export it.

xinfang archive import FOLDER [--archive ~/xinfang_data/archive.duckdb] [--period 2026-09]
                      [--dry-run] [--force-period]
xinfang archive undo
xinfang archive status
xinfang archive changes --from 2026-10-01 --to 2026-10-31 [-o changes.xlsx]
xinfang archive export -o out/parquet [--no-mask]
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from ..archive._names import DEFAULT_PATH  # building the parser loads neither DuckDB nor pandas
from ._common import (
    EXIT_DATA_PROBLEMS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_UNUSABLE,
    Formatter,
    add_command,
    say,
)

__all__ = ["add_archive_parser"]

_DESCRIPTION = (
    "台账归档: 把每月的台账并入一个归档文件, 每件只算一次, 并保留每件的变化历史。\n"
    "The case archive: monthly ledgers merged into one file, each case once, with its history."
)


def add_archive_parser(sub) -> None:
    """Add ``archive`` and its sub-commands to the ``xinfang`` parser's sub-parsers."""
    p = add_command(
        sub,
        "archive",
        help="台账归档: 导入、状态、变化、导出 / the case archive",
        description=_DESCRIPTION,
    )
    p.add_argument(
        "--archive",
        type=Path,
        default=Path(DEFAULT_PATH),
        help=f"归档文件, 默认在项目文件夹之外 / archive file (default {DEFAULT_PATH})",
    )
    actions = p.add_subparsers(dest="archive_command", metavar="ACTION", required=True)
    _add_import(actions)
    _add_action(actions, "undo", _undo, help="撤销最近一次导入 / take back the last import")
    _add_action(actions, "status", _status, help="归档概况 / what the archive holds")
    _add_changes(actions)
    _add_export(actions)


def _add_action(actions, name: str, action, *, help: str) -> argparse.ArgumentParser:
    """The sub-command ``name`` running ``action`` (an archive error: its message, exit 2)."""
    parser = actions.add_parser(name, help=help, formatter_class=Formatter)
    parser.set_defaults(func=_guarded(action))
    return parser


def _add_import(actions) -> None:
    c = _add_action(actions, "import", _import, help="导入台账 / import ledgers")
    c.add_argument("files", nargs="+", metavar="FOLDER", help="台账文件或文件夹 / files or folders")
    c.add_argument(
        "--period",
        default=None,
        help="台账所属月份, 如 2026-09 / ledger period (default: from name)",
    )
    c.add_argument(
        "--dry-run",
        action="store_true",
        help="只报告会有什么变化, 不写入归档 / report what would change, write nothing",
    )
    c.add_argument(
        "--force-period",
        action="store_true",
        help="台账期间与数据日期相差很远时仍然导入 / import even if the period is far from "
        "the data's dates",
    )


def _add_changes(actions) -> None:
    c = _add_action(actions, "changes", _changes, help="一段时间的变化 / what changed in a period")
    c.add_argument("--from", dest="start", required=True, help="起始日期 / first day")
    c.add_argument("--to", dest="end", required=True, help="截止日期 / last day")
    c.add_argument("-o", "--out", type=Path, default=None, help="写出 Excel / write an .xlsx")


def _add_export(actions) -> None:
    c = _add_action(actions, "export", _export, help="导出 Parquet / export as Parquet")
    c.add_argument("-o", "--out", type=Path, required=True, help="输出文件夹 / output folder")
    c.add_argument(
        "--no-mask", action="store_true", help="不脱敏(仅限内部使用) / personal data in full"
    )


def _guarded(action) -> Callable[[argparse.Namespace], int]:
    """The action with ArchiveError turned into its message and exit code 2."""

    def run(args: argparse.Namespace) -> int:
        try:
            return int(action(args))
        except Exception as exc:
            from ..archive import ArchiveError

            if not isinstance(exc, ArchiveError):
                raise
            say(f"错误 / error: {exc}", err=True)
            return EXIT_UNUSABLE

    return run


def _import(args: argparse.Namespace) -> int:
    import datetime as dt

    from ..archive import CaseArchive

    archive = CaseArchive(args.archive)
    started = dt.datetime.now()
    try:
        return _import_and_tell(archive, args)
    except KeyboardInterrupt:
        # a Ctrl-C right after the COMMIT (or while the summary is printed) cannot take the
        # import back: say so instead of "nothing changed"
        if not args.dry_run and _saved_since(archive, started):
            say(
                "已中断，但导入在中断前已经完成并保存（可用 `xinfang archive undo` 撤销）"
                " / interrupted after the import was saved (undo: xinfang archive undo)",
                err=True,
            )
            return EXIT_INTERRUPTED
        raise


def _saved_since(archive, started) -> bool:
    """True when the archive holds an import made at or after ``started`` (local time)."""
    if not archive.path.exists():
        return False
    at = archive.imports()["imported_at"]
    return bool(len(at)) and at.max() >= started


def _import_and_tell(archive, args: argparse.Namespace) -> int:
    result = archive.import_ledgers(
        args.files,
        period=args.period,
        dry_run=args.dry_run,
        check_period=not args.force_period,
    )
    if args.dry_run:
        say("试导入 (--dry-run): 以下是导入后会有的变化, 归档没有任何改变。")
    say(result.summary())
    issues = 0 if result.load is None else len(result.load.issues)
    if issues:
        say(f"读取台账时有 {issues} 处需要核对, 可用 `xinfang load` 写出问题清单。", err=True)
    return EXIT_DATA_PROBLEMS if issues else EXIT_OK


def _existing(path: Path):
    """The archive at ``path`` for a command that only reads it or takes an import back: a
    mistyped path is an error, not a new empty archive file (only ``import`` makes one)."""
    from ..archive import ArchiveError, CaseArchive

    if not Path(path).expanduser().exists():
        raise ArchiveError(
            f"归档文件不存在: {path} (先用 `xinfang archive import 台账文件夹` 建立, 或用 --archive"
            f" 指明归档文件) / no archive at {path}"
        )
    return CaseArchive(path)


def _undo(args: argparse.Namespace) -> int:
    undone = _existing(args.archive).undo_last_import()
    if undone.empty:
        say("归档中没有导入记录, 没有可撤销的导入。 / nothing to undo")
        return 0
    when = undone["imported_at"].iloc[0]
    names = "、".join(str(n) for n in undone["file_name"])
    say(
        f"已撤销 {when:%Y-%m-%d %H:%M:%S} 的导入 ({len(undone)} 个文件: {names}); 各件恢复到导入前的状态。"
    )
    return 0


def _status(args: argparse.Namespace) -> int:
    s = _existing(args.archive).status()
    first = "—" if s["first_period"] is None else f"{s['first_period']:%Y-%m-%d}"
    last = "—" if s["last_period"] is None else f"{s['last_period']:%Y-%m-%d}"
    say(
        f"归档 {s['path']}: {s['cases']} 件信访件 (其中按内容键识别 {s['content_keyed']} 件), "
        f"{s['versions']} 个版本, {s['imports']} 次导入; 台账期间 {first} 至 {last}; "
        f"文件 {s['file_bytes'] / 1e6:.1f} MB"
    )
    return 0


def _changes(args: argparse.Namespace) -> int:
    archive = _existing(args.archive)
    if args.out is not None:  # before any work: never over a ledger the archive imported
        from .._atomic import check_outputs

        check_outputs([args.out], inputs=[archive.path], protected_hashes=archive.imported_hashes())
    result = archive.changes(args.start, args.end)
    say(result.summary())
    if args.out is not None:
        from ..report import export_tables

        sheets = {"汇总": result.counts, **result.rows}
        say(f"已写出 / written: {export_tables(sheets, args.out)}")  # masked, formula guard
    return 0


def _export(args: argparse.Namespace) -> int:
    archive = _existing(args.archive)
    path = archive.export_parquet(args.out, mask=not args.no_mask)  # a new or empty folder
    say(f"已写出 / written: {path / 'cases'}, {path / 'history'}")
    return 0
