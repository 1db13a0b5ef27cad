"""python -m xinfang_toolkit.synth [folder] [seed]: regenerate the sample data folder
(and its monthly ledgers in folder/月度台账)."""

from __future__ import annotations

import sys
from pathlib import Path

from ._monthly import MONTHLY_FOLDER, write_monthly_ledgers
from ._sample import make_sample_data


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = args[0] if args else "sample_data"
    seed = int(args[1]) if len(args) > 1 else 2026
    for path in make_sample_data(folder, seed=seed):
        print(path)
    for path in write_monthly_ledgers(Path(folder) / MONTHLY_FOLDER, seed=seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
