"""Demo data of this area (called by plugins.finance.demo in area order, last): last month's
statement of a demo company (confirmed by its admin), of a demo supplier (disputed by its staff,
so the back office's disputes queue has a work item) and of another company awaiting its answer.
``close_month`` (finance's ``demo_finish``, after every plugin's demo) closes the month before last
(结账), when nothing of it is left unposted."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.access import supplier_partner_ids
from core.demo import data
from plugins.finance.models import ClosedPeriod, Statement
from plugins.finance.services import statements
from plugins.finance.services.ledger import business_date


def seed(report, *, now, rng) -> None:
    """Add this area's demo rows; ``report.notes`` gets one line saying what was added."""
    if Statement.objects.exists():
        return
    from companies.models import CompanyMember, Role

    User = get_user_model()
    operator = User.objects.filter(email=f"{data.OPERATOR[0]}@{data.EMAIL_DOMAIN}").first()
    if operator is None:
        return
    today = business_date(now)
    last_end = today.replace(day=1) - timedelta(days=1)
    last_start = last_end.replace(day=1)
    Order = get_model("order", "Order")
    preferred = list(
        CompanyMember.objects.filter(
            user__email__in=[f"{k}@{data.EMAIL_DOMAIN}" for k in ("hongda", "hengxin")], role=Role.ADMIN
        )
        .order_by("user__email")  # hengxin, hongda
        .values_list("company_id", flat=True)
    )[::-1]
    with_orders = list(
        Order.objects.filter(company__isnull=False).values_list("company_id", flat=True).distinct().order_by()[:2]
    )
    company_ids = list(dict.fromkeys(preferred + with_orders))[:2]
    admins = {
        m.company_id: m.user
        for m in CompanyMember.objects.filter(
            company_id__in=company_ids, role=Role.ADMIN, is_active=True
        ).select_related("user", "company")
    }
    made = []
    for n, company_id in enumerate(company_ids):
        admin = admins.get(company_id)
        if admin is None:
            continue
        s = statements.issue_statement(admin_company(admin), last_start, last_end, operator)
        if n == 0:
            statements.confirm(s, by=admin)
        made.append(s)
    Partner = get_model("partner", "Partner")
    supplier = (
        Partner.objects.filter(code="jg", users__isnull=False).first()
        or Partner.objects.filter(users__isnull=False).order_by("pk").first()
    )
    if supplier is not None:
        s = statements.issue_statement(supplier, last_start, last_end, operator)
        made.append(s)
        staff = next((u for u in supplier.users.order_by("pk") if supplier.pk in supplier_partner_ids(u)), None)
        if staff is not None:
            statements.dispute(s, reason=_("The payout of the last batch is missing from the statement."), by=staff)
    report.notes.append(_("Statements: %(count)d issued (one confirmed, one disputed).") % {"count": len(made)})


def close_month(report, *, now) -> None:
    """Close the month before last (结账) once every plugin's demo has posted its history: an entry
    written into a closed month is a problem ``finance_check`` reports."""
    operator = get_user_model().objects.filter(email=f"{data.OPERATOR[0]}@{data.EMAIL_DOMAIN}").first()
    if operator is None or ClosedPeriod.objects.exists():
        return
    last_start = (business_date(now).replace(day=1) - timedelta(days=1)).replace(day=1)
    before_last = (last_start - timedelta(days=1)).replace(day=1)
    try:
        closed = str(statements.close_period(before_last, by=operator))
    except ValidationError:
        closed = "—"
    report.notes.append(_("Closed month: %(month)s.") % {"month": closed})


def admin_company(user):
    from plugins.finance.access import company_for_finance

    return company_for_finance(user)
