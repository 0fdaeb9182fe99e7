"""Companies: registration, verification lifecycle, people and roles, ordering selectors."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import translation

from companies import selectors
from companies.models import Company, CompanyMember, CompanyStatus, Consent, Role
from companies.services import people, registration, verification
from core.models import TransitionLog
from core.statemachine import history
from tests import factories

pytestmark = pytest.mark.django_db


def counts():
    return (
        Company.objects.count(),
        CompanyMember.objects.count(),
        Consent.objects.count(),
        TransitionLog.objects.count(),
    )


def test_registration_creates_an_application_with_its_admin_and_the_consent(settings):
    user = factories.person("buyer")
    details = factories.company_details(uscc=" ９１４４０３００１９２２０３８２１６ ".lower(), tax_number="")
    company = registration.register(user=user, details=details, licence=factories.licence_upload(), consented=True)
    assert company.status == CompanyStatus.APPLIED
    assert company.uscc == "914403001922038216"  # full-width, spaces and case normalised
    assert company.tax_number == company.uscc and company.invoice_title == company.legal_name
    assert company.registered_capital == Decimal("100.00")
    assert selectors.company_of(user) == company and selectors.role_of(user) == Role.ADMIN
    consent = Consent.objects.get(user=user)
    assert (consent.terms_version, consent.privacy_version) == (
        settings.USER_AGREEMENT_VERSION,
        settings.PRIVACY_POLICY_VERSION,
    )
    assert company.licence.storage.exists(company.licence.name)
    assert company.uscc_warnings == []


def test_an_organisation_code_mismatch_is_stored_as_a_warning_not_refused():
    from companies import uscc

    first17 = "91440300" + "12345678" + "0"  # organisation check character deliberately wrong
    code = first17 + uscc.check_character(first17)
    assert uscc.check(code).warnings
    company = registration.register(
        user=factories.person("w"),
        details=factories.company_details(uscc=code),
        licence=factories.licence_upload(),
        consented=True,
    )
    assert company.uscc_warnings == uscc.check(code).warnings  # stored for the reviewer, not refused
    assert company.status == CompanyStatus.APPLIED


@pytest.mark.parametrize(
    ("field", "details", "code"),
    [
        ("uscc", {"uscc": "914403001922038217"}, "check"),
        ("uscc", {"uscc": "91440300192203821"}, "length"),
        ("uscc", {"uscc": "91440300192203821I"}, "alphabet"),
        ("province", {"province": "加州"}, "invalid"),
        ("contact_phone", {"contact_phone": "12345"}, "invalid"),
        ("legal_name", {"legal_name": ""}, "required"),
        ("registered_capital", {"registered_capital": "-1"}, "invalid"),
        ("taxpayer_type", {"taxpayer_type": "other"}, "invalid"),
    ],
)
def test_bad_details_are_refused_by_field_and_nothing_is_saved(field, details, code):
    user = factories.person("buyer")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        registration.register(
            user=user, details=factories.company_details(**details), licence=factories.licence_upload(), consented=True
        )
    assert code in [e.code for e in exc.value.error_dict[field]]
    assert counts() == before


def test_a_duplicate_uscc_or_legal_name_is_refused_in_chinese():
    factories.company(factories.person("a"), "深圳市甲有限公司", 1)
    user = factories.person("b")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        registration.register(
            user=user,
            details=factories.company_details(
                "深圳市甲有限公司", 1, uscc=" " + factories.company_details(serial=1)["uscc"].lower()
            ),
            licence=factories.licence_upload(),
            consented=True,
        )
    errors = exc.value.message_dict
    assert errors["uscc"] == ["该统一社会信用代码的企业已注册。"]
    assert "已注册" in errors["legal_name"][0]
    assert counts() == before


def test_the_database_refuses_a_second_uscc_and_a_case_variant_of_a_name():
    a = factories.company(factories.person("a"), "Acme Trading 有限公司", 1)
    with pytest.raises(IntegrityError):
        Company.objects.create(
            legal_name="ACME TRADING 有限公司",
            uscc=factories.company_details(serial=2)["uscc"],
            legal_representative="x",
            province="广东省",
            city="x",
            address="x",
            applied_at=a.applied_at,
        )


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (factories.licence_upload("licence.png", b"MZ\x90\x00 not an image at all"), "not_image_or_pdf"),
        (factories.licence_upload("licence.exe.pdf", b"<html>pretend</html>"), "not_image_or_pdf"),
        (factories.licence_upload("big.pdf", b"%PDF-1.4" + b"0" * (5 * 1024 * 1024)), "too_big"),
    ],
)
def test_a_licence_that_is_not_an_image_or_pdf_or_too_big_is_refused(upload, code):
    user = factories.person("buyer")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        registration.register(user=user, details=factories.company_details(), licence=upload, consented=True)
    assert [e.code for e in exc.value.error_dict["licence"]] == [code]
    assert counts() == before


def test_no_consent_no_company():
    user = factories.person("buyer")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        registration.register(
            user=user, details=factories.company_details(), licence=factories.licence_upload(), consented=False
        )
    assert "consent" in exc.value.error_dict
    assert counts() == before


def test_a_user_registers_one_company_only():
    user = factories.person("buyer")
    factories.company(user, "深圳市甲有限公司", 1)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        registration.register(
            user=user,
            details=factories.company_details("深圳市乙有限公司", 2),
            licence=factories.licence_upload(),
            consented=True,
        )
    assert exc.value.code == "has_company"
    assert counts() == before


def test_staff_and_supplier_staff_cannot_register_a_company():
    with pytest.raises(ValidationError):
        registration.register(
            user=factories.operator("op"),
            details=factories.company_details(),
            licence=factories.licence_upload(),
            consented=True,
        )


# --- the lifecycle ----------------------------------------------------------------------------


def test_every_step_of_the_lifecycle_is_audited_and_wrong_steps_are_refused():
    op = factories.operator("op")
    admin = factories.person("a")
    company = factories.company(admin, verified=False)
    with pytest.raises(ValidationError) as exc:
        verification.reject(company, actor=op, reason="  ")
    assert "reason" in exc.value.error_dict
    company.refresh_from_db()
    assert company.status == CompanyStatus.APPLIED and not history(company).exists()
    verification.reject(company, actor=op, reason="营业执照模糊")
    assert company.status == CompanyStatus.REJECTED and company.status_reason == "营业执照模糊"
    with pytest.raises(ValidationError) as exc:
        verification.verify(company, actor=op)
    assert exc.value.error_dict["status"][0].code == "invalid_transition"
    registration.correct_and_reapply(
        company=company,
        user=admin,
        details=factories.company_details(address="南山区新地址8号"),
        licence=factories.licence_upload(),
    )
    company.refresh_from_db()
    assert (
        company.status == CompanyStatus.APPLIED and company.address == "南山区新地址8号" and company.status_reason == ""
    )
    verification.verify(company, actor=op)
    assert company.verified_at is not None
    with pytest.raises(ValidationError):
        verification.suspend(company, actor=op, reason="")
    verification.suspend(company, actor=op, reason="逾期未付款")
    verification.reinstate(company, actor=op)
    steps = [(h.from_state, h.to_state, h.actor_id, h.reason) for h in history(company)]
    assert steps == [
        ("applied", "rejected", op.pk, "营业执照模糊"),
        ("rejected", "applied", admin.pk, "已更正并重新提交"),
        ("applied", "verified", op.pk, ""),
        ("verified", "suspended", op.pk, "逾期未付款"),
        ("suspended", "verified", op.pk, ""),
    ]


def test_the_database_refuses_a_rejection_without_a_reason():
    company = factories.company(factories.person("a"), verified=False)
    with pytest.raises(IntegrityError):
        Company.objects.filter(pk=company.pk).update(status=CompanyStatus.REJECTED, status_reason="")


# --- people -----------------------------------------------------------------------------------


@pytest.fixture
def team(db):
    admin = factories.person("admin")
    company = factories.company(admin)
    buyer = factories.person("buyer2")
    member = people.add_member(company=company, user=buyer, role=Role.BUYER, by=admin)
    return company, admin, buyer, member


def test_an_admin_adds_changes_deactivates_and_reactivates_people(team):
    company, admin, buyer, member = team
    assert selectors.role_of(buyer) == Role.BUYER and member.added_by == admin
    people.change_role(member=member, role=Role.APPROVER, by=admin)
    assert CompanyMember.objects.get(pk=member.pk).role == Role.APPROVER
    people.deactivate(member=member, by=admin)
    assert selectors.company_of(type(buyer).objects.get(pk=buyer.pk)) is None  # a new request
    people.reactivate(member=member, by=admin)
    assert selectors.company_of(type(buyer).objects.get(pk=buyer.pk)) == company
    history = people.member_history([member])
    assert [(h.from_state, h.to_state) for h in history] == [
        ("", "buyer"),
        ("buyer", "approver"),
        ("active", "inactive"),
        ("inactive", "active"),
    ]
    with translation.override("zh-hans"):
        history = people.member_history([member])
    assert {h.person for h in history} == {member}
    assert [(str(h.from_label), str(h.to_label)) for h in history] == [
        ("", "采购员"),
        ("采购员", "审批人"),
        ("有效", "已停用"),
        ("已停用", "有效"),
    ]


def test_the_last_admin_cannot_be_demoted_or_deactivated(team):
    company, admin, buyer, member = team
    own = CompanyMember.objects.get(user=admin)
    before = (list(CompanyMember.objects.values_list("role", "is_active")), TransitionLog.objects.count())
    with pytest.raises(ValidationError) as exc:
        people.change_role(member=own, role=Role.BUYER, by=admin)
    assert exc.value.error_dict["role"][0].code == "last_admin"
    assert "至少" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        people.deactivate(member=own, by=admin)
    assert exc.value.error_dict["member"][0].code == "last_admin"
    assert (list(CompanyMember.objects.values_list("role", "is_active")), TransitionLog.objects.count()) == before
    # with a second admin the first may step down
    people.change_role(member=member, role=Role.ADMIN, by=admin)
    people.change_role(member=own, role=Role.BUYER, by=admin)
    assert CompanyMember.objects.filter(company=company, role=Role.ADMIN, is_active=True).count() == 1


def test_a_person_of_another_company_cannot_be_added(team):
    company, admin, buyer, member = team
    other = factories.company(factories.person("other"), "深圳市乙有限公司", 2)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        people.add_member(company=other, user=buyer, role=Role.BUYER, by=admin)
    assert exc.value.error_dict["email"][0].code == "has_company"
    with pytest.raises(ValidationError) as exc:
        people.find_user("nobody@example.cn")
    assert exc.value.error_dict["email"][0].code == "not_found"
    with pytest.raises(ValidationError):
        people.find_user(factories.operator("op").email)
    assert counts() == before


def test_role_checks(team):
    company, admin, buyer, member = team
    op = factories.operator("op")
    stranger = factories.person("stranger")
    assert selectors.can(admin, "manage_people") and selectors.can(admin, "manage_people", company)
    assert not selectors.can(buyer, "manage_people")
    assert selectors.can(op, "manage_people", company)
    assert not selectors.can(stranger, "view_company", company)
    other = factories.company(factories.person("other"), "深圳市乙有限公司", 2)
    assert not selectors.can(admin, "manage_people", other)


def test_ordering_on_account_needs_a_verified_company_and_a_role_that_orders(team):
    company, admin, buyer, member = team
    op = factories.operator("op")
    assert selectors.may_order_on_account(admin) and selectors.may_order_on_account(buyer)
    people.change_role(member=member, role=Role.READ_ONLY, by=admin)
    assert not selectors.may_order_on_account(type(buyer).objects.get(pk=buyer.pk))
    verification.suspend(company, actor=op, reason="x")
    assert not selectors.may_order_on_account(type(admin).objects.get(pk=admin.pk))
    lone = factories.person("lone")
    assert not selectors.may_order_on_account(lone)
    pending = factories.person("pending")
    factories.company(pending, "深圳市丙有限公司", 3, verified=False)
    assert not selectors.may_order_on_account(pending)
    # ordering at all: every order is a company's; an application may order unless the setting
    # asks for verification first
    assert not selectors.may_order(lone) and selectors.may_order(pending)
    with override_settings(COMPANY_VERIFICATION_REQUIRED_TO_ORDER=True):
        assert not selectors.may_order(type(lone).objects.get(pk=lone.pk))
        assert not selectors.may_order(type(pending).objects.get(pk=pending.pk))
        verified = factories.person("verified")
        factories.company(verified, "深圳市丁有限公司", 4)
        assert selectors.may_order(verified)


def test_the_database_keeps_a_user_in_one_company():
    admin = factories.person("a")
    first = factories.company(admin, "深圳市甲有限公司", 1)
    second = factories.company(factories.person("b"), "深圳市乙有限公司", 2)
    with pytest.raises(IntegrityError):
        CompanyMember.objects.create(company=second, user=admin, role=Role.BUYER, added_at=first.applied_at)


def test_the_database_refuses_an_unknown_role_or_a_short_uscc():
    company = factories.company(factories.person("a"))
    with pytest.raises(IntegrityError), transaction.atomic():
        CompanyMember.objects.filter(company=company).update(role="boss")
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.filter(pk=company.pk).update(uscc="91440300")


def test_a_registration_the_database_refuses_leaves_no_row_and_no_file(monkeypatch, settings):
    """Two registrations of one code at once: the second passes the checks, the database refuses it."""
    first = factories.company(factories.person("a"), "深圳市甲有限公司", 1)
    original = registration.clean_details

    def racing(details, **kwargs):
        data, warnings = original(details, **kwargs)
        return {**data, "uscc": first.uscc}, warnings

    monkeypatch.setattr(registration, "clean_details", racing)
    files = sorted(p.name for p in (settings.PRIVATE_MEDIA_ROOT / "companies/licences" / first.uscc).iterdir())
    before = counts()
    with pytest.raises(ValidationError) as exc:
        registration.register(
            user=factories.person("b"),
            details=factories.company_details("深圳市乙有限公司", 2),
            licence=factories.licence_upload(),
            consented=True,
        )
    assert exc.value.code == "taken"
    assert counts() == before
    assert sorted(p.name for p in (settings.PRIVATE_MEDIA_ROOT / "companies/licences" / first.uscc).iterdir()) == files
