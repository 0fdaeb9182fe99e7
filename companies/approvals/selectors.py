"""What each person may see of purchase approval, scoped in the query (never in templates).

* a company's rules: its admins, approvers and finance (``view_approval_rules``); operators;
* a request: its buyer, and the company's admins, approvers and finance; nobody else — another
  company's request is the same as a missing one;
* waiting for me: the company's pending requests whose current step is for the asker's role
  (admins: every step), never the asker's own.
"""

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from companies import selectors as company_selectors
from companies.approvals.models import ApprovalRequest, ApprovalRule, ApprovalStep, Decision, RequestStatus
from companies.models import Role

#: roles that see all of their company's requests (a buyer sees their own)
OVERSEEING_ROLES = frozenset({Role.ADMIN, Role.APPROVER, Role.FINANCE})


def _with_steps(qs: QuerySet[ApprovalRequest]) -> QuerySet[ApprovalRequest]:
    return qs.select_related("company", "buyer", "order").prefetch_related(
        Prefetch("steps", queryset=ApprovalStep.objects.select_related("decided_by").order_by("position"))
    )


def rules_of(user) -> QuerySet[ApprovalRule]:
    membership = company_selectors.membership_of(user)
    if membership is None or not company_selectors.can(user, "view_approval_rules", membership.company):
        return ApprovalRule.objects.none()
    return company_rules(membership.company)


def managed_rules(user) -> QuerySet[ApprovalRule]:
    """The rules ``user`` may change: their company's, if they are its admin."""
    membership = company_selectors.membership_of(user)
    if membership is None or not company_selectors.can(user, "manage_approval_rules", membership.company):
        return ApprovalRule.objects.none()
    return company_rules(membership.company)


def company_rules(company) -> QuerySet[ApprovalRule]:
    return (
        ApprovalRule.objects.filter(company=company)
        .select_related("buyer", "created_by")
        .order_by("-is_active", "step", "id")
    )


def visible_requests(user) -> QuerySet[ApprovalRequest]:
    membership = company_selectors.membership_of(user)
    if membership is None:
        return ApprovalRequest.objects.none()
    qs = ApprovalRequest.objects.filter(company_id=membership.company_id)
    if membership.role not in OVERSEEING_ROLES:
        qs = qs.filter(buyer=user)
    return _with_steps(qs)


def request_for(user, number: str) -> ApprovalRequest | None:
    return visible_requests(user).filter(number=number).first()


def my_requests(user) -> QuerySet[ApprovalRequest]:
    membership = company_selectors.membership_of(user)
    if membership is None:
        return ApprovalRequest.objects.none()
    return _with_steps(ApprovalRequest.objects.filter(company_id=membership.company_id, buyer=user))


def waiting_for(user) -> QuerySet[ApprovalRequest]:
    membership = company_selectors.membership_of(user)
    if membership is None or membership.role not in OVERSEEING_ROLES:
        return ApprovalRequest.objects.none()
    current_role = Subquery(
        ApprovalStep.objects.filter(request=OuterRef("pk"), decision=Decision.WAITING)
        .order_by("position")
        .values("role")[:1]
    )
    qs = (
        ApprovalRequest.objects.filter(company_id=membership.company_id, status=RequestStatus.PENDING)
        .exclude(buyer=user)
        .annotate(current_role=current_role)
    )
    if membership.role != Role.ADMIN:
        qs = qs.filter(current_role=membership.role)
    return _with_steps(qs.order_by("expires_at", "pk"))


def company_requests(company) -> QuerySet[ApprovalRequest]:
    """A company's requests, for operators (read-only)."""
    return _with_steps(ApprovalRequest.objects.filter(company=company))


def filter_status(qs: QuerySet[ApprovalRequest], status: str) -> QuerySet[ApprovalRequest]:
    return qs.filter(status=status) if status in RequestStatus.values else qs
