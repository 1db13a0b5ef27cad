"""The analysis steps return new frames: the input is never changed (they rely on pandas 3
copy-on-write and take shallow copies), not even when the result is edited in place."""

import pandas as pd
import pytest

from xinfang_toolkit.analysis import (
    classify_categories,
    compute_deadlines,
    enrich,
    flag_backlog,
    link_repeats,
)
from xinfang_toolkit.synth import generate_cases

TODAY = "2026-11-20"


@pytest.mark.parametrize(
    "step",
    [
        classify_categories,
        lambda df: compute_deadlines(df, today=TODAY),
        link_repeats,
        lambda df: flag_backlog(df, today=TODAY),
        lambda df: enrich(df, today=TODAY),
    ],
    ids=["classify_categories", "compute_deadlines", "link_repeats", "flag_backlog", "enrich"],
)
def test_step_leaves_input_alone(step):
    df = generate_cases(300, seed=3)
    before = df.copy(deep=True)
    out = step(df)
    pd.testing.assert_frame_equal(df, before)
    # editing the result in place (existing columns, every dtype) does not reach the input
    out.loc[out.index[:50], "summary"] = "改过"
    out.iloc[:50, out.columns.get_loc("received_date")] = pd.Timestamp("2000-01-01")
    out.loc[out.index[:50], "person_count"] = 99
    out["locality"] = out["locality"].str.upper()
    pd.testing.assert_frame_equal(df, before)
