"""The ``xinfang`` command: load ledgers, classify cases, write the work report.

    xinfang load FILES... -o out/
    xinfang report FILES... --from 2021-01-01 --to 2021-04-30 [--compare yoy] -o report.docx
                            [--xlsx report.xlsx]
    xinfang classify FILES... -o out/
    xinfang archive import FOLDER | status | changes --from --to | export -o DIR
    xinfang dossier LEDGERS_OR_ARCHIVE --backlog [--today DAY] -o FOLDER
    xinfang doctor

Exit codes: 0 done; 1 data problems were reported (see the issues file) but the output was
written; 2 unusable input or output (no readable ledger, a missing file, bad arguments, a
template that reaches for Python internals, an output that is a folder, an input or in a
read-only folder): nothing written; 130 interrupted (Ctrl-C): nothing written. Outputs are
written to temporary files and renamed together when all are complete.
Personal data is masked in every file written unless --no-mask is given.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from ._atomic import OutputError, atomic_outputs, check_outputs

if TYPE_CHECKING:  # pandas and the package's parts load only when a command runs
    import pandas as pd

EXIT_OK, EXIT_DATA_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2
EXIT_INTERRUPTED = 130  # Ctrl-C: the shell's code for SIGINT

_EPILOG = (
    "退出码 / exit codes: 0 完成 done; 1 数据有问题已列出、结果已写出 data problems reported, "
    "output written; 2 输入或输出位置无法使用、未写出 unusable input or output, nothing written; "
    "130 中断 interrupted (Ctrl-C), nothing written.\n"
    "个人信息默认脱敏 / personal data is masked unless --no-mask."
)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    pass


def _add_input(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILES",
        help="台账文件或文件夹 (.xlsx/.xls/.csv…) / ledger files or folders",
    )
    p.add_argument(
        "--sheets",
        nargs="+",
        default=None,
        help="只读这些工作表 / read only these sheets (names or 0-based positions)",
    )
    p.add_argument(
        "--year",
        type=int,
        default=None,
        help="没有年份的日期(3月5日)所属年份 / year of dates written without one",
    )
    p.add_argument(
        "--mapping",
        default=None,
        metavar="FILE",
        help="表头映射文件 (CSV 或 YAML, 见 load.save_profile) / header mapping or layout profiles",
    )
    p.add_argument(
        "--no-progress", action="store_true", help="不显示进度条 / hide the progress bar"
    )


def _add_privacy(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument(
        "--no-mask",
        action="store_true",
        help="写出未脱敏的个人信息(仅限内部使用) / write personal data in full (internal use only)",
    )
    g.add_argument(
        "--pseudonymize",
        action="store_true",
        help="用信访人代码代替姓名和身份证号(用于培训) / stable keys instead of names and IDs",
    )
    p.add_argument(
        "--salt-file",
        type=Path,
        default=None,
        metavar="PATH",
        help="单位密钥文件 (--pseudonymize 用它生成代码; 没有时新建, 勿外传) / the office's "
        "secret for --pseudonymize (made when missing; never share it)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xinfang",
        description="信访台账工具:读取清洗、分类、统计汇报。\n"
        "Petition (xinfang) ledgers: load and clean, classify, report.",
        epilog=_EPILOG,
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"xinfang_toolkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "load",
        help="读取并清洗台账 / load and clean ledgers",
        description="读取台账,写出清洗后的信访件(已脱敏)、问题清单和未计入的行。\n"
        "Read ledgers; write the cleaned cases (masked), the issues and the excluded rows.",
        epilog=_EPILOG,
        formatter_class=_Formatter,
    )
    _add_input(p)
    p.add_argument("-o", "--out", required=True, type=Path, help="输出文件夹 / output folder")
    p.add_argument(
        "--format",
        choices=("xlsx", "csv"),
        default="xlsx",
        help="输出格式 / output format (default xlsx)",
    )
    _add_privacy(p)
    p.set_defaults(func=_cmd_load)

    p = sub.add_parser(
        "report",
        help="统计并写出工作汇报 / statistics and the work report",
        description="统计一个时期的信访情况,起草汇报正文,写出 Word(和 Excel)文件。\n"
        "Count a period, draft the report text, write a Word (and Excel) file.\n"
        "不给 --from/--to 时取数据中最近一年 / without --from/--to: the latest year in the data.",
        epilog=_EPILOG,
        formatter_class=_Formatter,
    )
    _add_input(p)
    p.add_argument("--from", dest="start", default=None, help="起始日期 / first day, 2021-01-01")
    p.add_argument("--to", dest="end", default=None, help="截止日期 / last day, 2021-04-30")
    p.add_argument(
        "--compare",
        choices=("yoy", "mom"),
        default=None,
        help="同比 yoy (去年同期) 或 环比 mom (上期) / compare with last year or last period",
    )
    p.add_argument(
        "--today",
        default=None,
        help="统计截至日期(默认今天) / judge deadlines as of this day (default: today)",
    )
    p.add_argument(
        "--cutoff-day",
        type=int,
        default=None,
        help="统计月截止日,如 20 / the day the statistical month closes, e.g. 20",
    )
    p.add_argument(
        "--group-threshold",
        type=int,
        default=5,
        help="集体访最少人数 / persons that make a group visit (default 5)",
    )
    p.add_argument(
        "--template", type=Path, default=None, help="报告正文模板 .j2 / report text template"
    )
    p.add_argument(
        "--profile",
        default=None,
        help="报告档次:乡镇、县、区、市(默认 县;见 data/report_profiles.yaml) / report profile",
    )
    p.add_argument(
        "--scheme",
        default=None,
        help="汇报分类方案,如 全国分类、五类问题(默认由档次决定) / report category scheme",
    )
    p.add_argument("-o", "--out", required=True, type=Path, help="Word 文件 / the .docx to write")
    p.add_argument("--xlsx", type=Path, default=None, help="同时写出 Excel / also write .xlsx")
    p.add_argument("--no-charts", action="store_true", help="Word 中不放图 / no charts in Word")
    p.add_argument(
        "--issuer", default=None, help="落款单位,如 某县信访局 / issuing unit for the signature"
    )
    p.add_argument(
        "--issue-date",
        default=None,
        help="成文日期(默认今天,给出落款单位时) / date under the signature (default: today)",
    )
    p.add_argument(
        "--no-classify",
        action="store_true",
        help="按台账原有分类统计,不归入全国分类 / count the ledger's own categories "
        "(default: classify, local names -> national classes)",
    )
    _add_privacy(p)
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser(
        "classify",
        help="按内容分类 / classify cases by content",
        description="读取台账,按内容分类(给出依据和是否需要复核),写出结果(已脱敏)。\n"
        "Read ledgers, classify each case (with evidence and a needs-review flag), write them.",
        epilog=_EPILOG,
        formatter_class=_Formatter,
    )
    _add_input(p)
    p.add_argument("-o", "--out", required=True, type=Path, help="输出文件夹 / output folder")
    _add_privacy(p)
    p.set_defaults(func=_cmd_classify)

    p = sub.add_parser(
        "doctor",
        help="自检：安装是否完整可用 / self-check of the installation",
        description="逐项检查 Python、软件包、Jupyter 内核、中文字体、工作文件夹写权限、归档文件和离线"
        "安装包，每个问题给出解决办法。\nCheck Python, packages, the Jupyter kernel, CJK fonts, "
        "write access, the archive and the offline bundle; each problem with its fix.\n"
        "退出码 / exit: 0 一切正常或只有提醒 all well; 1 发现问题 problems found.",
        formatter_class=_Formatter,
    )
    p.set_defaults(func=_cmd_doctor)

    from .archive.cli import add_archive_parser  # xinfang archive import/status/changes/export

    add_archive_parser(sub, formatter=_Formatter, epilog=_EPILOG, say=_say)

    # --- xinfang dossier (issue 25): one dossier per backlog matter, in its own module --------
    from ._dossier_cli import add_dossier_parser

    add_dossier_parser(sub, formatter=_Formatter, epilog=_EPILOG, say=_say, load=_load)
    # --- end of xinfang dossier ------------------------------------------------------------------
    return parser


# --- loading with progress ---------------------------------------------------------------------


def _progress_enabled(args: argparse.Namespace) -> bool:
    return not args.no_progress and sys.stderr.isatty()


def _load(args: argparse.Namespace):
    """load_cases over the inputs, with a progress bar over the files on a terminal."""
    from .load import load_cases

    sheets = args.sheets
    if sheets:
        sheets = [int(s) if s.isdigit() else s for s in sheets]
    return load_cases(
        args.files,
        sheets=sheets,
        year=args.year,
        mapping=getattr(args, "mapping", None),
        progress=_progress_enabled(args),
    )


@contextlib.contextmanager
def _salt_file(path: Path | None):
    """``--salt-file``: the office's secret (made now when missing) used by every pseudonymised
    output of this command (privacy.office_salt reads ``XINFANG_SALT_FILE``)."""
    if path is None:
        yield
        return
    from .privacy import SALT_ENV, office_salt

    office_salt(path)  # made or checked before any work: a bad file stops here
    old = os.environ.get(SALT_ENV)
    os.environ[SALT_ENV] = str(Path(path).resolve())
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(SALT_ENV, None)
        else:
            os.environ[SALT_ENV] = old


def _say(text: str, *, err: bool = False) -> None:
    """Print a line; file names, ID and phone numbers in it masked (privacy.mask_message)."""
    from .privacy import mask_message

    text = str(mask_message(text))
    stream = sys.stderr if err else sys.stdout
    try:
        print(text, file=stream)
    except UnicodeEncodeError:  # a console that cannot show Chinese
        print(text.encode("ascii", "backslashreplace").decode("ascii"), file=stream)


def _targets(out: Path, stems: Sequence[str], fmt: str) -> list[Path]:
    return [out / f"{stem}.{fmt}" for stem in stems]


def _write_outputs(
    frames: dict[str, pd.DataFrame],
    targets: Sequence[Path],
    *,
    mask: bool = True,
    pseudonymize: bool = False,
    names: Iterable[str] = (),
) -> list[Path]:
    """All frames written (report.export_tables: masked, formula guard, Chinese headers) to
    temporary files, then renamed together: complete or absent."""
    from .report import export_tables

    with atomic_outputs(targets) as temps:
        for (sheet, frame), tmp in zip(frames.items(), temps, strict=True):
            export_tables({sheet: frame}, tmp, mask=mask, pseudonymize=pseudonymize, names=names)
    return list(targets)


#: the files the commands write (stem = sheet name), the names notebook 01 uses for its sheets
LOAD_OUTPUTS: tuple[str, ...] = ("案件清单", "问题清单", "排除清单", "表头对照")
CLASSIFY_OUTPUTS: tuple[str, ...] = ("分类结果", "分类统计")


# --- commands ------------------------------------------------------------------------------------


def _cmd_load(args: argparse.Namespace) -> int:
    from .load import mapping_table
    from .privacy import known_names

    targets = _targets(args.out, LOAD_OUTPUTS, args.format)
    check_outputs(targets, inputs=args.files)  # before any work: nothing written on refusal
    result = _load(args)
    mask = not args.no_mask
    frames = dict(
        zip(
            LOAD_OUTPUTS,
            (result.cases, result.issues, result.excluded, mapping_table(result.columns)),
            strict=True,
        )
    )  # 表头对照: how every header was read
    names = known_names(result.cases) if mask or args.pseudonymize else ()
    paths = _write_outputs(frames, targets, mask=mask, pseudonymize=args.pseudonymize, names=names)
    for path in paths:
        _say(f"已写出 / written: {path}")
    _say(result.summary())
    return EXIT_DATA_PROBLEMS if len(result.issues) else EXIT_OK


def _default_period(cases: pd.DataFrame, start, end) -> tuple[object, object]:
    """Without --from/--to: the data's own months (first day of its first month to the last day
    of its last month), not January to today."""
    from .analysis import data_period

    months = data_period(cases["received_date"])
    if months is None:
        raise ValueError("台账中没有登记日期,请用 --from/--to 指定统计期 / no dates in the data")
    return (months[0] if start is None else start), (months[1] if end is None else end)


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import draft_report, export_docx, export_xlsx, summarize

    targets = [args.out] + ([args.xlsx] if args.xlsx else [])
    if args.xlsx and Path(args.xlsx).resolve() == Path(args.out).resolve():
        raise OutputError(f"Word 和 Excel 输出是同一个文件 {args.out} / --xlsx equals -o")
    check_outputs(targets, inputs=args.files)
    result = _load(args)
    cases = result.cases
    if args.no_classify:  # count the ledger's own category names (summarize maps nothing)
        cases = cases.assign(category_pred=cases["category"])
    start, end = _default_period(cases, args.start, args.end)
    summary = summarize(
        cases,
        start=start,
        end=end,
        compare=args.compare,
        group_threshold=args.group_threshold,
        today=args.today,
        period_cutoff_day=args.cutoff_day,
    )
    text = draft_report(
        summary,
        template=args.template,
        mask=not args.no_mask,
        profile=args.profile,
        scheme=args.scheme,
    )
    with atomic_outputs(targets) as temps:
        export_docx(
            summary,
            temps[0],
            text=text,
            charts=not args.no_charts,
            issuer=args.issuer,
            issue_date=args.issue_date,
        )
        if args.xlsx:
            export_xlsx(summary, temps[1], mask=not args.no_mask, pseudonymize=args.pseudonymize)
    for path in targets:
        _say(f"已写出 / written: {path}")
    _say(summary.title)
    _say(text)
    if len(result.issues):
        _say(
            f"注意:读取台账时有 {len(result.issues)} 处需要核对,"
            "可用 `xinfang load` 写出问题清单 / data problems: run `xinfang load` for the list",
            err=True,
        )
        return EXIT_DATA_PROBLEMS
    return EXIT_OK


def _cmd_classify(args: argparse.Namespace) -> int:
    import pandas as pd

    from .classify import classify
    from .privacy import known_names

    targets = _targets(args.out, CLASSIFY_OUTPUTS, "xlsx")
    check_outputs(targets, inputs=args.files)
    result = _load(args)
    done = classify(result.cases)
    mask = not args.no_mask
    review = int(done["needs_review"].fillna(False).astype(bool).sum())
    counts = done["category_pred"].astype("string").fillna("未分类").value_counts()
    table = pd.DataFrame({"内容分类": counts.index.astype(str), "件数": counts.to_numpy()})
    frames = dict(zip(CLASSIFY_OUTPUTS, (done, table), strict=True))
    names = known_names(done) if mask or args.pseudonymize else ()
    paths = _write_outputs(frames, targets, mask=mask, pseudonymize=args.pseudonymize, names=names)
    for path in paths:
        _say(f"已写出 / written: {path}")
    _say(f"共 {len(done)} 件,需要人工复核 {review} 件 / {review} cases need review.")
    return EXIT_DATA_PROBLEMS if len(result.issues) else EXIT_OK


def _cmd_doctor(args: argparse.Namespace) -> int:
    from .doctor import main as doctor

    return doctor()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit code (0 done, 1 data problems, 2 unusable input)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version (0) or bad arguments (2)
        return int(exc.code or 0)
    try:
        from .load import LoadError  # pandas loads here: a Ctrl-C may land in the import too
    except KeyboardInterrupt:
        _say("已中断，未写出任何文件（原有输出保持不变）/ interrupted: nothing written", err=True)
        return EXIT_INTERRUPTED
    try:
        with _salt_file(getattr(args, "salt_file", None)):
            return int(args.func(args))
    except KeyboardInterrupt:
        _say("已中断，未写出任何文件（原有输出保持不变）/ interrupted: nothing written", err=True)
        return EXIT_INTERRUPTED
    except LoadError as exc:
        _say(f"错误 / error: {exc}", err=True)
        return EXIT_UNUSABLE
    except (ValueError, FileNotFoundError, TypeError) as exc:  # incl. OutputError, TemplateError
        _say(f"错误 / error: {exc}", err=True)
        return EXIT_UNUSABLE
    except OSError as exc:  # a write refused half-way (disk full, permission): nothing renamed
        _say(
            f"错误 / error: 写出失败，未写出任何文件 / writing failed, nothing written: {exc}",
            err=True,
        )
        return EXIT_UNUSABLE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
