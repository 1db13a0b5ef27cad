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
# # 台账归档与月度变化：每月台账并成一本账，每件只算一次
#
# 每个月，同一批未办结件和积案会在新的台账里再出现一次，而且内容有了更新：补上了办结日期、换了包案领导、
# 又来访了一次。直接把十个月的台账摞在一起统计，同一件就会被算好几次；而且谁也记不住这件上个月是什么样子。
#
# **台账归档**(`CaseArchive`)把每月的台账并入一个归档文件(DuckDB 数据库文件，一个文件，不用安装、不用启动服务)：
#
# 1. 每件只保留一份“最新状态”，统计时不会重复计数；
# 2. 每一次变化都留下“版本”：哪个月的台账、哪个文件哪一行、改了哪些字段；
# 3. 可以问“这个月新增多少、办结多少、新超期多少、新进入积案多少”，也可以看积案数量逐月的变化和攻坚进度。
#
# 本笔记本用 `sample_data/月度台账/` 里同一个县 8、9、10 三个月的合成台账演示。所有展示都先遮蔽个人信息。

# %% [markdown]
# ## 参数
#
# - `MONTHLY`：月度台账所在文件夹(示例数据全部为合成数据，不含真实人员)；
# - `ARCHIVE`：归档文件的位置。演示时每次运行都重新建立，实际工作中应长期保存同一个文件；
# - `CAMPAIGN_START`：积案攻坚开始的日期，用来计算“攻坚开始时的积案，到现在有多少已不再是积案”。

# %% tags=["parameters"]
MONTHLY = "../sample_data/月度台账"  # 月度台账文件夹
ARCHIVE = "../out/归档演示.duckdb"  # 归档文件(演示时每次重建)
CAMPAIGN_START = "2026-08-31"  # 攻坚开始日期
EXPORT = "../out/归档导出"  # 导出归档(Parquet)的文件夹

# %% [markdown]
# ## 1. 建立归档
#
# `CaseArchive(路径)` 打开归档文件，文件不存在时新建。如果这个文件不是归档、是更新版本的工具包建立的，
# 或者正被另一个程序(另一个笔记本、命令行)使用，会给出中文提示，而不是一大段报错。

# %%
from pathlib import Path

from IPython.display import display

from xinfang_toolkit import for_display, load_cases, setup_chinese_font, summarize
from xinfang_toolkit.archive import CaseArchive
from xinfang_toolkit.plots import plot_backlog_trend
from xinfang_toolkit.widgets import CaseTimeline

setup_chinese_font()
files = sorted(Path(MONTHLY).glob("*.xlsx"))
Path(ARCHIVE).parent.mkdir(parents=True, exist_ok=True)
Path(ARCHIVE).unlink(missing_ok=True)  # 演示: 从空归档开始
archive = CaseArchive(ARCHIVE)
[f.name for f in files]

# %% [markdown]
# ## 2. 导入第一个月
#
# `import_ledgers` 先用 `load_cases` 读取和清洗台账(与 01 号笔记本相同)，再把每一件并入归档：
#
# - **怎样认出“同一件”**：有信访件编号的按编号；没有编号的，按“内容键”(登记日期 + 信访人代码 + 反映问题摘要的前 40 个字)识别，并在结果里说明有几件是这样认的；
# - **台账属于哪个月**：依次看 `period=` 参数、文件名、表格标题；都没有时取表中最晚的日期，并注明“按数据推断”。

# %%
first = archive.import_ledgers(files[0])
print(first.summary())

# %% [markdown]
# ## 3. 导入第二个月：哪些件更新了
#
# 第二个月的台账里，上个月未办结的件又出现了。归档把它们与已有的件合并：内容没变的记为“未变”，
# 补上了办结日期、换了包案领导的记为“更新”，并列出变化的字段。

# %%
second = archive.import_ledgers(files[1])
print(second.summary())
second.changed_fields["字段"].value_counts().pipe(for_display)

# %% [markdown]
# 同一个文件再导入一次，归档不会有任何变化，并且会明确告诉你(按文件内容的指纹判断，与文件名无关)：

# %%
print(archive.import_ledgers(files[1]).summary())

# %% [markdown]
# ## 4. 这个月有什么变化
#
# `changes(起始日期, 截止日期)` 比较这段时间前后的状态：新增、办结、重新打开(台账把已办结件的办结日期留空了)、
# 新超期、新进入积案、退出积案。“积案”只有一个定义(与统计汇报相同)：在那一天未办结且已超期，或同一事项反复信访仍未办结，或台账标记为积案。

# %%
september = archive.changes("2026-09-01", "2026-09-30")
display(for_display(september.counts))
september["办结"][
    ["case_id", "received_date", "petitioner", "category", "closed_date"]
].head().pipe(for_display)

# %% [markdown]
# ## 5. 一件积案的来龙去脉
#
# 选一件在 9 月底仍是积案、而且有过变化的件，用时间线看它每个月的样子：哪个月第一次出现、什么时候换了包案领导、
# 哪些字段变了、每个版本来自哪个文件的哪一行。个人信息已遮蔽。

# %%
backlog = archive.backlog("2026-09-30")
known = archive.cases().set_index("case_key")["versions"]
ids = list(backlog.loc[backlog["case_key"].map(known).gt(1), "case_id"].dropna())
ids = ids or list(backlog["case_id"].dropna())
timeline = CaseTimeline(archive, ids)
timeline

# %% [markdown]
# ## 6. 第三个月：留空的字段不会丢
#
# 10 月的台账里，有一件 9 月已经办结的件又被列了进来，而且办结日期没有填(登记时的疏漏)。归档**保留原来的办结日期**，
# 同时在结果里报告“留空但保留原值”，并在这件的历史里记下一笔。如果这件确实重新办理了，请在台账里写明。

# %%
third = archive.import_ledgers(files[2])
print(third.summary())
third.blanked_fields[third.blanked_fields["field"] == "closed_date"].pipe(for_display)

# %% [markdown]
# ## 7. 积案逐月变化与攻坚进度
#
# 每个月末的积案数量(同一个积案定义)，以及攻坚进度：攻坚开始那一天的积案，到最近一期台账时有多少已不再是积案(已办结，或不再符合积案定义)。注意**办结不等于化解**：下面的“已办结(不再是积案)”“已退出积案”按是否退出积案计，是否案结事了要看台账的化解时间、是否化解(统计汇报里的“积案化解”，见笔记本 03 的“办结不等于化解”)。

# %%
trend = archive.backlog_trend()
display(for_display(trend))
plot_backlog_trend(trend)

# %%
progress = archive.campaign(CAMPAIGN_START)
print(progress.summary())
progress.rows[["case_id", "category", "leader", "closed_date", "resolved"]].head(10).pipe(
    for_display
)

# %% [markdown]
# ## 8. 与统计汇报衔接：每件只算一次
#
# `archive.cases()` 是一张普通的案件表(标准列 + 首次出现、最近出现、版本数)，可以直接交给 `summarize`、数据看板和统计汇报。
# 对比一下：把三个月的台账直接合在一起读，同一件会被重复计数。

# %%
stacked = load_cases(files).cases
merged = archive.cases()
print(f"三个月台账直接合并: {len(stacked)} 行; 归档后: {len(merged)} 件")
summary = summarize(merged, start="2026-01-01", end="2026-10-31", today="2026-10-31")
summary.tables["总体情况"].head(6).pipe(for_display)

# %% [markdown]
# ## 9. 导出 Parquet
#
# `export_parquet(文件夹)` 把案件和全部版本按年、月分区导出为 Parquet 文件(个人信息默认遮蔽)，DuckDB、Polars、Spark 等都能直接读取。

# %%
import duckdb

folder = archive.export_parquet(EXPORT)
duckdb.sql(
    f"SELECT year, month, count(*) AS 件数 FROM read_parquet('{(folder / 'cases').as_posix()}/**/*.parquet', "
    "hive_partitioning = true) GROUP BY ALL ORDER BY ALL"
).df().tail().pipe(for_display)
