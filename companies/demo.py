"""Demo data for companies: each demo distributor becomes a verified company (its admin) with a
valid generated 统一社会信用代码, 2–4 people in different roles, a shared delivery address or two
and a pending e-mail invitation of a buyer; two applications wait in the verification queue.
Purchase approval: two companies have approval rules; the first has an approver, and an order of
its admin waits for that approver (submitted through the checkout's own approval service).
Idempotent and deterministic: a second run finds everything by its code and changes nothing."""

import hashlib
import hmac
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from companies import selectors, uscc
from companies.models import (
    Company,
    CompanyAddress,
    CompanyInvitation,
    CompanyMember,
    CompanyStatus,
    ImportBatch,
    InvitationStatus,
    Role,
    TaxpayerType,
)
from companies.services import imports, people, verification
from companies.services.invitations import hash_token, link_path
from core.demo import data
from core.regions import get_province

User = get_user_model()

#: a one-page PDF standing in for a scanned business licence
LICENCE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

#: applications waiting for an operator: key, legal name, representative, mobile, province, city, address
APPLICANTS = [
    ("xinghe", "佛山市星河五金制品有限公司", "陈永康", "13926512360", "广东省", "佛山市", "南海区桂城街道海八路12号"),
    ("jinqiao", "宁波金桥机电贸易有限公司", "吴海燕", "13805742361", "浙江省", "宁波市", "鄞州区天童南路588号"),
]


#: the customer import waiting for review: legal name, representative, mobile, province, city, address, grade
IMPORTED = [
    ("杭州正泰工控设备有限公司", "周建国", "13905713001", "浙江省", "杭州市", "滨江区江南大道1588号", "A", "龙头"),
    (
        "苏州恒力紧固件销售有限公司",
        "沈丽华",
        "13962143002",
        "江苏省",
        "苏州市",
        "相城区太平街道金澄路66号",
        "B",
        "骨干",
    ),
    ("成都川西五金机电有限公司", "刘志强", "13880283003", "四川省", "成都市", "武侯区武科西一路8号", "C", "一般"),
]
DEMO_IMPORT_FILE = "演示客户导入.csv"
#: the second operator, who reviews what the first one imports (four eyes)
REVIEWER = ("reviewer", "钱审核")


def _code(province: str, serial: int) -> str:
    found = get_province(province)
    return uscc.generate(found.code if found else "110000", serial)


def _company(*, user, legal_name, representative, phone, province, city, address, serial, now, industry, capital):
    code = _code(province, serial)
    company = Company.objects.filter(uscc=code).first()
    if company is None:
        company = Company(
            legal_name=legal_name,
            name_key=selectors.name_key(legal_name),
            uscc=code,
            legal_representative=representative,
            province=province,
            city=city,
            address=address,
            industry=industry,
            registered_capital=Decimal(capital),
            contact_phone=phone,
            invoice_title=legal_name,
            tax_number=code,
            invoice_address_phone=f"{city}{address} {phone}",
            invoice_bank_account=_("Demo bank account 6222 0000 %(n)04d") % {"n": serial % 10000},
            taxpayer_type=TaxpayerType.GENERAL if serial % 2 else TaxpayerType.SMALL,
            customer_code=f"C{serial:05d}",
            expected_annual_purchase=Decimal(capital) * 10,
            applied_by=user,
            applied_at=now,
        )
        company.licence.save("营业执照.pdf", ContentFile(LICENCE_PDF), save=False)
        company.save()
    if not CompanyMember.objects.filter(user=user).exists():
        CompanyMember.objects.create(company=company, user=user, role=Role.ADMIN, added_by=user, added_at=now)
        # the distributor's order history (seeded before the companies) becomes its company's
        people.adopt_orders(company, user)
    return company


#: colleagues of each demo company's admin: (login suffix, name, role); every company gets a
#: buyer, every other one an approver, every third one a finance person (2–4 people a company)
COLLEAGUES = [
    ("buyer", "采购员", Role.BUYER, 1),
    ("approver", "审批人", Role.APPROVER, 2),
    ("finance", "财务", Role.FINANCE, 3),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def _colleagues(company, admin, index: int, *, now, report) -> int:
    """The company's other people, each with a login (the password of every demo login)."""
    made = 0
    local, domain = admin.email.split("@")
    for suffix, title, role, every in COLLEAGUES:
        if index % every:
            continue
        email = f"{local}.{suffix}@{domain}"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create(
                email=email,
                username=f"{local}.{suffix}",
                first_name=f"{SURNAMES[(index * 3 + every) % len(SURNAMES)]}{title}",
                password=make_password(data.DEMO_PASSWORD),
            )
        if not CompanyMember.objects.filter(user=user).exists():
            CompanyMember.objects.create(company=company, user=user, role=role, added_by=admin, added_at=now)
            made += 1
        if index == 0:
            report.logins.append(
                (
                    _("%(role)s of %(company)s") % {"role": role.label, "company": company.legal_name},
                    email,
                    data.DEMO_PASSWORD,
                )
            )
    return made


def demo_token(company: Company) -> str:
    """The demo invitation's token: derived from the secret key, so a second run finds the same
    row and nobody without the key can guess it."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"demo-invitation:{company.uscc}".encode(), hashlib.sha256).hexdigest()


def _shared_addresses(company: Company, d, admin, serial: int) -> None:
    if company.addresses.exists():
        return
    CompanyAddress.objects.create(
        company=company,
        label=_("Head office warehouse"),
        consignee=d.contact,
        mobile=d.phone,
        province=d.province,
        city=d.city,
        district=d.district,
        line=d.street,
        postcode=d.postcode,
        is_default=True,
        created_by=admin,
    )
    if serial % 2 == 0:  # every other company has a second site
        CompanyAddress.objects.create(
            company=company,
            label=_("Branch store"),
            consignee=d.contact,
            mobile=d.phone,
            province=d.province,
            city=d.city,
            district=d.district,
            line=_("Building 2, %(street)s") % {"street": d.street},
            postcode=d.postcode,
            created_by=admin,
        )


def _invitation(company: Company, d, admin, now) -> CompanyInvitation:
    email = f"buyer.{d.key}@{data.EMAIL_DOMAIN}"
    found = CompanyInvitation.objects.filter(company=company, email=email).first()
    if found is not None:
        return found
    return CompanyInvitation.objects.create(
        company=company,
        email=email,
        role=Role.BUYER,
        token_hash=hash_token(demo_token(company)),
        invited_by=admin,
        created_at=now,
        expires_at=now + timedelta(days=settings.COMPANY_INVITATION_DAYS),
        status=InvitationStatus.PENDING,
    )


def seed(report, *, now, seed):
    operator = User.objects.filter(email=f"{data.OPERATOR[0]}@{data.EMAIL_DOMAIN}").first()
    verified = 0
    for i, d in enumerate(data.DISTRIBUTORS):
        user = User.objects.filter(email=f"{d.key}@{data.EMAIL_DOMAIN}").first()
        if user is None:
            continue
        company = _company(
            user=user,
            legal_name=d.company,
            representative=d.contact,
            phone=d.phone,
            province=d.province,
            city=d.city,
            address=f"{d.district}{d.street}",
            serial=1001 + i,
            now=now,
            industry=_("Industrial supplies distribution"),
            capital=str(100 + 50 * (i % 5)),
        )
        if company.status == CompanyStatus.APPLIED:
            verification.verify(company, actor=operator, reason=_("Demo data: licence checked"), via="demo")
        verified += 1
        _colleagues(company, user, i, now=now, report=report)
        _shared_addresses(company, d, user, i)
        invitation = _invitation(company, d, user, now)
        if i == 0:
            report.notes.append(
                _("Invitation of %(email)s to %(company)s (open it signed out to sign up): %(link)s")
                % {"email": invitation.email, "company": company.legal_name, "link": link_path(demo_token(company))}
            )
    for j, (key, name, representative, phone, province, city, address) in enumerate(APPLICANTS):
        email = f"{key}@{data.EMAIL_DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create(
                email=email, username=key, first_name=representative, password=make_password(data.DEMO_PASSWORD)
            )
        _company(
            user=user,
            legal_name=name,
            representative=representative,
            phone=phone,
            province=province,
            city=city,
            address=address,
            serial=2001 + j,
            now=now,
            industry=_("Hardware and tools"),
            capital="200",
        )
        report.logins.append((_("Company awaiting verification: %(name)s") % {"name": name}, email, data.DEMO_PASSWORD))
    approvals = _seed_approvals(report, now=now)
    _import_batch(report, operator, now)
    report.notes.append(
        _(
            "Companies: %(n)d verified companies (one per demo distributor, its admin, with 1–3 colleagues: "
            "buyer, approver, finance; shared delivery addresses and a pending invitation) and %(m)d "
            "applications waiting for verification."
        )
        % {"n": verified, "m": len(APPLICANTS)}
    )
    if approvals:
        report.notes.append(
            _("Purchase approval: rules on two companies; %(n)d order waits for approval.") % {"n": approvals}
        )


#: (distributor key, [(kind, threshold, approver role, step)]) — the rules of two demo companies
APPROVAL_RULES = [
    ("hongda", [("order_total", "5000.00", Role.APPROVER, 1), ("monthly_budget", "50000.00", Role.ADMIN, 2)]),
    ("hengxin", [("sku_count", "5", Role.ADMIN, 1), ("freight", "300.00", Role.FINANCE, 1)]),
]
APPROVER_KEY = "approver.hongda"


def _seed_approvals(report, *, now) -> int:
    from companies.approvals import services as approvals
    from companies.approvals.models import ApprovalRequest

    companies = {}
    for key, rules in APPROVAL_RULES:
        admin = User.objects.filter(email=f"{key}@{data.EMAIL_DOMAIN}").first()
        membership = CompanyMember.objects.filter(user=admin).select_related("company").first() if admin else None
        if membership is None:
            continue
        company = membership.company
        companies[key] = (company, admin)
        if not company.approval_rules.exists():
            for kind, threshold, role, step in rules:
                approvals.create_rule(
                    company=company, by=admin, kind=kind, threshold=Decimal(threshold), approver_role=role, step=step
                )
    if "hongda" not in companies:
        return 0
    company, admin = companies["hongda"]
    email = f"{APPROVER_KEY}@{data.EMAIL_DOMAIN}"
    approver = User.objects.filter(email=email).first()
    if approver is None:
        approver = User.objects.create(
            email=email, username=APPROVER_KEY, first_name="周审批", password=make_password(data.DEMO_PASSWORD)
        )
    if not CompanyMember.objects.filter(user=approver).exists():
        CompanyMember.objects.create(company=company, user=approver, role=Role.APPROVER, added_by=admin, added_at=now)
    report.logins.append((_("Company approver (an order waits for them)"), email, data.DEMO_PASSWORD))
    waiting = ApprovalRequest.objects.filter(company=company, status="pending").count()
    if waiting == 0 and not ApprovalRequest.objects.filter(company=company).exists():
        waiting = 1 if _submit_demo_order(admin, now) is not None else 0
    return waiting


def _submit_demo_order(buyer, now):
    """A large order of the company's admin, submitted for approval as the checkout does (paid by
    bank transfer, so nothing is held)."""
    from oscar.core.loading import get_class, get_model

    from companies.approvals import services as approvals
    from storefront.payments import BANK_TRANSFER

    Basket = get_model("basket", "Basket")
    Product = get_model("catalogue", "Product")
    ShippingAddress = get_model("order", "ShippingAddress")
    Selector = get_class("partner.strategy", "Selector")
    Repository = get_class("shipping.repository", "Repository")
    OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")

    address = buyer.addresses.order_by("-is_default_for_shipping", "pk").first()
    if address is None:
        return None
    # beside any open basket (one open per buyer); "Saved" keeps it editable until submitted below
    basket = Basket.objects.create(owner=buyer, status=Basket.SAVED)
    basket.strategy = Selector().strategy(user=buyer)
    for product in Product.objects.filter(
        is_public=True, structure=Product.STANDALONE, stockrecords__num_in_stock__gte=40
    ).order_by("-stockrecords__price", "upc")[:3]:
        basket.add_product(product, 20)
    shipping_address = ShippingAddress()
    address.populate_alternative_model(shipping_address)
    methods = Repository().get_shipping_methods(basket, shipping_addr=shipping_address, user=buyer)
    if not methods or basket.is_empty:
        basket.delete()
        return None
    method = methods[0]
    charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    request = approvals.submit(
        user=buyer,
        basket=basket,
        shipping_address=shipping_address,
        shipping_method=method,
        shipping_charge=charge,
        order_total=total,
        method=BANK_TRANSFER,
        session={},
        now=now,
    )
    if request is None:
        basket.delete()
    return request


def _import_batch(report, operator, now) -> None:
    """A second operator (the reviewer) and a batch of three companies uploaded by the demo
    operator, waiting for the reviewer's approval."""
    key, name = REVIEWER
    email = f"{key}@{data.EMAIL_DOMAIN}"
    reviewer = User.objects.filter(email=email).first()
    if reviewer is None:
        reviewer = User.objects.create(
            email=email,
            username=key,
            first_name=name,
            is_staff=True,
            is_superuser=True,
            password=make_password(data.DEMO_PASSWORD),
        )
    report.logins.append((_("Second operator (reviews customer imports)"), email, data.DEMO_PASSWORD))
    if operator is None or ImportBatch.objects.filter(filename=DEMO_IMPORT_FILE).exists():
        return
    header = [imports.CHINESE_HEADERS[c][0] for c in imports.COLUMNS]
    lines = [",".join(header)]
    for i, (legal_name, representative, phone, province, city, address, grade, position) in enumerate(IMPORTED):
        values = {
            "legal_name": legal_name,
            "uscc": _code(province, 3001 + i),
            "industry": _("Hardware and tools"),
            "registered_capital": str(500 + 300 * i),
            "industry_position": position,
            "grade": grade,
            "expected_annual_purchase": str(2000000 - 500000 * i),
            "customer_code": f"C{3001 + i:05d}",
            "taxpayer_type": "一般纳税人",
            "province": province,
            "city": city,
            "address": address,
            "legal_representative": representative,
            "contact_phone": phone,
        }
        lines.append(",".join(values.get(c, "") for c in imports.COLUMNS))
    upload = ContentFile(("\r\n".join(lines) + "\r\n").encode("utf-8"), name=DEMO_IMPORT_FILE)
    result = imports.submit(user=operator, upload=upload, now=now)
    if result.batch is None:  # a demo that no longer passes its own checks is a bug: say so
        raise RuntimeError([line.errors for line in result.report.lines if line.errors])
    report.notes.append(
        _(
            "Customer import: batch #%(batch)s (%(n)d companies) uploaded by %(operator)s waits for another "
            "operator's approval (sign in as %(reviewer)s)."
        )
        % {"batch": result.batch.pk, "n": len(IMPORTED), "operator": operator.email, "reviewer": email}
    )
