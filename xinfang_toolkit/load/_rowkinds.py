"""What a row is, judged from its own cells (no header needed): a total line, a signature or
note line, a section line, an import template's instruction, example or hint row.

Used twice: by :func:`._rows.classify_rows` to exclude such rows with a reason, and by the value
profiles (:mod:`._header`), which leave them out of the sample they judge columns on."""

from __future__ import annotations

import re

import numpy as np

from .._base.text import fold_width
from ..clean import is_null

_TOTAL = re.compile(r"^(合计|小计|总计|共计|累计|总数|本页合计|本月合计|全年合计)")
_SIGN = re.compile(
    r"^(填表人|填报人|制表人|统计人|审核人|审批人|审核|负责人|单位负责人|主要领导|分管领导签|签字|签名|"
    r"填表日期|填报日期|制表日期|填表时间|注[:\d、.]|注意|备注[:]|说明[:\d、.]|附[:]|盖章|\(盖章\))"
)
#: first characters of what _TOTAL and _SIGN match (a quick pre-check before NFKC and regex)
_FIRST_CHARS = frozenset("合小总共累本全填制统审负单主分签注备说附盖(（")
SECTION_LINE = re.compile(
    r"^([一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\)|第[一二三四五六七八九十\d]+[部分类批季月]"
    r"|[\d]+[、]|[一二三四五六七八九十\d]+月份?$|[上下]半年|往年|本年|今年|去年|历年|其中[:]?)"
)
_INSTRUCTION = re.compile(
    r"必填|选填|填写说明|填表说明|填报说明|填写要求|标红|红色字体|下拉(?:框|选择|菜单)|请勿(?:修改|删除)"
    r"|按(?:以下|如下)格式|格式为|导入模板|模板说明"
)
_EXAMPLE = re.compile(r"^(?:示例|样例|例|范例|填写示例|举例)[0-9一二三:]*$")
#: body rows (right under the header) looked at for a template's hint row
HINT_ROWS = 5
_HINT = re.compile(
    r"^(?:请)?(?:选择|填写|输入|下拉|选填|必填)|(?:选择|必填|选填|填写|输入|下拉框?|格式)$"
    r"|^(?:文本|数字|整数|日期|时间|字符|文字|数值|是/否|是或否)(?:型|类型|格式)?$"
    r"|下拉框|下拉选择|下拉菜单|格式[:为]|^如[:]|^例[:如]|^示例[:]|yyyy|mm-dd|\d{4}-\d{2}-\d{2}格式"
)


def row_key(value: str) -> str:
    """A cell's text without spaces, width folded (NFKC), for matching row words."""
    return re.sub(r"\s+", "", fold_width(value))


def first_cell_marks(values) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(total line, signature or note line, example row)`` for each value, the first filled
    cell of a row: 合计/小计/总计 ..., 填表人/审核人/注: ..., 示例/样例. One quick pass picks
    the few values worth a closer look (short, or starting with a total or note character): a
    sheet of 100,000 rows has as many distinct case numbers there."""
    totals = np.zeros(len(values), dtype=bool)
    notes = np.zeros(len(values), dtype=bool)
    examples = np.zeros(len(values), dtype=bool)
    values = values.tolist() if isinstance(values, np.ndarray) else list(values)
    for i in _worth_a_look(values):
        value = values[i]
        if value.lstrip()[:1] in _FIRST_CHARS:
            key = row_key(value)
            totals[i] = bool(_TOTAL.match(key))
            notes[i] = bool(_SIGN.match(key))
        if len(value) <= 8 and not value.isascii():
            examples[i] = is_instruction(value, 0, example_only=True)
    return totals, notes, examples


def _worth_a_look(values: list) -> list[int]:
    """The values that may be a total, note or example word. An ASCII text (a serial number, a
    case number) is never one: every word is Chinese, and width folding keeps ASCII as it is;
    a long column of texts is sorted so in Arrow."""
    if len(values) >= 1000:
        import pyarrow as pa
        import pyarrow.compute as pc

        try:
            array = pa.array(values, type=pa.string())
        except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):
            pass  # dates or numbers among the texts: one by one below
        else:
            look = pc.invert(pc.string_is_ascii(array))
            look_at = np.flatnonzero(look.fill_null(False).to_numpy(zero_copy_only=False))
            return [i for i in look_at.tolist() if _looks_like_a_word(values[i])]
    return [i for i, u in enumerate(values) if type(u) is str and _looks_like_a_word(u)]


def _looks_like_a_word(text: str) -> bool:
    return (len(text) <= 8 and not text.isascii()) or text.lstrip()[:1] in _FIRST_CHARS


def is_instruction(value: object, filled: int, *, example_only: bool = False) -> bool:
    """An import template's instruction line (few cells, instruction words) or example row."""
    if not isinstance(value, str) or len(value) > 400:
        return False
    key = row_key(value)
    if _EXAMPLE.match(key):
        return True
    return not example_only and filled <= 3 and bool(_INSTRUCTION.search(key))


def is_hint(value: object) -> bool:
    """A cell of an import template's hint row: 日期选择, 必填, 有下拉框选择, 格式: 2021-01-01 ..."""
    if not isinstance(value, str) or len(value) > 30:
        return False
    return bool(_HINT.search(row_key(value).lower()))


def is_hint_row(values: list) -> bool:
    """Most of a row's filled cells say how to fill their column instead of holding a value."""
    values = [v for v in values if not is_null(v)]
    hints = sum(1 for v in values if is_hint(v))
    return bool(values) and hints >= max(2, 0.6 * len(values))


def holds_no_values(row: np.ndarray, position: int) -> bool:
    """A body row (``position`` rows under the header) that is no case whatever the header says:
    at most one filled cell (a 序号 alone, a section line), a total or note line, a template's
    instruction, example or hint row. The value profiles leave such rows out of their sample."""
    filled = [v for v in row if not is_null(v) and not (isinstance(v, str) and not v.strip())]
    if len(filled) <= 1:
        return True
    total, note, _example = first_cell_marks(filled[:1])
    if total[0] or note[0] or is_instruction(filled[0], len(filled)):
        return True
    return position < HINT_ROWS and is_hint_row(filled)
