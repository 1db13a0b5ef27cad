"""ReviewQueue: order, masking, accept/correct by clicking, labels file across restarts."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from xinfang_toolkit.classify import TextClassifier, classify, load_labels, save_labels
from xinfang_toolkit.classify._labels import read_labels
from xinfang_toolkit.schema import UNCLASSIFIED
from xinfang_toolkit.widgets.review import ReviewQueue

CLOCK = datetime(2026, 11, 20, 9, 30, 0)


def _classified() -> pd.DataFrame:
    cases = pd.DataFrame(
        {
            "case_id": ["C1", "C2", "C3", "C4"],
            "petitioner": ["王建国", "李秀英", "赵四", "钱五"],
            "category": [None, "环保", None, "村级财务"],
            "summary": [
                "化工厂偷排污水，河里死鱼，化工厂偷排污水",  # strong rule, high confidence
                "反映包工头拖欠工资，李秀英电话13812345678",  # given 环保 disagrees
                "那个事一直没人管，赵四身份证410122199001011234",  # nothing matched
                "村务公开走过场，村集体账目不清",  # given, agreeing
            ],
        }
    )
    return classify(cases)


def _queue(tmp_path, **kw) -> ReviewQueue:
    return ReviewQueue(
        _classified(), labels_path=tmp_path / "labels.csv", clock=lambda: CLOCK, **kw
    )


def test_order_disagreement_first_then_lowest_confidence(tmp_path):
    q = _queue(tmp_path)
    assert q.queue["_key"].tolist() == ["C2", "C3", "C1", "C4"]
    assert q.current["case_id"] == "C2"
    # the suggestion of a disagreement is the machine's class, not the given one
    assert q.suggestion(q.current) == "劳动和社会保障"
    assert q.correction.value == "劳动和社会保障"
    assert "已复核 0 / 共 4 件" in q.counter.value


def test_display_masks_personal_data(tmp_path):
    q = _queue(tmp_path)
    page = q.case_html.value
    assert "13812345678" not in page and "138****5678" in page
    assert "李秀英" not in page and "李*英" in page  # the row's own petitioner
    assert "劳动和社会保障" in page and "拖欠工资" in page  # suggestion and evidence
    q.next_button.click()
    page = q.case_html.value
    assert "410122199001011234" not in page and "赵*" in page


def test_the_evidence_is_masked_too(tmp_path):
    # the evidence is phrases cut from the summary: a name or number in it is masked as there
    cases = _classified()
    at = cases.index[cases["case_id"] == "C2"][0]
    cases.loc[at, "category_evidence"] = "李秀英、拖欠工资、13812345678"
    q = ReviewQueue(cases, labels_path=tmp_path / "labels.csv", clock=lambda: CLOCK)
    assert q.current["case_id"] == "C2"
    page = q.case_html.value
    assert "拖欠工资" in page and "李秀英" not in page and "13812345678" not in page


def test_accept_and_correct_by_clicking_write_the_labels_file(tmp_path):
    q = _queue(tmp_path)
    q.accept_button.click()  # C2 -> 劳动和社会保障, moves on to C3
    assert q.current["case_id"] == "C3"
    q.correction.value = "党务政务"
    q.save_button.click()  # C3 corrected
    saved = pd.read_csv(tmp_path / "labels.csv", dtype="string", keep_default_na=False)
    assert saved.to_dict("records") == [
        {
            "case_id": "C2",
            "summary": "反映包工头拖欠工资，李*英电话138****5678",
            "label": "劳动和社会保障",
            "reviewed_at": "2026-11-20 09:30:00",
        },
        {
            "case_id": "C3",
            "summary": "那个事一直没人管，赵*身份证410122********1234",
            "label": "党务政务",
            "reviewed_at": "2026-11-20 09:30:00",
        },
    ]
    assert "已复核 2 / 共 4 件" in q.counter.value
    assert q.current["case_id"] == "C1"


def test_previous_next_and_re_review_replaces_the_label(tmp_path):
    q = _queue(tmp_path)
    assert q.prev_button.disabled
    q.accept_button.click()
    q.prev_button.click()
    assert q.current["case_id"] == "C2"
    q.correction.value = "环境保护"
    q.save_button.click()
    saved = read_labels(tmp_path / "labels.csv")
    assert saved["case_id"].tolist() == ["C2"]
    assert saved["label"].tolist() == ["环境保护"]
    for _ in range(5):
        q.next_button.click()
    assert q.current["case_id"] == "C4" and q.next_button.disabled


def test_labels_survive_a_restart(tmp_path):
    q = _queue(tmp_path)
    q.accept_button.click()
    q.accept_button.click()  # C3: nothing matched -> 未分类 is what is accepted
    again = _queue(tmp_path)
    assert again.reviewed == {"C2": "劳动和社会保障", "C3": UNCLASSIFIED}
    assert "已复核 2 / 共 4 件" in again.counter.value
    assert again.current["case_id"] == "C1"  # starts at the first case not yet reviewed
    texts, labels = load_labels(tmp_path / "labels.csv")
    assert labels == ["劳动和社会保障", UNCLASSIFIED]
    assert texts[0].startswith("反映包工头拖欠工资")


def test_custom_choices_and_missing_columns(tmp_path):
    q = _queue(tmp_path, choices=["甲", "乙"])
    assert q.choices[:2] == ["甲", "乙"] and q.choices[-1] == UNCLASSIFIED
    with pytest.raises(ValueError, match="请先运行 classify"):
        ReviewQueue(pd.DataFrame({"summary": ["x"]}), labels_path=tmp_path / "l.csv")


def test_empty_queue(tmp_path):
    q = ReviewQueue(_classified().iloc[0:0], labels_path=tmp_path / "l.csv")
    assert "没有需要复核的案件" in q.case_html.value
    q.accept_button.click()
    assert not (tmp_path / "l.csv").exists()


def test_save_labels_upserts_and_load_labels_skips_blanks(tmp_path):
    path = tmp_path / "sub" / "labels.csv"
    save_labels(
        path, [{"case_id": "A", "summary": "物业", "label": "城乡建设", "reviewed_at": "t"}]
    )
    save_labels(
        path,
        [
            {"case_id": "A", "summary": "物业费", "label": "城乡建设", "reviewed_at": "t2"},
            {"case_id": "B", "summary": "", "label": "环境保护", "reviewed_at": "t2"},
            {"case_id": "", "summary": "欠薪", "label": "劳动和社会保障", "reviewed_at": "t2"},
        ],
    )
    df = read_labels(path)
    assert df["case_id"].tolist() == ["A", "B", ""]
    assert df.loc[0, "summary"] == "物业费"
    assert load_labels(path) == (["物业费", "欠薪"], ["城乡建设", "劳动和社会保障"])
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="缺少列 summary, label"):
        load_labels(tmp_path / "bad.csv")


def test_review_then_retrain_uses_the_corrections(tmp_path):
    q = _queue(tmp_path)
    q.accept_button.click()
    q.correction.value = "党务政务"
    q.save_button.click()
    texts, labels = load_labels(tmp_path / "labels.csv")
    model = TextClassifier().fit(texts, labels)
    assert set(model.classes_) == {"劳动和社会保障", "党务政务"}


def test_labels_file_has_a_bom_for_excel_and_gbk_copies_are_read(tmp_path):
    path = tmp_path / "labels.csv"
    save_labels(
        path, [{"case_id": "A", "summary": "物业", "label": "城乡建设", "reviewed_at": "t"}]
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("case_id,summary,label,reviewed_at\nB,欠薪,劳动和社会保障,t\n".encode("gbk"))
    assert load_labels(gbk) == (["欠薪"], ["劳动和社会保障"])
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(ValueError, match="无法读取"):
        load_labels(tmp_path / "empty.csv")
