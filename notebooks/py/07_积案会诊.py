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
# # 积案会诊：一案一档与类案参考
#
# 积案化解的常见做法是先**一案一档**(每个积案事项一份完整卷宗:诉求、每一次信访和答复、办理经过),
# 再**会诊**(领导逐案研究,找准症结、找准钥匙、找准措施),然后由易到难逐件化解。
#
# 本笔记本为会诊准备材料:
#
# 1. 从积案清单里选一个事项,生成它的**卷宗**(事项概况、办理经过、信访诉求、答复与办理结果、类案参考、会诊栏目);
# 2. 找**类案**:其他地方、其他年份里和它相似、已经办结的事项,各是怎么化解的、答复后是否息诉;
# 3. 在工作台(`PrecedentPanel`)里并排看卷宗和类案,标记哪些类案有帮助,导出 Word 卷宗;
# 4. 一次为全部积案事项写出卷宗和索引(与命令 `xinfang dossier` 相同)。
#
# 卷宗讲的是**事项**,不是人:信访人只以匿名编号出现,诉求中的姓名、证件号、电话都已遮蔽;
# 卷宗里没有社会关系,也没有对任何人的评分。示例数据全部为合成数据。

# %% [markdown]
# ## 参数
#
# - `DATA`:台账所在文件夹;`TODAY`:统计日(判断积案、超期所用的“今天”,固定下来结果才能复现);
# - `OUT`:卷宗写到哪个文件夹(必须是新文件夹、空文件夹,或本工具以前写的卷宗文件夹);
# - `K`:每个事项列几条类案;`TOP`:批量导出时写前几个事项(`None` 为全部)。

# %% tags=["parameters"]
DATA = "../sample_data"  # 台账所在文件夹
OUT = "../out/积案卷宗"  # 卷宗输出文件夹
TODAY = "2026-11-20"  # 统计日
K = 5  # 每个事项的类案条数
TOP = 5  # 批量导出的事项数(None = 全部积案事项)

# %% [markdown]
# ## 1. 读入台账,算出积案清单
#
# `enrich` 一次算出办理时限、事项链(同一人同一事项的多次信访)和积案标记;`backlog_table` 每个积案事项一行,
# 带事实和化解优先级。卷宗里的数字(信访次数、重复次数、超期天数、最高去向、人数)就取自这一行,
# 积案件数取自指标登记表 `analysis.FIGURES` 的“期末积案”,所以在清单、看板和卷宗里看到的是同一个数。

# %%
from pathlib import Path

import pandas as pd

from xinfang_toolkit import for_display, load_cases
from xinfang_toolkit.analysis import backlog_table, enrich, find_precedents
from xinfang_toolkit.report import DossierBook, export_dossiers

result = load_cases(DATA)
cases = enrich(result.cases, today=TODAY)
table = backlog_table(cases, today=TODAY)
print(f"共 {len(cases)} 件信访件,统计日 {TODAY} 有积案事项 {len(table)} 个")
table[
    ["rank", "priority", "locality", "category", "cases", "overdue_days", "visit_level", "reason"]
].head(10).pipe(for_display)

# %% [markdown]
# ## 2. 一个事项的卷宗
#
# `DossierBook` 把多份卷宗共用的东西(积案清单、指标、类案索引)只算一次。`dossier(...)` 接受事项链编号、
# 事项中任一件的编号,或积案清单的一行。卷宗在笔记本里直接显示(所有文字都经过转义和遮蔽)。

# %%
book = DossierBook(cases, today=TODAY, k=K, backlog=table)
first = book.dossier(table.iloc[0])
first

# %% [markdown]
# **怎样读一份卷宗(练习)**:
#
# 1. 看“事项概况”:这件事第一次来是什么时候?已经历时多少天?到过哪些层级?有没有包案领导?
# 2. 看“办理经过”:每次答复之后,隔了多久又来了?答复的内容有没有变化?
# 3. 看“信访诉求”:前后几次诉求是否一致?有没有新增的诉求?
# 4. 看“类案参考”:相似的事项用什么方式化解(化解、分流、疏导、救助帮扶)?答复后是否息诉?
#
# 下面一格把卷宗的数字和积案清单并排,核对它们相同。

# %%
row = table.iloc[0]
pd.DataFrame(
    {
        "积案清单": [row["cases"], row["repeat_count"], row["overdue_days"], row["visit_level"]],
        "卷宗": [
            first.figures[k] for k in ("cases", "repeat_count", "overdue_days", "visit_level")
        ],
    },
    index=["信访次数", "重复次数", "超期天数", "最高去向"],
)

# %% [markdown]
# ## 3. 类案:别的地方是怎么化解的
#
# `find_precedents` 在**其他事项**(不含同一信访人的任何事项)中找文字相近、已经办结的信访件,跨属地、跨年份。
# 相似度 = 0.80 × 摘要的字符 n-gram TF-IDF 余弦 + 0.15 × 内容分类相同 + 0.05 × 二级分类相同;
# “共同关键词”是两段文字共有的片段,是相似的依据;“答复后息诉”表示答复后 180 天内该事项没有再来。
# 索引只建一次(`PrecedentIndex`),之后每次查询只要几十毫秒;也可以直接输入一段文字来查。

# %%
index = book.index  # 与卷宗共用的类案索引
prec = index.query(str(row["latest_case"]), k=K)
prec[
    [
        "rank",
        "similarity",
        "shared_terms",
        "locality",
        "category",
        "resolution",
        "days_taken",
        "stopped",
    ]
].pipe(for_display)

# %%
find_precedents(cases, "小区楼下烧烤店营业到半夜,噪音和油烟影响休息", k=3, index=index)[
    ["rank", "similarity", "shared_terms", "locality", "summary", "resolution"]
].pipe(for_display)

# %% [markdown]
# ## 4. 会诊工作台
#
# 在下拉框中选一个积案事项:左边是卷宗,右边是类案。在“有帮助”中选中(按住 Ctrl 可多选)对会诊有参考价值的类案,
# 点“导出卷宗(Word)”写出带标记的卷宗。浏览全部信访件时,`CaseBrowser` 卡片下的“类案”按钮也能查同一件的类案。

# %%
from xinfang_toolkit.widgets import CaseBrowser, PrecedentPanel

panel = PrecedentPanel(book=book, out_dir=Path(OUT).parent / "会诊导出")
panel

# %%
# 在代码里做同样的操作:选第二个事项,标记第一条类案有帮助,导出
if len(panel.matter.options) > 1:
    panel.matter.value = panel.matter.options[1][1]
if panel.helpful.options:
    panel.helpful.value = (panel.helpful.options[0],)
print(panel.export())

# %%
browser = CaseBrowser(cases, page_size=10)
browser.precedent_button.click()  # 当前这件的类案
browser

# %% [markdown]
# ## 5. 批量写出全部卷宗
#
# `export_dossiers` 为每个事项写一份 Word 卷宗,另写一份索引 `积案卷宗索引.csv`;全部写完才一起出现,
# 不会留下半份文件。文件夹里如有不是本工具写的文件,会拒绝写入。命令行的做法:
#
# ```
# xinfang dossier ../sample_data --backlog --today 2026-11-20 -o ../out/积案卷宗
# ```

# %%
matters = table if TOP is None else table.head(TOP)
written = export_dossiers(matters, OUT, book=book)
written
