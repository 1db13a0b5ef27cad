"""Ledgers in layouts taken from real systems, written in code (synthetic people only).

Each builder writes one workbook and returns the frame of what a correct load must give (one row
per case, canonical columns). The layouts follow public import templates and exports: a 12345
work-order export, a 网上信访 / 留言板 export, a national-system export with pinyin codes, a
hand-kept county visit ledger whose two sheets word their headers differently, and a 纪检监察
信访举报登记表 import template with instruction and example rows. Names, ID numbers, phones and
accounts come from Faker (zh_CN) with valid check digits: nobody here is real.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import openpyxl
import pandas as pd
from faker import Faker

from xinfang_toolkit.clean import id_check_digit

SUMMARIES = (
    "小区路灯损坏多日无人维修，夜间出行不便",
    "反映村集体土地被占用，要求依法处理",
    "企业拖欠工资三个月，请求帮助追讨",
    "楼下餐馆油烟噪音扰民，要求整治",
    "申请低保未获批准，请求说明理由",
    "征地补偿款未足额发放，要求核实",
    "学校周边交通拥堵，建议增设信号灯",
    "医院收费不合理，要求退还多收费用",
)
CATEGORIES = ("城乡建设", "农村农业", "劳动和社会保障", "环境保护", "民政", "国土资源")
UNITS = ("住建局", "自然资源局", "人社局", "生态环境分局", "民政局", "交通运输局", "城关镇")


def _fake(seed: int) -> Faker:
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    return fake


def _id_number(rng: random.Random) -> str:
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 18000))
    first17 = f"410122{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return first17 + id_check_digit(first17)


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(0, 10**9):09d}"


def _moment(rng: random.Random, start: dt.date, days: int) -> dt.datetime:
    day = start + dt.timedelta(days=rng.randrange(days))
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(
        seconds=rng.randrange(7 * 3600, 21 * 3600)
    )


def _write(
    path: Path, sheets: dict[str, list[list[object]]], merges: dict[str, list[str]] | None = None
) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for ref in (merges or {}).get(name, []):
            ws.merge_cells(ref)
    wb.save(path)
    return path


def _slash_time(t: dt.datetime) -> str:
    """2019/4/25 9:32:09: unpadded month, day and hour, as the real 12345 export writes."""
    return f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02d}:{t.second:02d}"


def hotline_12345(path: Path, *, n: int = 40, seed: int = 1) -> pd.DataFrame:
    """A 12345 work-order export: 收件时间 and 办结时间 as `2019/4/25 9:32:09` text, accounts in
    留言用户 (one account sends the same message three times), 被反映人 (the accused) beside 诉求人."""
    rng, fake = random.Random(seed), _fake(seed)
    header = ["工单编号", "收件时间", "诉求人", "来电号码", "留言用户", "诉求渠道", "诉求件内容",
              "问题属性", "承办科室", "被反映人", "办结时间", "办理结果", "满意度"]  # fmt: skip
    rows: list[list[object]] = [
        ["12345政务服务便民热线工单导出"],
        ["导出时间: 2019-12-31 08:00"],
        header,
    ]
    want = []
    repeat_account = f"A{rng.randrange(10**7, 10**8)}"
    for i in range(n):
        received = _moment(rng, dt.date(2019, 1, 1), 330)
        closed = received + dt.timedelta(days=rng.randrange(1, 20), hours=rng.randrange(0, 5))
        account = repeat_account if i % 13 == 0 else f"A{rng.randrange(10**7, 10**8)}"
        summary = SUMMARIES[0] if account == repeat_account else rng.choice(SUMMARIES)
        name, phone = fake.name(), _mobile(rng)
        case = {
            "case_id": f"GD2019{i:05d}",
            "received_date": pd.Timestamp(received.date()),
            "received_time": f"{received:%H:%M:%S}",
            "petitioner": name,
            "phone": phone,
            "account_id": account,
            "channel": "来电",
            "summary": summary,
            "category": rng.choice(CATEGORIES),
            "responsible_unit": rng.choice(UNITS),
            "closed_date": pd.Timestamp(closed.date()),
            "outcome": "已答复",
            "satisfaction": rng.choice(["满意", "基本满意", "不满意"]),
        }
        want.append(case)
        rows.append([case["case_id"], _slash_time(received), name, phone, account, "12345热线", summary,
                     case["category"], case["responsible_unit"], fake.name(), _slash_time(closed),
                     "已答复", case["satisfaction"]])  # fmt: skip
    _write(path, {"工单": rows})
    return pd.DataFrame(want)


def online_petition(path: Path, *, n: int = 30, seed: int = 2) -> pd.DataFrame:
    """A 网上信访 / 留言板 export: 留言编号, 网民编号, 留言主题 and 留言详情, 留言时间 as US text
    (`4/25/2019 9:32`), 答复时间 as `2019-04-25T09:32:00`, and no 信访形式 column."""
    rng = random.Random(seed)
    header = [
        "留言编号",
        "网民编号",
        "留言主题",
        "留言时间",
        "留言详情",
        "一级标签",
        "答复意见",
        "答复时间",
    ]
    rows: list[list[object]] = [header]
    want = []
    for i in range(n):
        received = _moment(rng, dt.date(2019, 1, 1), 300)
        if i == 0:  # one unambiguous value settles month-first for the whole column
            received = received.replace(month=4, day=25)
        closed = received + dt.timedelta(days=rng.randrange(1, 30))
        us = (
            f"{received.month}/{received.day}/{received.year} {received.hour}:{received.minute:02d}"
        )
        case = {
            "case_id": f"LY{190000 + i}",
            "account_id": f"U{rng.randrange(10**6, 10**7)}",
            "received_date": pd.Timestamp(received.date()),
            "received_time": f"{received:%H:%M}:00",
            "summary": rng.choice(SUMMARIES),
            "category": rng.choice(CATEGORIES),
            "outcome": "您好，您反映的问题已转相关部门办理。",
            "closed_date": pd.Timestamp(closed.date()),
        }
        want.append(case)
        rows.append([case["case_id"], case["account_id"], "关于" + case["summary"][:6] + "的问题", us,
                     case["summary"], case["category"], case["outcome"],
                     f"{closed:%Y-%m-%dT%H:%M:%S}"])  # fmt: skip
    _write(path, {"留言列表": rows})
    return pd.DataFrame(want)


def national_system(path: Path, *, n: int = 30, seed: int = 3) -> pd.DataFrame:
    """A national 信访信息系统 export: pinyin codes as headers, xfrq as Excel serials with a time
    fraction, an estimated count (约50人) and a phone with an extension."""
    rng, fake = random.Random(seed), _fake(seed)
    header = ["xfjbh", "xfrq", "xfxs", "xfrxm", "sfzh", "lxdh", "xfrs", "wtsddm", "nrfldm", "xfnr",
              "xbjzsj", "bjbz", "cfxfbz", "jabz"]  # fmt: skip
    rows: list[list[object]] = [header]
    want = []
    epoch = dt.datetime(1899, 12, 30)
    for i in range(n):
        received = _moment(rng, dt.date(2025, 1, 1), 300).replace(second=0)
        serial = (received - epoch).total_seconds() / 86400
        count, count_cell = (50, "约50人") if i == 3 else (rng.choice([1, 1, 2, 6]), None)
        phone = _mobile(rng)
        phone_cell = phone
        if i == 4:
            phone, phone_cell = "057188889999转123", "0571-88889999转123"
        case = {
            "case_id": f"X2025{i:06d}",
            "received_date": pd.Timestamp(received.date()),
            "received_time": f"{received:%H:%M:%S}",
            "channel": rng.choice(["来信", "来访", "网上信访"]),
            "petitioner": fake.name(),
            "id_number": _id_number(rng),
            "phone": phone,
            "person_count": count,
            "locality": rng.choice(["城关镇", "东风街道", "李庄乡"]),
            "category": rng.choice(CATEGORIES),
            "summary": rng.choice(SUMMARIES),
            "deadline": pd.Timestamp(received.date() + dt.timedelta(days=60)),
            "closed_flag": i % 2 == 0,
            "repeat_flag": i % 5 == 0,
            "backlog_flag": i % 7 == 0,
        }
        want.append(case)
        rows.append([case["case_id"], round(serial, 6), case["channel"], case["petitioner"],
                     case["id_number"], phone_cell, count_cell or count, case["locality"],
                     case["category"], case["summary"], case["deadline"].to_pydatetime(),
                     "1" if case["closed_flag"] else "0", "是" if case["repeat_flag"] else "否",
                     "Y" if case["backlog_flag"] else "N"])  # fmt: skip
    _write(path, {"Sheet1": rows})
    return pd.DataFrame(want)


def county_visits(path: Path, *, seed: int = 4) -> pd.DataFrame:
    """A hand-kept county visit ledger: no 信访形式 column (a 来访登记), headers worded one way on
    the first sheet (反映主要问题, 来访时间 ...) and another on the second (主要反映的问题, 接访日期 ...),
    dates written by hand: 2026年10月17号, 2026-10-22 上午, 2026.10.2O, 二〇二六年十月九日, ２０２６/１０/５."""
    rng, fake = random.Random(seed), _fake(seed)
    spellings = [
        ("2026年10月17号", dt.date(2026, 10, 17)),
        ("2026-10-22 上午", dt.date(2026, 10, 22)),
        ("2026.10.2O", dt.date(2026, 10, 20)),
        ("二〇二六年十月九日", dt.date(2026, 10, 9)),
        ("２０２６/１０/５", dt.date(2026, 10, 5)),
        ("2026年10月8日下午3点", dt.date(2026, 10, 8)),
        ("10月12日", dt.date(2026, 10, 12)),
        ("2026/10/3 9:05", dt.date(2026, 10, 3)),
    ]
    layouts = {
        "一组": ["序号", "来访时间", "来访人", "来访人数", "反映主要问题", "问题属地", "信访去向", "承办单位"],
        "二组": ["序号", "接访日期", "姓名", "人数", "主要反映的问题", "属地", "去向", "责任单位"],
    }  # fmt: skip
    sheets: dict[str, list[list[object]]] = {}
    want = []
    for s, (sheet, header) in enumerate(layouts.items()):
        rows: list[list[object]] = [["某县信访局群众来访登记台账 (2026年10月)"], header]
        for i in range(12):
            text, day = spellings[(i + s) % len(spellings)]
            case = {
                "source_sheet": sheet,
                "received_date": pd.Timestamp(day),
                "channel": "来访",
                "petitioner": fake.name(),
                "person_count": rng.choice([1, 2, 3, 8]),
                "summary": rng.choice(SUMMARIES),
                "locality": rng.choice(["城关镇", "东风街道", "李庄乡"]),
                "visit_level": rng.choice(["县区", "市", "省", "国家"]),
                "responsible_unit": rng.choice(UNITS),
            }
            want.append(case)
            level = {"县区": "到县", "市": "到市", "省": "赴省", "国家": "进京"}[
                case["visit_level"]
            ]
            rows.append([i + 1, text, case["petitioner"], case["person_count"], case["summary"],
                         case["locality"], level, case["responsible_unit"]])  # fmt: skip
        rows.append(["填表人：王某", None, None, None, "审核人：李某"])
        sheets[sheet] = rows
    _write(path, sheets, {name: ["A1:H1"] for name in sheets})
    return pd.DataFrame(want)


def import_template(path: Path, *, seed: int = 5) -> pd.DataFrame:
    """A 纪检监察 信访举报登记表 import template: an instruction line above and one below the
    header, an example row, 举报人 (the petitioner) beside 被反映人/被举报人 (the accused)."""
    rng, fake = random.Random(seed), _fake(seed)
    header = ["序号", "收件时间", "举报人姓名", "举报人身份证号", "举报人联系电话", "被反映人姓名",
              "被反映人单位", "被反映人职务", "问题属性", "案件来源", "反映主要问题", "承办科室"]  # fmt: skip
    rows: list[list[object]] = [
        ["信访举报登记表导入模板"],
        header,
        ["填写说明：标红色的为必填项，日期格式为 2021-01-01，问题属性请从下拉框选择"],
        ["示例", "2021-01-01", "张某", "", "", "李某", "某局", "科长", "违反廉洁纪律", "来信", "示例内容", "第一室"],
    ]  # fmt: skip
    want = []
    for i in range(10):
        received = dt.date(2021, 3, 1) + dt.timedelta(days=rng.randrange(200))
        case = {
            "received_date": pd.Timestamp(received),
            "petitioner": fake.name(),
            "id_number": _id_number(rng),
            "phone": _mobile(rng),
            "category": rng.choice(["违反廉洁纪律", "违反工作纪律", "违反群众纪律"]),
            "channel": rng.choice(["来信", "来访", "网上信访"]),
            "summary": "反映"
            + rng.choice(["某局", "某镇", "某所"])
            + "干部"
            + rng.choice(["收受礼金", "工作作风粗暴", "违规发放补贴"]),
            "responsible_unit": rng.choice(["第一纪检监察室", "第二纪检监察室"]),
            "accused": fake.name(),
        }
        want.append(case)
        rows.append([i + 1, received.isoformat(), case["petitioner"], case["id_number"], case["phone"],
                     case["accused"], "某局", "科员", case["category"], case["channel"],
                     case["summary"], case["responsible_unit"]])  # fmt: skip
    _write(path, {"信访举报登记": rows}, {"信访举报登记": ["A1:L1", "A3:L3"]})
    return pd.DataFrame(want)
