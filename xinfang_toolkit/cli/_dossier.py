"""``xinfang dossier``: one Word dossier (一案一档) per backlog matter, plus an index.

    xinfang dossier LEDGERS_OR_ARCHIVE... --backlog [--today DAY] [--top N] -o FOLDER
    xinfang dossier LEDGERS_OR_ARCHIVE... --case CASE_ID [--case ...] -o FOLDER

The input is ledger files / folders, or one case archive (a ``.duckdb`` file written by
``xinfang archive``, whose history adds each case's versions to the timeline). The folder must
be new, empty, or one this command wrote before; every file is written together or none.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import EXIT_DATA_PROBLEMS, EXIT_OK, add_command, load_ledgers, say

__all__ = ["add_dossier_parser"]

ARCHIVE_SUFFIXES = (".duckdb", ".db")


def add_dossier_parser(sub) -> None:
    """Add ``dossier`` to the ``xinfang`` parser's sub-parsers."""
    p = add_command(
        sub,
        "dossier",
        help="积案一案一档(每个积案事项一份 Word 卷宗) / one dossier per backlog matter",
        description="为每个积案事项写一份卷宗(Word):事项概况、办理经过、诉求、答复、类案参考和会诊栏目,"
        "另附索引。信访人只以匿名编号出现。\n"
        "Write one Word dossier per backlog matter (header, timeline, demands, answers, "
        "precedents, blank 症结/钥匙/措施) and an index. Persons appear only as keys.",
    )
    p.add_argument(
        "files",
        nargs="+",
        metavar="LEDGERS_OR_ARCHIVE",
        help="台账文件或文件夹, 或一个归档文件 (.duckdb) / ledgers, or one archive file",
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--backlog", action="store_true", help="全部积案事项 / every backlog matter")
    which.add_argument(
        "--case",
        action="append",
        default=None,
        metavar="CASE_ID",
        help="这件信访件所在的事项(可多次) / the matter of this case (repeatable)",
    )
    p.add_argument("--today", default=None, help="统计日 / the day counted as of (YYYY-MM-DD)")
    p.add_argument(
        "--top", type=int, default=None, help="只写优先级最高的 N 个 / only the N first matters"
    )
    p.add_argument("-k", type=int, default=5, help="每件类案条数 / precedents per dossier")
    p.add_argument("-o", "--out", required=True, type=Path, help="输出文件夹 / output folder")
    p.add_argument("--sheets", nargs="+", default=None, help=argparse.SUPPRESS)
    p.add_argument("--year", type=int, default=None, help=argparse.SUPPRESS)
    p.add_argument("--mapping", default=None, help=argparse.SUPPRESS)
    p.add_argument(
        "--no-progress", action="store_true", help="不显示进度条 / hide the progress bar"
    )
    p.set_defaults(func=_run)


def _is_archive(files: list[str]) -> bool:
    return len(files) == 1 and Path(files[0]).suffix.lower() in ARCHIVE_SUFFIXES


def _write(args, raw, today, archive):
    """Enrich, list the backlog and write the dossiers; None when there is nothing to write."""
    from ..analysis import backlog_table, enrich
    from ..report._dossier import DossierBook, export_dossiers

    cases = enrich(raw, today=today)
    table = backlog_table(cases, today=today)
    book = DossierBook(cases, today=today, archive=archive, k=args.k, backlog=table)
    if args.backlog:
        matters = table if args.top is None else table.head(args.top)
    else:
        matters = []
        for cid in args.case:
            try:
                matters.append(book.chain_of(cid))
            except KeyError as exc:
                raise ValueError(str(exc.args[0])) from None
    if len(matters) == 0:
        say(f"统计日 {today:%Y-%m-%d} 没有积案事项，未写出文件 / no backlog matter on that day")
        return None
    return export_dossiers(matters, args.out, book=book)


def _run(args: argparse.Namespace) -> int:
    from ..analysis import to_day
    from ..report._dossier import check_folder

    if args.top is not None and args.top < 1:
        raise ValueError(f"--top 应为正整数，而不是 {args.top} / --top must be positive")
    check_folder(args.out)  # before any work: a foreign folder is refused at once
    today = to_day(args.today, name="--today 统计日", default_today=True)
    if _is_archive(args.files):
        from ..archive import ArchiveError, CaseArchive

        path = Path(args.files[0]).expanduser()  # ~ as `xinfang archive` reads it
        if not path.is_file():
            raise FileNotFoundError(f"没有这个归档文件：{path} / no such archive file")
        try:
            with CaseArchive(path) as archive:
                index = _write(args, archive.cases(), today, archive)
        except ArchiveError as exc:  # not an archive, in use, newer format: a message, exit 2
            raise ValueError(str(exc)) from None
        issues = 0
    else:
        result = load_ledgers(args)
        index = _write(args, result.cases, today, None)
        issues = len(result.issues)
    if index is None:
        return EXIT_OK
    say(
        f"已写出 {len(index)} 份卷宗和索引 / written {len(index)} dossiers and the index: {args.out}"
    )
    if issues:
        say(
            f"注意:读取台账时有 {issues} 处需要核对,可用 `xinfang load` 写出问题清单 / "
            "data problems: run `xinfang load` for the list",
            err=True,
        )
        return EXIT_DATA_PROBLEMS
    return EXIT_OK
