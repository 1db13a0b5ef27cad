# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 积案与重复访：办理时限、重复信访、共性问题、信访去向与积案化解
#
# 积案化解工作要回答五个问题:
#
# 1. **哪些件超期了、哪些快到期了?** —— 按《信访工作条例》的时限算出每件的应办结日期和办理状态;
# 2. **哪些事项反复来访?** —— 把同一个人就同一件事的多次信访连成一条“事项链”;
# 3. **哪些问题是很多人一起反映的?** —— 找出同一属地、一段时间内、很多人反映的相似问题(共性问题/热点);
# 4. **信访去向如何?** —— 进京、赴省、到市、到县、乡镇各多少批、多少人次,集体访和个访各多少;
# 5. **先化解哪些积案?** —— 列出积案清单,给出每一项的事实和优先级(各分项和权重都写明,可以调整),也可以按“由易到难”排序。
#
# 每一个数字都能追溯到背后的信访件。所有展示都先遮蔽个人信息(张*明、410122********123X、138****1234)。
# 本笔记本只统计**案件办理情况**,不给信访人打分、排名或画像。

# %% [markdown]
# ## 参数
#
# - `DATA`:台账所在文件夹(示例数据全部为合成数据,不含真实人员);
# - `TODAY`:计算超期和积案所用的“今天”,固定下来结果才能复现;
# - `START`、`END`:统计期(与 `05_统计汇报` 相同,两本笔记本打印的同一组指标应逐项相同);
# - `PERIOD_CUTOFF_DAY`:统计期截止日。`None` 表示自然月;很多单位每月 20 日截止,写 `20` 表示上月 21 日到本月 20 日算本月;
# - `GROUP_THRESHOLD`:一次来访人数达到几人算集体访(默认 5 人);
# - `RESPONSIBLE_LEVEL`:问题应由哪一级负责处理,高于这一级的来访记为越级访。

# %% tags=["parameters"]
DATA = "../sample_data"  # 台账所在文件夹
OUT = "../out/"  # 输出文件夹
TODAY = "2026-11-20"  # 固定的“今天”
START, END = "2026-01-01", "2026-10-31"  # 与 05_统计汇报 相同的统计期,用来核对同一组指标
PERIOD_CUTOFF_DAY = 20  # 统计期截止日:None=自然月,20=上月21日至本月20日
GROUP_THRESHOLD = 5  # 集体访人数门槛
RESPONSIBLE_LEVEL = "乡镇"  # 责任层级:高于此层级的来访记为越级访

# %% [markdown]
# ## 1. 读入台账并一次算出全部分析列
#
# `load_cases` 读入文件夹里的全部台账(见笔记本 01);`enrich` 一次加上本笔记本用到的所有列:
# 应办结日期 `due_date`、办理状态 `status`、超期天数 `overdue_days`、统计期 `period`、
# 事项链 `chain_id`、是否重复访 `is_repeat`、是否集体访 `is_group`、是否越级访 `is_skip_level`、是否积案 `is_backlog` 及原因。

# %%
from pathlib import Path

import pandas as pd

from xinfang_toolkit import load_cases, mask_pii
from xinfang_toolkit.analysis import (
    add_working_days,
    backlog_table,
    date_issues,
    enrich,
    escalation_phrase,
    escalation_table,
    figure,
    figure_series,
    find_hotspots,
    for_display,
    group_visits,
    hotspot_cases,
    kpis,
    label_columns,
    load_rules,
    objection_deadline,
    repeat_chains,
)

result = load_cases(DATA)
cases = enrich(
    result.cases,
    today=TODAY,
    period_cutoff_day=PERIOD_CUTOFF_DAY,
    group_threshold=GROUP_THRESHOLD,
    responsible_level=RESPONSIBLE_LEVEL,
)
print(f"共读入 {len(cases)} 件信访件")

# %% [markdown]
# ## 2. 办理时限与办理状态
#
# 时限规则是数据文件(`data/rules_2022.yaml`,另有 2005 年《信访条例》的 `rules_2005.yaml`),
# 本单位有特殊规定时可以复制一份修改,用 `enrich(..., rules="本地规则.yaml")` 使用。
#
# - **应办结日期**:台账写了办理时限的,以台账为准;没写的,按登记日期 + 60 日计算,台账注明延期的再加 30 日;
# - **办理状态**:已办结 / 办理中 / 即将到期(7 日内到期)/ 已超期 / 日期有误(没有登记日期,或办结日期早于登记日期;这些行**保留**,并列入问题清单);
# - **按期办结率** = 按期办结件数 ÷ 已办结件数(办结日期不详的不计入分母);**人次**把空着的人数按 1 人计。

# %%
rules = load_rules("2022")
for_display(rules.table())

# %%
k = kpis(cases)
keys = ["cases", "persons", "closed", "on_time_rate", "overdue", "due_soon", "median_days"]
keys += ["skip_level", "repeat.chains", "backlog.end", "backlog.matters"]
shown = figure_series(k, keys)
shown["日期有误（件）"] = k["date_problems"]
for_display(shown)

# %% [markdown]
# 同一统计期的主要指标(与 `05_统计汇报` 的报告逐项相同:口径都来自 `analysis.FIGURES`,统计截至期末):

# %%
K = kpis(cases, today=END, start=START)
for label, value in figure_series(K).items():
    print(f"{label}：{value}")

# %% [markdown]
# 按统计期(`PERIOD_CUTOFF_DAY` 决定统计期怎么划分)看各状态的件数:

# %%
pd.crosstab(cases["period"], cases["status"], margins=True, margins_name="合计").tail(8).pipe(
    for_display
)

# %% [markdown]
# ### 工作日怎么算
#
# 对交办不当提出异议的期限是 **5 个工作日**。工作日按国家公布的节假日安排计算,包括调休上班的周末。
# 例如 2024 年国庆:9 月 29 日(周日)调休上班,10 月 1 日至 7 日放假,10 月 12 日(周六)调休上班:

# %%
for_display(
    pd.DataFrame(
        {
            "起算日": ["2024-09-29", "2024-09-30", "2025-01-24"],
            "5个工作日后": [
                objection_deadline("2024-09-29").date(),
                objection_deadline("2024-09-30").date(),
                add_working_days("2025-01-24", 5).date(),
            ],
        }
    )
)

# %% [markdown]
# ## 3. 超期清单
#
# 尚未办结、已经超过应办结日期的信访件,按超期天数从多到少排列(个人信息已遮蔽)。

# %%
SHOW = [
    "case_id",
    "received_date",
    "petitioner",
    "locality",
    "category",
    "summary",
    "responsible_unit",
    "due_date",
    "overdue_days",
    "status",
]
overdue = cases[cases["status"] == "已超期"].sort_values("overdue_days", ascending=False)
mask_pii(overdue)[SHOW].head(15).pipe(for_display)

# %% [markdown]
# 即将到期(7 日内)的信访件,要提醒责任单位抓紧办理:

# %%
due_soon = cases[cases["status"] == "即将到期"].sort_values("due_date")
mask_pii(due_soon)[SHOW].pipe(for_display)

# %% [markdown]
# 日期有问题的行(没有登记日期,或办结日期早于登记日期)不会被删掉,而是列成问题清单,写明文件、工作表和行号,方便回到台账核对:

# %%
date_issues(cases).pipe(for_display)

# %% [markdown]
# ## 4. 重复访:同一个人、同一件事的多次信访
#
# **同一个人**:身份证号相同;没有身份证号时,姓名 + 电话相同;再没有时,姓名 + 住址相同。
# 不同身份证号的两个人**绝不会**被连在一起。程序用的是不可逆的“信访人代码”,不是身份证号本身。
#
# **同一件事**:两次信访的“反映问题”文字相似(按字的二元、三元组比较,数字不计),且相隔不超过 365 天。
# 同一个人反映的两件不同的事,会分成两条事项链。
#
# 下表每行是一条事项链,按信访次数从多到少排列:

# %%
chains = repeat_chains(cases)
print(
    f"重复信访事项 {k['repeat.chains']} 个(事项链 {len(chains)} 条),重复信访 {k['repeat.cases']} 件"
)
chains.head(10).pipe(for_display)

# %% [markdown]
# 查看第一条事项链的每一次信访(按时间顺序):

# %%
first_chain = chains["chain_id"].iloc[0]
one = cases[cases["chain_id"] == first_chain].sort_values("chain_seq")
mask_pii(one)[
    ["chain_seq", "case_id", "received_date", "petitioner", "summary", "visit_level", "status"]
].pipe(for_display, hide=())

# %% [markdown]
# ## 5. 共性问题(热点)
#
# 同一属地、90 天之内、至少 3 个不同信访人反映的相似问题。每个热点给出件数(批次)、人数、人次、时间跨度、
# 代表性诉求和关键词,以及**热度**。热度 = 100 × 四个分项的加权平均,分项都在 0~1 之间:
#
# | 分项 | 含义 | 默认权重 |
# |---|---|---|
# | 件数 volume | 1 − e^(−件数/10) | 0.3 |
# | 人数 persons_score | 1 − e^(−人数/10) | 0.3 |
# | 新近 recency | e^(−距最后一件的天数/30) | 0.2 |
# | 增长 growth | 近 30 天件数 ÷ (近 30 天 + 前 30 天件数) | 0.2 |
#
# 权重可以改,例如 `find_hotspots(cases, weights={"recency": 0.5})`。

# %%
hotspots = find_hotspots(cases, today=TODAY)
print(f"共发现 {len(hotspots)} 个共性问题")
hotspots.head(10).pipe(for_display)

# %% [markdown]
# 每个热点都能追溯到具体的信访件。查看最热的一个:

# %%
top = hotspot_cases(cases, hotspots, "H001")
mask_pii(top)[["case_id", "received_date", "petitioner", "person_count", "summary", "status"]].pipe(
    for_display
)

# %% [markdown]
# ## 6. 信访去向与越级访
#
# 信访去向只数**来访**:与汇报相同,用指标登记表(`analysis.FIGURES`)中“来访批次”的口径选出统计期内的来访,
# 来信、网上信访、来电不算“批”。按问题属地统计各级来访的**批次**(件数)和**人次**(人数之和);
# 去向空着或无法识别的计为“未知”,不会丢掉。最后两列是越级访(高于 `RESPONSIBLE_LEVEL` 的来访)的批次和人次。
# 下面一行是可以直接写进汇报的句子:

# %%
from xinfang_toolkit.analysis import Scope

# 统计期内的来访:指标登记表中“来访批次”背后的信访件(与 05_统计汇报 的报告相同)
scope = Scope.of(as_of=END, start=START, end=END)
visits = cases[figure("visits").rows(cases, scope)]
print(f"统计期内来访 {len(visits)} 批(指标“来访批次”:{K['visits']} 批)")
print("来访中," + escalation_phrase(visits) + "。")
escalation_table(visits, by="locality", responsible_level=RESPONSIBLE_LEVEL).rename_axis(
    "问题属地"
).pipe(for_display)

# %%
print(
    f"越级访(高于{RESPONSIBLE_LEVEL}的来访,来信和网上信访不算):{k['skip_level']} 批 {k['skip_level.persons']} 人次"
)

# %% [markdown]
# ## 7. 集体访与个访
#
# 集体访和个访都只数**来访**(上面选出的统计期内来访):一次来访人数达到 `GROUP_THRESHOLD`(默认 5 人)的为集体访,
# 其余为个访(人数空着的按 1 人的个访计)。来信、网上信访不是个访。两者之和等于来访批次。

# %%
print(f"集体访 {K['group.batches']} 批、来访 {K['visits']} 批(指标登记表)")
group_visits(visits, threshold=GROUP_THRESHOLD)

# %%
group_visits(visits, threshold=GROUP_THRESHOLD, by="locality").rename_axis("问题属地")

# %% [markdown]
# ## 8. 积案清单与化解顺序
#
# 一件事项满足下面任何一条就列为积案(原因都写在“原因”一列):
#
# 1. 台账里标注为积案;
# 2. 超过应办结日期仍未办结;
# 3. 同一事项信访 3 次以上,且首末两次相隔 180 天以上(门槛写在规则文件里,可调整)。
#
# 每条积案一行,**优先级** = 100 × 各分项的加权平均(分项都在 0~1 之间,列在表里):
#
# | 分项 | 含义 | 默认权重 |
# |---|---|---|
# | 超期 c_overdue | 未办结的超期天数 ÷ 180(封顶 1) | 0.35 |
# | 重复 c_repeats | 重复次数 ÷ 5(封顶 1) | 0.25 |
# | 去向 c_escalation | 最高去向:乡镇 0、县 0.25、市 0.5、省 0.75、进京 1 | 0.25 |
# | 人数 c_persons | (最多一次来访人数 − 1) ÷ 9(封顶 1) | 0.15 |

# %%
backlog = backlog_table(cases)
print(f"积案事项 {len(backlog)} 条;权重:{backlog.attrs['weights']}")
BACKLOG_SHOW = [
    "rank",
    "priority",
    "locality",
    "category",
    "reason",
    "cases",
    "overdue_days",
    "visit_level",
    "persons",
    "last_date",
    "summary",
]
backlog[BACKLOG_SHOW].head(10).pipe(for_display)  # 全部列见导出的积案清单

# %% [markdown]
# **由易到难**:不少单位先化解容易的积案,逐步攻坚。`order="easy_first"` 把优先级最低(一般也最容易)的排在前面:

# %%
easy = backlog_table(cases, order="easy_first")
easy[["rank", "priority", "latest_case", "locality", "summary", "reason"]].head(10).pipe(
    for_display
)

# %% [markdown]
# 权重可以按本单位的做法调整,例如更看重人数多的事项:

# %%
by_persons = backlog_table(cases, weights={"persons": 0.5})
by_persons[["rank", "priority", "persons", "overdue_days", "reason"]].head(5).pipe(for_display)

# %% [markdown]
# ## 9. 按条件筛选后再看
#
# 如果要只看某个乡镇、某类问题或某段时间,可以用下面的筛选面板选好条件,
# 再把 `panel.filtered` 交给上面的任何一个函数,例如 `backlog_table(cases, within=panel.filtered)`(先筛选再排积案会把事项链截断)。

# %%
from xinfang_toolkit import FilterPanel

panel = FilterPanel(cases)
panel

# %%
# 先在全部数据上算事项链和优先级, 再只留筛选到的事项 (筛选不会截断事项链, 优先级不变)
filtered = backlog_table(cases, within=panel.filtered)
filtered[["rank", "priority", "locality", "reason"]].head(5).pipe(for_display)

# %% [markdown]
# ## 10. 导出积案清单
#
# 导出的表格不含个人信息(诉求中的身份证号、电话号码也已遮蔽),可以直接用于工作会议。

# %%
from xinfang_toolkit.report import export_tables

export = backlog.assign(case_ids=backlog["case_ids"].str.join("、")).pipe(label_columns)
target = export_tables({"积案清单": export}, Path(OUT) / "积案清单.xlsx")  # 默认打码, 防公式
print("已导出", target)

# %% [markdown]
# ## 办结不等于化解
#
# 办结是已经书面答复，化解是案结事了、息诉罢访。积案化解按台账填写的化解时间、是否化解认定；台账没有这两列的，按办结后 90 天内同一事项没有再次信访认定（`analysis.SETTLE_DAYS`）。`classify_resolution` 把每件分为化解、分流、疏导、救助帮扶、未化解，并写出依据；没有“稳控”一类。积案包案率是期末积案中有包案领导的比例。
