"""Lifting a sign-in lockout (django-axes) by an operator, logged."""

import logging

logger = logging.getLogger("core.lockouts")


def lift_lockout(attempt, *, by) -> None:
    """Forget the failures of ``attempt``'s account and address: the next sign-in is judged afresh."""
    from axes.utils import reset

    if attempt.username:
        reset(username=attempt.username)
    if attempt.ip_address:
        reset(ip=attempt.ip_address)
    logger.warning(
        "sign-in lockout lifted for %s / %s by %s", attempt.username, attempt.ip_address, getattr(by, "pk", None)
    )
