"""Signals of companies, for the parts that keep work of a person (baskets, approvals).

``member_deactivated(sender=CompanyMember, member, by)`` is sent inside the deactivation's
transaction, after the member row is saved: a receiver that raises undoes the deactivation.
A receiver may return a sentence for the person who deactivated them (what happened to the
person's work); ``people.deactivate`` hands them to the page as ``member.handed_over``.
"""

from django.dispatch import Signal

member_deactivated = Signal()
