"""MappingEditor: correct a header with the widget, save the profile, reuse it."""

from __future__ import annotations

import yaml
from test_load import write_xlsx

from xinfang_toolkit.load import load_cases
from xinfang_toolkit.widgets import MappingEditor


def test_correct_a_header_save_and_reuse(tmp_path):
    header = ["登记日期", "事件经过", "内容分类", "<b>x</b>"]
    path = write_xlsx(tmp_path / "10月.xlsx", {"S": [header, ["2019-10-25", "修路", "城建", "1"]]})
    result = load_cases(path)
    editor = MappingEditor(result.columns, path=tmp_path / "表头映射.yaml")
    # unmapped headers come first in the list
    first = editor._keys[editor.header.value]
    assert first[2] in ("事件经过", "<b>x</b>")
    pick = editor._keys.index(("10月.xlsx", "S", "事件经过"))
    editor.header.value = pick
    assert editor.target.value == ""
    editor.target.value = "summary"
    editor.apply_button.click()
    assert editor.corrections == {("10月.xlsx", "S", "事件经过"): "summary"}
    assert "反映问题" in editor.header.options[pick][0]
    assert "<b>x</b>" not in editor.table.value and "&lt;b&gt;" in editor.table.value
    frame = editor.table_frame().set_index("表头")
    assert (
        frame.loc["事件经过", "标准列"] == "反映问题 (summary)"
        and frame.loc["事件经过", "方式"] == "人工指定"
    )
    assert not (tmp_path / "表头映射.yaml").exists()  # nothing written before saving
    editor.save_button.click()
    saved = yaml.safe_load((tmp_path / "表头映射.yaml").read_text(encoding="utf-8"))
    assert saved["profiles"][0]["mapping"]["事件经过"] == "summary"
    assert "已保存 1 处" in editor.status.value
    again = load_cases(path, mapping=tmp_path / "表头映射.yaml")
    assert again.cases["summary"][0] == "修路"
