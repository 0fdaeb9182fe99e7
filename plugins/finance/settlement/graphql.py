"""GraphQL of this area, scoped to who asks."""

import graphene


class Query(graphene.ObjectType):
    pass


class Mutation(graphene.ObjectType):
    pass
