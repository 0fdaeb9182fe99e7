"""Contracts GraphQL mutations: reading, asking for a signing code, signing, commenting and the
approver's 用印审批 — for a company's people, on the contracts ``selectors.visible_contracts``
gives them (another company's contract is ``not_found``, as a missing one). Rights, states and
codes are the services' to check; their refusals come back as payload errors, nothing changed —
except a wrong code, whose spent attempt is kept (the mutation answers it instead of raising)."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _

from companies.models import Role
from companies.selectors import membership_of
from core.access import DISTRIBUTOR, OPERATOR, is_operator
from core.graphql.mutations import PlatformMutation, invalid
from plugins.contracts import selectors
from plugins.contracts.graphql import types
from plugins.contracts.models import Contract
from plugins.contracts.pdf.signing import SigningFailed
from plugins.contracts.services import codes, signing
from plugins.contracts.services import contracts as contract_services
from plugins.contracts.services.evidence import Origin

#: a service's keys → this API's inputs (the PDF revision is named by its SHA-256)
ERROR_FIELDS = {"document": "document_sha256", "contract": None}


def _contract(user, number: str):
    return PlatformMutation.lookup(
        selectors.visible_contracts(user), "number", _("There is no such contract."), number=(number or "").strip()
    )


def _fresh(contract):
    """The contract as it is after the change, with what its type reads."""
    return types.with_related(Contract.objects.filter(pk=contract.pk)).first()


class ContractMutation(PlatformMutation):
    class Meta:
        abstract = True

    error_fields = ERROR_FIELDS
    contract = graphene.Field(types.ContractType)


class ContractRecordReading(ContractMutation):
    """The reader's time on the document and whether they reached its end (强制阅读: a code is
    sent only to someone who has read to the end)."""

    allowed = (DISTRIBUTOR,)

    class Arguments:
        number = graphene.String(required=True)
        seconds = graphene.Int(required=True)
        reached_end = graphene.Boolean(default_value=False)

    @classmethod
    def perform(cls, info, user, *, number, seconds, reached_end=False):
        contract = _contract(user, number)
        if seconds < 0:
            raise invalid("seconds", _("Seconds cannot be negative."), "out_of_range")
        contract_services.record_view(
            contract=contract, origin=Origin.of(info.context), seconds=seconds, reached_end=bool(reached_end)
        )
        return cls.success(contract=_fresh(contract))


class ContractRequestCode(ContractMutation):
    """A one-time code for the revision the signer is reading (documentSha256 of its PDF), sent
    by e-mail (or the configured SMS sender)."""

    allowed = (DISTRIBUTOR,)

    class Arguments:
        number = graphene.String(required=True)
        document_sha256 = graphene.String(required=True)

    expires_at = graphene.DateTime()
    channel = graphene.String()

    @classmethod
    def perform(cls, info, user, *, number, document_sha256):
        contract = _contract(user, number)
        origin = Origin.of(info.context)
        sha = document_sha256.strip().lower()
        row = signing.request_code(contract=contract, user=user, document_sha256=sha, origin=origin)
        return cls.success(contract=_fresh(contract), expires_at=row.expires_at, channel=row.channel)


class ContractSign(ContractMutation):
    """Sign the revision read with the code received: the buyer's PAdES signature with a one-use
    event certificate. A wrong code counts an attempt (kept) and answers ``code`` errors."""

    allowed = (DISTRIBUTOR,)

    class Arguments:
        number = graphene.String(required=True)
        document_sha256 = graphene.String(required=True)
        code = graphene.String(required=True)

    @classmethod
    def perform(cls, info, user, *, number, document_sha256, code):
        contract = _contract(user, number)
        try:
            signing.sign_as_buyer(
                contract=contract,
                user=user,
                code=code,
                document_sha256=document_sha256.strip().lower(),
                origin=Origin.of(info.context),
            )
        except codes.CodeRejected as exc:
            # answered, not raised: the attempt it cost (and its evidence) must stay written
            return cls.failure(info, cls.field_errors(exc))
        except SigningFailed as exc:  # raised: the code stays unused, nothing is signed
            raise invalid(None, str(exc), "signing_failed") from exc
        return cls.success(contract=_fresh(contract))


class ContractCommentAdd(ContractMutation):
    """A comment on a contract. The buyer's on a contract waiting for signature opens
    negotiation; an operator's is the platform's answer. Read-only members cannot comment."""

    allowed = (OPERATOR, DISTRIBUTOR)

    class Arguments:
        number = graphene.String(required=True)
        body = graphene.String(required=True)

    comment = graphene.Field(types.ContractComment)

    @classmethod
    def perform(cls, info, user, *, number, body):
        contract = _contract(user, number)
        operator = is_operator(user)
        if not operator:
            membership = membership_of(user)
            if membership is None or membership.role == Role.READ_ONLY:
                raise invalid(None, _("Read-only members cannot comment on contracts."), "forbidden")
        row = contract_services.comment(
            contract=contract, by=user, body=body, origin=Origin.of(info.context), buyer=not operator
        )
        return cls.success(contract=_fresh(contract), comment=row)


class ContractApproveSeal(ContractMutation):
    """用印审批: the company's approver (or admin) allows a signature above the signer's cap."""

    allowed = (DISTRIBUTOR,)

    class Arguments:
        number = graphene.String(required=True)

    @classmethod
    def perform(cls, info, user, *, number):
        contract = _contract(user, number)
        signing.approve_seal(contract=contract, approver=user, origin=Origin.of(info.context))
        return cls.success(contract=_fresh(contract))


class Mutation(graphene.ObjectType):
    contract_record_reading = ContractRecordReading.Field()
    contract_request_code = ContractRequestCode.Field()
    contract_sign = ContractSign.Field()
    contract_comment = ContractCommentAdd.Field()
    contract_approve_seal = ContractApproveSeal.Field()
