"""Demo data of invoices (called by plugins.finance.demo after receipts): tax classes on the demo
categories (13 %; the codes follow the format of the 商品和服务税收分类编码 and are demo values for
finance to check against the official table), then for two companies' paid orders: a VAT special
invoice the buyer confirmed, a VAT normal invoice, and one reversed by a full red-letter invoice
(开票有误). The refunds demo, running next, adds partial or full reds through its executed
refunds of invoiced orders. Idempotent: nothing is added once invoice requests exist."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from plugins.finance.models import InvoiceRequest, TaxCategory
from plugins.finance.selectors import invoices as selectors
from plugins.finance.services import invoices

#: root or sub-category name → (rate, 19-digit code, 简称)
CLASSES = {
    "紧固件": ("0.13", "1080401010000000000", "金属制品"),
    "手动工具": ("0.13", "1080402010000000000", "金属工具"),
    "电工电气": ("0.13", "1090601000000000000", "电气机械及器材"),
    "电线电缆": ("0.13", "1090602010000000000", "电线电缆"),
    "工业化学品": ("0.13", "1070201000000000000", "化学原料及化学制品"),
    "润滑油脂": ("0.13", "1070101020000000000", "润滑油"),
    "劳保防护": ("0.13", "1040107000000000000", "劳动防护用品"),
}


def _tax_classes() -> int:
    Category = get_model("catalogue", "Category")
    added = 0
    for category in Category.objects.filter(name__in=list(CLASSES)):
        rate, code, short = CLASSES[category.name]
        _row, created = TaxCategory.objects.get_or_create(
            category=category, defaults={"rate": Decimal(rate), "code": code, "short_name": short}
        )
        added += created
    return added


def _finance_person(company):
    from companies.models import CompanyMember, Role

    member = (
        CompanyMember.objects.filter(company=company, role__in=[Role.FINANCE, Role.ADMIN], user__is_active=True)
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    return member.user if member else None


def _complete_details(company, operator) -> None:
    """Demo companies registered without address/bank for invoices: give them theirs."""
    from companies.services.invoicing import update_invoicing

    if company.invoice_address_phone and company.invoice_bank_account:
        return
    update_invoicing(
        company=company,
        details={
            "invoice_title": company.invoice_title or company.legal_name,
            "tax_number": company.tax_number or company.uscc,
            "invoice_address_phone": company.invoice_address_phone or f"{company.city}{company.address} 0755-86001234",
            "invoice_bank_account": company.invoice_bank_account or "招商银行深圳分行营业部 755900012310808",
        },
        by=operator,
    )


def seed(report, *, now, rng) -> None:
    """Tax classes, blue invoices (one confirmed) and a red-letter one."""
    classes = _tax_classes()
    if InvoiceRequest.objects.exists():
        return
    operator = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    Company = get_model("companies", "Company")
    made = []
    for company in Company.objects.filter(status="verified").order_by("pk"):
        person = _finance_person(company)
        orders = list(selectors.invoiceable_orders(company).order_by("date_placed", "pk")[:3])
        if person is None or len(orders) < 2 or operator is None:
            continue
        _complete_details(company, operator)
        company.refresh_from_db()
        try:
            special = invoices.issue(invoices.request_invoice(company, orders[:1], "special", person), operator)
            normal = invoices.issue(invoices.request_invoice(company, orders[1:2], "normal", person), operator)
        except Exception as exc:  # noqa: BLE001 - the demo says what it could not do and goes on
            report.notes.append(_("Invoices: %(company)s skipped (%(reason)s).") % {"company": company, "reason": exc})
            continue
        made.append((company, person, special, normal))
        if len(made) == 2:
            break
    reds = 0
    if made:
        company, person, special, _normal = made[0]
        invoices.confirm_received(special, person)
        if len(made) > 1:
            _company, _person, _special, normal = made[1]
            red = invoices.request_red(normal, refund=None, by=operator, note="开票有误：抬头错误，重开")
            invoices.issue(red, operator)
            reds = 1
    report.notes.append(
        _("Invoices: %(classes)d category tax classes, %(blue)d invoices issued, %(red)d red-letter.")
        % {"classes": classes, "blue": 2 * len(made), "red": reds}
    )
