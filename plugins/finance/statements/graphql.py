"""GraphQL of this area, scoped to who asks: ``statements`` (operators: all; a company's 财务/admin:
the company's; supplier staff: their suppliers'), mutations issueStatement, confirmStatement,
disputeStatement (the counterparty) and closePeriod (the finance team)."""

import graphene
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.access import DISTRIBUTOR, OPERATOR, SUPPLIER
from core.graphql.access import requires
from core.graphql.mutations import PlatformMutation, invalid
from core.graphql.pagination import page
from core.money import from_fen
from plugins.finance.selectors import statements as selectors
from plugins.finance.services import statements as services
from plugins.finance.statements import exports

ANSWERING = (DISTRIBUTOR, SUPPLIER)


class StatementFigure(graphene.ObjectType):
    key = graphene.String(required=True)
    label = graphene.String(required=True)
    amount = graphene.Decimal(required=True, description="yuan")


class StatementType(graphene.ObjectType):
    number = graphene.String(required=True)
    party_kind = graphene.String(required=True, description="company or supplier")
    party_name = graphene.String(required=True)
    period_start = graphene.Date(required=True)
    period_end = graphene.Date(required=True)
    state = graphene.String(required=True)
    state_label = graphene.String(required=True)
    opening = graphene.Decimal(required=True)
    closing = graphene.Decimal(required=True)
    figures = graphene.List(graphene.NonNull(StatementFigure), required=True)
    dispute_reason = graphene.String(required=True)
    resolution = graphene.String(required=True)
    issued_at = graphene.DateTime(required=True)

    @staticmethod
    def of(s) -> "StatementType":
        return StatementType(
            number=s.number,
            party_kind="company" if s.company_id else "supplier",
            party_name=exports.party_name(s),
            period_start=s.period_start,
            period_end=s.period_end,
            state=s.state,
            state_label=str(s.get_state_display()),
            opening=from_fen(s.figures.get("opening", 0)),
            closing=from_fen(s.figures.get("closing", 0)),
            figures=[StatementFigure(key=k, label=label, amount=yuan) for k, label, yuan in exports.summary(s)],
            dispute_reason=s.dispute_reason,
            resolution=s.resolution,
            issued_at=s.issued_at,
        )


class StatementPage(graphene.ObjectType):
    items = graphene.List(graphene.NonNull(StatementType), required=True)
    total = graphene.Int(required=True)


class Query(graphene.ObjectType):
    statements = graphene.Field(
        StatementPage,
        required=True,
        state=graphene.String(),
        first=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
    )

    @requires(OPERATOR, DISTRIBUTOR, SUPPLIER)
    def resolve_statements(root, info, state=None, first=20, offset=0):
        qs = selectors.statements_for(info.context.user)
        if state:
            qs = qs.filter(state=state)
        items, total = page(qs, first, offset)
        return StatementPage(items=[StatementType.of(s) for s in items], total=total)


class IssueStatement(PlatformMutation):
    allowed = (OPERATOR,)

    class Arguments:
        company_id = graphene.ID()
        supplier_id = graphene.ID()
        period_start = graphene.Date(required=True)
        period_end = graphene.Date(required=True)

    statement = graphene.Field(StatementType)

    @classmethod
    def perform(cls, info, user, *, period_start, period_end, company_id=None, supplier_id=None):
        from companies.models import Company

        if bool(company_id) == bool(supplier_id):
            raise invalid("company_id", _("Choose either a company or a supplier."))
        if company_id:
            party = cls.lookup(Company.objects.all(), "company_id", pk=company_id)
        else:
            party = cls.lookup(get_model("partner", "Partner").objects.all(), "supplier_id", pk=supplier_id)
        s = services.issue_statement(party, period_start, period_end, user)
        return cls.success(statement=StatementType.of(s))


class ConfirmStatement(PlatformMutation):
    allowed = ANSWERING

    class Arguments:
        number = graphene.String(required=True)

    statement = graphene.Field(StatementType)

    @classmethod
    def perform(cls, info, user, *, number):
        s = cls.lookup(selectors.statements_for(user), "number", number=number)
        services.confirm(s, by=user)
        return cls.success(statement=StatementType.of(s))


class DisputeStatement(PlatformMutation):
    allowed = ANSWERING

    class Arguments:
        number = graphene.String(required=True)
        reason = graphene.String(required=True)

    statement = graphene.Field(StatementType)

    @classmethod
    def perform(cls, info, user, *, number, reason):
        s = cls.lookup(selectors.statements_for(user), "number", number=number)
        services.dispute(s, reason=reason, by=user)
        return cls.success(statement=StatementType.of(s))


class ClosePeriod(PlatformMutation):
    allowed = (OPERATOR,)

    class Arguments:
        month = graphene.Date(required=True, description="any day of the month to close")

    month = graphene.String()

    @classmethod
    def perform(cls, info, user, *, month):
        period = services.close_period(month, by=user)
        return cls.success(month=str(period))


class Mutation(graphene.ObjectType):
    issue_statement = IssueStatement.Field()
    confirm_statement = ConfirmStatement.Field()
    dispute_statement = DisputeStatement.Field()
    close_period = ClosePeriod.Field()
