from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from plugins.member_tiers import conf
from plugins.member_tiers.selectors import membership_of_user
from plugins.member_tiers.services import checkout, points

register = template.Library()


def _yuan(amount) -> str:
    # the same output as Oscar's currency filter for CNY (¤#,##0.00), without Babel's cost per call
    return f"¥{amount:,.2f}"


@register.simple_tag
def member_price_note(price):
    """The tier label and the saving against list price, when a member price applies.

    Rendered once per product card, so it is built in Python rather than by an included template.
    """
    resolution = getattr(price, "resolution", None)
    if resolution is None or resolution.saving <= 0:
        return ""
    return format_html(
        '<p class="member-price small mb-1"><span class="badge badge-warning">{}</span> '
        '<del class="text-muted">{}</del> {}</p>',
        resolution.tier_name,
        _yuan(resolution.list_price),
        _("You save %(saving)s") % {"saving": _yuan(resolution.saving)},
    )


@register.inclusion_tag("member_tiers/partials/price_breaks.html", takes_context=True)
def member_price_breaks(context, session):
    """The signed-in buyer's quantity-break table (阶梯价) for the product of the page, from the
    smallest quantity its offer may be ordered in; nothing when one price holds for every quantity."""
    request, product = context.get("request"), context.get("product")
    if request is None or not request.user.is_authenticated:
        return {"rows": []}  # visitors pay the list price at every quantity
    book = getattr(getattr(request, "strategy", None), "price_book", None)
    if book is None or product is None or session.stockrecord is None or not session.price.exists:
        return {"rows": []}
    start = getattr(session.availability, "smallest_quantity", 1)
    found = book.breaks(product, session.stockrecord, start)
    if len(found) < 2:
        return {"rows": []}
    rows = [
        {"from": quantity, "to": following[0] - 1 if following else None, "price": _yuan(price)}
        for (quantity, price), following in zip(found, [*found[1:], None], strict=True)
    ]
    return {"rows": rows}


@register.inclusion_tag("member_tiers/partials/points_redeem.html", takes_context=True)
def member_points_redeem(context, order_total):
    request = context["request"]
    membership = membership_of_user(request.user)
    if membership is None or order_total is None:
        return {"membership": None}
    wanted = checkout.requested_points(request.session)
    value = points.value_of(wanted)
    return {
        "membership": membership,
        "max_points": points.redeemable(membership, order_total.incl_tax),
        "wanted": wanted,
        "value": value,
        "to_pay": order_total.incl_tax - value,
        "cap_percent": conf.points_redeem_cap_percent(),
        "per_yuan": conf.points_per_yuan_redeemed(),
        "csrf_token": context.get("csrf_token"),
    }
