"""Supplier API: myLegalProfile (approved + pending) and submitLegalProfile, scoped to the
asking supplier; bad input comes back as camelCase field errors and writes nothing."""

import base64

import pytest

from plugins.s2b2b_orders.models import LegalStatus, SupplierLegalProfile
from plugins.s2b2b_orders.services import legal
from tests.s2b2b_orders.test_graphql import gql
from tests.s2b2b_orders.test_legal import JG_USCC, PNG, details, png

pytestmark = pytest.mark.django_db

MINE = """{ myLegalProfile {
  approved { id status statusLabel legalName uscc province city address representative bankName bankAccount
             taxpayerType taxpayerTypeLabel licenceUrl reviewedAt }
  pending { id status legalName address licenceUrl }
  rejected { id rejectionReason } } }"""
SUBMIT = """mutation($legalName: String, $uscc: String, $province: String, $city: String, $address: String,
  $representative: String, $bankName: String, $bankAccount: String, $taxpayerType: String,
  $licenceFilename: String, $licenceBase64: String) {
  submitLegalProfile(legalName: $legalName, uscc: $uscc, province: $province, city: $city, address: $address,
    representative: $representative, bankName: $bankName, bankAccount: $bankAccount, taxpayerType: $taxpayerType,
    licenceFilename: $licenceFilename, licenceBase64: $licenceBase64) {
    legalProfile { status uscc } errors { field message code } } }"""


def variables(**changes):
    data = details(**changes)
    return {
        "legalName": data["legal_name"],
        "uscc": data["uscc"],
        "province": data["province"],
        "city": data["city"],
        "address": data["address"],
        "representative": data["representative"],
        "bankName": data["bank_name"],
        "bankAccount": data["bank_account"],
        "taxpayerType": data["taxpayer_type"],
        "licenceFilename": "营业执照.png",
        "licenceBase64": base64.b64encode(PNG).decode(),
    }


def test_a_supplier_submits_and_reads_its_legal_details(shop):
    empty = gql(MINE, user=shop["jg_staff"])["data"]["myLegalProfile"]
    assert empty == {"approved": None, "pending": None, "rejected": None}

    result = gql(SUBMIT, variables(), user=shop["jg_staff"])["data"]["submitLegalProfile"]
    assert result == {"legalProfile": {"status": "pending", "uscc": JG_USCC}, "errors": []}
    legal.approve(SupplierLegalProfile.objects.get(), reviewer=shop["operator"])
    changed = {**variables(address="新地址 1 号"), "licenceBase64": None}
    assert gql(SUBMIT, changed, user=shop["jg_staff"])["data"]["submitLegalProfile"]["errors"] == []

    mine = gql(MINE, user=shop["jg_staff"])["data"]["myLegalProfile"]
    assert mine["approved"]["uscc"] == JG_USCC and mine["approved"]["status"] == "approved"
    assert mine["approved"]["taxpayerType"] == "general" and mine["approved"]["licenceUrl"]
    assert mine["pending"]["address"] == "新地址 1 号"
    # another supplier sees only its own (nothing)
    other = gql(MINE, user=shop["df_staff"])["data"]["myLegalProfile"]
    assert other == {"approved": None, "pending": None, "rejected": None}


def test_bad_input_is_field_errors_and_writes_nothing(shop):
    legal.approve(
        legal.submit(partner=shop["df"], user=shop["df_staff"], data=details(), licence=png()),
        reviewer=shop["operator"],
    )
    bad = {
        **variables(legalName="", uscc="", bankAccount="X1"),
        "legalName": "",
        "uscc": JG_USCC,  # df's already
        "bankAccount": "X1",
        "licenceBase64": base64.b64encode(b"not a licence").decode(),
    }
    errors = gql(SUBMIT, bad, user=shop["jg_staff"])["data"]["submitLegalProfile"]["errors"]
    assert {e["field"] for e in errors} == {"legalName", "uscc", "bankAccount", "licenceBase64"}
    garbled = gql(SUBMIT, {**variables(), "licenceBase64": "***"}, user=shop["jg_staff"])
    assert garbled["data"]["submitLegalProfile"]["errors"][0]["field"] == "licenceBase64"
    assert SupplierLegalProfile.objects.filter(partner=shop["jg"]).count() == 0
    assert SupplierLegalProfile.objects.get().status == LegalStatus.APPROVED


def test_only_supplier_staff_may_ask(shop):
    for user in (shop["buyer"], shop["operator"]):
        response = gql(MINE, user=user)
        assert response["data"] is None or response["data"].get("myLegalProfile") is None
        assert response["errors"][0]["extensions"]["code"] == "forbidden"
        submit = gql(SUBMIT, variables(), user=user)
        assert submit["errors"][0]["extensions"]["code"] == "forbidden"
    anonymous = gql(MINE)
    assert anonymous["errors"][0]["extensions"]["code"] == "unauthenticated"
    assert not SupplierLegalProfile.objects.exists()
