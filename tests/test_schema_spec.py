"""The contract as data: one column spec, the lists derived from it, and validate_cases."""

from __future__ import annotations

import pandas as pd

from xinfang_toolkit import schema
from xinfang_toolkit.schema import (
    COLUMN_SPEC,
    LABELS_ZH,
    VIOLATION_COLUMNS,
    conform_cases,
    validate_cases,
)


def test_every_column_list_derives_from_the_spec():
    assert schema.CASE_COLUMNS == tuple(c.name for c in COLUMN_SPEC)
    assert set(schema.PII_COLUMNS) == {c.name for c in COLUMN_SPEC if c.personal}
    assert set(schema.DATE_COLUMNS) == {
        "received_date",
        "deadline",
        "closed_date",
        # the handling columns (交办时间, 反馈期限, 回访时间, 化解时间)
        "assigned_date",
        "feedback_due",
        "follow_up_date",
        "resolved_date",
    }
    # leaders are officials: not personal data
    assert not {"leader", "instruction_leader", "reception_leader"} & set(schema.PII_COLUMNS)
    assert "account_id" in schema.PII_COLUMNS and "summary" not in schema.PII_COLUMNS
    for spec in COLUMN_SPEC:
        assert LABELS_ZH[spec.name] == spec.label
    assert dict(zip(schema.CASE_COLUMNS, schema.CASE_COLUMNS, strict=True)).keys() == {
        *schema.DATE_COLUMNS,
        *schema.INT_COLUMNS,
        *schema.TEXT_COLUMNS,
    }


def _good() -> pd.DataFrame:
    return conform_cases(
        pd.DataFrame(
            {
                "case_id": ["A1", "A2"],
                "received_date": pd.to_datetime(["2026-01-05", "2026-02-01"]),
                "channel": ["来访", "来信"],
                "id_number": ["110101199003071217", ""],
                "phone": ["13812345678", "057188889999转123"],
                "person_count": [1, 3],
                "source_file": ["a.xlsx", "a.xlsx"],
                "source_sheet": ["S", "S"],
                "source_row": [2, 3],
            }
        )
    )


def test_a_frame_that_keeps_the_contract_has_no_violation():
    good = _good()
    good.loc[0, "id_number"] = "110101199003071233"
    found = validate_cases(good)
    assert list(found.columns) == list(VIOLATION_COLUMNS) and found.empty


def test_every_violation_is_listed_at_once_with_its_row():
    bad = _good()
    bad["channel"] = pd.array(["走访", "来信"], dtype="string")
    bad["id_number"] = pd.array(["110101199003071234", "12345"], dtype="string")  # check, short
    bad["phone"] = pd.array(["138-1234", "13812345678"], dtype="string")
    bad["person_count"] = pd.array([-1, 2], dtype="Int64")
    bad["received_date"] = pd.to_datetime(["2026-01-05 09:30", "2026-02-01 00:00"])
    bad = bad.drop(columns=["satisfaction"])
    found = validate_cases(bad)
    problems = dict(zip(found["column"], found["problem"], strict=False))
    assert set(found["column"]) == {
        "channel",
        "id_number",
        "phone",
        "person_count",
        "received_date",
        "satisfaction",
    }
    assert "允许的值" in problems["channel"] and "缺少列" in problems["satisfaction"]
    ids = found[found["column"] == "id_number"]
    assert len(ids) == 2 and set(ids["source_row"]) == {"2", "3"}
    assert any("校验位" in p for p in ids["problem"])


def test_a_column_of_the_wrong_kind_is_named():
    bad = _good()
    bad["received_date"] = bad["received_date"].dt.strftime("%Y-%m-%d")
    found = validate_cases(bad)
    assert found["column"].tolist() == ["received_date"]
    assert "日期" in found["problem"].iloc[0]
