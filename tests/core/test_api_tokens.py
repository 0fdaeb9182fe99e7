import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import ApiToken
from core.services.api_tokens import MAX_ACTIVE_TOKENS, authenticate_token, issue_token
from tests import factories

pytestmark = pytest.mark.django_db


def test_tokens_are_stored_hashed_and_shown_once(buyer_client, buyer):
    response = buyer_client.post(reverse("storefront:api-tokens"), {"name": "金蝶 ERP"})
    secret = response.context["new_secret"]
    assert secret.startswith("s2b_")
    token = ApiToken.objects.get(user=buyer)
    assert secret not in (token.digest, token.prefix) and token.digest != secret
    assert authenticate_token(secret) == buyer

    page = buyer_client.get(reverse("storefront:api-tokens")).content.decode()
    assert secret not in page and token.prefix in page and "金蝶 ERP" in page


def test_bad_token_names_are_rejected_and_nothing_is_created(buyer_client, buyer):
    response = buyer_client.post(reverse("storefront:api-tokens"), {"name": "   "})
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()

    for n in range(MAX_ACTIVE_TOKENS):
        issue_token(buyer, f"t{n}")
    with pytest.raises(ValidationError) as exc:
        issue_token(buyer, "one too many")
    assert "name" in exc.value.message_dict
    assert ApiToken.objects.count() == MAX_ACTIVE_TOKENS


def test_owner_can_revoke_but_nobody_else_can(buyer_client, buyer, client):
    issued = issue_token(buyer, "ERP")
    other = factories.distributor("other")
    client.force_login(other)
    response = client.post(reverse("storefront:api-token-revoke", args=[issued.token.pk]))
    assert response.status_code == 404
    assert authenticate_token(issued.secret) == buyer

    buyer_client.post(reverse("storefront:api-token-revoke", args=[issued.token.pk]))
    assert authenticate_token(issued.secret) is None


def test_operators_see_and_revoke_any_token_in_the_back_office(client, buyer):
    issued = issue_token(buyer, "ERP")
    client.force_login(factories.distributor("nosy"))
    assert client.get(reverse("dashboard-api-tokens")).status_code == 403  # signed in, not an operator

    client.force_login(factories.operator())
    body = client.get(reverse("dashboard-api-tokens")).content.decode()
    assert buyer.email in body and issued.token.prefix in body
    client.post(reverse("dashboard-api-token-revoke", args=[issued.token.pk]))
    assert authenticate_token(issued.secret) is None


def test_a_deactivated_user_token_stops_working(buyer):
    issued = issue_token(buyer, "ERP")
    buyer.is_active = False
    buyer.save()
    assert authenticate_token(issued.secret) is None
