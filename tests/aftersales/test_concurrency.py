"""Two requests for the same units at once: the part's lock makes the second re-check and fail,
whichever comes first (PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from plugins.aftersales.models import AfterSalesLine, AfterSalesRequest, Kind, Reason
from plugins.aftersales.services import requests as services


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_requests_at_once_cannot_take_more_than_was_delivered(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def ask():
        try:
            with translation.override("en"):
                barrier.wait(timeout=10)
                services.create_request(
                    supplier_order=world.jg_part,
                    kind=Kind.RETURN,
                    reason=Reason.QUALITY,
                    lines=[(world.bolt_line.pk, 6)],
                    by=world.buyer,
                )
            outcomes.append("made")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.message_dict.get("lines", [])))
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == sorted(["made", "“外六角螺栓 M8×30”: at most 4 can still be requested (delivered 10)."])
    assert AfterSalesRequest.objects.count() == 1
    assert sum(AfterSalesLine.objects.values_list("quantity", flat=True)) == 6
