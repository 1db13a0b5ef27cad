"""Ledgers of how cases were handled, in the layouts offices keep, written in code.

Three layouts (synthetic people only, from Faker zh_CN):

* a 积案化解台账 (backlog ledger): title and 填报单位 lines, 案件来源 mixing channels and assigning
  organs (国家信访局交办, 省信访局交办 ...), 包案领导, 化解措施, 化解情况, 是否化解, 化解时间, 是否重点;
* a 上级交办信访事项登记表 (register of assigned cases): 交办编号, 交办机关 written loosely
  (省局, 市联席会议, 国信局), 交办时间, 反馈期限 as a date or as "15天", 反馈时间, 领导批示, 批示领导;
* a 督办回访登记表 (supervision and call-back register): 接访领导, 督办情况 written as dated
  entries, 回访时间, 回访结果, 满意度.

Each builder writes one workbook and returns the frame a correct load must give (canonical
columns, the new handling columns included).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pandas as pd
from fixtures_real import SUMMARIES, UNITS, _fake, _write

LEADERS = ("王建国", "刘志强", "陈红梅", "赵立新")


def backlog_ledger(path: Path, *, seed: int = 11) -> pd.DataFrame:
    """积案化解台账: one sheet, a title and a 填报单位 line above the header."""
    rng, fake = random.Random(seed), _fake(seed)
    sources = [
        ("国家信访局交办", None, "国家信访局"),
        ("省信访局交办", None, "省信访局"),
        ("来访", "来访", None),
        ("市联席办交办", None, "市联席办"),
        ("来信", "来信", None),
        ("网上信访", "网上信访", None),
        ("省联席办转办来信", "来信", "省联席办"),
    ]
    outcomes = [
        ("已协调解决，补偿款已拨付到户", "是", "化解"),
        ("已引导信访人通过诉讼途径解决", "是", "分流"),
        ("已做好政策解释疏导工作", "否", "疏导"),
        ("为其申请临时救助，纳入低保", "是", "救助帮扶"),
        ("正在办理中", "否", "未化解"),
    ]
    header = ["序号", "案件来源", "信访人", "信访时间", "反映问题", "责任单位", "包案领导",
              "化解措施", "化解情况", "是否化解", "化解时间", "是否重点"]  # fmt: skip
    rows: list[list[object]] = [
        ["某县信访积案化解工作台账"],
        [
            "填报单位：某县信访局",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "填报时间：2026年3月31日",
        ],
        header,
    ]
    want = []
    for i in range(14):
        text, channel, organ = sources[i % len(sources)]
        outcome, flag, way = outcomes[i % len(outcomes)]
        received = dt.date(2025, 1, 5) + dt.timedelta(days=20 * i)
        resolved = received + dt.timedelta(days=200) if flag == "是" else None
        case = {
            "received_date": pd.Timestamp(received),
            "channel": channel,
            "assigned_by": organ,
            "petitioner": fake.name(),
            "summary": rng.choice(SUMMARIES),
            "responsible_unit": rng.choice(UNITS),
            "leader": LEADERS[i % len(LEADERS)] if i % 3 else None,
            "outcome": outcome,
            "resolved_flag": flag,
            "resolved_date": pd.Timestamp(resolved) if resolved else pd.NaT,
            "key_case": "是" if i % 4 == 0 else "否",
            "way": way,
        }
        want.append(case)
        rows.append([i + 1, text, case["petitioner"], f"{received:%Y.%m.%d}", case["summary"],
                     case["responsible_unit"], case["leader"], "包案领导约谈，多部门会商",
                     outcome, "已化解" if flag == "是" else "未化解",
                     f"{resolved:%Y年%m月%d日}" if resolved else None,
                     "√" if case["key_case"] == "是" else None])  # fmt: skip
    _write(path, {"积案台账": rows}, {"积案台账": ["A1:L1"]})
    out = pd.DataFrame(want)
    # an empty 是否重点 cell says nothing (not 否): what a correct load gives
    out.loc[out["key_case"] == "否", "key_case"] = None
    return out


def assigned_register(path: Path, *, seed: int = 12) -> pd.DataFrame:
    """上级交办信访事项登记表: 交办机关 written loosely, 反馈期限 as a date or a number of days."""
    rng, fake = random.Random(seed), _fake(seed)
    organs = [("国信局", "国家信访局"), ("省局", "省信访局"), ("市联席会议", "市联席办"),
              ("市信访局", "市信访局"), ("12345热线", "12345"), ("区纪委监委", "纪委监委")]  # fmt: skip
    header = ["交办编号", "交办机关", "交办时间", "信访人", "联系电话", "反映问题", "承办单位",
              "反馈期限", "反馈时间", "办理结果", "领导批示", "批示领导"]  # fmt: skip
    rows: list[list[object]] = [["2026年上级交办信访事项登记表"], header]
    want = []
    for i in range(12):
        written, organ = organs[i % len(organs)]
        assigned = dt.date(2026, 1, 4) + dt.timedelta(days=7 * i)
        due_days = 15 if i % 2 else 30
        due = assigned + dt.timedelta(days=due_days)
        fed_back = assigned + dt.timedelta(days=due_days + (5 if i % 4 == 3 else -3))
        if i >= 10:
            fed_back = None
        instruction = "请县信访局督促办理，限期报结" if i % 3 == 0 else None
        case = {
            "case_id": f"JB2026{i + 1:04d}",
            "assigned_by": organ,
            "assigned_date": pd.Timestamp(assigned),
            "received_date": pd.Timestamp(assigned),
            "petitioner": fake.name(),
            "summary": rng.choice(SUMMARIES),
            "responsible_unit": rng.choice(UNITS),
            "feedback_due": pd.Timestamp(due),
            "closed_date": pd.Timestamp(fed_back) if fed_back else pd.NaT,
            "instruction": instruction,
            "instruction_leader": LEADERS[i % 2] if instruction else None,
        }
        want.append(case)
        rows.append([case["case_id"], written, f"{assigned:%Y-%m-%d}", case["petitioner"],
                     f"1{rng.randrange(3 * 10**9, 9 * 10**9):010d}"[:11], case["summary"],
                     case["responsible_unit"],
                     f"{due_days}天" if i % 2 else f"{due:%Y/%m/%d}",
                     f"{fed_back:%Y-%m-%d}" if fed_back else "未反馈",
                     "已办结" if fed_back else "办理中", instruction,
                     case["instruction_leader"]])  # fmt: skip
    _write(path, {"交办件": rows}, {"交办件": ["A1:L1"]})
    return pd.DataFrame(want)


def supervision_register(path: Path, *, seed: int = 13) -> pd.DataFrame:
    """督办回访登记表: 接访领导, 督办情况 as dated entries, 回访时间 and 回访结果."""
    rng, fake = random.Random(seed), _fake(seed)
    supervisions = [
        ("3月2日电话督办；3月10日发函督办", 2),
        ("2026.3.5 现场督办", 1),
        ("", None),
        ("督办2次", 2),
        ("3月1日催办，3月8日再次催办，3月15日约谈督办", 3),
    ]
    header = ["信访件编号", "登记日期", "信访形式", "信访人", "反映问题", "责任单位", "接访领导",
              "督办情况", "回访时间", "回访结果", "满意度", "办结日期", "是否重点"]  # fmt: skip
    rows: list[list[object]] = [["督办回访登记表"], header]
    want = []
    for i in range(10):
        text, count = supervisions[i % len(supervisions)]
        received = dt.date(2026, 2, 1) + dt.timedelta(days=3 * i)
        closed = received + dt.timedelta(days=40)
        follow = closed + dt.timedelta(days=7) if i % 2 == 0 else None
        channel = "来访" if i % 3 else "来信"
        case = {
            "case_id": f"XF-{i + 1:03d}",
            "received_date": pd.Timestamp(received),
            "channel": channel,
            "petitioner": fake.name(),
            "summary": rng.choice(SUMMARIES),
            "responsible_unit": rng.choice(UNITS),
            "reception_leader": LEADERS[i % 3] if channel == "来访" else None,
            "supervision_count": count,
            "follow_up_date": pd.Timestamp(follow) if follow else pd.NaT,
            "follow_up_result": "电话回访，信访人表示满意" if follow else None,
            "satisfaction": "满意" if follow else "未评价",
            "closed_date": pd.Timestamp(closed),
            "key_case": "是" if i == 4 else "否",
        }
        want.append(case)
        rows.append([case["case_id"], f"{received:%Y-%m-%d}", channel, case["petitioner"],
                     case["summary"], case["responsible_unit"], case["reception_leader"],
                     text or None, f"{follow:%Y-%m-%d}" if follow else None,
                     case["follow_up_result"], case["satisfaction"], f"{closed:%Y-%m-%d}",
                     case["key_case"]])  # fmt: skip
    _write(path, {"督办回访": rows}, {"督办回访": ["A1:M1"]})
    return pd.DataFrame(want)
