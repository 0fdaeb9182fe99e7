"""Parties and access: who is asking, and what they may reach.

One definition of each party, used by views, GraphQL and selectors alike:

============  =====================================================================================
party         who
============  =====================================================================================
operator      an active staff user who is a superuser or in the ``operators`` group: runs the
              platform's back office
salesperson   an active staff user who is not an operator (or anyone in the ``salespeople`` group):
              sees member pages of the customers they own, nothing else of the back office
supplier      an active non-staff user with ``partner.dashboard_access`` who belongs to a supplier
              (``Partner.users``): the supplier portal, their own products and freight templates
distributor   any other signed-in user: the storefront, their own orders
anonymous     not signed in
============  =====================================================================================

A user has exactly one party (``party_of``); the checks below are the only ones the code uses.
Which party may open which page is declared per URL name (``PluginAppConfig.access``, with the
party sets below) and enforced by core.urlaccess. This module imports no model at import time,
so an AppConfig module may import its constants.
"""

from django.db.models import QuerySet
from oscar.core.loading import get_model

OPERATOR = "operator"
SALESPERSON = "salesperson"
SUPPLIER = "supplier"
DISTRIBUTOR = "distributor"
ANONYMOUS = "anonymous"
PARTIES = (OPERATOR, SALESPERSON, SUPPLIER, DISTRIBUTOR, ANONYMOUS)

#: Party sets used in the access declarations (``PluginAppConfig.access``).
OPERATORS = (OPERATOR,)
BACK_OFFICE = (OPERATOR, SALESPERSON)  # member pages: a salesperson's are scoped to their customers
PORTAL = (OPERATOR, SUPPLIER)  # supplier pages: a supplier's are scoped to its own rows
SIGNED_IN = (OPERATOR, SALESPERSON, SUPPLIER, DISTRIBUTOR)
# storefront membership pages (account, addresses, order history, checkout, quick order, tokens):
# supplier staff work in their portal, so these answer them with the 403 page and a way back there
MEMBERS = (OPERATOR, SALESPERSON, DISTRIBUTOR)
EVERYONE = PARTIES

OPERATORS_GROUP = "operators"
SALESPEOPLE_GROUP = "salespeople"


def _group_names(user) -> frozenset[str]:
    cached = getattr(user, "_party_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._party_groups = cached
    return cached


def in_group(user, name: str) -> bool:
    """Whether ``user`` belongs to the group ``name`` (groups read once per user object)."""
    return _signed_in(user) and name in _group_names(user)


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_operator(user) -> bool:
    return _signed_in(user) and user.is_staff and (user.is_superuser or OPERATORS_GROUP in _group_names(user))


def operator_users() -> QuerySet:
    """Every operator (active staff, superuser or in the operators group): whom alerts go to."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    operators = Q(is_superuser=True) | Q(groups__name=OPERATORS_GROUP)
    return get_user_model().objects.filter(operators, is_active=True, is_staff=True).distinct()


def is_salesperson(user) -> bool:
    if not _signed_in(user) or is_operator(user):
        return False
    return user.is_staff or SALESPEOPLE_GROUP in _group_names(user)


def supplier_partners(user) -> QuerySet:
    """The suppliers (Oscar partners) a user acts for: none unless the user is supplier staff."""
    Partner = get_model("partner", "Partner")
    if not _signed_in(user) or user.is_staff or not user.has_perm("partner.dashboard_access"):
        return Partner.objects.none()
    return Partner.objects.filter(users=user)


def supplier_partner_ids(user) -> frozenset[int]:
    """The ids of ``supplier_partners(user)``, remembered on the user object (one request)."""
    cached = getattr(user, "_party_partner_ids", None)
    if cached is None:
        cached = frozenset()
        if _signed_in(user) and not user.is_staff:
            Partner = get_model("partner", "Partner")
            ids = frozenset(Partner.objects.filter(users=user).values_list("pk", flat=True))
            # the permission is read only for a user some partner lists (most users: none)
            if ids and user.has_perm("partner.dashboard_access"):
                cached = ids
        if user is not None and user.is_authenticated:
            user._party_partner_ids = cached
    return cached


def is_supplier_staff(user) -> bool:
    return bool(supplier_partner_ids(user))


def is_distributor(user) -> bool:
    return _signed_in(user) and party_of(user) == DISTRIBUTOR


def party_of(user) -> str:
    """The user's party (remembered on the user object, which lives for one request)."""
    cached = getattr(user, "_party", None)
    if cached is not None:
        return cached
    if not _signed_in(user):
        party = ANONYMOUS
    elif is_operator(user):
        party = OPERATOR
    elif is_salesperson(user):
        party = SALESPERSON
    elif is_supplier_staff(user):
        party = SUPPLIER
    else:
        party = DISTRIBUTOR
    if user is not None:
        user._party = party
    return party
