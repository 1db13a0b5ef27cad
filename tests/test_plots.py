"""Charts with Chinese labels: font set-up, survival after sns.set_theme, and the plotted values."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

from xinfang_toolkit import plots
from xinfang_toolkit.schema import conform_cases


def _cases() -> pd.DataFrame:
    """12 hand-made cases carrying the columns analysis.enrich would add."""
    rows = [
        # received,   category, locality, level, persons, closed,   on_time, overdue_days
        ("2025-03-02", "城乡建设", "东城镇", "乡镇", 1, "2025-04-01", True, 0),
        ("2025-03-09", "城乡建设", "东城镇", "县区", 2, "2025-06-20", False, 20),
        ("2025-07-01", "民政", "西河乡", "市", 6, "2025-07-30", True, 0),
        ("2026-01-05", "城乡建设", "东城镇", "乡镇", 1, "2026-02-01", True, 0),
        ("2026-01-20", "民政", "西河乡", "省", 1, "2026-02-15", True, 0),
        ("2026-03-03", "农村农业", "南山村", "国家", 3, "2026-06-30", False, 59),
        ("2026-03-15", "城乡建设", "东城镇", "乡镇", 1, None, None, 190),
        ("2026-07-10", "民政", "东城镇", "县区", 8, None, None, 0),
        ("2026-09-01", "城乡建设", "西河乡", "乡镇", 1, None, None, 0),
        ("2026-10-25", "城乡建设", "南山村", "市", 1, None, None, 0),
        ("2026-11-01", "政法", "东城镇", "乡镇", 1, "2026-11-10", True, 0),
        ("2026-11-02", "城乡建设", "东城镇", "乡镇", 1, None, None, 0),
    ]
    df = pd.DataFrame(
        rows,
        columns=[
            "received_date",
            "category",
            "locality",
            "visit_level",
            "person_count",
            "closed_date",
            "on_time",
            "overdue_days",
        ],
    )
    df["case_id"] = [f"C{i:03d}" for i in range(len(df))]
    df["channel"] = "来访"
    out = conform_cases(df)
    out["status"] = np.where(out["closed_date"].notna(), "已办结", "办理中")
    out["on_time"] = out["on_time"].astype("boolean")
    return out


TODAY = "2026-11-20"


@pytest.fixture
def restore_rc():
    with mpl.rc_context():
        yield


def _render(fig: Figure) -> bytes:
    png = plots.to_png(fig)
    assert png.startswith(b"\x89PNG")
    return png


def _font_file(text) -> str:
    return font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)


def test_setup_chinese_font_registers_noto_sc_and_sets_rc(restore_rc):
    family = plots.setup_chinese_font()
    assert family == "Noto Sans CJK SC"
    assert mpl.rcParams["font.family"][0] == family
    assert mpl.rcParams["font.sans-serif"][0] == family
    assert mpl.rcParams["axes.unicode_minus"] is False
    path = font_manager.findfont(font_manager.FontProperties(family=family))
    assert Path(path).name.lower().startswith("notosanscjk")


def test_importing_changes_no_global_state():
    code = (
        "import matplotlib as mpl; before = dict(mpl.rcParams);"
        "import xinfang_toolkit, xinfang_toolkit.plots, xinfang_toolkit.widgets;"
        "changed = [k for k, v in mpl.rcParams.items() if before[k] != v];"
        "assert not changed, changed"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_chinese_labels_render_without_missing_glyph_warnings(restore_rc):
    # pytest turns warnings into errors: a missing glyph ("Glyph ... missing from font") fails
    fig = plots.plot_by_category(_cases(), title="按内容分类统计(批次)-测试")
    _render(fig)
    ax = fig.axes[0]
    assert Path(_font_file(ax.title)).name.startswith("NotoSansCJK")
    assert Path(_font_file(ax.get_yticklabels()[0])).name.startswith("NotoSansCJK")


def test_without_the_font_matplotlib_warns(restore_rc):
    """The check above can fail: the default font has no Chinese glyphs."""
    with mpl.rc_context({"font.family": ["DejaVu Sans"]}):
        fig = Figure()
        fig.add_subplot().set_title("信访")
        with pytest.warns(UserWarning, match="missing from font"):
            fig.savefig(plots.io.BytesIO(), format="png")


def test_charts_survive_seaborn_set_theme(restore_rc):
    import seaborn as sns

    plots.setup_chinese_font()
    sns.set_theme()  # resets font.sans-serif to seaborn's defaults
    assert "Noto Sans CJK SC" not in mpl.rcParams["font.sans-serif"]
    fig = plots.plot_escalation(_cases())
    _render(fig)  # warnings are errors
    assert Path(_font_file(fig.axes[0].title)).name.startswith("NotoSansCJK")


def test_theme_keeps_font_and_extra_rc(restore_rc):
    family = plots.theme(rc={"axes.titlesize": 17})
    assert family == "Noto Sans CJK SC"
    assert mpl.rcParams["font.sans-serif"][0] == family
    assert mpl.rcParams["axes.titlesize"] == 17
    fig = Figure()
    fig.add_subplot().set_title("信访件数")
    fig.savefig(plots.io.BytesIO(), format="png")  # no glyph warning


def _bar_heights(ax) -> list[float]:
    return [p.get_height() for p in ax.patches]


def test_cases_by_period_with_previous_year():
    fig = plots.plot_cases_by_period(_cases())
    ax = fig.axes[0]
    _render(fig)
    heights = _bar_heights(ax)
    prev, this = heights[:12], heights[12:]
    # 2025: March 2, July 1; 2026: Jan 2, Mar 2, Jul 1, Sep 1, Oct 1, Nov 2
    assert prev == [0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    assert this == [2, 0, 2, 0, 0, 0, 1, 0, 1, 1, 2, 0]
    assert "2026" in ax.get_title() and "同比" in ax.get_title()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["2025年", "2026年"]


def test_cases_by_period_for_a_given_year_without_comparison():
    fig = plots.plot_cases_by_period(_cases(), year=2025, compare_previous_year=False)
    assert _bar_heights(fig.axes[0]) == [0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0]


def test_by_category_counts_largest_first():
    fig = plots.plot_by_category(_cases())
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    widths = [p.get_width() for p in ax.patches]
    # barh draws bottom-up: the largest is the last one
    assert dict(zip(labels, widths, strict=True)) == {
        "城乡建设": 7,
        "民政": 3,
        "农村农业": 1,
        "政法": 1,
    }
    assert labels[-1] == "城乡建设"


def test_by_locality_in_person_counts():
    fig = plots.plot_by_locality(_cases(), weights="person_count", top=2)
    ax = fig.axes[0]
    got = {
        t.get_text(): p.get_width() for t, p in zip(ax.get_yticklabels(), ax.patches, strict=True)
    }
    # 东城镇: 1+2+1+1+8+1+1 = 15; 西河乡: 6+1+1 = 8; 南山村: 3+1 = 4 (cut by top=2)
    assert got == {"东城镇": 15, "西河乡": 8}
    assert ax.get_xlabel() == "人次"


def test_escalation_batches_and_persons_in_level_order():
    fig = plots.plot_escalation(_cases())
    ax = fig.axes[0]
    heights = _bar_heights(ax)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["乡镇", "到县", "到市", "赴省", "进京"]
    assert heights[:5] == [6, 2, 2, 1, 1]  # 批次
    assert heights[5:] == [6, 10, 7, 1, 3]  # 人次


def test_on_time_rate_per_closing_month():
    fig = plots.plot_on_time_rate(_cases())
    ax = fig.axes[0]
    line = ax.get_lines()[0]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["4月\n2025年", "6月", "7月", "2月\n2026年", "6月", "11月"]
    np.testing.assert_allclose(line.get_ydata(), [100, 0, 100, 100, 0, 100])


def test_backlog_ageing_buckets_open_cases():
    fig = plots.plot_backlog_ageing(_cases(), today=TODAY)
    ax = fig.axes[0]
    heights = _bar_heights(ax)
    fine, late = heights[:6], heights[6:]
    # open cases, age on 2026-11-20: 250 (overdue), 133, 80, 26, 18 days
    assert fine == [2, 0, 1, 1, 0, 0]
    assert late == [0, 0, 0, 0, 1, 0]
    assert "2026-11-20" in ax.get_title()


def test_missing_columns_give_a_chinese_message():
    with pytest.raises(KeyError, match="analysis.enrich"):
        plots.plot_on_time_rate(_cases().drop(columns=["on_time"]))


def test_empty_frame_draws_a_note():
    empty = _cases().iloc[0:0]
    for fig in (plots.plot_cases_by_period(empty), plots.plot_by_category(empty)):
        _render(fig)
        assert "无数据" in [t.get_text() for t in fig.axes[0].texts]


def test_plot_counts_horizontal_and_vertical():
    counts = pd.Series({"2026-01": 3, "2026-02": 0, "2026-03": 5})
    fig = plots.plot_counts(counts, title="按月", horizontal=False)
    ax = fig.axes[0]
    assert _bar_heights(ax) == [3, 0, 5]  # index order kept
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1月\n2026年", "2月", "3月"]
    fig = plots.plot_counts(counts.sort_values(ascending=False), title="最多", top=2)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["2026-01", "2026-03"]
    assert [p.get_width() for p in ax.patches] == [3, 5]
    _render(fig)


def test_system_font_fallback_is_open_licensed_only(monkeypatch):
    found = [
        "C:/Windows/Fonts/msyh.ttc",  # proprietary: never used
        "C:/Windows/Fonts/simhei.ttf",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    ]
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda: found)
    assert plots._find_system_font() == Path(found[3])  # Noto first, then WenQuanYi
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda: found[:3])
    assert plots._find_system_font() == Path(found[2])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda: found[:2])
    assert plots._find_system_font() is None


def test_chart_tables_are_public_and_match_the_charts():
    cases = _cases()
    months = plots.year_over_year(pd.Series({"2025-03": 2, "2026-01": 2, "2026-11": 2}))
    assert list(months.columns) == ["2025年", "2026年"] and list(months.index)[0] == "1月"
    assert months.loc["3月", "2025年"] == 2 and months.loc["11月", "2026年"] == 2
    rate = plots.on_time_by_month(cases)
    assert list(rate.index) == ["2025-04", "2025-06", "2025-07", "2026-02", "2026-06", "2026-11"]
    assert rate["rate"].tolist() == [1, 0, 1, 1, 0, 1] and rate.loc["2026-02", "n"] == 2
    assert plots.escalation_counts(cases)["批次"].tolist() == [6, 2, 2, 1, 1]
    ageing = plots.backlog_ageing(cases, today=TODAY)
    assert ageing["未超期"].tolist() == [2, 0, 1, 1, 0, 0]
    assert ageing["已超期"].tolist() == [0, 0, 0, 0, 1, 0]
    assert plots.on_time_by_month(cases.iloc[0:0]).empty


def test_the_chart_tables_count_the_registry_rows():
    """信访去向 counts visits (来访批次) as the report does: a letter goes to no level; the
    on-time chart counts the rows of 按期办结率, so a case closed after the day is not in it."""
    from xinfang_toolkit.analysis import figure_values

    cases = _cases()
    cases.loc[0, "channel"] = "来信"  # a letter to the 乡镇 level: no 批
    cases.loc[5, "channel"] = "网上信访"  # an online petition "to 国家": no 进京
    table = plots.escalation_counts(cases)
    assert table["批次"].tolist() == [5, 2, 2, 1, 0]
    values = figure_values(cases, as_of=TODAY)
    assert int(table["批次"].sum()) == values["visits"]
    assert int(table["人次"].sum()) == values["visit_persons"]
    rate = plots.on_time_by_month(cases, as_of="2026-06-30")  # 2026-11 not yet closed
    assert "2026-11" not in rate.index
    assert int(rate["n"].sum()) == 6
    assert plots.on_time_by_month is __import__("xinfang_toolkit").analysis.on_time_by_month


def test_plots_and_widgets_import_without_matplotlib():
    # matplotlib is imported when a chart is drawn: blocked, the imports still work
    code = (
        "import sys; sys.modules['matplotlib'] = None;"
        "import xinfang_toolkit.plots, xinfang_toolkit.widgets"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_backlog_ageing_counts_a_case_closed_after_the_day_as_open():
    from xinfang_toolkit.plots import backlog_ageing

    cases = pd.DataFrame(
        {
            "received_date": pd.to_datetime(["2026-10-01", "2026-10-01", "2026-10-01"]),
            "closed_date": pd.to_datetime([None, "2026-11-10", "2026-10-05"]),
            "overdue_days": [0, 0, 0],
        }
    )
    table = backlog_ageing(cases, today="2026-10-31")
    assert int(table.to_numpy().sum()) == 2  # still open on 10-31: the one closed on 11-10 too


def test_backlog_ageing_counts_the_cases_analysis_counts_open():
    from xinfang_toolkit.analysis import open_at
    from xinfang_toolkit.plots import backlog_ageing

    cases = pd.DataFrame(
        {
            "received_date": pd.to_datetime(["2026-10-01", "2026-11-05", "2026-10-01"]),
            "closed_date": pd.to_datetime([None, None, None]),
            "closed_flag": [False, False, True],  # the last: 已办结 without a date
            "overdue_days": [0, 0, 0],
        }
    )
    table = backlog_ageing(cases, today="2026-10-31")
    expected = int(open_at(cases, pd.Timestamp("2026-10-31")).sum())
    assert int(table.to_numpy().sum()) == expected == 1


def test_a_chart_shows_as_a_picture_in_a_notebook():
    """In an IPython shell a chart helper's figure is shown as PNG, not as
    ``<Figure size 600x340 with 1 Axes>`` (no %matplotlib inline needed in the notebook)."""
    from IPython.core.interactiveshell import InteractiveShell

    assert plots.show_inline() is False or InteractiveShell.initialized()
    shell = InteractiveShell.instance()
    try:
        png = shell.display_formatter.formatters["image/png"]
        png.type_printers.pop(Figure, None)
        before, _ = shell.display_formatter.format(Figure())
        assert "image/png" not in before  # the trap: a bare Figure shows as text
        trend = pd.DataFrame(
            {"month_end": pd.to_datetime(["2026-08-31", "2026-09-30"]), "backlog": [3, 2],
             "open": [5, 4]}
        )  # fmt: skip
        fig = plots.plot_backlog_trend(trend)
        data, _ = shell.display_formatter.format(fig)
        assert data["image/png"][:4] == b"\x89PNG"
    finally:
        InteractiveShell.clear_instance()


def test_month_labels_never_collide_nor_cut_the_year():
    keys = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)]
    labels = plots.month_labels(keys)
    shown = [lab for lab in labels if lab]
    assert len(shown) <= 13  # at most 12, plus the new year
    assert labels[0] == "1月\n2025年" and labels[12] == "1月\n2026年"
    assert all("202" not in lab or lab.endswith("年") for lab in labels)
    fig = plots.plot_backlog_trend(
        pd.DataFrame(
            {
                "month_end": pd.date_range("2025-01-31", periods=24, freq="ME"),
                "backlog": range(24),
                "open": range(24),
            }
        )  # fmt: skip
    )
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert sum(bool(t) for t in ticks) <= 13 and "1月\n2026年" in ticks
