"""Customer import with four-eyes review (客户导入审核).

An operator uploads a CSV or XLSX of companies; every line is checked by the rules of
registration (``registration.clean_details``: USCC after normalising, names and codes not
taken, the province list, a mainland mobile number, amounts) plus the import's own columns
(industry position, value grade A/B/C, the salesperson an active staff user by e-mail) and
duplicates inside the file (USCC, legal name compared after NFKC and without spaces, customer
code). A file with any bad line is not kept: the operator gets the line-by-line report, fixes
the file and uploads it again (the rule is simple and safe: what a reviewer approves is exactly
what the uploader sent, never a silently shortened file).

A good file becomes an ``ImportBatch`` awaiting review (the file in the private storage, the
lines as a snapshot). Another operator approves it — the uploader cannot, here and by a database
constraint — or rejects it with a reason. Approval checks every line again (the database may
have changed since the upload) and applies all of them in one transaction, or none: each
company is created verified (the operator knows the customer), with a verification history
entry naming the batch and the approver, and ``companies.signals.company_imported`` is sent so
plugins keep their part (member_tiers: grade and salesperson, through its services). Imported
companies have no people yet; their admin is invited later.

==========  ==========================  ===============================================
from        to                          when
==========  ==========================  ===============================================
pending     approved                    a second operator approved; the lines applied
pending     rejected (reason required)  an operator (the uploader too: a withdrawal) refused it
==========  ==========================  ===============================================
"""

import posixpath
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies import selectors, uscc
from companies.models import Company, CompanyStatus, ImportBatch, ImportStatus, IndustryPosition, TaxpayerType
from companies.services import registration, verification
from companies.signals import company_imported
from core.access import is_operator
from core.statemachine import StateMachine, Step, record_transition
from core.tabular import as_text, read_table

#: the columns of the file, in the template's order
COLUMNS = (
    "legal_name",
    "uscc",
    "industry",
    "registered_capital",
    "industry_position",
    "grade",
    "expected_annual_purchase",
    "customer_code",
    "invoice_title",
    "tax_number",
    "invoice_address_phone",
    "invoice_bank_account",
    "taxpayer_type",
    "province",
    "city",
    "address",
    "legal_representative",
    "contact_phone",
    "salesperson",
)
#: a file must have these (registration's required fields); the other columns may be left out
REQUIRED_COLUMNS = registration.REQUIRED
#: the Chinese headers operators use (the template's), and a few common variants
CHINESE_HEADERS = {
    "legal_name": ("企业名称", "公司名称", "客户名称"),
    "uscc": ("统一社会信用代码", "信用代码"),
    "industry": ("行业", "所属行业"),
    "registered_capital": ("注册资本（万元）", "注册资本(万元)", "注册资本"),
    "industry_position": ("行业地位",),
    "grade": ("价值等级", "客户等级", "等级"),
    "expected_annual_purchase": ("预计年采购额（元）", "预计年采购额(元)", "预计年采购额", "预计年销售额"),
    "customer_code": ("客户编码",),
    "invoice_title": ("发票抬头", "开票抬头"),
    "tax_number": ("纳税人识别号", "税号"),
    "invoice_address_phone": ("地址电话", "开票地址电话"),
    "invoice_bank_account": ("开户行及账号",),
    "taxpayer_type": ("纳税人类型",),
    "province": ("省份", "省"),
    "city": ("城市", "市"),
    "address": ("注册地址", "地址"),
    "legal_representative": ("法定代表人", "法人代表"),
    "contact_phone": ("手机号码", "手机号", "联系电话"),
    "salesperson": ("业务员", "业务员邮箱"),
}
ALIASES = {alias: column for column, names in CHINESE_HEADERS.items() for alias in names}
GRADES = ("A", "B", "C")  # member_tiers' Membership.GRADES (a test keeps them the same)
MAX_BYTES = 5 * 1024 * 1024
MAX_LINES = 2000

COLUMN_LABELS = {
    "grade": gettext_lazy("value grade"),
    "salesperson": gettext_lazy("salesperson"),
    "file": gettext_lazy("file"),
}
#: what a cell may say for a choice: the code, the label in either language, the short Chinese word
POSITION_WORDS = {
    "龙头": IndustryPosition.LEADER,
    "龙头企业": IndustryPosition.LEADER,
    "骨干": IndustryPosition.BACKBONE,
    "骨干企业": IndustryPosition.BACKBONE,
    "一般": IndustryPosition.ORDINARY,
    "一般企业": IndustryPosition.ORDINARY,
}
TAXPAYER_WORDS = {"一般纳税人": TaxpayerType.GENERAL, "小规模纳税人": TaxpayerType.SMALL}

S = ImportStatus
IMPORT = StateMachine(
    name="company_import",
    transitions={S.PENDING: frozenset({S.APPROVED, S.REJECTED}), S.APPROVED: frozenset(), S.REJECTED: frozenset()},
    labels=dict(S.choices),
    subject=gettext_lazy("Import batch %(subject)s"),
    state_field="status",
    timestamps={S.APPROVED: "decided_at", S.REJECTED: "decided_at"},
)


def column_label(column: str) -> str:
    if column in COLUMN_LABELS:
        return str(COLUMN_LABELS[column])
    try:
        return str(Company._meta.get_field(column).verbose_name)
    except Exception:  # a key of the form as a whole
        return column


@dataclass
class Line:
    number: int
    values: dict
    errors: list[str] = field(default_factory=list)
    #: the company's cleaned fields and the extra columns (grade, salesperson) when the line is good
    data: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


@dataclass
class Report:
    lines: list[Line] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.lines) and not any(line.errors for line in self.lines)

    @property
    def bad_lines(self) -> int:
        return sum(1 for line in self.lines if line.errors)


class ImportRefused(ValidationError):
    """Bad lines: the report says which and why (raised by approval after a clash)."""

    def __init__(self, report: Report, message: str):
        super().__init__(message, code="bad_lines")
        self.report = report


def _choice(text: str, choices, words: dict) -> str | None:
    """A choice's code from a cell: the code, its label (zh or en) or a common word; None if unknown."""
    if not text:
        return ""
    if text in words:
        return words[text]
    for value, label in choices:
        if text.lower() in (value, str(label).lower()):
            return value
    return None


def _salespeople(rows) -> dict[str, object]:
    emails = {as_text(values.get("salesperson")).lower() for _n, values in rows} - {""}
    found = {}
    for user in get_user_model().objects.filter(email__in=emails) if emails else ():
        found.setdefault(user.email.lower(), user)
    # e-mail addresses differing in case only: match case-insensitively
    missing = emails - set(found)
    for email in missing:
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is not None:
            found[email] = user
    return found


def check_rows(rows: list[tuple[int, dict]]) -> Report:
    """Check every line (see the module docstring); messages in the active language."""
    report = Report()
    salespeople = _salespeople(rows)
    seen_uscc: dict[str, int] = {}
    seen_name: dict[str, int] = {}
    seen_code: dict[str, int] = {}
    for number, raw in rows:
        values = {column: as_text(raw.get(column)) for column in COLUMNS}
        line = Line(number=number, values=values)
        errors: dict[str, list[str]] = {}
        details = {name: values[name] for name in registration.FIELDS}
        taxpayer = _choice(values["taxpayer_type"], TaxpayerType.choices, TAXPAYER_WORDS)
        details["taxpayer_type"] = taxpayer if taxpayer is not None else values["taxpayer_type"]
        try:
            line.data, line.warnings = registration.clean_details(details)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, []).extend(messages)
        position = _choice(values["industry_position"], IndustryPosition.choices, POSITION_WORDS)
        if position is None:
            errors.setdefault("industry_position", []).append(
                _("Choose one of: %(choices)s.")
                % {"choices": " / ".join(str(label) for _v, label in IndustryPosition.choices)}
            )
        grade = values["grade"].upper()
        if grade and grade not in GRADES:
            errors.setdefault("grade", []).append(_("Choose one of: %(choices)s.") % {"choices": " / ".join(GRADES)})
        salesperson = None
        if values["salesperson"]:
            salesperson = salespeople.get(values["salesperson"].lower())
            if salesperson is None or not salesperson.is_staff or not salesperson.is_active:
                errors.setdefault("salesperson", []).append(
                    _("No active staff user has the e-mail address “%(email)s”.") % {"email": values["salesperson"]}
                )
        code = values["customer_code"].upper()
        if code and Company.objects.filter(customer_code=code).exists():
            errors.setdefault("customer_code", []).append(_("Another company has this customer code."))
        # duplicates inside the file: the later line names the earlier one
        code_uscc = uscc.normalise(values["uscc"]) if values["uscc"] else ""
        for column, key, seen in (
            ("uscc", code_uscc, seen_uscc),
            ("legal_name", selectors.name_key(values["legal_name"]), seen_name),
            ("customer_code", code, seen_code),
        ):
            if not key:
                continue
            if key in seen:
                errors.setdefault(column, []).append(
                    _("The same as on line %(line)s of this file.") % {"line": seen[key]}
                )
            else:
                seen[key] = number
        for column, messages in errors.items():
            line.errors.extend(f"{column_label(column)}: {message}" for message in messages)
        if not line.errors:
            line.data.update(industry_position=position, customer_code=code)
            line.extra = {"grade": grade, "salesperson": salesperson}
        report.lines.append(line)
    return report


def read_file(upload) -> list[tuple[int, dict]]:
    """The uploaded file's lines; ValidationError on ``file`` for a file that cannot be imported."""
    if upload is None:
        raise ValidationError({"file": ValidationError(_("Choose a file to upload."), code="required")})
    if upload.size > MAX_BYTES:
        raise ValidationError(
            {"file": ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})}
        )
    upload.seek(0)
    rows = read_table(upload.name, upload.read(), columns=REQUIRED_COLUMNS, aliases=ALIASES)
    if not rows:
        raise ValidationError({"file": ValidationError(_("The file has no lines below its header."), code="empty")})
    if len(rows) > MAX_LINES:
        raise ValidationError(
            {"file": ValidationError(_("At most %(n)s lines per file; split it.") % {"n": MAX_LINES}, code="too_long")}
        )
    return rows


def _check_operator(user) -> None:
    if not is_operator(user):
        raise ValidationError(_("Only operators import customers."), code="forbidden")


@dataclass
class Submitted:
    report: Report
    batch: ImportBatch | None = None


def submit(*, user, upload, now=None) -> Submitted:
    """Check the file; keep it as a batch awaiting review only when every line is right (else the
    report, and nothing is saved). ValidationError on ``file`` for a file that cannot be read."""
    _check_operator(user)
    rows = read_file(upload)
    report = check_rows(rows)
    if not report.ok:
        return Submitted(report=report)
    snapshot = [{"line": line.number, "values": line.values} for line in report.lines]
    batch = ImportBatch(
        filename=posixpath.basename(upload.name)[:255],
        rows=snapshot,
        uploaded_by=user,
        uploaded_at=now or timezone.now(),
    )
    upload.seek(0)
    with transaction.atomic():
        batch.file.save(batch.filename, upload, save=False)
        batch.save()
    return Submitted(report=report, batch=batch)


def report_of(batch: ImportBatch) -> Report:
    """The batch's lines checked again now (a pending batch shows what approval would meet)."""
    return check_rows([(row["line"], row["values"]) for row in batch.rows])


def approve(batch: ImportBatch, *, by, via: str = "web", now=None) -> ImportBatch:
    """Apply every line of the batch in one transaction, or nothing (ImportRefused with the report
    when a line no longer passes)."""
    _check_operator(by)
    if batch.uploaded_by_id == by.pk:
        raise ValidationError(_("You uploaded this batch; another operator must approve it."), code="own_batch")
    now = now or timezone.now()
    try:
        with transaction.atomic():
            batch = IMPORT.transition(
                batch, S.APPROVED, actor=by, via=via, now=now, changes={"decided_by": by}, field_name="status"
            )
            report = report_of(batch)
            if not report.ok:
                raise ImportRefused(
                    report,
                    _("%(n)s line(s) no longer pass the checks (the data changed since the upload); nothing applied.")
                    % {"n": report.bad_lines},
                )
            reason = _("Imported in batch #%(batch)s approved by %(by)s") % {
                "batch": batch.pk,
                "by": by.get_full_name() or by.email or by.get_username(),
            }
            created = []
            for line in report.lines:
                company = Company.objects.create(
                    **line.data,
                    uscc_warnings=line.warnings,
                    status=CompanyStatus.VERIFIED,
                    applied_by=batch.uploaded_by,
                    applied_at=batch.uploaded_at,
                    verified_at=now,
                )
                record_transition(
                    Step(verification.VERIFICATION, company, "", CompanyStatus.VERIFIED, by, via, reason, now)
                )
                company_imported.send(sender=Company, company=company, row=line.extra, batch=batch, by=by)
                created.append(company)
            batch.companies.add(*created)
    except IntegrityError as exc:  # a registration took a name, a code or a USCC a moment ago
        raise ValidationError(
            _("A company of this batch was registered a moment ago; nothing was applied. Reload and check."),
            code="taken",
        ) from exc
    return batch


def reject(batch: ImportBatch, *, by, reason: str, via: str = "web") -> ImportBatch:
    _check_operator(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Give a reason."), code="required")})
    return IMPORT.transition(
        batch, S.REJECTED, actor=by, via=via, reason=reason, changes={"reason": reason, "decided_by": by}
    )


def template_csv() -> str:
    """The template's header (Chinese names; English column names work too)."""
    return ",".join(CHINESE_HEADERS[c][0] for c in COLUMNS) + "\r\n"
