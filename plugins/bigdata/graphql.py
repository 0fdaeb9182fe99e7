"""GraphQL analytics queries, assembled from the areas (each scoped to who asks, like the screens)."""

import graphene

from plugins.bigdata.abc import graphql as abc
from plugins.bigdata.customers import graphql as customers
from plugins.bigdata.marketing import graphql as marketing
from plugins.bigdata.performance import graphql as performance
from plugins.bigdata.regions import graphql as regions

AREAS = (regions, abc, performance, customers, marketing)


class Query(*(area.Query for area in AREAS), graphene.ObjectType):
    pass
