"""Charts with Chinese labels: a CJK font, a seaborn theme that keeps it, and ready charts.

Nothing here changes global state on import. ``setup_chinese_font()`` registers an openly
licensed CJK font (Noto Sans CJK from the ``noto-cjk-sans-otc`` package, else one found on the
system by file name) and, only when called, sets matplotlib's rcParams. Every chart helper also
applies the font itself (``font_rc()`` in an ``rc_context`` and explicit font families on the text),
so charts stay readable after a user calls ``sns.set_theme()``, which resets fonts.

Each chart helper takes a cases DataFrame (canonical columns; enriched by
``analysis.enrich`` where the chart needs derived columns) and returns a
``matplotlib.figure.Figure`` that is not registered with pyplot: no ``plt.show``, no figure
left open. Show it in a notebook with ``display(fig)`` or save it with ``fig.savefig``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._base.fonts import find_system_font as _find_system_font  # noqa: F401 (doctor, tests)
from ._base.fonts import font_rc
from ._base.fonts import register_font as _register_font
from .analysis import to_day
from .analysis._charts import (  # the chart tables (and their column check): plots only draws
    backlog_ageing,
    category_counts,
    count_by_month,
    escalation_counts,
    on_time_by_month,
    require_columns,
    year_over_year,
)
from .schema import label

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not with the module
    from matplotlib.figure import Figure

__all__ = [
    "setup_chinese_font",
    "show_inline",
    "font_rc",
    "theme",
    "to_png",
    "month_labels",
    "plot_counts",
    "plot_cases_by_period",
    "plot_by_category",
    "plot_by_locality",
    "plot_escalation",
    "plot_on_time_rate",
    "plot_backlog_ageing",
    "plot_backlog_trend",
]
# the chart tables (year_over_year, escalation_counts, on_time_by_month, backlog_ageing) live in
# analysis._charts beside the figure registry; plots imports them to draw them, so that
# ``plots.year_over_year`` and the like still resolve (the age buckets: ``analysis.AGE_BINS``)

#: colours: one calm palette used by every chart (colour-blind safe, from seaborn "colorblind")
_BLUE, _ORANGE, _GREEN, _RED, _GREY = "#0173b2", "#de8f05", "#029e73", "#d55e00", "#949494"


# --- fonts: one registration for the package (``_base.fonts``) --------------------------------
def setup_chinese_font() -> str:
    """Register the CJK font and make it matplotlib's default; return the font family name.

    Changes ``matplotlib.rcParams`` (font.family, font.sans-serif, axes.unicode_minus) only
    when called. Call it again after ``sns.set_theme()``, or use :func:`theme` instead.
    """
    import matplotlib as mpl

    family = _register_font()
    mpl.rcParams.update(font_rc(family))
    show_inline()
    return family


def show_inline(*, dpi: int = 100) -> bool:
    """In a notebook (an IPython kernel), show a chart as a picture, not as its text
    ``<Figure size 600x340 with 1 Axes>``: registers a PNG (drawn with the CJK font) for
    matplotlib figures with the running shell's display formatter. Outside IPython nothing
    happens (returns False). Called by :func:`setup_chinese_font` and by every chart helper, so
    a notebook needs no ``%matplotlib inline`` of its own."""
    import sys

    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython
    from matplotlib.figure import Figure

    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    png = shell.display_formatter.formatters["image/png"]
    png.for_type(Figure, lambda fig: to_png(fig, dpi=dpi))
    return True


def theme(**kwargs) -> str:
    """``seaborn.set_theme(**kwargs)`` that keeps the Chinese font; returns the font family.

    Extra ``rc`` entries in ``kwargs`` are kept (the font settings win for the font keys).
    """
    import seaborn as sns

    family = _register_font()
    rc = dict(kwargs.pop("rc", None) or {})
    rc.update(font_rc(family))
    kwargs.setdefault("style", "whitegrid")
    sns.set_theme(font=family, rc=rc, **kwargs)
    return family


def to_png(fig: Figure, *, dpi: int = 80) -> bytes:
    """The figure as PNG bytes (for ``ipywidgets.Image`` or a report), drawn with the CJK font."""
    buf = io.BytesIO()
    with _rc():
        fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()


# --- helpers ----------------------------------------------------------------------------------
def _rc():
    """``matplotlib.rc_context`` with the CJK font settings (see :func:`font_rc`)."""
    import matplotlib as mpl

    return mpl.rc_context(font_rc())


def _new_figure(figsize: tuple[float, float]) -> tuple[Figure, object]:
    from matplotlib.figure import Figure

    show_inline()
    fig = Figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    return fig, ax


def month_labels(keys: Sequence[object], *, most: int = 12) -> list[str]:
    """Axis labels of months ("2026-03" or a date): "3月", with the year under the first month
    and under each January ("1月\n2026年"); with more than ``most`` months only every few are
    labelled (the others ""), so labels never collide and years are never cut."""
    stamps = [pd.Timestamp(str(k)[:7] + "-01") if len(str(k)) >= 7 else None for k in keys]
    step = max(1, -(-len(stamps) // most))
    out, year = [], None
    for i, t in enumerate(stamps):
        if t is None:
            out.append(str(keys[i]))
            continue
        new_year = t.year != year
        year = t.year
        text = f"{t.month}月" + (f"\n{t.year}年" if new_year or t.month == 1 else "")
        out.append(text if i % step == 0 or (new_year and i) else "")
    return out


def _style_axes(ax, *, title: str, xlabel: str = "", ylabel: str = "") -> None:
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", alpha=0.3)


def _empty_note(ax) -> None:
    ax.text(0.5, 0.5, "无数据", ha="center", va="center", transform=ax.transAxes, color=_GREY)


def _barh(
    counts: pd.Series, *, title: str, xlabel: str, top: int, figsize: tuple[float, float]
) -> Figure:
    with _rc():
        fig, ax = _new_figure(figsize)
        counts = counts.head(top).iloc[::-1]
        if counts.empty:
            _empty_note(ax)
        else:
            bars = ax.barh(counts.index.astype(str), counts.to_numpy(), color=_BLUE)
            ax.bar_label(bars, fmt="%.0f", fontsize=8)
        _style_axes(ax, title=title, xlabel=xlabel)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", alpha=0.3)
    return fig


# --- charts -----------------------------------------------------------------------------------
def plot_counts(
    counts: pd.Series,
    *,
    title: str,
    xlabel: str = "件数(批次)",
    horizontal: bool = True,
    top: int = 15,
    figsize: tuple[float, float] = (6, 4),
) -> Figure:
    """A bar chart of counts already computed (index = labels), e.g. by the FilterPanel.

    Horizontal bars show the ``top`` largest first; vertical bars keep the index order (months).
    """
    if horizontal:
        return _barh(counts, title=title, xlabel=xlabel, top=top, figsize=figsize)
    with _rc():
        fig, ax = _new_figure(figsize)
        if counts.empty:
            _empty_note(ax)
        else:
            x = np.arange(len(counts))
            bars = ax.bar(x, counts.to_numpy(), color=_BLUE)
            if len(counts) <= 24:
                ax.bar_label(bars, fmt="%.0f", fontsize=8)
            keys = [str(v) for v in counts.index]
            if all(len(k) == 7 and k[4] == "-" and k[:4].isdigit() for k in keys):
                ax.set_xticks(x, month_labels(keys))  # months: "3月", the year under January
            else:
                step = max(1, -(-len(counts) // 12))
                ax.set_xticks(x[::step], keys[::step], rotation=45)
        _style_axes(ax, title=title, ylabel=xlabel)
    return fig


def plot_cases_by_period(
    cases: pd.DataFrame,
    *,
    year: int | None = None,
    date_column: str = "received_date",
    compare_previous_year: bool = True,
    title: str | None = None,
    figsize: tuple[float, float] = (8, 3.6),
) -> Figure:
    """Cases (批次) per month of ``year`` (default: the latest year in the data), with the same
    months of the previous year beside them for 同比 (the table is :func:`year_over_year`)."""
    require_columns(cases, [date_column], "按月信访量图")
    dates = pd.to_datetime(cases[date_column], errors="coerce").dropna()
    with _rc():
        fig, ax = _new_figure(figsize)
        if dates.empty:
            _empty_note(ax)
            _style_axes(ax, title=title or "各月信访量")
            return fig
        table = year_over_year(count_by_month(dates), year=year)
        year = int(table.columns[-1][:4])
        months = np.arange(1, 13)
        this = table.iloc[:, 1].to_numpy()
        width = 0.4 if compare_previous_year else 0.7
        if compare_previous_year:
            prev = table.iloc[:, 0].to_numpy()
            ax.bar(months - width / 2, prev, width, color=_GREY, label=f"{year - 1}年")
            bars = ax.bar(months + width / 2, this, width, color=_BLUE, label=f"{year}年")
            ax.legend(frameon=False)
        else:
            bars = ax.bar(months, this, width, color=_BLUE, label=f"{year}年")
        ax.bar_label(bars, labels=[str(v) if v else "" for v in this], fontsize=8)
        ax.set_xticks(months, list(table.index))
        default = f"{year}年各月信访量" + ("(同比)" if compare_previous_year else "")
        _style_axes(ax, title=title or default, ylabel="件数(批次)")
    return fig


def plot_by_category(
    cases: pd.DataFrame,
    *,
    column: str = "category",
    top: int = 15,
    weights: str | None = None,
    title: str | None = None,
    figsize: tuple[float, float] = (6, 4),
) -> Figure:
    """Cases per content category, largest first (``weights="person_count"`` counts 人次)."""
    require_columns(cases, [column] + ([weights] if weights else []), "分类统计图")
    unit = "人次" if weights else "件数(批次)"
    return _barh(
        category_counts(cases, column, weights=weights),
        title=title or f"按{label(column)}统计",
        xlabel=unit,
        top=top,
        figsize=figsize,
    )


def plot_by_locality(
    cases: pd.DataFrame,
    *,
    column: str = "locality",
    top: int = 15,
    weights: str | None = None,
    title: str | None = None,
    figsize: tuple[float, float] = (6, 4),
) -> Figure:
    """Cases per locality (问题属地), largest first."""
    return plot_by_category(
        cases,
        column=column,
        top=top,
        weights=weights,
        title=title or "按问题属地统计",
        figsize=figsize,
    )


def plot_escalation(
    cases: pd.DataFrame,
    *,
    title: str | None = None,
    figsize: tuple[float, float] = (6, 3.6),
) -> Figure:
    """批次 and 人次 per visit level (乡镇 … 进京), in level order (:func:`escalation_counts`)."""
    table = escalation_counts(cases)
    x = np.arange(len(table))
    with _rc():
        fig, ax = _new_figure(figsize)
        b1 = ax.bar(x - 0.2, table["批次"].to_numpy(), 0.4, color=_BLUE, label="批次")
        b2 = ax.bar(x + 0.2, table["人次"].to_numpy(), 0.4, color=_ORANGE, label="人次")
        ax.bar_label(b1, fontsize=8)
        ax.bar_label(b2, labels=[f"{v:.0f}" for v in table["人次"].to_numpy()], fontsize=8)
        ax.set_xticks(x, list(table.index))
        ax.legend(frameon=False)
        _style_axes(ax, title=title or "信访去向(批次/人次)")
    return fig


def plot_on_time_rate(
    cases: pd.DataFrame,
    *,
    title: str | None = None,
    figsize: tuple[float, float] = (8, 3.6),
) -> Figure:
    """按期办结率 per month of closing (:func:`on_time_by_month`)."""
    table = on_time_by_month(cases)
    with _rc():
        fig, ax = _new_figure(figsize)
        if table.empty:
            _empty_note(ax)
        else:
            rate, n = table["rate"], table["n"]
            x = np.arange(len(rate))
            ax.plot(x, rate.to_numpy() * 100, marker="o", color=_GREEN)
            if len(rate) <= 12:  # label each point only while they fit
                for xi, r, k in zip(x, rate.to_numpy(), n.to_numpy(), strict=True):
                    ax.annotate(f"{r:.0%}", (xi, r * 100), textcoords="offset points",
                                xytext=(0, 6), ha="center", fontsize=8)  # fmt: skip
                    ax.annotate(f"{k}件", (xi, 0), textcoords="offset points", xytext=(0, 4),
                                ha="center", fontsize=7, color=_GREY)  # fmt: skip
            else:  # too many points to label each: the first, the last and the best/worst
                for xi in {0, len(rate) - 1, int(np.argmax(rate)), int(np.argmin(rate))}:
                    r = rate.to_numpy()[xi]
                    ax.annotate(f"{r:.0%}", (xi, r * 100), textcoords="offset points",
                                xytext=(0, 6), ha="center", fontsize=8)  # fmt: skip
            ax.set_xticks(x, month_labels(list(rate.index)))
            ax.set_ylim(0, 110)
            ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0f}%")
        _style_axes(ax, title=title or "按期办结率(按办结月份)", ylabel="按期办结率(%)")
    return fig


def plot_backlog_ageing(
    cases: pd.DataFrame,
    *,
    today: str | pd.Timestamp | None = None,
    title: str | None = None,
    figsize: tuple[float, float] = (6, 3.6),
) -> Figure:
    """Open cases (not closed) by age since received, split into overdue and not yet overdue
    (the table is :func:`backlog_ageing`)."""
    table = backlog_ageing(cases, today=today)
    today = to_day(today, default_today=True)
    names = list(table.index)
    fine, late = table["未超期"].to_numpy(), table["已超期"].to_numpy()
    with _rc():
        fig, ax = _new_figure(figsize)
        ax.bar(names, fine, color=_BLUE, label="未超期")
        bars = ax.bar(names, late, bottom=fine, color=_RED, label="已超期")
        ax.bar_label(bars, labels=[str(v) if v else "" for v in fine + late], fontsize=8)
        ax.legend(frameon=False)
        _style_axes(ax, title=title or f"未办结件账龄(截至{today:%Y-%m-%d})", ylabel="件数")
    return fig


def plot_backlog_trend(
    trend: pd.DataFrame,
    *,
    title: str = "积案数量变化(月末)",
    figsize: tuple[float, float] = (6, 3.4),
) -> Figure:
    """积案 and open cases at each month end, from ``CaseArchive.backlog_trend()``
    (columns ``month_end``, ``backlog``, ``open``)."""
    require_columns(trend, ["month_end", "backlog", "open"], "积案趋势图")
    keys = [f"{pd.Timestamp(d):%Y-%m}" for d in trend["month_end"]]
    names = np.arange(len(keys))
    with _rc():
        fig, ax = _new_figure(figsize)
        if trend.empty:
            _empty_note(ax)
        else:
            ax.plot(names, trend["open"].to_numpy(), color=_GREY, marker="o", label="未办结")
            ax.plot(names, trend["backlog"].to_numpy(), color=_RED, marker="o", label="积案")
            ax.set_xticks(names, month_labels(keys))
            for x, y in zip(names, trend["backlog"].to_numpy(), strict=True):
                ax.annotate(
                    str(int(y)),
                    (x, y),
                    textcoords="offset points",
                    xytext=(0, 5),
                    ha="center",
                    fontsize=8,
                )
            ax.legend(frameon=False)
            ax.set_ylim(bottom=0)
        _style_axes(ax, title=title, xlabel="月末", ylabel="件数")
    return fig
