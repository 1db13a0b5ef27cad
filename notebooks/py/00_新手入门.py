# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3 (xinfang)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 新手入门:认识信访台账与 xinfang_toolkit
#
# 欢迎!这本笔记本带新同事走一遍信访数据分析的基本功:
#
# 1. 什么是**台账**,工具包怎样把各村、各部门格式不一的 Excel 合并成一张标准表;
# 2. **标准列**和它们的中文名称;
# 3. 《信访工作条例》规定的**办理时限**,以及“按期办结”“超期”是怎么算出来的;
# 4. **内容分类**、**重复访**、**越级访**(信访去向)、**集体访**和**积案**;
# 5. 每个主题一道**小练习**(对应笔记本 01-07),答案由代码算出,可以对照。
#
# 这本笔记本有两个版本,由同一个来源生成(`python tools/build_notebooks.py`):**教师版** `00_新手入门.ipynb`(答案和教学提示都展开)和**学员版** `00_新手入门_学员版.ipynb`(每道练习下面有一个空白格可以自己试,答案收在折叠的格子里,点左侧的小条展开)。
#
# 示例数据(`sample_data/`)全部由程序合成,不含任何真实人员。显示个人信息时一律遮蔽(如 张\*明、138\*\*\*\*1234)。
#
# 运行方法:从上到下逐格按 `Shift + Enter`。下面第一个代码格是**参数格**,换成自己的文件夹即可。

# %% tags=["parameters"]
# 参数:换成自己的台账文件夹即可(相对于 notebooks/ 文件夹)
DATA = "../sample_data"  # 台账所在文件夹(示例数据全部为合成数据,不含真实人员)
OUT = "../out/"  # 输出文件夹
TODAY = "2026-11-20"  # 计算超期、积案所用的“今天”;固定下来,结果才能复现

# %% [markdown]
# ## 0. 准备工作
#
# 导入工具包,并设置中文字体(图中的中文才不会显示成方框;图会直接显示在格子下面)。字体用的是随工具包安装的开源字体 Noto Sans CJK。

# %%
import pandas as pd

import xinfang_toolkit as xf
from xinfang_toolkit import plots

xf.setup_chinese_font()

# %% [markdown]
# ## 1. 什么是台账
#
# **台账**是信访工作的登记簿:每一行是一件信访件(一封来信、一次来访、一条网上信访或一通来电),
# 记录登记日期、信访人、问题属地、反映问题、责任单位、办理时限、办结情况等。
#
# 每个月,各乡镇、街道、部门把自己的台账(Excel)报上来。它们的表头五花八门(“登记日期”“信访日期”“来访时间”……),
# 还夹着标题行、合计行、签名行。`load_cases` 把一个文件夹里的台账全部读进来:
#
# - 表头按同义词表对应到**标准列**;
# - 每一行要么是一件信访件,要么进入 `excluded`(未计入的行)并写明原因,**不会悄悄丢掉任何一行**;
# - 需要人工留意的单元格(日期写错、身份证号校验位不对等)进入 `issues`。

# %%
result = xf.load_cases(DATA)
cases = result.cases
print(f"读入 {len(cases)} 件信访件,来自 {cases['source_file'].nunique()} 个文件;")
print(f"需要人工留意的单元格 {len(result.issues)} 处;未计入的行 {len(result.excluded)} 行。")

# %% [markdown]
# 未计入的行都写明了原因(标题、表头、合计、签名……),可以逐条核对:

# %%
xf.for_display(result.excluded.head(8))

# %% [markdown]
# 个人信息(姓名、身份证号、电话、住址)只在分析时用来识别同一人的重复访,**显示和导出时一律遮蔽**。
# `mask_pii` 返回遮蔽后的副本;`preview` 先经 `mask_pii` 遮蔽,再只挑常用的几列、配上中文表头,便于浏览:

# %%
from xinfang_toolkit.widgets import preview

preview(cases, 5)  # 常用列、遮蔽个人信息、中文表头

# %% [markdown]
# ## 2. 标准列
#
# 无论原表怎么写,读进来以后都是同一套列名(英文列名供程序使用,中文名称用于显示和导出)。
# 原表里对应不上的列也会保留,不会丢。

# %%
pd.DataFrame({"列名": xf.CASE_COLUMNS, "中文名称": [xf.LABELS_ZH[c] for c in xf.CASE_COLUMNS]})

# %% [markdown]
# ## 3. 法定时限
#
# 《信访工作条例》(2022年5月1日起施行)规定的主要时限:
#
# | 环节 | 时限 |
# |---|---|
# | 信访部门登记、转送或交办 | 15 日 |
# | 有权处理机关告知是否受理(受理告知) | 15 日 |
# | 对交办、转送不当提出异议 | 5 个工作日 |
# | 办理并书面答复 | 60 日,情况复杂的可延长一次,最多 30 日(须说明理由) |
# | 请求复查 / 作出复查意见 | 30 日 / 30 日 |
# | 请求复核 / 作出复核意见 | 30 日 / 30 日;复核后同一事项不再受理 |
#
# 除注明“工作日”外都按自然日计算;工作日以国家法定节假日和调休安排为准。
#
# `enrich` 按这些规则给每件信访件算出应办结日期(`due_date`)、办理天数、是否按期办结、超期天数和**办理状态**,
# 同时标出重复访、集体访、越级访和积案。`TODAY` 参数就是计算“是否超期”所用的日期。

# %%
enriched = xf.enrich(cases, today=TODAY)
enriched["status"].value_counts().rename("件数").pipe(xf.for_display)

# %% [markdown]
# 每个统计指标的口径(定义)集中写在一张表里:看板卡片的提示、报告 Excel 的“说明”页都来自这里。越级访只算**来访**;积案按统计日判断,统计日之前已办结的不算积案;内容分类按全国一级分类统计,台账原来的写法保留在“原分类”。

# %%
xf.analysis.figure_table()

# %% [markdown]
# 看几件超期办结的例子:登记日期 + 60 天(或延期后的天数)就是应办结日期,晚于它办结即为超期。

# %%
late = enriched[enriched["on_time"].eq(False)]
columns = ["case_id", "received_date", "due_date", "closed_date", "days_taken", "extended"]
late[columns].head().pipe(xf.for_display)

# %% [markdown]
# ## 4. 内容分类
#
# 全国信访内容分类有 15 个一级类:城乡建设、农村农业、政法、教育文体、劳动和社会保障、民政、党务政务、经济管理、
# 卫生计生、商贸旅游、环境保护、交通运输、纪检监察、国土资源、科技与信息产业。
# 很多地方用自己更粗的分类(如“土地纠纷”“民政救济”“民事纠纷”“其他”),工具包用可编辑的对照表把地方分类对应到全国分类。
# 示例数据各类的件数(批次):

# %%
plots.plot_by_category(enriched)

# %% [markdown]
# ## 5. 重复访
#
# 同一个人就同一事项再次来信来访,叫**重复访**。工具包用遮蔽后的“信访人代码”(`person_key`,由身份证号等算出,看不出是谁)
# 和反映问题的相似程度,把同一事项的多次信访串成一条**事项链**(`chain_id`),按日期编号(`chain_seq`)。
# 统计的是事项的办理情况,而不是给哪个人打分。

# %%
k = xf.kpis(enriched)  # 每个指标只有一个定义(analysis.FIGURES),看板、报告都用它
print(
    f"重复信访 {k['repeat.cases']} 件,涉及 {k['repeat.chains']} 个重复信访事项({k['as_of']:%Y-%m-%d} 为止)。"
)

# %% [markdown]
# 信访次数最多的一个事项,按日期排列(个人信息已遮蔽):

# %%
longest = enriched.loc[enriched["repeat_count"].idxmax(), "chain_id"]
chain = enriched[enriched["chain_id"] == longest].sort_values("received_date")
columns = ["chain_seq", "case_id", "received_date", "channel", "visit_level", "summary"]
xf.mask_pii(chain)[columns].pipe(xf.for_display, hide=())

# %% [markdown]
# ## 6. 越级访与信访去向
#
# “信访去向”记录这件事最高到了哪一级:乡镇、县区、市、省、国家(进京)。越过应当受理的层级直接到上级,就是**越级访**。
# 汇报里常写成“进京2批2人次,到市31批577人次”:**批次**是来访的件数,**人次**是人数之和。只有**来访**才有去向:来信、网上信访和来电不算“进京”“到市”的批次,也不算个访。

# %%
xf.escalation_table(enriched, by=None).pipe(xf.for_display)  # 只数来访(来信、网上信访没有去向)

# %%
plots.plot_escalation(enriched)

# %% [markdown]
# ## 7. 集体访
#
# 一次来访 5 人及以上算**集体访**(条例要求集体访推选不超过 5 名代表)。集体访批次少,人次却很多:

# %%
xf.group_visits(enriched).pipe(xf.for_display)  # 来访才分集体访和个访

# %% [markdown]
# ## 8. 积案与账龄
#
# **积案**是超过时限仍未解决、或长期反复信访的事项,是“积案化解”和“领导包案”的重点。
# 下图是尚未办结的信访件按登记至今天数分组,红色为已超期:

# %%
plots.plot_backlog_ageing(enriched, today=TODAY)

# %% [markdown]
# ## 9. 小练习
#
# 先自己想一想(学员版在每道题下面有空白格,可以写代码试),再展开“答案”格对照。
#
# **练习 1**:示例数据中,“来访”形式的信访件有多少批、多少人次?(提示:人数为空按 1 人计)

# %% tags=["answer"]
# 答案
visits = enriched[enriched["channel"] == "来访"]
print(f"来访 {len(visits)} 批,{int(visits['person_count'].fillna(1).sum())} 人次")

# %% [markdown] tags=["trainer"]
# **教学提示**:人次按人数求和,人数为空按 1 人计;和 `kpis` 的“来访人次”比一比,应当相同。

# %% [markdown]
# **练习 2**:按期办结率是多少?(按期办结件数 ÷ 已办结件数)

# %% tags=["answer"]
# 答案
k = xf.kpis(enriched)
print(f"已办结 {k['closed']} 件,其中按期 {k['on_time']} 件,按期办结率 {k['on_time_rate']:.1%}")

# %% [markdown] tags=["trainer"]
# **教学提示**:分母是办结日期和期限都已知的已办结件;可以让学员查 `xf.analysis.figure_table()` 里的口径说明。

# %% [markdown]
# **练习 3**:哪三个问题属地的信访件最多?

# %% tags=["answer"]
# 答案
enriched["locality"].value_counts().head(3).rename("件数").pipe(xf.for_display)

# %% [markdown]
# **练习 4**:进京(信访去向为“国家”的**来访**)有几批?其中几批是集体访?(提示:来信、网上信访不算批次)

# %% tags=["answer"]
# 答案
visits = enriched[xf.analysis.visit_flags(enriched)]  # 来访: 与汇报、看板同一个口径
to_beijing = visits[visits["visit_level"] == "国家"]
print(f"进京 {len(to_beijing)} 批,其中集体访 {int(to_beijing['is_group'].sum())} 批")

# %% [markdown] tags=["trainer"]
# **教学提示**:常见错误:按信访去向直接筛选,把来信、网上信访也算进去(示例数据会得到 24 批);汇报、看板只算来访(“来访批次”的口径),得到的数与报告一致。

# %% [markdown]
# **练习 5**:用筛选面板试一试:在下面的面板里勾选“只看集体访”,再在“信访去向”里选“市”,看看还剩几件。
# 面板下方的表格只显示前几条,个人信息已遮蔽;筛选结果在 `panel.filtered` 里,可以在下一格接着用。

# %%
panel = xf.FilterPanel(enriched)
panel

# %% tags=["answer"]
# 答案(不依赖面板上的点击,直接用条件算)
len(enriched[enriched["is_group"] & (enriched["visit_level"] == "市")])

# %% [markdown] tags=["trainer"]
# **教学提示**:面板上的勾选和代码里的条件是同一回事;提醒学员 `panel.filtered` 可以接着交给别的函数。

# %% [markdown]
# **练习 6**(导入与清洗,笔记本 01):读台账时需要人工核对的单元格,最多的是哪三类问题?

# %% tags=["answer"]
# 答案
result.issues["problem"].value_counts().head(3).rename("处数").pipe(xf.for_display)

# %% [markdown] tags=["trainer"]
# **教学提示**:问题清单里每一行都写明文件、工作表、行号和列;01 里会教怎样导出给填报单位核对。

# %% [markdown]
# **练习 7**(分类与复核,笔记本 02):自动分类后,有几件需要人工复核(`needs_review`)?

# %% tags=["answer"]
# 答案
classified = xf.classify(cases)
print(f"需要复核 {int(classified['needs_review'].sum())} 件")

# %% [markdown] tags=["trainer"]
# **教学提示**:需要复核的是台账原分类和规则判断不一致、或规则没有把握的件;02 里用复核队列逐件确认。

# %% [markdown]
# **练习 8**(积案与重复访,笔记本 03):优先级最高的积案事项,优先级是多少、原因是什么?

# %% tags=["answer"]
# 答案
xf.backlog_table(enriched).head(1)[["priority", "locality", "reason"]].pipe(xf.for_display)

# %% [markdown] tags=["trainer"]
# **教学提示**:优先级由超期、重复次数、去向、人数加权而来,权重可以改;按条件筛选后用 `backlog_table(全部, within=筛选结果)`,优先级不会变。

# %% [markdown]
# **练习 9**(统计汇报,笔记本 05):2026年1月1日至10月31日(截至10月31日)的按期办结率是多少?

# %% tags=["answer"]
# 答案
summary = xf.summarize(cases, start="2026-01-01", end="2026-10-31", today="2026-10-31")
print(f"按期办结率 {summary.numbers['on_time_rate']:.1%}")

# %% [markdown] tags=["trainer"]
# **教学提示**:和 05 打印的数、看板在同一统计期的卡片一致:每个指标只在 `analysis.FIGURES` 定义一次。

# %% [markdown]
# **练习 10**(台账归档,笔记本 06):把三个月的月度台账直接叠在一起有多少行?其中不同的信访件编号有多少个?

# %% tags=["answer"]
# 答案
from pathlib import Path

monthly = sorted(Path(DATA, "月度台账").glob("*.xlsx"))
stacked = xf.load_cases(monthly).cases
print(f"直接叠加 {len(stacked)} 行,不同的信访件 {stacked['case_id'].nunique()} 件")

# %% [markdown] tags=["trainer"]
# **教学提示**:同一件信访件每个月都会再报一次,直接叠加会重复计数;06 的归档按信访件合并,只保留最新的状态和历史。

# %% [markdown]
# **练习 11**（积案会诊，笔记本 07）：打开优先级最高的积案事项的卷宗（一案一档）。卷宗的标题是什么？最相似的 3 个已办结类案在哪些属地，化解方式各是什么？
#
# （提示：`xf.dossier(事项链编号, enriched, today=TODAY, k=3)`；卷宗只写事项，信访人只以代码出现。）

# %% tags=["answer"]
# 答案
top = xf.backlog_table(enriched).iloc[0]
file = xf.dossier(top["chain_id"], enriched, today=TODAY, k=3)
print(file.title)
file.precedents[["序号", "问题属地", "内容分类", "相似度", "化解方式"]]

# %% [markdown] tags=["trainer"]
# **教学提示**：卷宗依次是基本情况、时间线、诉求、答复与化解、类案参考，最后留出“症结、钥匙、措施”三栏供会诊时填写；类案只从其他事项中找（不会找到同一信访人的事项链），相似度由文字相似和分类是否相同加权得出。07 里可以逐个事项会诊并导出 Word。

# %% [markdown]
# ## 10. 下一步
#
# - `01_导入与清洗`:读入自己的台账,核对 issues 和 excluded;
# - `02_分类与复核`:自动分类和人工复核;
# - `03_积案与重复访`:积案清单、重复访和热点;
# - `04_数据看板`:给同事看的交互看板(可用 Voila 发布成网页);
# - `05_统计汇报`:生成统计表和汇报初稿(Word / Excel);
# - `06_台账归档与月度变化`:把每月的台账归档,看每件信访件的变化和积案趋势;
# - `07_积案会诊`:一案一档的积案卷宗、类案参考,逐个事项会诊并导出 Word。
#
# ### 在没有互联网的电脑上安装
#
# 政务内网的电脑不能上网时，用**离线安装包**：在能上网的电脑上运行 `make bundle`（Windows：`python tools\bundle.py`），把生成的 `dist/xinfang_toolkit-版本-offline.zip` 拷入内网电脑，解压后双击`安装.bat`（Linux：`sh install.sh`），再双击 `启动.bat` 打开这些笔记本。安装过程不访问网络；安装结束时自动运行`xinfang doctor` 自检，逐项说明 Python、软件包、Jupyter 内核、中文字体和写权限是否正常。详见安装包里的《离线安装说明.txt》。
#
