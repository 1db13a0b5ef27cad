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
# # 05 统计汇报:从台账到工作汇报
#
# 每月、每季度、每年都要写信访工作汇报:“共接待来访群众147批1602人次,其中进京2批2人次,到市31批577人次……
# 按期办结率达到了100%”。过去这些数字靠手工在 Excel 里数,容易数错,也说不清每个数是怎么来的。
#
# 这个笔记本从台账直接算出汇报需要的全部数字,按固定格式起草汇报正文,并写出 **Word 汇报稿**和 **Excel 统计表**:
#
# 1. 读取台账,按分类体系归类;
# 2. 用日期选择器选定统计期(可同比、环比);
# 3. 查看统计表,并追查每个数字背后的信访件;
# 4. 查看图表和起草的正文;
# 5. 写出 `../out/report.docx` 和 `../out/report.xlsx`。
#
# 所有导出文件中的个人信息(姓名、身份证号、电话、住址)默认**脱敏**。示例数据全部为合成数据,不含真实人员。

# %% tags=["parameters"]
# 参数:换成自己的台账文件夹和统计期即可(路径相对于 notebooks/ 文件夹)
DATA = "../sample_data"  # 台账所在文件夹
OUT = "../out/"  # 输出文件夹
START = "2026-01-01"  # 统计期第一天
END = "2026-10-31"  # 统计期最后一天
COMPARE = "yoy"  # "yoy" 同比(去年同期), "mom" 环比(上期), None 不比较
TODAY = "2026-11-20"  # 判断是否超期、是否积案所用的“今天”;固定下来,结果才能复现
CUTOFF_DAY = None  # 统计月在每月20日截止时写 20;按自然月统计写 None
GROUP_THRESHOLD = 5  # 几人以上算集体访

# %% [markdown]
# ## 第一步:读取台账并归类
#
# `load_cases` 读入文件夹里的全部台账(Excel 和 CSV),自动识别表头、清洗日期和人数,并列出需要核对的单元格。
# 各地台账的分类名称不一(“征地”“村级财务”“劳资纠纷”……),`classify` 把它们归入全国统一的内容分类,
# 这样统计表里同一类问题不会被拆成几行。

# %%
from pathlib import Path

import xinfang_toolkit as xf
from xinfang_toolkit import plots
from xinfang_toolkit.analysis import figure_series
from xinfang_toolkit.widgets import ReportPanel

xf.setup_chinese_font()
result = xf.load_cases(DATA)
print(result.summary())
cases = xf.classify(result.cases)

# %% [markdown]
# ## 第二步:选择统计期
#
# 下面的面板用参数单元格里的日期先算一遍。要换统计期,在日期框里选好**起始日期**和**截止日期**,
# 选择是否**同比**(与去年同期比)或**环比**(与上一期比),再点 **重新统计**。
#
# 口径说明:
#
# - **件 / 批次**:信访件的件数;来访按“批”计。**人次**:各件人数之和(没有填人数的按 1 人计)。
# - 统计期内**登记**的信访件计入本期;是否办结、是否超期按统计期最后一天(或 `TODAY`,取较早者)判断,
#   之后才办结的件按“正在办理”计。
# - **按期办结率** = 按期办结件数 ÷ 已办结件数。**积案**由“积案与重复访”笔记本的规则判断(超期未办结、长期反复信访等)。

# %%
panel = ReportPanel(
    cases,
    start=START,
    end=END,
    compare=COMPARE,
    today=TODAY,
    group_threshold=GROUP_THRESHOLD,
    period_cutoff_day=CUTOFF_DAY,
)
panel

# %% [markdown]
# ## 第三步:查看统计表
#
# `summary.tables` 里是汇报用的全部统计表(列名为中文),例如“信访去向”给出进京、赴省、到市、到县、乡镇的**批次**和**人次**。

# %%
summary = panel.summary
list(summary.tables)

# %%
xf.for_display(summary.tables["信访去向"])

# %%
xf.for_display(summary.tables["内容分类"])

# %%
xf.for_display(summary.tables["积案"])

# %%
# 同比/环比表(参数 COMPARE 为 None 时没有这张表)
if summary.compare_name:
    display(xf.for_display(summary.tables[summary.compare_name]))
else:
    print("未选择同比或环比")

# %% [markdown]
# ## 第四步:每个数字从哪里来
#
# 汇报里的每个数字都记在 `summary.numbers` 里,`summary.ids_for(名称)` 给出它背后的信访件编号,
# `summary.cases_for(名称)` 给出这些信访件本身,方便逐件核对。显示时用 `mask_pii` 遮蔽个人信息。
# 常用名称:`cases`(件)、`persons`(人次)、`level.国家.batches`(进京批次)、`on_time_rate`(按期办结率)、
# `overdue`(超期未办结)、`backlog.end`(期末积案)。

# %%
print("进京批次:", summary.numbers["level.国家.batches"], summary.ids_for("level.国家.batches"))
rate = summary.numbers["on_time_rate"]
print("按期办结率:", "—" if rate is None else f"{rate:.1%}")
overdue = xf.mask_pii(summary.cases_for("overdue"))
overdue[
    ["case_id", "received_date", "petitioner", "responsible_unit", "status", "overdue_days"]
].head(10).pipe(xf.for_display)

# %% [markdown]
# 报告中的主要指标(口径见导出 Excel 的“说明”页;与 `03_积案与重复访` 同一统计期的输出逐项相同):

# %%
print(summary.as_of_text)
for label, value in figure_series(summary.numbers).items():
    print(f"{label}：{value}")

# %% [markdown]
# ## 第五步:图表
#
# 图表用开源中文字体绘制,Word 汇报稿里会放入同样的图。

# %%
plots.plot_escalation(
    summary.cases[summary.cases["channel"] == "来访"], title="来访去向(批次/人次)"
)

# %%
plots.plot_on_time_rate(summary.cases)

# %% [markdown]
# ## 第六步:起草的汇报正文
#
# 起草的是一份完整的**工作汇报初稿**,结构与各地的工作汇报相同:开头、一、基本情况(同比并入每个数字)、
# 二、反映的主要问题(“一增两减”等趋势句、各类问题及二级分类、增减较多的几项)、三、工作开展情况、四、积案化解、
# 五、存在的问题和困难(一是、二是……,列出超期和重复访较多的单位、上升较快的类别)、六、下一步工作打算。
#
# - 每个数字都取自上面的统计结果(口径见 Word 汇报稿最后的“说明”页);没有的类别不写“0件”;
# - 台账里没有的数字(如领导接访次数)写成 `领导接访__次`,请填上;`【请补充:……】` 是只有本单位知道的内容;
# - **报告档次**(乡镇 / 县 / 区 / 市)决定信访去向怎么写(到县还是到区,低于本级的写“乡镇接待”),
#   **分类方案**决定“反映的主要问题”按全国分类还是本单位的分类(如 三农问题 / 涉法涉诉 / 干部作风 / 城建拆迁 / 其他)。
#   两者都是数据文件(`data/report_profiles.yaml`、`data/report_schemes.yaml`),可以复制后修改。
#
# 在下面选择报告档次和分类方案,正文随之更新:

# %%
import ipywidgets as widgets

from xinfang_toolkit.report import draft_report, report_profiles, report_schemes

# 在上面的面板中重新统计后,再运行本单元格,正文即按新的统计期起草
BY_PROFILE = "(按报告档次)"
profile = widgets.Dropdown(options=list(report_profiles()), value="县", description="报告档次")
scheme = widgets.Dropdown(options=[BY_PROFILE, *report_schemes()], description="分类方案")
draft = widgets.Textarea(layout=widgets.Layout(width="100%", height="420px"))


def redraw(_=None):
    chosen = None if scheme.value == BY_PROFILE else scheme.value
    draft.value = draft_report(panel.summary, profile=profile.value, scheme=chosen)


profile.observe(redraw, "value")
scheme.observe(redraw, "value")
redraw()
widgets.VBox([widgets.HBox([profile, scheme]), draft])

# %% [markdown]
# 例如区信访局:“区”档次的信访去向写“到区”,问题按本单位的五类问题归类(正文的前几段):

# %%
district = draft_report(panel.summary, profile="区")  # 不改变上面的选择
print("\n".join(district.splitlines()[:6]))

# %% [markdown]
# ## 第七步:写出 Word 和 Excel
#
# - `report.docx`:标题、正文(上面选定档次和分类方案的汇报初稿;仿宋正文、黑体标题、楷体小标题)、附表(含“增减变化”)、附图和“说明”页(各项指标的口径),可以直接在 Word 或 WPS 中修改。
# - `report.xlsx`:每张统计表一个工作表,另有“信访件”明细表和图表页;明细表中个人信息已脱敏,
#   以 `=`、`+`、`-`、`@` 开头的文字会被当作文字而不是公式。
#
# 确需未脱敏的明细时,才使用 `export_xlsx(summary, 路径, mask=False)`,并且不得外传;
# 给培训用的数据用 `pseudonymize=True`(以信访人代码代替姓名和身份证号)。

# %%
out = Path(OUT)
docx_path = xf.export_docx(summary, out / "report.docx", text=draft.value)  # 上面选定的正文
xlsx_path = xf.export_xlsx(summary, out / "report.xlsx")
print("已写出:", docx_path, xlsx_path)

# %% [markdown]
# ## 办理情况的统计口径
#
# 交办件按交办机关统计，写明按期反馈和超期未反馈；领导接访次数按“日期＋接访领导”计；督办次数按督办情况中写有日期的条数计。`analysis.unit_table` 按责任单位列出件数、按期办结率、超期未办结、重复信访件、越级访、不满意率、交办件和积案，只比单位，不比个人。工作台账用 `load_activities` 读入，传给 `summarize(activities=...)`，得到“工作开展情况”里下访、督办、回访等次数。台账没有某一列时，该指标留空（汇报里写成 __ 供补充），不记为 0。

# %% [markdown]
# ## 小结
#
# 同样的汇报也可以在命令行一步生成(在项目文件夹运行):
#
# ```
# xinfang report sample_data --from 2026-01-01 --to 2026-10-31 --compare yoy --today 2026-11-20 -o out/report.docx --xlsx out/report.xlsx
# ```
#
# 下一步:打开 `04_数据看板.ipynb` 按条件筛选浏览信访件,或在 `03_积案与重复访.ipynb` 里查看积案清单。
