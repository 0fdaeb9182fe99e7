"""Simplified Chinese for the statements area (对账单, closed periods, the ledger browser)."""

ZH_HANS = {
    # figures
    "Opening balance": "期初余额",
    "Closing balance": "期末余额",
    "Orders": "订单",
    "Paid with points": "积分抵扣",
    "Cancellations": "订单取消",
    "Receipts": "收款",
    "Refunds": "退款",
    "Refunds paid out": "退款已支付",
    "Write-offs": "核销",
    "Other adjustments": "其他调整",
    "Unapplied receipts": "预收款（未核销）",
    "Credit used": "信用额度占用",
    "Credit repaid": "信用额度还款",
    "Credit outstanding": "信用额度未还",
    "Invoiced in the period": "本期已开票",
    "Not invoiced yet": "未开票",
    "Payables": "应付",
    "Clawbacks": "扣回",
    "Payouts": "打款",
    "Goods settled": "结算货款",
    "Commission": "佣金",
    # statements
    "Statement": "对账单",
    "Statements": "对账单",
    "My statements": "我的对账单",
    "Statement %(subject)s": "对账单 %(subject)s",
    "Statement disputes": "对账单异议",
    "Counterparty": "对账单位",
    "Period": "对账期间",
    "Period start": "期间开始",
    "Period end": "期间结束",
    "Answered": "答复时间",
    "Dispute reason": "异议原因",
    "Disputed at": "提出异议时间",
    "Resolution": "处理结果",
    "Issue": "出具",
    "Issue a statement": "出具对账单",
    "Confirm the statement": "确认对账单",
    "Dispute": "提出异议",
    "What is wrong": "异议内容",
    "Resolve": "处理完毕",
    "Resolve the dispute": "处理异议",
    "Item": "项目",
    "Amount": "金额",
    "Amount (yuan)": "金额（元）",
    "Refund paid": "退款支付",
    "refund paid": "退款支付",
    "Memo": "摘要",
    "Entries in the period": "本期明细",
    "No entries in the period.": "本期无发生额。",
    "No statements yet.": "暂无对账单。",
    "No statements.": "暂无对账单。",
    "No open disputes.": "没有待处理的异议。",
    "Issued, not answered yet.": "已出具，尚未答复。",
    "Number or name": "编号或名称",
    "Suppliers": "供应商",
    "Choose either a company or a supplier.": "请选择一个企业客户或一个供应商（二选一）。",
    "A statement is for a company or a supplier.": "对账单的对象是企业客户或供应商。",
    "Give the first and the last day of the period.": "请填写对账期间的第一天和最后一天。",
    "The period ends before it starts.": "对账期间的结束日期早于开始日期。",
    "The period has not ended yet: choose a last day up to today.": "对账期间尚未结束：结束日期最晚为今天。",
    "Statement %(number)s already covers this period (%(state)s).": "对账单 %(number)s 已覆盖该期间（%(state)s）。",
    "Only the finance team may issue statements.": "只有财务人员可以出具对账单。",
    "Only the finance team may resolve disputes.": "只有财务人员可以处理异议。",
    "Only the finance team may close periods.": "只有财务人员可以结账。",
    "Only the statement's counterparty may confirm it.": "只有对账单位可以确认对账单。",
    "Only the statement's counterparty may dispute it.": "只有对账单位可以对对账单提出异议。",
    "Say what is wrong with the statement.": "请说明对账单哪里有误。",
    "Say how the dispute was resolved.": "请填写异议的处理结果。",
    "Statement %(number)s issued.": "对账单 %(number)s 已出具。",
    "Statement %(number)s confirmed.": "对账单 %(number)s 已确认。",
    "Statement %(number)s disputed: the finance team will answer.": "已对对账单 %(number)s 提出异议，财务人员将尽快答复。",
    "The dispute of %(number)s is resolved.": "对账单 %(number)s 的异议已处理。",
    "Statement %(number)s disputed by %(party)s": "%(party)s 对对账单 %(number)s 提出异议",
    "%(party)s disputed statement %(number)s (%(start)s – %(end)s):\n\n%(reason)s\n\n"
    "Resolve it in the back office:\n%(link)s": "%(party)s 对对账单 %(number)s（%(start)s 至 %(end)s）提出异议：\n\n"
    "%(reason)s\n\n请在后台处理：\n%(link)s",
    "The statement does not add up: opening %(opening)s + movements %(moved)s ≠ closing %(closing)s fen.": (
        "对账单不平：期初 %(opening)s + 本期发生额 %(moved)s ≠ 期末 %(closing)s（分）。"
    ),
    "A positive balance is what the company owes the platform; a negative balance is money the platform holds "
    "for the company.": "余额为正表示企业欠平台的款项；为负表示平台代企业保管的款项（预收款）。",
    "The balance is what the platform owes the supplier.": "余额为平台应付供应商的款项。",
    "The figures are computed from the ledger and frozen when the statement is issued. Choose a company or a "
    "supplier.": "数据取自总账，出具时固定不变。请选择企业客户或供应商。",
    "Statements are for your company's finance staff and administrators.": "对账单仅对企业的财务人员和管理员开放。",
    "Statements between {{ company }} and the platform. Confirm each one, or dispute it and say what is wrong.": (
        "{{ company }} 与平台之间的对账单。请逐一确认，如有不符请提出异议并说明原因。"
    ),
    "What the platform owes you, period by period: payables on settlement, clawbacks of refunds, payouts. Confirm "
    "each statement or dispute it.": "平台按期间列示应付贵司的款项：结算应付、退款扣回、打款。请确认对账单或提出异议。",
    "A correction is posted as a new entry in the open period; issue a corrected statement afterwards if needed.": (
        "更正以新分录记入未结账期间；如有需要，随后出具更正后的对账单。"
    ),
    "Download": "下载",
    # closed periods (结账)
    "Closed periods": "结账",
    "Month": "月份",
    "Choose the month to close.": "请选择要结账的月份。",
    "Close the month": "结账",
    "Reopen": "反结账",
    "Closed by": "结账人",
    "Closed at": "结账时间",
    "No month is closed yet.": "尚无已结账月份。",
    "%(month)s is closed.": "%(month)s 已结账。",
    "%(month)s has not ended yet.": "%(month)s 尚未结束。",
    "%(month)s is already closed.": "%(month)s 已经结账。",
    "%(month)s still has documents that are not posted: %(list)s.": "%(month)s 仍有未入账的单据：%(list)s。",
    "%(month)s is closed and cannot be reopened: post the correction in the open period (today).": (
        "%(month)s 已结账，不能反结账：请在未结账期间（今天）记更正分录。"
    ),
    "receipts": "收款单",
    "refunds": "退款单",
    "settlement batches": "结算单",
    "A closed month refuses every posting dated in it. Closing is final: a correction is posted in the open period. "
    "A month closes once it has ended and its receipts, refunds and settlement batches are posted.": (
        "已结账月份不再接受记账日期在该月的分录。结账不可撤销：更正在未结账期间记账。"
        "月份结束且其收款单、退款单和结算单均已入账后方可结账。"
    ),
    # the ledger browser (总账)
    "General ledger": "总账",
    "Trial balance": "科目余额表",
    "Ledger account": "会计科目",
    "Account code": "科目编码",
    "Account owner": "科目所属",
    "Owner name": "所属单位名称",
    "Companies": "企业客户",
    "Debit amount": "借方",
    "Credit amount": "贷方",
    "Balance": "余额",
    "Entry key": "幂等键",
    "On this account": "本科目金额",
    "Postings": "分录行",
    "Debit positive, credit negative. Click a balance to see the entries behind it.": (
        "借方为正，贷方为负。点击余额查看其明细分录。"
    ),
    "No postings match.": "没有符合条件的记账。",
    "No entries match.": "没有符合条件的分录。",
    "The range ends before it starts.": "结束日期早于开始日期。",
    # finance_check and the demo
    "Entry #%(id)s (%(key)s) is dated %(date)s, in a month closed before it was written.": (
        "分录 #%(id)s（%(key)s）的记账日期为 %(date)s，所在月份在其写入之前已结账。"
    ),
    "Statements: %(count)d issued (one confirmed, one disputed).": "对账单：已出具 %(count)d 张（一张已确认，一张有异议）。",
    "Closed month: %(month)s.": "已结账月份：%(month)s。",
    "The payout of the last batch is missing from the statement.": "对账单中缺少上一批结算的打款。",
    "The ledger has changed since this statement was issued (entries dated in its period while the month was "
    "open):": "本对账单出具后总账已有变动（月份未结账时记入其期间的分录）：",
    "Issue for everyone": "批量出具",
    "One statement for every company and supplier with a balance or movements in the period (those that already "
    "have one awaiting an answer or confirmed are skipped).": (
        "为本期有余额或发生额的每个企业客户和供应商各出具一张对账单（已有待答复或已确认对账单的跳过）。"
    ),
    "%(count)d statements issued.": "已出具 %(count)d 张对账单。",
}
