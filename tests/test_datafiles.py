"""The editable data files read in UTF-8 or GBK, and a typo names the file and the line.

Excel on Chinese Windows saves "CSV" as GBK and Notepad adds a BOM; before, such a mapping,
template or rules file stopped the command with an English codec message, and a YAML typo in a
mapping printed a traceback. Every reader goes through ``xinfang_toolkit._datafile``.
"""

from __future__ import annotations

import codecs

import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from xinfang_toolkit import _datafile
from xinfang_toolkit._datafile import (
    DataFileError,
    decode,
    load_yaml,
    read_csv_frame,
    read_csv_rows,
    read_text,
)
from xinfang_toolkit.analysis import load_rules
from xinfang_toolkit.cli import main

RULES = "name: 本县规则\nlimits:\n  handling: {days: 60, unit: calendar, label: 办理期限}\n"

# --- the helper -------------------------------------------------------------------------------


@given(st.text(alphabet=st.sampled_from("信访登记日期人数反映问题，。：abc123\n,"), max_size=60))
def test_text_round_trips_in_every_encoding_an_editor_writes(text):
    for data in (
        text.encode("utf-8"),
        codecs.BOM_UTF8 + text.encode("utf-8"),
        text.encode("gbk"),
        codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    ):
        assert decode(data, "x.csv") == text


def test_bytes_that_are_no_text_name_the_file_and_line():
    with pytest.raises(DataFileError, match=r"映射\.csv 第 3 行: 文字编码无法识别"):
        decode("表头,规范列名\n信访人,petitioner\n".encode() + b"\xff\xfe\xfa\n", "映射.csv")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DataFileError, match="找不到文件"):
        read_text(tmp_path / "nope.yaml")
    with pytest.raises(DataFileError, match="是文件夹"):
        read_text(tmp_path)


def test_yaml_typo_names_file_and_line(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("name: x\nlimits:\n  handling: {days: 60\n  other: 1\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"rules\.yaml 第 4 行: YAML 格式错误"):
        load_yaml(path)
    path.write_text("a: 1\n\tb: 2\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="第 2 行"):
        load_yaml(path)
    path.write_text("", encoding="utf-8")
    assert load_yaml(path) is None


def test_csv_rows_carry_their_line_numbers(tmp_path):
    path = tmp_path / "words.csv"
    path.write_text(
        '# 注释\nfield,canonical,word\n\nchannel,来访,"走访,\n上门"\nchannel,来信, 信件 \n',
        encoding="gbk",
    )
    rows = read_csv_rows(path, columns=("field", "word"))
    assert [n for n, _ in rows] == [4, 6]
    assert rows[1][1] == {"field": "channel", "canonical": "来信", "word": "信件"}
    with pytest.raises(DataFileError, match=r"words\.csv 第 2 行 \(表头\): 缺少列 label"):
        read_csv_rows(path, columns=("field", "label"))
    path.write_text("a,b\n1,2\n3,4,5\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="第 3 行: 有 3 个值"):
        read_csv_rows(path)


def test_csv_frame(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_bytes("text,label\n路灯坏了,城乡建设\n".encode("gbk"))
    frame = read_csv_frame(path, columns=("text", "label"))
    assert frame["label"].tolist() == ["城乡建设"]
    with pytest.raises(DataFileError, match="缺少列 summary"):
        read_csv_frame(path, columns=("summary",))


# --- the readers that use it ------------------------------------------------------------------


def test_rules_file_saved_as_gbk_is_read(tmp_path):
    path = tmp_path / "规则.yaml"
    path.write_bytes(RULES.encode("gbk"))
    rules = load_rules(path)
    assert rules.name == "本县规则" and rules.limits["handling"].days == 60


def test_a_typo_in_the_packaged_rules_names_the_file_and_line(tmp_path, monkeypatch):
    broken = tmp_path / "rules_2022.yaml"
    broken.write_text(RULES.replace("limits:", "limits"), encoding="utf-8")
    monkeypatch.setattr(_datafile, "data_file", lambda name: broken)
    from xinfang_toolkit.analysis import _rules

    monkeypatch.setattr(_rules, "data_file", lambda name: broken)
    with pytest.raises(DataFileError, match=r"data/rules_2022\.yaml 第 3 行"):
        load_rules("2022")


def test_rules_with_a_word_where_a_number_belongs(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(RULES + "due_soon_days: 七天\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="due_soon_days 必须是非负整数"):
        load_rules(path)


def test_value_words_without_a_column_names_the_file(tmp_path, monkeypatch):
    from xinfang_toolkit import clean

    broken = tmp_path / "value_words.csv"
    broken.write_text("field,canonical\nchannel,来访\n", encoding="utf-8")
    monkeypatch.setattr(_datafile, "data_file", lambda name: broken)
    with pytest.raises(DataFileError, match=r"value_words\.csv 第 1 行 \(表头\): 缺少列 word"):
        clean.value_words.__wrapped__("channel")


def _ledger(folder):
    folder.mkdir()
    book = xlsxwriter.Workbook(str(folder / "台账.xlsx"))
    sheet = book.add_worksheet("台账")
    sheet.write_row(0, 0, ["登记日期", "来访人员", "反映问题", "类别"])
    sheet.write_row(1, 0, ["2025-03-05", "张三", "路灯不亮", "城乡建设"])
    book.close()
    return folder


def test_cli_mapping_saved_as_gbk_is_used(tmp_path, capsys):
    folder = _ledger(tmp_path / "台账")
    mapping = tmp_path / "映射.csv"
    mapping.write_bytes("表头,规范列名\n来访人员,信访人\n".encode("gbk"))
    code = main(["load", str(folder), "-o", str(tmp_path / "out"), "--mapping", str(mapping)])
    err = capsys.readouterr().err
    assert code in (0, 1), err
    assert "codec" not in err


def test_cli_mapping_yaml_typo_is_a_chinese_message_and_exit_2(tmp_path, capsys):
    folder = _ledger(tmp_path / "台账")
    mapping = tmp_path / "表头映射.yaml"
    mapping.write_text("mapping:\n  来访人员: petitioner\n 序号: null\n", encoding="utf-8")
    code = main(["load", str(folder), "-o", str(tmp_path / "out"), "--mapping", str(mapping)])
    err = capsys.readouterr().err
    assert code == 2
    assert "表头映射.yaml 第 3 行: YAML 格式错误" in err and "Traceback" not in err


def test_mapping_with_an_unknown_column_names_its_line(tmp_path):
    from xinfang_toolkit.load._profile import read_mapping

    mapping = tmp_path / "m.yaml"
    mapping.write_text("mapping:\n  来访人员: petitioner\n  反映问题: 摘要写错\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"m\.yaml 第 3 行: 反映问题"):
        read_mapping(mapping)
    mapping.write_text("profiles:\n  - 序号\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="第 1 个 profile"):
        read_mapping(mapping)


def test_report_template_saved_as_gbk_renders(tmp_path):
    from xinfang_toolkit.report._draft import _environment

    (tmp_path / "mine.j2").write_bytes("本期共受理信访事项 {{ n }} 件。\n".encode("gbk"))
    text = _environment(tmp_path).get_template("mine.j2").render(n=3)
    assert text == "本期共受理信访事项 3 件。\n"
    # the packaged templates are still found beside the user's folder
    assert _environment(tmp_path).get_template("basic.j2") is not None


def test_report_profiles_saved_as_gbk_and_a_typo(tmp_path):
    from xinfang_toolkit.report import _draft

    path = tmp_path / "report_profiles.yaml"
    packaged = _draft.PROFILES_FILE.read_text(encoding="utf-8")
    path.write_bytes(packaged.encode("gbk"))
    assert _draft.report_profiles(path) == _draft.report_profiles()
    path.write_text(
        "profiles:\n  县:\n    office_level: 县区\n   levels: [乡镇]\n", encoding="utf-8"
    )
    with pytest.raises(_draft.TemplateError, match=r"report_profiles\.yaml 第 4 行"):
        _draft.report_profiles(path)
