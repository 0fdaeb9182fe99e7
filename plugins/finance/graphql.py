"""GraphQL of finance, assembled from its areas (each scoped to who asks)."""

import graphene

from plugins.finance.invoices import graphql as invoices
from plugins.finance.receipts import graphql as receipts
from plugins.finance.refunds import graphql as refunds
from plugins.finance.settlement import graphql as settlement
from plugins.finance.statements import graphql as statements

AREAS = (receipts, refunds, settlement, statements, invoices)


class Query(*(area.Query for area in AREAS), graphene.ObjectType):
    pass


class Mutation(*(area.Mutation for area in AREAS), graphene.ObjectType):
    pass
