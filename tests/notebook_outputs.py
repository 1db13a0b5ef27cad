"""Checks on the outputs of an executed notebook: what an analyst reads there.

Used by tests/test_notebooks.py after a notebook ran top to bottom: every table reads as the
display layer writes it (Chinese headers, no programmer formats), and a chart shows as a
picture, never as its text ``<Figure size 600x340 with 1 Axes>``.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

#: values a table for an analyst must not show
PROGRAMMER_VALUES = frozenset(
    {"<NA>", "NaN", "nan", "NaT", "None", "True", "False", "given", "rule", "model", "none"}
)
#: 517.0 (a whole number written as a float), 0.936819 (more than two decimals)
_FLOAT_FORMS = re.compile(r"^-?\d+\.0$|^-?\d*\.\d{3,}$")
#: an English identifier as a column header (on_time, category_source ...)
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: a chart shown as its text
FIGURE_REPR = re.compile(r"<(?:matplotlib\.figure\.)?Figure size \d+x\d+ with \d+ Axes>")


class _Table(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.cells: list[str] = []
        self._kind: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("th", "td"):
            self._kind, self._text = tag, []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._kind == tag:
            text = unescape("".join(self._text)).strip()
            (self.headers if tag == "th" else self.cells).append(text)
            self._kind = None

    def handle_data(self, data):
        if self._kind:
            self._text.append(data)


def table_problems(html: str) -> list[str]:
    """The programmer formats in the pandas tables of ``html`` (empty when it reads well)."""
    problems = []
    for table in re.findall(r"<table.*?</table>", html, flags=re.S):
        parser = _Table()
        parser.feed(table)
        for h in parser.headers:
            if h and _IDENTIFIER.match(h):
                problems.append(f"英文列名 {h!r}")
        for v in parser.headers + parser.cells:
            if v in PROGRAMMER_VALUES or _FLOAT_FORMS.match(v):
                problems.append(f"程序格式 {v!r}")
    return problems


def output_problems(nb, *, tables: bool = True) -> list[str]:
    """Every problem in the outputs of an executed notebook, with its cell number."""
    problems = []
    code = [c for c in nb.cells if c.cell_type == "code"]
    for i, cell in enumerate(code, start=1):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            plain = data.get("text/plain", "")
            if isinstance(plain, list):
                plain = "".join(plain)
            if FIGURE_REPR.search(plain) and "image/png" not in data:
                problems.append(f"代码格 {i}：图表显示成了文字 {plain.strip()[:60]}")
            html = data.get("text/html", "")
            if isinstance(html, list):
                html = "".join(html)
            if tables and "<table" in html:
                found = table_problems(html)
                if found:
                    shown = "、".join(sorted(set(found))[:8])
                    problems.append(f"代码格 {i}：表格 {shown}")
    return problems
