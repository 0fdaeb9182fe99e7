"""Simplified Chinese for the finance plugin's strings (merged by bin/translations)."""

ZH_HANS = {
    # "Finance", "code", "name", "company", "kind", "order number", "created at", "Order %(number)s paid"
    # and "Order %(number)s cancelled" are the platform's already (locale/zh_hans_terms.py)
    # chart of accounts (企业会计准则 科目名称)
    "Bank deposits": "银行存款",
    "Receivable on account": "应收账款—信用账期",
    "Receivable for orders": "应收账款—待付订单",
    "Suspense": "待处理财产损溢",
    "Payable to supplier": "应付账款",
    "Unapplied receipts": "预收账款",
    "Sales revenue": "主营业务收入",
    "Commission income": "佣金收入",
    "Points redeemed": "销售费用—积分抵扣",
    "Asset": "资产",
    "Liability": "负债",
    "Equity": "所有者权益",
    "Income": "收入",
    "Expense": "费用",
    # entry kinds
    "Credit reserved": "信用额度占用",
    "Credit repaid": "信用额度还款",
    "Credit refunded": "信用额度退款",
    "Credit released": "信用额度释放",
    "Order payment secured": "订单付款已确认",
    "Order paid": "订单已收款",
    "Cancelled order's payment held": "已取消订单的款项转预收",
    "Reversal": "冲销",
    "Opening difference": "期初差额",
    # models
    "account": "会计科目",
    "accounts": "会计科目",
    "type": "类型",
    "supplier": "供应商",
    "idempotency key": "幂等键",
    "posted on": "记账日期",
    "memo": "摘要",
    "supplier order number": "供应商订单号",
    "reverses": "冲销凭证",
    "journal entry": "记账凭证",
    "journal entries": "记账凭证",
    "posting": "分录",
    "postings": "分录",
    "amount (fen)": "金额（分）",
    # services and finance_check
    "A journal entry needs an idempotency key.": "记账凭证必须有幂等键。",
    "Unknown journal entry kind “%(kind)s”.": "未知的凭证类型“%(kind)s”。",
    "The entry does not balance: %(problem)s.": "凭证借贷不平衡：%(problem)s。",
    "Key “%(key)s” was already posted with different lines.": "幂等键“%(key)s”已用于内容不同的凭证。",
    "A reversing entry cannot be reversed; post a new entry.": "冲销凭证不能再冲销，请另做一张凭证。",
    "Order %(number)s payment secured": "订单 %(number)s 付款已确认",
    "Order %(number)s cancelled after payment: money held for the company": (
        "订单 %(number)s 收款后取消：款项转为该企业的预收款"
    ),
    "Entry #%(id)s (%(key)s) does not balance: %(n)d postings summing to %(total)s fen.": (
        "凭证 #%(id)s（%(key)s）借贷不平衡：%(n)d 条分录合计 %(total)s 分。"
    ),
    "Company #%(company)s: credit used %(owed)s, receivable 112201 %(ledger)s.": (
        "企业 #%(company)s：已用信用额度 %(owed)s，应收账款 112201 余额 %(ledger)s。"
    ),
    "Order %(number)s: payment secured for %(secured)s, revenue posted %(posted)s.": (
        "订单 %(number)s：已确认付款 %(secured)s，已记收入 %(posted)s。"
    ),
    "Order %(number)s: paid %(paid)s, bank posting %(posted)s.": "订单 %(number)s：已收款 %(paid)s，银行存款记账 %(posted)s。",
    "Order %(number)s is cancelled but %(amount)s of revenue stands.": "订单 %(number)s 已取消，但仍有 %(amount)s 收入未冲销。",
    "Credit of %(amount)s is reserved for order %(number)s, which was not placed.": (
        "为订单 %(number)s 占用了 %(amount)s 信用额度，但该订单未提交。"
    ),
    "Warning: %(problem)s": "提醒：%(problem)s",
    "%(entries)d entries, %(orders)d orders, %(lines)d credit lines: %(errors)d problems.": (
        "%(entries)d 张凭证，%(orders)d 个订单，%(lines)d 条信用额度：%(errors)d 个问题。"
    ),
    "Finance: %(count)d journal entries posted from the order history.": "财务：按历史订单补记 %(count)d 张凭证。",
}
