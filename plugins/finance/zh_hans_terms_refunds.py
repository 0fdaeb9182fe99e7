"""Simplified Chinese for the refunds area's strings (退款单; merged by bin/translations)."""

ZH_HANS = {
    # the model's choices (plugins/finance/models/refunds.py)
    "Sales return": "销售退回",
    "Sales allowance": "销售折让",
    "Invoicing error": "开票有误",
    "Awaiting approval": "待审核",
    "Approved, awaiting payment": "已审核，待退款",
    "Refunded": "已退款",
    "Rejected": "已驳回",
    "Restore credit": "恢复信用额度",
    "Bank transfer": "银行转账",
    "refund": "退款单",
    "refunds": "退款单",
    "refund line": "退款明细",
    "refund lines": "退款明细",
    "refund allocation": "退款分摊",
    "refund allocations": "退款分摊",
    "rejection reason": "驳回原因",
    "payout reference": "打款流水号",
    "refunded by": "退款人",
    "refunded at": "退款时间",
    "decided by": "审核人",
    "decided at": "审核时间",
    "requested by": "申请人",
    "requested at": "申请时间",
    # entry kinds
    "Refund": "退款",
    "Refund clawed back from supplier": "退款向供应商扣回",
    # pages
    "Refunds": "退款单",
    "Refund %(number)s": "退款单 %(number)s",
    "Refund {{ number }}": "退款单 {{ number }}",
    "Refund number": "退款单号",
    "Refund or order number": "退款单号或订单号",
    "Refunds of this order": "本订单的退款单",
    "Request refund": "申请退款",
    "Request a refund for order {{ number }}": "为订单 {{ number }} 申请退款",
    "Received for this order: ¥{{ received }}; still refundable: ¥{{ refundable }}.": (
        "本订单已收款 ¥{{ received }}，尚可退款 ¥{{ refundable }}。"
    ),
    "Up to ¥{{ left }} can still be refunded.": "尚可退款 ¥{{ left }}。",
    "Refunds of {{ company }}'s orders. Request one from a paid order's page.": (
        "{{ company }} 订单的退款单。请在已付款订单的页面申请退款。"
    ),
    "Sales return: goods come back (enter quantities). Sales allowance: a price reduction (quantity 0 and an amount). "
    "Invoicing error: the whole order is refunded.": (
        "销售退回：退回货物（填写数量）。销售折让：降价补偿（数量填 0 并填写金额）。开票有误：整单退款。"
    ),
    "Amount (empty: unit price × quantity)": "金额（不填：单价 × 数量）",
    "Ordered": "订购数量",
    "Unit price": "单价",
    "Freight share": "运费分摊",
    "Reason": "原因",
    "Reason for rejecting": "驳回原因",
    "Payout reference": "打款流水号",
    "Method": "退款方式",
    "State": "状态",
    "Decided": "审核",
    "Received": "已收款",
    "Received for the order": "订单已收款",
    "Still refundable": "尚可退款",
    "Supplier orders": "供应商订单",
    "Supplier order": "供应商订单",
    "Goods": "货款",
    "Freight": "运费",
    "Commission": "佣金",
    "Clawed back from the supplier": "向供应商扣回",
    "No supplier order bears this refund (the platform's own freight).": "本退款不涉及供应商订单（平台自有运费）。",
    "Approve": "审核通过",
    "Reject": "驳回",
    "Record the payout": "登记打款",
    "Restore credit / pay back": "恢复额度 / 退款",
    "On account: the credit the order still owes is restored; a payout reference pays the rest back by transfer, "
    "otherwise it stays as the company's unapplied money.": (
        "账期订单：先恢复该订单尚欠的信用额度；其余部分填写打款流水号则转账退回，否则留作该企业的预收款。"
    ),
    "Ledger entries": "记账凭证",
    "Key": "幂等键",
    "Debit (fen)": "借方（分）",
    "Nothing posted yet.": "尚未记账。",
    "History": "审核记录",
    "No refunds.": "暂无退款单。",
    "All refunds": "全部退款单",
    "All": "全部",
    "Back to the order": "返回订单",
    "You may look; approving and paying out refunds is for the finance team.": "您可以查看；审核和退款打款由财务人员办理。",
    # messages
    "Refund %(number)s requested.": "退款单 %(number)s 已提交。",
    "Refund %(number)s requested; finance will review it.": "退款单 %(number)s 已提交，等待财务审核。",
    "Refund %(number)s approved.": "退款单 %(number)s 已审核通过。",
    "Refund %(number)s rejected.": "退款单 %(number)s 已驳回。",
    "Refund %(number)s paid back.": "退款单 %(number)s 已退款。",
    "Refund %(number)s for order %(order)s": "订单 %(order)s 的退款单 %(number)s",
    "Refund %(number)s clawed back from supplier order %(so)s": "退款单 %(number)s 向供应商订单 %(so)s 扣回",
    "Order %(number)s cancelled after refunds: what was refunded is not held again": (
        "订单 %(number)s 在退款后取消：已退款部分不再计入预收款"
    ),
    # bad input
    "You may not request a refund for this order.": "您无权为此订单申请退款。",
    "Only the finance team may approve, reject or pay out refunds.": "只有财务人员可以审核、驳回退款单或登记退款打款。",
    "Choose a reason: sales return, sales allowance or invoicing error.": "请选择原因：销售退回、销售折让或开票有误。",
    "An invoicing error refunds the whole order; this order has refunds already.": "开票有误须整单退款，但此订单已有退款单。",
    "Enter an amount such as 12.50.": "请输入金额，例如 12.50。",
    "Amounts are in yuan to the fen (two decimals at most).": "金额以元为单位，精确到分（最多两位小数）。",
    "The freight share cannot be negative.": "运费分摊不能为负数。",
    "At most ¥%(left)s of freight can still be refunded for this order.": "此订单最多还可退运费 ¥%(left)s。",
    "Choose the lines or the freight to refund; the refund is ¥0.00.": "请选择要退款的商品或运费；当前退款金额为 ¥0.00。",
    "A line of another order cannot be refunded here.": "不能在此为其他订单的商品退款。",
    "Line “%(title)s” is listed twice.": "商品“%(title)s”重复填写。",
    "Quantities are whole numbers.": "数量须为整数。",
    "Quantities cannot be negative.": "数量不能为负数。",
    "“%(title)s”: at most %(left)d can still be returned (ordered %(ordered)d).": (
        "“%(title)s”：最多还可退 %(left)d 件（订购 %(ordered)d 件）。"
    ),
    "“%(title)s”: the amount must be positive.": "“%(title)s”：金额必须大于零。",
    "“%(title)s”: a sales return gives back goods; enter a quantity.": "“%(title)s”：销售退回须退回货物，请填写数量。",
    "“%(title)s”: %(quantity)d × ¥%(price)s is at most ¥%(worth)s.": (
        "“%(title)s”：%(quantity)d × ¥%(price)s 最多为 ¥%(worth)s。"
    ),
    "“%(title)s”: at most ¥%(left)s can still be refunded for this line.": "“%(title)s”：此商品最多还可退 ¥%(left)s。",
    "Refunds of order %(number)s cannot exceed what was received: received ¥%(received)s, refunds ¥%(committed)s, "
    "at most ¥%(left)s more.": (
        "订单 %(number)s 的退款不能超过已收款：已收款 ¥%(received)s，已申请退款 ¥%(committed)s，最多还可退 ¥%(left)s。"
    ),
    "Say why the refund is rejected.": "请填写驳回原因。",
    "Give the reference of the bank transfer that pays the refund back.": "请填写退款转账的打款流水号。",
    "Order %(number)s was cancelled: its money is held for the company; "
    "give the reference of the transfer that pays it back.": (
        "订单 %(number)s 已取消，其款项已转为该企业的预收款；请填写退回转账的打款流水号。"
    ),
    "Payout reference “%(ref)s” was used for another refund.": "打款流水号“%(ref)s”已用于其他退款单。",
    "Unknown state “%(value)s”.": "未知状态“%(value)s”。",
    # finance_check
    "Order %(number)s: refunds of %(refunded)s were paid, the ledger shows %(posted)s.": (
        "订单 %(number)s：已退款 %(refunded)s，账簿只记了 %(posted)s。"
    ),
    "Order %(number)s: %(posted)s refunded in the ledger, %(refunded)s by refund documents.": (
        "订单 %(number)s：账簿记退款 %(posted)s，退款单合计 %(refunded)s。"
    ),
    "Order %(number)s: refunds of %(refunded)s exceed the %(received)s received.": (
        "订单 %(number)s：退款 %(refunded)s 超过已收款 %(received)s。"
    ),
    "Order %(number)s: approved refunds of %(refunded)s exceed the %(received)s received; reject them.": (
        "订单 %(number)s：已审核的退款 %(refunded)s 超过已收款 %(received)s，请驳回。"
    ),
    "Refund %(number)s allocates %(allocated)s to supplier orders, more than its %(amount)s.": (
        "退款单 %(number)s 分摊给供应商订单 %(allocated)s，超过其金额 %(amount)s。"
    ),
    "Clawback entry for refund allocation #%(id)s, which does not exist.": "退款分摊 #%(id)s 不存在，却有扣回凭证。",
    "Clawback of refund allocation #%(id)s posts %(posted)s instead of %(wanted)s.": (
        "退款分摊 #%(id)s 的扣回凭证记为 %(posted)s，应为 %(wanted)s。"
    ),
    # demo
    "Refunds: %(count)d refunds (before and after supplier payout).": "退款：%(count)d 张退款单（供应商打款前与打款后）。",
}
