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
# # 导入与清洗：把各地报来的台账合成一张表
#
# 每个月, 乡镇、街道和各部门会报来格式各不相同的 Excel 台账。这个笔记本演示第一步工作:
#
# 1. **读取**: 一次读入一个文件夹里的所有台账 (`.xlsx`、`.xls`、`.csv`, 包括 GBK 编码的 CSV);
# 2. **识别表头**: 自动跳过标题行和“填报单位/填报时间”行, 认出两行表头、合并单元格、拼音代码表头 (xfrq、xfxs ...) 和 12345 热线的列名;
# 3. **清洗**: 把各种写法的日期 (2026.3.5、2026年3月5日、3月5日、Excel 序列号 ...)、人数 (“3人”“三人”)、身份证号、电话、信访形式、信访去向统一成规范写法;
# 4. **留痕**: 每一个被改动或读不懂的单元格都列在“问题清单”里, 每一行没有算作案件的内容 (标题、表头、合计、签名 ...) 都列在“排除清单”里, 并写明原因。
#
# > 规则: 台账里每一行非空内容, 要么成为一件信访件, 要么出现在排除清单里, 不会悄悄丢失。
#
# **个人信息**: 下面所有展示和导出都先打码 (张*明、410122********123X、138****1234)。

# %% [markdown]
# ## 参数
#
# 把 `DATA` 改成本月台账所在的文件夹即可。`YEAR` 用于只写了“3月5日”而标题和文件名里都没有年份的台账; 一般留空 (`None`), 程序会从标题或文件名里找年份。

# %% tags=["parameters"]
DATA = "../sample_data"  # 台账所在文件夹 (或单个文件)
OUT = "../out/"  # 导出目录
YEAR = None  # 只写月日的日期用哪一年; None 表示从标题或文件名推断
PERIOD = ("2026-01-01", "2026-10-31")  # 本期统计范围 (登记日期)
TODAY = "2026-11-20"  # 固定“今天”, 保证每次运行结果一致 (晚于今天的登记日期会列入问题清单)
MAPPING = None  # 上月保存的表头映射文件 (如 "../out/表头映射.yaml"); None 表示不用
PROFILE = "../out/表头映射.yaml"  # 本次改正后保存表头映射的位置

# %%
from pathlib import Path

import pandas as pd

from xinfang_toolkit import for_display, load_cases
from xinfang_toolkit.load import mapping_table
from xinfang_toolkit.widgets import MappingEditor

# %% [markdown]
# ## 第一步: 读取
#
# `load_cases` 返回三张表: `cases` (清洗后的信访件)、`issues` (需要核对的单元格)、`excluded` (未计入的行)。`summary()` 给出一段中文小结, 不含任何个人信息。

# %%
result = load_cases(DATA, year=YEAR, mapping=MAPPING, today=TODAY)
print(result.summary())

# %% [markdown]
# ### 读了哪些工作表
#
# 每个工作表一行: 表头在第几行 (两行表头会写成“3,4”)、推断出的年份、读到多少件。状态不是“已读取”的工作表 (例如没有表头的说明页) 会在这里写明原因, 其他工作表照常读取。

# %%
for_display(result.sources)

# %% [markdown]
# ### 表头对照表: 每一列认成了什么
#
# `result.columns` 每个工作表的每个表头一行: 原表头、对应的标准列、**方式** 和 **分数** (0-100)。
#
# - **同义词**: 表头在同义词表 `data/synonyms.csv` 里 (100 分);
# - **近似**: 同义词表里没有, 但包含一个同义词 (如“反映主要问题”含“主要问题”)、与某个同义词非常相似, 或含有提示词 (如“时间”加“收件”/“来访”/“受理”, 见 `data/header_cues.csv`); 80 分以上才采用, **请核对**;
# - **人工指定**: 由 `mapping=` 或下面的改正工具指定;
# - **未识别**: 不对应任何标准列, 这一列按原表头保留在案件表里, 不会丢。
#
# “被反映人 / 被举报人 / 被检举人”是被反映的对象, 永远不会被当成信访人。`summary()` 里也会列出未识别和近似的表头, 以及某个工作表缺少其他工作表都有的列 (常常是表头写法不同)。

# %%
for_display(mapping_table(result.columns))

# %% [markdown]
# ### 改正一个表头, 并保存“表头映射”
#
# 在下面的工具里选一个表头 (未识别和近似的排在前面), 选它实际对应的标准列, 点“改正”; 改完点“保存表头映射”。
# 保存的文件 (参数 `PROFILE`) 按**表头行**记录这种台账的格式: 下个月同一格式的台账, 用 `load_cases(文件夹, mapping=PROFILE)` 读取时会自动套用, 不用再改。
# 文件是普通的 YAML 文本, 可以放在台账文件夹旁边, 也可以发给同事共用; 程序不会把它存到别处。

# %%
editor = MappingEditor(result.columns, path=PROFILE)
editor

# %% [markdown]
# 不用界面也可以直接在代码里改正: 例如把所有“未识别”的表头 (如“序号”) 明确标为不对应任何列, 然后保存; 再用保存的文件重新读一遍, 方式一栏就都是“人工指定”了:

# %%
unmapped = result.columns[result.columns["how"] == "未识别"]
for _, row in unmapped.iterrows():  # 明确标为“不对应任何列” (按原表头保留)
    editor.corrections[(row["file"], row["sheet"], row["header"])] = ""
saved = editor.save()
again = load_cases(DATA, year=YEAR, mapping=saved, today=TODAY)
again.columns["how"].value_counts().rename("表头数").pipe(for_display)

# %% [markdown]
# ## 第二步: 看一看清洗后的案件 (已打码)
#
# `masked()` 返回一份打过码的副本, 用于展示和导出; 原始数据仍然保留在 `result` 里, 只供查重访等分析使用。
# 列名用中文显示; 最后几列 `来源文件 / 工作表 / 行号` 可以直接回到原台账核对。

# %%
from xinfang_toolkit.widgets import preview

shown = result.masked()  # 遮蔽后的读取结果(案件、问题清单、排除行),下面看问题清单时用
preview(result.cases, 10)  # 前 10 件:常用列、遮蔽个人信息(经 mask_pii)、中文表头

# %% [markdown]
# 本期 (参数 `PERIOD`) 各信访形式的件数, 作为核对读入结果的一个快速检查:

# %%
cases = result.cases
in_period = cases["received_date"].between(pd.Timestamp(PERIOD[0]), pd.Timestamp(PERIOD[1]))
cases[in_period]["channel"].value_counts().rename("件数").pipe(for_display)

# %% [markdown]
# ## 第三步: 需要核对的单元格 (问题清单)
#
# 每行是一个单元格: 在哪个文件、哪个工作表、第几行、哪一列, 原值是什么, 问题是什么。
# 最常见的是**身份证号被 Excel 存成了数字**: Excel 只保留 15 位有效数字, 后几位已经丢失, 无法恢复, 需要按原件重新录入 (并把该列设为“文本”格式)。

# %%
shown.issues.groupby(["column", "problem"]).size().rename("处数").pipe(for_display)

# %%
for_display(shown.issues.head(15))

# %% [markdown]
# ## 第四步: 没有算作案件的行 (排除清单)
#
# 标题行、填报信息行、表头、分节行 (如“二、往年积案”)、合计行、填表人/审核人/注 等都会列在这里。
# 如果发现某一行其实是案件却被排除了, 请检查这一行的写法 (例如把案件写在了“合计”下面)。

# %%
shown.excluded["reason"].value_counts().rename("行数").pipe(for_display)

# %%
for_display(shown.excluded)

# %% [markdown]
# ## 第五步: 导出 (打码后的)
#
# 把清洗后的案件、问题清单、排除清单和表头对照写到 `OUT` 目录下的一个 Excel 文件里, 发给各单位核对。
# `export_tables` 是导出表格的统一入口 (命令行 `xinfang load` 用的也是它, 工作表名称相同): 个人信息默认打码,
# Excel 可能当作公式执行的文字 (以 `=`、`+`、`-`、`@` 开头) 写成普通文字, 文件要么完整写出, 要么不写。

# %%
from xinfang_toolkit.report import export_tables

target = Path(OUT) / "01_清洗结果.xlsx"
export_tables(
    {
        "案件清单": result.cases,
        "问题清单": result.issues,
        "排除清单": result.excluded,
        "表头对照": mapping_table(result.columns),
    },
    target,
)  # 默认打码; 以 "=" 开头的单元格写成文字, 不会被 Excel 当作公式执行
print("已写出:", target)

# %% [markdown]
# ## 小结与下一步
#
# - 同一件信访件出现在两个文件里时只保留一份, 问题清单里会写明两处来源。
# - 表头认不出来? 用上面的改正工具保存表头映射, 或在 `xinfang_toolkit/data/synonyms.csv` 里加一行 `规范列名,表头写法`, 或者调用 `load_cases(DATA, mapping={"事件经过": "summary"})`。
# - 下一步: `02_分类与复核.ipynb` 给案件分类, `03_积案与重复访.ipynb` 找出重复访和积案。
