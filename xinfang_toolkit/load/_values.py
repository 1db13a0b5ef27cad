"""Value profiles: what a column holds, judged on a sample of its cells (cheap, no cleaning).

Each sampled cell gets one kind (:data:`KINDS`: date, date-time, time, ID number, phone,
yes/no word, number, code, a person's name, a word of the channel / level / satisfaction /
status / category vocabularies, short or long text). A :class:`Profile` holds the share of each
kind among the filled sampled cells, the mean text length and the share of distinct values.
``schema.COLUMN_SPEC`` says which profile each canonical column expects (``expects``);
:func:`fit` and :func:`contradiction` compare the two, :func:`propose` maps columns by their
values alone (how = 按内容) when the headers say nothing.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .._placeholders import is_placeholder
from ..clean import fold_width, value_words
from ..schema import COLUMN_SPEC
from ._rowkinds import holds_no_values

#: how a column is matched from its values alone
CONTENT = "按内容"
#: sampled cells per column (spread evenly over the body)
SAMPLE = 100

KIND_ZH: dict[str, str] = {
    "datetime": "日期时间",
    "date": "日期",
    "time": "时刻",
    "id": "身份证号",
    "phone": "电话",
    "yesno": "是/否",
    "number": "数字",
    "code": "编号",
    "name": "姓名",
    "channel": "信访形式词",
    "level": "信访去向词",
    "satisfaction": "满意度词",
    "status": "办理状态词",
    "category": "分类词",
    "text": "短文字",
    "longtext": "长文字",
}
KINDS = tuple(KIND_ZH)

_DATETIME = re.compile(
    r"(?:\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{1,2}/\d{1,2}/\d{4})"
    r"\s*[T ]?\s*\d{1,2}\s*[:时]\s*\d{1,2}(?:\s*[:分]\s*\d{1,2}(?:\.\d+)?秒?)?(?:\s*分)?"
)
_DATE = re.compile(
    r"\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]?"
    r"|\d{1,2}\s*月\s*\d{1,2}\s*[日号]|(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"|\d{1,2}/\d{1,2}/\d{4}"
)
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
_ID = re.compile(r"\d{17}[\dXx]|\d{15}")
_PHONE = re.compile(r"(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}|0\d{2,3}[- ]?\d{7,8}(?:转\d+)?")
_NUMBER = re.compile(r"-?\d{1,7}(?:\.\d+)?\s*(?:人|人次|次|件|天|日)?")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-#/]{4,39}")
_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{2,6}·[\u4e00-\u9fff]{2,8}")
_NOT_NAME = re.compile(r"[镇乡村局区县市省所委办队站院校司厂部科室组处街道会社中心]$")
#: common surnames (the first character of a name); two-character ones are checked first
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左"
    "柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈"
    "饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵"
    "苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_SURNAMES2 = frozenset({"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容"})
_YESNO_EXTRA = frozenset({"是", "否", "有", "无", "已", "未", "√", "×", "y", "n", "yes", "no"})


def _inside(words) -> re.Pattern[str] | None:
    """One pattern finding any of ``words`` (longest first) inside a text."""
    words = sorted(words, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))) if words else None


@lru_cache(maxsize=1)
def _vocab() -> dict[str, tuple[frozenset[str], re.Pattern[str] | None]]:
    """kind -> (exact words, pattern of the words a short cell may contain), from data files."""
    from .._datafile import data_file, read_text

    out: dict[str, tuple[frozenset[str], re.Pattern[str] | None]] = {}
    for kind, field_name in (
        ("channel", "channel"),
        ("level", "visit_level"),
        ("satisfaction", "satisfaction"),
        ("status", "status"),
    ):
        pairs = value_words(field_name)
        words = {c for c, _ in pairs} | {w.lower() for _, ws in pairs for w in ws}
        # contained words: two characters or more (a lone 市/县/镇 is in every place name)
        out[kind] = (frozenset(words), _inside(w for w in words if len(w) >= 2))
    yesno = {w.lower() for _, ws in value_words("flag") for w in ws} | _YESNO_EXTRA
    out["yesno"] = (frozenset(w for w in yesno if not w.isdigit()), None)
    taxonomy = read_text(data_file("taxonomy.yaml"), name="taxonomy.yaml")
    cats = set(re.findall(r"^\s*- name:\s*(\S+)", taxonomy, re.M))
    local = read_text(data_file("local_categories.csv"), name="local_categories.csv")
    for line in local.splitlines()[1:]:
        parts = line.split(",")
        cats.update(p.strip() for p in parts[:3] if p.strip())
    out["category"] = (frozenset(cats), _inside(c for c in cats if len(c) >= 3))
    return out


def kind_of(value: object) -> str | None:
    """The kind of one cell value (None for an empty cell)."""
    if isinstance(value, _dt.datetime):
        return "date" if value.time() == _dt.time(0) else "datetime"
    if isinstance(value, _dt.date):
        return "date"
    if isinstance(value, _dt.time):
        return "time"
    if isinstance(value, bool):
        return "yesno"
    if isinstance(value, (int, float, np.integer, np.floating)):
        if value != value:
            return None
        if float(value).is_integer() and abs(value) >= 1e8:
            return _text_kind(str(int(value)))
        return "number"
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    text = text.strip()
    if not text or _blank_word(text):  # 无, 不详, /, - say nothing about what a column holds
        return None
    return _text_kind(text)


@lru_cache(maxsize=1)
def _blank_words() -> frozenset[str]:
    from .._placeholders import placeholder_words

    return frozenset(w.lower() for f, m, w in placeholder_words() if f == "any" and m == "equal")


def _blank_word(text: str) -> bool:
    return len(text) <= 4 and fold_width(text).replace(" ", "").lower() in _blank_words()


#: the shapes of a short text, tried in this order in one pattern (the group that matched)
_SHAPES = re.compile(
    "|".join(
        f"(?P<{name}>{pattern.pattern})"
        for name, pattern in (
            ("datetime", _DATETIME),
            ("date", _DATE),
            ("time", _TIME),
            ("id", _ID),
            ("phone", _PHONE),
        )
    )
)


def _text_kind(text: str) -> str:
    folded = fold_width(text)
    key = folded.replace(" ", "").lower()
    if len(key) > 40:
        return "longtext"
    m = _SHAPES.fullmatch(folded) or _SHAPES.fullmatch(key)
    if m:
        return m.lastgroup or "text"
    vocab = _vocab()
    if not key.isascii():
        for kind in ("status", "satisfaction"):  # 办结/已办结 are status words before yes/no
            if key in vocab[kind][0]:
                return kind
    if key in vocab["yesno"][0]:
        return "yesno"
    if _NUMBER.fullmatch(key):
        return "number"
    if key.isascii():
        if _CODE.fullmatch(key) and any(ch.isdigit() for ch in key):
            return "code"
    elif len(key) <= 12:
        for kind in ("status", "satisfaction", "channel", "level", "category"):
            exact, inside = vocab[kind]
            if key in exact or (len(key) <= 8 and inside is not None and inside.search(key)):
                return kind
        if is_placeholder(key, "petitioner"):
            return "name"
        if _NAME.fullmatch(key) and not _NOT_NAME.search(key):
            if key[0] in _SURNAMES or key[:2] in _SURNAMES2:
                return "name"
    return "longtext" if len(key) >= 15 else "text"


@dataclass(frozen=True)
class Profile:
    """What a column holds: ``shares`` of each kind among its ``n`` filled sampled cells,
    mean ``length`` of their text, share of ``distinct`` values, share ``filled`` of the
    sampled rows, and the sample's dates (for comparing two date columns row by row)."""

    n: int = 0
    shares: dict[str, float] = field(default_factory=dict)
    length: float = 0.0
    distinct: float = 0.0
    filled: float = 0.0
    dates: tuple = ()
    consecutive: bool = False

    def share(self, *kinds: str) -> float:
        return sum(self.shares.get(k, 0.0) for k in kinds)

    def top(self) -> tuple[str, float]:
        if not self.shares:
            return "", 0.0
        kind = max(self.shares, key=lambda k: self.shares[k])
        return kind, self.shares[kind]

    def evidence(self, kinds: tuple[str, ...] | None = None) -> str:
        """E.g. "98% 日期时间", "100% 身份证号", "长文字 92%, 平均 45 字"; kinds: the ones to name."""
        if not self.n:
            return "(抽样无内容)"
        if kinds:
            share = self.share(*kinds)
            kind = max(kinds, key=lambda k: self.shares.get(k, 0.0))
        else:
            kind, share = self.top()
        text = f"{share:.0%} {KIND_ZH.get(kind, kind)}"
        if kind in ("longtext", "text"):
            text += f", 平均 {self.length:.0f} 字"
        if kind == "code" and self.distinct >= 0.95:
            text += " (各不相同)"
        return text


def _sample_rows(start: int, stop: int, size: int = SAMPLE) -> np.ndarray:
    if stop - start <= size:
        return np.arange(start, stop)
    return np.unique(np.linspace(start, stop - 1, size).astype(np.int64))


def profile_values(values) -> Profile:
    """The profile of a sequence of cell values (already sampled)."""
    kinds: dict[str, int] = {}
    lengths = 0
    seen: set = set()
    dates: list = []
    numbers: list = []
    known: dict[object, str | None] = {}  # a column repeats its values: each is judged once
    n = 0
    for value in values:
        try:
            kind = known[value]
        except KeyError:
            kind = known[value] = kind_of(value)
        except TypeError:  # not hashable
            kind = kind_of(value)
        if kind is None:
            dates.append(None)
            continue
        n += 1
        kinds[kind] = kinds.get(kind, 0) + 1
        text = value.strip() if isinstance(value, str) else str(value)
        lengths += len(text)
        seen.add(text)
        dates.append(_as_day(value) if kind in ("date", "datetime") else None)
        if kind == "number":
            numbers.append(value)
    total = len(dates)
    if not n:
        return Profile(filled=0.0, dates=tuple(dates))
    return Profile(
        n=n,
        shares={k: c / n for k, c in kinds.items()},
        length=lengths / n,
        distinct=len(seen) / n,
        filled=n / total if total else 0.0,
        dates=tuple(dates),
        consecutive=_consecutive(numbers),
    )


def _consecutive(numbers: list) -> bool:
    """1, 2, 3 ... (a 序号 column, not a case number)."""
    try:
        ints = [int(float(v)) for v in numbers]
    except (TypeError, ValueError):
        return False
    return len(ints) >= 3 and all(b > a for a, b in zip(ints, ints[1:], strict=False))


def _as_day(value: object):
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    digits = re.findall(r"\d+", fold_width(str(value)))
    try:
        if len(digits) >= 3 and len(digits[0]) == 4:
            return _dt.date(int(digits[0]), int(digits[1]), int(digits[2]))
        if len(digits) >= 3 and len(digits[2]) == 4:  # 4/25/2019 (month first, as US exports)
            return _dt.date(int(digits[2]), int(digits[0]), int(digits[1]))
        if len(digits) == 1 and len(digits[0]) == 8:
            d = digits[0]
            return _dt.date(int(d[:4]), int(d[4:6]), int(d[6:]))
    except ValueError:
        return None
    return None


def profile_columns(cells: np.ndarray, start: int, columns) -> dict[int, Profile]:
    """Profiles of the given grid columns over the body rows ``start:`` (a sample of them),
    leaving out the sampled rows that are no case whatever the header says (a template's hint
    row, a total or note line, a 序号 alone: :func:`._rowkinds.holds_no_values`)."""
    rows = _sample_rows(start, cells.shape[0])
    if len(rows) and cells.shape[1] >= 3:
        kept = rows[[not holds_no_values(cells[r], r - start) for r in rows]]
        # most rows "without values": a sparse ledger, not one of notes; judge them all
        rows = kept if len(kept) >= len(rows) / 2 else rows
    if not len(rows):
        return {j: Profile() for j in columns}
    block = cells[rows]
    return {j: profile_values(block[:, j]) for j in columns}


# --- what each canonical column expects -------------------------------------------------------
#: expected profile -> (kinds that fit, kinds that contradict it)
EXPECTATIONS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "date": (  # a closing date column says 未办结 where there is none yet
        frozenset({"date", "datetime", "number", "status"}),
        frozenset({"id", "phone", "yesno", "longtext", "name"}),
    ),
    "time": (frozenset({"time", "datetime"}), frozenset({"id", "phone", "longtext", "name"})),
    "longtext": (
        frozenset({"longtext", "text", "category"}),
        frozenset({"date", "datetime", "id", "phone", "yesno", "number", "time"}),
    ),
    "text": (
        frozenset(KINDS) - {"date", "datetime", "id", "phone", "time"},
        frozenset({"date", "datetime", "id", "phone", "time"}),
    ),
    "name": (
        frozenset({"name", "text"}),
        frozenset({"date", "datetime", "id", "phone", "yesno", "longtext", "number", "time"}),
    ),
    "id": (
        frozenset({"id"}),
        frozenset({"date", "datetime", "phone", "yesno", "longtext", "name", "time"}),
    ),
    "phone": (
        frozenset({"phone"}),
        frozenset({"date", "datetime", "id", "yesno", "longtext", "name", "time"}),
    ),
    "number": (
        frozenset({"number"}),
        frozenset({"date", "datetime", "id", "phone", "longtext", "name", "time"}),
    ),
    "code": (  # case numbers; accounts may be nicknames that look like names
        frozenset({"code", "number", "id", "phone", "text", "name"}),
        frozenset({"date", "datetime", "yesno", "longtext", "time"}),
    ),
    "yesno": (
        frozenset({"yesno", "number", "status", "text"}),
        frozenset({"date", "datetime", "id", "phone", "longtext", "name", "time"}),
    ),
}
for _kind in ("channel", "level", "satisfaction", "status", "category"):
    EXPECTATIONS[_kind] = (
        frozenset({_kind, "text", "yesno"}),
        frozenset({"date", "datetime", "id", "phone", "longtext", "time"}),
    )


def expected(canonical: str | None) -> str:
    """The value profile ``canonical`` expects (schema.COLUMN_SPEC ``expects``; flags: yes/no)."""
    if not canonical:
        return ""
    spec = _EXPECTS.get(canonical)
    if spec is not None:
        return spec
    return "yesno" if canonical.endswith("_flag") else ""


_EXPECTS = {c.name: c.expects for c in COLUMN_SPEC if getattr(c, "expects", "")}

#: expected profiles with a shape of their own (an ID, a phone, a date): any other kind of
#: value contradicts them, not only the kinds listed as contradicting
_SHAPED = frozenset({"id", "phone", "date", "time"})

#: filled sampled cells needed before values may overrule a header
MIN_CELLS = 5


def fit(profile: Profile, expects: str) -> float:
    """Share of the sampled values that fit the expected profile (1.0 when nothing is known)."""
    if not expects or profile.n == 0 or expects not in EXPECTATIONS:
        return 1.0
    good, _bad = EXPECTATIONS[expects]
    return profile.share(*good)


def contradiction(profile: Profile, expects: str, *, strict: bool) -> str | None:
    """The evidence that the values contradict what a column expects, or None.

    ``strict`` (an exact synonym): at least 10 cells, 80% of them of kinds that cannot be the
    column; otherwise (an approximate match): at least 5 cells, 60%."""
    if not expects or expects not in EXPECTATIONS:
        return None
    need_n, need_share = (10, 0.8) if strict else (MIN_CELLS, 0.6)
    if profile.n < need_n:
        return None
    good, bad = EXPECTATIONS[expects]
    if expects in _SHAPED:  # a shape of its own: what does not have it contradicts
        bad = frozenset(KINDS) - good
    alien = {k: s for k, s in profile.shares.items() if k in bad}
    if sum(alien.values()) >= need_share and profile.share(*good) < 1 - need_share:
        return profile.evidence(tuple(alien))
    if expects == "longtext" and profile.share("longtext") == 0 and profile.length < 4:
        # a column of one- or two-character words is no 反映问题
        if profile.share("yesno", "number", "name") >= need_share:
            return profile.evidence(("yesno", "number", "name"))
    return None


# --- mapping from values alone ----------------------------------------------------------------
@dataclass(frozen=True)
class Proposal:
    canonical: str
    score: float
    evidence: str


#: canonical column -> (kinds it is recognised by, least share)
_BY_CONTENT: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("id_number", ("id",), 0.6),
    ("phone", ("phone",), 0.6),
    ("summary", ("longtext",), 0.5),
    ("status_text", ("status",), 0.6),
    ("satisfaction", ("satisfaction",), 0.6),
    ("channel", ("channel",), 0.6),
    ("visit_level", ("level",), 0.6),
    ("category", ("category",), 0.6),
    ("petitioner", ("name",), 0.6),
    ("received_time", ("time",), 0.8),
)


def propose(profiles: dict[int, Profile], *, taken: set[str], allowed=None) -> dict[int, Proposal]:
    """A canonical column for each column recognisable by its values alone.

    ``taken``: canonical columns already mapped (by header); ``allowed(canonical, j)``: may
    column j become ``canonical`` (e.g. its header does not say otherwise)."""

    def ok(canonical: str, j: int) -> bool:
        return canonical not in taken and (allowed is None or allowed(canonical, j))

    out: dict[int, Proposal] = {}
    free = {j: p for j, p in profiles.items() if p.n >= 3}
    # dates: the earliest column is the received date, a later one (day by day) the closing date
    dated = [j for j, p in free.items() if p.share("date", "datetime") >= 0.6]
    if dated and ok("received_date", dated[0]):
        # the column whose dates come first row by row (a reply is never before the message)
        first = max(
            dated,
            key=lambda j: (
                sum(_later_share(free[j], free[k]) for k in dated if k != j),
                -j,
            ),
        )
        if ok("received_date", first):
            p = free[first]
            out[first] = Proposal(
                "received_date", 100 * p.share("date", "datetime"), p.evidence(("datetime", "date"))
            )
            for j in dated:
                if j != first and ok("closed_date", j) and "closed_date" not in _taken(out):
                    later = _later_share(free[first], free[j])
                    if later >= 0.9:
                        q = free[j]
                        out[j] = Proposal(
                            "closed_date",
                            100 * q.share("date", "datetime") * later,
                            q.evidence(("datetime", "date")) + f", {later:.0%} 晚于登记日期",
                        )
    for canonical, kinds, least in _BY_CONTENT:
        # the leftmost column that qualifies (the message before the reply, the caller
        # before the clerk)
        cands = [
            j
            for j, p in free.items()
            if j not in out and p.share(*kinds) >= least and ok(canonical, j)
        ]
        if not cands or canonical in _taken(out):
            continue
        j = min(cands)
        share = free[j].share(*kinds)
        out[j] = Proposal(canonical, round(100 * share, 1), free[j].evidence(kinds))
    # codes: the first all-different one is the case number; another one a platform account
    for j, p in sorted(free.items()):
        if j in out or p.share("code") < 0.6 or p.consecutive:
            continue
        if p.distinct >= 0.95 and ok("case_id", j) and "case_id" not in _taken(out):
            out[j] = Proposal("case_id", round(100 * p.share("code"), 1), p.evidence(("code",)))
        elif ok("account_id", j) and "account_id" not in _taken(out):
            more = ", 有重复" if p.distinct < 0.95 else ""
            out[j] = Proposal(
                "account_id", round(100 * p.share("code"), 1), p.evidence(("code",)) + more
            )
    return out


def _taken(out: dict[int, Proposal]) -> set[str]:
    return {p.canonical for p in out.values()}


def _median_day(profile: Profile):
    days = sorted(d for d in profile.dates if d is not None)
    return days[len(days) // 2] if days else _dt.date.max


def _later_share(first: Profile, other: Profile) -> float:
    pairs = [
        (a, b)
        for a, b in zip(first.dates, other.dates, strict=False)
        if a is not None and b is not None
    ]
    if len(pairs) < 3:
        return 0.0
    return sum(b >= a for a, b in pairs) / len(pairs)
