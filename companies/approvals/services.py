"""Purchase approval's writes: submit an order for approval at checkout, approve, reject,
expire, cancel (a deactivated buyer), and the rules' management by a company's admins.

A request's lifecycle is a kernel state machine (every move audited in core.TransitionLog):

=========  =========  ============================================================
from       to         when
=========  =========  ============================================================
pending    approved   the last step was approved and the order placed as the buyer
pending    repriced   the last step was approved but a price, the freight or the
                      stock changed since submission: nothing is placed, the buyer
                      checks the basket and submits again
pending    rejected   an approver rejected a step (with a comment)
pending    expired    nobody decided within COMPANY_APPROVAL_HOLD_HOURS
pending    cancelled  the buyer was deactivated by the company's admin
=========  =========  ============================================================

Each step is a machine of its own (waiting → approved | rejected), audited the same way.

Holds: at submission the payment sources are computed by the checkout's own
``storefront.payments.payment_sources`` under the order number the order will carry (on
account: member_tiers reserves the credit; points are redeemed), and released by
``storefront.payments.release_unplaced`` when the request ends without an order. When the order
is placed, the same sources go with it: the held credit is the order's reservation.

Baskets: the submitted lines move to a basket of their own, frozen while the request waits (so
the order number is one no earlier attempt used). When the request ends without an order the
lines go back into the buyer's open basket, so nothing is lost.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_class, get_model

from companies import selectors as company_selectors
from companies.approvals import notify
from companies.approvals import rules as approval_rules
from companies.approvals.models import (
    APPROVER_ROLES,
    ORDERING_ROLES,
    ApprovalRequest,
    ApprovalRule,
    ApprovalStep,
    Decision,
    RequestStatus,
    RuleKind,
)
from companies.models import CompanyMember, CompanyStatus, Role
from core.money import fen
from core.orders import status as order_status
from core.statemachine import StateMachine, Step, record_transition
from storefront import payments, placement

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
SourceType = get_model("payment", "SourceType")
Source = get_model("payment", "Source")
Selector = get_class("partner.strategy", "Selector")
Repository = get_class("shipping.repository", "Repository")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
OrderNumberGenerator = get_class("order.utils", "OrderNumberGenerator")
Applicator = get_class("offer.applicator", "Applicator")

SHANGHAI = ZoneInfo("Asia/Shanghai")
R = RequestStatus
REQUEST = StateMachine(
    name="purchase_approval",
    transitions={
        R.PENDING: frozenset({R.APPROVED, R.REPRICED, R.REJECTED, R.EXPIRED, R.CANCELLED}),
        R.APPROVED: frozenset(),
        R.REPRICED: frozenset(),
        R.REJECTED: frozenset(),
        R.EXPIRED: frozenset(),
        R.CANCELLED: frozenset(),
    },
    labels=dict(R.choices),
    subject=gettext_lazy("Purchase request %(subject)s"),
    state_field="status",
    timestamps={s: "decided_at" for s in (R.APPROVED, R.REPRICED, R.REJECTED, R.EXPIRED, R.CANCELLED)},
)
STEP = StateMachine(
    name="purchase_approval_step",
    transitions={
        Decision.WAITING: frozenset({Decision.APPROVED, Decision.REJECTED}),
        Decision.APPROVED: frozenset(),
        Decision.REJECTED: frozenset(),
    },
    labels=dict(Decision.choices),
    subject=gettext_lazy("Approval step %(subject)s"),
    state_field="decision",
    timestamps={Decision.APPROVED: "decided_at", Decision.REJECTED: "decided_at"},
)


def _error(field: str | None, message: str, code: str) -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


# --- evaluation at checkout ----------------------------------------------------------------


def active_rules(company) -> list[ApprovalRule]:
    """The company's active rules, in one query."""
    return list(ApprovalRule.objects.filter(company=company, is_active=True).select_related("buyer"))


def month_start(now: datetime | None = None) -> datetime:
    local = (now or timezone.now()).astimezone(SHANGHAI)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def month_spend(user, now: datetime | None = None) -> Decimal:
    """What ``user`` ordered this calendar month (Asia/Shanghai), cancelled orders aside: one
    aggregate."""
    total = (
        Order.objects.filter(user=user, date_placed__gte=month_start(now))
        .exclude(status=order_status.CANCELLED)
        .aggregate(s=Sum("total_incl_tax"))["s"]
    )
    return fen(total or Decimal("0"))


def sku_count(basket) -> int:
    return len({line.product_id for line in basket.all_lines()})


def plan_for(user, basket, shipping_charge, order_total, *, now=None):
    """(membership, facts, planned steps) for the buyer's order; no steps: no approval needed.
    Costs at most three queries whatever the number of rules: the buyer's membership (usually
    already remembered for the request), the rules, and the month's spend only when a budget
    rule exists."""
    membership = company_selectors.membership_of(user)
    if membership is None:
        return None, None, []
    rules = active_rules(membership.company_id)
    if not rules:
        return membership, None, []
    facts = approval_rules.Facts(
        buyer_id=user.pk,
        role=membership.role,
        total_incl_tax=order_total.incl_tax,
        sku_count=sku_count(basket),
        freight_incl_tax=shipping_charge.incl_tax,
        month_spend=month_spend(user, now)
        if any(approval_rules.needs_month_spend([r]) and approval_rules.applies_to(r, user.pk) for r in rules)
        else None,
    )
    return membership, facts, approval_rules.plan(rules, facts)


def _line_snapshot(basket) -> list[dict]:
    out = []
    for line in basket.all_lines():
        out.append(
            {
                "product_id": line.product_id,
                "sku": line.stockrecord.partner_sku if line.stockrecord else (line.product.upc or ""),
                "title": line.product.get_title(),
                "quantity": line.quantity,
                "unit_price_incl_tax": str(fen(line.unit_price_incl_tax)),
                "unit_price_excl_tax": str(fen(line.unit_price_excl_tax)),
                "line_price_incl_tax": str(fen(line.line_price_incl_tax)),
            }
        )
    return out


ADDRESS_SKIP = {"id", "search_text"}


def _address_snapshot(address) -> dict:
    if address is None:
        return {}
    data = {}
    for f in ShippingAddress._meta.concrete_fields:
        if f.name in ADDRESS_SKIP:
            continue
        value = getattr(address, f.attname)
        data[f.attname] = None if value is None else str(value)
    return data


def _address_from(snapshot: dict):
    return ShippingAddress(**{k: v for k, v in snapshot.items() if v is not None}) if snapshot else None


def _sources_snapshot(sources) -> list[dict]:
    return [
        {
            "code": s.source_type.code,
            "allocated": str(s.amount_allocated),
            "debited": str(s.amount_debited or 0),
            "reference": s.reference,
        }
        for s in sources
    ]


def _sources_from(request: ApprovalRequest) -> list:
    types = {t.code: t for t in SourceType.objects.filter(code__in=[s["code"] for s in request.sources])}
    return [
        Source(
            source_type=types[s["code"]],
            currency=request.currency,
            amount_allocated=Decimal(s["allocated"]),
            amount_debited=Decimal(s["debited"]),
            reference=s["reference"],
        )
        for s in request.sources
    ]


def _hold_basket(user, basket):
    """The submitted lines in a basket of their own, frozen (a never-used order number)."""
    # beside the buyer's open basket (one open per buyer): editable ("Saved") until frozen below
    held = Basket.objects.create(owner=user, status=Basket.SAVED)
    held.merge(basket, add_quantities=True)
    held.freeze()
    return held


def _thaw(request: ApprovalRequest) -> None:
    """Give the held lines back: into the buyer's open basket (made if none)."""
    held = request.basket
    if held is None or held.status != Basket.FROZEN:
        return
    target, __ = Basket.open.get_or_create(owner_id=request.buyer_id)  # one open basket per buyer
    target.merge(held, add_quantities=True)


def _release(request: ApprovalRequest) -> None:
    payments.release_unplaced(request.order_number)
    _thaw(request)


def _check_company_active(company) -> None:
    if company.status == CompanyStatus.SUSPENDED:
        raise _error(
            None, _("Your company is suspended: purchases cannot be submitted or approved."), "company_suspended"
        )


#: what ``submit`` takes of the checkout's ``build_submission()``
SUBMISSION_KEYS = ("user", "basket", "shipping_address", "shipping_method", "shipping_charge", "order_total")


def submit(
    *,
    user,
    basket,
    shipping_address,
    shipping_method,
    shipping_charge,
    order_total,
    method: str,
    session,
    order_fields: dict | None = None,
    now: datetime | None = None,
) -> ApprovalRequest | None:
    """Submit the buyer's order for approval when the company's rules ask for it (None: they do
    not, place it as usual). Holds the credit and points under the order number the order will
    carry, freezes the lines and e-mails the first step's approvers; one transaction.

    Raises ``payments.PaymentRefused`` (not enough credit …) or ``ValidationError`` (a
    suspended company); nothing is then held or frozen."""
    now = now or timezone.now()
    membership, facts, planned = plan_for(user, basket, shipping_charge, order_total, now=now)
    if not planned:
        return None
    _check_company_active(membership.company)
    with transaction.atomic():
        lines = _line_snapshot(basket)
        held = _hold_basket(user, basket)
        order_number = str(OrderNumberGenerator().order_number(held))
        sources = payments.payment_sources(
            user, session, order_number, order_total.incl_tax, order_total.currency, method
        )
        request = ApprovalRequest.objects.create(
            number=f"AP{order_number}",
            order_number=order_number,
            company=membership.company,
            buyer=user,
            basket=held,
            currency=order_total.currency or "CNY",
            lines=lines,
            sku_count=facts.sku_count,
            goods_incl_tax=fen(order_total.incl_tax - shipping_charge.incl_tax),
            goods_excl_tax=fen(order_total.excl_tax - shipping_charge.excl_tax),
            freight_incl_tax=fen(shipping_charge.incl_tax),
            freight_excl_tax=fen(shipping_charge.excl_tax),
            total_incl_tax=fen(order_total.incl_tax),
            total_excl_tax=fen(order_total.excl_tax),
            shipping_address=_address_snapshot(shipping_address),
            shipping_method_code=shipping_method.code,
            shipping_method_name=str(shipping_method.name),
            payment_method=method,
            sources=_sources_snapshot(sources),
            order_fields=order_fields or {},
            month_spend=facts.month_spend,
            submitted_at=now,
            expires_at=now + timedelta(hours=settings.COMPANY_APPROVAL_HOLD_HOURS),
        )
        for position, planned_step in enumerate(planned, start=1):
            step = ApprovalStep.objects.create(
                request=request,
                position=position,
                step=planned_step.step,
                role=planned_step.role,
                reasons=planned_step.reasons,
            )
            step.rules.set(planned_step.rules)
        record_transition(Step(REQUEST, request, "", R.PENDING, user, "web", _("Submitted for approval"), now))
        notify.step_waiting(request, request.steps.order_by("position").first())
    return request


# --- deciding ------------------------------------------------------------------------------


def current_step(request: ApprovalRequest) -> ApprovalStep | None:
    return request.steps.filter(decision=Decision.WAITING).order_by("position").first()


def refusal(user, request: ApprovalRequest, step: ApprovalStep | None) -> str | None:
    """Why ``user`` may not decide ``request``'s current ``step`` now (None: they may)."""
    if request.status != R.PENDING or step is None:
        return _("This request is “%(status)s”; there is nothing to decide.") % {"status": request.get_status_display()}
    if request.buyer_id == getattr(user, "pk", None):
        return _("You cannot approve your own purchase.")
    membership = company_selectors.membership_of(user)
    if membership is None or membership.company_id != request.company_id:
        return _("Only the people of the buyer's company may decide on this purchase.")
    if membership.company.status == CompanyStatus.SUSPENDED:
        return _("Your company is suspended: purchases cannot be submitted or approved.")
    if membership.role != step.role and membership.role != Role.ADMIN:
        return _("This step is for a %(role)s of your company.") % {"role": step.get_role_display()}
    return None


def _lock(request: ApprovalRequest) -> ApprovalRequest:
    return ApprovalRequest.objects.select_for_update(of=("self",)).select_related("company", "buyer").get(pk=request.pk)


def _checked(request, user, now, field="number") -> tuple[ApprovalRequest, ApprovalStep]:
    locked = _lock(request)
    step = current_step(locked)
    reason = refusal(user, locked, step)
    if reason is not None:
        raise _error(field, reason, "not_allowed")
    if locked.expires_at <= now:
        raise _error(field, _("This request expired; it can no longer be approved."), "expired")
    return locked, step


def approve(*, request: ApprovalRequest, actor, comment: str = "", via: str = "web", now=None) -> ApprovalRequest:
    """Approve the current step. The last approval re-prices the order: unchanged, it is placed
    as the buyer (the held credit is its reservation); changed, nothing is placed and the request
    goes back to the buyer (``repriced``), its holds released. Concurrent clicks queue on the
    request's row lock: exactly one order."""
    now = now or timezone.now()
    comment = (comment or "").strip()
    with transaction.atomic():
        locked, step = _checked(request, actor, now)
        STEP.transition(
            step,
            Decision.APPROVED,
            actor=actor,
            via=via,
            reason=comment,
            now=now,
            changes={"decided_by": actor, "comment": comment},
        )
        following = current_step(locked)
        if following is not None:
            notify.step_waiting(locked, following)
        else:
            _finish(locked, actor, via, now)
    request.refresh_from_db()
    return request


def reject(*, request: ApprovalRequest, actor, comment: str, via: str = "web", now=None) -> ApprovalRequest:
    now = now or timezone.now()
    comment = (comment or "").strip()
    if not comment:
        raise _error("comment", _("Say why you reject it."), "required")
    with transaction.atomic():
        locked, step = _checked(request, actor, now)
        STEP.transition(
            step,
            Decision.REJECTED,
            actor=actor,
            via=via,
            reason=comment,
            now=now,
            changes={"decided_by": actor, "comment": comment},
        )
        REQUEST.transition(
            locked, R.REJECTED, actor=actor, via=via, reason=comment, now=now, changes={"reason": comment}, lock=False
        )
        _release(locked)
        notify.outcome(locked)
    request.refresh_from_db()
    return request


class Repriced:
    """The order re-priced for the buyer now, and what differs from the submission."""

    def __init__(self, request: ApprovalRequest):
        self.request = request
        self.changes: list[str] = []
        buyer = request.buyer
        basket = Basket.objects.get(pk=request.basket_id)
        basket.strategy = Selector().strategy(user=buyer)
        Applicator().apply(basket, buyer, None)
        self.basket = basket
        self.address = _address_from(request.shipping_address)
        methods = Repository().get_shipping_methods(basket, shipping_addr=self.address, user=buyer)
        self.method = next((m for m in methods if m.code == request.shipping_method_code), None)
        self.charge = self.method.calculate(basket) if self.method is not None else None
        self.total = OrderTotalCalculator().calculate(basket, self.charge) if self.charge is not None else None
        self._compare()

    def _compare(self) -> None:
        request = self.request
        submitted = {(line["product_id"]): line for line in request.lines}
        lines = list(self.basket.all_lines())
        if {line.product_id for line in lines} != set(submitted):
            self.changes.append(_("the basket's products changed"))
        for line in lines:
            before = submitted.get(line.product_id)
            title = line.product.get_title()
            allowed, message = line.purchase_info.availability.is_purchase_permitted(line.quantity)
            if not allowed:
                self.changes.append(_("%(title)s: %(message)s") % {"title": title, "message": message})
            if before is None or line.unit_price_incl_tax is None:
                continue
            old = (Decimal(before["unit_price_incl_tax"]), Decimal(before["unit_price_excl_tax"]))
            new = (fen(line.unit_price_incl_tax), fen(line.unit_price_excl_tax))
            if old != new:
                self.changes.append(
                    _("%(title)s: unit price ¥%(old)s → ¥%(new)s") % {"title": title, "old": old[0], "new": new[0]}
                )
        if self.charge is None:
            self.changes.append(_("the goods can no longer be delivered to the address"))
        else:
            if fen(self.charge.incl_tax) != request.freight_incl_tax:
                self.changes.append(
                    _("freight ¥%(old)s → ¥%(new)s")
                    % {"old": request.freight_incl_tax, "new": fen(self.charge.incl_tax)}
                )
            if not self.changes and fen(self.total.incl_tax) != request.total_incl_tax:
                self.changes.append(
                    _("order total ¥%(old)s → ¥%(new)s")
                    % {"old": request.total_incl_tax, "new": fen(self.total.incl_tax)}
                )


def _finish(request: ApprovalRequest, actor, via: str, now) -> None:
    """The last step is approved: place the order as the buyer, or hand it back re-priced."""
    repriced = Repriced(request)
    if repriced.changes:
        reason = _("Prices changed since submission: %(changes)s. Check your basket and submit again.") % {
            "changes": "; ".join(repriced.changes)
        }
        REQUEST.transition(
            request, R.REPRICED, actor=actor, via=via, reason=reason, now=now, changes={"reason": reason}, lock=False
        )
        _release(request)
        notify.outcome(request)
        return
    order = placement.place(
        user=request.buyer,
        basket=repriced.basket,
        order_number=request.order_number,
        shipping_address=repriced.address,
        shipping_method=repriced.method,
        shipping_charge=repriced.charge,
        order_total=repriced.total,
        method=request.payment_method,
        sources=_sources_from(request),
        order_fields=request.order_fields,
    )
    REQUEST.transition(
        request,
        R.APPROVED,
        actor=actor,
        via=via,
        reason=_("Order %(number)s placed") % {"number": order.number},
        now=now,
        changes={"order": order},
        lock=False,
    )
    notify.outcome(request)


# --- ending without a decision -------------------------------------------------------------


def expire(request: ApprovalRequest, *, now=None) -> bool:
    """Expire one overdue request (releasing its holds); False when it is no longer pending or
    not yet due."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(request)
        if locked.status != R.PENDING or locked.expires_at > now:
            return False
        reason = _("Nobody decided within %(hours)s hours.") % {"hours": settings.COMPANY_APPROVAL_HOLD_HOURS}
        REQUEST.transition(locked, R.EXPIRED, reason=reason, now=now, changes={"reason": reason}, lock=False)
        _release(locked)
        notify.outcome(locked)
    return True


def expire_overdue(now=None) -> int:
    """Expire every overdue pending request; idempotent (the Celery beat job)."""
    now = now or timezone.now()
    due = ApprovalRequest.objects.filter(status=R.PENDING, expires_at__lte=now).order_by("expires_at", "pk")
    return sum(1 for request in due if expire(request, now=now))


def cancel_for_deactivated(member: CompanyMember, *, by=None, now=None) -> int:
    """A deactivated buyer's pending requests are cancelled: holds released, lines back in their
    basket, the company's admins told. Runs in the deactivation's transaction."""
    now = now or timezone.now()
    count = 0
    admins = list(
        CompanyMember.objects.filter(company_id=member.company_id, role=Role.ADMIN, is_active=True)
        .exclude(user_id=member.user_id)
        .select_related("user")
    )
    pending = ApprovalRequest.objects.filter(buyer_id=member.user_id, company_id=member.company_id, status=R.PENDING)
    for request in pending.order_by("pk"):
        locked = _lock(request)
        if locked.status != R.PENDING:
            continue
        reason = _("Cancelled: %(buyer)s was deactivated by the company.") % {
            "buyer": locked.buyer.get_full_name() or locked.buyer.email
        }
        REQUEST.transition(
            locked, R.CANCELLED, actor=by, via="web", reason=reason, now=now, changes={"reason": reason}, lock=False
        )
        _release(locked)
        notify.cancelled_for_deactivation(locked, admins)
        count += 1
    return count


def on_member_deactivated(sender, member, by=None, **kwargs) -> None:
    cancel_for_deactivated(member, by=by)


# --- rules ---------------------------------------------------------------------------------

RULE_FIELDS = ("kind", "threshold", "buyer_role", "buyer", "approver_role", "step", "is_active")


def _clean_rule(company, data: dict) -> dict:
    """The rule's fields checked against each other; ValidationError naming each bad field."""
    kind = data.get("kind") or ""
    threshold = data.get("threshold")
    buyer_role = data.get("buyer_role") or ""
    buyer = data.get("buyer")
    approver_role = data.get("approver_role") or ""
    step = data.get("step")
    errors: dict[str, ValidationError] = {}
    if kind not in RuleKind.values:
        errors["kind"] = ValidationError(_("Choose a kind of rule from the list."), code="invalid")
    if kind == RuleKind.ROLE:
        threshold = None
        if buyer_role not in ORDERING_ROLES:
            errors["buyer_role"] = ValidationError(
                _("Choose the role whose orders need approval (buyer or administrator)."), code="required"
            )
    elif kind in RuleKind.values:
        buyer_role = ""
        if threshold is None:
            errors["threshold"] = ValidationError(
                _("Give the amount or count above which an order needs approval."), code="required"
            )
        elif threshold < 0:
            errors["threshold"] = ValidationError(_("The threshold cannot be negative."), code="min_value")
        elif kind == RuleKind.SKU_COUNT and threshold != threshold.to_integral_value():
            errors["threshold"] = ValidationError(_("A number of SKUs is a whole number."), code="invalid")
        elif threshold != fen(threshold):
            errors["threshold"] = ValidationError(_("Amounts are in yuan to the fen."), code="invalid")
    if buyer is not None:
        if kind != RuleKind.MONTHLY_BUDGET:
            errors["buyer"] = ValidationError(_("Only a monthly budget names a buyer."), code="invalid")
        elif not CompanyMember.objects.filter(company=company, user=buyer, is_active=True).exists():
            errors["buyer"] = ValidationError(_("Choose an active person of your company."), code="invalid")
    if approver_role not in APPROVER_ROLES:
        errors["approver_role"] = ValidationError(
            _("The approving role is an approver, an administrator or finance."), code="invalid"
        )
    if step is None or step < 1 or step > 20:
        errors["step"] = ValidationError(_("The step is a number from 1 to 20."), code="invalid")
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "threshold": threshold,
        "buyer_role": buyer_role,
        "buyer": buyer,
        "approver_role": approver_role,
        "step": step,
        "is_active": bool(data.get("is_active", True)),
    }


#: a rule has no lifecycle to guard; its changes are audited under this machine's name
#: (active/inactive, the rule's wording as the reason)
RULE_LOG = StateMachine(name="purchase_approval_rule", transitions={})


def _log_rule(rule: ApprovalRule, from_state: str, to_state: str, by, reason: str) -> None:
    record_transition(Step(RULE_LOG, rule, from_state, to_state, by, "web", reason, timezone.now()))


def _rule_state(rule: ApprovalRule) -> str:
    return "active" if rule.is_active else "inactive"


def create_rule(*, company, by, **data) -> ApprovalRule:
    cleaned = _clean_rule(company, data)
    with transaction.atomic():
        rule = ApprovalRule.objects.create(company=company, created_by=by, created_at=timezone.now(), **cleaned)
        _log_rule(rule, "", _rule_state(rule), by, approval_rules.describe(rule))
    return rule


def update_rule(*, rule: ApprovalRule, by, **data) -> ApprovalRule:
    current = {name: getattr(rule, name) for name in RULE_FIELDS}
    cleaned = _clean_rule(rule.company, {**current, **data})
    with transaction.atomic():
        locked = ApprovalRule.objects.select_for_update().get(pk=rule.pk)
        before = _rule_state(locked)
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.save()
        _log_rule(locked, before, _rule_state(locked), by, approval_rules.describe(locked))
    return locked


def history_of(request: ApprovalRequest) -> list:
    """The request's audit rows and its steps', oldest first, with state labels."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import TransitionLog

    steps = {str(s.pk): s for s in request.steps.all()}
    rows = list(
        TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(ApprovalRequest), object_id=str(request.pk)
        )
        .union(
            TransitionLog.objects.filter(
                content_type=ContentType.objects.get_for_model(ApprovalStep), object_id__in=list(steps)
            )
        )
        .order_by("created_at", "id")
    )
    actors = {u.pk: u for u in _users({row.actor_id for row in rows if row.actor_id})}
    labels = {**dict(R.choices), **dict(Decision.choices)}
    for row in rows:
        row.step = steps.get(row.object_id) if row.machine == STEP.name else None
        row.actor_obj = actors.get(row.actor_id)
        row.from_label = labels.get(row.from_state, row.from_state or "—")
        row.to_label = labels.get(row.to_state, row.to_state)
    return rows


def _users(ids):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk__in=ids) if ids else []
