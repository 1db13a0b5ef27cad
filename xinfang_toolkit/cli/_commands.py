"""The commands ``load``, ``report``, ``classify`` and ``doctor``: each takes the parsed
arguments and returns the exit code. The package's rooms load when a command runs."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .._atomic import OutputError, atomic_outputs, check_outputs
from ._common import EXIT_DATA_PROBLEMS, EXIT_OK, load_ledgers, say

if TYPE_CHECKING:  # pandas and the package's parts load only when a command runs
    import pandas as pd

__all__ = [
    "CLASSIFY_OUTPUTS",
    "LOAD_OUTPUTS",
    "cmd_classify",
    "cmd_doctor",
    "cmd_load",
    "cmd_report",
]

#: the files the commands write (stem = sheet name), the names notebook 01 uses for its sheets
LOAD_OUTPUTS: tuple[str, ...] = ("案件清单", "问题清单", "排除清单", "表头对照")
CLASSIFY_OUTPUTS: tuple[str, ...] = ("分类结果", "分类统计")


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
    from ..report import export_tables

    with atomic_outputs(targets) as temps:
        for (sheet, frame), tmp in zip(frames.items(), temps, strict=True):
            export_tables({sheet: frame}, tmp, mask=mask, pseudonymize=pseudonymize, names=names)
    return list(targets)


def _write_frames(args: argparse.Namespace, frames: dict, targets: list[Path], cases) -> None:
    """The frames written masked (or pseudonymised, or in full with --no-mask); says where."""
    from ..privacy import known_names

    mask = not args.no_mask
    names = known_names(cases) if mask or args.pseudonymize else ()
    paths = _write_outputs(frames, targets, mask=mask, pseudonymize=args.pseudonymize, names=names)
    for path in paths:
        say(f"已写出 / written: {path}")


def cmd_load(args: argparse.Namespace) -> int:
    from ..load import mapping_table

    targets = _targets(args.out, LOAD_OUTPUTS, args.format)
    check_outputs(targets, inputs=args.files)  # before any work: nothing written on refusal
    result = load_ledgers(args)
    frames = dict(
        zip(
            LOAD_OUTPUTS,
            (result.cases, result.issues, result.excluded, mapping_table(result.columns)),
            strict=True,
        )
    )  # 表头对照: how every header was read
    _write_frames(args, frames, targets, result.cases)
    say(result.summary())
    return EXIT_DATA_PROBLEMS if len(result.issues) else EXIT_OK


def _default_period(cases: pd.DataFrame, start, end) -> tuple[object, object]:
    """Without --from/--to: the data's own months (first day of its first month to the last day
    of its last month), not January to today."""
    from ..analysis import data_period

    months = data_period(cases["received_date"])
    if months is None:
        raise ValueError("台账中没有登记日期,请用 --from/--to 指定统计期 / no dates in the data")
    return (months[0] if start is None else start), (months[1] if end is None else end)


def _summarize(args: argparse.Namespace, cases: pd.DataFrame):
    """The period's statistics (report.summarize) as the arguments ask."""
    from ..report import summarize

    if args.no_classify:  # count the ledger's own category names (summarize maps nothing)
        cases = cases.assign(category_pred=cases["category"])
    start, end = _default_period(cases, args.start, args.end)
    return summarize(
        cases,
        start=start,
        end=end,
        compare=args.compare,
        group_threshold=args.group_threshold,
        today=args.today,
        period_cutoff_day=args.cutoff_day,
    )


def _write_report(args: argparse.Namespace, summary, text: str, targets: list[Path]) -> None:
    """The Word file (and the Excel file with --xlsx), renamed together when both are done."""
    from ..report import export_docx, export_xlsx

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


def cmd_report(args: argparse.Namespace) -> int:
    from ..report import draft_report

    targets = [args.out] + ([args.xlsx] if args.xlsx else [])
    if args.xlsx and Path(args.xlsx).resolve() == Path(args.out).resolve():
        raise OutputError(f"Word 和 Excel 输出是同一个文件 {args.out} / --xlsx equals -o")
    check_outputs(targets, inputs=args.files)
    result = load_ledgers(args)
    summary = _summarize(args, result.cases)
    text = draft_report(
        summary,
        template=args.template,
        mask=not args.no_mask,
        profile=args.profile,
        scheme=args.scheme,
    )
    _write_report(args, summary, text, targets)
    for path in targets:
        say(f"已写出 / written: {path}")
    say(summary.title)
    say(text)
    if len(result.issues):
        say(
            f"注意:读取台账时有 {len(result.issues)} 处需要核对,"
            "可用 `xinfang load` 写出问题清单 / data problems: run `xinfang load` for the list",
            err=True,
        )
        return EXIT_DATA_PROBLEMS
    return EXIT_OK


def cmd_classify(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..classify import classify
    from ..schema import TEXT_DTYPE

    targets = _targets(args.out, CLASSIFY_OUTPUTS, "xlsx")
    check_outputs(targets, inputs=args.files)
    result = load_ledgers(args)
    done = classify(result.cases)
    review = int(done["needs_review"].fillna(False).astype(bool).sum())
    counts = done["category_pred"].astype(TEXT_DTYPE).fillna("未分类").value_counts()
    table = pd.DataFrame({"内容分类": counts.index.astype(str), "件数": counts.to_numpy()})
    _write_frames(args, dict(zip(CLASSIFY_OUTPUTS, (done, table), strict=True)), targets, done)
    say(f"共 {len(done)} 件,需要人工复核 {review} 件 / {review} cases need review.")
    return EXIT_DATA_PROBLEMS if len(result.issues) else EXIT_OK


def cmd_doctor(args: argparse.Namespace) -> int:
    from ..doctor import main as doctor

    return doctor()
