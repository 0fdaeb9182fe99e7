"""Simplified Chinese for the receipts area of finance (收款单, 银行流水导入, 待认领, 预收款);
merged by bin/translations."""

ZH_HANS = {
    # models, chart and entry kinds
    "Receipts awaiting claim": "待认领款项",
    "Receipt": "收款单",
    "Receipts": "收款单",
    "Receipt applied": "收款核销",
    "Receipt %(subject)s": "收款单 %(subject)s",
    "bank reference": "银行流水号",
    "received on": "到账日期",
    "payer name": "付款人户名",
    "payer account": "付款账号",
    "payer bank": "付款行",
    "matched by": "匹配方式",
    "source": "来源",
    "rows": "行数",
    "Awaiting claim": "待认领",
    "Bank statement import": "银行流水导入",
    "applied by": "导入人",
    "bank statement": "银行流水",
    "bank statements": "银行流水",
    "Awaiting approval": "待审核",
    "Entered by finance": "财务录入",
    "Not matched": "未匹配",
    "Order number in the memo": "附言中的订单号",
    "Amount and payer name": "金额和付款人户名",
    "Claimed by the company": "企业认领",
    "Assigned by finance": "财务指派",
    "recorded by": "登记人",
    "recorded at": "登记时间",
    "claimed by": "认领人",
    "claimed at": "认领时间",
    "approved by": "审核人",
    "approved at": "审核时间",
    "receipt": "收款单",
    "receipts": "收款单",
    "created by": "创建人",
    "receipt allocation": "收款核销",
    "receipt allocations": "收款核销",
    # services: refusals
    "Enter an amount in yuan, e.g. 1280.50.": "请填写以元为单位的金额，例如 1280.50。",
    "The amount must be more than zero.": "金额必须大于零。",
    "The amount has more than two decimals (fen).": "金额最多两位小数（分）。",
    "The amount is too large.": "金额过大。",
    "Only the finance team may do this.": "只有财务人员可以执行此操作。",
    "Order %(number)s is not this company's.": "订单 %(number)s 不属于该企业。",
    "Order %(number)s is cancelled; a receipt cannot pay it.": "订单 %(number)s 已取消，收款单不能用于支付该订单。",
    "Order %(number)s has nothing left to pay.": "订单 %(number)s 已无待付金额。",
    "Receipt %(number)s from %(payer)s": "收款单 %(number)s（付款人：%(payer)s）",
    "The orders need more than the receipt's amount.": "所选订单所需金额超过收款单金额。",
    "Enter the bank's transaction reference (流水号).": "请填写银行流水号。",
    "A receipt with bank reference %(ref)s is already recorded.": "银行流水号 %(ref)s 的收款单已登记，不能重复登记。",
    "Enter the payer's name.": "请填写付款人户名。",
    "Enter the date the money was received.": "请填写到账日期。",
    "The money cannot be received in the future.": "到账日期不能晚于今天。",
    "Only your company's finance staff or admin may claim its transfers.": "只有本企业的财务或管理员可以认领转账。",
    "This transfer is not waiting to be claimed.": "该笔转账不在待认领状态。",
    "The date, amount and payer account do not match this transfer; ask finance to assign it.": (
        "到账日期、金额和付款账号与该笔转账不符；请联系平台财务指派。"
    ),
    "Choose the company the money came from.": "请选择付款企业。",
    "Order %(number)s owes only ¥%(owed)s.": "订单 %(number)s 仅欠 ¥%(owed)s。",
    "Receipt %(number)s for order %(order)s": "收款单 %(number)s 用于订单 %(order)s",
    "Receipt %(number)s applied to order %(order)s": "收款单 %(number)s 核销订单 %(order)s",
    "Receipt %(number)s approved": "收款单 %(number)s 已审核入账",
    "Give a reason for voiding the receipt.": "请填写作废原因。",
    "Only a matched or approved receipt can be applied to an order.": "只有已匹配或已入账的收款单可以核销订单。",
    "Order %(number)s waits for only ¥%(due)s.": "订单 %(number)s 仅待付 ¥%(due)s。",
    "Only ¥%(left)s is left to apply.": "仅剩 ¥%(left)s 可核销。",
    "Receipt %(number)s already pays this order.": "收款单 %(number)s 已用于该订单。",
    # bank statement import
    "No bank reference.": "缺少银行流水号。",
    "Bank reference %(ref)s is already recorded.": "银行流水号 %(ref)s 已登记。",
    "Bank reference %(ref)s appears twice in the file.": "银行流水号 %(ref)s 在文件中重复出现。",
    "The date is not a date (use YYYY-MM-DD).": "日期格式不正确（请用 YYYY-MM-DD）。",
    "The date is in the future.": "日期晚于今天。",
    "No payer name.": "缺少付款人户名。",
    "Choose a bank statement file (CSV or XLSX).": "请选择银行流水文件（CSV 或 XLSX）。",
    "This statement was already applied.": "该银行流水已导入。",
    "Line %(line)d: %(errors)s": "第 %(line)d 行：%(errors)s",
    "Bank statement (CSV or XLSX)": "银行流水（CSV 或 XLSX）",
    "Recent statements": "最近导入的流水",
    "No statements.": "暂无流水。",
    "Match": "匹配结果",
    "Record these receipts": "登记这些收款单",
    "Applied at %(at)s.": "已于 %(at)s 导入。",
    "Rows with errors: %(n)s. Correct the file and upload it again.": "有错误的行：%(n)s。请修改文件后重新上传。",
    "Columns: 流水号, 交易日期, 金额, 对方户名 (required); 对方账号, 对方开户行, 附言 (optional). Each row is "
    "matched by the order number in its memo, or by amount and payer name; you see the matches before anything "
    "is recorded.": (
        "列：流水号、交易日期、金额、对方户名（必填）；对方账号、对方开户行、附言（选填）。"
        "每行按附言中的订单号、或按金额和付款人户名匹配；登记前可先预览匹配结果。"
    ),
    "%(count)d receipts recorded from the statement.": "已从银行流水登记 %(count)d 张收款单。",
    # forms and pages
    "Order numbers, separated by spaces or commas.": "订单号，用空格或逗号分隔。",
    "Name only orders of this company.": "只能填写本企业的订单。",
    "Unknown order number.": "订单号不存在。",
    "The orders belong to different companies.": "这些订单属于不同企业。",
    "Company (legal name or customer code)": "企业（企业名称或客户编码）",
    "No single company has this name or code.": "没有唯一对应该名称或编码的企业。",
    "The full account number the transfer was sent from.": "转出款项的完整账号。",
    "Receipt %(number)s recorded.": "收款单 %(number)s 已登记。",
    "Receipt %(number)s approved.": "收款单 %(number)s 已审核入账。",
    "Receipt %(number)s voided.": "收款单 %(number)s 已作废。",
    "Receipt %(number)s assigned to %(company)s.": "收款单 %(number)s 已指派给 %(company)s。",
    "No order %(number)s of this company.": "该企业没有订单 %(number)s。",
    "¥%(amount)s applied to order %(order)s.": "已将 ¥%(amount)s 核销至订单 %(order)s。",
    "No transfer awaiting claim has this date, amount and payer account; ask the platform's finance team.": (
        "没有与该到账日期、金额和付款账号相符的待认领转账；请联系平台财务。"
    ),
    "Transfer %(number)s claimed; the platform's finance team approves it.": "已认领转账 %(number)s，待平台财务审核。",
    "No transfer awaiting claim has this date, amount and payer account.": "没有与该到账日期、金额和付款账号相符的待认领转账。",
    "You may not do this.": "您无权执行此操作。",
    "There is no such receipt.": "没有该收款单。",
    "No order of this company has that number.": "该企业没有此订单号。",
    "Not applied": "未核销",
    "Company's unapplied receipts": "企业预收款余额",
    "Allocations": "核销明细",
    "Not applied to any order.": "尚未核销任何订单。",
    "Assign to a company": "指派给企业",
    "Assign": "指派",
    "Void": "作废",
    "Apply to an order": "核销订单",
    "Record a receipt": "登记收款单",
    "Record receipt": "登记收款单",
    "Record a receipt for this order": "为此订单登记收款单",
    "For order %(number)s (¥%(total)s): check the amount and the bank reference against the bank statement.": (
        "订单 %(number)s（¥%(total)s）：请对照银行流水核对金额和流水号。"
    ),
    "You may look; recording, approving and applying receipts is for the finance team.": (
        "您可以查看；登记、审核和核销收款单由财务人员操作。"
    ),
    "Once the transfer has reached the platform's account, record it as a receipt: when finance approves it, the "
    "order is paid and goes to its suppliers.": "转账到达平台账户后，登记为收款单：财务审核后订单即为已付款，并下发给供应商。",
    # storefront
    "Only your company's finance staff or admin see its receipts.": "只有本企业的财务或管理员可以查看收款记录。",
    "Claim a transfer": "认领转账",
    "Claim": "认领",
    "Unapplied receipts (credit for later orders)": "预收款余额（可用于后续订单）",
    "No receipts.": "暂无收款记录。",
    "Transfers %(company)s made to the platform.": "%(company)s 向平台的转账。",
    "A transfer the platform could not match waits to be claimed. Prove it is yours: give the date, the exact "
    "amount and the full account number it was sent from; name the orders it pays (optional — what is not applied "
    "stays as credit for later orders).": (
        "平台未能匹配的转账在待认领中。请证明是贵司的转账：填写到账日期、准确金额和转出的完整账号；"
        "可填写所付订单（选填，未核销部分作为预收款用于后续订单）。"
    ),
    # finance_check
    "Receipts not void total %(receipts)s, the bank received %(ledger)s through receipt entries.": (
        "未作废收款单合计 %(receipts)s，银行存款经收款分录收到 %(ledger)s。"
    ),
    "The bank (1002) moved %(amount)s through “%(kind)s” entries, which do not move money.": (
        "银行存款（1002）经“%(kind)s”分录变动 %(amount)s，此类分录不应涉及资金。"
    ),
    "Receipts awaiting claim or approval total %(receipts)s, account 2241 holds %(ledger)s.": (
        "待认领或待审核收款单合计 %(receipts)s，2241 科目余额 %(ledger)s。"
    ),
    "Company #%(company)s: approved receipts less allocations %(receipts)s, 2203 moved by receipts %(ledger)s.": (
        "企业 #%(company)s：已入账收款减核销 %(receipts)s，收款在 2203 的变动 %(ledger)s。"
    ),
    "Order #%(order)s was paid %(paid)s by receipts whose allocations total %(applied)s.": (
        "订单 #%(order)s 经收款单付款 %(paid)s，但核销合计 %(applied)s。"
    ),
    # demo
    "Payment for order %(number)s": "订单%(number)s货款",
    "Finance: %(count)d receipts (matched, overpaid, claimed, awaiting claim).": (
        "财务：%(count)d 张收款单（已匹配、多付、已认领、待认领）。"
    ),
}
