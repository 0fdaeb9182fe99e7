"""Carrier tracking-number formats, and two suppliers racing for one tracking number."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from plugins.logistics.models import Carrier, Parcel
from plugins.logistics.services.shipments import record_shipment, validate_tracking_number
from tests import factories

VALID = {
    "sf": ["SF1234567890123", "sf 1234 5678 9012"],
    "zto": ["731234567890", "78123456789012"],
    "yto": ["YT1234567890123"],
    "sto": ["7712345678901"],
    "yunda": ["4312345678901", "123456789012345"],
    "ems": ["EA123456789CN", "1012345678901"],
    "jd": ["JDVA12345678901", "JD0012345678901"],
    "deppon": ["DPK123456789012", "123456789"],
    "jt": ["JT1234567890123"],
    "best": ["A123456789012", "123456789012"],
}
MALFORMED = {
    "sf": ["123", "SF12345", "YT1234567890123", "SF12345678901234567"],
    "zto": ["ZT123", "1234567890"],
    "yto": ["1234567890123", "YT12"],
    "ems": ["EA123456789", "E1234567890CN"],
    "jd": ["JD123", "SF1234567890123"],
    "jt": ["JT12", "YT1234567890123"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("code, numbers", VALID.items())
def test_common_tracking_numbers_are_accepted(code, numbers):
    carrier = Carrier.objects.get(code=code)
    for number in numbers:
        assert validate_tracking_number(carrier, number) == number.replace(" ", "").upper()


@pytest.mark.django_db
@pytest.mark.parametrize("code, numbers", MALFORMED.items())
def test_malformed_tracking_numbers_are_refused_naming_the_carrier(code, numbers):
    carrier = Carrier.objects.get(code=code)
    for number in numbers:
        with pytest.raises(ValidationError) as exc:
            validate_tracking_number(carrier, number)
        assert carrier.name in exc.value.messages[0] and number in exc.value.messages[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps the carriers (migration data)
def test_two_shipments_racing_for_one_tracking_number_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: concurrent transactions on separate connections")
    factories.category("紧固件")
    jg = factories.supplier("jg", "苏州精工五金制品有限公司")
    bolt = factories.product("JG-HB-M8-30", "外六角螺栓 M8×30", "32.00", 500, jg)
    buyer = factories.distributor("racer")
    orders = [factories.place_order(buyer, [(bolt, 1)]) for _ in range(2)]
    barrier = threading.Barrier(2)
    results = []

    def ship(order):
        from django.db import connections

        try:
            barrier.wait()
            record_shipment(
                order=order, partner=jg, reference="", carrier_code="sf", tracking_numbers=["SF1234567890123"]
            )
            results.append("ok")
        except ValidationError as exc:
            results.append(exc.message_dict)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ship, args=(o,)) for o in orders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1
    errors = [r for r in results if r != "ok"]
    assert len(errors) == 1 and "tracking_numbers" in errors[0]
    assert Parcel.objects.filter(tracking_number="SF1234567890123").count() == 1
