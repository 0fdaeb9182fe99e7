"""Simplified Chinese for the contracts engine's strings (plugins/contracts/pdf, the dev PKI
command); merged into the catalogue by bin/translations."""

ZH_HANS = {
    # fonts
    "The Chinese font %(path)s is missing: install the package fonts-noto-cjk "
    "(apt-get install fonts-noto-cjk) to create contract PDFs.": "缺少中文字体 %(path)s：请安装 fonts-noto-cjk 软件包"
    "（apt-get install fonts-noto-cjk）后再生成合同 PDF。",
    "The Chinese font could not be extracted from %(path)s: reinstall the package fonts-noto-cjk "
    "(apt-get install --reinstall fonts-noto-cjk).": "无法从 %(path)s 提取中文字体：请重新安装 fonts-noto-cjk 软件包"
    "（apt-get install --reinstall fonts-noto-cjk）。",
    # PKI
    "The development PKI is not created in production: configure CONTRACTS_CA_P12 and "
    "CONTRACTS_PLATFORM_P12, or pass an explicit directory.": "生产环境不创建开发用证书体系：请配置 CONTRACTS_CA_P12 和 "
    "CONTRACTS_PLATFORM_P12，或明确指定目录。",
    "No signing keys: run “manage.py contracts_dev_pki” for development, or set CONTRACTS_CA_P12 "
    "and CONTRACTS_PLATFORM_P12 in production.": "没有签署密钥：开发环境请运行“manage.py contracts_dev_pki”，"
    "生产环境请设置 CONTRACTS_CA_P12 和 CONTRACTS_PLATFORM_P12。",
    "The PKCS#12 file %(path)s holds no key and certificate.": "PKCS#12 文件 %(path)s 中没有密钥和证书。",
    "This signing certificate has been revoked.": "该签署证书已被吊销。",
    "Development PKI ready in %(dir)s.": "开发用证书体系已就绪：%(dir)s。",
    # signing
    "The contract has no signature blocks.": "合同中没有签署区。",
    "The timestamping service %(url)s did not answer; nothing was signed.": "时间戳服务 %(url)s 没有响应，未作任何签署。",
    "The document has no signature field “%(field)s”.": "文件中没有签名域“%(field)s”。",
    "The signature field “%(field)s” is already signed.": "签名域“%(field)s”已经签署。",
    "Archiving needs a timestamping service (CONTRACTS_TSA_URL).": "归档需要时间戳服务（CONTRACTS_TSA_URL）。",
    "A riding seal can only be added with the first signature: it would change signed pages.": "骑缝章只能随第一个签名加盖："
    "之后再加会改动已签署的页面。",
    # verification (验签)
    "This file is not a readable PDF.": "该文件不是可读取的 PDF。",
    "This PDF carries no signature.": "该 PDF 没有签名。",
    "The signature is malformed and cannot be validated.": "签名格式有误，无法验证。",
    "the whole file": "整个文件",
    "the whole revision it signed; later revisions were added": "签名时的完整版本；其后有追加的修订",
    "only part of the file": "仅文件的一部分",
    "no changes after signing": "签署后无改动",
    "only validation data and timestamps added": "仅追加了验证数据和时间戳",
    "only form filling and further signatures": "仅有表单填写和后续签名",
    "annotations added after signing": "签署后添加了批注",
    "other changes after signing": "签署后有其他改动",
    "revoked on %(date)s": "已于 %(date)s 吊销",
    "not revoked (checked against the revocation data embedded in the document)": "未吊销（已依据文件内嵌的吊销信息核验）",
    "not checked: the document carries no revocation data": "未核验：文件中没有吊销信息",
    "The signed content was changed: its digest does not match the signature.": "签署内容已被改动：摘要与签名不符。",
    "The signature value is not valid for the signer's certificate.": "签名值与签署人的证书不符。",
    "The certificate is not trusted: it does not lead to the platform's root certificate.": "证书不受信任：无法追溯到平台根证书。",
    "The signer's certificate was revoked.": "签署人的证书已被吊销。",
    "The timestamp on this signature is not valid.": "该签名上的时间戳无效。",
    "The document was changed after this signature in a way signatures do not allow.": "该签名之后文件被以签名不允许的方式改动。",
}
