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


def finance_operator(key: str = "kaipiao"):
    """An operator of the finance group (may issue), not a superuser."""
    from django.contrib.auth.models import Group

    from core.access import OPERATORS_GROUP
    from plugins.finance.access import FINANCE_GROUP
    from tests import factories

    user = factories.User.objects.create_user(username=key, email=f"{key}@example.cn", password="x", is_staff=True)
    for name in (OPERATORS_GROUP, FINANCE_GROUP):
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def plain_operator(key: str = "yunying"):
    from django.contrib.auth.models import Group

    from core.access import OPERATORS_GROUP
    from tests import factories

    user = factories.User.objects.create_user(username=key, email=f"{key}@example.cn", password="x", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=OPERATORS_GROUP)[0])
    return user


def executed_refund(order, *, reason="return", lines=(), freight="0.00", number=None):
    """A refund paid back (state refunded), as the refunds area leaves it: ``lines`` are
    (order line, quantity, amount)."""
    from plugins.finance.models import Refund, RefundLine

    goods = sum((Decimal(amount) for _line, _qty, amount in lines), Decimal("0.00"))
    refund = Refund.objects.create(
        number=number or f"TK-TEST-{Refund.objects.count() + 1:06d}",
        order=order,
        company=order.company,
        reason=reason,
        goods_amount=goods,
        freight_amount=Decimal(freight),
        amount=goods + Decimal(freight),
        method=Refund.Method.TRANSFER,
        state=Refund.State.APPROVED,
    )
    for line, quantity, amount in lines:
        RefundLine.objects.create(refund=refund, order_line=line, quantity=quantity, amount=Decimal(amount))
    refund.state = Refund.State.REFUNDED
    refund.save()  # the invoices area hears the executed refund here
    return refund
