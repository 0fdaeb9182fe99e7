"""Chinese for strings the finance areas share or that the merge left without one (demo notes,
headings, the order e-mail's VAT line)."""

ZH_HANS = {
    "Invoices: %(company)s skipped (%(reason)s).": "发票：已跳过 %(company)s（%(reason)s）。",
    "Invoices: %(classes)d category tax classes, %(blue)d invoices issued, %(red)d red-letter.": (
        "发票：%(classes)d 个类目税率，已开具 %(blue)d 张发票，其中红字 %(red)d 张。"
    ),
    "There is no such invoice request.": "没有这张开票申请。",
    "There is no such invoice.": "没有这张发票。",
    "Invoice request %(subject)s": "开票申请 %(subject)s",
    "Refund %(subject)s": "退款单 %(subject)s",
    "Settlement: %(paid)d paid batches (closed periods) and %(open)d drafts (open periods).": (
        "结算：已打款结算单 %(paid)d 张（已结期间），草稿 %(open)d 张（未结期间）。"
    ),
    ("%(n)s request waits to be issued.", "%(n)s requests wait to be issued."): ["%(n)s 张申请待开具。"],
    "Prices include VAT. A product takes its own tax class, else the deepest of its categories', else %(rate)s without a classification code (invoices then ask for one).": (
        "价格均为含税价。商品优先使用自身的税率设置，其次使用其最细类目的设置，否则按 %(rate)s 计税且无税收分类编码（开票时将要求补充）。"
    ),
    "product": "商品",
    "Invoices the platform issues to %(company)s (数电票).": "平台开具给 %(company)s 的发票（数电票）。",
    "Request a refund for order %(number)s": "为订单 %(number)s 申请退款",
    "Received for this order: ¥%(received)s; still refundable: ¥%(refundable)s.": (
        "本订单已收款：¥%(received)s；仍可退款：¥%(refundable)s。"
    ),
    "Up to ¥%(left)s can still be refunded.": "最多还可退款 ¥%(left)s。",
    "Refunds of %(company)s's orders. Request one from a paid order's page.": (
        "%(company)s 订单的退款单。可在已付款订单的页面申请退款。"
    ),
    "Statements between %(company)s and the platform. Confirm each one, or dispute it and say what is wrong.": (
        "%(company)s 与平台之间的对账单。请逐一确认，或提出异议并说明问题。"
    ),
    "Prices include VAT; of the order total, VAT is %(tax)s.": "价格均为含税价；订单总额中增值税为 %(tax)s。",
    "Requested at": "申请时间",
    "Issued at": "出具时间",
    "Received for the order": "本单已收款",
}
