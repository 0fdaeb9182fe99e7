from django import template

from plugins.member_tiers import conf
from plugins.member_tiers.services import checkout, points

register = template.Library()


@register.inclusion_tag("member_tiers/partials/price_note.html")
def member_price_note(price):
    """The tier label and the saving against list price, when a member price applies."""
    resolution = getattr(price, "resolution", None)
    return {"resolution": resolution if resolution and resolution.saving > 0 else None}


@register.inclusion_tag("member_tiers/partials/points_redeem.html", takes_context=True)
def member_points_redeem(context, order_total):
    request = context["request"]
    from plugins.member_tiers.models import Membership

    membership = Membership.objects.filter(user=request.user).first() if request.user.is_authenticated else None
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
