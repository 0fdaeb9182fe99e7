"""This area's GraphQL queries for operators and salespeople (scoped like the screens)."""


class Query:
    pass
