"""E-mail invitations: an admin invites by e-mail with a role, the e-mail leaves through the
outbox, the invitee opens the link and joins (signed in, or signing up on the page). Every way it
can go wrong is a clear message in Chinese and saves nothing."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from companies import selectors
from companies.models import CompanyInvitation, CompanyMember, Consent, InvitationStatus, Role
from companies.services import invitations, people, verification
from core.models import TransitionLog
from core.outbox import OutboxMessage
from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()
BASE = "https://shop.example.cn"


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def counts():
    return (
        User.objects.count(),
        CompanyMember.objects.count(),
        sorted(CompanyInvitation.objects.values_list("pk", "status", "token_hash", "expires_at", "invited_by_id")),
        Consent.objects.count(),
        TransitionLog.objects.count(),
        OutboxMessage.objects.count(),
    )


@pytest.fixture
def admin():
    return factories.person("admin")


@pytest.fixture
def company(admin):
    return factories.company(admin)


def invite(company, admin, email="New.Person@Example.cn", role=Role.BUYER, **kwargs):
    return invitations.invite(company=company, email=email, role=role, by=admin, base_url=BASE, **kwargs)


def code_of(call) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    if hasattr(error, "error_dict"):
        return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}
    return error.code


def test_an_invitation_is_stored_hashed_and_its_email_goes_through_the_outbox(company, admin):
    sent = invite(company, admin, role=Role.APPROVER)
    invitation = sent.invitation
    assert invitation.email == "new.person@example.cn"  # normalised
    assert invitation.token_hash == invitations.hash_token(sent.token) and sent.token not in invitation.token_hash
    assert not CompanyInvitation.objects.filter(token_hash=sent.token).exists()
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    assert invitation.effective_status() == InvitationStatus.PENDING
    message = OutboxMessage.objects.get(topic="company.invitation")
    assert (message.channel, message.recipient) == ("email", "new.person@example.cn")
    link = f"{BASE}/accounts/company/invitations/{sent.token}/"
    assert link in message.payload["body"]
    assert company.legal_name in message.payload["subject"] and "审批人" in message.payload["body"]
    assert TransitionLog.objects.filter(machine="company_invitation", to_state="pending").count() == 1


def test_the_expiry_comes_from_the_setting(company, admin, settings):
    settings.COMPANY_INVITATION_DAYS = 2
    invitation = invite(company, admin).invitation
    assert invitation.expires_at - invitation.created_at == timedelta(days=2)


def test_a_signed_in_buyer_joins_with_the_role_audited_as_added_by_the_inviter(company, admin):
    sent = invite(company, admin, role=Role.FINANCE)
    person = factories.person("new.person")  # new.person@example.cn
    member = invitations.accept(token=sent.token, user=person)
    assert (member.company, member.role, member.added_by) == (company, Role.FINANCE, admin)
    assert selectors.company_of(person) == company
    invitation = CompanyInvitation.objects.get()
    assert (invitation.status, invitation.accepted_by) == (InvitationStatus.ACCEPTED, person)
    log = TransitionLog.objects.get(machine="company_member", object_id=str(member.pk))
    assert (log.to_state, log.actor, log.reason) == ("finance", admin, "通过邀请加入")


def test_reinviting_the_same_address_replaces_the_pending_invitation(company, admin):
    first = invite(company, admin, email="x@example.cn", role=Role.BUYER)
    second = invite(company, admin, email="X@example.cn", role=Role.APPROVER)
    assert second.replaced
    first.invitation.refresh_from_db()
    assert first.invitation.status == InvitationStatus.REVOKED
    assert CompanyInvitation.objects.filter(status=InvitationStatus.PENDING).get().role == Role.APPROVER
    assert OutboxMessage.objects.filter(topic="company.invitation").count() == 2
    person = factories.person("x")
    assert code_of(lambda: invitations.accept(token=first.token, user=person)) == "revoked"
    assert invitations.accept(token=second.token, user=person).role == Role.APPROVER


def test_resending_gives_a_new_link_and_expiry_and_kills_the_old_one(company, admin):
    sent = invite(company, admin, email="x@example.cn")
    later = timezone.now() + timedelta(days=3)
    again = invitations.resend(invitation=sent.invitation, by=admin, base_url=BASE, now=later)
    assert again.token != sent.token and again.invitation.pk == sent.invitation.pk
    assert again.invitation.expires_at == later + timedelta(days=7)
    assert OutboxMessage.objects.filter(topic="company.invitation").count() == 2
    person = factories.person("x")
    assert invitations.find(sent.token) is None
    assert code_of(lambda: invitations.accept(token=sent.token, user=person)) == "not_found"
    assert invitations.accept(token=again.token, user=person, now=later).company == company


def test_an_expired_invitation_may_be_resent(company, admin):
    sent = invite(company, admin, email="x@example.cn")
    late = timezone.now() + timedelta(days=8)
    person = factories.person("x")
    assert code_of(lambda: invitations.accept(token=sent.token, user=person, now=late)) == "expired"
    again = invitations.resend(invitation=sent.invitation, by=admin, base_url=BASE, now=late)
    assert invitations.accept(token=again.token, user=person, now=late).role == Role.BUYER


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("unknown", "not_found"),
        ("expired", "expired"),
        ("revoked", "revoked"),
        ("used", "used"),
        ("other company", "has_company"),
        ("this company", "has_company"),
        ("deactivated here", "has_company"),
        ("suspended", "company_closed"),
        ("rejected", "company_closed"),
        ("inviter demoted", "inviter_not_admin"),
        ("wrong account", "wrong_account"),
        ("supplier staff", "not_a_buyer"),
    ],
)
def test_every_refusal_has_its_code_and_chinese_message_and_saves_nothing(company, admin, case, code):
    sent = invite(company, admin, email="x@example.cn")
    token, now = sent.token, timezone.now()
    person = factories.person("x")
    if case == "unknown":
        token = "no-such-token"
    elif case == "expired":
        now += timedelta(days=7, seconds=1)
    elif case == "revoked":
        invitations.revoke(invitation=sent.invitation, by=admin)
    elif case == "used":
        invitations.accept(token=token, user=person)
    elif case == "other company":
        factories.company(person, "另一家实业有限公司", 2)
    elif case == "this company":
        people.add_member(company=company, user=person, role=Role.READ_ONLY, by=admin)
    elif case == "deactivated here":
        member = people.add_member(company=company, user=person, role=Role.READ_ONLY, by=admin)
        people.deactivate(member=member, by=admin)
    elif case == "suspended":
        verification.suspend(company, actor=None, reason="欠款")
    elif case == "rejected":
        other_admin = factories.person("applicant")
        company = factories.company(other_admin, "待审实业有限公司", 3, verified=False)
        token = invite(company, other_admin, email="x@example.cn").token
        verification.reject(company, actor=None, reason="执照不清")
    elif case == "inviter demoted":
        second = factories.person("second")
        people.add_member(company=company, user=second, role=Role.ADMIN, by=admin)
        people.change_role(member=CompanyMember.objects.get(user=admin), role=Role.BUYER, by=second)
    elif case == "wrong account":
        person = factories.person("somebody")
    elif case == "supplier staff":
        person = factories.supplier_staff(factories.supplier(), "x2")
        person.email = "x@example.cn"
        person.save()
    before = counts()
    with pytest.raises(ValidationError) as caught:
        invitations.accept(token=token, user=person, now=now)
    assert caught.value.code == code
    message = caught.value.messages[0]
    assert message and not message.isascii(), message  # in Chinese
    assert counts() == before


def test_messages_say_what_went_wrong(company, admin):
    sent = invite(company, admin, email="x@example.cn")
    late = timezone.now() + timedelta(days=8)
    person = factories.person("x")
    with pytest.raises(ValidationError, match="过期"):
        invitations.accept(token=sent.token, user=person, now=late)
    with pytest.raises(ValidationError, match="x@example.cn"):
        invitations.accept(token=sent.token, user=factories.person("y"))
    invitations.revoke(invitation=sent.invitation, by=admin)
    with pytest.raises(ValidationError, match="撤回"):
        invitations.accept(token=sent.token, user=person)


def test_a_deactivated_admins_pending_invitations_are_revoked_with_them(company, admin):
    second = factories.person("second")
    second_member = people.add_member(company=company, user=second, role=Role.ADMIN, by=admin)
    theirs = invite(company, second, email="a@example.cn")
    mine = invite(company, admin, email="b@example.cn")
    member = people.deactivate(member=second_member, by=admin)
    assert any("1 份" in s and "撤回" in s for s in member.handed_over), member.handed_over
    theirs.invitation.refresh_from_db()
    mine.invitation.refresh_from_db()
    assert (theirs.invitation.status, mine.invitation.status) == (InvitationStatus.REVOKED, InvitationStatus.PENDING)
    log = TransitionLog.objects.get(
        machine="company_invitation", object_id=str(theirs.invitation.pk), to_state="revoked"
    )
    assert log.actor == admin
    # another admin resends it: it is theirs now, and it works
    again = invitations.resend(invitation=mine.invitation, by=admin, base_url=BASE)
    assert invitations.accept(token=again.token, user=factories.person("b")).added_by == admin
    with pytest.raises(ValidationError) as caught:
        invitations.accept(token=theirs.token, user=factories.person("a"))
    assert caught.value.code == "revoked"


def test_invite_refuses_bad_input_and_saves_nothing(company, admin, settings):
    before = counts()
    assert code_of(lambda: invite(company, admin, email="")) == {"email": ["required"]}
    assert code_of(lambda: invite(company, admin, email="not an address")) == {"email": ["invalid"]}
    assert code_of(lambda: invite(company, admin, role="boss")) == {"role": ["invalid"]}
    assert code_of(lambda: invite(company, admin, email=admin.email.upper())) == {"email": ["member"]}
    assert counts() == before
    verification.suspend(company, actor=None, reason="欠款")
    before = counts()
    assert code_of(lambda: invite(company, admin)) == "company_closed"
    assert counts() == before


def test_at_most_n_pending_invitations_per_company(company, admin, settings):
    settings.COMPANY_INVITATION_MAX_PENDING = 2
    invite(company, admin, email="a@example.cn")
    invite(company, admin, email="b@example.cn")
    before = counts()
    with pytest.raises(ValidationError) as caught:
        invite(company, admin, email="c@example.cn")
    assert caught.value.error_dict["email"][0].code == "too_many"
    assert "2" in caught.value.messages[0] and "撤回" in caught.value.messages[0]
    assert counts() == before
    invite(company, admin, email="a@example.cn")  # replacing one is not one more
    # expired ones do not count
    CompanyInvitation.objects.filter(email="b@example.cn").update(
        created_at=timezone.now() - timedelta(days=9), expires_at=timezone.now() - timedelta(days=1)
    )
    assert invite(company, admin, email="c@example.cn").invitation.email == "c@example.cn"


# --- the pages -----------------------------------------------------------------------------------


def test_the_admin_invites_lists_resends_and_revokes_on_the_company_page(company, admin):
    client = client_for(admin)
    response = client.post(reverse("companies:invite"), {"email": "Zhao@Example.cn", "role": "approver"})
    assert response.status_code == 302
    invitation = CompanyInvitation.objects.get()
    page = client.get(reverse("companies:mine")).content.decode()
    assert "zhao@example.cn" in page and "待接受" in page and "审批人" in page
    old_hash = invitation.token_hash
    response = client.post(reverse("companies:invitation-action", args=[invitation.pk, "resend"]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.token_hash != old_hash
    message = OutboxMessage.objects.filter(topic="company.invitation").order_by("-id").first()
    assert message.payload["body"].count("http://testserver/accounts/company/invitations/") == 1
    response = client.post(reverse("companies:invitation-action", args=[invitation.pk, "revoke"]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    assert f'id="invitation-{invitation.pk}"' not in client.get(reverse("companies:mine")).content.decode()
    # revoking again: a clear error, nothing changes
    response = client.post(reverse("companies:invitation-action", args=[invitation.pk, "revoke"]))
    assert response.status_code == 400 and "已撤回" in response.content.decode()


def test_invite_errors_show_on_the_form_in_chinese(company, admin):
    client = client_for(admin)
    before = counts()
    response = client.post(reverse("companies:invite"), {"email": "nope", "role": "buyer"})
    assert response.status_code == 400
    assert "有效的电子邮箱" in " ".join(response.context["invite_form"].errors["email"])
    assert counts() == before


def test_a_visitor_signs_up_on_the_invitation_page_and_joins(company, admin, settings):
    sent = invite(company, admin, email="wang@example.cn", role=Role.BUYER)
    url = reverse("companies:invitation", args=[sent.token])
    client = client_for()
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert company.legal_name in text and "采购员" in text and 'value="wang@example.cn"' in text
    response = client.post(
        url,
        {
            "email": "wang@example.cn",
            "password1": "Ok-pass-2026!",
            "password2": "Ok-pass-2026!",
            "mobile": "+86 139-2651-2360",
            "consent": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="wang@example.cn")
    member = CompanyMember.objects.get(user=user)
    assert (member.company, member.role, member.mobile, member.is_active) == (company, "buyer", "13926512360", True)
    consent = Consent.objects.get(user=user)
    assert (consent.terms_version, consent.privacy_version, consent.context) == (
        settings.USER_AGREEMENT_VERSION,
        settings.PRIVACY_POLICY_VERSION,
        "company_invitation",
    )
    assert "采购员" in client.get(reverse("companies:mine")).content.decode()  # signed in, in the company
    # the link is used now
    again = client_for().get(url)
    assert "已被使用" in again.content.decode()


@pytest.mark.parametrize(
    ("changes", "form", "field", "message"),
    [
        ({"email": "other@example.cn"}, "account_form", "email", "wang@example.cn"),
        ({"mobile": "12345"}, "form", "mobile", "11 位"),
        ({"mobile": ""}, "form", "mobile", "请填写"),
        ({"consent": ""}, "form", "consent", "同意"),
        ({"password2": "different"}, "account_form", "password2", "密码"),
    ],
)
def test_sign_up_errors_name_the_field_and_create_no_account(company, admin, changes, form, field, message):
    sent = invite(company, admin, email="wang@example.cn")
    data = {
        "email": "wang@example.cn",
        "password1": "Ok-pass-2026!",
        "password2": "Ok-pass-2026!",
        "mobile": "13926512360",
        "consent": "on",
    }
    data.update(changes)
    before = counts()
    response = client_for().post(reverse("companies:invitation", args=[sent.token]), data)
    assert response.status_code == 400
    errors = response.context[form].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert counts() == before


def test_sign_up_with_an_existing_accounts_address_points_to_sign_in(company, admin):
    factories.person("wang")
    sent = invite(company, admin, email="wang@example.cn")
    before = counts()
    url = reverse("companies:invitation", args=[sent.token])
    data = {"email": "wang@example.cn", "password1": "Ok-pass-2026!", "password2": "Ok-pass-2026!"}
    response = client_for().post(url, {**data, "mobile": "13926512360", "consent": "on"})
    assert response.status_code == 400
    assert "invitation-login" in response.content.decode()
    assert counts() == before


def test_the_page_for_a_signed_in_buyer_confirms_and_joins(company, admin):
    sent = invite(company, admin, email="wang@example.cn", role=Role.READ_ONLY)
    person = factories.person("wang")
    client = client_for(person)
    url = reverse("companies:invitation", args=[sent.token])
    assert "accept-invitation" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert CompanyMember.objects.get(user=person).role == Role.READ_ONLY


def test_the_page_explains_each_refusal(company, admin):
    sent = invite(company, admin, email="wang@example.cn")
    url = reverse("companies:invitation", args=[sent.token])
    response = client_for().get(reverse("companies:invitation", args=["nonsense"]))
    assert response.status_code == 404 and "链接无效" in response.content.decode()
    other = factories.person("li")
    page = client_for(other).get(url).content.decode()
    assert "wang@example.cn" in page and "accept-invitation" not in page
    before = counts()
    response = client_for(other).post(url)
    assert response.status_code == 400 and "wang@example.cn" in response.content.decode()
    assert counts() == before
    CompanyInvitation.objects.update(
        created_at=timezone.now() - timedelta(days=8), expires_at=timezone.now() - timedelta(minutes=1)
    )
    page = client_for().get(url).content.decode()
    assert "过期" in page and "invitation-signup" not in page


def test_a_buyer_without_the_admin_role_cannot_invite_resend_or_revoke(company, admin):
    buyer = factories.person("buyer2")
    people.add_member(company=company, user=buyer, role=Role.BUYER, by=admin)
    sent = invite(company, admin)
    client = client_for(buyer)
    before = counts()
    assert client.post(reverse("companies:invite"), {"email": "z@example.cn", "role": "admin"}).status_code == 403
    for action in ("resend", "revoke"):
        url = reverse("companies:invitation-action", args=[sent.invitation.pk, action])
        assert client.post(url).status_code == 403
    assert "new.person@example.cn" not in client.get(reverse("companies:mine")).content.decode()
    assert counts() == before


def test_another_companys_admin_gets_404_on_its_invitations(company, admin):
    sent = invite(company, admin)
    other_admin = factories.person("other")
    factories.company(other_admin, "其他实业有限公司", 9)
    client = client_for(other_admin)
    before = counts()
    for action in ("resend", "revoke"):
        url = reverse("companies:invitation-action", args=[sent.invitation.pk, action])
        assert client.post(url).status_code == 404
    assert "new.person@example.cn" not in client.get(reverse("companies:mine")).content.decode()
    assert counts() == before
