"""core.graphql's mutation base and guards, on a small schema of their own."""

import json

import graphene
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import RequestFactory
from graphene.test import Client as SchemaClient

from core.access import OPERATOR, SALESPERSON
from core.graphql.access import requires
from core.graphql.mutations import PlatformMutation, input_names, invalid, lookup
from tests import factories

User = get_user_model()
pytestmark = pytest.mark.django_db


class NoteInput(graphene.InputObjectType):
    first_line = graphene.String(required=True)


class RenameUser(PlatformMutation):
    """Rename a user found by id among the non-staff users; writes before it validates."""

    allowed = (OPERATOR,)
    error_fields = {"last_name": "new_name", "internal": None}

    class Arguments:
        user_id = graphene.ID(required=True)
        new_name = graphene.String(required=True)
        note = NoteInput()

    name = graphene.String()

    @classmethod
    def perform(cls, info, user, *, user_id, new_name, note=None):
        target = lookup(User.objects.filter(is_staff=False), "user_id", pk=user_id)
        target.last_name = new_name
        target.save()
        if new_name == "bad":
            raise ValidationError({"last_name": "no", "internal": "hidden key", "state": "not an input"})
        if new_name == "deep":
            raise ValidationError({"note.first_line": "nested"})
        if new_name == "whole":
            raise invalid(None, "the whole request", "conflict")
        return cls.success(name=target.last_name)


class OddOnly(PlatformMutation):
    allowed = staticmethod(lambda user: user.pk % 2 == 1)

    ok = graphene.Boolean()

    @classmethod
    def perform(cls, info, user):
        return cls.success(ok=True)


class Query(graphene.ObjectType):
    secret = graphene.String()

    @requires(OPERATOR, SALESPERSON)
    def resolve_secret(root, info):
        return "s"


class Mutation(graphene.ObjectType):
    rename_user = RenameUser.Field()
    odd_only = OddOnly.Field()


schema = graphene.Schema(query=Query, mutation=Mutation)
RENAME = """mutation($id: ID!, $name: String!) { renameUser(userId: $id, newName: $name) { name errors { field message code } } }"""


def run(user, query, variables=None):
    request = RequestFactory().post("/graphql/")
    request.user = user
    return json.loads(json.dumps(SchemaClient(schema).execute(query, variables=variables, context_value=request)))


@pytest.fixture
def people(db):
    from django.contrib.auth.models import AnonymousUser

    return {
        "anonymous": AnonymousUser(),
        "operator": factories.operator(),
        "buyer": factories.distributor("buyer"),
        "salesperson": User.objects.create_user(username="s", email="s@example.cn", is_staff=True),
    }


def test_who_may_run_it(people):
    target = str(people["buyer"].pk)
    for who, code in (("anonymous", "unauthenticated"), ("buyer", "forbidden"), ("salesperson", "forbidden")):
        body = run(people[who], RENAME, {"id": target, "name": "x"})
        assert body["data"]["renameUser"] is None
        assert [e["extensions"]["code"] for e in body["errors"]] == [code]
    body = run(people["operator"], RENAME, {"id": target, "name": "新名"})
    assert body["data"]["renameUser"] == {"name": "新名", "errors": []}


def test_lookup_not_found_whatever_the_value(people):
    for value in ("999999", "abc", str(people["operator"].pk)):  # missing, malformed, out of scope
        body = run(people["operator"], RENAME, {"id": value, "name": "x"})
        errors = body["data"]["renameUser"]["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [("userId", "not_found")]


def test_validation_errors_become_camel_case_fields_and_roll_back(people):
    buyer = people["buyer"]
    before = buyer.last_name
    body = run(people["operator"], RENAME, {"id": str(buyer.pk), "name": "bad"})
    assert body["data"]["renameUser"]["name"] is None
    assert {(e["field"], e["message"]) for e in body["data"]["renameUser"]["errors"]} == {
        ("newName", "no"),
        (None, "hidden key"),  # mapped to None
        (None, "not an input"),  # names no input of the mutation
    }
    body = run(people["operator"], RENAME, {"id": str(buyer.pk), "name": "deep"})
    assert body["data"]["renameUser"]["errors"][0]["field"] == "note.firstLine"
    body = run(people["operator"], RENAME, {"id": str(buyer.pk), "name": "whole"})
    assert body["data"]["renameUser"]["errors"] == [{"field": None, "message": "the whole request", "code": "conflict"}]
    buyer.refresh_from_db()
    assert buyer.last_name == before  # the savepoint undid each write


def test_a_predicate_instead_of_parties(people):
    odd = people["buyer"] if people["buyer"].pk % 2 else people["operator"]
    even = people["operator"] if odd is people["buyer"] else people["buyer"]
    assert run(odd, "mutation { oddOnly { ok } }")["data"]["oddOnly"] == {"ok": True}
    assert run(even, "mutation { oddOnly { ok } }")["errors"][0]["extensions"]["code"] == "forbidden"


def test_the_query_guard(people):
    assert run(people["salesperson"], "{ secret }")["data"]["secret"] == "s"
    assert run(people["buyer"], "{ secret }")["errors"][0]["extensions"]["code"] == "forbidden"
    assert run(people["anonymous"], "{ secret }")["errors"][0]["extensions"]["code"] == "unauthenticated"


def test_input_names_reach_into_input_objects():
    assert input_names(RenameUser._meta.arguments) == {"userId", "newName", "note", "firstLine"}


def test_a_mutation_must_say_who_may_run_it_and_not_override_mutate():
    with pytest.raises(ImproperlyConfigured):

        class Nobody(PlatformMutation):
            ok = graphene.Boolean()

            @classmethod
            def perform(cls, info, user):
                return cls.success(ok=True)

    with pytest.raises(ImproperlyConfigured):

        class Bypass(PlatformMutation):
            allowed = (OPERATOR,)
            ok = graphene.Boolean()

            def mutate(root, info):
                return Bypass(ok=True)
