"""Outputs written whole or not at all.

Every file is written to a temporary file in its target folder and renamed over the target
only when complete (``atomic_path``); a set of files (the cases, issues and excluded rows of
one run) is renamed together after all of them are complete (``atomic_outputs``), so an
interrupted or failed run leaves the previous outputs as they were and no partial file.
``check_outputs`` refuses, before anything is written, a target that is a folder, a device
node, a FIFO or anything else that is not a plain file, a target that is one of the inputs or
holds the same bytes as a ledger an archive imported, and a folder that cannot be written.
Neither replaces an existing file the toolkit did not write (``refuse_foreign``): the check is
made where every output is written, so a notebook's ``export_xlsx`` is held to it as the command
line is.

Every workbook and document the toolkit writes carries :data:`MARKER` in its document
properties, so that the loader can tell the toolkit's own outputs from ledgers.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import stat
import tempfile
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

__all__ = [
    "MARKER",
    "OutputError",
    "atomic_outputs",
    "atomic_path",
    "check_outputs",
    "has_mark",
    "written_by_toolkit",
    "os_error_text",
    "file_sha256",
    "input_files",
    "refuse_foreign",
]

#: the name every workbook/document the toolkit writes carries in its document properties
#: (xlsx: a custom property of this name; docx: the author and keywords)
MARKER = "xinfang_toolkit"

#: ledger files that a folder given as input is read from
LEDGER_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".csv", ".txt", ".ods")
#: the file names the toolkit's commands write (``xinfang load``/``classify``); in a folder such
#: files are the toolkit's outputs, not ledgers (the loader skips them, outputs may replace them)
OWN_OUTPUT_STEMS = frozenset(
    {"案件清单", "问题清单", "排除清单", "表头对照", "分类结果", "分类统计"}
)


class OutputError(ValueError):
    """An output that cannot or must not be written (message in Chinese, then English)."""


_ERRNO_TEXT = {
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "超出磁盘配额",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "磁盘或文件夹是只读的",
    errno.EIO: "读写出错 (输入输出错误)",
}


def os_error_text(exc: BaseException) -> str:
    """A short Chinese reason for an OSError (disk full, no permission ...), with its text."""
    code = getattr(exc, "errno", None)
    reason = _ERRNO_TEXT.get(code, "系统拒绝了读写") if code is not None else "系统拒绝了读写"
    detail = getattr(exc, "strerror", None) or str(exc)
    return f"{reason} ({detail})"


def has_mark(path: str | Path) -> bool:
    """Whether a workbook or document carries the toolkit's mark in its document properties
    (xlsx: custom property ``xinfang_toolkit``; docx: keywords ``xinfang_toolkit``)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            for name, needle in (
                ("docProps/custom.xml", f'name="{MARKER}"'.encode()),
                ("docProps/core.xml", f">{MARKER}</cp:keywords>".encode()),
            ):
                with contextlib.suppress(KeyError):
                    info = zf.getinfo(name)
                    if info.file_size <= 1 << 20 and needle in zf.read(info):
                        return True
    except (OSError, zipfile.BadZipFile, ValueError, RuntimeError):
        return False
    return False


#: outputs whose files carry the mark: an existing file of these types without it is the user's
MARKED_SUFFIXES = (".xlsx", ".xlsm", ".docx")

#: beside the outputs that cannot carry the mark (CSV ...): the name and SHA-256 of each file
#: the toolkit wrote in that folder. Such a file is replaced only while its bytes are still the
#: ones the toolkit wrote; an office's own CSV of the same name is never replaced.
MANIFEST = ".xinfang_outputs.json"


def _manifest(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def written_by_toolkit(path: Path) -> bool:
    """True when ``path`` carries the toolkit's mark (workbooks, documents) or, for files that
    cannot carry one, is recorded in its folder's manifest with its current bytes."""
    if path.suffix.lower() in MARKED_SUFFIXES:
        return has_mark(path)
    recorded = _manifest(path.parent).get(path.name)
    try:
        return recorded is not None and recorded == file_sha256(path)
    except OSError:
        return False


def _record_unmarked(paths: Sequence[Path]) -> None:
    """Record the files just written that cannot carry the mark in their folders' manifests
    (written whole, by rename; a manifest that cannot be written only means that the next run
    refuses to replace those files)."""
    by_folder: dict[Path, list[Path]] = {}
    for p in paths:
        # a nested writer's temporary file (renamed away at once) is no output to record
        if (
            p.suffix.lower() not in MARKED_SUFFIXES
            and p.name != MANIFEST
            and not _PART.match(p.name)
        ):
            by_folder.setdefault(p.parent, []).append(p)
    for folder, files in by_folder.items():
        entries = _manifest(folder)
        with contextlib.suppress(OSError):
            for p in files:
                entries[p.name] = file_sha256(p)
            tmp = _temp_name(folder / MANIFEST)
            tmp.write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
            try:
                os.replace(tmp, folder / MANIFEST)
            finally:
                _unlink(tmp)


def _temp_name(target: Path) -> Path:
    """A fresh temporary name beside ``target`` (the file is created by :func:`_create`)."""
    return target.parent / f".{target.stem}.{uuid.uuid4().hex[:12]}.part{target.suffix}"


_PART = re.compile(r"^\.(?P<stem>.*)\.[0-9a-f]{12}\.part(?P<suffix>.*)$")


def _shown(path: Path) -> Path:
    """The target a temporary name stands for (writers nest: a workbook written to a temporary
    file of a set is named by the set's file)."""
    m = _PART.match(path.name)
    return path.with_name(m["stem"] + m["suffix"]) if m else path


def _create(path: Path) -> None:
    # exclusive creation: never an existing file; the name is recorded before the file exists,
    # so a Ctrl-C at any moment leaves nothing that the clean-up does not know of
    with open(path, "xb"):
        pass


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def refuse_foreign(p: Path) -> None:
    """OutputError when ``p`` is an existing file the toolkit did not write (an office's
    ledger, a report someone wrote): it is never replaced, whoever asks. The temporary file of
    an enclosing write (writers nest: a workbook written to a set's temporary file) is ours."""
    if _PART.match(p.name) or not p.is_file() or written_by_toolkit(p):
        return
    raise OutputError(
        f"输出文件 {p} 已存在, 且不是本工具包写出的文件, 不能覆盖; 请换一个文件名"
        f" (或先自行移走它) / {p} exists and was not written by xinfang_toolkit:"
        " refusing to replace it"
    )


@contextlib.contextmanager
def atomic_outputs(
    targets: Sequence[str | Path], *, replace_unmarked: bool = False
) -> Iterator[list[Path]]:
    """Temporary paths for ``targets``; renamed over them together when the block succeeds.

    On any error (or Ctrl-C) inside the block every temporary file is removed and no target
    is touched. A target that exists and was not written by the toolkit is refused before
    anything is written (:func:`refuse_foreign`); ``replace_unmarked`` is for the synthetic
    ledgers only, which must carry no mark (the loader reads them as ledgers).
    """
    paths = [Path(t) for t in targets]
    for p in paths:  # never a folder, device or FIFO, never someone else's file, whoever calls
        _refuse_special(p)
        if not replace_unmarked:
            refuse_foreign(p)
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
        _record_unmarked(paths)
    except OSError as exc:  # disk full, permission ...: a Chinese message naming the files
        for tmp in temps:
            _unlink(tmp)
        names = "、".join(str(_shown(p)) for p in paths)
        raise OutputError(
            f"写出 {names} 失败: {os_error_text(exc)}。未写出任何文件, 原有文件保持不变 "
            f"/ writing failed, nothing written"
        ) from exc
    except BaseException:
        for tmp in temps:
            _unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_path(target: str | Path, *, replace_unmarked: bool = False) -> Iterator[Path]:
    """One temporary path, renamed over ``target`` when the block succeeds (see
    :func:`atomic_outputs`)."""
    with atomic_outputs([target], replace_unmarked=replace_unmarked) as (tmp,):
        yield tmp


def input_files(inputs: Iterable[str | Path]) -> list[Path]:
    """The files an input list stands for (folders: the ledger files inside them, without the
    workbooks carrying the toolkit's mark, which the loader skips too; a CSV cannot carry the
    mark, so one named like an output still counts as an input and is never replaced)."""
    out: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            out.extend(
                f for f in p.rglob("*") if f.suffix.lower() in LEDGER_SUFFIXES and not has_mark(f)
            )
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


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes (hex), as the archive records each imported ledger."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _not_a_plain_file(p: Path) -> str | None:
    """What ``p`` is when it exists and is not a regular file (or a link to one), else None."""
    try:
        mode = p.stat().st_mode
    except OSError:
        return None  # does not exist (or a dangling link, which a rename replaces)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "文件夹"
    if stat.S_ISFIFO(mode):
        return "命名管道 (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    return "特殊文件"


def _refuse_special(p: Path) -> None:
    kind = _not_a_plain_file(p)
    if kind == "文件夹":
        raise OutputError(
            f"输出文件 {p} 是一个文件夹，请写出文件名 / output {p} is a folder, give a file name"
        )
    if kind is not None:
        raise OutputError(
            f"输出文件 {p} 是{kind}，不是普通文件，不能写入或替换 / output {p} is not a "
            "regular file (device, FIFO ...): refusing to replace it"
        )


def check_outputs(
    targets: Iterable[str | Path],
    *,
    inputs: Iterable[str | Path] = (),
    protected_hashes: Iterable[str] = (),
) -> None:
    """Raise OutputError unless every target file can be written without harm.

    Refused: a target that is a folder, a device node, a FIFO or another special file; one of
    the ``inputs`` (files, or the ledgers in folders); an existing workbook or document that
    was not written by the toolkit (:func:`written_by_toolkit`: a workbook or document without
    its mark, a CSV not recorded in the folder's manifest: a ledger, a report someone wrote); an
    existing file whose bytes hash to one
    of ``protected_hashes`` (the SHA-256 of the ledgers an archive imported); a target inside
    a file or in a folder that cannot be written.
    """
    sources = input_files(inputs)
    hashes = set(protected_hashes)
    for t in targets:
        p = Path(t)
        _refuse_special(p)
        for s in sources:
            if _same(p, s):
                raise OutputError(
                    f"输出文件 {p} 就是输入台账 {s}，不能覆盖原始台账 / output {p} is an input "
                    "ledger: refusing to overwrite it"
                )
        if hashes and p.is_file():
            try:
                same = file_sha256(p) in hashes
            except OSError:
                same = False
            if same:
                raise OutputError(
                    f"输出文件 {p} 是归档导入过的台账，不能覆盖原始台账 / output {p} is a "
                    "ledger the archive imported: refusing to overwrite it"
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
        refuse_foreign(p)
        if not _writable(p.parent):
            raise OutputError(
                f"文件夹 {p.parent} 不能写入（只读或无权限）/ folder {p.parent} is not writable"
            )
