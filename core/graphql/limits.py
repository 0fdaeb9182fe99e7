"""What one GraphQL request may ask for, checked before anything runs.

A request is refused with a top-level error (HTTP 400, nothing resolved, nothing written) when
it passes one of these limits (settings, with their ``extensions.code``):

* ``GRAPHQL_MAX_QUERY_CHARS`` (``query_too_large``): characters of the query text;
* ``GRAPHQL_MAX_FIELDS`` (``too_many_fields``): field selections, fragments expanded;
* ``GRAPHQL_MAX_ALIASES`` (``too_many_aliases``): aliased selections (``a: products … b: products``);
* ``GRAPHQL_MAX_DEPTH`` (``too_deep``): how deep selections nest;
* ``GRAPHQL_MAX_COST`` (``too_costly``): every field costs 1, and a field's selections count as
  many times as its ``first`` (or ``last``) asks — its default when not given — so
  ``products(first: 100) { items { sku } }`` costs 1 + 100 × 2;
* ``GRAPHQL_MAX_MUTATIONS`` (``too_many_mutations``): mutations in one request;
* introspection (``introspection_disabled``): ``__schema`` / ``__type`` only for signed-in staff,
  unless ``GRAPHQL_INTROSPECTION_FOR_ALL`` (on outside production); GraphiQL follows the same rule.

The walk stops as soon as the field limit is passed, so a document built to explode when its
fragments are expanded costs no more to refuse than a small one. ``__typename`` is a field like
any other but costs nothing; an allowed introspection field is counted once and not walked (the
schema is not data).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from graphql.language import Visitor
from graphql.validation import ValidationRule

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


@dataclass(frozen=True)
class Limits:
    max_fields: int
    max_aliases: int
    max_depth: int
    max_cost: int
    max_mutations: int
    max_page_size: int
    introspection: bool

    @classmethod
    def for_user(cls, user) -> "Limits":
        return cls(
            max_fields=settings.GRAPHQL_MAX_FIELDS,
            max_aliases=settings.GRAPHQL_MAX_ALIASES,
            max_depth=settings.GRAPHQL_MAX_DEPTH,
            max_cost=settings.GRAPHQL_MAX_COST,
            max_mutations=settings.GRAPHQL_MAX_MUTATIONS,
            max_page_size=settings.GRAPHQL_MAX_PAGE_SIZE,
            introspection=schema_tools_allowed(user),
        )


def schema_tools_allowed(user) -> bool:
    """Introspection and GraphiQL: for everyone outside production, else for signed-in staff."""
    if settings.GRAPHQL_INTROSPECTION_FOR_ALL:
        return True
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def query_too_large(query: str) -> GraphQLError | None:
    limit = settings.GRAPHQL_MAX_QUERY_CHARS
    if len(query) <= limit:
        return None
    return GraphQLError(
        _("The query is %(size)d characters long; at most %(max)d are allowed.") % {"size": len(query), "max": limit},
        extensions={"code": "query_too_large"},
    )


class _TooMany(Exception):
    """The field limit is passed: stop walking."""


class _Measure:
    """Fields, aliases, depth, cost and root mutations of one operation, fragments expanded."""

    def __init__(self, context, variables: dict, limits: Limits):
        self.context = context
        self.schema: GraphQLSchema = context.schema
        self.variables = variables or {}
        self.limits = limits
        self.fields = 0
        self.aliases = 0
        self.depth = 0
        self.introspection: FieldNode | None = None

    def walk(self, selection_set: SelectionSetNode, parent_type, depth: int, fragments: frozenset) -> int:
        cost = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                cost += self.field(selection, parent_type, depth, fragments)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                fragment_type = self.schema.get_type(condition.name.value) if condition else parent_type
                cost += self.walk(selection.selection_set, fragment_type, depth, fragments)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.context.get_fragment(name)
                if fragment is None or name in fragments:  # unknown or cyclic: the standard rules say so
                    continue
                fragment_type = self.schema.get_type(fragment.type_condition.name.value)
                cost += self.walk(fragment.selection_set, fragment_type, depth, fragments | {name})
        return cost

    def field(self, node: FieldNode, parent_type, depth: int, fragments: frozenset) -> int:
        self.fields += 1
        if node.alias is not None:
            self.aliases += 1
        if self.fields > self.limits.max_fields:
            raise _TooMany
        self.depth = max(self.depth, depth)
        name = node.name.value
        if name == "__typename":
            return 0
        if name in INTROSPECTION_FIELDS:
            if not self.limits.introspection and self.introspection is None:
                self.introspection = node
            return 1
        definition = getattr(parent_type, "fields", {}).get(name)
        if node.selection_set is None:
            return 1
        if depth >= self.limits.max_depth:  # deeper than allowed: reported, no need to look further
            self.depth = depth + 1
            return 1
        child_type = get_named_type(definition.type) if definition is not None else None
        children = self.walk(node.selection_set, child_type, depth + 1, fragments)
        return 1 + self.page_size(node, definition) * children

    def page_size(self, node: FieldNode, definition) -> int:
        """How many times a list field's selections are resolved: its ``first``/``last``."""
        if definition is None:
            return 1
        for name in ("first", "last"):
            argument = definition.args.get(name)
            if argument is None:
                continue
            value = argument.default_value
            given = next((a.value for a in node.arguments if a.name.value == name), None)
            if isinstance(given, IntValueNode):
                value = int(given.value)
            elif isinstance(given, VariableNode):
                value = self.variables.get(given.name.value, value)
            if not isinstance(value, int) or isinstance(value, bool):
                value = self.limits.max_page_size
            # a page larger than the maximum is refused by the resolver; count the most it can read
            return max(1, min(value, self.limits.max_page_size))
        return 1


def _root_fields(context, selection_set: SelectionSetNode, fragments: frozenset, cap: int) -> int:
    """The fields an operation runs at its root (its mutations), fragments at the root expanded;
    counting stops past ``cap``."""
    count = 0
    for selection in selection_set.selections:
        if count > cap:
            break
        if isinstance(selection, FieldNode):
            count += selection.name.value != "__typename"
        elif isinstance(selection, InlineFragmentNode):
            count += _root_fields(context, selection.selection_set, fragments, cap)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = context.get_fragment(name)
            if fragment is not None and name not in fragments:
                count += _root_fields(context, fragment.selection_set, fragments | {name}, cap)
    return count


def limits_rule(variables: dict | None, limits: Limits) -> type[ValidationRule]:
    """A validation rule enforcing ``limits`` on every operation of the document."""

    class RequestLimits(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_args):
            if node.operation == OperationType.MUTATION:
                # counted on their own: the field limit below may stop its walk before the root is done
                mutations = _root_fields(self.context, node.selection_set, frozenset(), limits.max_fields)
                if mutations > limits.max_mutations:
                    self.refuse(
                        node,
                        "too_many_mutations",
                        _("The request runs %(count)d mutations; at most %(max)d are allowed in one request.")
                        % {"count": mutations, "max": limits.max_mutations},
                    )
            root_type = self.context.schema.get_root_type(node.operation)
            measure = _Measure(self.context, variables or {}, limits)
            try:
                cost = measure.walk(node.selection_set, root_type, 1, frozenset())
            except _TooMany:
                self.refuse(
                    node,
                    "too_many_fields",
                    _("The request selects more than %(max)d fields.") % {"max": limits.max_fields},
                )
                return Visitor.SKIP
            if measure.aliases > limits.max_aliases:
                self.refuse(
                    node,
                    "too_many_aliases",
                    _("The request uses %(count)d aliases; at most %(max)d are allowed.")
                    % {"count": measure.aliases, "max": limits.max_aliases},
                )
            if measure.depth > limits.max_depth:
                self.refuse(
                    node,
                    "too_deep",
                    _("The request is nested more than %(max)d levels deep.") % {"max": limits.max_depth},
                )
            if cost > limits.max_cost:
                self.refuse(
                    node,
                    "too_costly",
                    _(
                        "The request would read too much at once (cost %(cost)d, at most %(max)d): "
                        "ask for smaller pages or fewer fields."
                    )
                    % {"cost": cost, "max": limits.max_cost},
                )
            if measure.introspection is not None:
                self.refuse(
                    measure.introspection,
                    "introspection_disabled",
                    _("Schema introspection is only available to signed-in staff."),
                )
            return Visitor.SKIP

        def refuse(self, node, code: str, message: str) -> None:
            self.report_error(GraphQLError(message, node, extensions={"code": code}))

    return RequestLimits
