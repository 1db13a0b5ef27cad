"""Outputs written whole or not at all.

Every file is written to a temporary file in its target folder and renamed over the target
only when complete (``atomic_path``); a set of files (the cases, issues and excluded rows of
one run) is renamed together after all of them are complete (``atomic_outputs``), so an
interrupted or failed run leaves the previous outputs as they were and no partial file.
``check_outputs`` refuses, before anything is written, a target that is a folder, a target that
is one of the inputs, and a folder that cannot be written.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

__all__ = ["OutputError", "atomic_outputs", "atomic_path", "check_outputs", "input_files"]

#: ledger files that a folder given as input is read from
LEDGER_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".csv", ".txt", ".ods")


class OutputError(ValueError):
    """An output that cannot or must not be written (message in Chinese, then English)."""


def _temp_name(target: Path) -> Path:
    """A fresh temporary name beside ``target`` (the file is created by :func:`_create`)."""
    return target.parent / f".{target.stem}.{uuid.uuid4().hex[:12]}.part{target.suffix}"


def _create(path: Path) -> None:
    # exclusive creation: never an existing file; the name is recorded before the file exists,
    # so a Ctrl-C at any moment leaves nothing that the clean-up does not know of
    with open(path, "xb"):
        pass


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


@contextlib.contextmanager
def atomic_outputs(targets: Sequence[str | Path]) -> Iterator[list[Path]]:
    """Temporary paths for ``targets``; renamed over them together when the block succeeds.

    On any error (or Ctrl-C) inside the block every temporary file is removed and no target
    is touched.
    """
    paths = [Path(t) for t in targets]
    temps: list[Path] = []
    try:
        for p in paths:
            p.parent.mkdir(parents=True, exist_ok=True)
            temps.append(_temp_name(p))
            _create(temps[-1])
        yield temps
        for tmp, p in zip(temps, paths, strict=True):
            try:
                os.replace(tmp, p)
            except PermissionError as exc:  # Windows: the target is open in Excel or WPS
                raise OutputError(_in_use(p)) from exc
    except BaseException:
        for tmp in temps:
            _unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """One temporary path, renamed over ``target`` when the block succeeds."""
    with atomic_outputs([target]) as (tmp,):
        yield tmp


def input_files(inputs: Iterable[str | Path]) -> list[Path]:
    """The files an input list stands for (folders: the ledger files inside them)."""
    out: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            out.extend(f for f in p.rglob("*") if f.suffix.lower() in LEDGER_SUFFIXES)
        elif p.exists():
            out.append(p)
    return out


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _in_use(path: Path) -> str:
    return (
        f"文件 {path} 正被其他程序（如 Excel、WPS）打开或是只读文件，无法替换；请关闭它后重试 / "
        f"{path} is open in another program (Excel, WPS) or read-only: close it and try again"
    )


def _locked(path: Path) -> bool:
    """An existing file that cannot be opened for writing: on Windows, one Excel holds open."""
    if not path.is_file():
        return False
    try:
        with open(path, "r+b"):
            return False
    except PermissionError:
        return True
    except OSError:
        return False


def _writable(folder: Path) -> bool:
    """Try to create a file in ``folder`` (or in its nearest existing parent)."""
    probe = folder
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    if not probe.is_dir():
        return False
    try:
        fd, name = tempfile.mkstemp(dir=str(probe), prefix=".xinfang-probe.")
    except OSError:
        return False
    os.close(fd)
    _unlink(Path(name))
    return True


def check_outputs(targets: Iterable[str | Path], *, inputs: Iterable[str | Path] = ()) -> None:
    """Raise OutputError unless every target file can be written without harm."""
    sources = input_files(inputs)
    for t in targets:
        p = Path(t)
        if p.is_dir():
            raise OutputError(
                f"输出文件 {p} 是一个文件夹，请写出文件名 / output {p} is a folder, give a file name"
            )
        for s in sources:
            if _same(p, s):
                raise OutputError(
                    f"输出文件 {p} 就是输入台账 {s}，不能覆盖原始台账 / output {p} is an input "
                    "ledger: refusing to overwrite it"
                )
        for parent in p.parents:
            if parent.exists():
                if not parent.is_dir():
                    raise OutputError(
                        f"输出位置 {parent} 是一个文件，不是文件夹 / {parent} is a file, not a folder"
                    )
                break
        if _locked(p):
            raise OutputError(_in_use(p))
        if not _writable(p.parent):
            raise OutputError(
                f"文件夹 {p.parent} 不能写入（只读或无权限）/ folder {p.parent} is not writable"
            )
