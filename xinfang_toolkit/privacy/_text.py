"""Personal data inside free text: ID numbers, phones, house numbers and names of persons.

Numbers are found in every spelling ledgers use: 18- and 15-digit ID numbers with or without
spaces or dashes between digits, full-width digits, after 身份证号：; mobiles with +86, dashes,
spaces or full-width digits; landlines with area codes in brackets and extensions (转 801).
Names are found two ways: the names of persons known from the ledger's name columns (every
信访人, 联系人, 代理人, 被反映人 ...), wherever they appear, and other names after cue words
(我叫, 本人, 其妻, 其子, 邻居, 代理人, 信访人, 填表人 ...) starting with a Chinese surname.

No word segmenter is used. jieba's last release is from 2020; HanLP and spacy-pkuseg need models
downloaded at run time; the segmenters' person tags (nr) miss rare names and tag many words, and
they cost seconds per 100,000 texts. The names a ledger itself lists plus cue words find every
person the privacy canary plants (tests/test_canary.py); a bare name known from no column and
after no cue word is not found.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import ahocorasick

from .._base.text import fold_width
from ._values import mask_name

__all__ = ["TextMasker", "clean_names", "cue_names", "mask_text", "mask_texts"]

_D = "[0-9\uff10-\uff19]"
_SEP = "[ \t\u3000\\-\uff0d\u2013\u2014.\u00b7]{0,2}"
_NOT_D_BEFORE = "(?<![0-9\uff10-\uff19])"
_NOT_D_AFTER = "(?![0-9\uff10-\uff19XxＸｘ])"

_PHONE_CUE = "(?:电话|手机|固话|座机|联系方式|联系|tel|TEL|Tel)"

_NUMBERS = re.compile(
    # 18-digit ID (last character may be X), digits possibly separated
    rf"(?P<id18>{_NOT_D_BEFORE}{_D}(?:{_SEP}{_D}){{16}}{_SEP}[0-9\uff10-\uff19XxＸｘ]{_NOT_D_AFTER})"
    rf"|(?P<mobile>{_NOT_D_BEFORE}(?:[+＋]?[8８][6６]{_SEP})?[1１][3-9３-９](?:{_SEP}{_D}){{9}}"
    rf"{_NOT_D_AFTER})"
    rf"|(?P<id15>{_NOT_D_BEFORE}{_D}(?:{_SEP}{_D}){{14}}{_NOT_D_AFTER})"
    # a bank card: 16 to 19 digits (Luhn-checked in _mask_number, so case numbers stay)
    rf"|(?P<card>{_NOT_D_BEFORE}{_D}(?:{_SEP}{_D}){{15,18}}{_NOT_D_AFTER})"
    rf"|(?P<land>{_NOT_D_BEFORE}[(（]?[0０]{_D}{{2,3}}[)）]?{_SEP}{_D}(?:{_SEP}{_D}){{6,7}}"
    rf"(?:{_SEP}(?:转|分机|ext\.?|EXT\.?|[-－]){_SEP}{_D}{{1,6}})?{_NOT_D_AFTER})"
    rf"|(?P<cue>{_PHONE_CUE}[:：是为\s]{{0,3}})"
    rf"(?P<local>{_D}(?:{_SEP}{_D}){{6,11}}{_NOT_D_AFTER})"
)

_OTHER = "\x02"
_ANY_DIGIT = re.compile("[0-9\uff10-\uff19]")
# a fast first pass: runs of 7+ digits and separators (each run is then read by _NUMBERS);
# every branch starts with a literal or a character class, so the scan skips ahead in C
_CANDIDATE = re.compile(
    rf"(?:{_PHONE_CUE}[:：是为\s]{{0,3}})?[0-9\uff10-\uff19(（+＋]"
    "[0-9\uff10-\uff19XxＸｘ \t\u3000\\-\uff0d\u2013\u2014.\u00b7()（）+＋]{6,}"
)

_UNIT = "(?:组|号楼|号院|号|室|栋|幢|单元|楼|层|户|弄)"
_HOUSE = re.compile(
    rf"{_D}+{_UNIT}(?:{_SEP}{_D}+{_UNIT})+"
    rf"|[路街巷道村屯庄里弄组][0-9\uff10-\uff19\-]+号"
    rf"|{_D}+(?:室|栋|幢|号楼|号院|单元)"
)

_CUE_WORDS = (
    "被反映人|被举报人|被投诉人|我叫|我是|本人|其妻|其夫|其子|其女|其父|其母|其兄|其弟|其姐|其妹|"
    "其孙|其侄|其儿|妻子|丈夫|儿子|女儿|父亲|母亲|邻居|代理人|委托人|信访人|来访人|反映人|投诉人|"
    "举报人|申请人|当事人|联系人|填表人|代填人|填报人|经办人|登记人|陪同人|家属|户主|村民|姓名|名叫"
)
# characters that end a name after a cue word (2-character names are followed by them)
_STOP = "说称反代作等和与及在向到于的了是因为被对也又再多已曾均都将把从电手身住家前后来去诉要请"
# what follows a name after a cue word: punctuation, the end, or a word that starts a clause
# (so 本人房屋被拆, 村民强行占地, 丈夫常年患病 name nobody)
_AFTER_NAME = (
    "[，。、；：,;:.\\s（(）)“”\"'\x00]|$|[0-9\uff10-\uff19*][0-9\uff10-\uff19*\\- ]{6}|反映|称|说|来|到|于|因|要求|多次|代为|代|作证|等|和|与|及|"
    "电话|手机|联系|身份证|住|系|是|诉|今|曾|已|再|一|也|在|向|对|为|家|户|之|的|带|陪|携|请|"
    "未|不|又|均|都|现|共|同|签|夫妇|父子|母子|一家|二人|两人|本人|户主|老人|女士|先生"
)
# surnames that are also common words; after a cue word they start a phrase, not a name
_NOT_FIRST = set("向于和曾都时")


@lru_cache(maxsize=1)
def _surnames() -> tuple[str, ...]:
    from faker.providers.person.zh_CN import Provider

    names = set(Provider.last_names) - _NOT_FIRST
    names |= {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐"}
    return tuple(sorted(names, key=len, reverse=True))


@lru_cache(maxsize=1)
def _cue_pattern() -> re.Pattern:
    surnames = "|".join(map(re.escape, _surnames()))
    return re.compile(
        rf"(?:{_CUE_WORDS})[:：\s]{{0,2}}"
        rf"(?P<name>(?:{surnames})[\u4e00-\u9fff](?:(?![{_STOP}])[\u4e00-\u9fff])?)"
        rf"(?={_AFTER_NAME})"
    )


_CJK_NAME = re.compile(r"^[\u4e00-\u9fff·•]{2,5}$")
# a long name of the minorities: parts joined by a middle dot (阿卜杜热合曼·艾买提)
_DOTTED_NAME = re.compile(r"^[\u4e00-\u9fff]+(?:[·•.．][\u4e00-\u9fff]+)+$")
# a name in Latin letters: two to four words (Mary Johnson, O'Brien-Smith J.)
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z'’.\-]*(?:[ \u3000][A-Za-z][A-Za-z'’.\-]*){1,3}$")
_NOT_NAMES = frozenset(
    {"匿名", "不详", "未知", "本人", "群众", "无名", "某某", "村民", "居民", "不明", "无", "暂无"}
)
#: a petitioner that is an organisation or a body of people, not a person (物业公司, 全体业主):
#: masking it in every text would damage the texts and protect nobody. Only endings no person's
#: name has (a name followed by 家属 or 代表 is still a name: 张三家属 stays masked)
_GROUP = re.compile(
    r"^全体|(?:公司|集团|委员会|居委会|村委会|业委会|物业|合作社|协会|学校|医院|政府|街道办|银行)$"
)
_NAME_SPLIT = re.compile(r"[、，,；;/\\()（）\[\]【】\u3000:：及和等]+|\s{2,}")
_SPACE_SPLIT = re.compile(r"\s+")


def _tokens(cell: str) -> list[str]:
    """The names of one cell, split by separators; single spaces split Chinese names only
    when every part is a name itself (王五 赵六), else they are spaces inside one name
    (张 三 -> 张三; Mary Johnson stays whole)."""
    out = []
    for token in _NAME_SPLIT.split(cell):
        token = token.strip()
        if not token:
            continue
        if _SPACE_SPLIT.search(token) is None or _LATIN_NAME.match(token):
            out.append(token)
            continue
        parts = _SPACE_SPLIT.split(token)
        if all(len(p) >= 2 for p in parts):
            out.extend(parts)
        else:
            out.append("".join(parts))
    return out


def clean_names(values: Iterable[object]) -> set[str]:
    """The person names among cell values (several per cell: 王五、赵六): 2-5 Chinese
    characters (written with or without spaces), longer names joined by a middle dot, names in
    Latin letters."""
    out: set[str] = set()
    for v in values:
        if not isinstance(v, str):
            continue
        for token in _tokens(v):
            if token in _NOT_NAMES or "某" in token or _GROUP.search(token):
                continue
            if _CJK_NAME.match(token):
                out.add(token)
            elif len(token) <= 30 and _DOTTED_NAME.match(token):
                out.add(token)
            elif len(token) <= 40 and token.isascii() and _LATIN_NAME.match(token):
                out.add(token)
    return out


def cue_names(texts: Iterable[object], *, chunk: int = 20_000) -> set[str]:
    """Names written after cue words (我叫张三, 其妻王秀英, 邻居李四) in ``texts``.

    The texts are scanned joined by NUL, a chunk at a time (one regex call per chunk)."""
    pattern = _cue_pattern()
    strings = [t for t in texts if isinstance(t, str) and t]
    out: set[str] = set()
    for i in range(0, len(strings), chunk):
        joined = "\x00".join(strings[i : i + chunk])
        out.update(m.group("name") for m in pattern.finditer(joined))
        if _ASCII_UPPER.search(joined):
            out.update(m.group("name") for m in _LATIN_CUE.finditer(joined))
    return out


_ASCII_UPPER = re.compile("[A-Z][a-z]")
# a name in Latin letters after a cue word (我叫Mary Johnson, 代理人 John Smith)
_LATIN_CUE = re.compile(
    rf"(?:{_CUE_WORDS})[:：\s]{{0,2}}(?P<name>[A-Z][a-z]+(?:[ .·-][A-Z][a-z]+){{1,2}})"
)


def _phone_digits(digits: str) -> str:
    if len(digits) >= 11 and digits[-11] == "1" and digits[-10] in "3456789":
        return digits[-11:-8] + "****" + digits[-4:]  # a mobile, +86 dropped
    if digits.startswith("0") and len(digits) > 8:
        return digits[:4] + "****" + digits[-4:]
    return "*" * max(len(digits) - 4, 4) + digits[-4:]


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _mask_number(m: re.Match) -> str:
    kind = m.lastgroup
    if kind == "card":
        digits = re.sub(r"\D", "", fold_width(m.group(0)))
        # card numbers start 3-6 or 9 and pass the Luhn check; a case number (2026...) does not
        if digits[0] in "345689" and _luhn(digits):
            return "*" * (len(digits) - 4) + digits[-4:]
        return m.group(0)
    if kind == "local":
        digits = re.sub(r"\D", "", fold_width(m.group("local")))
        return m.group("cue") + _phone_digits(digits)
    digits = re.sub(r"[^0-9X]", "", fold_width(m.group(0)).upper())
    if kind in ("id18", "id15"):
        return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]
    return _phone_digits(digits)


def _mask_run(m: re.Match) -> str:
    return _NUMBERS.sub(_mask_number, m.group(0))


_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])([A-Za-z0-9._%+\-]{1,64})@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)"
)
_ACCOUNT_CUE = re.compile(
    r"(?P<cue>(?:QQ|qq|Qq|扣扣|微信|vx|VX|Vx|wx|WX|weixin|WeChat|wechat)(?:号码|号|账号|帐号|id|ID)?"
    r"[:：是为\s]{0,3})(?P<acct>[A-Za-z0-9][A-Za-z0-9_\-]{4,19})(?![A-Za-z0-9_\-@])"
)
_CARD_CUE = re.compile(
    rf"(?P<cue>(?:卡号|银行卡号?|借记卡|信用卡|存折|账号|帐号|账户|帐户)[:：是为\s]{{0,3}})"
    rf"(?P<num>{_D}(?:{_SEP}{_D}){{9,22}})(?![0-9\uff10-\uff19])"
)
_PLATE = re.compile(
    r"(?<![A-Za-z0-9])([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼])"
    r"([A-HJ-NP-Z])([·•.\-\s]?)([A-HJ-NP-Z0-9]{5,6})(?![A-Za-z0-9])"
)
_CN_DIGITS = "〇零○一二三四五六七八九幺两"
_CN_NUMBER = re.compile(rf"[{_CN_DIGITS}](?:[ \-－—·]?[{_CN_DIGITS}]){{6,}}")
_CN_ANY = re.compile(rf"[{_CN_DIGITS}]{{3}}")


def _mask_email(m: re.Match) -> str:
    local = m.group(1)
    return local[:2] + "***@" + m.group(2)


def _mask_account_cue(m: re.Match) -> str:
    return m.group("cue") + m.group("acct")[:2] + "****"


def _mask_card_cue(m: re.Match) -> str:
    digits = re.sub(r"\D", "", fold_width(m.group("num")))
    return m.group("cue") + "*" * max(len(digits) - 4, 4) + digits[-4:]


def _mask_plate(m: re.Match) -> str:
    tail = m.group(4)
    if not any(c.isdigit() for c in tail):  # 京A·ABCDE names no car (a plate has digits)
        return m.group(0)
    return m.group(1) + m.group(2) + m.group(3) + "*" * len(tail)


def _mask_cn_number(m: re.Match) -> str:
    chars = [c for c in m.group(0) if c in _CN_DIGITS]
    keep_head = 3 if len(chars) >= 11 else 0
    return "".join(chars[:keep_head]) + "*" * (len(chars) - keep_head - 4) + "".join(chars[-4:])


def _mask_house(m: re.Match) -> str:
    return re.sub(r"[0-9\uff10-\uff19]+", "*", m.group(0))


# spaces between two Chinese characters (张 秀 兰): names are looked for without them
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff·])[ \t\u3000]+(?=[\u4e00-\u9fff·])")


def _unsqueeze(original: str, masked: str) -> str:
    """``masked`` (``original`` without the spaces of ``_CJK_GAP``, masked in place: the same
    length) with those spaces put back where they were."""
    pieces, pos, last = [], 0, 0
    for gap in _CJK_GAP.finditer(original):
        size = gap.start() - last
        pieces.append(masked[pos : pos + size])
        pieces.append(gap.group(0))
        pos += size
        last = gap.end()
    pieces.append(masked[pos:])
    return "".join(pieces)


class TextMasker:
    """Masks free text: numbers, house numbers, and the given names (plus names after cues).

    Built once for a frame (the automaton of its known names), then called on every text.
    """

    def __init__(self, names: Iterable[str] = (), *, cues: bool = True) -> None:
        self.names = {n for n in names if isinstance(n, str) and len(n) >= 2}
        self.cues = cues  # look for names after cue words in each text (off when known already)
        self._auto = None
        self._other: re.Pattern | None = None
        if self.names:
            # pyahocorasick looks a character up among a node's children one by one, and the
            # root has a child per surname: characters in no name are first mapped to _OTHER,
            # the root's first child (a dead end), as classify's keyword matcher does
            auto = ahocorasick.Automaton()
            auto.add_word(_OTHER + _OTHER, "")
            firsts = Counter(n[0] for n in self.names)
            for n in sorted(self.names, key=lambda n: -firsts[n[0]]):
                auto.add_word(n, n)
            auto.make_automaton()
            self._auto = auto
            chars = "".join(sorted({c for n in self.names for c in n}))
            self._other = re.compile("[^" + re.escape(chars) + "]")

    def _names(self, s: str, extra: set[str]) -> str:
        found: list[tuple[int, int]] = []
        if self._auto is not None:
            scan = self._other.sub(_OTHER, s)  # same length: positions stay
            found = [(end - len(n) + 1, end + 1) for end, n in self._auto.iter_long(scan) if n]
        for n in extra:
            start = s.find(n)
            while start >= 0:
                found.append((start, start + len(n)))
                start = s.find(n, start + len(n))
        if not found:
            return s
        if extra:
            found.sort()
        pieces, last = [], 0
        for start, end in found:
            if start < last:  # overlaps the previous name: extend it
                start = last
                if end <= last:
                    continue
                pieces.append("*" * (end - start))
            else:
                pieces.append(s[last:start])
                pieces.append(str(mask_name(s[start:end])))
            last = end
        pieces.append(s[last:])
        return "".join(pieces)

    def _mask(self, s: str) -> str:
        if "@" in s:
            s = _EMAIL.sub(_mask_email, s)
        s = _ACCOUNT_CUE.sub(_mask_account_cue, s)
        if _ANY_DIGIT.search(s):
            s = _CARD_CUE.sub(_mask_card_cue, s)
            s = _CANDIDATE.sub(_mask_run, s)
            s = _HOUSE.sub(_mask_house, s)
            s = _PLATE.sub(_mask_plate, s)
        if _CN_ANY.search(s):
            s = _CN_NUMBER.sub(_mask_cn_number, s)
        gaps = _CJK_GAP.search(s)
        squeezed = _CJK_GAP.sub("", s) if gaps else s
        extra = {n for n in cue_names([squeezed]) if n not in self.names} if self.cues else set()
        if gaps is None:
            return self._names(s, extra)
        return _unsqueeze(s, self._names(squeezed, extra))

    def __call__(self, text: object) -> object:
        if not isinstance(text, str) or not text:
            return text
        return self._mask(text)

    def many(self, texts: list[str], *, chunk: int = 20_000) -> list[str]:
        """Mask many texts at once: they are joined (by NUL) into a few long strings, so each
        regular expression and the name automaton run in C over a chunk, not once per text."""
        out: list[str] = []
        for i in range(0, len(texts), chunk):
            part = texts[i : i + chunk]
            if any("\x00" in t for t in part):
                out.extend(self._mask(t) if t else t for t in part)
                continue
            masked = self._mask("\x00".join(part)).split("\x00")
            if len(masked) != len(part):  # cannot happen (nothing masks a NUL); be safe
                masked = [self._mask(t) if t else t for t in part]
            out.extend(masked)
        return out


def mask_text(text: object, *, names: Iterable[str] = ()) -> object:
    """Mask ID numbers, phones, house numbers and names of persons inside one free text.

    ``names`` are the persons known from elsewhere (the ledger's name columns); names after
    cue words (我叫, 其妻, 邻居 ...) are found in the text itself.
    """
    given = [n for n in names if isinstance(n, str)]
    return TextMasker(clean_names(given) | set(given))(text)


def mask_texts(texts: list[str], *, names: Iterable[str] = ()) -> list[str]:
    """Mask many free texts at once: numbers, accounts, the persons in ``names`` and every name
    written after a cue word in any of the texts (masked in all of them)."""
    given = [n for n in names if isinstance(n, str)]
    known = clean_names(given) | set(given) | cue_names(texts)
    return TextMasker(known, cues=False).many(texts)
