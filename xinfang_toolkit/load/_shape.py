"""The layout of a sheet without a header row (a CSV saved without one): no header text to key
a layout profile on, so it is keyed on its shape, the number of columns and what each holds
(the most common kind of its value profile: 日期时间, 长文字, 编号, 电话 ...).

A shape found again on a later file (same number of columns, and the columns holding the same
kinds, allowing a few to differ: a column of short texts one month and of long ones the next)
gets the mapping saved for it, column by column (列A, 列B ...)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ._values import Profile

#: the start of the key of a layout without a header row
SHAPE = "无表头"
#: kinds that are one kind for recognising a shape again
_SAME_KIND = {"date": "datetime", "text": "longtext"}
#: share of the columns (filled in both) whose kinds must agree
_AGREE = 0.8


def shape_key(columns: int, kinds: Sequence[str]) -> str:
    """``无表头:9:code|datetime|...`` (an empty kind: a column with nothing in its sample)."""
    return f"{SHAPE}:{columns}:" + "|".join(kinds)


def sheet_shape(profiles: Mapping[int, Profile], width: int) -> str:
    """The shape key of a sheet from the value profiles of its columns."""
    return shape_key(width, [profiles[j].top()[0] if j in profiles else "" for j in range(width)])


def shape_parts(key: str) -> tuple[int, list[str]] | None:
    """``(columns, kinds)`` of a shape key, None for a header-row key."""
    head, _, rest = key.partition(":")
    if head != SHAPE:
        return None
    count, _, kinds = rest.partition(":")
    return int(count), kinds.split("|")


def find_shape(profiles: Mapping[str, Mapping[str, str | None]], key: str):
    """The mapping saved for the shape ``key`` (the best agreeing one of the same width), else
    None."""
    wanted = shape_parts(key)
    if wanted is None:
        return None
    best, best_share = None, _AGREE
    for saved, entries in profiles.items():
        parts = shape_parts(saved)
        if parts is None or parts[0] != wanted[0]:
            continue
        pairs = [
            (_SAME_KIND.get(a, a), _SAME_KIND.get(b, b))
            for a, b in zip(parts[1], wanted[1], strict=False)
            if a and b
        ]
        share = sum(a == b for a, b in pairs) / len(pairs) if len(pairs) >= 2 else 0.0
        if share >= best_share:
            best, best_share = entries, share
    return best


def column_names(width: int) -> dict[int, str]:
    """The names of the columns of a sheet without a header row: 列A, 列B ..."""
    from ._grid import column_letter

    return {j: f"列{column_letter(j)}" for j in range(width)}
