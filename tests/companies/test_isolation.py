"""Company isolation: another company's admin, a buyer without the admin role (of the same
company and of another one), supplier staff, a salesperson and anonymous visitors never see or
change a company's people, licence or details — on the storefront pages, the back office, the
licence download and GraphQL, with real and guessed ids."""

import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from companies.approvals import notify as approval_notify
from companies.approvals import services as approval_services
from companies.approvals.models import ApprovalRequest, ApprovalRule, ApprovalStep
from companies.models import Company, CompanyAddress, CompanyInvitation, CompanyMember
from companies.services import addresses, invitations
from companies.services.people import add_member
from core.models import TransitionLog
from tests import factories
from tests.s2b2b_orders.conftest import make_supplier

pytestmark = pytest.mark.django_db
User = get_user_model()

ALPHA = "阿尔法机密实业有限公司"
ALPHA_ADDRESS = "机密仓库路7号"
ALPHA_INVITEE = "secret.invitee@example.cn"


class World:
    def __init__(self):
        self.alpha_admin = factories.person("alphaadmin")
        self.alpha = factories.company(self.alpha_admin, ALPHA, 11, legal_representative="机密法人")
        self.alpha_buyer = factories.person("alphabuyer")
        self.alpha_finance = factories.person("alphafinance")
        self.buyer_member = add_member(company=self.alpha, user=self.alpha_buyer, role="buyer", by=self.alpha_admin)
        self.finance_member = add_member(
            company=self.alpha, user=self.alpha_finance, role="finance", by=self.alpha_admin
        )
        self.admin_member = CompanyMember.objects.get(user=self.alpha_admin)
        self.beta_admin = factories.person("betaadmin")
        # purchase approval: a rule only alpha's admins, approvers and finance read, and a request
        # of alpha's admin (a buyer of alpha sees only their own requests)
        self.rule = approval_services.create_rule(
            company=self.alpha,
            by=self.alpha_admin,
            kind="order_total",
            threshold=Decimal("7777.77"),
            approver_role="finance",
            step=1,
        )
        self.request = factories.approval_request(self.alpha, self.alpha_admin, "AP-ALPHA-SECRET", role="finance")
        self.link = approval_notify.link_token(self.request, self.alpha_finance)
        self.beta = factories.company(self.beta_admin, "贝塔实业有限公司", 12)
        self.beta_buyer = factories.person("betabuyer")
        add_member(company=self.beta, user=self.beta_buyer, role="buyer", by=self.beta_admin)
        self.supplier = factories.supplier_staff(make_supplier("jg", "苏州精工五金制品有限公司"), "jgstaff")
        self.sales = User.objects.create_user(username="li", email="li@example.cn", password="x", is_staff=True)
        self.invited = invitations.invite(
            company=self.alpha, email=ALPHA_INVITEE, role="admin", by=self.alpha_admin, base_url=""
        )
        self.invitation = self.invited.invitation
        self.address = addresses.create(
            company=self.alpha,
            details={
                "label": "阿尔法总仓",
                "consignee": "机密收货人",
                "mobile": "13800138009",
                "province": "广东省",
                "city": "深圳市",
                "district": "南山区",
                "line": ALPHA_ADDRESS,
            },
            by=self.alpha_admin,
        )

    def walkers(self):
        return {
            "another company's admin": self.beta_admin,
            "another company's buyer": self.beta_buyer,
            "the company's own buyer": self.alpha_buyer,
            "supplier staff": self.supplier,
            "salesperson": self.sales,
            "anonymous": None,
        }

    def secrets(self, walker) -> list[str]:
        """What the walker must never see: the people of alpha (all but themselves), and for
        outsiders alpha's identity."""
        secret = [self.alpha_admin.email, self.alpha_finance.email, ALPHA_INVITEE]
        if walker != self.alpha_buyer:  # its buyer sees its shared addresses (and ships to them)
            secret += [ALPHA, self.alpha.uscc, "机密法人", self.alpha_buyer.email, ALPHA_ADDRESS, "机密收货人"]
        secret = [self.alpha_admin.email, self.alpha_finance.email, "AP-ALPHA-SECRET", "7777.77"]
        if walker != self.alpha_buyer:
            secret += [ALPHA, self.alpha.uscc, "机密法人", self.alpha_buyer.email]
        return secret


@pytest.fixture
def world(db):
    return World()


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def state():
    return (
        sorted(Company.objects.values_list("pk", "status", "legal_name", "uscc", "address", "status_reason")),
        sorted(CompanyMember.objects.values_list("pk", "company_id", "user_id", "role", "is_active")),
        sorted(CompanyInvitation.objects.values_list("pk", "company_id", "email", "role", "status", "token_hash")),
        sorted(CompanyAddress.objects.values_list("pk", "company_id", "label", "line", "is_default")),
        TransitionLog.objects.count(),
        sorted(ApprovalRule.objects.values_list("pk", "kind", "threshold", "approver_role", "step", "is_active")),
        sorted(ApprovalRequest.objects.values_list("pk", "status", "order_id", "reason")),
        sorted(ApprovalStep.objects.values_list("pk", "decision", "decided_by_id", "comment")),
    )


def requests(w: World):
    """(method, url, data) aimed at alpha: its pages, its people, its licence, its invitations and
    shared addresses, guessed ids. (Inviting and adding an address act on the walker's own company:
    tested as refused to non-admins in test_invitations and test_addresses.)"""
    people = [w.admin_member, w.buyer_member, w.finance_member]
    out = [
        ("get", reverse("companies:mine"), None),
        ("get", reverse("companies:register"), None),
        ("post", reverse("companies:member-add"), {"email": "alphabuyer@example.cn", "role": "admin"}),
        ("get", reverse("companies:licence", args=[w.alpha.pk]), None),
        ("get", reverse("companies:licence", args=[w.alpha.pk + 1000]), None),
        ("get", reverse("companies-dashboard:company-list"), None),
        ("get", reverse("companies-dashboard:company-list") + "?q=" + ALPHA, None),
        ("get", reverse("companies-dashboard:verification-queue"), None),
        ("get", reverse("companies-dashboard:company-detail", args=[w.alpha.pk]), None),
        (
            "post",
            reverse("companies-dashboard:company-detail", args=[w.alpha.pk]),
            {"action": "suspend", "reason": "x"},
        ),
    ]
    for member in people:
        for action, data in (("role", {"role": "admin"}), ("deactivate", {}), ("reactivate", {})):
            out.append(("post", reverse("companies:member-action", args=[member.pk, action]), data))
    out.append(("post", reverse("companies:member-action", args=[99999, "deactivate"]), {}))
    address = {
        "label": "改写",
        "consignee": "x",
        "mobile": "13800138000",
        "province": "广东省",
        "city": "x",
        "line": "x",
    }
    out += [
        ("post", reverse("companies:invitation-action", args=[w.invitation.pk, "resend"]), None),
        ("post", reverse("companies:invitation-action", args=[w.invitation.pk, "revoke"]), None),
        ("post", reverse("companies:invitation-action", args=[99999, "revoke"]), None),
        ("get", reverse("companies:invitation", args=["guessed-token"]), None),
        ("post", reverse("companies:invitation", args=["guessed-token"]), None),
        ("get", reverse("companies:addresses"), None),
        ("get", reverse("companies:address-edit", args=[w.address.pk]), None),
        ("post", reverse("companies:address-edit", args=[w.address.pk]), address),
        ("post", reverse("companies:address-delete", args=[w.address.pk]), None),
        ("post", reverse("companies:address-delete", args=[99999]), None),
    ]
    number = w.request.number
    rule_data = {"kind": "order_total", "threshold": "1", "approver_role": "admin", "step": 1}
    out += [
        ("get", reverse("companies:approvals"), None),
        ("get", reverse("companies:approval-detail", args=[number]), None),
        ("post", reverse("companies:approval-detail", args=[number]), {"action": "approve", "comment": "ok"}),
        ("post", reverse("companies:approval-detail", args=[number]), {"action": "reject", "comment": "no"}),
        ("get", reverse("companies:approval-submitted", args=[number]), None),
        ("get", reverse("companies:approval-link", args=[w.link]), None),
        ("get", reverse("companies:approval-rules"), None),
        ("get", reverse("companies:approval-rule-edit", args=[w.rule.pk]), None),
        ("post", reverse("companies:approval-rule-edit", args=[w.rule.pk]), {"action": "deactivate"}),
        ("post", reverse("companies:approval-rule-edit", args=[w.rule.pk]), {**rule_data, "is_active": "on"}),
    ]
    return out


ALLOWED = {200, 302, 400, 403, 404, 405}


def test_no_walker_sees_or_changes_another_companys_data(world):
    before = state()
    failures = []
    for name, user in world.walkers().items():
        client = client_for(user)
        for method, url, data in requests(world):
            response = getattr(client, method)(url, data or {})
            if response.status_code not in ALLOWED:
                failures.append(f"{name}: {method} {url} → {response.status_code}")
            if url.startswith("/company-licences/") and response.status_code == 200:
                failures.append(f"{name}: downloaded {url}")
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode("utf-8", "ignore") + response.get("Location", "")
            text = text.replace(url, "")
            for value in (data or {}).values():  # what the walker typed, echoed in a form
                text = text.replace(str(value), "")
            for secret in world.secrets(user):
                if secret in text:
                    failures.append(f"{name}: {method} {url} shows {secret}")
    assert failures == []
    assert state() == before


def test_guessed_member_ids_are_404_for_another_companys_admin(world):
    client = client_for(world.beta_admin)
    before = state()
    for member in (world.admin_member, world.buyer_member):
        for action in ("role", "deactivate", "reactivate"):
            response = client.post(reverse("companies:member-action", args=[member.pk, action]), {"role": "readonly"})
            assert response.status_code == 404
    assert client.get(reverse("companies:licence", args=[world.alpha.pk])).status_code == 404
    assert state() == before


def test_a_buyer_without_the_admin_role_is_refused_people_management(world):
    client = client_for(world.alpha_buyer)
    before = state()
    assert (
        client.post(reverse("companies:member-add"), {"email": world.beta_buyer.email, "role": "buyer"}).status_code
        == 403
    )
    response = client.post(reverse("companies:member-action", args=[world.finance_member.pk, "deactivate"]))
    assert response.status_code == 403
    assert client.get(reverse("companies:licence", args=[world.alpha.pk])).status_code == 404
    page = client.get(reverse("companies:mine")).content.decode()
    assert ALPHA in page and world.alpha_finance.email not in page
    assert state() == before


def gql(user, query, variables=None):
    response = client_for(user).post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
    )
    return response.content.decode()


def test_graphql_never_returns_another_companys_data_nor_changes_it(world):
    before = state()
    queries = [
        ("{ myCompany { legalName uscc people { email role } } }", {}),
        ("{ companies(first: 50) { items { legalName uscc people { email } } } }", {}),
        (
            'mutation($e: String!) { companyMemberAdd(email: $e, role: "admin") { member { email } errors { field code } } }',
            {"e": world.alpha_finance.email},
        ),
    ]
    queries += [
        ("{ companyInvitations(pendingOnly: false) { items { email } } }", {}),
        ("{ companyAddresses { line consignee } }", {}),
        (
            "mutation($t: String!) { acceptInvitation(token: $t) { member { id } errors { field code } } }",
            {"t": world.invited.token},
        ),
    ]
    for mutation in ("resendInvitation", "revokeInvitation"):
        queries.append(
            (
                f"mutation($i: ID!) {{ {mutation}(id: $i) {{ invitation {{ email }} errors {{ field code }} }} }}",
                {"i": str(world.invitation.pk)},
            )
        )
    queries += [
        (
            'mutation($i: ID!) { updateCompanyAddress(id: $i, label: "x", consignee: "x", mobile: "13800138000", '
            'province: "广东省", city: "x", line: "改写") { address { line } errors { field code } } }',
            {"i": str(world.address.pk)},
        ),
        (
            "mutation($i: ID!) { deleteCompanyAddress(id: $i) { deletedId errors { field code } } }",
            {"i": str(world.address.pk)},
        ),
    ]
    for member in (world.admin_member, world.buyer_member, world.finance_member):
        queries += [
            (
                'mutation($m: ID!) { companyMemberChangeRole(memberId: $m, role: "admin") { member { email } errors { field code } } }',
                {"m": str(member.pk)},
            ),
            (
                "mutation($m: ID!) { companyMemberDeactivate(memberId: $m) { member { email } errors { field code } } }",
                {"m": str(member.pk)},
            ),
            (
                "mutation($m: ID!) { companyMemberReactivate(memberId: $m) { member { email } errors { field code } } }",
                {"m": str(member.pk)},
            ),
        ]
    number = {"n": world.request.number}
    queries += [
        ("{ approvalRules { kind threshold description } }", {}),
        ("{ approvalRequests { items { number totalInclTax buyer } } }", {}),
        ("{ approvalRequests(waitingForMe: true) { items { number } } }", {}),
        ("query($n: String!) { approvalRequest(number: $n) { number totalInclTax } }", number),
        (
            'mutation($n: String!) { approveRequest(number: $n, comment: "ok") { request { number } errors { code } } }',
            number,
        ),
        (
            'mutation($n: String!) { rejectRequest(number: $n, comment: "no") { request { number } errors { code } } }',
            number,
        ),
        (
            "mutation($id: ID!) { updateApprovalRule(id: $id, input: {isActive: false}) { rule { description } errors { code } } }",
            {"id": str(world.rule.pk)},
        ),
    ]
    failures = []
    for name, user in world.walkers().items():
        for query, variables in queries:
            answer = gql(user, query, variables)
            for secret in world.secrets(user):
                if secret in answer:
                    failures.append(f"{name}: {query[:40]} shows {secret}")
    assert failures == []
    assert state() == before
    # the answers: not_found for another company's admin, forbidden for a buyer
    change_role = next(q for q in queries if "companyMemberChangeRole" in q[0])
    answer = json.loads(gql(world.beta_admin, *change_role))
    assert answer["data"]["companyMemberChangeRole"]["errors"] == [{"field": "memberId", "code": "not_found"}]
    answer = json.loads(gql(world.alpha_buyer, *change_role))
    assert answer["errors"][0]["extensions"]["code"] == "forbidden"
    answer = json.loads(gql(world.supplier, queries[0][0]))
    assert answer["errors"][0]["extensions"]["code"] == "forbidden"
    # another company's invitations and addresses: not_found, as missing ones; its own buyer: forbidden
    for query, variables in queries:
        if "(id: $i)" not in query:
            continue
        name = query.split("{", 1)[1].split("(", 1)[0].strip()
        answer = json.loads(gql(world.beta_admin, query, variables))
        assert answer["data"][name]["errors"] == [{"field": "id", "code": "not_found"}], answer
        answer = json.loads(gql(world.alpha_buyer, query, variables))
        assert answer["errors"][0]["extensions"]["code"] == "forbidden", answer
    answer = json.loads(gql(world.beta_admin, "{ companyInvitations(pendingOnly: false) { totalCount } }"))
    assert answer["data"]["companyInvitations"]["totalCount"] == 0
    answer = json.loads(gql(world.alpha_buyer, "{ companyAddresses { line } }"))
    assert answer["data"]["companyAddresses"] == [{"line": ALPHA_ADDRESS}]  # its own company's book


def test_the_invitation_link_never_lets_anyone_but_the_invited_address_join(world):
    before = state()
    url = reverse("companies:invitation", args=[world.invited.token])
    for name, user in world.walkers().items():
        if user is None:
            continue
        response = client_for(user).post(url)
        assert response.status_code in (400, 403), (name, response.status_code)
    answer = json.loads(
        gql(
            world.beta_buyer,
            "mutation($t: String!) { acceptInvitation(token: $t) { member { id } errors { field code } } }",
            {"t": world.invited.token},
        )
    )
    assert answer["data"]["acceptInvitation"]["errors"] == [{"field": "token", "code": "wrong_account"}]
    assert state() == before
    # purchase approval: another company's request is not found, the same as a missing one
    approve = "mutation($n: String!) { approveRequest(number: $n) { errors { field code } } }"
    for number in (world.request.number, "AP-NO-SUCH"):
        answer = json.loads(gql(world.beta_admin, approve, {"n": number}))
        assert answer["data"]["approveRequest"]["errors"] == [{"field": "number", "code": "not_found"}]
    answer = json.loads(gql(world.alpha_buyer, "{ approvalRules { kind } }"))
    assert answer["errors"][0]["extensions"]["code"] == "forbidden"


def test_the_company_sees_its_own_approvals_by_role(world):
    """The control of the walks above: the same pages and fields do show alpha's rule and request
    to alpha's finance (the step's role), and its admin."""
    finance = client_for(world.alpha_finance)
    assert "AP-ALPHA-SECRET" in finance.get(reverse("companies:approvals")).content.decode()
    assert "7777.77" in finance.get(reverse("companies:approval-rules")).content.decode()
    assert finance.get(reverse("companies:approval-link", args=[world.link])).status_code == 302
    answer = json.loads(gql(world.alpha_finance, "{ approvalRequests(waitingForMe: true) { items { number } } }"))
    assert answer["data"]["approvalRequests"]["items"] == [{"number": "AP-ALPHA-SECRET"}]
    # alpha's buyer: not theirs, not their role
    buyer = client_for(world.alpha_buyer)
    assert buyer.get(reverse("companies:approval-detail", args=["AP-ALPHA-SECRET"])).status_code == 404
    assert buyer.get(reverse("companies:approval-rules")).status_code == 403
