"""Cell text never runs: markup planted in every text column and in the search box is shown
escaped in every widget's HTML (FilterPanel, CaseBrowser, Dashboard, ReviewQueue, ReportPanel).

Each widget is built on cases whose every text cell carries ``<img src=x onerror=...>``,
``<script>`` or an attribute breaker ``"><svg onload=...>``; then every HTML value, tooltip and
label in the widget tree is scanned. The widgets' own HTML never uses img/script/svg tags, so
any such tag in the output came from the data unescaped.
"""

from __future__ import annotations

import ipywidgets as w
import numpy as np
import pandas as pd
import pytest

from xinfang_toolkit.schema import CASE_COLUMNS, TEXT_COLUMNS, conform_cases
from xinfang_toolkit.widgets import CaseBrowser, Dashboard, FilterPanel, ReviewQueue
from xinfang_toolkit.widgets._charts import html_bars, html_columns
from xinfang_toolkit.widgets._html import escape, text

PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    '"><svg onload=alert(3)>',
    "'><img src=y onerror=alert(4)>",
)
#: tags that only planted text could bring into the HTML
FORBIDDEN = ("<img", "<script", "<svg")


def _planted(n: int = 24) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    frame = {}
    for j, col in enumerate(TEXT_COLUMNS):
        frame[col] = [f"{col}{i % 3}{PAYLOADS[(i + j) % len(PAYLOADS)]}" for i in range(n)]
    frame["category"] = [f"城建{PAYLOADS[i % 2]}" for i in range(n)]
    frame["locality"] = [f"东城镇{PAYLOADS[2 + i % 2]}" for i in range(n)]
    frame["received_date"] = pd.Timestamp("2026-01-05") + pd.to_timedelta(
        rng.integers(0, 300, n), unit="D"
    )
    frame["closed_date"] = [
        d + pd.Timedelta(days=20) if i % 2 else pd.NaT for i, d in enumerate(frame["received_date"])
    ]
    frame["person_count"] = rng.choice([1, 2, 7], n)
    out = conform_cases(pd.DataFrame(frame))
    # the same petitioner on several visits, so chains have several rows
    out["petitioner"] = pd.array([f"王{PAYLOADS[i % 4]}" for i in range(n)], dtype="string")
    return out


def _walk(widget) -> list:
    found = [widget]
    for child in getattr(widget, "children", ()) or ():
        found.extend(_walk(child))
    return found


def _html_of(widget) -> list[str]:
    """Every piece of a widget tree the browser renders as HTML."""
    parts = []
    for node in _walk(widget):
        if isinstance(node, (w.HTML, w.HTMLMath)):
            parts.append(node.value)
        if getattr(node, "description_allow_html", False):
            parts.append(node.description)
        if isinstance(node, w.Tab):
            parts.extend(node.titles)
    return parts


def _assert_inert(widget, where: str) -> None:
    for part in _html_of(widget):
        low = part.lower()
        for tag in FORBIDDEN:
            assert tag not in low, f"{where}: unescaped {tag} in {part[:300]}"


def _assert_options_are_text(widget, where: str) -> list[str]:
    """Option lists are drawn as text (option.textContent) by Select/SelectMultiple/Dropdown:
    planted markup shows as the characters typed, never as HTML."""
    labels = []
    for node in _walk(widget):
        if hasattr(node, "options") and node.options:
            assert isinstance(node, (w.Select, w.SelectMultiple, w.Dropdown)), where
            assert not node.description_allow_html, where
            labels.extend(str(lab) for lab, *_ in (_pair(o) for o in node.options))
    return labels


def _pair(option) -> tuple:
    return option if isinstance(option, tuple) else (option,)


def test_helpers_escape_text_and_attributes():
    assert escape('<a href="x">') == "&lt;a href=&quot;x&quot;&gt;"
    assert escape("it's") == "it&#x27;s"
    assert text(pd.NA) == "" and text(None) == ""
    assert text("<b>长长的文字</b>", width=5) == "&lt;b&gt;长…"
    bars = html_bars(pd.Series({PAYLOADS[2]: 3}), title=PAYLOADS[0])
    cols = html_columns(pd.DataFrame({PAYLOADS[1]: [1, 2]}, index=[PAYLOADS[3], "x"]), title="t")
    for html in (bars, cols):
        assert not any(tag in html.lower() for tag in FORBIDDEN)


def test_filter_panel_escapes_data_and_search_text():
    cases = _planted()
    panel = FilterPanel(cases, charts=True)
    labels = _assert_options_are_text(panel.widget, "FilterPanel")
    assert any(PAYLOADS[0] in lab for lab in labels)  # shown as typed, as text
    panel.category.value = (panel.category.options[0][1],)
    panel.locality.value = (panel.locality.options[0][1],)
    panel.search.value = "<img src=x onerror=alert(9)>"
    assert "&lt;img src=x onerror=alert(9)&gt;" in panel.count_html.value
    _assert_inert(panel.widget, "FilterPanel (search)")
    panel.search.value = ""
    assert panel.count > 0
    _assert_inert(panel.widget, "FilterPanel")


def test_case_browser_cards_and_chain_table_are_escaped():
    cases = _planted()
    cases["chain_id"] = pd.array([f"K{i % 4}" for i in range(len(cases))], dtype="string")
    browser = CaseBrowser(cases, page_size=10)
    _assert_options_are_text(browser.widget, "CaseBrowser")
    for position in range(len(cases)):
        browser.case.value = position if position < 10 else browser.case.value
        browser._select(position)
        assert len(browser.chain) > 1
        _assert_inert(browser.widget, f"CaseBrowser case {position}")
    browser.next_button.click()
    _assert_inert(browser.widget, "CaseBrowser page 2")


def test_dashboard_cards_labels_and_charts_are_escaped():
    board = Dashboard(_planted(), today="2026-11-20")
    _assert_inert(board.widget, "Dashboard")
    _assert_options_are_text(board.widget, "Dashboard")
    # the dashboard classifies: planted category names survive as 原分类, localities as typed
    board.panel.locality.value = (board.panel.locality.options[-1][1],)
    board.panel.search.value = '"><svg onload=alert(5)>'
    _assert_inert(board.widget, "Dashboard filtered")
    board.panel.search.value = ""
    assert any("onerror" in html for html in _html_of(board.widget))  # the text is shown


def test_dashboard_title_is_escaped():
    board = Dashboard(_planted(), today="2026-11-20", title=PAYLOADS[0], charts=False)
    _assert_inert(board.widget, "Dashboard title")


def test_review_queue_cards_and_options_are_escaped(tmp_path):
    cases = _planted()
    cases["category_pred"] = pd.array([f"预测{PAYLOADS[i % 4]}" for i in range(len(cases))])
    cases["category_confidence"] = np.linspace(0.1, 0.9, len(cases))
    cases["category_evidence"] = pd.array([PAYLOADS[(i + 1) % 4] for i in range(len(cases))])
    cases["category_level2"] = pd.array([PAYLOADS[(i + 2) % 4] for i in range(len(cases))])
    cases["needs_review"] = [i % 2 == 0 for i in range(len(cases))]
    cases["category_machine"] = pd.array([PAYLOADS[(i + 3) % 4] for i in range(len(cases))])
    queue = ReviewQueue(cases, labels_path=tmp_path / "labels.csv")
    labels = _assert_options_are_text(queue.widget, "ReviewQueue")
    assert any("<img" in lab for lab in labels)  # an unknown predicted class, as text
    for _ in range(len(cases)):
        _assert_inert(queue.widget, f"ReviewQueue case {queue.position}")
        queue.accept()
    _assert_inert(queue.widget, "ReviewQueue end")


@pytest.mark.parametrize("column", [c for c in CASE_COLUMNS if c in TEXT_COLUMNS])
def test_every_text_column_is_planted(column):
    assert _planted()[column].str.contains("<").all()
