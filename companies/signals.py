"""Signals of companies, for the parts that keep work of a person (baskets, approvals).

``member_deactivated(sender=CompanyMember, member, by)`` is sent inside the deactivation's
transaction, after the member row is saved: a receiver that raises undoes the deactivation.
A receiver may return a sentence for the person who deactivated them (what happened to the
person's work); ``people.deactivate`` hands them to the page as ``member.handed_over``.
"""

from django.dispatch import Signal

member_deactivated = Signal()

#: ``company_imported(sender=Company, company, row, batch, by)``: a company was created by an
#: approved import batch (companies.services.imports), inside the approval's transaction; ``row``
#: holds the line's cleaned extra columns (``grade``, ``salesperson`` — a user or None). Plugins
#: keep what is theirs (member_tiers: the value grade and the salesperson); a receiver that
#: raises a ValidationError undoes the whole approval.
company_imported = Signal()
