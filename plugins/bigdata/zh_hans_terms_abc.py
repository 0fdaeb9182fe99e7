"""Simplified Chinese for the ABC area's strings (plugins/bigdata/abc; merged by bin/translations).

Words: a stored run is 分析记录; a class is 分类 (never 类目, which is a catalogue category); a cut-off
is 界限; the ABC value is 数值 (销售额, 数量 or 毛利 by measure)."""

ZH_HANS = {
    "ABC analysis": "ABC 分析",
    "ABC-XYZ matrix": "ABC-XYZ 矩阵",
    "ABC-XYZ matrix: products": "ABC-XYZ 矩阵：商品数",
    "ABC-XYZ matrix: share of value": "ABC-XYZ 矩阵：数值占比",
    "ABC class": "ABC 分类",
    "ABC run": "ABC 分析记录",
    "ABC runs": "ABC 分析记录",
    "ABC run item": "ABC 分析记录明细",
    "ABC run items": "ABC 分析记录明细",
    "ABC run #%(id)d": "ABC 分析记录 #%(id)d",
    "ABC run #%(id)d saved.": "已保存 ABC 分析记录 #%(id)d。",
    "A cut-off (%)": "A 类界限（%）",
    "B cut-off (%)": "B 类界限（%）",
    "X cut-off (CV)": "X 界限（变异系数）",
    "Y cut-off (CV)": "Y 界限（变异系数）",
    "A cut-off is a percentage above 0 and at most 100.": "界限是大于 0、不超过 100 的百分比。",
    "An XYZ cut-off is a coefficient of variation above 0 and at most 100.": "XYZ 界限是大于 0、不超过 100 的变异系数。",
    "The B cut-off may not be below the A cut-off.": "B 类界限不能低于 A 类界限。",
    "The Y cut-off may not be below the X cut-off.": "Y 界限不能低于 X 界限。",
    "A run is chosen by its number.": "请按编号选择分析记录。",
    "All classes": "全部分类",
    "Base run": "基准记录",
    "Compared run": "对比记录",
    "Compare run": "比较记录",
    "with run": "与记录",
    "Compare ABC runs": "比较 ABC 分析记录",
    "Choose two different runs.": "请选择两条不同的分析记录。",
    "Choose two runs to compare.": "请选择两条要比较的分析记录。",
    "Only runs of the same scope can be compared.": "只能比较范围相同的分析记录。",
    "There is no such run.": "没有这条分析记录。",
    "Class changes": "分类变化",
    "Classes of the daily run #%(id)s (%(at)s): revenue of the last 365 days, overall.": (
        "每日定时分析 #%(id)s（%(at)s）的分类：近 365 天销售额，整体排名。"
    ),
    "The daily run has not run yet.": "每日定时分析尚未运行。",
    "Edit product": "编辑商品",
    "From the coefficient of variation (standard deviation ÷ mean) of the net quantity per month over every month "
    "of the period: X up to the X cut-off (steady demand), Y up to the Y cut-off, else Z (erratic). No class when "
    "the mean is not above zero.": (
        "按期间内每个月净数量的变异系数（标准差 ÷ 均值）计算：不超过 X 界限为 X（需求稳定），不超过 Y 界限为 Y，"
        "否则为 Z（需求波动大）。均值不大于 0 时不分类。"
    ),
    "Net revenue (refunds and cancellations subtracted on their dates, freight excluded), net quantity, or gross "
    "margin (revenue less the supplier's cost) in the period.": (
        "期间内的净销售额（退款和取消按其发生日期扣减，不含运费）、净数量或毛利（销售额减供应商成本）。"
    ),
    "Overall ranks all products together; per province, supplier or category ranks the products separately "
    "within each of them.": "整体：所有商品一起排名；按省份、供应商或类目：在每个省份（供应商、类目）内分别排名。",
    "Products sorted by value, highest first (equal values by product id); a product is A while the value of the "
    "products before it is below the A cut-off of the total of positive values, B below the B cut-off, else C. A "
    "product whose net value is zero or negative is N.": (
        "商品按数值从高到低排序（数值相同按商品 ID）；排在它之前的商品数值之和低于正数值总和的 A 类界限时为 A 类，"
        "低于 B 类界限时为 B 类，否则为 C 类。净数值为零或负数的商品为 N 类。"
    ),
    "Without any filter but the period, an overall analysis also lists catalogue products without sales, as N "
    "with value 0.": "除期间外没有其他筛选时，整体分析也列出没有销售的目录商品，归为 N 类，数值为 0。",
    "Gross margin": "毛利",
    "Revenue": "销售额",
    "revenue": "销售额",
    "No products in this selection.": "当前筛选下没有商品。",
    "No runs yet: save one from the ABC analysis, or wait for the daily run.": (
        "还没有分析记录：可在 ABC 分析页面保存，或等待每日定时分析。"
    ),
    "Overall": "整体",
    "Per category": "按类目",
    "Per province": "按省份",
    "Per supplier": "按供应商",
    "Pareto chart": "帕累托图",
    "Pareto chart (the first %(n)d products)": "帕累托图（前 %(n)d 个商品）",
    "Product classes": "商品 ABC 分类",
    "product class": "商品 ABC 分类",
    "product classes": "商品 ABC 分类",
    "Products and their classes": "商品及其分类",
    "Products and value per class": "各分类的商品数与数值",
    "Products per class in each group": "各组中各分类的商品数",
    "Products per transition": "各分类变化的商品数",
    "Products whose class changed": "分类有变化的商品",
    "SKU or title": "SKU 或名称",
    "Save as run": "保存为分析记录",
    "The runs differ in measure or cut-offs: a class change may come from that, not from sales.": (
        "两条记录的指标或界限不同：分类变化可能来自于此，而非销售。"
    ),
    "This run was restricted by filters beyond the period.": "这条记录除期间外还使用了其他筛选条件。",
    "Unknown class: showing every product.": "未知分类：显示全部商品。",
    "Unknown province": "未知省份",
    "XYZ class": "XYZ 分类",
    "no XYZ class": "无 XYZ 分类",
    "analysis period": "统计期间",
    "change": "变化",
    "class": "分类",
    "class after": "之后分类",
    "class before": "之前分类",
    "coefficient of variation": "变异系数",
    "cumulative before": "之前累计",
    "cumulative share": "累计占比",
    "cumulative share before": "之前累计占比",
    "cut-offs": "界限",
    "up": "上升",
    "down": "下降",
    "new": "新增",
    "gone": "消失",
    "unchanged": "不变",
    "filters": "筛选条件",
    "group": "组",
    "measure": "指标",
    "never sold": "从未销售",
    "next": "下一页",
    "previous": "上一页",
    "number of products": "商品数",
    "ranking": "排名",
    "run": "分析记录",
    "scheduled": "定时",
    "scope": "范围",
    "scope key": "范围代码",
    "scope name": "范围名称",
    "share of products": "商品数占比",
    "share of value": "数值占比",
    "updated at": "更新时间",
    "value after": "之后数值",
    "value before": "之前数值",
    "ABC analysis: the daily run of %(date)s classified %(items)d products.": "ABC 分析：%(date)s 的每日分析对 %(items)d 个商品进行了分类。",
}
