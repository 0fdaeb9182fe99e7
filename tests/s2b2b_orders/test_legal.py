"""Suppliers' legal details (企业资料): submitted by the supplier's staff, reviewed by an operator;
contracts and settlements read only the approved version."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from companies.uscc import generate
from core.models import OutboxMessage
from core.statemachine import history
from plugins.s2b2b_orders.models import LegalStatus, SupplierLegalProfile
from plugins.s2b2b_orders.selectors import approved_legal_profile
from plugins.s2b2b_orders.services import legal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English here (the pages' Chinese is tested through the views)."""
    with translation.override("en"):
        yield


PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64
JG_USCC = generate("320500", 1001)
DF_USCC = generate("330200", 2002)


def details(**changes) -> dict:
    data = {
        "legal_name": "苏州精工五金制品有限公司",
        "uscc": JG_USCC,
        "province": "江苏省",
        "city": "苏州市",
        "address": "工业园区星湖街 88 号",
        "representative": "沈建国",
        "bank_name": "中国工商银行苏州工业园区支行",
        "bank_account": "1102 0201 0900 1234 567",
        "taxpayer_type": "general",
    }
    data.update(changes)
    return data


def png(name="营业执照.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def submit(shop, who="jg", **changes):
    licence = changes.pop("licence", png())
    return legal.submit(partner=shop[who], user=shop[f"{who}_staff"], data=details(**changes), licence=licence)


def test_a_submission_waits_and_the_approved_version_is_what_contracts_read(shop):
    version = submit(shop)
    assert version.status == LegalStatus.PENDING
    assert version.bank_account == "1102020109001234567"
    assert approved_legal_profile(shop["jg"]) is None

    legal.approve(version, reviewer=shop["operator"])
    snapshot = approved_legal_profile(shop["jg"])
    assert (snapshot.uscc, snapshot.legal_name, snapshot.taxpayer_type) == (
        JG_USCC,
        "苏州精工五金制品有限公司",
        "general",
    )
    assert (
        shop["jg"].supplier_profile.__class__.objects.get(partner=shop["jg"]).legal_name == "苏州精工五金制品有限公司"
    )

    # a change after approval is a new pending version; the approved one is what is read
    change = legal.submit(
        partner=shop["jg"], user=shop["jg_staff"], data=details(address="工业园区金鸡湖大道 1 号"), licence=None
    )
    assert change.pk != version.pk and change.status == LegalStatus.PENDING
    assert change.licence.name == version.licence.name  # the licence is kept when none is uploaded
    assert approved_legal_profile(shop["jg"]).address == "工业园区星湖街 88 号"

    legal.approve(change, reviewer=shop["operator"])
    version.refresh_from_db()
    assert version.status == LegalStatus.SUPERSEDED
    assert approved_legal_profile(shop["jg"].pk).address == "工业园区金鸡湖大道 1 号"
    moves = [(row.from_state, row.to_state, row.actor_id) for row in history(change)]
    assert moves == [("", "pending", shop["jg_staff"].pk), ("pending", "approved", shop["operator"].pk)]
    assert [(r.from_state, r.to_state) for r in history(version)][-1] == ("approved", "superseded")


def test_a_rejection_keeps_its_reason_and_notifies_the_suppliers_staff(shop):
    version = submit(shop)
    with pytest.raises(ValidationError) as exc:
        legal.reject(version, reviewer=shop["operator"], reason="  ")
    assert "reason" in exc.value.message_dict
    version.refresh_from_db()
    assert version.status == LegalStatus.PENDING

    legal.reject(version, reviewer=shop["operator"], reason="营业执照模糊")
    version.refresh_from_db()
    assert (version.status, version.rejection_reason, version.reviewed_by) == (
        "rejected",
        "营业执照模糊",
        shop["operator"],
    )
    log = list(history(version))[-1]
    assert (log.to_state, log.reason, log.actor) == ("rejected", "营业执照模糊", shop["operator"])
    message = OutboxMessage.objects.get(topic="supplier_legal.rejected")
    assert (message.channel, message.recipient) == ("notification", str(shop["jg_staff"].pk))
    assert "营业执照模糊" in message.payload["body"]

    # resubmitted: a new pending version, the licence of the rejected one kept
    again = legal.submit(partner=shop["jg"], user=shop["jg_staff"], data=details(), licence=None)
    assert again.pk != version.pk and again.licence.name == version.licence.name
    legal.approve(again, reviewer=shop["operator"])
    assert OutboxMessage.objects.filter(topic="supplier_legal.approved").count() == 1


def test_approving_twice_or_rejecting_an_approved_version_is_refused(shop):
    version = legal.approve(submit(shop), reviewer=shop["operator"])
    for action in (
        lambda: legal.approve(version, reviewer=shop["operator"]),
        lambda: legal.reject(version, reviewer=shop["operator"], reason="x"),
    ):
        with pytest.raises(ValidationError) as exc:
            action()
        assert exc.value.error_dict["status"][0].code == "invalid_transition"
    assert SupplierLegalProfile.objects.get().status == LegalStatus.APPROVED


def test_a_second_submission_while_pending_updates_the_waiting_version(shop):
    first = submit(shop)
    second = legal.submit(partner=shop["jg"], user=shop["jg_staff"], data=details(city="昆山市"), licence=None)
    assert second.pk == first.pk and second.city == "昆山市"
    assert SupplierLegalProfile.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"uscc": JG_USCC[:-1] + ("0" if JG_USCC[-1] != "0" else "1")}, "uscc", "last character"),
        ({"uscc": "12345"}, "uscc", "18 characters"),
        ({"uscc": "91440300708461136I"}, "uscc", "cannot contain"),
        ({"legal_name": "  "}, "legal_name", "legal name"),
        ({"province": "加州"}, "province", "province"),
        ({"taxpayer_type": "big"}, "taxpayer_type", "small-scale"),
        ({"bank_account": "ABC123"}, "bank_account", "digits"),
        ({"representative": ""}, "representative", "representative"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(shop, changes, field, words):
    with pytest.raises(ValidationError) as exc:
        submit(shop, **changes)
    assert field in exc.value.message_dict
    assert words in " ".join(exc.value.message_dict[field])
    assert not SupplierLegalProfile.objects.exists()


def test_a_full_width_lower_case_code_is_normalised_before_the_check(shop):
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in JG_USCC.lower())
    version = submit(shop, uscc=f" {full_width[:6]} {full_width[6:]} ")
    assert version.uscc == JG_USCC


def test_another_suppliers_code_is_refused(shop):
    legal.approve(submit(shop), reviewer=shop["operator"])
    with pytest.raises(ValidationError) as exc:
        submit(shop, who="df", legal_name="宁波东方电气设备有限公司")
    assert "Another supplier" in exc.value.message_dict["uscc"][0]
    # pending ones count as well
    submit(shop, who="df", uscc=DF_USCC)
    with pytest.raises(ValidationError):
        legal.submit(partner=shop["jg"], user=shop["jg_staff"], data=details(uscc=DF_USCC), licence=None)


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (SimpleUploadedFile("执照.png", b"MZ\x90\x00 not an image", content_type="image/png"), "image"),
        (SimpleUploadedFile("执照.pdf", PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf"), "10 MB"),
        (None, "Upload"),
    ],
)
def test_a_bad_or_missing_licence_is_refused(shop, upload, words):
    with pytest.raises(ValidationError) as exc:
        legal.submit(partner=shop["jg"], user=shop["jg_staff"], data=details(), licence=upload)
    assert words in exc.value.message_dict["licence"][0]
    assert not SupplierLegalProfile.objects.exists()


def test_the_reviewer_sees_the_organisation_code_warning_but_it_is_no_refusal(shop):
    # a valid check character over an organisation code whose own check fails
    from companies.uscc import check_character

    first17 = "91320500" + "12345678" + "0"
    code = first17 + check_character(first17)
    checked = legal.uscc_check(code)
    assert checked.valid and checked.warnings
    version = submit(shop, uscc=code)
    assert version.status == LegalStatus.PENDING
    assert not legal.uscc_check("12345").valid


def test_the_diff_shows_what_changed(shop):
    approved = legal.approve(submit(shop), reviewer=shop["operator"])
    change = legal.submit(partner=shop["jg"], user=shop["jg_staff"], data=details(taxpayer_type="small"), licence=None)
    rows = {row["name"]: row for row in legal.diff(change, approved)}
    assert rows["taxpayer_type"]["changed"] and not rows["legal_name"]["changed"]
    assert not rows["licence"]["changed"]
