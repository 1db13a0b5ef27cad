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
# # 分类与复核：给每件信访事项归类
#
# 每件信访事项都要归入一个**内容分类**（国家信访内容分类共 15 个一级类），才能统计、分流、看出哪类问题在增多。
# 但各地台账送来时，有的没填分类，有的用本地叫法（如"征地""环保""村级财务"），有的填错了。
#
# 本笔记本演示三个配合使用的工具：
#
# 1. **分类规则**（`Taxonomy` + `classify`）：按关键词归类，每一条都给出"分类依据"，看得懂、改得了；
# 2. **文本模型**（`TextClassifier`）：从本单位已标注的历史数据中学习，不需要分词；
# 3. **复核工具**（`ReviewQueue`）：一件一件核对建议分类，接受或更正，更正结果保存下来用于再训练。
#
# > 所有个人信息（姓名、身份证号、电话、住址）在显示时都已脱敏。样例数据全部是合成的，不含真实人员。

# %% [markdown]
# ## 参数
#
# 下面这个单元格是本笔记本的全部输入。换成自己的台账文件夹、统计期即可，其余单元格不用改。
# `TODAY` 固定下来，保证每次运行结果相同。

# %% tags=["parameters"]
DATA = "../sample_data"  # 台账文件夹（或单个文件）
OUT = "../out/"  # 输出文件夹：复核标注、模型文件
LABELS = "../out/复核标注.csv"  # 复核结果（标注文件），重启后仍然保留
MODEL = "../out/分类模型"  # 模型文件（.json + .npz）
PERIOD = ("2026-01-01", "2026-10-31")  # 本次复核的统计期（登记日期）
TODAY = "2026-11-20"

# %%
from pathlib import Path

import pandas as pd

from xinfang_toolkit import (
    Taxonomy,
    TextClassifier,
    classify,
    for_display,
    load_cases,
    load_labels,
    mask_pii,
)
from xinfang_toolkit.classify import labelled_corpus
from xinfang_toolkit.widgets.review import ReviewQueue

Path(OUT).mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## 1. 分类表：15 个一级分类、二级分类和关键词
#
# 默认分类表随工具包提供（`xinfang_toolkit/data/taxonomy.yaml`，文件开头写明了格式）。各单位可以用
# `Taxonomy.export_default("../out/我的分类表")` 复制一份（连同本地名称对照表 `local_categories.csv`），
# 增删关键词后用 `Taxonomy.from_file("../out/我的分类表/taxonomy.yaml", local_names="../out/我的分类表/local_categories.csv")`
# 读入。文件写错时，提示会指出是第几行。

# %%
tax = Taxonomy.default()
tax

# %%
for_display(tax.to_frame().head(12))

# %% [markdown]
# 本地分类名称（如种子工作汇报里的"土地纠纷""三农问题""城建拆迁"）通过对照表
# （`data/local_categories.csv`，可用 Excel 编辑）对应到国家分类。"其他"这类不含分类信息的名称视同未填写。

# %%
for_display(
    pd.DataFrame(
        [
            (name, tax.normalize(name))
            for name in ["土地纠纷", "三农问题", "城建拆迁", "环保", "村级财务", "其他"]
        ],
        columns=["本地名称", "国家分类 (一级、二级)"],
    )
)

# %% [markdown]
# ## 2. 读入台账并按规则分类
#
# `classify` 不改动原数据，返回一个新表，增加以下几列：
#
# | 列 | 含义 |
# |---|---|
# | `category_pred` 建议分类 | 用于统计的分类：台账填了且能识别的，保留并统一成国家分类；否则由规则或模型判断；都判断不了就是"未分类"，不会硬塞进某一类 |
# | `category_level2` 二级分类 | 能判断时给出 |
# | `category_source` 分类来源 | given（台账原有）、rule（关键词规则）、model（模型）、none（未能分类） |
# | `category_confidence` 置信度 | 0 到 1 |
# | `category_evidence` 分类依据 | 决定分类的关键词，或台账原分类 |
# | `needs_review` 待复核 | 台账原分类与规则/模型判断不一致，或原分类无法识别 |
#
# 事项类型（建议意见类、检举控告类、申诉求决类）为空的，也按规则补上；台账已填的保留。

# %%
result = load_cases(DATA, today=TODAY)
cases = result.cases
classified = classify(cases, taxonomy=tax)
print(f"共 {len(classified)} 件")
classified["category_source"].value_counts().rename("件数").pipe(for_display)

# %%
classified["category_pred"].value_counts().rename("件数").pipe(for_display)

# %% [markdown]
# ### 分类依据
#
# 下面是台账里**没有填分类**、由规则判断的几件。"分类依据"列出了起决定作用的关键词，分析人员一眼就能看出为什么这样分。

# %%
SHOW = [
    "case_id",
    "summary",
    "category",
    "category_pred",
    "category_level2",
    "category_confidence",
    "category_evidence",
]
by_rule = classified[classified["category_source"] == "rule"]
mask_pii(by_rule)[SHOW].head(10).pipe(for_display)

# %% [markdown]
# ### 原分类与规则判断不一致的案件
#
# 这些案件保留台账原分类（统计时仍按原分类），但标记为待复核，交给下面的复核工具处理。

# %%
disagree = classified[classified["needs_review"]]
print(f"待复核 {len(disagree)} 件")
mask_pii(disagree)[SHOW].head(10).pipe(for_display)

# %%
classified["matter_type"].value_counts(dropna=False).rename("件数").pipe(for_display)

# %% [markdown]
# ## 3. 复核工具
#
# 复核队列把**最拿不准的案件排在前面**：先是原分类与判断不一致的，再按置信度从低到高。
# 每件显示脱敏后的反映内容、建议分类、置信度和分类依据：
#
# - 点 **接受建议**，保存建议分类；
# - 或在 **更正为** 下拉框选正确分类，点 **保存更正**；
# - **上一条 / 下一条** 翻看；顶部显示已复核件数。
#
# 每次保存都立即写入标注文件（`LABELS`）。关掉笔记本、重启内核后重新打开，已复核的案件仍然记得。

# %%
in_period = classified[classified["received_date"].between(*PERIOD)]
queue = ReviewQueue(in_period, labels_path=LABELS, taxonomy=tax)
queue

# %% [markdown]
# ## 4. 文本模型：从已标注数据中学习
#
# `TextClassifier` 把文本切成重叠的 1 至 3 个字的片段（字符 n-gram），不需要分词，
# 用 TF-IDF 加权后训练线性支持向量机。任何分类体系都能学（国家 15 类、本单位自己的分类都可以）。
#
# 先用工具包自带的**替代评测集**检验它：1,400 条模拟群众来信来电（7 个一级分类，每类 200 条），
# 特意写得难：分类之间用词交叉、口语化、有错别字、一条里顺带提到别的问题。
# `evaluate` 做 5 折交叉验证，给出每类的精确率、召回率、F1 和混淆矩阵。

# %%
corpus = labelled_corpus()
evaluation = TextClassifier().evaluate(corpus["text"], corpus["label"], cv=5)
print(f"5 折交叉验证 宏平均 F1 = {evaluation.macro_f1:.3f}, 准确率 = {evaluation.accuracy:.3f}")
for_display(evaluation.per_class)

# %% [markdown]
# ### 换一批没见过的留言再检验
#
# 交叉验证的训练和测试来自同一批样本，说法相近，分数容易偏高。工具包另带一份**留出评估集**（`handwritten_messages()`，7 类各 30 条）：逐条手写的群众口吻留言，不用样本的模板，也不参与任何调参。下面分别看两种做法在它上面的表现：
#
# - **只用分类规则**（没有任何标注数据的单位就是这样起步的）；
# - **文本模型**：用上面的 1,400 条样本训练，再去分这 210 条新留言。
#
# 分类规则里的“背景词”（如 学校、工地、医院）只计一半分：它们说明事情发生在哪里，不说明问题本身，所以“学校食堂食物中毒”按 食物中毒 归类。

# %%
from xinfang_toolkit.classify import handwritten_messages

held = handwritten_messages()
by_rules = classify(pd.DataFrame({"summary": held["text"]}))["category_pred"]
by_model = TextClassifier().fit(corpus["text"], corpus["label"]).predict(held["text"])
print(
    f"分类规则: 准确率 {(by_rules.to_numpy() == held['label'].to_numpy()).mean():.1%}, "
    f"未分类 {(by_rules == '未分类').mean():.1%}"
)
print(f"文本模型: 准确率 {(by_model == held['label'].to_numpy()).mean():.1%}")

# %%
evaluation.plot();

# %% [markdown]
# 模型可以保存下来下次直接用。保存格式是 JSON 加 NumPy 数组文件，读入时不会执行任何代码（不是 pickle），可以放心交换。

# %%
model = TextClassifier().fit(corpus["text"], corpus["label"])
saved = model.save(MODEL)
reloaded = TextClassifier.load(saved)
reloaded.predict(["小区门口的烧烤摊油烟太大了，晚上还吵", "孩子上学被划到很远的学校"])

# %% [markdown]
# ## 5. 复核后再训练：准确率前后对比
#
# 模拟一个常见情况：本单位只有少量已标注的历史数据（每类 20 条），先训练一个模型；
# 再用复核工具核对 150 件新来的信件，把更正结果存进标注文件，然后用"历史数据 + 复核标注"重新训练。
#
# 为了让笔记本无人值守也能运行，下面用程序代替人工点击（设定下拉框、点"保存更正"），
# "正确答案"取自评测集的标注。演示用的标注文件每次运行前先清空。

# %%
history = corpus.groupby("label").head(20)
rest = corpus.drop(history.index)
incoming, test = rest.iloc[:150], rest.iloc[150:]
before = TextClassifier().fit(history["text"], history["label"])
acc_before = (before.predict(test["text"]) == test["label"]).mean()
print(f"仅用历史数据 {len(history)} 条训练：测试集 {len(test)} 条，准确率 {acc_before:.1%}")

# %%
demo_labels = Path(OUT) / "复核标注_演示.csv"
demo_labels.unlink(missing_ok=True)
new_cases = pd.DataFrame(
    {"case_id": [f"N{i:04d}" for i in range(len(incoming))], "summary": incoming["text"].tolist()}
)
truth = dict(zip(new_cases["case_id"], incoming["label"], strict=True))
demo_queue = ReviewQueue(
    classify(new_cases, model=before),
    labels_path=demo_labels,
    choices=sorted(corpus["label"].unique()),
)
for _ in range(len(new_cases)):  # 模拟分析人员逐件核对并保存
    demo_queue.correction.value = truth[demo_queue.current["case_id"]]
    demo_queue.save_button.click()
demo_queue

# %%
texts, labels = load_labels(demo_labels)
after = TextClassifier().fit(history["text"].tolist() + texts, history["label"].tolist() + labels)
acc_after = (after.predict(test["text"]) == test["label"]).mean()
for_display(
    pd.DataFrame(
        {
            "训练数据": [f"历史 {len(history)} 条", f"历史 + 复核标注 {len(texts)} 条"],
            "测试集准确率": [f"{acc_before:.1%}", f"{acc_after:.1%}"],
        }
    )
)

# %% [markdown]
# ## 6. 用本单位的历史分类训练模型，辅助规则
#
# 台账里已经填了分类的案件就是现成的标注数据。用它们训练模型，再让 `classify` 同时使用规则和模型：
# 每件取两者中更有把握的一个，分类来源分别记为 rule 或 model，依据也一并给出（模型给出最有判别力的字片段）。

# %%
given = classified[classified["category_source"] == "given"]
office_model = TextClassifier().fit(given["summary"], given["category_pred"])
with_model = classify(cases, taxonomy=tax, model=office_model)
with_model["category_source"].value_counts().rename("件数").pipe(for_display)

# %%
mask_pii(with_model[with_model["category_source"] == "model"])[SHOW].head(8).pipe(for_display)

# %% [markdown]
# ## 小结
#
# - 规则分类看得懂、改得了：每件都有分类依据；没有把握的不硬分，留给人复核；
# - 原分类与判断不一致的案件排在复核队列最前面，复核结果写入标注文件，重启后仍在；
# - 标注越多，模型越准：复核结果直接用于再训练。
#
# 下一步：在"03_积案与重复访"中分析积案和重复访，在"05_统计汇报"中按分类统计并生成汇报。
