"""The ``xinfang`` argument parser, one step per command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._archive import add_archive_parser
from ._commands import cmd_classify, cmd_doctor, cmd_load, cmd_report
from ._common import EPILOG, Formatter, add_command
from ._dossier import add_dossier_parser

__all__ = ["build_parser"]


class _Parser(argparse.ArgumentParser):
    """argparse whose usage errors (a missing or unknown argument, a bad choice) say in Chinese
    what is wrong before argparse's own words; exit code 2 as before. The sub-parsers are of
    the same class (argparse makes them with the parser's own type)."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(
            2,
            f"{self.prog}: 错误 / error: 命令行参数有误, 用法见 `{self.prog} --help` / {message}\n",
        )


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command: load, report, classify, doctor, archive, dossier."""
    from .. import __version__

    parser = _Parser(
        prog="xinfang",
        description="信访台账工具:读取清洗、分类、统计汇报。\n"
        "Petition (xinfang) ledgers: load and clean, classify, report.",
        epilog=EPILOG,
        formatter_class=Formatter,
    )
    parser.add_argument("--version", action="version", version=f"xinfang_toolkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_load(sub)
    _add_report(sub)
    _add_classify(sub)
    _add_doctor(sub)
    add_archive_parser(sub)  # xinfang archive import/undo/status/changes/export
    add_dossier_parser(sub)  # xinfang dossier (issue 25): one dossier per backlog matter
    return parser


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


def _add_folder_command(sub, name: str, *, help: str, description: str, func):
    """A command that reads ledgers and writes its tables into a folder (load, classify)."""
    p = add_command(sub, name, help=help, description=description)
    _add_input(p)
    p.add_argument("-o", "--out", required=True, type=Path, help="输出文件夹 / output folder")
    _add_privacy(p)
    p.set_defaults(func=func)
    return p


def _add_load(sub) -> None:
    p = _add_folder_command(
        sub,
        "load",
        help="读取并清洗台账 / load and clean ledgers",
        description="读取台账,写出清洗后的信访件(已脱敏)、问题清单和未计入的行。\n"
        "Read ledgers; write the cleaned cases (masked), the issues and the excluded rows.",
        func=cmd_load,
    )
    p.add_argument(
        "--format",
        choices=("xlsx", "csv"),
        default="xlsx",
        help="输出格式 / output format (default xlsx)",
    )


def _add_report(sub) -> None:
    p = add_command(
        sub,
        "report",
        help="统计并写出工作汇报 / statistics and the work report",
        description="统计一个时期的信访情况,起草汇报正文,写出 Word(和 Excel)文件。\n"
        "Count a period, draft the report text, write a Word (and Excel) file.\n"
        "不给 --from/--to 时, 统计期是数据本身所在的月份 (第一个月的1日至最后一个月的月末)\n"
        "without --from/--to: the data's own months (first day of its first month to the last day"
        " of its last month).",
    )
    _add_input(p)
    _add_report_counting(p)
    _add_report_writing(p)
    p.add_argument(
        "--no-classify",
        action="store_true",
        help="按台账原有分类统计,不归入全国分类 / count the ledger's own categories "
        "(default: classify, local names -> national classes)",
    )
    _add_privacy(p)
    p.set_defaults(func=cmd_report)


def _add_report_counting(p: argparse.ArgumentParser) -> None:
    """What the report counts: the period, the comparison, the day, a group visit."""
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


def _add_report_writing(p: argparse.ArgumentParser) -> None:
    """How the report is written: template, profile, scheme, the files, the signature."""
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


def _add_classify(sub) -> None:
    _add_folder_command(
        sub,
        "classify",
        help="按内容分类 / classify cases by content",
        description="读取台账,按内容分类(给出依据和是否需要复核),写出结果(已脱敏)。\n"
        "Read ledgers, classify each case (with evidence and a needs-review flag), write them.",
        func=cmd_classify,
    )


def _add_doctor(sub) -> None:
    p = sub.add_parser(
        "doctor",
        help="自检：安装是否完整可用 / self-check of the installation",
        description="逐项检查 Python、软件包、Jupyter 内核、中文字体、工作文件夹写权限、归档文件和离线"
        "安装包，每个问题给出解决办法。\nCheck Python, packages, the Jupyter kernel, CJK fonts, "
        "write access, the archive and the offline bundle; each problem with its fix.\n"
        "退出码 / exit: 0 一切正常或只有提醒 all well; 1 发现问题 problems found.",
        formatter_class=Formatter,
    )
    p.set_defaults(func=cmd_doctor)
