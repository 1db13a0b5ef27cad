"""What every command of ``xinfang`` shares: exit codes, the help's look, printing, loading.

Nothing here loads pandas or the package's rooms at import: ``xinfang --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys

__all__ = [
    "EPILOG",
    "EXIT_DATA_PROBLEMS",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_UNUSABLE",
    "Formatter",
    "add_command",
    "load_ledgers",
    "say",
]

EXIT_OK, EXIT_DATA_PROBLEMS, EXIT_UNUSABLE = 0, 1, 2
EXIT_INTERRUPTED = 130  # Ctrl-C: the shell's code for SIGINT

#: the foot of every command's help
EPILOG = (
    "退出码 / exit codes: 0 完成 done; 1 数据有问题已列出、结果已写出 data problems reported, "
    "output written; 2 输入或输出位置无法使用、未写出 unusable input or output, nothing written; "
    "130 中断 interrupted (Ctrl-C), nothing written. 不覆盖非本工具包写出的文件 / never "
    "replaces a file the toolkit did not write.\n"
    "个人信息默认脱敏 / personal data is masked unless --no-mask."
)


class Formatter(argparse.RawDescriptionHelpFormatter):
    """The help of every command: descriptions keep their line breaks (Chinese, then English)."""


def add_command(sub, name: str, *, help: str, description: str) -> argparse.ArgumentParser:
    """The sub-command ``name`` with the help's look and foot every command shares."""
    return sub.add_parser(
        name, help=help, description=description, epilog=EPILOG, formatter_class=Formatter
    )


def say(text: str, *, err: bool = False) -> None:
    """Print a line; file names, ID and phone numbers in it masked (privacy.mask_message)."""
    from ..privacy import mask_message

    text = str(mask_message(text))
    stream = sys.stderr if err else sys.stdout
    try:
        print(text, file=stream)
    except UnicodeEncodeError:  # a console that cannot show Chinese
        print(text.encode("ascii", "backslashreplace").decode("ascii"), file=stream)


def _progress_enabled(args: argparse.Namespace) -> bool:
    return not args.no_progress and sys.stderr.isatty()


def load_ledgers(args: argparse.Namespace):
    """load_cases over the inputs, with a progress bar over the files on a terminal."""
    from ..load import load_cases

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
