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
# # 信访数据看板
#
# 在页面上方选择条件(登记日期、内容分类、问题属地、信访形式、信访去向、办理状态、只看集体访、关键词),
# 下面的**指标卡**、**统计图**和最下面的**统计期指标**都会随之更新;“逐件浏览”里可以翻页查看每一件信访件和同一事项的历次信访记录。
# 个人信息(姓名、身份证号、电话、住址)一律遮蔽显示。页面只在本机提供,不访问任何外部网站。

# %% tags=["parameters"]
# 参数:换成自己的台账文件夹即可(相对于 notebooks/ 文件夹)
# 发布成网页给不写代码的同事用: 在项目文件夹运行 make app
# (Windows: .venv\Scripts\python -m xinfang_toolkit.widgets.app notebooks/04_数据看板.ipynb),
# 浏览器打开 http://127.0.0.1:8866 ; 网页上不显示代码。
DATA = "../sample_data"  # 台账所在文件夹(示例数据全部为合成数据,不含真实人员)
TODAY = None  # 统计截至哪天: None = 台账里最晚的日期(登记或办结); 也可写 "2026-11-20"
START, END = "2026-01-01", "2026-10-31"  # 统计期: 页面最下方按它核对, 与 05_统计汇报 相同

# %% [markdown]
# ## 指标与统计图
#
# 统计截至台账里最晚的日期(最后一件登记或办结的日子),超期和积案都按这一天判断,页面上写明了这一天。
# 改变筛选条件时只重新统计符合条件的信访件(页面上显示“正在计算…”),不再重新读表。
# 指标口径:**批次**为来访的件数,**人次**为人数之和;**按期办结率** = 按期办结件数 ÷ 已办结件数;**积案事项**按事项链计。把鼠标停在指标卡上可以看到口径说明。

# %%
from xinfang_toolkit import load_cases
from xinfang_toolkit.analysis import data_as_of
from xinfang_toolkit.widgets import Dashboard, PeriodFigures

# 在 JupyterLab 里: 当前筛选出的信访件在 board.panel.filtered (导出前先用 mask_pii 遮蔽个人信息)
cases = load_cases(DATA).cases
board = Dashboard(cases, today=TODAY or data_as_of(cases))
board

# %% [markdown]
# ## 与统计汇报核对:同一统计期,同一组数
#
# 上面的指标卡统计全部台账。写汇报时按**统计期**计算、截至**统计期末**。下表用同一套指标口径算出统计期内的主要指标,与“统计汇报”笔记本打印的数字相同;改变上方的筛选条件时,下表也随之更新。

# %%
PeriodFigures(board, start=START, end=END)
