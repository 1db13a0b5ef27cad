"""Masking on 1,000,000 cases: mask_pii (every column, free text, known names), known_names.

Every summary is made distinct (a phone number and a neighbour's name appended), so the
masking cannot profit from repeated texts. Baseline measured in the same run: one pandas
``.str.replace`` of a single 18-digit pattern over the summary column, the least any masking
of free text must do.

    .venv/bin/python benchmarks/bench_privacy.py [--rows 1000000]
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from _timing import Timer

from xinfang_toolkit import synth
from xinfang_toolkit.privacy import known_names, mask_pii


def make_cases(rows: int, *, seed: int = 0) -> pd.DataFrame:
    base = synth.generate_cases(n=min(rows, 20_000), seed=seed)
    rng = np.random.default_rng(seed)
    out = base.iloc[rng.integers(0, len(base), rows)].reset_index(drop=True)
    names = out["petitioner"].astype("string").fillna("").to_numpy()
    neighbour = names[rng.permutation(rows)]
    phones = rng.integers(13_000_000_000, 19_999_999_999, rows).astype(str)
    summary = out["summary"].astype("string").fillna("").to_numpy()
    out["summary"] = pd.array(
        [f"{s}，邻居{n}作证，电话{p}" for s, n, p in zip(summary, neighbour, phones, strict=True)],
        dtype="string",
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    cases = make_cases(args.rows)
    print(f"{len(cases):,} cases, {cases['summary'].nunique():,} distinct summaries")
    with Timer() as base:
        cases["summary"].str.replace(r"(?<!\d)\d{17}[\dXx](?!\d)", "*", regex=True)
    print(f"baseline: one .str.replace over summary: {base.wall:.1f} s wall, {base.cpu:.1f} s CPU")
    with Timer() as names_t:
        names = known_names(cases)
    print(f"known_names: {len(names):,} names, {names_t.wall:.1f} s wall, {names_t.cpu:.1f} s CPU")
    with Timer() as mask_t:
        masked = mask_pii(cases, names=names)
    print(f"mask_pii: {mask_t.wall:.1f} s wall, {mask_t.cpu:.1f} s CPU")
    print(
        f"ratio to baseline (CPU): known_names + mask_pii = {(names_t.cpu + mask_t.cpu) / base.cpu:.1f}x"
    )
    assert len(masked) == len(cases)


if __name__ == "__main__":
    main()
