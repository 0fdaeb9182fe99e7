"""Simplified Chinese for the analytics customers area (转化漏斗, 销售周期, 客户价值), merged by bin/translations."""

ZH_HANS = {
    # menu and pages
    "Conversion funnel": "转化漏斗",
    "Sales cycle": "销售周期",
    "Customer value": "客户价值",
    # funnel stages
    "Registered": "注册",
    "First basket": "首次加购",
    "First order": "首次下单",
    "First payment": "首次付款",
    "Repeat order": "复购",
    # RFM segments (the classic eight)
    "Important value customers": "重要价值客户",
    "Important development customers": "重要发展客户",
    "Important retention customers": "重要保持客户",
    "Important win-back customers": "重要挽留客户",
    "General value customers": "一般价值客户",
    "General development customers": "一般发展客户",
    "General retention customers": "一般保持客户",
    "General win-back customers": "一般挽留客户",
    "high": "高",
    "low": "低",
    # sales cycle
    "from registration": "自注册起",
    "from assignment to the salesperson": "自分配给业务员起",
    "cycle starts": "周期起点",
    "Choose the start of the cycle from the list.": "请从列表中选择周期起点。",
    "Ask for 0 to 1,000 companies.": "企业数量须在 0 到 1,000 之间。",
    "All salespeople together": "全部业务员合计",
    "No salesperson": "无业务员",
    "Salesperson": "业务员",
    "Sales cycle by salesperson": "各业务员销售周期",
    "Days to the first paid order": "距首笔付款订单天数",
    "days": "天",
    "%(range)s days": "%(range)s 天",
    "Median days": "中位天数",
    "First paid order": "首笔付款订单",
    "%(n)d companies have no assignment to their salesperson on record before their first paid order.": (
        "%(n)d 家企业在首笔付款订单之前没有分配给该业务员的记录。"
    ),
    # funnel page
    "Filters": "筛选条件",
    "Reached": "到达",
    "Conversion": "转化率",
    "Cohort": "注册月份",
    "Funnel stages": "漏斗各阶段",
    "Cohorts by registration month": "按注册月份的转化",
    "Median days in each stage by registration month": "按注册月份的各阶段停留中位天数",
    "Conversion from the stage before": "较上一阶段转化率",
    "Conversion from registration": "较注册转化率",
    "Median days from the stage before": "距上一阶段中位天数",
    "Companies by their registered province and city, their current tier, and salesperson (the companies a salesperson owns now or that have a sale credited to them). The period chooses the companies registered in it; their later stages are counted up to today. Supplier and category do not apply.": (
        "按企业注册所在省份和城市、当前会员等级及业务员（业务员现在负责的企业，或有销售记在其名下的企业）筛选。"
        "期间选择在该期间内注册的企业，其后各阶段统计到今天为止。供应商和类目不适用。"
    ),
    "The earlier of the company's creation and its application.": "企业创建时间与申请时间中较早者。",
    "The company's first verification by an operator.": "运营人员首次认证该企业的时间。",
    "The first product put in a basket by any of the company's people.": "企业任一成员首次将商品加入购物车的时间。",
    "The company's first order placed, whatever became of it.": "企业首次下单的时间（无论订单后来如何）。",
    "The company's first sale: an order's payment secured (on account or received).": (
        "企业的首笔销售：订单付款已确认（账期占用额度或已收款）的时间。"
    ),
    "The payment of a second order of the company secured.": "企业第二个订单付款确认的时间。",
    "A company reaches a stage when it has reached every stage before it, at the latest of those times (an order before the verification reaches the stage when it is verified).": (
        "企业到达某一阶段须先到达之前的每个阶段，到达时间取这些时间中的最晚者（认证前下单的企业在认证时到达该阶段）。"
    ),
    "Companies at the stage ÷ companies at the stage before (and ÷ companies registered).": (
        "该阶段企业数 ÷ 上一阶段企业数（以及 ÷ 注册企业数）。"
    ),
    "The median time between reaching the stage before and reaching this one, over the companies that reached it, in days.": (
        "到达该阶段的企业从到达上一阶段到到达该阶段所用时间的中位数，以天计。"
    ),
    "The month (Asia/Shanghai) in which the company registered.": "企业注册的月份（北京时间）。",
    # sales cycle definitions
    "Every filter applies to the sales: a company counts when its first paid order within the region, supplier, category, salesperson and tier chosen falls in the period.": (
        "所有筛选条件都作用于销售：企业在所选地区、供应商、类目、业务员和等级范围内的首笔付款订单落在期间内时计入。"
    ),
    "The company's first sale (an order's payment secured) over all history up to the end of the period, within the other filters; credited to the salesperson on that sale.": (
        "截至期间结束、在其他筛选条件范围内企业的首笔销售（订单付款已确认），计入该笔销售所记的业务员。"
    ),
    "Calendar days (Asia/Shanghai) from the start to the day of the first paid order. Start: the registration, or the last assignment of the company to the salesperson credited with the sale before it (companies without one are left out).": (
        "从起点到首笔付款订单当天的自然日天数（北京时间）。起点：注册，或该笔销售之前企业最后一次分配给该业务员的时间（没有分配记录的企业不计入）。"
    ),
    "The middle value; the mean of the two middle ones for an even count.": "居中的数值；数量为偶数时取中间两个数的平均值。",
    # customer value
    "Value grade": "价值等级",
    "Value grades": "价值等级分布",
    "Not graded yet": "尚未评级",
    "The member's A/B/C grade kept by member tiers (recomputed nightly from paid orders), now; companies chosen like the funnel's, the period does not apply.": (
        "会员等级插件维护的 A/B/C 价值等级（每晚根据已付款订单重新计算）的当前值；企业范围与转化漏斗相同，期间不适用。"
    ),
    "R (recency)": "R（最近一次消费）",
    "F (frequency)": "F（消费频率）",
    "M (monetary)": "M（消费金额）",
    "Days from the company's last sale in the period to the period's last day.": "企业在期间内最后一笔销售至期间最后一天的天数。",
    "The company's net orders in the period.": "企业在期间内的净订单数。",
    "The company's net revenue in the period.": "企业在期间内的净销售额。",
    "High / low": "高 / 低",
    "Against the median of the companies shown (with net revenue above zero and a sale in the period): R is high below the median, F and M above it.": (
        "与所列企业（期间内净销售额大于零且有销售）的中位数比较：R 低于中位数为高，F 和 M 高于中位数为高。"
    ),
    "Days to pay": "付款天数",
    "Calendar days from placing an order in the period to its payment received (finance); the median over the segment's paid orders.": (
        "期间内下单至收到货款（财务）的自然日天数；取该分群已付款订单的中位数。"
    ),
    "Overdue share": "逾期占比",
    "Of the segment's orders on account placed in the period that are paid or past their due date, the share paid after the due date or still unpaid.": (
        "该分群在期间内下单的账期订单中（已付款或已过到期日），逾期付款或至今未付的比例。"
    ),
    "RFM obeys every filter on the sales; the value grades obey region, tier and salesperson.": (
        "RFM 遵循所有销售筛选条件；价值等级遵循地区、等级和业务员。"
    ),
    "RFM: net orders and net revenue by company": "RFM：各企业净订单数与净销售额",
    "Member tiers are not installed: there are no value grades to show.": "未安装会员等级插件：没有可显示的价值等级。",
    "Finance is not installed: payment behaviour is not shown.": "未安装财务插件：不显示付款行为。",
    "Segment": "客户分群",
    "R": "R",
    "F": "F",
    "M": "M",
    "Share": "占比",
    "Net revenue": "净销售额",
    "Net orders": "净订单数",
    "Net revenue (yuan)": "净销售额（元）",
    "Median recency (days)": "最近消费天数中位数",
    "Median days to pay": "付款天数中位数",
    "RFM segments": "RFM 客户分群",
    "RFM by company": "各企业 RFM",
    "Customer company": "企业客户",
    "Recency (days)": "最近消费（天）",
    "Medians: recency %(r)s days, frequency %(f)s orders, monetary ¥%(m)s.": (
        "中位数：最近消费 %(r)s 天，消费频率 %(f)s 单，消费金额 ¥%(m)s。"
    ),
    "The page lists the %(n)d companies with the highest net revenue of %(total)d; the export lists all.": (
        "本页列出 %(total)d 家企业中净销售额最高的 %(n)d 家；导出文件包含全部企业。"
    ),
}
