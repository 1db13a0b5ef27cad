"""python -m xinfang_toolkit.synth [folder] [--seed N]: regenerate the sample data folder
(and its monthly ledgers in folder/月度台账)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._monthly import MONTHLY_FOLDER, write_monthly_ledgers
from ._sample import make_sample_data


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m xinfang_toolkit.synth",
        description="生成合成的样例台账（没有任何真实人员）/ write synthetic sample ledgers "
        "(no real person in them).",
    )
    parser.add_argument(
        "folder",
        nargs="?",
        default="sample_data",
        help="写入的文件夹 / output folder (default: sample_data)",
    )
    parser.add_argument(
        "seed_pos", nargs="?", type=int, default=None, metavar="SEED", help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--seed", type=int, default=None, help="随机种子 / random seed (default 2026)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or bad arguments (2)
        return int(exc.code or 0)
    seed = args.seed if args.seed is not None else args.seed_pos
    seed = 2026 if seed is None else seed
    for path in make_sample_data(args.folder, seed=seed):
        print(path)
    for path in write_monthly_ledgers(Path(args.folder) / MONTHLY_FOLDER, seed=seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
