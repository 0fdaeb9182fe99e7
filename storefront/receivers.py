"""What the storefront does when companies says so: a deactivated person's open baskets go to an
administrator of their company (``companies.signals.member_deactivated``, inside the
deactivation's transaction: if the hand-over fails, the person stays active)."""

from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from companies import selectors
from companies.signals import member_deactivated
from storefront.services import basket


@receiver(member_deactivated, dispatch_uid="storefront.hand_over_baskets")
def hand_over_baskets(sender, member, by, **kwargs):
    """Merge the person's basket lines into the basket of the admin who deactivated them (or, when
    an operator did, of the company's longest-serving active admin); say so in one sentence."""
    recipient = selectors.handover_recipient(member, by)
    if recipient is None:
        return None
    person = member.user.get_full_name() or member.user.email
    done = basket.hand_over(
        from_user=member.user,
        to_user=recipient,
        actor=by,
        reason=_("%(person)s was deactivated") % {"person": person},
    )
    if not done.lines:
        return None
    values = {"n": done.lines, "items": done.items, "person": person, "admin": recipient.email}
    if recipient == by:
        return (
            ngettext(
                "%(n)d line of %(person)s's basket (%(items)d items) moved to your basket.",
                "%(n)d lines of %(person)s's basket (%(items)d items) moved to your basket.",
                done.lines,
            )
            % values
        )
    return (
        ngettext(
            "%(n)d line of %(person)s's basket (%(items)d items) moved to the basket of %(admin)s.",
            "%(n)d lines of %(person)s's basket (%(items)d items) moved to the basket of %(admin)s.",
            done.lines,
        )
        % values
    )
