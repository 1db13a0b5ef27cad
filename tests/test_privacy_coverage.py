"""Masking covers every place a person shows up: names of any length and script, the free-text
kinds (bank cards, plates, WeChat/QQ/e-mail, phones in Chinese numerals, names with spaces),
file and sheet names, header notes, saved profiles, trained models and the keyword search;
ordinary amounts, dates and case numbers stay as written."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from xinfang_toolkit import load_cases
from xinfang_toolkit.classify import TextClassifier
from xinfang_toolkit.load import mapping_table, save_profile
from xinfang_toolkit.privacy import (
    known_names,
    mask_columns,
    mask_issues,
    mask_message,
    mask_person,
    mask_pii,
    mask_source,
    mask_text,
)
from xinfang_toolkit.widgets import FilterPanel

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


# --- person columns: names of any length and script ------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("阿卜杜热合曼·艾买提", "阿********提"),
        ("Mary Johnson", "M*** J******"),
        ("张 三", "张 *"),
        ("张 秀 兰", "张 * 兰"),
        ("王五、赵六", "王*、赵*"),
        ("欧阳小明", "欧**明"),
        ("李", "*"),
    ],
)
def test_mask_person_any_length_and_script(name, masked):
    assert mask_person(name) == masked


def test_person_columns_hide_long_latin_and_spaced_names_everywhere():
    cases = pd.DataFrame(
        {
            "petitioner": ["阿卜杜热合曼·艾买提", "Mary Johnson", "张 秀 兰", "司马相如之"],
            "summary": [
                "阿卜杜热合曼·艾买提反映草场被占",
                "Mary Johnson称签证材料被扣",
                "信访人张 秀 兰反映，张秀兰之子作证",
                "司马相如之反映",
            ],
            "联系人": ["Tom Lee", None, None, None],
        }
    )
    out = mask_pii(cases)
    text = " ".join(out.fillna("").to_numpy().ravel())
    for secret in ("阿卜杜热合曼", "艾买提", "Mary", "Johnson", "秀", "相如", "Tom", "Lee"):
        assert secret not in text, secret
    assert out["summary"].iloc[0].endswith("反映草场被占")
    assert out["summary"].iloc[2] == "信访人张 * 兰反映，张*兰之子作证"


@given(st.text(alphabet="赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨·", min_size=2, max_size=20))
def test_mask_person_never_keeps_a_name_of_two_or_more_characters(name):
    masked = mask_person(name)
    assert len(masked) == len(name) and masked != name


# --- free text: the other kinds ---------------------------------------------------------------

PII_TEXTS = [
    ("银行卡号6222021234567890128", "6222021234567890128"),
    ("转账至6222 0212 3456 7890 128", "6222 0212 3456 7890"),
    ("信用卡 4111111111111111 被盗刷", "4111111111111111"),
    ("车牌京A·12345被扣", "12345"),
    ("其车辆粤B8X8X8被拖走", "8X8X8"),
    ("豫A D12345新能源车", "D12345"),
    ("微信号：zhangxl_2024，请加", "zhangxl_2024"),
    ("QQ 987654321 联系", "987654321"),
    ("扣扣号是12345678", "12345678"),
    ("邮箱zhang.xiulan88@163.com", "zhang.xiulan88"),
    ("电话一三九一二三四五六七八", "一二三四五六七八"),
    ("手机幺三八 一二三四 五六七八", "一二三四 五六"),
    ("我叫 李 四 ，家住东关", "李 四"),
    ("代理人Mary Johnson称", "Mary Johnson"),
]


@pytest.mark.parametrize(("text", "secret"), PII_TEXTS)
def test_free_text_kinds_are_masked(text, secret):
    masked = mask_text(text)
    assert secret not in masked, masked
    assert "*" in masked


ORDINARY = [
    "补偿款61万元，2022年被拆除房屋256平方米，已逾期22个月",
    "2026-03-05 10:30 来访，2026年3月5日答复，编号XF2026-000123",
    "信访件编号20260301000123456，交办单号2026030100012345",
    "金额12345678元，面积1234.56平方米，同比下降12.5%",
    "依据GB50016-2014标准，京津冀协同发展，苏A区段",
    "二〇二六年三月五日，第三季度，一二三四月份",
    "12345热线转办，工单号A202603050001",
    "邮寄地址见附件，QQ群反映，微信反映情况",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_numbers_dates_and_case_numbers_stay(text):
    assert mask_text(text) == text


def test_precision_on_the_sample_texts():
    """The sample ledgers' texts hold amounts, dates, areas and case numbers but no person:
    masking changes none of them (before this round: 0 of 2,584 texts changed, and now)."""
    result = load_cases(sorted(p for p in SAMPLE.rglob("*") if p.suffix in (".xlsx", ".csv")))
    cases = result.cases
    texts = [c for c in ("summary", "outcome", "responsible_unit", "locality") if c in cases]
    out = mask_pii(cases)
    changed = {c: int((cases[c].fillna("") != out[c].fillna("")).sum()) for c in texts if c in out}
    assert sum(cases[c].notna().sum() for c in texts) > 2000
    assert changed == dict.fromkeys(changed, 0)
    assert list(out.columns) == list(cases.columns)
    assert out["source_file"].equals(cases["source_file"])  # no person in these file names


# --- file and sheet names, headers, profiles, messages ---------------------------------------


def test_file_and_sheet_names_are_masked_and_stay_readable():
    assert (
        mask_source("张秀兰_110101198805051237_台账.xlsx") == "张*兰_110101********1237_台账.xlsx"
    )
    assert mask_source("李四") == "李*"
    assert mask_source("13812345678 王建国.xlsx") == "138****5678 王*国.xlsx"
    for plain in ("河东县信访台账_2026年09月.xlsx", "来访登记", "来信登记", "Sheet1", "工单"):
        assert mask_source(plain) == plain
    for path in SAMPLE.rglob("*"):
        assert mask_source(path.name) == path.name
    assert mask_message("无法读取 D:/台账/张秀兰_13812345678.xlsx: 损坏") == (
        "无法读取 D:/台账/张*兰_138****5678.xlsx: 损坏"
    )


def test_column_names_with_notes_are_masked():
    frame = pd.DataFrame(
        {"备注(联系人张秀兰 13812345678)": ["a"], "summary": ["b"], "备注": ["c"], "备注(2)": ["d"]}
    )
    out = mask_columns(frame)
    assert list(out.columns)[1:] == ["summary", "备注", "备注(2)"]
    assert "张秀兰" not in out.columns[0] and "13812345678" not in out.columns[0]
    assert "备注(联系人张*兰 138****5678)" == out.columns[0]
    assert mask_pii(frame).columns[0] == out.columns[0]
    assert list(frame.columns)[0] == "备注(联系人张秀兰 13812345678)"  # the input unchanged


def _ledger(path: Path) -> Path:
    with xlsxwriter.Workbook(str(path)) as wb:
        ws = wb.add_worksheet("王建国")
        ws.write_row(
            0,
            0,
            [
                "信访件编号",
                "登记日期",
                "信访人",
                "联系电话",
                "反映问题",
                "备注(代填人李红梅 13912345678)",
            ],
        )
        ws.write_row(1, 0, ["C1", "2026-03-01", "张秀兰", "13812345678", "反映土地纠纷", "已答复"])
        ws.write_row(2, 0, ["C2", "2026-03-02", "Mary Johnson", "bad", "反映工资", "已答复"])
    return path


@pytest.fixture
def leaky(tmp_path) -> Path:
    return _ledger(tmp_path / "张秀兰_110101198805051237_台账.xlsx")


SECRETS = ("张秀兰", "110101198805051237", "王建国", "李红梅", "13912345678", "13812345678", "Mary")


def _clean(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, secret


def test_load_result_summary_masked_lists_and_mapping(leaky):
    result = load_cases(leaky)
    _clean(result.summary())
    _clean(result._repr_html_())
    masked = result.masked()
    for frame in (masked.cases, masked.issues, masked.excluded, masked.sources, masked.columns):
        _clean(frame.astype("string").fillna("").to_csv() + " ".join(map(str, frame.columns)))
    _clean(mapping_table(result.columns).to_csv())
    assert len(masked.issues)  # the bad phone is an issue, shown masked
    assert "张*兰_110101********1237_台账.xlsx" in set(masked.cases["source_file"])
    assert set(masked.cases["source_sheet"]) == {"王*国"}
    assert "张秀兰" in result.summary(mask=False) or "王建国" in result.summary(mask=False)


def test_summary_masks_the_header_of_a_column_read_by_content(tmp_path):
    """A header the synonyms do not know, its column read by content (ID numbers): the
    summary's 按内容判断的列 line shows the header masked, as the other lines do."""
    path = tmp_path / "台账.xlsx"
    with xlsxwriter.Workbook(str(path)) as wb:
        ws = wb.add_worksheet("台账")
        ws.write_row(0, 0, ["登记日期", "反映问题", "王建国 13812345678"])
        for i in range(20):
            ws.write_row(i + 1, 0, [f"2025-03-{i + 1:02d}", f"反映路灯{i}", "110101198805051237"])
    result = load_cases(path)
    assert "按内容" in set(result.columns["how"])
    summary = result.summary()
    assert "按内容判断的列" in summary and "138****5678" in summary
    assert "13812345678" not in summary


def test_saved_profile_is_masked_and_still_applies(leaky, tmp_path):
    result = load_cases(leaky)
    path = save_profile(
        result.columns,
        tmp_path / "表头映射.yaml",
        corrections={
            (leaky.name, "王建国", "备注(代填人李红梅 13912345678)"): "outcome",
        },
    )
    text = path.read_text(encoding="utf-8")
    _clean(text)
    again = load_cases(leaky, mapping=path)
    assert again.cases["outcome"].tolist() == ["已答复", "已答复"]


def test_cli_stdout_and_files_are_masked(leaky, tmp_path, capsys):
    from xinfang_toolkit.cli import main

    out = tmp_path / "out"
    main(["load", str(leaky), "-o", str(out), "--no-progress", "--format", "csv"])
    printed = "".join(capsys.readouterr())
    _clean(printed)
    files = list(out.iterdir())
    assert files  # an empty folder would pass the loop below
    for path in files:
        _clean(path.read_text(encoding="utf-8-sig"))


def test_cli_salt_file_gives_office_keys(leaky, tmp_path):
    from xinfang_toolkit.cli import main

    key = tmp_path / "secret" / "office.key"
    args = ["load", str(leaky), "--no-progress", "--format", "csv", "--pseudonymize"]
    main([*args, "-o", str(tmp_path / "a"), "--salt-file", str(key)])
    main([*args, "-o", str(tmp_path / "b"), "--salt-file", str(key)])
    main([*args, "-o", str(tmp_path / "c"), "--salt-file", str(tmp_path / "other.key")])
    read = {d: pd.read_csv(tmp_path / d / "案件清单.csv") for d in "abc"}
    first = read["a"]["信访人"].tolist()
    assert key.exists() and first == read["b"]["信访人"].tolist()
    assert first != read["c"]["信访人"].tolist()
    assert str(first[0]).startswith("P") and pd.isna(first[1])  # Mary Johnson: no phone
    bad = tmp_path / "bad.key"
    bad.write_text("x\n", encoding="utf-8")
    assert main([*args, "-o", str(tmp_path / "d"), "--salt-file", str(bad)]) == 2


def test_mask_issues_masks_file_and_sheet_names():
    issues = pd.DataFrame(
        {
            "source_file": ["张秀兰_13812345678.xlsx"],
            "source_sheet": ["李四"],
            "source_row": [3],
            "column": ["phone"],
            "value": ["13812345678"],
            "problem": ["电话位数不对"],
        }
    )
    out = mask_issues(issues)
    assert out["source_file"].iloc[0] == "张*兰_138****5678.xlsx"
    assert out["source_sheet"].iloc[0] == "李*"


# --- trained models and the keyword search ---------------------------------------------------


def test_a_saved_classifier_keeps_no_person(tmp_path):
    texts, labels = [], []
    for i in range(30):
        texts.append(f"我叫张秀兰，电话1381234{i:04d}，反映土地被占，邻居王建国作证")
        labels.append("土地")
        texts.append(f"本人李红梅，微信号：lihm_{i:04d}，反映工资拖欠，邮箱lhm{i}@qq.com")
        labels.append("劳动")
    texts += ["欧阳小明反映工资拖欠"] * 3
    labels += ["劳动"] * 3
    model = TextClassifier().fit(texts, labels, names=["欧阳小明"])
    path = model.save(tmp_path / "model")
    vocab = " ".join(json.loads(path.read_text(encoding="utf-8"))["vocabulary"])
    for part in ("秀兰", "张秀", "建国", "王建", "红梅", "李红", "lihm", "lhm", "小明", "阳小"):
        assert part not in vocab, part
    assert model.predict(["反映土地被占"])[0] == "土地"


def test_keyword_search_runs_on_masked_text_unless_unlocked():
    cases = pd.DataFrame(
        {
            "case_id": ["C1", "C2"],
            "received_date": pd.to_datetime(["2026-03-01", "2026-03-02"]),
            "petitioner": ["张秀兰", "李四"],
            "summary": ["张秀兰反映土地被占，电话13812345678", "反映工资拖欠"],
        }
    )
    panel = FilterPanel(cases, charts=False)
    assert panel.search_unmasked is False
    for probe in ("13812345678", "12345678", "张秀兰", "秀兰"):
        panel.search.value = probe
        assert panel.count == 0, probe
    panel.search.value = "138****5678"
    assert panel.count == 1
    panel.search.value = "土地"
    assert panel.count == 1 and panel.filtered["case_id"].tolist() == ["C1"]
    panel.search.value = "C2"
    assert panel.count == 1
    unlocked = FilterPanel(cases, charts=False, search_unmasked=True)
    unlocked.search.value = "13812345678"
    assert unlocked.count == 1
    assert "张秀兰" not in panel.table_html.value


def test_known_names_include_long_and_latin_names():
    cases = pd.DataFrame(
        {"petitioner": ["阿卜杜热合曼·艾买提", "Mary Johnson", "张 三", "王五 赵六"]}
    )
    assert known_names(cases) >= {"阿卜杜热合曼·艾买提", "Mary Johnson", "张三", "王五", "赵六"}


def test_a_sheet_without_header_is_quoted_masked(tmp_path):
    from xinfang_toolkit.load import LoadError

    path = tmp_path / "台账.xlsx"
    with xlsxwriter.Workbook(str(path)) as wb:
        ws = wb.add_worksheet("台账")
        ws.write_row(0, 0, ["信访件编号", "登记日期", "信访人", "联系电话", "反映问题"])
        ws.write_row(1, 0, ["C9", "2026-03-01", "李四", "13900001111", "反映工资"])
        ws = wb.add_worksheet("续表")
        for r in range(3):
            ws.write_row(
                r, 0, [f"C{r}", "2026-03-01", "张秀兰", "13812345678", "110101198805051237"]
            )
    result = load_cases(path)
    text = result.issues.astype("string").fillna("").to_csv() + result.summary()
    assert "第 1 行" in text  # rows named by number only (issue 23/28: the 续表 is read)
    for secret in ("张秀兰", "13812345678", "110101198805", "秀兰"):
        assert secret not in text, secret
    with pytest.raises(LoadError) as err:  # alone, without its first sheet: no summary column
        load_cases(path, sheets="续表")
    message = str(err.value)
    assert "续表" in message and "第 1 行" in message
    for secret in ("张秀兰", "13812345678", "110101198805", "秀兰", "张*兰"):
        assert secret not in message, secret
