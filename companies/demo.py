"""Demo data for companies: each demo distributor becomes a verified company of one (its admin),
with a valid generated 统一社会信用代码, and two applications wait in the verification queue.
Idempotent and deterministic: a second run finds everything by its code and changes nothing."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from companies import selectors, uscc
from companies.models import Company, CompanyMember, CompanyStatus, ImportBatch, Role, TaxpayerType
from companies.services import imports, people, verification
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
    _import_batch(report, operator, now)
    report.notes.append(
        _(
            "Companies: %(n)d verified companies (one per demo distributor, its admin) and %(m)d applications "
            "waiting for verification."
        )
        % {"n": verified, "m": len(APPLICANTS)}
    )


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
