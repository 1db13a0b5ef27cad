"""Which columns hold personal data, and of what kind: by canonical name or by header words.

A ledger carries persons in more columns than the canonical four: 联系人, 其他信访人, 代理人,
代理人电话, 代理人身份证, 被反映人, 留言用户, 填表人 ... Mapped or not, a column whose header
says it holds personal data is masked by its kind.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["CANONICAL_KINDS", "EXEMPT_COLUMNS", "column_kind", "pii_columns"]

#: the canonical personal columns and their kinds (account_id: a web or hotline account)
CANONICAL_KINDS: dict[str, str] = {
    "petitioner": "name",
    "id_number": "id",
    "phone": "phone",
    "address": "address",
    "account_id": "account",
}

#: columns whose text is never personal and must stay as written (identifiers, provenance)
EXEMPT_COLUMNS: frozenset[str] = frozenset(
    {
        "case_id",
        "source_file",
        "source_sheet",
        "source_row",
        "chain_id",
        "person_key",
        "_xf_row",
    }
)

# header words, most specific first: 代理人电话 is a phone, 代理人身份证 an ID number
_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("id", ("身份证", "证件", "证号", "身份号码", "sfzh", "zjhm")),
    ("phone", ("电话", "手机", "联系方式", "座机", "固话", "传真号", "lxdh")),
    ("address", ("住址", "地址", "住所", "居住地", "户籍地", "家庭住", "门牌")),
    ("account", ("账号", "帐号", "用户id", "用户名", "留言用户", "微信", "qq", "邮箱")),
    (
        "name",
        (
            "姓名",
            "联系人",
            "代理人",
            "信访人",
            "来访人",
            "来信人",
            "来电人",
            "上访人",
            "反映人",
            "投诉人",
            "举报人",
            "诉求人",
            "当事人",
            "申请人",
            "委托人",
            "陪同人",
            "填表人",
            "被反映人",
            "被举报人",
            "被投诉人",
            "家属",
            "户主",
            "xfrxm",
        ),
    ),
)


def column_kind(column: object) -> str | None:
    """'name', 'id', 'phone', 'address', 'account' or None for a column name or header."""
    name = str(column).strip()
    if name in CANONICAL_KINDS:
        return CANONICAL_KINDS[name]
    if name in EXEMPT_COLUMNS:
        return None
    low = name.lower()
    if "人数" in low or low.endswith("数"):  # 其他信访人数 counts persons, it names nobody
        return None
    for kind, words in _CUES:
        if any(w in low for w in words):
            return kind
    return None


def pii_columns(columns: Iterable[object]) -> dict[str, str]:
    """The personal columns among ``columns``, each with its kind."""
    out: dict[str, str] = {}
    for c in columns:
        kind = column_kind(c)
        if kind is not None:
            out[c] = kind
    return out
