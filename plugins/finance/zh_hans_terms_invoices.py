"""Simplified Chinese of the invoices area (发票, 税率, 红字) — merged by bin/translations.
("VAT rate", "state", "name", "Freight", "invoice title", "taxpayer identification number",
"address and telephone", "bank and account number" are the platform's already.)"""

ZH_HANS = {
    # models (plugins/finance/models/invoices.py)
    "tax classification code": "税收分类编码",
    "classification short name": "分类简称",
    "category tax": "类目税率",
    "category taxes": "类目税率",
    "product tax": "商品税率",
    "product taxes": "商品税率",
    "VAT special invoice": "增值税专用发票",
    "VAT normal invoice": "普通发票",
    "Requested": "已申请",
    "Issued": "已开具",
    "Rejected": "已驳回",
    "Blue invoice": "蓝字发票",
    "Full red-letter": "全额红冲",
    "Partial red-letter": "部分红冲",
    "invoice type": "发票类型",
    "red-letter": "红字",
    "buyer name": "购买方名称",
    "amount excluding tax": "不含税金额",
    "amount including tax": "价税合计",
    "remarks": "备注",
    "requested by": "申请人",
    "requested at": "申请时间",
    "decided by": "处理人",
    "decided at": "处理时间",
    "rejection reason": "驳回原因",
    "invoice request": "开票申请",
    "invoice requests": "开票申请",
    "invoice number": "发票号码",
    "issued at": "开票时间",
    "provider": "开票渠道",
    "PDF": "PDF",
    "confirmed by the buyer at": "购买方确认时间",
    "confirmed by": "确认人",
    "invoice": "发票",
    "invoices": "发票",
    "specification": "规格型号",
    "unit": "单位",
    "quantity": "数量",
    "unit price": "单价",
    "tax": "税额",
    "invoice line": "发票明细",
    "invoice lines": "发票明细",
    # pages and menus
    "Invoice requests": "开票申请",
    "Invoice request": "开票申请",
    "Tax rates": "税率设置",
    "Invoices": "发票",
    "Invoice": "发票",
    "Invoicing details": "开票信息",
    "Invoicing details saved.": "开票信息已保存。",
    "Invoices the platform issues to {{ company }} (数电票).": "平台向 {{ company }} 开具的发票（数电票）。",
    "A VAT special invoice also needs": "开具增值税专用发票还需要",
    "Fill them in": "去填写",
    "Request an invoice": "申请开票",
    "Request invoice": "申请开票",
    "paid orders to invoice": "待开票的已付款订单",
    "invoiced orders": "开票订单",
    "No paid order waits for an invoice.": "没有待开票的已付款订单。",
    "No invoice requests.": "暂无开票申请。",
    "No invoices yet.": "暂无发票。",
    "Download PDF": "下载 PDF",
    "Confirm receipt": "确认收票",
    "Confirmed by the buyer": "购买方已确认",
    "Not confirmed by the buyer yet": "购买方尚未确认",
    "refund number": "退款单号",
    "refund number (empty: invoicing error)": "退款单号（留空：开票有误）",
    "Request red-letter invoice": "申请红字发票",
    "Red-letter": "红字",
    "Red-letter requests": "红字确认单",
    "Issue invoice": "开具发票",
    "Reject request": "驳回申请",
    "Amount excluding tax": "不含税金额",
    "Amount including tax": "价税合计",
    "Tax inclusive": "含税",
    "Of which VAT (prices include tax)": "其中税额（价格含税）",
    "company or number": "企业或编号",
    "Buying company": "买方企业",
    "no refund: invoicing error (full red)": "无退款：开票有误（全额红冲）",
    "{{ n }} request waits to be issued.{% plural %}{{ n }} requests wait to be issued.": (
        "{{ n }} 张开票申请待开具。",
        "{{ n }} 张开票申请待开具。",
    ),
    "Prices include VAT. A product takes its own tax class, else the deepest of its categories', else "
    "{{ rate }} without a classification code (invoices then ask for one).": (
        "价格均为含税价。商品优先使用自身的税率设置，其次使用其最深一级类目的设置，否则按 {{ rate }} 计税且无税收分类编码（开票时会要求补全）。"
    ),
    "Printed on the invoices the platform issues to your company. A VAT special invoice needs all four; "
    "a VAT normal invoice the title and the tax number.": (
        "平台向贵公司开具的发票上将打印这些信息。增值税专用发票需要全部四项；普通发票需要抬头和税号。"
    ),
    "inherited": "继承上级类目",
    "Product overrides": "商品单独设置",
    "No product overrides.": "暂无商品单独设置。",
    "No categories.": "暂无类目。",
    "Tax class of": "税率设置：",
    "Remove (inherit from the parent category)": "删除（继承上级类目）",
    "of": "冲销",
    "refund": "退款",
    # the order e-mail (templates/oscar/communication/emails)
    "Prices include VAT; of the order total, VAT is {{ tax }}.": "价格均含税；订单总额中税额为 {{ tax }}。",
    # messages
    "Invoice request %(number)s sent.": "开票申请 %(number)s 已提交。",
    "Invoice %(number)s confirmed.": "发票 %(number)s 已确认。",
    "Invoice %(number)s issued.": "发票 %(number)s 已开具。",
    "Invoice request %(number)s rejected.": "开票申请 %(number)s 已驳回。",
    "Red-letter request %(number)s sent.": "红字确认单 %(number)s 已提交。",
    "Red-letter request %(number)s made.": "红字确认单 %(number)s 已生成。",
    "Tax class of %(name)s saved.": "%(name)s 的税率设置已保存。",
    "The tax class of %(name)s was removed.": "%(name)s 的税率设置已删除。",
    "No product has this SKU.": "没有该 SKU 的商品。",
    "No refund has that number.": "没有该编号的退款单。",
    "No refund of your company has that number.": "贵公司没有该编号的退款单。",
    "Invoices are for your company's finance staff and administrator.": "发票仅供贵公司的财务和管理员查看。",
    "Order %(value)s cannot be invoiced: it is not your company's paid order, or it is invoiced already.": (
        "订单 %(value)s 不能开票：不是贵公司的已付款订单，或已经开过票。"
    ),
    "Choose a VAT rate of 13%, 9%, 6%, 5%, 3%, 1% or 0%.": "请选择税率：13%、9%、6%、5%、3%、1% 或 0%。",
    "The tax classification code has 19 digits.": "税收分类编码为 19 位数字。",
    "Give the classification's short name (printed as *short name* on invoice lines).": (
        "请填写分类简称（发票明细中以 *简称* 打印）。"
    ),
    "The short name has at most 32 characters.": "简称最多 32 个字符。",
    "Only the platform's finance staff may change tax rates.": "只有平台财务人员可以修改税率。",
    "a VAT special invoice": "增值税专用发票",
    "a VAT normal invoice for a company": "企业开具普通发票",
    "%(what)s needs the company's %(missing)s. Your company's administrator fills them in under "
    "Account → Invoices → Invoicing details.": (
        "%(what)s需要企业的%(missing)s。请贵公司管理员或财务在“我的账户 → 发票 → 开票信息”中填写。"
    ),
    "Freight": "运费",
    "These goods have no tax classification code yet: %(names)s. The platform's finance sets it under "
    "Finance → Tax rates before the invoice can be requested.": (
        "以下商品尚无税收分类编码：%(names)s。需由平台财务在“财务 → 税率设置”中设置后才能申请开票。"
    ),
    "Only the company's finance staff or administrator may request its invoices.": "只有企业的财务或管理员可以申请开票。",
    "Choose the invoice type: VAT special invoice or VAT normal invoice.": "请选择发票类型：增值税专用发票或普通发票。",
    "Choose at least one paid order to invoice.": "请至少选择一个已付款订单开票。",
    "Only the company's own orders can be invoiced.": "只能为本企业的订单开票。",
    "Orders %(numbers)s are not paid, were cancelled or are invoiced already.": (
        "订单 %(numbers)s 未付款、已取消或已开票。"
    ),
    "Nothing is left to invoice on these orders (refunded).": "这些订单已全部退款，没有可开票金额。",
    "Order %(numbers)s was cancelled after the request: reject the request instead.": (
        "订单 %(numbers)s 在申请后已取消：请驳回该申请。"
    ),
    "Only the platform's finance staff may issue invoices.": "只有平台财务人员可以开具发票。",
    "The invoicing service refused: %(reason)s": "开票服务拒绝：%(reason)s",
    "The invoicing service returned an invalid invoice number.": "开票服务返回的发票号码无效。",
    "Invoice number %(number)s exists already.": "发票号码 %(number)s 已存在。",
    "Only the platform's finance staff may reject invoice requests.": "只有平台财务人员可以驳回开票申请。",
    "Give the reason for rejecting the request.": "请填写驳回原因。",
    "Only the buyer's finance staff or administrator may confirm its invoices.": "只有购买方的财务或管理员可以确认发票。",
    "A red-letter invoice is not confirmed.": "红字发票无需确认。",
    "The invoice was confirmed already.": "该发票已确认。",
    "The invoice is being reversed by a full red-letter invoice.": "该发票正在全额红冲。",
    "The red-letter invoices would exceed the blue invoice.": "红字发票金额将超过蓝字发票。",
    "This refund cannot be offset by a red-letter invoice.": "该退款不能开具红字发票。",
    "Only the platform's finance staff or the buyer may ask for a red-letter invoice.": (
        "只有平台财务或购买方可以申请红字发票。"
    ),
    "A red-letter invoice cannot itself be offset.": "红字发票不能再被红冲。",
    "The invoice is fully reversed already.": "该发票已全额红冲。",
    "Only a refund that was paid back can be offset.": "只有已退款的退款单才能开具红字发票。",
    "The refund is for an order this invoice does not cover.": "该退款单的订单不在此发票中。",
    "This refund has a red-letter request already.": "该退款单已有红字确认单。",
    "The buyer confirmed this invoice: only the buyer may ask for a full red-letter invoice; returns and "
    "allowances are offset in part.": "购买方已确认该发票：只有购买方可以申请全额红冲；销售退回和销售折让部分红冲。",
    "The red-letter amount %(amount)s exceeds what the invoice has left (%(left)s).": (
        "红字金额 %(amount)s 超过该发票剩余金额（%(left)s）。"
    ),
    "A refunded line is not on this invoice.": "退款明细不在此发票上。",
    "The refunded freight is not on this invoice.": "退还的运费不在此发票上。",
    "The refund has no lines to offset.": "该退款单没有可红冲的明细。",
    "Only the platform's finance staff may ask for red-letter invoices.": "只有平台财务人员可以申请红字发票。",
    # finance_check
    "Order %(number)s: invoiced ¥%(invoiced)s exceeds its total less refunds ¥%(ceiling)s.": (
        "订单 %(number)s：已开票 ¥%(invoiced)s 超过订单金额减退款 ¥%(ceiling)s。"
    ),
    "Order %(number)s: red-letter invoices exceed its blue invoices (net ¥%(invoiced)s).": (
        "订单 %(number)s：红字发票超过蓝字发票（净额 ¥%(invoiced)s）。"
    ),
    "Invoice %(number)s: its amounts are not the sums of its lines.": "发票 %(number)s：金额与明细合计不符。",
    # companies: invoicing details
    "Only the company's administrator or finance staff may change its invoicing details.": (
        "只有企业管理员或财务可以修改开票信息。"
    ),
    "The taxpayer identification number has 15 to 20 digits or capital letters.": "纳税人识别号为 15 至 20 位数字或大写字母。",
    "Too long.": "过长。",
}
