"""GraphQL of invitations and the shared address book, used by the right people."""

import json

import pytest
from django.test import Client

from companies.models import CompanyAddress, CompanyInvitation, CompanyMember, InvitationStatus, Role
from companies.services import people
from core.outbox import OutboxMessage
from tests import factories

pytestmark = pytest.mark.django_db


def gql(user, query, variables=None):
    client = Client()
    client.force_login(user)
    response = client.post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
    )
    body = json.loads(response.content)
    assert "errors" not in body, body
    return body["data"]


INVITE = "mutation($e: String!, $r: String!) { inviteMember(email: $e, role: $r) { invitation { id email role roleLabel status statusLabel invitedBy expiresAt } errors { field code message } } }"  # noqa: E501


def test_an_admin_invites_lists_resends_and_revokes_and_the_invitee_accepts():
    admin = factories.person("admin")
    company = factories.company(admin)
    data = gql(admin, INVITE, {"e": "Li.Si@example.cn", "r": "approver"})["inviteMember"]
    assert data["errors"] == []
    invitation = data["invitation"]
    assert (invitation["email"], invitation["role"], invitation["roleLabel"], invitation["status"]) == (
        "li.si@example.cn",
        "approver",
        "审批人",
        "pending",
    )
    assert invitation["statusLabel"] == "待接受" and invitation["invitedBy"] == admin.email
    message = OutboxMessage.objects.get(topic="company.invitation")
    assert "http://testserver/accounts/company/invitations/" in message.payload["body"]

    listed = gql(admin, "{ companyInvitations { totalCount items { email status } } }")["companyInvitations"]
    assert listed == {"totalCount": 1, "items": [{"email": "li.si@example.cn", "status": "pending"}]}

    resend = "mutation($i: ID!) { resendInvitation(id: $i) { invitation { email } errors { field code } } }"
    assert gql(admin, resend, {"i": invitation["id"]})["resendInvitation"]["errors"] == []
    assert OutboxMessage.objects.filter(topic="company.invitation").count() == 2
    token = OutboxMessage.objects.order_by("-id").first().payload["body"].split("/invitations/")[1].split("/")[0]

    invitee = factories.person("li.si")
    accept = "mutation($t: String!) { acceptInvitation(token: $t) { member { email role } errors { field code } } }"
    data = gql(invitee, accept, {"t": token})["acceptInvitation"]
    assert data == {"member": {"email": "li.si@example.cn", "role": "approver"}, "errors": []}
    assert CompanyMember.objects.get(user=invitee).company == company
    # used: a second try says so, on the token
    data = gql(invitee, accept, {"t": token})["acceptInvitation"]
    assert data["member"] is None and data["errors"] == [{"field": "token", "code": "used"}]

    # revoking an accepted invitation is a wrong transition; a new one is revoked
    revoke = "mutation($i: ID!) { revokeInvitation(id: $i) { invitation { status } errors { field code } } }"
    data = gql(admin, revoke, {"i": invitation["id"]})["revokeInvitation"]
    assert data["errors"] == [{"field": None, "code": "invalid_transition"}]
    other = gql(admin, INVITE, {"e": "wang@example.cn", "r": "buyer"})["inviteMember"]["invitation"]
    assert gql(admin, revoke, {"i": other["id"]})["revokeInvitation"]["invitation"] == {"status": "revoked"}
    history = gql(admin, "{ companyInvitations(pendingOnly: false) { totalCount items { email status } } }")
    assert {(i["email"], i["status"]) for i in history["companyInvitations"]["items"]} == {
        ("li.si@example.cn", "accepted"),
        ("wang@example.cn", "revoked"),
    }


def test_invite_errors_come_back_on_the_field():
    admin = factories.person("admin")
    factories.company(admin)
    data = gql(admin, INVITE, {"e": "a@example.cn", "r": "boss"})["inviteMember"]
    assert [(e["field"], e["code"]) for e in data["errors"]] == [("role", "invalid")]
    assert data["invitation"] is None and not CompanyInvitation.objects.exists()
    data = gql(admin, INVITE, {"e": admin.email, "r": "buyer"})["inviteMember"]
    assert [(e["field"], e["code"]) for e in data["errors"]] == [("email", "member")]


def test_expired_and_wrong_account_answers_on_the_token():
    from datetime import timedelta

    from django.utils import timezone

    from companies.services import invitations

    admin = factories.person("admin")
    company = factories.company(admin)
    sent = invitations.invite(company=company, email="x@example.cn", role="buyer", by=admin, base_url="")
    accept = "mutation($t: String!) { acceptInvitation(token: $t) { member { id } errors { field code message } } }"
    data = gql(factories.person("y"), accept, {"t": sent.token})["acceptInvitation"]
    assert [(e["field"], e["code"]) for e in data["errors"]] == [("token", "wrong_account")]
    CompanyInvitation.objects.update(
        created_at=timezone.now() - timedelta(days=9), expires_at=timezone.now() - timedelta(days=2)
    )
    data = gql(factories.person("x"), accept, {"t": sent.token})["acceptInvitation"]
    assert [(e["field"], e["code"]) for e in data["errors"]] == [("token", "expired")]
    assert "过期" in data["errors"][0]["message"]
    assert CompanyInvitation.objects.get().status == InvitationStatus.PENDING


ADDRESS_FIELDS = "address { id label consignee mobile province city district line postcode isDefault }"


def test_the_admin_keeps_the_shared_addresses_and_members_read_them():
    admin = factories.person("admin")
    company = factories.company(admin)
    buyer = factories.person("buyer2")
    people.add_member(company=company, user=buyer, role=Role.BUYER, by=admin)
    create = (
        'mutation { createCompanyAddress(label: "总仓", consignee: "王五", mobile: "+86 13926512360", '
        f'province: "四川省", city: "成都市", district: "武侯区", line: "武兴四路166号", postcode: "610045", isDefault: true) '
        f"{{ {ADDRESS_FIELDS} "
        "errors { field code } } }"
    )
    data = gql(admin, create)["createCompanyAddress"]
    assert data["errors"] == [] and data["address"]["mobile"] == "13926512360" and data["address"]["isDefault"]
    pk = data["address"]["id"]
    update = (
        'mutation($i: ID!) { updateCompanyAddress(id: $i, label: "总仓", consignee: "王五", mobile: "13926512360", '
        f'province: "四川省", city: "成都市", district: "武侯区", line: "天府大道1号") '
        f"{{ {ADDRESS_FIELDS} errors {{ field code }} }} }}"
    )
    data = gql(admin, update, {"i": pk})["updateCompanyAddress"]
    assert data["address"]["line"] == "天府大道1号" and data["address"]["isDefault"] is False
    assert gql(buyer, "{ companyAddresses { line } }") == {"companyAddresses": [{"line": "天府大道1号"}]}
    delete = "mutation($i: ID!) { deleteCompanyAddress(id: $i) { deletedId errors { field code } } }"
    assert gql(admin, delete, {"i": pk})["deleteCompanyAddress"] == {"deletedId": pk, "errors": []}
    assert not CompanyAddress.objects.exists()
