"""draft_report(): Chinese report paragraphs from a Summary, through editable Jinja2 templates.

The templates live in ``xinfang_toolkit/data/templates`` (report.j2 includes one file per
section). Every number in the text comes from ``Summary.numbers``; a missing name is an error
(StrictUndefined), never an empty string.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .. import privacy
from .._datafile import read_text
from ..analysis import VISIT_CHANNEL
from ..schema import CHANNELS, UNCLASSIFIED, VISIT_LEVEL_REPORT_NAMES
from ._summary import LEVELS_HIGH_FIRST, NOT_FILLED, Summary

__all__ = ["TEMPLATE_DIR", "TemplateError", "draft_report"]

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "data" / "templates"
OTHER = "其他"
_NUMERALS = "一二三四五六七八九十"
#: figures compared in the 同比/环比 paragraph: key, label, unit ("" for a rate)
_CHANGES: tuple[tuple[str, str, str], ...] = (
    ("cases", "信访总量", "件"),
    ("persons", "信访群众", "人次"),
    ("visits", "来访", "批"),
    ("visit_persons", "来访群众", "人次"),
    ("group.batches", "集体访", "批"),
    ("level.国家.batches", "进京访", "批"),
    ("level.省.batches", "赴省访", "批"),
    ("repeat.cases", "重复信访", "件"),
    ("on_time_rate", "按期办结率", ""),
    ("overdue", "超期未办结", "件"),
    ("backlog.end", "期末积案", "件"),
)
#: at most this many problems (categories) in the 主要问题 paragraph, and units named
TOP_PROBLEMS = 5
#: categories named one by one in the 基本情况 paragraph (the rest are summed)
TOP_CATEGORIES = 8
TOP_UNITS = 5


def zh_list(items: Iterable[object], *, last: str = "和", sep: str = "、") -> str:
    """["甲", "乙", "丙"] -> "甲、乙和丙"; one item alone; ``last=sep`` for a plain list."""
    parts = [str(x) for x in items]
    if len(parts) <= 1:
        return "".join(parts)
    return sep.join(parts[:-1]) + last + parts[-1]


def fmt_num(value: float | int) -> str:
    """15.0 -> "15", 15.5 -> "15.5" (at most one decimal)."""
    v = round(float(value), 1)
    return str(int(v)) if v == int(v) else f"{v:.1f}"


def fmt_pct(value: float) -> str:
    """0.8 -> "80%", 2/3 -> "66.7%"."""
    return fmt_num(float(value) * 100) + "%"


def fmt_points(value: float) -> str:
    """A change of two rates in percentage points: 0.125 -> "12.5"."""
    return fmt_num(float(value) * 100)


def _level_phrase(level: str) -> str:
    word = VISIT_LEVEL_REPORT_NAMES.get(level, level)
    return word if word[:1] in ("进", "赴", "到") else "到" + word


def _context(summary: Summary) -> dict[str, object]:
    n = summary.numbers
    channels = []
    for ch in CHANNELS:
        k = n.get(f"channel.{ch}", 0)
        if not k:
            continue
        if ch == VISIT_CHANNEL:
            phrase = f"来访{k}批{n[f'channel_persons.{ch}']}人次"
        else:
            phrase = f"{ch}{k}件"
        channels.append({"name": ch, "cases": k, "phrase": phrase})
    categories = []
    for key, value in n.items():
        if key.startswith("category.") and value:
            name = key.removeprefix("category.")
            categories.append(
                {
                    "name": name,
                    "cases": value,
                    "share": value / n["cases"],
                    "phrase": f"{name}{value}件",
                }
            )
    # largest first; 其他 and 未分类 last, as reports write them
    categories.sort(key=lambda c: (c["name"] == UNCLASSIFIED, c["name"] == OTHER, -c["cases"]))
    problems = [c for c in categories if c["name"] not in (UNCLASSIFIED, NOT_FILLED)]
    listed = categories
    if len(categories) > TOP_CATEGORIES:
        # a long list reads badly: name the largest, then one phrase for the rest
        known = [c for c in categories if c["name"] != UNCLASSIFIED]
        unknown = [c for c in categories if c["name"] == UNCLASSIFIED]
        head = sorted(known, key=lambda c: -c["cases"])[: TOP_CATEGORIES - 1]
        rest = [c for c in known if c not in head]
        rest_n = sum(c["cases"] for c in rest)
        other = {
            "name": "其余",
            "cases": rest_n,
            "share": rest_n / n["cases"],
            "phrase": f"其余{len(rest)}类{rest_n}件",
        }
        listed = [c for c in known if c in head] + [other] + unknown
    levels = []
    for lv in LEVELS_HIGH_FIRST:
        b = n.get(f"level.{lv}.batches", 0)
        if b:
            p = n[f"level.{lv}.persons"]
            levels.append(
                {
                    "level": lv,
                    "batches": b,
                    "persons": p,
                    "phrase": f"{_level_phrase(lv)}{b}批{p}人次",
                }
            )
    satisfaction = [
        {"name": v, "cases": n[f"satisfaction.{v}"], "phrase": f"{v}{n[f'satisfaction.{v}']}件"}
        for v in ("满意", "基本满意", "不满意")
        if n.get(f"satisfaction.{v}", 0)
    ]
    units = []
    top = summary.tables.get("信访量较多的单位")
    if top is not None:
        for name, k in zip(top.iloc[:, 0], top["件数"], strict=True):
            units.append({"name": name, "cases": int(k), "phrase": f"{name}（{int(k)}件）"})
    changes = []
    if summary.previous is not None:
        for key, label, unit in _CHANGES:
            now, before = n.get(key), n.get(f"previous.{key}")
            if now is None or before is None or (now == 0 and before == 0):
                continue
            changes.append(
                {
                    "key": key,
                    "label": label,
                    "unit": unit,
                    "now": now,
                    "before": before,
                    "change": n[f"change.{key}"],
                    "rate": n[f"change_rate.{key}"],
                    "is_rate": key.endswith("_rate"),
                }
            )
    counter = iter(_NUMERALS)

    def section(title: str) -> str:
        return f"{next(counter, '')}、{title}"

    return {
        "s": summary,
        "n": n,
        "period": summary.period_text,
        "as_of": summary.as_of_text,
        "channels": channels,
        "categories": listed,
        "all_categories": categories,
        "problems": problems[:TOP_PROBLEMS],
        "levels": levels,
        "satisfaction": satisfaction,
        "units": units[:TOP_UNITS],
        "changes": changes,
        "compare_name": summary.compare_name or "",
        "previous_name": summary.previous_name or "",
        "notes": list(summary.notes),
        "section": section,
    }


class TemplateError(ValueError):
    """A report template that cannot be used: bad syntax, an unknown variable, or an attempt
    to reach Python internals (templates run in Jinja2's sandbox)."""


def _template_line(exc: BaseException, folder: Path) -> tuple[str | None, int | None]:
    """The template file and line where rendering failed (Jinja2 puts them in the traceback)."""
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    roots = (str(folder), str(TEMPLATE_DIR))
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or filename.startswith(roots):
            found = (Path(filename).name, tb.tb_lineno)
        tb = tb.tb_next
    return found


class _TemplateFiles(jinja2.FileSystemLoader):
    """Templates from folders, read in UTF-8 or GBK (a copy saved by Notepad on Chinese
    Windows) through the one reader of editable data files."""

    def get_source(self, environment: jinja2.Environment, template: str):  # type: ignore[override]
        pieces = split_template_path(template)
        for folder in self.searchpath:
            path = Path(folder, *pieces)
            if path.is_file():
                text = read_text(path, name=f"报告模板 {path.name}")
                mtime = path.stat().st_mtime

                def fresh(path: Path = path, mtime: float = mtime) -> bool:
                    try:
                        return path.stat().st_mtime == mtime
                    except OSError:
                        return False

                return text, str(path), fresh
        raise jinja2.TemplateNotFound(template)


def _environment(folder: Path) -> jinja2.Environment:
    # a template is data an analyst may get from anywhere: it runs in the sandbox, which
    # refuses attributes such as __class__ / __globals__ and never changes Python objects
    env = ImmutableSandboxedEnvironment(
        loader=_TemplateFiles([str(folder), str(TEMPLATE_DIR)]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["zh_list"] = zh_list
    env.filters["num"] = fmt_num
    env.filters["pct"] = fmt_pct
    env.filters["points"] = fmt_points
    return env


def draft_report(summary: Summary, *, template: str | Path | None = None, mask: bool = True) -> str:
    """The drafted text of a work report, one paragraph per line.

    Lines such as "一、基本情况" are section headings. ``template`` is the path of a Jinja2
    template to use instead of the packaged ``report.j2``; it may include the packaged section
    templates (basic.j2, escalation.j2, handling.j2, backlog.j2, problems.j2, compare.j2) or
    copies of them kept next to it. Templates run in Jinja2's sandbox: one that reaches for
    Python internals raises ``TemplateError`` naming its line. With ``mask`` (default) the text
    is masked like every other output (numbers, names of the persons the cases know).
    """
    if not isinstance(summary, Summary):
        raise TypeError("draft_report 需要 summarize(...) 的结果 (a Summary)")
    if template is None:
        path = TEMPLATE_DIR / "report.j2"
    else:
        path = Path(template)
        if not path.is_file():
            raise FileNotFoundError(f"找不到报告模板：{path} (template file not found)")
    env = _environment(path.parent)
    try:
        text = env.get_template(path.name).render(_context(summary))
    except SecurityError as exc:
        name, line = _template_line(exc, path.parent)
        name = name or path.name
        raise TemplateError(
            f"报告模板 {name} 第{line or '?'}行试图访问 Python 内部对象，已拒绝（{exc}）/ "
            f"template {name} line {line or '?'} reaches for Python internals: refused"
        ) from exc
    except jinja2.UndefinedError as exc:
        name, line = _template_line(exc, path.parent)
        where = f"{name or path.name}" + (f" 第{line}行" if line else "")
        raise TemplateError(f"报告模板 {where} 用了不存在的变量：{exc.message}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"报告模板 {exc.filename or path.name} 第{exc.lineno}行有语法错误：{exc.message}"
        ) from exc
    lines = [line.strip() for line in text.splitlines()]
    text = "\n".join(line for line in lines if line)
    if mask:
        text = privacy.TextMasker(privacy.known_names(summary.cases))(text)
    return text
