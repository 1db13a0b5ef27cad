"""Cleaning of the handling columns (交办, 批示, 接访, 督办, 回访, 重点, 化解) and of 来源 cells
that name an assigning organ instead of a channel.

A 来源 / 案件来源 column mixes channels (来信, 来访, 网上信访) and organs that assigned the case
(国家信访局交办, 省信访局转办, 市联席办督办). An organ is no channel: the 访 of 信访局 never makes a
visit. Such a cell fills ``assigned_by`` (the organ, normalised with the editable vocabulary
``data/assigning_organs.csv``) and leaves ``channel`` empty, unless the rest of the cell names a
channel (省信访局转来信 -> 来信) or the row gives one in another column. One issue per sheet says so.

Part of the clean layer (used by :func:`xinfang_toolkit.clean.clean_cases`); moved here from
``xinfang_toolkit/_clean_handling.py``.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from .._base.distinct import by_code, map_distinct
from .._base.text import fold_width
from ..schema import RESOLUTION_TYPES
from ._columns import by_year, map_unique, text_column
from ._date_columns import dates_unique, due_dates
from ._dates import closed_value
from ._text import _WS, normalize_text
from ._vocab import normalize_channel, normalize_satisfaction, parse_flag, value_words

__all__ = [
    "ASSIGNMENT_WORDS",
    "assigning_organs",
    "count_supervisions",
    "normalize_organ",
    "normalize_resolution_type",
    "organ_levels",
    "parse_yes_no",
    "split_source",
]

#: words that make a 来源 cell an assignment, not a channel (besides the organs of the vocabulary)
ASSIGNMENT_WORDS: tuple[str, ...] = (
    "信访局",
    "信访办",
    "信访委",
    "联席办",
    "联席会议",
    "交办",
    "转办",
    "督办",
)
_VERBS = ("交办", "转办", "督办", "转交", "转来", "转", "件", "案件", "信访")


@cache
def assigning_organs() -> pd.DataFrame:
    """The vocabulary of assigning organs (``data/assigning_organs.csv``): organ, level, word,
    in file order (the first match wins)."""
    from importlib import resources

    text = resources.files("xinfang_toolkit").joinpath("data/assigning_organs.csv")
    rows = []
    for line in text.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("organ,"):
            continue
        organ, level, word = (part.strip() for part in line.split(",", 2))
        if organ and word:
            rows.append((organ, level, word.lower()))
    return pd.DataFrame(rows, columns=["organ", "level", "word"])


def organ_levels() -> dict[str, str]:
    """Each organ of the vocabulary with the level it sits at ("" = the office's own level)."""
    table = assigning_organs()
    return dict(zip(table["organ"], table["level"], strict=True))


def _key(text: str) -> str:
    return _WS.sub("", fold_width(text)).lower()


def _find_organ(key: str) -> tuple[str, str] | None:
    """(organ, the word that matched) of the first vocabulary word inside ``key``."""
    table = assigning_organs()
    for organ, word in zip(table["organ"], table["word"], strict=True):
        if word in key:
            return organ, word
    return None


def normalize_organ(value: Any) -> tuple[str | None, str | None]:
    """交办机关 to the vocabulary's organ (国家信访局, 省信访局, 市联席办, 12345, 纪委监委, 本级 …).
    Text the vocabulary does not know is kept (without 交办/转办 at its end), with a note."""
    text = normalize_text(value)
    if text is None:
        return None, None
    found = _find_organ(_key(text))
    if found:
        return found[0], None
    kept = re.sub(r"(交办|转办|督办|转交)(件)?$", "", text).strip() or text
    return kept, f"交办机关不在词表 (data/assigning_organs.csv) 中, 保留原文: {text}"


def is_assignment(value: Any) -> bool:
    """Whether a 来源 cell names an organ that assigned the case (and so is no channel)."""
    text = normalize_text(value)
    if text is None:
        return False
    key = _key(text)
    if any(w in key for w in ASSIGNMENT_WORDS):
        return True
    found = _find_organ(key)
    # a bare 12345 / 热线 is a channel (来电); other organs of the vocabulary are assignments
    return found is not None and found[0] != "12345"


def split_source(value: Any) -> tuple[str | None, str | None, str | None]:
    """A 来源 / 信访形式 cell: ``(channel, assigned_by, problem)``.

    An assignment (国家信访局交办, 省联席办转办来信) gives the organ, and a channel only when the
    rest of the cell names one by a word other than the 访 of 信访 (来信, 网上, 来访件 …)."""
    if not is_assignment(value):
        channel, problem = normalize_channel(value)
        return channel, None, problem
    text = normalize_text(value)
    assert text is not None
    organ, problem = normalize_organ(text)
    rest = _key(text)
    found = _find_organ(rest)
    if found:
        rest = rest.replace(found[1], "")
    for word in (*ASSIGNMENT_WORDS, *_VERBS):
        rest = rest.replace(word, "")
    rest = re.sub(r"^(国家|省|市|县|区|中央|上级|本级)+", "", rest)
    channel = None
    if len(rest) >= 2:
        found_channel, _ = normalize_channel(rest)
        if found_channel not in (None, "其他"):
            channel = found_channel
    return channel, organ, problem


# --- yes/no, resolution types, supervision counts -------------------------------------------

_YES_EXTRA = ("已化解", "化解", "已息访", "息访", "息诉罢访", "已销号", "销号", "重点", "是重点")
_NO_EXTRA = ("未化解", "没有化解", "未息访", "未销号", "一般", "非重点", "不是重点", "否重点")


def parse_yes_no(value: Any) -> tuple[str | None, str | None]:
    """是否重点 / 是否化解 to 是 or 否 (是/否, 1/0, √/×, 已化解/未化解, 重点/一般)."""
    flag, problem = parse_flag(value)
    if flag is not None:
        return ("是" if flag else "否"), None
    text = normalize_text(value)
    if text is None:
        return None, None
    key = _key(text)
    if key in _NO_EXTRA or key.startswith(("未", "没", "不", "非", "否")):
        return "否", None
    if key in _YES_EXTRA or key.startswith(("已", "是")) or ("重点" in key or "化解" in key):
        return "是", None
    return None, f"无法识别的是/否值: {text}"


_RESOLUTION_WORDS = value_words("resolution_type")


def normalize_resolution_type(value: Any) -> tuple[str | None, str | None]:
    """化解方式 to one of schema.RESOLUTION_TYPES (data/value_words.csv, field resolution_type).
    稳控 is no way of resolution: such a cell is left empty, with a note."""
    text = normalize_text(value)
    if text is None:
        return None, None
    key = _key(text)
    if key in RESOLUTION_TYPES:
        return key, None
    for canonical, words in _RESOLUTION_WORDS:
        if any(w in key for w in words):
            return canonical, None
    if "稳控" in key:
        return None, f"“稳控”不是化解方式 (化解/分流/疏导/救助帮扶/未化解), 不计: {text}"
    return None, f"无法识别的化解方式 (应为 {'/'.join(RESOLUTION_TYPES)}): {text}"


_DATE_IN_TEXT = re.compile(
    r"(?:(?:19|20)\d{2}\s*[年./-]\s*)?\d{1,2}\s*[月./-]\s*\d{1,2}\s*[日号]?"
    r"|(?:19|20)\d{6}"
)
_TIMES = re.compile(r"(\d+|[一二两三四五六七八九十]+)\s*次")
_ZH = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _times(part: str) -> int | None:
    if part.isdigit():
        return int(part)
    if part == "十":
        return 10
    return _ZH.get(part) if len(part) == 1 else None


def count_supervisions(value: Any) -> tuple[int | None, str | None]:
    """督办次数: a number, "督办3次" (several "N次" are added up), or a 督办情况 text whose dated
    entries are counted ("3月2日电话督办；3月10日发函督办" -> 2); 已督办 without a date or a number
    counts once (with a note), 未督办 none."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None, None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        number = float(value)
        if number.is_integer() and 0 <= number < 1000:
            return int(number), None
        return None, f"督办次数不是非负整数: {value}"
    text = normalize_text(value)
    if text is None:
        return None, None
    key = fold_width(text)
    if key.strip().isdigit():
        return int(key.strip()), None
    times = [_times(part) for part in _TIMES.findall(key)]
    if times and all(t is not None for t in times):  # "督办3次", "电话督办1次；发函督办1次"
        return sum(t for t in times if t is not None), None
    dated = _DATE_IN_TEXT.findall(key)
    if dated:
        return len(dated), None
    flag, _ = parse_yes_no(key)
    if flag == "否" or key.startswith(("未", "无", "没")):
        return 0, None
    if "督" in key or "催" in key or flag == "是":
        return 1, f"督办情况没有写日期或次数, 按 1 次计: {text}"
    return None, f"无法识别的督办次数: {text}"


# --- whole columns ---------------------------------------------------------------------------

_DATES = ("assigned_date", "follow_up_date", "resolved_date")
_TEXTS = ("instruction", "instruction_leader", "reception_leader", "follow_up_result")
#: handling columns that clean_handling cleans (clean_cases leaves them to it)
HANDLED: frozenset[str] = frozenset(
    {
        "channel",
        "assigned_by",
        "feedback_due",
        "supervision_count",
        "key_case",
        "resolved_flag",
        "resolution_type",
        *_DATES,
        *_TEXTS,
    }
)
_SOURCE_HEADER = re.compile(r"来源")


def _source_columns(raw: pd.DataFrame) -> list[str]:
    """Columns that may name an assigning organ: channel, and unmapped ones headed 来源."""
    out = ["channel"] if "channel" in raw.columns else []
    out += [
        c
        for c in raw.columns
        if isinstance(c, str) and c not in HANDLED and _SOURCE_HEADER.search(c) and "文件" not in c
    ]
    return out


def _sheet_notes(raw: pd.DataFrame, column: str, mask: np.ndarray, examples: pd.Series) -> list:
    """One issue per sheet: the 来源 cells that named an assigning organ."""
    if not mask.any():
        return []
    files = raw["source_file"] if "source_file" in raw else pd.Series("", index=raw.index)
    sheets = raw["source_sheet"] if "source_sheet" in raw else pd.Series("", index=raw.index)
    notes = []
    keys = pd.DataFrame({"f": files.astype(str), "s": sheets.astype(str)})[mask]
    for (file, sheet), part in keys.groupby(["f", "s"], sort=False):
        shown = "、".join(dict.fromkeys(str(v) for v in examples[part.index]))
        if len(shown) > 60:
            shown = shown[:59] + "…"
        notes.append(
            {
                "source_file": file,
                "source_sheet": sheet,
                "source_row": None,
                "column": column,
                "value": shown,
                "problem": (
                    f"{file} / 工作表“{sheet}”: {column} 列有 {len(part)} 件写的是交办机关"
                    f" ({shown}), 已记入交办机关 (assigned_by); 这些件的信访形式不按“访”字推断,"
                    " 本行其他列未写明的留空"
                ),
            }
        )
    return notes


def clean_handling(
    raw: pd.DataFrame,
    out: dict[str, pd.Series],
    *,
    year: int | None | pd.Series,
    note,
) -> list[dict[str, object]]:
    """Clean the handling columns and the channel of ``raw`` into ``out`` (``note(column,
    problems)`` records cell issues); return the sheet-level issues."""
    sheet_issues = _channels_and_organs(raw, out, note)
    _handling_dates(raw, out, year, note)
    _feedback_due(raw, out, year, note)
    _handling_values(raw, out, note)
    return sheet_issues


def _channels_and_organs(raw: pd.DataFrame, out: dict[str, pd.Series], note) -> list:
    """The 来源 columns split into channel and assigning organ; ``assigned_by`` from its own
    column where the ledger has one, else from the 来源 cells. Returns the sheet-level notes."""
    sheet_issues: list[dict[str, object]] = []
    organ_from_source = pd.Series(None, index=raw.index, dtype=object)
    channel = None
    for col in _source_columns(raw):
        chans, organs, probs = _split_column(raw[col])
        assigned = organs.notna().to_numpy()
        if col == "channel":
            channel = chans
            note("channel", probs)
        organ_from_source = organ_from_source.where(organ_from_source.notna(), organs)
        sheet_issues += _sheet_notes(raw, col, assigned, raw[col])
    if channel is not None:
        out["channel"] = channel
    if "assigned_by" in raw.columns:
        organs, prob = map_unique(raw["assigned_by"], normalize_organ)
        note("assigned_by", prob)
        out["assigned_by"] = organs.where(organs.notna(), organ_from_source)
    elif organ_from_source.notna().any():
        out["assigned_by"] = organ_from_source
    return sheet_issues


def _handling_dates(raw: pd.DataFrame, out: dict[str, pd.Series], year, note) -> None:
    """交办时间, 回访时间, 化解时间: dates (a "not yet" word such as 办理中 is no date)."""
    for col in _DATES:
        if col in raw.columns:
            dates, _days, prob = by_year(
                raw[col], year, lambda v, y: dates_unique(v, lambda x, o: closed_value(x, y, o))
            )
            out[col] = dates.astype("datetime64[ns]")
            note(col, prob)


def _feedback_due(raw: pd.DataFrame, out: dict[str, pd.Series], year, note) -> None:
    """反馈期限: a date, or a number of days counted from the assignment (else the receipt)."""
    if "feedback_due" not in raw.columns:
        return
    start = out.get("assigned_date")
    if start is None:
        start = out.get("received_date")
    out["feedback_due"], problems = due_dates(
        raw["feedback_due"], start, year, "反馈期限写成天数, 但没有交办时间"
    )
    note("feedback_due", problems)


def _handling_values(raw: pd.DataFrame, out: dict[str, pd.Series], note) -> None:
    """The handling texts, 督办次数, the yes/no columns (重点, 是否化解), 化解方式, and the
    satisfaction a short 回访结果 gives where the ledger has no 满意度 column."""
    for col in _TEXTS:
        if col in raw.columns:
            out[col] = text_column(raw[col])
    if "supervision_count" in raw.columns:
        counts, prob = map_unique(raw["supervision_count"], count_supervisions)
        out["supervision_count"] = pd.array(counts.tolist(), dtype="Int64")
        note("supervision_count", prob)
    for col in ("key_case", "resolved_flag"):
        if col in raw.columns:
            out[col], prob = map_unique(raw[col], parse_yes_no)
            note(col, prob)
    if "resolution_type" in raw.columns:
        out["resolution_type"], prob = map_unique(raw["resolution_type"], normalize_resolution_type)
        note("resolution_type", prob)
    # 回访结果 written as 满意/不满意 gives the satisfaction where the ledger has no such column
    if "follow_up_result" in raw.columns and "satisfaction" not in raw.columns:
        rated, _ = map_unique(raw["follow_up_result"], _rating_only)
        if rated.notna().any():
            out["satisfaction"] = rated


def _split_column(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """:func:`split_source` once per distinct value: (channels, organs, problems)."""
    codes, answers = map_distinct(values, split_source, missing=split_source(None))
    channels, organs, problems = (
        by_code([a[part] for a in answers], codes, values.index) for part in range(3)
    )
    return channels, organs, problems


def _rating_only(value: Any) -> tuple[str | None, None]:
    """A satisfaction word of a short 回访结果 cell (满意, 基本满意, 不满意), else nothing."""
    text = normalize_text(value)
    if text is None or len(text) > 8:
        return None, None
    found, problem = normalize_satisfaction(text)
    return (found if problem is None else None), None
