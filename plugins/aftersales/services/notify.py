"""Who hears about an after-sales step, through the kernel's outbox (portal notifications): the
supplier's staff when the buyer acts (a new request, a cancellation, goods sent back), the buyer
who asked when the supplier or finance acts."""

from django.utils import translation
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core import outbox
from plugins.aftersales.models import AfterSalesRequest, State

Partner = get_model("partner", "Partner")

#: steps the supplier hears about; every other step is news for the buyer
SUPPLIER_STEPS = {State.REQUESTED, State.CANCELLED, State.RETURN_SHIPPED}


def _text(req: AfterSalesRequest, step: str) -> tuple[str, str]:
    # stored in the platform language (Chinese): read later, by someone else
    with translation.override("zh-hans"):
        subjects = {
            State.REQUESTED: _("After-sales request %(number)s for supplier order %(so)s"),
            State.CANCELLED: _("After-sales request %(number)s was cancelled by the buyer"),
            State.RETURN_SHIPPED: _("After-sales request %(number)s: the goods were sent back"),
            State.APPROVED: _("Your after-sales request %(number)s was approved"),
            State.REJECTED: _("Your after-sales request %(number)s was rejected"),
            State.RETURN_RECEIVED: _("After-sales request %(number)s: the supplier received the goods"),
            State.REFUNDING: _("After-sales request %(number)s: the refund is with finance"),
            State.REFUNDED: _("After-sales request %(number)s was refunded"),
            State.CLOSED: _("After-sales request %(number)s is closed"),
        }
        subject = str(subjects[step]) % {"number": req.number, "so": req.supplier_order.number}
        lines = [subject, "", f"{req.get_kind_display()} · {req.get_reason_display()}"]
        lines += [
            f"{line.supplier_order_line.sku} {line.supplier_order_line.name} × {line.quantity}"
            for line in req.lines.all()
        ]
        if req.refund_amount:
            lines.append(_("Refund amount: ¥%(amount)s") % {"amount": req.refund_amount})
        if req.rejection_reason:
            lines.append(_("Reason: %(reason)s") % {"reason": req.rejection_reason})
        return subject, "\n".join(str(x) for x in lines)


def notify(req: AfterSalesRequest, step: str) -> int:
    """Write the outbox messages of one step (idempotent by key: a retried step sends nothing twice)."""
    if step in SUPPLIER_STEPS:
        recipients = [
            str(pk)
            for pk in Partner.users.through.objects.filter(partner_id=req.partner_id)
            .order_by("user_id")
            .values_list("user_id", flat=True)
        ]
    else:
        buyer = req.created_by_id or req.order.user_id
        recipients = [str(buyer)] if buyer else []
    subject, body = _text(req, step)
    return outbox.enqueue_many(
        outbox.Message(
            dedup_key=f"{req.number}:aftersales.{step}:notification:{user_id}",
            topic=f"aftersales.{step}",
            channel="notification",
            recipient=user_id,
            payload={"subject": subject, "body": body},
            reference=req.number,
            subject=req,
            partner=req.partner,
        )
        for user_id in recipients
    )
