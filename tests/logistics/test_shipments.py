"""Recording shipments: carriers, validated tracking numbers, vouchers; nothing saved on bad input."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from plugins.logistics import selectors
from plugins.logistics.models import Carrier, Parcel, Shipment, ShipmentVoucher
from plugins.logistics.services.shipments import record_shipment
from plugins.logistics.services.tracking import subscriptions
from tests import factories

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n"


@pytest.fixture
def order(buyer, catalogue):
    return factories.place_order(buyer, [(catalogue["bolt"], 2), (catalogue["wire"], 1)])


def test_carriers_are_seeded_as_data_with_patterns_and_links():
    codes = set(selectors.active_carriers().values_list("code", flat=True))
    assert {"sf", "zto", "yto", "sto", "yunda", "ems", "jd", "deppon", "jt", "best"} <= codes
    sf = Carrier.objects.get(code="sf")
    assert sf.name == "顺丰速运"
    assert sf.tracking_link("SF1234567890123").endswith("/SF1234567890123")
    assert Carrier.objects.get(code="yto").tracking_link("YT1234567890123") == (
        "https://www.kuaidi100.com/chaxun?com=yuantong&nu=YT1234567890123"
    )


def test_record_shipment_with_several_parcels_and_vouchers(order, catalogue, buyer):
    jg = catalogue["suppliers"]["jg"]
    staff = factories.supplier_staff(jg)
    shipment = record_shipment(
        order=order,
        partner=jg,
        reference=f"{order.number}-S1",
        carrier_code="sf",
        tracking_numbers=["sf1234567890123", " SF 1234567890124 "],
        vouchers=[SimpleUploadedFile("面单.png", PNG), SimpleUploadedFile("回单.pdf", PDF)],
        shipped_by=staff,
    )
    assert shipment.carrier.code == "sf"
    assert shipment.status == Shipment.SHIPPED
    assert shipment.created_by == staff
    assert sorted(shipment.parcels.values_list("tracking_number", flat=True)) == ["SF1234567890123", "SF1234567890124"]
    assert shipment.vouchers.count() == 2
    # each parcel is queued for the tracking subscription (the kernel's outbox), in the same transaction
    assert sorted(subscriptions().filter(parcel__shipment=shipment).values_list("reference", flat=True)) == [
        "SF1234567890123",
        "SF1234567890124",
    ]

    listed = list(selectors.shipments_for(order, partner=jg, reference=f"{order.number}-S1"))
    assert listed == [shipment]
    assert list(selectors.shipments_for(order, partner=catalogue["suppliers"]["df"])) == []


def _assert_nothing_saved():
    assert Shipment.objects.count() == 0
    assert Parcel.objects.count() == 0
    assert ShipmentVoucher.objects.count() == 0
    assert subscriptions().count() == 0


@pytest.mark.parametrize(
    "carrier_code, numbers, field, message",
    [
        ("nope", ["SF1234567890123"], "carrier", "Choose a carrier from the list."),
        ("sf", [], "tracking_numbers", "Enter at least one tracking number."),
        ("sf", ["  "], "tracking_numbers", "Enter a tracking number."),
        ("sf", ["12345"], "tracking_numbers", "“12345” is not a valid 顺丰速运 tracking number."),
        ("yto", ["SF1234567890123"], "tracking_numbers", "is not a valid 圆通速递 tracking number"),
        ("sf", ["SF1234567890123", "sf1234567890123"], "tracking_numbers", "SF1234567890123 is entered twice."),
    ],
)
def test_bad_shipments_are_rejected_field_by_field(order, catalogue, carrier_code, numbers, field, message, settings):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ValidationError) as exc:
        record_shipment(
            order=order,
            partner=catalogue["suppliers"]["jg"],
            reference="",
            carrier_code=carrier_code,
            tracking_numbers=numbers,
        )
    assert field in exc.value.message_dict
    assert any(message in m for m in exc.value.message_dict[field])
    _assert_nothing_saved()


def test_inactive_carrier_is_refused(order, catalogue):
    Carrier.objects.filter(code="sf").update(active=False)
    with pytest.raises(ValidationError) as exc:
        record_shipment(
            order=order,
            partner=catalogue["suppliers"]["jg"],
            reference="",
            carrier_code="sf",
            tracking_numbers=["SF1234567890123"],
        )
    assert "carrier" in exc.value.message_dict
    assert "sf" not in selectors.active_carriers().values_list("code", flat=True)
    _assert_nothing_saved()


def test_a_tracking_number_is_used_once_per_carrier(order, catalogue):
    jg = catalogue["suppliers"]["jg"]
    record_shipment(order=order, partner=jg, reference="", carrier_code="sf", tracking_numbers=["SF1234567890123"])
    with pytest.raises(ValidationError) as exc:
        record_shipment(order=order, partner=jg, reference="", carrier_code="sf", tracking_numbers=["SF1234567890123"])
    assert "already used" in " ".join(exc.value.message_dict["tracking_numbers"]) or "已" in " ".join(
        exc.value.message_dict["tracking_numbers"]
    )
    assert Shipment.objects.count() == 1


def test_vouchers_must_be_images_or_pdf_and_small(order, catalogue):
    jg = catalogue["suppliers"]["jg"]
    for upload in (
        SimpleUploadedFile("script.png", b"<script>alert(1)</script>"),
        SimpleUploadedFile("big.pdf", PDF + b"\x00" * (10 * 1024 * 1024)),
    ):
        with pytest.raises(ValidationError) as exc:
            record_shipment(
                order=order,
                partner=jg,
                reference="",
                carrier_code="sf",
                tracking_numbers=["SF1234567890123"],
                vouchers=[upload],
            )
        assert "vouchers" in exc.value.message_dict
        _assert_nothing_saved()


def test_a_supplier_cannot_ship_an_order_without_its_goods(buyer, catalogue):
    order = factories.place_order(buyer, [(catalogue["bolt"], 1)])
    with pytest.raises(ValidationError) as exc:
        record_shipment(
            order=order,
            partner=catalogue["suppliers"]["df"],
            reference="",
            carrier_code="sf",
            tracking_numbers=["SF1234567890123"],
        )
    assert "partner" in exc.value.message_dict
    _assert_nothing_saved()


def test_shipments_for_has_a_flat_query_count(order, catalogue, django_assert_max_num_queries):
    jg = catalogue["suppliers"]["jg"]
    for n in range(5):
        record_shipment(
            order=order, partner=jg, reference="", carrier_code="sf", tracking_numbers=[f"SF12345678901{n:02d}"]
        )
    with django_assert_max_num_queries(5):
        for shipment in selectors.shipments_for(order):
            for parcel in shipment.parcels.all():
                list(parcel.events.all())
                parcel.tracking_link  # noqa: B018
            list(shipment.vouchers.all())
