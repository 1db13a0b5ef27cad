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
_WHOLE_FLOAT = re.compile(r"^-?\d+\.0$")
_MANY_DECIMALS = re.compile(r"^-?\d*\.\d{3,}$")
#: an English identifier as a column header (on_time, category_source ...)
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: a chart shown as its text
FIGURE_REPR = re.compile(r"<(?:matplotlib\.figure\.)?Figure size \d+x\d+ with \d+ Axes>")


class _Table(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self._kind: str | None = None
        self._text: list[str] = []
        self._row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        if tag in ("th", "td"):
            self._kind, self._text = tag, []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._kind == tag:
            text = unescape("".join(self._text)).strip()
            if tag == "th":
                self.headers.append(text)
            elif self._row is not None:
                self._row.append(text)
            self._kind = None
        if tag == "tr" and self._row:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._kind:
            self._text.append(data)


def table_problems(html: str) -> list[str]:
    """The programmer formats in the pandas tables of ``html`` (empty when it reads well).

    A whole number written as a float (517.0) is one only where its whole column is written
    so: in a column of scores with one decimal, 85.0 beside 93.8 is the column's precision."""
    problems = []
    for table in re.findall(r"<table.*?</table>", html, flags=re.S):
        parser = _Table()
        parser.feed(table)
        for h in parser.headers:
            if h and _IDENTIFIER.match(h):
                problems.append(f"英文列名 {h!r}")
            if h in PROGRAMMER_VALUES:
                problems.append(f"程序格式 {h!r}")
        width = max((len(r) for r in parser.rows), default=0)
        for c in range(width):
            column = [r[c] for r in parser.rows if c < len(r)]
            decimals = [v for v in column if re.match(r"^-?\d+\.\d+$", v)]
            all_whole = bool(decimals) and all(re.match(r"^-?\d+\.0$", v) for v in decimals)
            for v in column:
                if v in PROGRAMMER_VALUES or _MANY_DECIMALS.match(v):
                    problems.append(f"程序格式 {v!r}")
                elif all_whole and _WHOLE_FLOAT.match(v):
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


def printed_text(nb) -> str:
    """Everything the notebook's cells printed (stream outputs), joined."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stdout":
                text = out.get("text", "")
                parts.append("".join(text) if isinstance(text, list) else text)
    return "".join(parts)


def stated_figures(nb, labels: dict[str, str]) -> dict[str, int]:
    """The registry figures a notebook printed as ``标签：数`` lines (``labels``: key -> the
    figure's label), by key."""
    found = {}
    for line in printed_text(nb).splitlines():
        label, sep, value = line.partition("：")
        for key, name in labels.items():
            if sep and label.strip() == name and value.strip().isdigit():
                found[key] = int(value.strip())
    return found


#: how a printed figure may read: a whole number, a percentage (93.7%) or — for none
_FIGURE_TEXT = re.compile(r"\d+|\d+(?:\.\d+)?%|—")


def unformatted_figures(nb, labels: dict[str, str]) -> list[str]:
    """The ``标签：值`` lines of registry figures whose value is printed raw (``0.9368``,
    ``1100.0``, ``<NA>``) instead of as a whole number, a percentage or —."""
    names = set(labels.values())
    bad = []
    for line in printed_text(nb).splitlines():
        label, sep, value = line.partition("：")
        if sep and label.strip() in names and not _FIGURE_TEXT.fullmatch(value.strip()):
            bad.append(line)
    return bad
