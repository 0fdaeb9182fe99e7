"""Simplified Chinese for the strings of the contract templates branch: clauses, rendering,
snapshots, template services and the template editor (merged by bin/translations)."""

ZH_HANS = {
    # clauses (plugins/contracts/clauses.py)
    "Parties: legal names": "当事人：名称",
    "Parties: unified social credit codes": "当事人：统一社会信用代码",
    "Parties: registered addresses": "当事人：住所（注册地址）",
    "Parties: legal representatives": "当事人：法定代表人",
    "Parties: telephone numbers": "当事人：联系电话",
    "Parties: bank and account number": "当事人：开户行及账号",
    "Dispute resolution (a court or an arbitration commission)": "争议解决（人民法院或仲裁委员会，二者择一）",
    "Language and effect of the electronic version": "合同语言及电子文本的效力",
    "Contract number": "合同编号",
    "Date of signing": "签订日期",
    "Place of signing": "签订地点",
    "Goods: name": "标的：货物名称",
    "Goods: model / specification": "标的：规格型号",
    "Goods: unit": "标的：计量单位",
    "Goods: quantity": "标的：数量",
    "Goods: quality standard": "标的：质量标准",
    "Price excluding VAT": "不含税价款",
    "VAT rate": "增值税税率",
    "VAT amount": "增值税税额",
    "Price including VAT": "含税价款",
    "Delivery: time": "交货：时间",
    "Delivery: place": "交货：地点",
    "Delivery: means of transport": "交货：运输方式",
    "Delivery: who pays the freight": "交货：运费承担",
    "Delivery: passing of risk": "交货：风险转移",
    "Packing": "包装标准",
    "Inspection: standard and method": "验收：标准和方法",
    "Inspection: period for objections": "验收：异议期限",
    "Settlement: terms": "结算：结算条件",
    "Settlement: method of payment": "结算：付款方式",
    "Settlement: invoice type": "结算：发票类型",
    "Liability for breach of contract": "违约责任",
    "What the agreement covers": "协议范围",
    "How each order is formed (on acceptance)": "订单的订立（经卖方接受时成立）",
    "Agreement that electronic signatures bind the parties": "双方关于电子签名效力的约定",
    "Prices and taxes": "价格及税费",
    "Delivery, freight and passing of risk": "交货、运费及风险转移",
    "Inspection and objections": "验收及异议",
    "Settlement and invoices": "结算及发票",
    "Term of the agreement": "协议期限",
    "The contract amended": "所变更的原合同",
    "The changes": "变更内容",
    "Amended price including VAT": "变更后的含税价款",
    "Everything else as signed": "其他条款继续有效",
    "Effect of the supplementary agreement": "补充协议的效力",
    'Missing clause: %(clause)s (mark it with data-clause="%(key)s").': (
        '缺少条款：%(clause)s（请用 data-clause="%(key)s" 标注）。'
    ),
    "The dispute clause names an unknown forum “%(forum)s”: use “court” or “arbitration”.": (
        "争议解决条款的管辖方式“%(forum)s”无法识别：请使用“court”（法院）或“arbitration”（仲裁）。"
    ),
    "Dispute resolution names both a court and arbitration: an agreement must name one of them.": (
        "争议解决条款同时约定了法院诉讼和仲裁：只能约定其中一种。"
    ),
    "Dispute resolution names neither a court nor an arbitration commission.": (
        "争议解决条款既未约定人民法院，也未约定仲裁委员会。"
    ),
    # rendering and snapshots
    "The template text has an error: %(error)s": "模板内容有错误：%(error)s",
    "The template could not be rendered: %(error)s": "模板无法生成合同文本：%(error)s",
    "%(message)s (line %(line)s)": "%(message)s（第 %(line)s 行）",
    "The template text may not use {%% %(tag)s %%} (line %(line)s).": "模板内容不能使用 {%% %(tag)s %%}（第 %(line)s 行）。",
    "Order %(number)s has no buying company; a contract needs one.": "订单 %(number)s 没有采购企业，无法生成合同。",
    "Order %(number)s has no lines.": "订单 %(number)s 没有商品明细。",
    # template services
    "Template version %(subject)s": "模板版本 %(subject)s",
    "The template text is empty.": "模板内容为空。",
    "Version %(number)s is “%(state)s”: only a draft can be edited; create a new version.": (
        "版本 %(number)s 为“%(state)s”状态：只能编辑草稿，请新建版本。"
    ),
    "No %(kind)s template is published: an operator publishes one under Contracts → Templates.": (
        "尚未发布%(kind)s模板：请运营人员在“合同 → 合同模板”中发布。"
    ),
    # template editor
    "Contract templates": "合同模板",
    "Contracts": "合同",
    "The standard contract templates are installed.": "已安装标准合同模板。",
    "Install the standard templates": "安装标准模板",
    "A published standard text for each kind that has no template yet.": "为尚无模板的合同类型安装并发布标准文本。",
    "Based on v%(number)s": "基于 v%(number)s",
    "Version %(number)s saved as a draft.": "版本 %(number)s 已保存为草稿。",
    "Version %(number)s saved.": "版本 %(number)s 已保存。",
    "Version %(number)s is published; new contracts of this kind use it.": "版本 %(number)s 已发布，此后新生成的该类合同将使用此版本。",
    "sample data": "示例数据",
    "There is no order %(number)s.": "订单 %(number)s 不存在。",
    "(assigned when the contract is made)": "（生成合同时编号）",
    "order %(number)s": "订单 %(number)s",
    "Template text": "模板内容",
    'HTML with the Django template language. Mark each mandatory section with data-clause="key" and the '
    'dispute clause with data-forum="court" or data-forum="arbitration".': (
        'HTML 及 Django 模板语言。每个必备条款请用 data-clause="条款键" 标注；争议解决条款请用 '
        'data-forum="court"（法院）或 data-forum="arbitration"（仲裁）标注。'
    ),
    "What changed": "变更说明",
    "Contract text (rendered against the sample)": "合同文本（按示例数据生成）",
    "Template source": "模板源码",
    "Older version": "旧版本",
    "Newer version": "新版本",
    "Compare": "比较",
    "Compare versions": "版本比较",
    "Compare two versions": "比较两个版本",
    "New version": "新建版本",
    "Version": "版本",
    "State": "状态",
    "Created": "创建时间",
    "Published": "已发布",
    "Published version": "已发布版本",
    "Published at": "发布时间",
    "Drafts": "草稿",
    "None": "无",
    "Kind": "类型",
    "Name": "名称",
    "Dashboard": "控制面板",
    "No contract templates yet.": "尚无合同模板。",
    "Preview": "预览",
    "Preview against order": "按订单预览",
    "Order number": "订单号",
    "Rendered against %(source)s.": "按%(source)s生成。",
    "Copy to a new version": "复制为新版本",
    "A published or retired version is never edited: copy it to a new version to change it.": (
        "已发布或已停用的版本不能修改：如需修改，请复制为新版本。"
    ),
    "Save draft": "保存草稿",
    "Save as draft": "保存为草稿",
    "Publish this version? New contracts of this kind will use it; the current published version is retired.": (
        "确定发布此版本？此后新生成的该类合同将使用此版本，当前已发布的版本将停用。"
    ),
    "Publish": "发布",
    "Clause check": "条款检查",
    "This version cannot be published:": "此版本不能发布：",
    "Every mandatory clause is present.": "必备条款齐全。",
    "Mandatory clauses of this kind:": "此类合同的必备条款：",
    "Changes from v%(a)s to v%(b)s: deleted text is struck through, added text underlined.": (
        "v%(a)s 至 v%(b)s 的变更：删除的文字加删除线，新增的文字加下划线。"
    ),
    "The two versions read the same.": "两个版本的文本相同。",
}
