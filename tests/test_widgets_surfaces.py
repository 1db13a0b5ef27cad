"""What an analyst sees: the review card with empty fields, the month chart's labels, preview."""

from __future__ import annotations

import re
from datetime import datetime

import pandas as pd

from xinfang_toolkit.classify import classify
from xinfang_toolkit.schema import conform_cases
from xinfang_toolkit.widgets import FilterPanel, ReviewQueue, preview
from xinfang_toolkit.widgets._charts import month_label


def test_review_card_keeps_one_row_per_field_when_fields_are_empty(tmp_path):
    cases = classify(
        pd.DataFrame(
            {
                "case_id": ["C1", None],
                "received_date": [None, "2026-03-01"],
                "category": [None, None],
                "summary": ["化工厂偷排污水,河里死鱼", "那个事一直没人管"],
            }
        )
    )
    queue = ReviewQueue(cases, labels_path=tmp_path / "l.csv", clock=lambda: datetime(2026, 1, 1))
    for _ in range(2):
        card = queue.case_html.value
        rows = re.findall(r"<tr><th>([^<]*)</th><td>([^<]*)</td></tr>", card)
        labels = [k for k, _ in rows]
        assert {"信访件编号", "登记日期", "原分类", "建议分类", "置信度", "分类依据"} <= set(labels)
        assert all(v for _, v in rows)  # an empty field shows "—", never an empty cell
        assert ("登记日期", "—") in rows or ("登记日期", "2026-03-01") in rows
        assert "<dd>" not in card
        queue.next_button.click()


def test_month_labels_are_short_and_carry_the_year_at_january():
    keys = ["2025-11", "2025-12", "2026-01", "2026-02"]
    got = [month_label(k, keys[i - 1] if i else None) for i, k in enumerate(keys)]
    assert got == ["11月<br>2025年", "12月", "1月<br>2026年", "2月"]
    assert month_label("<b>") == "&lt;b&gt;"


def test_month_chart_shows_every_month_in_a_flexible_row():
    dates = pd.date_range("2024-11-01", periods=24, freq="MS")
    cases = conform_cases(pd.DataFrame({"case_id": [f"C{i}" for i in range(24)],
                                        "received_date": dates}))  # fmt: skip
    panel = FilterPanel(cases, charts=True)
    html = panel.chart_html[1].value
    labels = re.findall(r'class="xf-vbar" data-label="([^"]*)"', html)
    assert labels == [f"{d:%Y-%m}" for d in dates]  # the last months are there
    axis = re.findall(r'<div class="xf-vlabel">([^<]*)', html)
    assert axis[-1] == "10月" and axis[0] == "11月" and all(len(a) <= 3 for a in axis)
    assert "width: 26px" not in panel.controls.children[0].value  # bars shrink to fit


def test_preview_shows_useful_columns_masked_with_chinese_headers():
    cases = conform_cases(
        pd.DataFrame(
            {
                "case_id": ["A1", "A2"],
                "received_date": ["2026-01-02", "2026-01-03"],
                "petitioner": ["张三明", "李四"],
                "id_number": ["410122199001011234", None],
                "summary": ["张三明反映工资拖欠,电话13812345678", "反映低保"],
            }
        )
    )
    out = preview(cases)
    assert list(out.columns) == ["信访件编号", "登记日期", "信访人", "反映问题"]
    assert out.iloc[0].tolist()[:2] == ["A1", "2026-01-02"]
    text = out.to_string()
    assert "张三明" not in text and "13812345678" not in text and "410122" not in text
    assert len(cases.columns) > 20 and len(out.columns) == 4
