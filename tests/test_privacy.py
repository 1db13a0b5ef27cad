import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinfang_toolkit import mask_pii, person_key, pseudonymize
from xinfang_toolkit._placeholders import is_placeholder
from xinfang_toolkit.privacy import (
    mask_address,
    mask_id,
    mask_name,
    mask_phone,
    mask_text,
    person_keys,
)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [("张三明", "张*明"), ("张三", "张*"), ("欧阳小明", "欧**明"), ("李", "*"), (" 王五 ", "王*")],
)
def test_mask_name(raw, masked):
    assert mask_name(raw) == masked


def test_mask_id_phone_address():
    assert mask_id("41012219900101123X") == "410122********123X"
    assert mask_phone("138-1234-5678") == "138****5678"
    assert mask_phone("03716543210") == "037****3210"
    assert mask_address("河南省某县双河乡羊角山村3组12号") == "河南省某县双河乡羊角山村***"
    assert mask_address("某县响嘡街道幸福路8号") == "某县响嘡街道***"
    assert mask_address("光明小区") == "光明***"


@pytest.mark.parametrize("empty", [None, pd.NA, "", "  "])
def test_masks_keep_empty(empty):
    for f in (mask_name, mask_id, mask_phone, mask_address, mask_text):
        out = f(empty)
        assert out is empty


def test_mask_text_masks_numbers_and_names():
    text = "张三明反映，身份证41012219900101123X，电话13812345678，座机0371-65432109。"
    out = mask_text(text, names=["张三明"])
    assert "张*明" in out and "张三明" not in out
    assert "410122********123X" in out
    assert "138****5678" in out
    assert "65432109" not in out
    assert "13812345678" not in out


def _cases():
    return pd.DataFrame(
        {
            "case_id": ["A1", "A2", "A3"],
            "petitioner": ["张三明", "李四", pd.NA],
            "id_number": ["41012219900101123X", pd.NA, pd.NA],
            "phone": ["13812345678", "13900001111", pd.NA],
            "address": ["某县双河乡羊角山村3组", "某县康王乡", pd.NA],
            "summary": ["张三明反映拆迁补偿", "电话13900001111要求答复", pd.NA],
        }
    ).astype("string")


def test_mask_pii_masks_every_column_and_leaves_input():
    cases = _cases()
    before = cases.copy()
    out = mask_pii(cases)
    pd.testing.assert_frame_equal(cases, before)
    assert out["petitioner"].tolist()[:2] == ["张*明", "李*"]
    assert out["id_number"].iloc[0] == "410122********123X"
    assert out["phone"].iloc[1] == "139****1111"
    assert out["address"].iloc[0] == "某县双河乡羊角山村***"
    assert out["summary"].iloc[0] == "张*明反映拆迁补偿"
    assert out["summary"].iloc[1] == "电话139****1111要求答复"
    assert out["petitioner"].isna().iloc[2]
    flat = " ".join(out.fillna("").to_numpy().ravel())
    for secret in ("张三明", "41012219900101123X", "13812345678", "13900001111"):
        assert secret not in flat


def test_person_key_rules():
    k_id = person_key("41012219900101123x", "张三明")
    assert k_id == person_key("４１０１２２１９９００１０１１２３Ｘ", "别名")  # same ID, any name
    assert k_id != person_key("410122199001011248")
    assert "410122" not in k_id and k_id.startswith("P")
    # no ID: name + phone, then name + address
    assert person_key(None, "李四", "139-0000-1111") == person_key("", "李 四", "13900001111")
    assert person_key(None, "李四", None, "某村") == person_key(None, "李四", "", "某村")
    assert person_key(None, "李四", None, "某村") != person_key(None, "李四", None, "别村")
    assert person_key(None, "李四") is None
    assert person_key("41012219900101123X", salt="a") != person_key("41012219900101123X", salt="b")


@given(st.text(alphabet="0123456789", min_size=18, max_size=18), st.text(min_size=1, max_size=4))
def test_person_key_never_contains_the_id(pid, name):
    key = person_key(pid, name)
    if is_placeholder(pid, "id_number"):  # 000000000000000000 is nobody (issue 28)
        assert key is None
        return
    assert key is not None and pid not in key and len(key) == 13


def test_person_keys_and_pseudonymize():
    cases = _cases()
    keys = person_keys(cases)
    assert keys.iloc[0] == person_key("41012219900101123X")
    assert keys.iloc[1] == person_key(None, "李四", "13900001111")
    assert pd.isna(keys.iloc[2])
    out = pseudonymize(cases)
    # salted with the office's secret, never with the public default
    assert out["petitioner"].iloc[0] != keys.iloc[0]
    secret = pseudonymize(cases, salt="a-secret-of-sixteen-or-more")
    assert secret["petitioner"].iloc[0] == person_keys(cases, salt="a-secret-of-sixteen-or-more")[0]
    assert out["petitioner"].iloc[0] == pseudonymize(cases)["petitioner"].iloc[0]  # stable
    assert out["id_number"].isna().all() and out["phone"].isna().all()
    assert out["address"].iloc[0] == "某县双河乡羊角山村***"
    assert "13900001111" not in out["summary"].iloc[1]


def test_person_keys_match_person_key_row_by_row():
    # an ID number decides alone; the other columns only for rows without one
    cases = pd.DataFrame(
        {
            "id_number": ["41012219900101123X", None, "123", None, None, " ", "41012219900101123X"],
            "petitioner": ["张三", "李四", "李四", "Ｗａｎｇ 五", "王五", None, "别名"],
            "phone": ["1380000", "139 0000 1111", None, None, None, "13800001111", None],
            "address": [None, None, "某村", "某县 某村", None, "某村", None],
            "account_id": [None, None, None, None, "u-42", None, "u-1"],
        }
    )
    expected = [
        person_key(pid, name, phone, addr, account_id=acc)
        for pid, name, phone, addr, acc in cases.itertuples(index=False, name=None)
    ]
    assert person_keys(cases).tolist() == [pd.NA if k is None else k for k in expected]
    only_ids = cases.iloc[[0, 6]]
    assert person_keys(only_ids).nunique() == 1


def test_norm_codes_once_per_distinct_value_and_only_for_the_rows_asked():
    from xinfang_toolkit.privacy._keys import _norm_codes

    cases = pd.DataFrame({"phone": ["138 0000", None, "１３８ 0000", "139"]})
    codes, normed = _norm_codes(cases, "phone", digits=True)
    assert normed[codes].tolist() == ["1380000", "", "1380000", "139"]
    codes, normed = _norm_codes(
        cases, "phone", rows=pd.Series([False, True, True, False]).to_numpy()
    )
    assert normed[codes].tolist() == ["", "", "1380000", ""]
    assert _norm_codes(cases, "address")[0].tolist() == [-1, -1, -1, -1]


def test_an_organisation_as_petitioner_is_no_name_to_mask_in_every_text():
    """物业公司 or 全体业主 written as the petitioner is no person: masking it in every summary
    (反映物**司乱收费) would protect nobody. A name followed by 家属 or 代表 stays a name."""
    from xinfang_toolkit.privacy import known_names, mask_text

    cases = pd.DataFrame(
        {
            "petitioner": ["物业公司", "全体业主", "张建华家属", "王秀英"],
            "summary": ["反映停车费", "反映物业公司乱收费", "反映王秀英占道", "其他"],
        }
    )
    names = known_names(cases)
    assert "物业公司" not in names and "全体业主" not in names
    assert {"张建华家属", "王秀英"} <= names
    assert (
        mask_text("反映物业公司乱收费，王秀英占道", names=names) == "反映物业公司乱收费，王*英占道"
    )
