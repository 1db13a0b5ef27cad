"""Bar charts in HTML/CSS, drawn by the browser: instant, any font, any width.

A matplotlib PNG costs 0.3 to 0.6 s per chart on a small machine; these cost a millisecond, so
the dashboard can redraw all of them on every filter change. Every bar carries ``data-label``,
``data-value`` (and ``data-series`` in :func:`html_columns`) for tests and scripts, and a
``title`` tooltip with its exact figure. Every label goes through :mod:`._html` (escaped).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from ._html import escape

__all__ = ["html_bars", "html_columns", "month_label"]

#: series colours (seaborn "colorblind", as in plots)
COLOURS: tuple[str, ...] = ("#0173b2", "#de8f05", "#029e73", "#d55e00", "#949494")


def _no_data(head: str) -> str:
    return f'<div class="xf-bars">{head}<p class="xf-muted">无数据</p></div>'


def _int(value: float) -> str:
    return f"{int(round(float(value))):,}"


def _num(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.4f}"


def month_label(key: object, previous: object = None) -> str:
    """The axis label of a month "2026-03": "3月", with the year on a second line at the first
    month and at each January ("3月<br>2026年"); other keys are shown as they are (escaped)."""
    key = str(key)
    if len(key) == 7 and key[4] == "-" and key[:4].isdigit() and key[5:].isdigit():
        year, month = key[:4], int(key[5:])
        new_year = previous is None or str(previous)[:4] != year
        return f"{month}月" + (f"<br>{year}年" if new_year else "")
    return escape(key)


def html_bars(counts: pd.Series, *, title: str, top: int = 10, vertical: bool = False) -> str:
    """A bar chart of one series of counts.

    Horizontal bars show the ``top`` largest values; vertical bars keep the index order (months,
    labelled "3月" with the year at January, see :func:`month_label`).
    """
    if vertical:
        return html_columns(counts.to_frame(name=""), title=title, legend=False)
    head = f'<div class="xf-bars-title">{escape(title)}</div>'
    counts = counts[counts > 0].sort_values(ascending=False, kind="stable").head(top)
    if counts.empty:
        return _no_data(head)
    peak = float(counts.max())
    items = []
    for name, value in counts.items():
        share = 100.0 * float(value) / peak
        items.append(
            f'<div class="xf-hbar" data-label="{escape(name)}" data-value="{int(value)}"'
            f' title="{escape(name)}:{_int(value)}"><span class="xf-hbar-label">'
            f"{escape(name)}</span>"
            f'<span class="xf-hbar-track"><span class="xf-hbar-fill" '
            f'style="width:{share:.1f}%"></span></span>'
            f'<span class="xf-hbar-n">{_int(value)}</span></div>'
        )
    return f'<div class="xf-bars">{head}<div class="xf-hbars">{"".join(items)}</div></div>'


def html_columns(
    frame: pd.DataFrame,
    *,
    title: str,
    stacked: bool = False,
    legend: bool = True,
    fmt: Callable[[float], str] = _int,
    peak: float | None = None,
    labels: Sequence[str] | None = None,
) -> str:
    """Vertical bars: one group per row of ``frame`` (its index the axis labels), one bar per
    column (a series, coloured, named in the legend), or the columns stacked in one bar.

    ``fmt`` writes a value ("1,234", or a rate as "85%"); ``peak`` fixes the top of the scale
    (e.g. 1.0 for rates); ``labels`` replace the axis labels (already HTML; escape them).
    Values above the bars are shown while there are at most 12 groups; every bar keeps its
    figure in its tooltip.
    """
    head = f'<div class="xf-bars-title">{escape(title)}</div>'
    values = frame.apply(pd.to_numeric, errors="coerce").fillna(0.0)
    totals = values.sum(axis=1) if stacked else values.max(axis=1)
    top = float(peak if peak is not None else (totals.max() if len(totals) else 0.0))
    if values.empty or top <= 0:
        return _no_data(head)
    if legend and len(values.columns) > 1:
        keys = "".join(
            f'<i style="background:{COLOURS[i % len(COLOURS)]}"></i>{escape(c)}'
            for i, c in enumerate(values.columns)
        )
        head += f'<div class="xf-legend">{keys}</div>'
    show_n = len(values) <= 12
    if labels is None:
        keys = [str(k) for k in values.index]
        labels = [month_label(k, keys[i - 1] if i else None) for i, k in enumerate(keys)]
        # more than 12 groups: every few labels, counted from the latest month, and each year
        # where it starts (on its own line, never cut to "202")
        step, last = -(-len(keys) // 12), len(keys) - 1
        labels = [
            lab if (last - i) % step == 0 or "<br>" in lab else "" for i, lab in enumerate(labels)
        ]
    groups = []
    for (name, row), axis_label in zip(values.iterrows(), labels, strict=True):
        bars = []
        parts = list(row.items())
        if stacked:
            fills = "".join(
                f'<div class="xf-vbar-fill" data-series="{escape(s)}" data-value="{_num(v)}" '
                f'style="height:{100.0 * v / top:.1f}%;background:{COLOURS[i % len(COLOURS)]}">'
                "</div>"
                for i, (s, v) in reversed(list(enumerate(parts)))
            )
            total = float(row.sum())
            tip = ";".join(f"{s}:{fmt(v)}" for s, v in parts)
            n = f'<span class="xf-vbar-n">{fmt(total)}</span>' if show_n and total else ""
            bars.append(
                f'<div class="xf-vbar" data-label="{escape(name)}" data-value="{_num(total)}"'
                f' title="{escape(name)} {escape(tip)}">{n}{fills}</div>'
            )
        else:
            for i, (series, v) in enumerate(parts):
                n = f'<span class="xf-vbar-n">{fmt(v)}</span>' if show_n and v else ""
                colour = COLOURS[i % len(COLOURS)]
                tip = f"{name} {series}:{fmt(v)}" if series else f"{name}:{fmt(v)}"
                bars.append(
                    f'<div class="xf-vbar" data-label="{escape(name)}" data-value="{_num(v)}"'
                    f' data-series="{escape(series)}" title="{escape(tip)}">{n}'
                    f'<div class="xf-vbar-fill" style="height:{100.0 * v / top:.1f}%;'
                    f'background:{colour}"></div></div>'
                )
        groups.append(
            f'<div class="xf-vgroup"><div class="xf-vplot">{"".join(bars)}</div>'
            f'<div class="xf-vlabel">{axis_label}</div></div>'
        )
    return f'<div class="xf-bars">{head}<div class="xf-vbars">{"".join(groups)}</div></div>'
