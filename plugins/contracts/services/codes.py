"""One-time signing codes (签署验证码): 6 digits, valid CONTRACTS_CODE_MINUTES, at most
CONTRACTS_CODE_ATTEMPTS tries, a new one no sooner than CONTRACTS_CODE_RESEND_SECONDS after the
last. A code is bound to the contract, the person and the SHA-256 of the exact PDF revision they
were shown (what you see is what you sign), and stored only as an HMAC keyed by SECRET_KEY.

Delivery goes through a ``CodeSender`` (setting CONTRACTS_CODE_SENDER, a dotted path): e-mail by
default; an SMS gateway implements the same ``send``. The code is sent directly after commit,
not through the outbox, so it never rests in clear in the database.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.digits import digits
from plugins.contracts.models import Contract, SigningCode


class CodeSender(Protocol):
    channel: str

    def send(self, *, user, code: str, contract: Contract, minutes: int) -> None: ...


class EmailCodeSender:
    channel = "email"

    def send(self, *, user, code: str, contract: Contract, minutes: int) -> None:
        send_mail(
            _("Signing code for contract %(number)s") % {"number": contract.number},
            _(
                "Your code to sign contract %(number)s is %(code)s. It is valid for %(minutes)s minutes and "
                "only for the version of the contract you are reading. If you did not ask for it, ignore this "
                "e-mail and tell your company's administrator."
            )
            % {"number": contract.number, "code": code, "minutes": minutes},
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )


def sender() -> CodeSender:
    path = getattr(settings, "CONTRACTS_CODE_SENDER", "plugins.contracts.services.codes.EmailCodeSender")
    return import_string(path)()


def code_hmac(code: str, *, contract: Contract, user, document_sha256: str) -> str:
    message = f"{contract.pk}:{user.pk}:{document_sha256}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _field_error(message: str, code: str) -> ValidationError:
    return ValidationError({"code": ValidationError(message, code=code)})


def issue(*, contract: Contract, user, document_sha256: str, now=None) -> SigningCode:
    """A new code for ``user`` on this revision (earlier unused codes stop working). Refused
    within the resend interval. The caller records the evidence."""
    now = now or timezone.now()
    minutes = settings.CONTRACTS_CODE_MINUTES
    with transaction.atomic():
        Contract.objects.select_for_update().filter(pk=contract.pk).first()
        last = SigningCode.objects.filter(contract=contract, user=user).order_by("-created_at").first()
        wait = settings.CONTRACTS_CODE_RESEND_SECONDS
        if last is not None and (now - last.created_at).total_seconds() < wait:
            left = wait - int((now - last.created_at).total_seconds())
            raise _field_error(
                _("A code was sent just now. You can ask for a new one in %(seconds)s seconds.") % {"seconds": left},
                "code_resend_too_soon",
            )
        SigningCode.objects.filter(contract=contract, user=user, used_at__isnull=True).update(superseded=True)
        code = f"{secrets.randbelow(10**6):06d}"
        delivery = sender()
        row = SigningCode.objects.create(
            contract=contract,
            user=user,
            document_sha256=document_sha256,
            code_hmac=code_hmac(code, contract=contract, user=user, document_sha256=document_sha256),
            channel=delivery.channel,
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )
        transaction.on_commit(lambda: delivery.send(user=user, code=code, contract=contract, minutes=minutes))
    return row


class CodeRejected(ValidationError):
    """A wrong, expired, used or foreign code. The attempt it cost is already saved: a caller that
    runs inside its own savepoint (a GraphQL mutation) must answer with it, not let it roll back."""


def check(*, contract: Contract, user, code: str, document_sha256: str, now=None) -> SigningCode:
    """Use the person's live code: right, unexpired, not used, for this revision. A wrong code
    counts an attempt, written in its own transaction before ``CodeRejected`` (keyed ``code``,
    saying what was wrong) is raised — so call it outside any atomic block that the refusal
    would roll back."""
    now = now or timezone.now()
    code = (code or "").strip()
    with transaction.atomic():
        row = (
            SigningCode.objects.select_for_update()
            .filter(contract=contract, user=user, superseded=False, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        problem = _problem(row, contract=contract, user=user, code=code, document_sha256=document_sha256, now=now)
        if problem is None:
            row.used_at = now
            row.save(update_fields=["used_at"])
        elif problem[1] == "code_wrong":
            row.attempts += 1
            row.save(update_fields=["attempts"])
            left = settings.CONTRACTS_CODE_ATTEMPTS - row.attempts
            problem = (
                _("The code is wrong. %(left)s attempts left.") % {"left": left}
                if left
                else _("The code is wrong. Too many wrong codes: ask for a new one."),
                "code_wrong",
            )
    if problem is not None:
        raise CodeRejected({"code": ValidationError(problem[0], code=problem[1])})
    return row


def _problem(row, *, contract, user, code, document_sha256, now) -> tuple[str, str] | None:
    if row is None:
        if SigningCode.objects.filter(contract=contract, user=user, used_at__isnull=False).exists():
            return _("This code was already used. Ask for a new one."), "code_used"
        return _("Ask for a signing code first."), "code_missing"
    if row.expires_at <= now:
        return _("The code has expired. Ask for a new one."), "code_expired"
    if row.attempts >= settings.CONTRACTS_CODE_ATTEMPTS:
        return _("Too many wrong codes. Ask for a new one."), "code_locked"
    if row.document_sha256 != document_sha256:
        return (
            _(
                "The code was sent for another version of this contract. "
                "Read the current version and ask for a new code."
            ),
            "code_other_revision",
        )
    expected = code_hmac(code, contract=contract, user=user, document_sha256=document_sha256)
    if not (len(code) == 6 and digits(code) == code and hmac.compare_digest(expected, row.code_hmac)):
        return "", "code_wrong"
    return None
