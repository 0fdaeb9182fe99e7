"""companies listening to itself: a deactivated admin's pending invitations are revoked with them
(an invitation speaks for the admin who sent it; another admin resends it to make it theirs)."""

from django.dispatch import receiver
from django.utils.translation import ngettext

from companies.signals import member_deactivated


@receiver(member_deactivated, dispatch_uid="companies.revoke_invitations_of_deactivated")
def revoke_their_invitations(sender, member, by, **kwargs):
    from companies.services import invitations

    count = invitations.revoke_sent_by(user=member.user, company=member.company, by=by)
    if not count:
        return None
    person = member.user.get_full_name() or member.user.email
    return ngettext(
        "%(n)d invitation sent by %(person)s was revoked.",
        "%(n)d invitations sent by %(person)s were revoked.",
        count,
    ) % {"n": count, "person": person}
