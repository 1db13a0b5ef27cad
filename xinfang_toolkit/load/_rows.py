"""Classify the rows of a sheet: case, blank, or excluded with a reason."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .._base.text import fold_width
from ..clean import is_null
from ._header import Header

TITLE = "标题或填报信息 (表头上方)"
HEADER = "表头"
REPEATED_HEADER = "重复的表头行"
SECTION = "分节行"
TOTAL = "合计行"
SIGNATURE = "签名或备注行"
NO_CONTENT = "没有案件内容 (只有序号等)"
INSTRUCTION = "填表说明或示例行 (导入模板)"

_TOTAL = re.compile(r"^(合计|小计|总计|共计|累计|总数|本页合计|本月合计|全年合计)")
_SIGN = re.compile(
    r"^(填表人|填报人|制表人|统计人|审核人|审批人|审核|负责人|单位负责人|主要领导|分管领导签|签字|签名|"
    r"填表日期|填报日期|制表日期|填表时间|注[:\d、.]|注意|备注[:]|说明[:\d、.]|附[:]|盖章|\(盖章\))"
)
#: first characters of what _TOTAL and _SIGN match (a quick pre-check before NFKC and regex)
_FIRST_CHARS = frozenset("合小总共累本全填制统审负单主分签注备说附盖(（")
_SECTION = re.compile(
    r"^([一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\)|第[一二三四五六七八九十\d]+[部分类批季月]"
    r"|[\d]+[、]|[一二三四五六七八九十\d]+月份?$|[上下]半年|往年|本年|今年|去年|历年|其中[:]?)"
)


def fill_body_merges(
    cells: np.ndarray, merged: list[tuple[int, int, int, int]], start: int
) -> None:
    """A value merged over several rows of the body (包案领导 written once) fills every row."""
    for r0, c0, r1, _c1 in merged:
        if r1 > r0 and r0 >= start and c0 < cells.shape[1]:
            value = cells[r0, c0]
            cells[r0 + 1 : r1 + 1, c0] = value


def _row_key(value: str) -> str:
    return re.sub(r"\s+", "", fold_width(value))


_INSTRUCTION = re.compile(
    r"必填|选填|填写说明|填表说明|填报说明|填写要求|标红|红色字体|下拉(?:框|选择|菜单)|请勿(?:修改|删除)"
    r"|按(?:以下|如下)格式|格式为|导入模板|模板说明"
)
_EXAMPLE = re.compile(r"^(?:示例|样例|例|范例|填写示例|举例)[0-9一二三:]*$")


def is_instruction(value: object, filled: int, *, example_only: bool = False) -> bool:
    """An import template's instruction line (few cells, instruction words) or example row."""
    if not isinstance(value, str) or len(value) > 400:
        return False
    key = _row_key(value)
    if _EXAMPLE.match(key):
        return True
    return not example_only and filled <= 3 and bool(_INSTRUCTION.search(key))


#: body rows (right under the header) looked at for a template's hint row
_HINT_ROWS = 5
_HINT = re.compile(
    r"^(?:请)?(?:选择|填写|输入|下拉|选填|必填)|(?:选择|必填|选填|填写|输入|下拉框?|格式)$"
    r"|^(?:文本|数字|整数|日期|时间|字符|文字|数值|是/否|是或否)(?:型|类型|格式)?$"
    r"|下拉框|下拉选择|下拉菜单|格式[:为]|^如[:]|^例[:如]|^示例[:]|yyyy|mm-dd|\d{4}-\d{2}-\d{2}格式"
)


def is_hint(value: object) -> bool:
    """A cell of an import template's hint row: 日期选择, 必填, 有下拉框选择, 格式: 2021-01-01 ..."""
    if not isinstance(value, str) or len(value) > 30:
        return False
    return bool(_HINT.search(_row_key(value).lower()))


def classify_rows(
    cells: np.ndarray,
    header: Header,
    merged: list[tuple[int, int, int, int]],
    *,
    nonblank: np.ndarray | None = None,
) -> np.ndarray:
    """One entry per grid row: None (blank), "" (a case) or the reason it is excluded.

    ``nonblank``: which cells are not "" when the reader knows it already (Grid.filled)."""
    nrows, ncols = cells.shape
    reasons = np.full(nrows, "", dtype=object)
    if nonblank is not None:
        nonblank = nonblank.copy()
    else:
        nonblank = cells != "" if ncols else np.zeros((nrows, 0), dtype=bool)
    count = nonblank.sum(axis=1)
    # cells of only spaces are blank too; they are checked on rows with few filled cells only
    for i in np.flatnonzero((count > 0) & (count <= 4)):
        for j in np.flatnonzero(nonblank[i]):
            value = cells[i, j]
            if value is None or (isinstance(value, str) and not value.strip()):
                nonblank[i, j] = False
        count[i] = nonblank[i].sum()
    reasons[count == 0] = None
    above = np.arange(nrows) < header.top
    reasons[above & (count > 0)] = TITLE
    reasons[header.rows] = HEADER
    start = header.body
    if start >= nrows:
        return reasons
    body = cells[start:]
    body_nonblank = nonblank[start:]
    body_count = count[start:]
    idx = np.arange(start, nrows)

    # repeated header: two or more cells equal to header text of their column
    same = np.zeros(len(body), dtype=np.int64)
    checked = 0
    for j in range(ncols):  # four labelled columns are enough to recognise a repeated header
        texts = {cells[r, j] for r in header.rows if isinstance(cells[r, j], str) and cells[r, j]}
        for text in texts:
            same += body[:, j] == text
        checked += bool(texts)
        if checked == 4:
            break
    repeated = (same >= 2) & (body_count > 0)
    reasons[idx[repeated]] = REPEATED_HEADER

    # first non-blank cell of each row: totals, signatures and notes
    first_col = np.argmax(body_nonblank, axis=1)
    first_val = body[np.arange(len(body)), first_col]
    codes, uniques = pd.factorize(first_val)
    keys = [
        _row_key(u) if type(u) is str and u.lstrip()[:1] in _FIRST_CHARS else "" for u in uniques
    ]
    is_total = np.array([bool(k) and bool(_TOTAL.match(k)) for k in keys] + [False])[codes]
    is_sign = np.array([bool(k) and bool(_SIGN.match(k)) for k in keys] + [False])[codes]
    # a total or note line starts at the left or has few cells; a case whose summary happens to
    # start with 合计/说明 (far right, many cells filled) stays a case
    leftish = (first_col <= 2) | (body_count <= 3)
    is_total &= leftish
    is_sign &= leftish
    todo = (body_count > 0) & ~repeated
    reasons[idx[todo & is_total]] = TOTAL
    reasons[idx[todo & is_sign & ~is_total]] = SIGNATURE
    todo &= ~is_total & ~is_sign

    # import templates: instruction lines (标红色的为必填项…) and example rows (示例), judged
    # once per distinct first cell
    example = np.array(
        [
            type(u) is str and len(u) <= 8 and is_instruction(u, 0, example_only=True)
            for u in uniques
        ]
        + [False]
    )
    instruction = todo & example[codes]
    for k in np.flatnonzero(todo & (body_count <= 3) & ~instruction):
        instruction[k] = is_instruction(first_val[k], int(body_count[k]))
    # a template's hint row right under the header: most of its cells say how to fill the
    # column (日期选择, 必填, 有下拉框选择 ...) instead of holding a value
    for k in np.flatnonzero(todo[:_HINT_ROWS] & ~instruction[:_HINT_ROWS]):
        values = [v for v in body[k][body_nonblank[k]] if not is_null(v)]
        hints = sum(1 for v in values if is_hint(v))
        if values and hints >= max(2, 0.6 * len(values)):
            instruction[k] = True
    reasons[idx[instruction]] = INSTRUCTION
    todo &= ~instruction

    # section rows: a single (possibly merged) text cell such as 二、往年积案
    merged_starts = {(r0, c0): c1 - c0 for r0, c0, r1, c1 in merged if c1 > c0}
    for k in np.flatnonzero(todo & (body_count <= 2)):
        row = body[k]
        values = {v for v in row[body_nonblank[k]]}
        if len(values) != 1:
            continue
        value = next(iter(values))
        if not isinstance(value, str):
            continue
        key = _row_key(value)
        if _SECTION.match(key) or merged_starts.get((start + k, int(first_col[k])), 0) >= 2:
            reasons[start + k] = SECTION
            todo[k] = False

    # rows with nothing in any case column (a pre-numbered empty line: only 序号)
    case_cols = [j for j, name in header.columns.items() if name in header.canonical]
    if case_cols:
        # a row with several filled cells has case content; check the sparse ones only
        for k in np.flatnonzero(todo & (body_count <= 4)):
            if all(is_null(body[k, j]) for j in case_cols):
                reasons[start + k] = NO_CONTENT
    return reasons


def excluded_rows(file: str, sheet: str, cells: np.ndarray, reasons: np.ndarray) -> pd.DataFrame:
    """The excluded list of one sheet: every row with a reason, its place and a short text
    (masked where it is shown or written, like every list of the loader)."""
    rows = np.flatnonzero((reasons != "") & pd.notna(reasons))
    return pd.DataFrame(
        {
            "source_file": file,
            "source_sheet": sheet,
            "source_row": rows + 1,
            "reason": reasons[rows],
            "content": [_row_text(cells[i]) for i in rows],
        }
    )


def _row_text(row: np.ndarray) -> str:
    """Short text of an excluded row (title, total, note ...) for the excluded list."""
    parts = []
    for value in row:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                continue
        elif isinstance(value, float) and value.is_integer():
            value = str(int(value))
        parts.append(str(value))
    text = " | ".join(dict.fromkeys(parts))
    return text if len(text) <= 80 else text[:79] + "…"
