"""Masking by content: every spelling of numbers, names after cues, known names, house numbers."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinfang_toolkit import mask_pii, pseudonymize
from xinfang_toolkit.privacy import (
    TextMasker,
    column_kind,
    known_names,
    mask_issues,
    mask_text,
    pii_columns,
)

ID18 = "41012219900307123X"
MOBILE = "13812345678"


def _fw(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", text))


@pytest.mark.parametrize(
    "text",
    [
        f"身份证{ID18}",
        f"身份证号：{_fw(ID18)}",
        f"证号 {ID18[:6]} {ID18[6:14]} {ID18[14:]}",
        f"证号{ID18[:6]}-{ID18[6:14]}-{ID18[14:]}",
        f"号码{' '.join(ID18[i : i + 4] for i in range(0, 18, 4))}。",
        "老证410122900307123，",
    ],
)
def test_id_numbers_in_every_spelling(text):
    out = mask_text(text)
    assert "1990030" not in _digits(out) and "900307" not in _digits(out), out
    assert "410122" in _digits(out)  # the region stays readable


@pytest.mark.parametrize(
    "text",
    [
        f"电话{MOBILE}",
        "手机 138 1234 5678",
        "手机138-1234-5678",
        f"+86 {MOBILE}",
        f"+86-{MOBILE}",
        f"＋８６{_fw(MOBILE)}",
        f"联系{_fw(MOBILE)}",
        f"{MOBILE}。",
    ],
)
def test_mobiles_in_every_spelling(text):
    out = mask_text(text)
    assert "1234" not in _digits(out) and "138****5678" in out, out


@pytest.mark.parametrize(
    ("text", "local"),
    [
        ("固话0371-66668888", "66668888"),
        ("(0371)66668888", "66668888"),
        ("（0371）6666 8888", "66668888"),
        ("010-12345678转801", "12345678"),
        ("0371 6666 8888-123", "66668888"),
        ("座机：６６６６８８８８", "66668888"),
        ("电话: 6666888", "6666888"),
    ],
)
def test_landlines_with_area_codes_and_extensions(text, local):
    out = mask_text(text)
    assert local not in _digits(out), out


@pytest.mark.parametrize(
    "text",
    [
        "2026-01-05 来访，共123件，补偿12000元",
        "2026年3月5号到镇政府",
        "案号XF2026-0012，第3次反映",
        "群众反映道路破损",
        "信访人向镇政府反映",
        "本人房屋被拆，村民强行占地，丈夫常年患病",
        "信访人解释相关政策后表示理解",
    ],
)
def test_ordinary_text_is_left_alone(text):
    assert mask_text(text) == text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("我叫张三，要求赔偿", "张三"),
        ("其妻王秀英代为反映", "王秀英"),
        ("其子刘德华代为反映", "刘德华"),
        ("邻居李四作证", "李四"),
        ("本人欧阳小明，", "欧阳小明"),
        ("代理人：赵六反映", "赵六"),
        ("填表人：陈晓东 13655556666", "陈晓东"),
        ("信访人孙立多次来访", "孙立"),
    ],
)
def test_names_after_cue_words(text, name):
    out = mask_text(text)
    assert name not in out and name[0] in out, out


def test_known_names_are_masked_anywhere_in_the_text():
    out = mask_text("王秀英说李建国占了她家的地，王秀英要求处理", names=["王秀英", "李建国"])
    assert out == "王*英说李*国占了她家的地，王*英要求处理"


@pytest.mark.parametrize(
    ("text", "house"),
    [
        ("住东关村3组12号", "3组12号"),
        ("住5栋2单元301室", "301室"),
        ("幸福路18号", "18号"),
        ("城关镇东关村12组", None),
    ],
)
def test_house_numbers(text, house):
    out = mask_text(text)
    if house is None:
        assert out == text
    else:
        assert house not in out and "*" in out, out


_SEPS = st.sampled_from(["", " ", "-", "\u3000", "  "])
_CJK = st.text(alphabet="的一是了我不人在有这反映问题土地补偿道路，。", max_size=12)


@given(
    st.text(alphabet="0123456789", min_size=17, max_size=17),
    st.lists(_SEPS, min_size=17, max_size=17),
    _CJK,
    _CJK,
    st.booleans(),
)
def test_property_an_id_number_never_survives(first17, seps, before, after, fullwidth):
    pid = first17 + "X"
    spelled = "".join(d + s for d, s in zip(pid, seps + [""], strict=True))
    if fullwidth:
        spelled = _fw(spelled)
    out = unicodedata.normalize("NFKC", mask_text(before + spelled + after))
    assert first17[:6] + "********" + first17[14:] + "X" in out


@given(
    st.sampled_from("3456789"),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
    _SEPS,
    st.sampled_from(["", "+86 ", "+86-", "86"]),
    _CJK,
    _CJK,
)
def test_property_a_mobile_never_survives(second, rest, sep, prefix, before, after):
    number = "1" + second + rest
    spelled = prefix + number[:3] + sep + number[3:7] + sep + number[7:]
    out = mask_text(before + spelled + after)
    assert number not in _digits(out) and number[:3] + "****" + number[-4:] in out


@given(st.text(max_size=60))
def test_property_masking_is_idempotent_and_never_crashes(text):
    once = mask_text(text)
    assert mask_text(once) == once


def test_column_kinds_by_header():
    assert column_kind("petitioner") == "name"
    assert column_kind("代理人电话") == "phone"
    assert column_kind("代理人身份证") == "id"
    assert column_kind("代理人") == "name"
    assert column_kind("被反映人") == "name"
    assert column_kind("其他信访人") == "name"
    assert column_kind("留言用户") == "account"
    assert column_kind("account_id") == "account"
    assert column_kind("家庭住址") == "address"
    assert column_kind("填表人") == "name"
    assert column_kind("其他信访人数") is None
    assert column_kind("case_id") is None and column_kind("summary") is None
    assert pii_columns(["summary", "联系人", "phone"]) == {"联系人": "name", "phone": "phone"}


def _ledger() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "case_id": ["C1", "C2", "13812345678"],
            "petitioner": ["张三明", "李四", "王五"],
            "phone": ["13812345678", None, "0371-66668888"],
            "summary": ["李四和我争地，其妻王秀英作证", "张三明占地", "王五的事"],
            "联系人": ["赵六 13900001111", "钱七、孙八", None],
            "代理人身份证": [ID18, None, None],
            "被反映人": ["周九", None, None],
            "留言用户": ["wx_zhangsan", None, None],
            "备注": ["周九打人，赵六看见", None, "孙八电话13700002222"],
        }
    )


def test_mask_pii_masks_unmapped_personal_columns_and_names_across_rows():
    df = _ledger()
    before = df.copy()
    out = mask_pii(df)
    pd.testing.assert_frame_equal(df, before)  # the input is not changed
    text = out.astype("string").fillna("").to_csv()
    for secret in ("张三明", "李四", "王秀英", "赵六", "钱七", "孙八", "周九", "wx_zhangsan"):
        assert secret not in text, secret
    for number in ("13900001111", "13700002222", "66668888", ID18[6:14]):
        assert number not in text, number
    assert out["case_id"].tolist() == df["case_id"].tolist()  # identifiers stay as written
    assert out.loc[1, "summary"] == "张*明占地"


def test_mask_pii_of_one_row_with_the_frame_names():
    df = _ledger()
    names = known_names(df)
    assert {"张三明", "李四", "王秀英", "周九", "钱七"} <= names
    one = mask_pii(df.iloc[[1]][["case_id", "summary"]], names=names)
    assert one["summary"].tolist() == ["张*明占地"]


def test_mask_issues_values_problems_and_excluded_content():
    issues = pd.DataFrame(
        {
            "source_row": [3, 4, 5],
            "column": ["petitioner", "代理人电话", "summary"],
            "value": ["张三明X", "1390000111199", "张三明说13812345678"],
            "problem": ["姓名含非汉字：张三明X", "号码位数不对", "无"],
        }
    )
    out = mask_issues(issues, names=["张三明"])
    text = out.to_csv()
    assert "张三明" not in text and "13812345678" not in text and "1390000111199" not in text
    excluded = pd.DataFrame({"reason": ["签名行"], "content": ["填表人：陈晓东 13655556666"]})
    assert mask_issues(excluded)["content"].tolist() == ["填表人：陈*东 136****6666"]


def test_pseudonymize_keys_the_petitioner_and_still_masks_free_text():
    out = pseudonymize(_ledger())
    assert out["petitioner"].str.match(r"^P[0-9A-F]{12}$").all()
    text = out.astype("string").fillna("").to_csv()
    for secret in ("张三明", "李四", "王秀英", "赵六", "周九", "13700002222", ID18[6:14]):
        assert secret not in text, secret


def test_text_masker_reuses_one_automaton():
    masker = TextMasker({"王秀英"}, cues=False)
    assert masker("王秀英来访") == "王*英来访"
    assert masker("其妻李桂兰") == "其妻李桂兰"  # cues off: the frame found them beforehand
