"""Shipment vouchers are private: a supplier uploads them in its portal, they are kept under
PRIVATE_MEDIA_ROOT (no URL serves it) and downloaded through ``logistics:voucher`` by whoever may
see the shipment (operators, the supplier's staff, the buyer); anyone else gets a 404."""

from importlib import import_module
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.shortcuts import resolve_url
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.static import serve

from plugins.logistics.models import ShipmentVoucher
from tests import factories
from tests.s2b2b_orders.conftest import client_for, make_supplier, place_order

pytestmark = pytest.mark.django_db

User = get_user_model()
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
NAME = "面单-0001.png"
move_vouchers = import_module("plugins.logistics.migrations.0004_vouchers_private_storage").move_vouchers


@pytest.fixture
def shop(db):
    """Supplier jg (through the portal) sells to the buyer; df's staff, another distributor and
    a salesperson are the others."""
    jg = make_supplier("jg", "苏州精工五金制品有限公司")
    df = make_supplier("df", "宁波东方电气设备有限公司")
    return {
        "bolt": factories.product("JG-HB-M8-30", "外六角螺栓 M8×30", "32.00", 500, jg),
        "jg_staff": factories.supplier_staff(jg, "jgstaff"),
        "df_staff": factories.supplier_staff(df, "dfstaff"),
        "buyer": factories.distributor("buyer"),
        "operator": factories.operator("op"),
    }


def ship_with_voucher(shop, upload, tracking_number="SF1234567890123") -> ShipmentVoucher:
    """jg's staff accept their part of a new order of the buyer's and ship it in the portal,
    attaching ``upload`` to the portal's ship form."""
    order = place_order(shop["buyer"], [(shop["bolt"], 2)])
    number = f"{order.number}-S1"
    jg = client_for(shop["jg_staff"])
    url = reverse("s2b2b-portal-order", args=[number])
    assert jg.post(url, {"action": "accept"}).status_code == 302
    response = jg.post(
        url,
        {"action": "ship", "carrier": "sf", "tracking_numbers": tracking_number, "complete": "on", "vouchers": upload},
    )
    assert response.status_code == 302
    return ShipmentVoucher.objects.get(shipment__reference=number)


@pytest.fixture
def voucher(shop):
    return ship_with_voucher(shop, SimpleUploadedFile(NAME, PNG, content_type="image/png"))


def download(user, voucher):
    client = client_for(user) if user is not None else Client()
    return client.get(reverse("logistics:voucher", args=[voucher.pk]))


def test_the_supplier_the_buyer_and_an_operator_download_the_uploaded_file(shop, voucher):
    assert voucher.download_url == f"/logistics/vouchers/{voucher.pk}/"
    for user in (shop["jg_staff"], shop["buyer"], shop["operator"]):
        response = download(user, voucher)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == PNG
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"] == f"inline; filename*=utf-8''{quote(NAME)}"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private"


def test_anyone_else_gets_a_404_like_for_no_voucher_and_anonymous_the_login_page(shop, voucher):
    other_distributor = factories.distributor("other")
    salesperson = User.objects.create_user(username="li", email="li@example.cn", password="x", is_staff=True)
    for user in (shop["df_staff"], other_distributor, salesperson):
        response = download(user, voucher)
        assert response.status_code == 404, user
        assert PNG not in response.content
    missing = client_for(shop["df_staff"]).get(reverse("logistics:voucher", args=[voucher.pk + 1000]))
    assert missing.status_code == 404
    anonymous = download(None, voucher)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(f"{resolve_url(settings.LOGIN_URL)}?next=")
    assert client_for(shop["buyer"]).post(voucher.download_url).status_code == 405


def test_the_file_is_kept_outside_media_root_and_no_media_url_serves_it(shop, voucher):
    private, media = Path(settings.PRIVATE_MEDIA_ROOT), Path(settings.MEDIA_ROOT)
    assert voucher.file.name == f"logistics/vouchers/{voucher.shipment_id}/{NAME}"
    assert (private / voucher.file.name).read_bytes() == PNG
    assert not (media / voucher.file.name).exists()
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]
    # the site serves no /media/ path to it, nor would a server of MEDIA_ROOT (Django's in DEBUG)
    for client in (Client(), client_for(shop["buyer"]), client_for(shop["operator"])):
        assert client.get(f"{settings.MEDIA_URL}{voucher.file.name}").status_code == 404
    with pytest.raises(Http404):
        serve(RequestFactory().get("/"), voucher.file.name, document_root=settings.MEDIA_ROOT)
    with pytest.raises(ValueError):
        voucher.file.url  # noqa: B018  a private file has no URL of the storage


def test_pages_link_to_the_download_view(shop, voucher):
    link = f'href="{voucher.download_url}"'
    number = voucher.shipment.reference
    pages = [
        (shop["jg_staff"], reverse("s2b2b-portal-order", args=[number])),
        (shop["operator"], reverse("s2b2b-ops-order", args=[number])),
        (shop["jg_staff"], reverse("logistics-dashboard:shipment-detail", args=[voucher.shipment_id])),
        (shop["operator"], reverse("dashboard:order-detail", args=[voucher.shipment.order.number])),
    ]
    for user, url in pages:
        page = client_for(user).get(url)
        assert page.status_code == 200, url
        body = page.content.decode()
        assert link in body and f"{settings.MEDIA_URL}logistics/" not in body, url


def test_the_type_comes_from_the_bytes_not_from_the_name(shop, voucher):
    lying = ship_with_voucher(shop, SimpleUploadedFile("page.html", PNG, content_type="text/html"), "SF1234567890124")
    response = download(shop["buyer"], lying)
    assert response["Content-Type"] == "image/png"
    # a file that is no image nor PDF (not uploaded through the checks) is only ever an attachment
    voucher.file.save("notes.html", ContentFile(b"<script>alert(1)</script>"))
    response = download(shop["buyer"], voucher)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_missing_file_is_a_404(shop, voucher):
    voucher.file.storage.delete(voucher.file.name)
    assert download(shop["operator"], voucher).status_code == 404


def test_the_migration_moves_vouchers_out_of_media_root_idempotently(tmp_path):
    media, private = tmp_path / "media", tmp_path / "private"
    assert move_vouchers(media, private) == 0  # nothing there: nothing to do, no error
    (media / "logistics/vouchers/7").mkdir(parents=True)
    (media / "logistics/vouchers/7/面单.png").write_bytes(PNG)
    (media / "logistics/vouchers/8").mkdir()
    (media / "logistics/vouchers/8/回单.pdf").write_bytes(b"%PDF-1.4 a")
    (private / "logistics/vouchers/8").mkdir(parents=True)
    (private / "logistics/vouchers/8/回单.pdf").write_bytes(b"%PDF-1.4 a")  # moved by an earlier run
    (media / "other.png").write_bytes(PNG)
    assert move_vouchers(media, private) == 1
    assert (private / "logistics/vouchers/7/面单.png").read_bytes() == PNG
    assert (private / "logistics/vouchers/8/回单.pdf").read_bytes() == b"%PDF-1.4 a"
    assert not (media / "logistics/vouchers").exists()
    assert (media / "other.png").exists()  # not a voucher: stays
    assert move_vouchers(media, private) == 0
    # backwards, they move back
    assert move_vouchers(private, media) == 2
    assert (media / "logistics/vouchers/7/面单.png").read_bytes() == PNG
