"""Read side of companies: whose company, which role, who may do what; scoped to the asker.

``membership_of(user)`` is the one lookup (remembered on the user object for the request); the
rest ask it. ``can(user, action, company)`` is the role check views and GraphQL share.
"""

import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from companies.models import (
    Company,
    CompanyAddress,
    CompanyInvitation,
    CompanyMember,
    CompanyStatus,
    ImportBatch,
    InvitationStatus,
    Role,
)
from companies.uscc import normalise
from core.access import is_operator
from core.plugins import provider

_UNSET = object()

#: action → roles of the company's own people allowed to do it (operators may do every action)
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "view_company": frozenset(Role.values),
    "view_people": frozenset({Role.ADMIN}),
    "manage_people": frozenset({Role.ADMIN}),
    "view_licence": frozenset({Role.ADMIN}),
    "reapply": frozenset({Role.ADMIN}),
    "order": frozenset({Role.ADMIN, Role.BUYER}),
    # every order of the company; the other people see the orders they placed themselves
    "view_company_orders": frozenset({Role.ADMIN, Role.APPROVER, Role.FINANCE, Role.READ_ONLY}),
    "view_addresses": frozenset(Role.values),
    "manage_addresses": frozenset({Role.ADMIN}),
    "view_approval_rules": frozenset({Role.ADMIN, Role.APPROVER, Role.FINANCE}),
    "manage_approval_rules": frozenset({Role.ADMIN}),
}


def membership_of(user) -> CompanyMember | None:
    """The user's active membership of a company (with the company), or None."""
    if user is None or not user.is_authenticated:
        return None
    cached = getattr(user, "_company_membership", _UNSET)
    if cached is _UNSET:
        cached = CompanyMember.objects.select_related("company").filter(user=user, is_active=True).first()
        user._company_membership = cached
    return cached


def forget(user) -> None:
    """Drop the remembered membership (after a change in the same request)."""
    if user is not None and hasattr(user, "_company_membership"):
        del user._company_membership


def company_of(user) -> Company | None:
    membership = membership_of(user)
    return membership.company if membership else None


def role_of(user) -> str | None:
    membership = membership_of(user)
    return membership.role if membership else None


def can(user, action: str, company: Company | None = None) -> bool:
    """Whether ``user`` may do ``action`` (a key of ROLE_ACTIONS) for ``company`` (default: their
    own). Operators may do everything; a person only for their own company, by role."""
    if action not in ROLE_ACTIONS:
        raise ValueError(f"unknown company action {action!r}")
    if is_operator(user):
        return True
    membership = membership_of(user)
    if membership is None:
        return False
    if company is not None and membership.company_id != company.pk:
        return False
    return membership.role in ROLE_ACTIONS[action]


def order_scope(user, prefix: str = "") -> Q:
    """The orders ``user`` may see as a buyer, as a filter (``prefix`` reaches the order from
    another model, e.g. ``"order__"``): all of their company's when their role sees the company's
    orders, else those they placed for it; and the orders they placed before belonging to any
    company. A deactivated person keeps only the latter. Nothing for a visitor."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    membership = membership_of(user)
    own_before = Q(**{f"{prefix}user": user, f"{prefix}company__isnull": True})
    if membership is None:
        return own_before
    company = Q(**{f"{prefix}company_id": membership.company_id})
    if membership.role in ROLE_ACTIONS["view_company_orders"]:
        return company | own_before
    return (company & Q(**{f"{prefix}user": user})) | own_before


def sees_company_orders(user) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role in ROLE_ACTIONS["view_company_orders"]


def ordering_refusal(user) -> str | None:
    """Why ``user`` may not place an order now, in their language; None when they may.

    Every order belongs to a company: a person orders for their company, with a role that orders,
    while it is neither suspended nor rejected; whether an application awaiting verification may
    order (by transfer) is the setting COMPANY_VERIFICATION_REQUIRED_TO_ORDER."""
    membership = membership_of(user)
    if membership is None:
        return _("Register your company before ordering: every order is placed for a company.")
    company = membership.company
    if company.status == CompanyStatus.SUSPENDED:
        return _("%(company)s is suspended and cannot order until it is reinstated.") % {"company": company}
    if company.status == CompanyStatus.REJECTED:
        return _("The application of %(company)s was rejected; correct it and apply again before ordering.") % {
            "company": company
        }
    if membership.role not in ROLE_ACTIONS["order"]:
        return _("As %(role)s of %(company)s you cannot place orders; ask your company's administrator.") % {
            "role": membership.get_role_display(),
            "company": company,
        }
    if settings.COMPANY_VERIFICATION_REQUIRED_TO_ORDER and company.status != CompanyStatus.VERIFIED:
        return _("%(company)s is awaiting verification; ordering opens once it is verified.") % {"company": company}
    return None


def on_account_refusal(user) -> str | None:
    """Why ``user`` may not order on account (赊销) now; None when they may: on account needs a
    verified company on top of everything ordering needs."""
    refusal = ordering_refusal(user)
    if refusal:
        return refusal
    company = company_of(user)
    if company.status != CompanyStatus.VERIFIED:
        return _("Ordering on account opens once %(company)s is verified; pay by bank transfer meanwhile.") % {
            "company": company
        }
    return terms_refusal(company)


def terms_refusal(company: Company | None) -> str | None:
    """Why ``company``'s credit line and tier do not apply yet (a plugin's ``terms_gate``), or None."""
    if company is None:
        return None
    gate = provider("terms_gate")
    return gate(company) if gate is not None else None


def may_order_on_account(user) -> bool:
    return on_account_refusal(user) is None


def may_order(user) -> bool:
    return ordering_refusal(user) is None


def recent_orders(company: Company, limit: int = 20):
    """The company's latest orders with who placed each (one query), for the back office."""
    from oscar.core.loading import get_model

    Order = get_model("order", "Order")
    return Order.objects.filter(company=company).select_related("user").order_by("-date_placed", "-id")[:limit]


def find_company(key: str) -> Company | None:
    """The company an import line names: by USCC (normalised), customer code, or the e-mail of
    one of its active people."""
    key = (key or "").strip()
    if not key:
        return None
    if "@" in key:
        member = CompanyMember.objects.select_related("company").filter(user__email__iexact=key, is_active=True).first()
        return member.company if member else None
    return (
        Company.objects.filter(uscc=normalise(key)).first()
        or Company.objects.filter(customer_code__iexact=key).exclude(customer_code="").first()
    )


def people(company: Company) -> QuerySet[CompanyMember]:
    return company.members.select_related("user", "added_by").order_by("-is_active", "added_at", "id")


def own_members(user) -> QuerySet[CompanyMember]:
    """The people a user may manage: those of their own company if they are its admin."""
    membership = membership_of(user)
    if membership is None or membership.role != Role.ADMIN:
        return CompanyMember.objects.none()
    return people(membership.company)


def _admin_company(user) -> Company | None:
    membership = membership_of(user)
    if membership is None or membership.role != Role.ADMIN:
        return None
    return membership.company


def own_invitations(user) -> QuerySet[CompanyInvitation]:
    """The invitations a user may manage: their company's, if they are its admin (else none)."""
    company = _admin_company(user)
    if company is None:
        return CompanyInvitation.objects.none()
    return CompanyInvitation.objects.filter(company=company).select_related("invited_by", "accepted_by")


def pending_invitations(user) -> QuerySet[CompanyInvitation]:
    """Pending invitations (the expired ones too: they may be resent), newest first."""
    return own_invitations(user).filter(status=InvitationStatus.PENDING).order_by("-created_at", "-id")


def handover_recipient(member: CompanyMember, by):
    """Who takes over the work of ``member`` (deactivated by ``by``): ``by`` if they are an active
    admin of the same company, else the company's longest-serving active admin; None if none."""
    admins = CompanyMember.objects.filter(company_id=member.company_id, role=Role.ADMIN, is_active=True).exclude(
        user_id=member.user_id
    )
    if by is not None and getattr(by, "is_authenticated", False) and admins.filter(user=by).exists():
        return by
    first = admins.select_related("user").order_by("added_at", "id").first()
    return first.user if first else None


def company_addresses(user) -> QuerySet[CompanyAddress]:
    """The shared address book of the user's company (any active member reads it); none else."""
    membership = membership_of(user)
    if membership is None or not can(user, "view_addresses", membership.company):
        return CompanyAddress.objects.none()
    return CompanyAddress.objects.filter(company=membership.company).order_by("-is_default", "label", "id")


def own_addresses(user) -> QuerySet[CompanyAddress]:
    """The shared addresses a user may change: their company's, if they are its admin."""
    company = _admin_company(user)
    if company is None:
        return CompanyAddress.objects.none()
    return CompanyAddress.objects.filter(company=company).order_by("-is_default", "label", "id")


def shipping_addresses(user) -> QuerySet[CompanyAddress]:
    """The shared addresses a user may ship to at checkout: an active member whose role orders."""
    membership = membership_of(user)
    if membership is None or membership.role not in ROLE_ACTIONS["order"]:
        return CompanyAddress.objects.none()
    return company_addresses(user)


def licence_company(user, pk) -> Company | None:
    """The company whose licence ``user`` may download: operators any, a company's admins their
    own; None otherwise (the view answers 404, as for a company that does not exist)."""
    company = Company.objects.filter(pk=pk).exclude(licence="").first()
    if company is None or not can(user, "view_licence", company):
        return None
    return company


# --- back office ----------------------------------------------------------------------------


def companies_for_operator(*, status: str = "", province: str = "", search: str = "") -> QuerySet[Company]:
    qs = Company.objects.annotate(
        people_count=Count("members", filter=Q(members__is_active=True)),
    ).order_by("legal_name")
    if status:
        qs = qs.filter(status=status)
    if province:
        qs = qs.filter(province=province)
    search = (search or "").strip()
    if search:
        qs = qs.filter(
            Q(legal_name__icontains=search) | Q(uscc__icontains=normalise(search)) | Q(customer_code__icontains=search)
        )
    return qs


def verification_queue() -> QuerySet[Company]:
    """Applications waiting for an operator, oldest first."""
    return Company.objects.filter(status=CompanyStatus.APPLIED).order_by("applied_at", "id")


@dataclass(frozen=True)
class Duplicates:
    """Other companies an application may duplicate (the database refuses the same USCC)."""

    same_name: list[Company]
    same_phone: list[Company]

    def __bool__(self):
        return bool(self.same_name or self.same_phone)


def name_key(legal_name: str) -> str:
    text = unicodedata.normalize("NFKC", legal_name or "").lower()
    return "".join(c for c in text if not c.isspace())


def duplicates(company: Company) -> Duplicates:
    others = Company.objects.exclude(pk=company.pk)
    same_name = list(others.filter(name_key=name_key(company.legal_name)))
    same_phone = list(others.filter(contact_phone=company.contact_phone)) if company.contact_phone else []
    return Duplicates(same_name, same_phone)


def duplicate_flags(companies) -> dict[int, bool]:
    """company id → whether another company shares its phone (two queries for a page)."""
    companies = list(companies)
    phones = {c.contact_phone for c in companies if c.contact_phone}
    counts = dict(
        Company.objects.filter(contact_phone__in=phones)
        .values("contact_phone")
        .annotate(n=Count("id"))
        .values_list("contact_phone", "n")
    )
    return {c.pk: counts.get(c.contact_phone, 0) > 1 for c in companies}


def status_history(company: Company) -> list:
    """The company's verification steps, oldest first, with their states' labels."""
    from core.statemachine import history

    labels = dict(CompanyStatus.choices)
    rows = list(history(company).select_related("actor"))
    for row in rows:
        row.from_label = str(labels.get(row.from_state, row.from_state or "—"))
        row.to_label = str(labels.get(row.to_state, row.to_state))
    return rows


def import_batches():
    """Customer import batches (operators'), newest first, with who uploaded and reviewed them."""
    return ImportBatch.objects.select_related("uploaded_by", "decided_by").order_by("-uploaded_at", "-id")
