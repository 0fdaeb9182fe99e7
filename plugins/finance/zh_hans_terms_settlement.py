"""Simplified Chinese for the settlement area's strings (merged by bin/translations)."""

ZH_HANS = {
    # chart
    "Cost of goods sold": "主营业务成本",
    "Supplier settlement": "供应商结算",
    "Supplier payout": "供应商打款",
    # menus
    "Settlement batches": "结算单",
    "Commission rates": "佣金比例",
    "Commission income": "佣金收入",
    "My settlements": "我的结算单",
    # services
    "Settlement batch %(subject)s": "结算单 %(subject)s",
    "Only the platform's finance staff may do this.": "只有平台财务人员可以执行此操作。",
    "Only the supplier's own staff may confirm or dispute its settlement.": "只有该供应商自己的员工可以确认结算单或提出异议。",
    "Nothing to settle for %(supplier)s up to %(end)s: no delivered order is past its %(days)d-day after-sales "
    "window and no refund is to be clawed back.": (
        "%(supplier)s 截至 %(end)s 没有可结算的内容：没有已过 %(days)d 天售后期的已签收订单，也没有待扣回的退款。"
    ),
    "Give the period's first and last day.": "请填写结算期间的起止日期。",
    "The period ends before it starts.": "结算期间的结束日期早于开始日期。",
    "The period cannot end in the future.": "结算期间不能结束于未来的日期。",
    "%(supplier)s already has an open settlement batch %(number)s: refresh, settle or cancel it first.": (
        "%(supplier)s 已有未完成的结算单 %(number)s：请先刷新、结算或取消它。"
    ),
    "Refreshed": "已刷新",
    "Settlement batch %(number)s changed since it was drafted (a refund, a rate or a delivery); finance must "
    "refresh it before it can be confirmed.": "结算单 %(number)s 生成后数据已变化（退款、佣金比例或签收），需财务刷新后才能确认。",
    "Settlement %(number)s confirmed by %(supplier)s": "结算单 %(number)s 已由 %(supplier)s 确认",
    "Say what is wrong with the settlement.": "请说明结算单哪里有误。",
    "Give the payout's bank reference.": "请填写打款的银行流水号。",
    "The payout reference is at most 64 characters.": "打款流水号最多 64 个字符。",
    "The payout reference %(reference)s was already used for another batch.": "打款流水号 %(reference)s 已用于另一张结算单。",
    "Settlement %(number)s paid, reference %(reference)s": "结算单 %(number)s 已打款，流水号 %(reference)s",
    "A commission rate is a fraction from 0 up to 1 with at most four decimals, e.g. 0.05 for 5 %.": (
        "佣金比例是 0 到 1 之间、最多四位小数的数，例如 0.05 表示 5%。"
    ),
    "%(supplier)s has no supplier profile yet.": "%(supplier)s 还没有供应商档案。",
    "Choose a category.": "请选择类目。",
    # finance_check
    "Settlement %(number)s (%(state)s): payable of its supplier orders %(expected)s, posted %(posted)s.": (
        "结算单 %(number)s（%(state)s）：供应商订单应付 %(expected)s，已记账 %(posted)s。"
    ),
    "Settlement %(number)s (%(state)s): payout %(expected)s, posted %(posted)s.": (
        "结算单 %(number)s（%(state)s）：应打款 %(expected)s，已记账 %(posted)s。"
    ),
    "Entry %(key)s posts to a supplier's payable for no settlement batch.": "凭证 %(key)s 记入了供应商应付账款，但没有对应的结算单。",
    "Supplier #%(supplier)s: payable 2202 %(ledger)s, its batches and clawbacks say %(owed)s.": (
        "供应商 #%(supplier)s：应付账款 2202 余额 %(ledger)s，按结算单和扣回应为 %(owed)s。"
    ),
    # models and forms
    "state": "状态",
    "All states": "全部状态",
    "period": "结算期间",
    "period start": "期间开始",
    "period end": "期间结束",
    "goods": "货款",
    "commission": "佣金",
    "commission rate": "佣金比例",
    "freight": "运费",
    "refunds": "退款扣回",
    "netted balance": "上期冲抵余额",
    "payable": "应付",
    "payout reference": "打款流水号",
    "dispute reason": "异议原因",
    "confirmed at": "确认时间",
    "confirmed by": "确认人",
    "paid at": "打款时间",
    "category": "类目",
    "A fraction, e.g. 0.05 for 5 %.": "小数，例如 0.05 表示 5%。",
    "Draft": "草稿",
    "Confirmed by the supplier": "供应商已确认",
    "Disputed by the supplier": "供应商有异议",
    # views and templates
    "Settlement batch %(number)s drafted.": "结算单 %(number)s 已生成。",
    "Settlement batch %(number)s: done.": "结算单 %(number)s：操作完成。",
    "Settlement": "结算",
    "Settlement batch": "结算单",
    "New settlement batch": "新建结算单",
    "No settlement batches.": "暂无结算单。",
    "Supplier order": "供应商订单",
    "Refund": "退款单",
    "Delivered": "签收日期",
    "That category rate does not exist.": "该类目佣金比例不存在。",
    "The batch takes every order of the supplier delivered by the end of the period whose after-sales window is "
    "over and that no batch settled yet, and nets the refunds clawed back since its last batch.": (
        "结算单包含该供应商在期末前已签收、售后期已过且尚未结算的全部订单，并冲抵上次结算后扣回的退款。"
    ),
    "Draft the batch": "生成结算单",
    "Download XLSX": "下载 XLSX",
    "Confirm the settlement": "确认结算单",
    "Dispute": "提出异议",
    "Refresh the figures": "刷新金额",
    "Cancel the batch": "取消结算单",
    "Record the payout": "登记打款",
    "Lines": "明细",
    "Clawback of refund %(refund)s (after settlement)": "退款单 %(refund)s 的扣回（结算后退款）",
    "No lines.": "无明细。",
    "Category overrides": "类目佣金比例",
    "No suppliers.": "暂无供应商。",
    "No category overrides.": "暂无类目佣金比例。",
    "A product takes the rate of its most specific category with an override (or of the nearest parent category "
    "with one), else the supplier's rate. A change applies to batches drafted or refreshed afterwards.": (
        "商品按其最具体的、设置了比例的类目（或最近的设置了比例的上级类目）计佣，否则按供应商的佣金比例。"
        "修改只影响之后生成或刷新的结算单。"
    ),
    "Remove": "删除",
    "Total": "合计",
    "No commission income yet.": "暂无佣金收入。",
    "From the ledger's account 6051 (commission on confirmed settlements, less the commission given back on refunds "
    "after settlement), by month posted and supplier.": (
        "取自总账科目 6051（已确认结算单的佣金，减去结算后退款退回的佣金），按记账月份和供应商汇总。"
    ),
    "Settlement batch %(number)s: a demo period.": "结算单 %(number)s：演示期间。",
}
