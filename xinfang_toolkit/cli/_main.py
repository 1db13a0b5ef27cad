"""Running a command: the parser's choice called with the signals, the office secret and the
errors turned into messages and exit codes (0 done, 1 data problems, 2 unusable input or
output, 130 interrupted)."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from .._atomic import os_error_text
from ._common import EXIT_INTERRUPTED, EXIT_UNUSABLE, say
from ._parser import build_parser

__all__ = ["entry", "main"]


@contextlib.contextmanager
def _salt_file(path: Path | None):
    """``--salt-file``: the office's secret (made now when missing) used by every pseudonymised
    output of this command (privacy.office_salt reads ``XINFANG_SALT_FILE``)."""
    if path is None:
        yield
        return
    from ..privacy import SALT_ENV, office_salt

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


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM/SIGHUP: the same clean-up as Ctrl-C


@contextlib.contextmanager
def _signals_as_interrupt() -> Iterator[None]:
    """SIGTERM (and SIGHUP) end the command like Ctrl-C: temporary files removed, an import
    rolled back, exit 130. Only in the main thread, and the old handlers come back after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = ("SIGTERM", "SIGHUP", "SIGBREAK")
    old = {}
    for name in names:
        sig = getattr(signal, name, None)
        if sig is not None:
            with contextlib.suppress(OSError, ValueError):
                old[sig] = signal.signal(sig, _interrupt)
    try:
        yield
    finally:
        for sig, handler in old.items():
            with contextlib.suppress(OSError, ValueError, TypeError):
                signal.signal(sig, handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit code (0 done, 1 data problems, 2 unusable input or
    output, 130 interrupted)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version (0) or bad arguments (2)
        return int(exc.code or 0)
    try:
        with _signals_as_interrupt():
            return _run(args)
    except KeyboardInterrupt:
        if args.command == "archive":
            say("已中断，归档未作任何改变，未写出任何文件 / interrupted: nothing changed", err=True)
        else:
            say(
                "已中断，未写出任何文件（原有输出保持不变）/ interrupted: nothing written", err=True
            )
        return EXIT_INTERRUPTED


def _run(args: argparse.Namespace) -> int:
    from ..load import LoadError  # pandas loads here: a Ctrl-C in the import is caught by main

    try:
        with _salt_file(getattr(args, "salt_file", None)):
            return int(args.func(args))
    except LoadError as exc:
        say(f"错误 / error: {exc}", err=True)
        return EXIT_UNUSABLE
    except (ValueError, FileNotFoundError, TypeError) as exc:  # incl. OutputError, TemplateError
        say(f"错误 / error: {exc}", err=True)
        return EXIT_UNUSABLE
    except OSError as exc:  # a read or write refused half-way (disk full, permission)
        say(
            f"错误 / error: 读写失败，未写出任何文件 / reading or writing failed, nothing "
            f"written: {getattr(exc, 'filename', None) or ''} {os_error_text(exc)}",
            err=True,
        )
        return EXIT_UNUSABLE


def entry() -> None:
    """The ``xinfang`` program: :func:`main`, then exit with its code. Once the command is done
    a late Ctrl-C is ignored, so that it cannot kill the process while it shuts down (the
    outputs are complete and the code says so)."""
    code = main()
    with contextlib.suppress(OSError, ValueError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)
