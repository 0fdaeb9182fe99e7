"""企业资料 pages: the supplier's portal page, the operators' review queue and review page, the
licence download; who may open them (the rest of the site is walked by test_isolation_site)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.models import OutboxMessage
from core.statemachine import history
from plugins.s2b2b_orders.models import LegalStatus, SupplierLegalProfile
from plugins.s2b2b_orders.selectors import approved_legal_profile
from tests.s2b2b_orders.conftest import client_for
from tests.s2b2b_orders.test_legal import JG_USCC, PDF, PNG, details

pytestmark = pytest.mark.django_db


def form(**changes):
    data = details(**changes)
    data.setdefault("licence", SimpleUploadedFile("营业执照.png", PNG, content_type="image/png"))
    return {k: v for k, v in data.items() if v is not None}


def test_the_supplier_submits_the_operator_rejects_then_approves(shop):
    supplier = client_for(shop["jg_staff"])
    page = supplier.get(reverse("s2b2b-portal-legal"))
    assert page.status_code == 200
    assert "企业资料" in page.content.decode() and "尚无已审核的企业资料" in page.content.decode()

    full_width = "".join(chr(ord(c) + 0xFEE0) for c in JG_USCC.lower())
    response = supplier.post(reverse("s2b2b-portal-legal"), form(uscc=full_width))
    assert response.status_code == 302
    version = SupplierLegalProfile.objects.get()
    assert (version.uscc, version.status) == (JG_USCC, LegalStatus.PENDING)
    page = supplier.get(reverse("s2b2b-portal-legal")).content.decode()
    assert "等待审核" in page

    operator = client_for(shop["operator"])
    queue = operator.get(reverse("s2b2b-ops-legal")).content.decode()
    assert "苏州精工五金制品有限公司" in queue and JG_USCC in queue
    review = operator.get(reverse("s2b2b-ops-legal-review", args=[version.pk]))
    assert review.status_code == 200
    body = review.content.decode()
    assert "GB 32100" in body and version.licence_url in body and "<img" in body
    licence = operator.get(version.licence_url)
    assert licence.status_code == 200 and licence["Content-Type"] == "image/png"
    assert licence["X-Content-Type-Options"] == "nosniff" and licence["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(licence.streaming_content) == PNG

    # no reason: the page again with the error, nothing changed
    response = operator.post(reverse("s2b2b-ops-legal-review", args=[version.pk]), {"action": "reject", "reason": ""})
    assert response.status_code == 400
    assert "请说明驳回这份企业资料的原因" in response.content.decode()
    version.refresh_from_db()
    assert version.status == LegalStatus.PENDING and len(history(version)) == 1

    response = operator.post(
        reverse("s2b2b-ops-legal-review", args=[version.pk]), {"action": "reject", "reason": "营业执照不清晰"}
    )
    assert response.status_code == 302
    page = supplier.get(reverse("s2b2b-portal-legal")).content.decode()
    assert "营业执照不清晰" in page and "被驳回" in page
    assert f'value="{JG_USCC}"' in page  # the form starts from the rejected submission
    assert OutboxMessage.objects.filter(topic="supplier_legal.rejected", recipient=str(shop["jg_staff"].pk)).exists()

    # resubmitted with a PDF licence, then approved
    pdf = SimpleUploadedFile("营业执照.pdf", PDF, content_type="application/pdf")
    assert supplier.post(reverse("s2b2b-portal-legal"), form(licence=pdf)).status_code == 302
    again = SupplierLegalProfile.objects.get(status=LegalStatus.PENDING)
    assert "application/pdf" in operator.get(reverse("s2b2b-ops-legal-review", args=[again.pk])).content.decode()
    assert operator.post(reverse("s2b2b-ops-legal-review", args=[again.pk]), {"action": "approve"}).status_code == 302
    assert approved_legal_profile(shop["jg"]).version_id == again.pk
    page = supplier.get(reverse("s2b2b-portal-legal")).content.decode()
    assert "被驳回" not in page and "审核通过" in page

    # approving what is already approved: a clear error, nothing changes
    response = operator.post(reverse("s2b2b-ops-legal-review", args=[again.pk]), {"action": "approve"})
    assert response.status_code == 400
    assert "不能变为" in response.content.decode()
    assert len(history(again)) == 2


def test_bad_input_in_the_portal_shows_the_reasons_and_saves_nothing(shop):
    supplier = client_for(shop["jg_staff"])
    bad_licence = SimpleUploadedFile("营业执照.png", b"<html>not an image</html>", content_type="image/png")
    response = supplier.post(
        reverse("s2b2b-portal-legal"),
        form(uscc=JG_USCC[:-1] + ("0" if JG_USCC[-1] != "0" else "1"), legal_name="", licence=bad_licence),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "统一社会信用代码" in body and "请填写企业名称" in body and "必须是图片" in body
    assert not SupplierLegalProfile.objects.exists()


def test_nobody_else_sees_or_changes_a_suppliers_legal_details(shop):
    supplier = client_for(shop["jg_staff"])
    supplier.post(reverse("s2b2b-portal-legal"), form(representative="机密代表"))
    version = SupplierLegalProfile.objects.get()
    other = client_for(shop["df_staff"])
    page = other.get(reverse("s2b2b-portal-legal")).content.decode()
    assert "机密代表" not in page and JG_USCC not in page
    assert other.get(version.licence_url).status_code == 404
    assert other.get(reverse("s2b2b-legal-licence", args=[version.pk + 1000])).status_code == 404
    assert supplier.get(version.licence_url).status_code == 200

    salesperson = get_user_model().objects.create_user(username="sales", email="sales@example.cn", is_staff=True)
    for client in (other, client_for(shop["buyer"]), client_for(salesperson)):
        assert client.get(reverse("s2b2b-ops-legal")).status_code == 403
        assert (
            client.post(reverse("s2b2b-ops-legal-review", args=[version.pk]), {"action": "approve"}).status_code == 403
        )
    for client in (client_for(shop["buyer"]), client_for(salesperson)):
        assert client.get(reverse("s2b2b-portal-legal")).status_code == 403
        assert client.get(version.licence_url).status_code == 403
    anonymous = Client()
    for url in (reverse("s2b2b-portal-legal"), version.licence_url, reverse("s2b2b-ops-legal")):
        response = anonymous.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    version.refresh_from_db()
    assert version.status == LegalStatus.PENDING
