"""企业中心 → 签章授权: the company's admin authorises people to sign (amount cap, end date),
revokes them and sets the seal image (an uploaded PNG, or the one generated from the legal
name); the company's other people see who may sign and change nothing; bad input is refused in
words and saves nothing."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from companies.services.people import add_member
from plugins.contracts.models import CompanySeal, SealGrant
from tests import factories
from tests.contracts.store_helpers import client_for, contract_env, zh  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("contract_env")]
URL = "contracts:signers"


def png(size=(64, 64)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (220, 30, 30, 255)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def company_people():
    admin = factories.distributor("sigadmin")
    company = factories.company_of(admin)
    buyer = factories.person("sigbuyer")
    add_member(company=company, user=buyer, role="buyer", by=admin)
    return admin, company, buyer


def test_the_admin_authorises_a_person_with_a_cap_and_an_end_date_and_revokes_it(company_people):
    admin, company, buyer = company_people
    client = client_for(admin)
    page = client.get(reverse(URL))
    assert page.status_code == 200 and 'id="grant-form"' in page.content.decode()
    until = timezone.localdate() + timedelta(days=90)
    response = client.post(
        reverse(URL), {"action": "grant", "user": buyer.pk, "amount_cap": "5000.00", "expires_on": until.isoformat()}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    grant = SealGrant.objects.get()
    assert (grant.user, grant.amount_cap, grant.expires_on, grant.granted_by) == (
        buyer,
        Decimal("5000.00"),
        until,
        admin,
    )
    body = client.get(reverse(URL)).content.decode()
    assert buyer.email in body and "5000.00" in body and 'data-live="1"' in body
    # a new grant replaces the live one
    client.post(reverse(URL), {"action": "grant", "user": buyer.pk, "amount_cap": "", "expires_on": ""})
    live = SealGrant.objects.get(revoked_at__isnull=True)
    assert live.amount_cap is None and live.expires_on is None and SealGrant.objects.count() == 2
    assert client.post(reverse(URL), {"action": "revoke", "grant": live.pk}).status_code == 302
    live.refresh_from_db()
    assert live.revoked_at is not None and live.revoked_by == admin
    assert client.post(reverse(URL), {"action": "revoke", "grant": live.pk}).status_code == 404  # already revoked


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"amount_cap": "-5"}, "amount_cap", "The amount cap must be above zero, or empty for no cap."),
        ({"expires_on": "2000-01-01"}, "expires_on", "The date has already passed."),
    ],
)
def test_bad_grants_are_refused_in_words_and_save_nothing(company_people, data, field, message):
    admin, _company, buyer = company_people
    response = client_for(admin).post(reverse(URL), {"action": "grant", "user": buyer.pk, **data})
    assert response.status_code == 400
    assert zh(message) in " ".join(response.context["grant_form"].errors[field])
    assert not SealGrant.objects.exists()


def test_a_person_of_another_company_cannot_be_authorised(company_people):
    admin, _company, _buyer = company_people
    stranger = factories.distributor("sigstranger")
    response = client_for(admin).post(reverse(URL), {"action": "grant", "user": stranger.pk})
    assert response.status_code == 400 and "user" in response.context["grant_form"].errors
    assert not SealGrant.objects.exists()


def test_the_other_people_see_who_may_sign_and_change_nothing(company_people):
    admin, company, buyer = company_people
    client_for(admin).post(reverse(URL), {"action": "grant", "user": admin.pk})
    client = client_for(buyer)
    page = client.get(reverse(URL)).content.decode()
    assert admin.email in page and 'id="grant-form"' not in page and 'id="seal-form"' not in page
    grant = SealGrant.objects.get()
    assert client.post(reverse(URL), {"action": "grant", "user": buyer.pk}).status_code == 403
    assert client.post(reverse(URL), {"action": "revoke", "grant": grant.pk}).status_code == 403
    upload = SimpleUploadedFile("seal.png", png())
    assert client.post(reverse(URL), {"action": "seal-upload", "image": upload}).status_code == 403
    assert SealGrant.objects.filter(revoked_at__isnull=True).count() == 1 and not CompanySeal.objects.exists()
    # a person of no company has no such page
    assert client_for(factories.person("nobody")).get(reverse(URL)).status_code == 404


def test_the_admin_uploads_a_png_seal_or_uses_the_generated_one(company_people):
    admin, company, _buyer = company_people
    client = client_for(admin)
    bad = SimpleUploadedFile("seal.png", b"GIF89a not a png")
    response = client.post(reverse(URL), {"action": "seal-upload", "image": bad})
    assert response.status_code == 400
    assert zh("The seal image must be a PNG file.") in " ".join(response.context["seal_form"].errors["image"])
    assert not CompanySeal.objects.exists()
    data = png()
    response = client.post(reverse(URL), {"action": "seal-upload", "image": SimpleUploadedFile("seal.png", data)})
    assert response.status_code == 302
    seal = CompanySeal.objects.get(company=company)
    assert not seal.generated and seal.image.open("rb").read() == data
    page = client.get(reverse(URL)).content.decode()
    assert 'id="seal-image"' in page and 'id="seal-uploaded"' in page
    assert client.post(reverse(URL), {"action": "seal-generate"}).status_code == 302
    seal.refresh_from_db()
    generated = seal.image.open("rb").read()
    assert seal.generated and generated.startswith(b"\x89PNG") and generated != data
    assert 'id="seal-generated"' in client.get(reverse(URL)).content.decode()
    assert client.post(reverse(URL), {"action": "nonsense"}).status_code == 404
