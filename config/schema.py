"""GraphQL root schema, assembled from what each installed plugin app declares."""

import graphene

from core.plugins import graphql_roots, graphql_types


def build_schema() -> graphene.Schema:
    queries = graphql_roots("query")
    mutations = graphql_roots("mutation")
    query = type("Query", (*queries, graphene.ObjectType), {})
    mutation = type("Mutation", (*mutations, graphene.ObjectType), {}) if mutations else None
    return graphene.Schema(query=query, mutation=mutation, types=graphql_types())


schema = build_schema()
