"""Fixtures of the invoices (发票) tests: tax classes on the test catalogue, a company with complete
invoicing details and a paid order."""

from decimal import Decimal

from plugins.finance.models import ProductTax, TaxCategory

#: 19-digit 商品和服务税收分类编码 used by the tests (format only)
FASTENER_CODE = "1090213010000000000"
WIRE_CODE = "1090314010000000000"
BOOK_CODE = "1060201010000000000"


def tax_classes(catalogue) -> dict:
    """紧固件 13 % (螺栓 inherits it), the wire overridden at 9 % on the product."""
    fasteners = TaxCategory.objects.create(
        category=catalogue["categories"]["fasteners"], rate=Decimal("0.13"), code=FASTENER_CODE, short_name="金属制品"
    )
    wire = ProductTax.objects.create(
        product=catalogue["wire"], rate=Decimal("0.09"), code=WIRE_CODE, short_name="电线电缆"
    )
    return {"fasteners": fasteners, "wire": wire}


def complete_invoicing(company, **overrides):
    """The four invoicing details a 专票 needs (name, tax number, address and phone, bank)."""
    company.invoice_title = overrides.get("invoice_title", company.legal_name)
    company.tax_number = overrides.get("tax_number", company.uscc)
    company.invoice_address_phone = overrides.get("invoice_address_phone", "深圳市南山区科技园路1号 0755-88886666")
    company.invoice_bank_account = overrides.get("invoice_bank_account", "招商银行深圳科技园支行 755912345610101")
    company.save()
    return company
