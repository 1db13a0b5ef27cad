"""Exports whose headers say little or nothing, in layouts taken from real systems (issue 28).

Each builder writes one file and returns the frame of what a correct load must give. Layouts:

* a web message-board (留言板) export saved as CSV without its header row (the columns of the
  platforms' own export: 留言编号, 留言时间, 留言用户, 留言标题, 留言内容, 联系电话, 回复时间,
  回复内容, 状态);
* the same kind of export written by the platform with its database field names in English
  (id, create_time, user_id, contact_name, contact_phone, content, status, reply_content,
  reply_time), as public feedback/message tables name them;
* a 12345 hotline work-order export where most callers are written 市民 (and 匿名, 某女士,
  phone 12345 ...), with a 工单状态 column (办结 / 已转办待回复 / 退回) and no closing date;
* a complaint-satisfaction survey import template (投诉满意度调研): a hint row under the header
  (文本, 日期选择, 必填, 有下拉框选择), a 调研日期 beside the complaint's own date, a yes/no
  诉求是否解决 and the complaint text under a header the synonym table does not know.

Names, phones, ID numbers and accounts are made up (Faker zh_CN, valid check digits).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import openpyxl
import pandas as pd
from fixtures_real import _fake, _mobile, _moment

from xinfang_toolkit.clean import id_check_digit

MESSAGES = (
    "我家小区门口的路灯坏了一个多月，晚上出行很不方便，希望有关部门尽快维修",
    "村里的集体土地被个别人长期占用建厂房，多次向村委会反映没有结果，请求依法处理",
    "公司已经拖欠我们三个月工资，老板一直推脱，请劳动部门帮忙追讨",
    "楼下新开的烧烤店每天营业到凌晨两点，油烟和噪音严重影响休息，请求整治",
    "申请低保材料已经交了半年，一直没有答复，请问现在办到哪一步了",
    "征地补偿款到现在还没有足额发放，请相关部门核实发放情况并给予答复",
    "学校门口上下学时段交通非常拥堵，建议增设红绿灯并安排交警疏导",
    "小区物业私自占用公共绿地改建停车位并收费，业主多次反对无果",
)
REPLIES = (
    "您好，您反映的问题已转交属地街道办理，请耐心等待答复，感谢您的监督。",
    "您好，经核实，相关部门已安排人员现场处理，如有疑问请与承办单位联系。",
    "您好，来信收悉，已责成有关单位限期整改，整改结果将另行告知。",
)
TITLES = ("路灯维修", "土地占用", "讨薪", "油烟噪音", "低保申请", "征地补偿", "交通拥堵", "物业")


def _id_number(rng: random.Random) -> str:  # fixtures_real's, born in one of three regions
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 18000))
    first17 = f"{rng.choice(['410122', '110101', '320102'])}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + id_check_digit(first17)


def _xlsx(path: Path, sheet: str, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def web_messages_headerless_csv(path: Path, *, n: int = 30, seed: int = 11) -> pd.DataFrame:
    """A 留言板 export saved as UTF-8 CSV without its header row: every line is a message."""
    rng = random.Random(seed)
    accounts = [f"wx_{rng.randrange(16**8):08x}" for _ in range(n // 3)]
    want, lines = [], []
    for i in range(n):
        received = _moment(rng, dt.date(2024, 1, 1), 300)
        replied = received + dt.timedelta(days=rng.randrange(1, 15), hours=rng.randrange(1, 9))
        answered = i % 5 != 0
        k = rng.randrange(len(MESSAGES))
        case = {
            "case_id": f"LY2024{i + 1:06d}",
            "received_date": pd.Timestamp(received.date()),
            "received_time": f"{received:%H:%M:%S}",
            "account_id": rng.choice(accounts),
            "summary": MESSAGES[k],
            "phone": _mobile(rng),
            "closed_date": pd.Timestamp(replied.date()) if answered else pd.NaT,
            "status_text": "已回复" if answered else "待回复",
        }
        want.append(case)
        lines.append(
            [
                case["case_id"],
                f"{received:%Y-%m-%d %H:%M:%S}",
                case["account_id"],
                TITLES[k],
                case["summary"],
                case["phone"],
                f"{replied:%Y-%m-%d %H:%M:%S}" if answered else "",
                rng.choice(REPLIES) if answered else "",
                case["status_text"],
            ]
        )
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(lines)
    return pd.DataFrame(want)


def english_platform_export(path: Path, *, n: int = 30, seed: int = 12) -> pd.DataFrame:
    """A message platform's export headed by its database field names (create_time, content)."""
    rng, fake = random.Random(seed), _fake(seed)
    header = ["id", "create_time", "user_id", "contact_name", "contact_phone", "content",
              "status", "reply_content", "reply_time"]  # fmt: skip
    rows: list[list[object]] = [header]
    want = []
    for i in range(n):
        received = _moment(rng, dt.date(2023, 3, 1), 200)
        closed = received + dt.timedelta(days=rng.randrange(2, 20))
        done = i % 4 != 0
        case = {
            "case_id": f"20230{i + 1:09d}",
            "received_date": pd.Timestamp(received.date()),
            "account_id": f"U{rng.randrange(10**5, 10**6)}",
            "petitioner": fake.name() if i % 6 else "匿名",
            "phone": _mobile(rng),
            "summary": rng.choice(MESSAGES),
            "status_text": "已办结" if done else "办理中",
            "closed_date": pd.Timestamp(closed.date()) if done else pd.NaT,
        }
        want.append(case)
        rows.append(
            [
                case["case_id"],
                received,
                case["account_id"],
                case["petitioner"],
                case["phone"],
                case["summary"],
                case["status_text"],
                rng.choice(REPLIES) if done else None,
                closed if done else None,
            ]
        )
    _xlsx(path, "export", rows)
    return pd.DataFrame(want)


#: caller names as 12345 operators write them when the caller gives none
CALLER_PLACEHOLDERS = ("市民", "市民", "市民", "匿名", "某女士", "市民")


def hotline_placeholders(path: Path, *, n: int = 36, seed: int = 13) -> pd.DataFrame:
    """A 12345 work-order export: callers mostly 市民 (phone often the hotline's own 12345),
    a 工单状态 column (办结 / 已转办待回复 / 退回) and no closing date at all."""
    rng, fake = random.Random(seed), _fake(seed)
    header = ["工单编号", "来电时间", "来电人", "来电号码", "诉求内容", "承办单位", "工单状态"]
    rows: list[list[object]] = [["12345政务服务便民热线工单明细"], header]
    want = []
    statuses = ("办结", "已转办待回复", "退回", "办结", "已办结")
    for i in range(n):
        received = _moment(rng, dt.date(2025, 5, 1), 60)
        placeholder = i % 4 != 3
        name = CALLER_PLACEHOLDERS[i % len(CALLER_PLACEHOLDERS)] if placeholder else fake.name()
        phone = "12345" if placeholder and i % 2 else _mobile(rng)
        case = {
            "case_id": f"GD2025{i + 1:06d}",
            "received_date": pd.Timestamp(received.date()),
            "petitioner": name,
            "phone": phone,
            # one matter repeated by many placeholder callers: nothing may join them
            "summary": MESSAGES[0] if placeholder else rng.choice(MESSAGES),
            "responsible_unit": rng.choice(["城管局", "住建局", "街道办"]),
            "status_text": statuses[i % len(statuses)],
        }
        want.append(case)
        rows.append(
            [
                case["case_id"],
                f"{received:%Y-%m-%d %H:%M:%S}",
                name,
                phone,
                case["summary"],
                case["responsible_unit"],
                case["status_text"],
            ]
        )
    _xlsx(path, "工单", rows)
    return pd.DataFrame(want)


def survey_import_template(path: Path, *, n: int = 12, seed: int = 14) -> pd.DataFrame:
    """A 投诉满意度调研 import template: title, header, a hint row (日期选择, 必填, 有下拉框选择),
    the complaint date 投诉发生时间 beside 调研日期, a yes/no 诉求是否解决, and the complaint
    text under 具体情况 (a header the synonym table does not know)."""
    rng, fake = random.Random(seed), _fake(seed)
    header = ["序号", "工单编号", "投诉发生时间", "投诉人", "联系电话", "具体情况", "诉求是否解决",
              "满意度", "调研日期", "调研人员"]  # fmt: skip
    hint = ["", "文本", "日期选择", "必填", "必填", "必填", "有下拉框选择", "有下拉框选择",
            "日期选择", "必填"]  # fmt: skip
    rows: list[list[object]] = [["投诉满意度调研导入模板"], header, hint]
    want = []
    for i in range(n):
        received = dt.date(2025, 3, 1) + dt.timedelta(days=rng.randrange(90))
        surveyed = received + dt.timedelta(days=rng.randrange(20, 40))
        case = {
            "case_id": f"TS2025{i + 1:05d}",
            "received_date": pd.Timestamp(received),
            "petitioner": fake.name(),
            "phone": _mobile(rng),
            "summary": rng.choice(MESSAGES),
            "satisfaction": rng.choice(["满意", "基本满意", "不满意"]),
            "resolved": rng.choice(["是", "否"]),
            "surveyed": pd.Timestamp(surveyed),
        }
        want.append(case)
        rows.append(
            [
                i + 1,
                case["case_id"],
                received.isoformat(),
                case["petitioner"],
                case["phone"],
                case["summary"],
                case["resolved"],
                case["satisfaction"],
                surveyed.isoformat(),
                fake.name(),
            ]
        )
    _xlsx(path, "调研结果", rows)
    return pd.DataFrame(want)
