"""Who may use a GraphQL field: the parties of ``core.access``, checked in one place.

A field (query or mutation) declares who may use it as

* a tuple of parties: ``(OPERATOR,)``, ``(OPERATOR, SUPPLIER)``, or ``SIGNED_IN`` (every party but
  anonymous); or
* a predicate ``user -> bool`` for the rare rule no party list states.

``require(info, allowed)`` returns the signed-in user or raises the API's one top-level error:
``unauthenticated`` when nobody is signed in, ``forbidden`` (one message, in the user's language)
when the asker's party is not allowed. Objects are then looked up *scoped to the asker*, so an
allowed party still reaches only its own rows (``not_found`` otherwise, see
``core.graphql.mutations.lookup``).

Queries use ``@requires(...)`` on the resolver; mutations declare ``allowed`` on
``core.graphql.mutations.PlatformMutation``.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from core.access import DISTRIBUTOR, OPERATOR, SALESPERSON, SUPPLIER, party_of
from core.graphql.errors import forbidden_error, unauthenticated_error

SIGNED_IN = (OPERATOR, SALESPERSON, SUPPLIER, DISTRIBUTOR)

Allowed = Iterable[str] | Callable[[object], bool]


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def permitted(user, allowed: Allowed) -> bool:
    """Whether a signed-in ``user`` may use a field open to ``allowed``."""
    if callable(allowed):
        return bool(allowed(user))
    return party_of(user) in tuple(allowed)


def require(info, allowed: Allowed = SIGNED_IN):
    """The asking user if ``allowed``; else a top-level ``unauthenticated`` or ``forbidden`` error."""
    user = info.context.user
    if not _signed_in(user):
        raise unauthenticated_error()
    if not permitted(user, allowed):
        raise forbidden_error()
    return user


def requires(*parties: str, predicate: Callable[[object], bool] | None = None):
    """Guard a query resolver: ``@requires(OPERATOR, SALESPERSON)`` or ``@requires(predicate=…)``.

    The guard runs before the resolver; the resolver then scopes what it reads to the asker."""
    if bool(parties) == (predicate is not None):
        raise TypeError("requires() takes parties or a predicate")
    allowed: Allowed = predicate if predicate is not None else parties

    def decorate(resolver):
        @wraps(resolver)
        def guarded(root, info, *args, **kwargs):
            require(info, allowed)
            return resolver(root, info, *args, **kwargs)

        guarded.allowed = allowed
        return guarded

    return decorate
