"""The whole GraphQL API as the wrong party, enumerated from the schema so a new field cannot be
skipped: every mutation run as anonymous, a distributor, supplier staff of another supplier and a
salesperson is refused (``unauthenticated`` / ``forbidden``) or finds nothing (``not_found``) and
changes nothing in the database; every bad input comes back as payload errors whose field names are
the client's (camelCase) input names; every mutation class derives from the one base; every
restricted query answers with the same guard."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from plugins.logistics.services.shipments import record_shipment
from plugins.logistics.services.templates import RuleInput, TemplateInput, save_template
from plugins.member_tiers.models import Membership, Tier
from plugins.s2b2b_orders.models import SupplierOrder
from plugins.s2b2b_orders.services import legal, lifecycle
from storefront.services.quick_order import MAX_QUANTITY
from tests import factories
from tests.s2b2b_orders.test_legal import PNG
from tests.s2b2b_orders.test_legal import details as legal_details
from tests.s2b2b_orders.test_legal import png as legal_png

pytestmark = pytest.mark.django_db

User = get_user_model()
Basket = get_model("basket", "Basket")
BasketLine = get_model("basket", "Line")
Selector = get_class("partner.strategy", "Selector")

ROLES = ("anonymous", "distributor", "supplier", "salesperson")
OWN = "own"  # acts on the asker's own data only (their basket); the victim's data is untouched
FORBIDDEN = "forbidden"


def not_found(field):
    return ("not_found", field)


def client_of(user) -> Client:
    """A client signed in as ``user`` (None: anonymous); signing in writes last_login, so do it
    before taking a snapshot."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def gql(user_or_client, query, variables=None):
    client = user_or_client if isinstance(user_or_client, Client) else client_of(user_or_client)
    response = client.post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def template_input(name="标准快递", **overrides) -> TemplateInput:
    values = dict(
        name=name,
        mode="weight",
        first_unit="1",
        first_price="8.00",
        additional_unit="1",
        additional_price="2.00",
        region_rules=[RuleInput(["新疆维吾尔自治区"], "1", "20.00", "1", "10.00")],
    )
    values.update(overrides)
    return TemplateInput(**values)


@pytest.fixture
def world(db):
    """jg (the victim supplier) and df (another supplier), each with staff; a buyer (the victim
    distributor) with a membership owned by a salesperson, an open basket line, an order split into
    supplier orders and a shipped parcel of jg's part; a second distributor; an operator."""
    jg = factories.supplier("jg", "苏州精工五金制品有限公司")
    df = factories.supplier("df", "宁波东方电气设备有限公司")
    bolt = factories.product("JG-HB-M8-30", "外六角螺栓 M8×30", "32.00", 500, jg)
    wire = factories.product("DF-BV-2.5", "BV铜芯电线 2.5mm²", "218.00", 40, df)
    buyer = factories.distributor("buyer")
    salesperson = User.objects.create_user(
        username="sales", email="sales@example.cn", password=factories.PASSWORD, is_staff=True
    )
    gold = Tier.objects.create(code="gold", name="金牌", rank=2, default_discount_percent=Decimal("5"))
    Tier.objects.create(code="diamond", name="钻石", rank=3, default_discount_percent=Decimal("8"))
    membership = Membership.objects.create(company=factories.company_of(buyer), tier=gold, salesperson=salesperson)

    order = factories.place_order(buyer, [(bolt, 2), (wire, 1)])
    jg_part = SupplierOrder.objects.get(order=order, partner=jg)
    record_shipment(
        order=order, partner=jg, reference=jg_part.number, carrier_code="sf", tracking_numbers=["SF1234567890123"]
    )
    basket = Basket.objects.create(owner=buyer)
    basket.strategy = Selector().strategy(user=buyer)
    basket.add_product(bolt, 3)
    jg_staff = factories.supplier_staff(jg, "jgstaff")
    operator = factories.operator()
    jg_legal = legal.approve(
        legal.submit(partner=jg, user=jg_staff, data=legal_details(), licence=legal_png()), reviewer=operator
    )
    from companies.services.people import add_member

    company = factories.company(buyer, "深圳市受害者实业有限公司", 5)  # the buyer is its admin
    colleague = add_member(company=company, user=factories.person("colleague"), role="buyer", by=buyer)
    from companies.services import addresses, invitations

    invited = invitations.invite(company=company, email="invitee@example.cn", role="buyer", by=buyer, base_url="")
    shared_address = addresses.create(
        company=company,
        details={
            "label": "总部仓库",
            "consignee": "李四",
            "mobile": "13800138001",
            "province": "广东省",
            "city": "深圳市",
            "district": "南山区",
            "line": "科技园路1号",
        },
        by=buyer,
    )
    from companies.approvals.services import create_rule

    approval_rule = create_rule(
        company=company, by=buyer, kind="order_total", threshold=Decimal("5000.00"), approver_role="admin", step=1
    )
    approval = factories.approval_request(company, colleague.user, "AP-VICTIM-1")
    return {
        "invitation": invited.invitation,
        "invitation_token": invited.token,
        "company_address": shared_address,
        "approval_rule": approval_rule,
        "approval": approval,
        "company_member": colleague,
        "company_admin_member": company.members.get(user=buyer),
        "buyer_company": company,
        "jg": jg,
        "df": df,
        "bolt": bolt,
        "buyer": buyer,
        "membership": membership,
        "basket_line": basket.all_lines()[0],
        "supplier_order": jg_part,
        "template": save_template(partner=jg, data=template_input()),
        "jg_staff": jg_staff,
        "jg_legal": jg_legal,
        "operator": operator,
        # the intruders
        "anonymous": None,
        "distributor": factories.distributor("other"),
        "supplier": factories.supplier_staff(df, "dfstaff"),
        "salesperson": salesperson,
    }


SKIPPED_MODELS = {"sessions.session", "basket.basket"}  # a request may open the asker's empty basket


def snapshot(world, own=None) -> dict:
    """Every row of every table (baskets' lines included); with ``own``, that user's basket lines
    and Oscar's analytics counters (which a basket addition bumps) are left out."""
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in SKIPPED_MODELS or (own is not None and model._meta.app_label == "analytics"):
            continue
        qs = model._default_manager.all()
        if own is not None and model is BasketLine:
            qs = qs.exclude(basket__owner=own)
        state[label] = list(qs.order_by("pk").values_list())
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


# --- every mutation, as the wrong party ---------------------------------------------------------

SUBMIT_LEGAL = """mutation($legalName: String, $uscc: String, $province: String, $city: String, $address: String,
  $representative: String, $bankName: String, $bankAccount: String, $taxpayerType: String, $licenceBase64: String) {
  submitLegalProfile(legalName: $legalName, uscc: $uscc, province: $province, city: $city, address: $address,
    representative: $representative, bankName: $bankName, bankAccount: $bankAccount, taxpayerType: $taxpayerType,
    licenceFilename: "licence.png", licenceBase64: $licenceBase64) { legalProfile { status } errors { field code } } }"""


def legal_variables(**changes) -> dict:
    import base64

    data = legal_details(**changes)
    names = {"legal_name": "legalName", "bank_name": "bankName", "bank_account": "bankAccount"}
    names |= {"taxpayer_type": "taxpayerType"}
    return {names.get(k, k): v for k, v in data.items()} | {"licenceBase64": base64.b64encode(PNG).decode()}


def _victim_receipt(w):
    """The victim company's transfer waiting to be claimed (recorded by the finance team)."""
    from plugins.finance.models import Receipt
    from plugins.finance.services.ledger import business_date
    from plugins.finance.services.receipts import record_receipt

    found = Receipt.objects.filter(bank_reference="VICTIM-1").first()
    return found or record_receipt(
        bank_reference="VICTIM-1",
        received_on=business_date(),
        amount=Decimal("88.00"),
        payer_name=w["buyer_company"].legal_name,
        payer_account="6222 1234 5678 9012",
        by=w["operator"],
    )


ATTACKS = {
    "basketAddLine": (
        "mutation($sku: String!) { basketAddLine(sku: $sku, quantity: 1) { errors { field code } } }",
        lambda w: {"sku": "JG-HB-M8-30"},
        {"distributor": OWN, "supplier": OWN, "salesperson": OWN},
    ),
    "basketSetLineQuantity": (
        "mutation($id: ID!) { basketSetLineQuantity(lineId: $id, quantity: 1) { errors { field code } } }",
        lambda w: {"id": str(w["basket_line"].pk)},
        {"distributor": not_found("lineId"), "supplier": not_found("lineId"), "salesperson": not_found("lineId")},
    ),
    "basketRemoveLine": (
        "mutation($id: ID!) { basketRemoveLine(lineId: $id) { errors { field code } } }",
        lambda w: {"id": str(w["basket_line"].pk)},
        {"distributor": not_found("lineId"), "supplier": not_found("lineId"), "salesperson": not_found("lineId")},
    ),
    "memberChangeTier": (
        'mutation($id: ID!) { memberChangeTier(memberId: $id, tierCode: "diamond", reason: "x") { errors { field code } } }',
        lambda w: {"id": str(w["membership"].pk)},
        {"distributor": FORBIDDEN, "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "memberAdjustPoints": (
        'mutation($id: ID!) { memberAdjustPoints(memberId: $id, points: 500, reason: "x") { errors { field code } } }',
        lambda w: {"id": str(w["membership"].pk)},
        {"distributor": FORBIDDEN, "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "memberSetCreditLine": (
        'mutation($id: ID!) { memberSetCreditLine(memberId: $id, limit: "90000", paymentTermsDays: 90, '
        'reason: "x") { errors { field code } } }',
        lambda w: {"id": str(w["membership"].pk)},
        {"distributor": FORBIDDEN, "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "priceRuleCreate": (
        'mutation { priceRuleCreate(tierCode: "gold", sku: "JG-HB-M8-30", kind: "fixed", value: "1") '
        "{ errors { field code } } }",
        lambda w: {},
        {"distributor": FORBIDDEN, "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "freightTemplateSave": (
        'mutation($id: ID!, $input: FreightTemplateInput!) { freightTemplateSave(id: $id, supplierCode: "jg", '
        "input: $input) { errors { field code } } }",
        lambda w: {
            "id": str(w["template"].pk),
            "input": {"name": "改了", "mode": "piece", "firstUnit": "1", "firstPrice": "0.01"}
            | {"additionalUnit": "1", "additionalPrice": "0"},
        },
        {"distributor": FORBIDDEN, "supplier": not_found("id"), "salesperson": FORBIDDEN},
    ),
    "freightTemplateDelete": (
        "mutation($id: ID!) { freightTemplateDelete(id: $id) { ok errors { field code } } }",
        lambda w: {"id": str(w["template"].pk)},
        {"distributor": FORBIDDEN, "supplier": not_found("id"), "salesperson": FORBIDDEN},
    ),
    "trackingEventAdd": (
        'mutation { trackingEventAdd(trackingNumber: "SF1234567890123", carrierCode: "sf", '
        'occurredAt: "2026-01-05T10:00:00+08:00", description: "已签收", status: "delivered") '
        "{ errors { field code } } }",
        lambda w: {},
        {"distributor": FORBIDDEN, "supplier": not_found("trackingNumber"), "salesperson": FORBIDDEN},
    ),
    "acceptSupplierOrder": (
        "mutation($n: String!) { acceptSupplierOrder(number: $n) { errors { field code } } }",
        lambda w: {"n": w["supplier_order"].number},
        {"distributor": FORBIDDEN, "supplier": not_found("number"), "salesperson": FORBIDDEN},
    ),
    "rejectSupplierOrder": (
        'mutation($n: String!) { rejectSupplierOrder(number: $n, reason: "x") { errors { field code } } }',
        lambda w: {"n": w["supplier_order"].number},
        {"distributor": FORBIDDEN, "supplier": not_found("number"), "salesperson": FORBIDDEN},
    ),
    "shipSupplierOrder": (
        'mutation($n: String!) { shipSupplierOrder(number: $n, carrier: "sf", trackingNumbers: ["SF1234567890999"]) '
        "{ errors { field code } } }",
        lambda w: {"n": w["supplier_order"].number},
        {"distributor": FORBIDDEN, "supplier": not_found("number"), "salesperson": FORBIDDEN},
    ),
    # another supplier's staff can only submit their own supplier's details: jg's code is refused
    "submitLegalProfile": (
        SUBMIT_LEGAL,
        lambda w: {**legal_variables(), "uscc": w["jg_legal"].uscc},
        {"distributor": FORBIDDEN, "supplier": ("unique", "uscc"), "salesperson": FORBIDDEN},
    ),
    # a company's people: its admins only (the other distributor belongs to no company)
    "companyMemberAdd": (
        'mutation($e: String!) { companyMemberAdd(email: $e, role: "admin") { errors { field code } } }',
        lambda w: {"e": w["distributor"].email},
        # "distributor" is another company's admin: it may add people to its own company only,
        # and the e-mail asked for (its own) already belongs to one
        {"distributor": ("has_company", "email"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "companyMemberChangeRole": (
        'mutation($id: ID!) { companyMemberChangeRole(memberId: $id, role: "admin") { errors { field code } } }',
        lambda w: {"id": str(w["company_member"].pk)},
        {"distributor": not_found("memberId"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "companyMemberDeactivate": (
        "mutation($id: ID!) { companyMemberDeactivate(memberId: $id) { errors { field code } } }",
        lambda w: {"id": str(w["company_member"].pk)},
        {"distributor": not_found("memberId"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "companyMemberReactivate": (
        "mutation($id: ID!) { companyMemberReactivate(memberId: $id) { errors { field code } } }",
        lambda w: {"id": str(w["company_member"].pk)},
        {"distributor": not_found("memberId"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    # invitations: the company's admins; the link's token is accepted only by the invited address
    # ("distributor" is another company's admin: inviting itself into its own company is refused)
    "inviteMember": (
        'mutation($e: String!) { inviteMember(email: $e, role: "admin") { errors { field code } } }',
        lambda w: {"e": w["distributor"].email},
        {"distributor": ("member", "email"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "resendInvitation": (
        "mutation($id: ID!) { resendInvitation(id: $id) { invitation { email } errors { field code } } }",
        lambda w: {"id": str(w["invitation"].pk)},
        {"distributor": not_found("id"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "revokeInvitation": (
        "mutation($id: ID!) { revokeInvitation(id: $id) { invitation { email } errors { field code } } }",
        lambda w: {"id": str(w["invitation"].pk)},
        {"distributor": not_found("id"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "acceptInvitation": (
        "mutation($t: String!) { acceptInvitation(token: $t) { member { id } errors { field code } } }",
        lambda w: {"t": w["invitation_token"]},
        {"distributor": ("wrong_account", "token"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    # the shared address book: the company's admins
    "createCompanyAddress": (
        # (another company's admin may add to its own book: this address is refused, nothing is made)
        'mutation { createCompanyAddress(label: "x", consignee: "x", mobile: "123", province: "广东省", '
        'city: "深圳市", district: "南山区", line: "x") { address { id } errors { field code } } }',
        lambda w: {},
        {"distributor": ("invalid", "mobile"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "updateCompanyAddress": (
        'mutation($id: ID!) { updateCompanyAddress(id: $id, label: "x", consignee: "x", mobile: "13800138000", '
        'province: "广东省", city: "x", line: "改写") { address { line } errors { field code } } }',
        lambda w: {"id": str(w["company_address"].pk)},
        {"distributor": not_found("id"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "deleteCompanyAddress": (
        "mutation($id: ID!) { deleteCompanyAddress(id: $id) { deletedId errors { field code } } }",
        lambda w: {"id": str(w["company_address"].pk)},
        {"distributor": not_found("id"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    # purchase approval: rules are the company's admins'; another company's request is not found
    # (another company's admin may make rules for its own company: this one is refused, none made)
    "createApprovalRule": (
        'mutation { createApprovalRule(input: {kind: "order_total", threshold: "-1", approverRole: "admin"}) '
        "{ errors { field code } } }",
        lambda w: {},
        {"distributor": ("min_value", "input.threshold"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "updateApprovalRule": (
        "mutation($id: ID!) { updateApprovalRule(id: $id, input: {isActive: false}) { errors { field code } } }",
        lambda w: {"id": str(w["approval_rule"].pk)},
        {"distributor": not_found("id"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "approveRequest": (
        "mutation($n: String!) { approveRequest(number: $n) { errors { field code } } }",
        lambda w: {"n": w["approval"].number},
        {"distributor": not_found("number"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "rejectRequest": (
        'mutation($n: String!) { rejectRequest(number: $n, comment: "不要") { errors { field code } } }',
        lambda w: {"n": w["approval"].number},
        {"distributor": not_found("number"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    # contracts: a company's people only, and only their company's contracts (a guessed number of
    # another company's contract is not found; tests/contracts walks real ones)
    **{
        name: (
            f'mutation {{ {name}(number: "HT-20000101-000001"{args}) {{ errors {{ field code }} }} }}',
            lambda w: {},
            {"distributor": not_found("number"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
        )
        for name, args in (
            ("contractRecordReading", ", seconds: 30, reachedEnd: true"),
            ("contractRequestCode", ', documentSha256: "' + "0" * 64 + '"'),
            ("contractSign", ', documentSha256: "' + "0" * 64 + '", code: "123456"'),
            ("contractApproveSeal", ""),
            ("contractComment", ', body: "x"'),
        )
    },
    # follow-ups: operators and the company's salesperson; the other distributor's company is not
    # the salesperson's customer
    "recordFollowUp": (
        'mutation($c: ID!) { recordFollowUp(companyId: $c, kind: "visit", happenedAt: "2026-01-05T10:00:00+08:00", '
        'note: "x") { errors { field code } } }',
        lambda w: {"c": str(factories.company_of(w["distributor"]).pk)},
        {"distributor": FORBIDDEN, "supplier": FORBIDDEN, "salesperson": not_found("companyId")},
    ),
    # finance receipts: recording, approving and allocating are the finance group's; another
    # company cannot claim the victim's transfer without knowing its payer account
    "recordReceipt": (
        'mutation { recordReceipt(bankReference: "X-1", receivedOn: "2026-01-05", amount: "1", payerName: "甲") '
        "{ errors { field code } } }",
        lambda w: {},
        {"distributor": FORBIDDEN, "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "approveReceipt": (
        "mutation($n: String!) { approveReceipt(number: $n) { errors { field code } } }",
        lambda w: {"n": _victim_receipt(w).number},
        {"distributor": FORBIDDEN, "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "allocateReceipt": (
        'mutation($n: String!) { allocateReceipt(number: $n, orderNumber: "1", amount: "1") { errors { field code } } }',
        lambda w: {"n": _victim_receipt(w).number},
        {"distributor": FORBIDDEN, "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "claimReceipt": (
        'mutation($on: Date!) { claimReceipt(receivedOn: $on, amount: "88.00", payerAccount: "6222000000000000") '
        "{ errors { field code } } }",
        lambda w: {"on": _victim_receipt(w).received_on.isoformat()},
        {"distributor": ("invalid", "payerAccount"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    # finance refunds, settlement, statements, invoices: the finance group's actions are refused to
    # everyone else; a party's own actions on another party's (here: unknown) document find nothing
    "approveRefund": (
        'mutation { approveRefund(number: "TK-20000101-000001") { errors { field code } } }',
        lambda w: {},
        {"distributor": FORBIDDEN, "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "rejectRefund": (
        'mutation { rejectRefund(number: "TK-20000101-000001", reason: "x") { errors { field code } } }',
        lambda w: {},
        {"distributor": FORBIDDEN, "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "executeRefund": (
        'mutation { executeRefund(number: "TK-20000101-000001", payoutReference: "P-1") { errors { field code } } }',
        lambda w: {},
        {"distributor": FORBIDDEN, "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "requestRefund": (
        'mutation { requestRefund(orderNumber: "NO-SUCH-1", reason: "allowance") { errors { field code } } }',
        lambda w: {},
        {"distributor": not_found("orderNumber"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "closePeriod": (
        'mutation { closePeriod(month: "2026-01-01") { errors { field code } } }',
        lambda w: {},
        {"distributor": FORBIDDEN, "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "draftSettlement": (
        'mutation($s: ID!) { draftSettlement(supplierId: $s, periodStart: "2026-01-01", periodEnd: "2026-01-31") '
        "{ errors { field code } } }",
        lambda w: {"s": str(w["supplier_order"].partner_id)},
        {"distributor": FORBIDDEN, "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "paySettlement": (
        'mutation { paySettlement(number: "JS-20000101-000001", payoutReference: "P-1") { errors { field code } } }',
        lambda w: {},
        {"distributor": FORBIDDEN, "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "confirmSettlement": (
        'mutation { confirmSettlement(number: "JS-20000101-000001") { errors { field code } } }',
        lambda w: {},
        {"distributor": FORBIDDEN, "supplier": not_found("number"), "salesperson": FORBIDDEN},
    ),
    "disputeSettlement": (
        'mutation { disputeSettlement(number: "JS-20000101-000001", reason: "x") { errors { field code } } }',
        lambda w: {},
        {"distributor": FORBIDDEN, "supplier": not_found("number"), "salesperson": FORBIDDEN},
    ),
    "issueStatement": (
        'mutation($c: ID!) { issueStatement(companyId: $c, periodStart: "2026-01-01", periodEnd: "2026-01-31") '
        "{ errors { field code } } }",
        lambda w: {"c": str(w["buyer_company"].pk)},
        {"distributor": FORBIDDEN, "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "confirmStatement": (
        'mutation { confirmStatement(number: "DZ-20000101-000001") { errors { field code } } }',
        lambda w: {},
        {"distributor": not_found("number"), "supplier": not_found("number"), "salesperson": FORBIDDEN},
    ),
    "disputeStatement": (
        'mutation { disputeStatement(number: "DZ-20000101-000001", reason: "x") { errors { field code } } }',
        lambda w: {},
        {"distributor": not_found("number"), "supplier": not_found("number"), "salesperson": FORBIDDEN},
    ),
    "issueInvoice": (
        'mutation { issueInvoice(number: "KP-20000101-000001") { errors { field code } } }',
        lambda w: {},
        {"distributor": FORBIDDEN, "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "rejectInvoiceRequest": (
        'mutation { rejectInvoiceRequest(number: "KP-20000101-000001", reason: "x") { errors { field code } } }',
        lambda w: {},
        {"distributor": FORBIDDEN, "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "requestInvoice": (
        'mutation { requestInvoice(orderNumbers: ["NO-SUCH-1"], kind: "normal") { errors { field code } } }',
        lambda w: {},
        {"distributor": not_found("orderNumbers"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "confirmInvoice": (
        'mutation { confirmInvoice(number: "26310000000000000099") { errors { field code } } }',
        lambda w: {},
        {"distributor": not_found("number"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "requestRedInvoice": (
        'mutation { requestRedInvoice(number: "26310000000000000099") { errors { field code } } }',
        lambda w: {},
        {"distributor": not_found("number"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    # the buyer's own orders: another company's order or part is not found, as a missing one
    "confirmReceipt": (
        "mutation($n: String!) { confirmReceipt(number: $n) { errors { field code } } }",
        lambda w: {"n": w["supplier_order"].number},
        {"distributor": not_found("number"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
    "cancelOrder": (
        "mutation($n: String!) { cancelOrder(number: $n) { errors { field code } } }",
        lambda w: {"n": str(w["supplier_order"].order.number)},
        {"distributor": not_found("number"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
    ),
}


# after-sales (plugins.aftersales): a buyer's actions on another company's supplier order or request
# find nothing; the supplier's decisions on another supplier's (here: unknown) request find nothing
ATTACKS.update(
    {
        "requestAfterSales": (
            'mutation($so: String!) { requestAfterSales(supplierOrderNumber: $so, kind: "return", '
            'reason: "quality", lines: [{lineId: "1", quantity: 1}]) { errors { field code } } }',
            lambda w: {"so": w["supplier_order"].number},
            {"distributor": not_found("supplierOrderNumber"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
        ),
        "cancelAfterSales": (
            'mutation { cancelAfterSales(number: "SH-20000101-000001") { errors { field code } } }',
            lambda w: {},
            {"distributor": not_found("number"), "supplier": FORBIDDEN, "salesperson": FORBIDDEN},
        ),
        "approveAfterSales": (
            'mutation { approveAfterSales(number: "SH-20000101-000001") { errors { field code } } }',
            lambda w: {},
            {"distributor": FORBIDDEN, "supplier": not_found("number"), "salesperson": FORBIDDEN},
        ),
        "rejectAfterSales": (
            'mutation { rejectAfterSales(number: "SH-20000101-000001", reason: "x") { errors { field code } } }',
            lambda w: {},
            {"distributor": FORBIDDEN, "supplier": not_found("number"), "salesperson": FORBIDDEN},
        ),
    }
)


def schema_mutations() -> dict:
    from config.schema import schema
    from core.graphql.mutations import mutation_classes

    return mutation_classes(schema)


def test_every_mutation_of_the_schema_is_attacked_and_fed_bad_input():
    names = set(schema_mutations())
    assert names == set(ATTACKS), "add the new mutation to ATTACKS: " + ", ".join(sorted(names ^ set(ATTACKS)))
    assert names == set(BAD_INPUTS), "add the new mutation to BAD_INPUTS: " + ", ".join(sorted(names ^ set(BAD_INPUTS)))


def test_every_mutation_class_derives_from_the_platform_base():
    from core.graphql.mutations import PlatformMutation

    for name, cls in schema_mutations().items():
        assert cls is not None and issubclass(cls, PlatformMutation), name
        assert cls.allowed is not None, name
        assert cls.mutate.__func__ is PlatformMutation.mutate.__func__, name


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_a_mutation_as_the_wrong_party_is_refused_or_finds_nothing_and_changes_nothing(world, name):
    query, variables, expected = ATTACKS[name]
    variables = variables(world)
    for role in ROLES:
        user = world[role]
        outcome = "unauthenticated" if role == "anonymous" else expected[role]
        client = client_of(user)
        before = snapshot(world, own=user if outcome == OWN else None)
        body = gql(client, query, variables)
        if outcome in ("unauthenticated", FORBIDDEN):
            assert body["data"][name] is None, (role, body)
            assert [e["extensions"]["code"] for e in body["errors"]] == [outcome], (role, body)
        elif outcome == OWN:
            assert "errors" not in body and body["data"][name]["errors"] == [], (role, body)
        else:
            code, field = outcome
            assert "errors" not in body, (role, body)
            assert [(e["field"], e["code"]) for e in body["data"][name]["errors"]] == [(field, code)], (role, body)
        assert changed_tables(before, snapshot(world, own=user if outcome == OWN else None)) == [], role


def test_the_forbidden_answer_is_one_message_in_the_users_language(world):
    messages = set()
    for name in ("memberChangeTier", "freightTemplateDelete", "acceptSupplierOrder"):
        query, variables, _ = ATTACKS[name]
        body = gql(world["salesperson"], query, variables(world))
        messages.add(body["errors"][0]["message"])
    assert messages == {"您无权执行此操作。"}
    body = gql(None, ATTACKS["basketAddLine"][0], {"sku": "JG-HB-M8-30"})
    assert body["errors"][0]["message"] == "请先登录或提供 API 令牌。"


# --- bad input: payload errors name the client's input fields ---------------------------------


def _accept(w):
    lifecycle.accept(w["supplier_order"])


BAD_INPUTS = {
    # name: (who, query, variables, expected {(field, code)} (code None: any), prepare)
    "basketAddLine": (
        "buyer",
        'mutation { basketAddLine(sku: "JG-HB-M8-30", quantity: 0) { basket { numItems } errors { field code } } }',
        lambda w: {},
        {("quantity", "out_of_range")},
        None,
    ),
    "basketSetLineQuantity": (
        "buyer",
        "mutation($id: ID!, $q: Int!) { basketSetLineQuantity(lineId: $id, quantity: $q) { errors { field code } } }",
        lambda w: {"id": str(w["basket_line"].pk), "q": MAX_QUANTITY + 1},
        {("quantity", "out_of_range")},
        None,
    ),
    "basketRemoveLine": (
        "buyer",
        'mutation { basketRemoveLine(lineId: "abc") { errors { field code } } }',
        lambda w: {},
        {("lineId", "not_found")},
        None,
    ),
    "memberChangeTier": (
        "operator",
        'mutation($id: ID!) { memberChangeTier(memberId: $id, tierCode: "gold", reason: "年度评审") '
        "{ member { id } errors { field code } } }",
        lambda w: {"id": str(w["membership"].pk)},
        {("tierCode", "invalid")},  # already in this tier
        None,
    ),
    "memberAdjustPoints": (
        "operator",
        'mutation($id: ID!) { memberAdjustPoints(memberId: $id, points: 0, reason: " ") '
        "{ member { id } errors { field code } } }",
        lambda w: {"id": str(w["membership"].pk)},
        {("reason", "invalid")},
        None,
    ),
    "memberSetCreditLine": (
        "operator",
        'mutation($id: ID!) { memberSetCreditLine(memberId: $id, limit: "-1", paymentTermsDays: -5, reason: "") '
        "{ member { id } errors { field code } } }",
        lambda w: {"id": str(w["membership"].pk)},
        {("limit", "invalid"), ("paymentTermsDays", "invalid"), ("reason", "invalid")},
        None,
    ),
    "priceRuleCreate": (
        "operator",
        'mutation($email: String!) { priceRuleCreate(tierCode: "gold", company: $email, sku: "JG-HB-M8-30", '
        'kind: "fixed", value: "20", minQuantity: 0, validFrom: "2026-02-01", validUntil: "2026-01-01", '
        'floorMarginPercent: "-1") { rule { id } errors { field code } } }',
        lambda w: {"email": w["buyer"].email},
        {
            ("tierCode", "invalid"),  # a tier or a customer, not both
            ("minQuantity", "invalid"),
            ("validUntil", "invalid"),
            ("floorMarginPercent", "invalid"),
        },
        None,
    ),
    "freightTemplateSave": (
        "operator",
        'mutation($input: FreightTemplateInput!) { freightTemplateSave(supplierCode: "jg", input: $input) '
        "{ template { id } errors { field code } } }",
        lambda w: {
            "input": {
                "name": "坏模板",
                "mode": "weight",
                "firstUnit": "0",
                "firstPrice": "8",
                "additionalUnit": "1",
                "additionalPrice": "2",
                "excludedProvinces": ["火星"],
                "regionRules": [
                    {"provinces": ["西藏自治区"], "firstUnit": "1", "firstPrice": "9"}
                    | {"additionalUnit": "1", "additionalPrice": "3"}
                ]
                * 2,
                "freeRules": [{"provinces": [], "minAmount": "-3"}],
            }
        },
        {
            ("firstUnit", None),
            ("excludedProvinces", None),
            ("regionRules.1.provinces", None),
            ("freeRules.0.minAmount", None),
        },
        None,
    ),
    "freightTemplateDelete": (
        "operator",
        'mutation { freightTemplateDelete(id: "nope") { ok errors { field code } } }',
        lambda w: {},
        {("id", "not_found")},
        None,
    ),
    "trackingEventAdd": (
        "jg_staff",
        'mutation($at: DateTime!) { trackingEventAdd(trackingNumber: "SF1234567890123", carrierCode: "sf", '
        'occurredAt: $at, description: " ", status: "teleported") { event { description } errors { field code } } }',
        lambda w: {"at": (timezone.now() + timedelta(days=2)).isoformat()},
        {("occurredAt", "invalid"), ("description", "invalid"), ("status", "invalid")},
        None,
    ),
    "acceptSupplierOrder": (
        "jg_staff",
        "mutation($n: String!) { acceptSupplierOrder(number: $n) { supplierOrder { state } errors { field code } } }",
        lambda w: {"n": w["supplier_order"].number},
        {(None, "invalid_transition")},  # accepted already: no input is wrong, the whole request is
        _accept,
    ),
    "rejectSupplierOrder": (
        "jg_staff",
        'mutation($n: String!) { rejectSupplierOrder(number: $n, reason: "  ") { supplierOrder { state } '
        "errors { field code } } }",
        lambda w: {"n": w["supplier_order"].number},
        {("reason", "required")},
        None,
    ),
    "shipSupplierOrder": (
        "jg_staff",
        'mutation($n: String!) { shipSupplierOrder(number: $n, carrier: "nope", trackingNumbers: ["1"]) '
        "{ supplierOrder { state } errors { field code } } }",
        lambda w: {"n": w["supplier_order"].number},
        {("carrier", "invalid")},
        _accept,
    ),
    "submitLegalProfile": (
        "jg_staff",
        SUBMIT_LEGAL,
        lambda w: (
            legal_variables(legal_name="", uscc="9132050000000119X9", bank_account="ABC") | {"licenceBase64": "AAAA"}
        ),
        {("legalName", "required"), ("uscc", None), ("bankAccount", "invalid"), ("licenceBase64", "invalid_file")},
        None,
    ),
    # the buyer is their company's only admin
    "companyMemberAdd": (
        "buyer",
        'mutation { companyMemberAdd(email: "nobody@example.cn", role: "buyer") { member { id } errors { field code } } }',
        lambda w: {},
        {("email", "not_found")},
        None,
    ),
    "companyMemberChangeRole": (
        "buyer",
        'mutation($id: ID!) { companyMemberChangeRole(memberId: $id, role: "buyer") { member { id } '
        "errors { field code } } }",
        lambda w: {"id": str(w["company_admin_member"].pk)},
        {("role", "last_admin")},
        None,
    ),
    "companyMemberDeactivate": (
        "buyer",
        "mutation($id: ID!) { companyMemberDeactivate(memberId: $id) { member { id } errors { field code } } }",
        lambda w: {"id": str(w["company_admin_member"].pk)},
        {("memberId", "last_admin")},
        None,
    ),
    "companyMemberReactivate": (
        "buyer",
        "mutation($id: ID!) { companyMemberReactivate(memberId: $id) { member { id } errors { field code } } }",
        lambda w: {"id": str(w["company_member"].pk)},
        {(None, "invalid_transition")},  # active already
        None,
    ),
    "inviteMember": (
        "buyer",
        'mutation { inviteMember(email: "not an address", role: "buyer") { invitation { id } errors { field code } } }',
        lambda w: {},
        {("email", "invalid")},
        None,
    ),
    "resendInvitation": (
        "buyer",
        "mutation($id: ID!) { resendInvitation(id: $id) { invitation { id } errors { field code } } }",
        lambda w: {"id": str(w["invitation"].pk)},
        {(None, "invalid_transition")},  # withdrawn first
        lambda w: _revoke(w),
    ),
    "revokeInvitation": (
        "buyer",
        "mutation($id: ID!) { revokeInvitation(id: $id) { invitation { id } errors { field code } } }",
        lambda w: {"id": "999999"},
        {("id", "not_found")},
        None,
    ),
    "acceptInvitation": (
        "buyer",  # already the admin of a company
        "mutation($t: String!) { acceptInvitation(token: $t) { member { id } errors { field code } } }",
        lambda w: {"t": "no-such-token"},
        {("token", "not_found")},
        None,
    ),
    "createCompanyAddress": (
        "buyer",
        'mutation { createCompanyAddress(label: "x", consignee: "x", mobile: "123", province: "火星", city: "x", '
        'line: "", postcode: "12") { address { id } errors { field code } } }',
        lambda w: {},
        {("mobile", "invalid"), ("province", "invalid"), ("line", "required"), ("postcode", "invalid")},
        None,
    ),
    "updateCompanyAddress": (
        "buyer",
        'mutation($id: ID!) { updateCompanyAddress(id: $id, label: "", consignee: "x", mobile: "13800138000", '
        'province: "广东省", city: "x", line: "x", postcode: "abcdef") { address { id } errors { field code } } }',
        lambda w: {"id": str(w["company_address"].pk)},
        {("label", "required"), ("city", "invalid"), ("postcode", "invalid")},  # city x: not in 广东省
        None,
    ),
    "deleteCompanyAddress": (
        "buyer",
        "mutation($id: ID!) { deleteCompanyAddress(id: $id) { deletedId errors { field code } } }",
        lambda w: {"id": "abc"},
        {("id", "not_found")},
        None,
    ),
    "createApprovalRule": (
        "buyer",
        'mutation { createApprovalRule(input: {kind: "order_total", threshold: "-1", approverRole: "buyer"}) '
        "{ rule { id } errors { field code } } }",
        lambda w: {},
        {("input.threshold", "min_value"), ("input.approverRole", "invalid")},
        None,
    ),
    "updateApprovalRule": (
        "buyer",
        "mutation($id: ID!) { updateApprovalRule(id: $id, input: {step: 0}) { rule { id } errors { field code } } }",
        lambda w: {"id": str(w["approval_rule"].pk)},
        {("input.step", "invalid")},
        None,
    ),
    "approveRequest": (
        "buyer",
        'mutation { approveRequest(number: "AP-NO-SUCH") { request { number } errors { field code } } }',
        lambda w: {},
        {("number", "not_found")},
        None,
    ),
    "rejectRequest": (
        "buyer",
        'mutation($n: String!) { rejectRequest(number: $n, comment: " ") { request { number } errors { field code } } }',
        lambda w: {"n": w["approval"].number},
        {("comment", "required")},
        None,
    ),
    "contractRecordReading": (
        "buyer",
        'mutation { contractRecordReading(number: "no such", seconds: 5) { errors { field code } } }',
        lambda w: {},
        {("number", "not_found")},
        None,
    ),
    "contractRequestCode": (
        "buyer",
        'mutation { contractRequestCode(number: " ", documentSha256: "x") { errors { field code } } }',
        lambda w: {},
        {("number", "not_found")},
        None,
    ),
    "contractSign": (
        "buyer",
        'mutation { contractSign(number: "HT-1", documentSha256: "x", code: "abc") { errors { field code } } }',
        lambda w: {},
        {("number", "not_found")},
        None,
    ),
    "contractApproveSeal": (
        "buyer",
        'mutation { contractApproveSeal(number: "") { errors { field code } } }',
        lambda w: {},
        {("number", "not_found")},
        None,
    ),
    "contractComment": (
        "buyer",
        'mutation { contractComment(number: "HT-20000101-000001", body: "") { errors { field code } } }',
        lambda w: {},
        {("number", "not_found")},
        None,
    ),
    "recordFollowUp": (
        "salesperson",
        'mutation($c: ID!) { recordFollowUp(companyId: $c, kind: "lunch", happenedAt: "2026-01-05T10:00:00+08:00", '
        'note: " ", nextStep: "报价") { followUp { id } errors { field code } } }',
        lambda w: {"c": str(w["buyer_company"].pk)},
        {("kind", "invalid"), ("note", "required"), ("nextStepOn", "required")},
        None,
    ),
    # finance receipts: the finance group records, approves and allocates; a company's 财务/admin claims
    "recordReceipt": (
        "operator",
        'mutation { recordReceipt(bankReference: " ", receivedOn: "2026-01-05", amount: "-1", payerName: "甲") '
        "{ receipt { number } errors { field code } } }",
        lambda w: {},
        {("bankReference", None), ("amount", None)},
        None,
    ),
    "approveReceipt": (
        "operator",
        'mutation { approveReceipt(number: "SK-20000101-000001") { receipt { state } errors { field code } } }',
        lambda w: {},
        {("number", "not_found")},
        None,
    ),
    "allocateReceipt": (
        "operator",
        'mutation { allocateReceipt(number: "SK-20000101-000001", orderNumber: "1", amount: "1") '
        "{ receipt { left } errors { field code } } }",
        lambda w: {},
        {("number", "not_found")},
        None,
    ),
    "claimReceipt": (
        "buyer",
        'mutation { claimReceipt(receivedOn: "2026-01-05", amount: "-1", payerAccount: "1") '
        "{ receipt { number } errors { field code } } }",
        lambda w: {},
        {("payerAccount", None)},
        None,
    ),
    # finance refunds, settlement, statements, invoices
    "approveRefund": (
        "operator",
        'mutation { approveRefund(number: "TK-20000101-000009") { refund { number } errors { field code } } }',
        lambda w: {},
        {("number", None)},
        None,
    ),
    "rejectRefund": (
        "operator",
        'mutation { rejectRefund(number: "TK-20000101-000009", reason: " ") { refund { number } errors { field code } } }',
        lambda w: {},
        {("number", None)},
        None,
    ),
    "executeRefund": (
        "operator",
        'mutation { executeRefund(number: "TK-20000101-000009") { refund { number } errors { field code } } }',
        lambda w: {},
        {("number", None)},
        None,
    ),
    "requestRefund": (
        "buyer",
        'mutation { requestRefund(orderNumber: "NO-SUCH-1", reason: "bogus") { refund { number } errors { field code } } }',
        lambda w: {},
        {("orderNumber", None)},
        None,
    ),
    "closePeriod": (
        "operator",
        'mutation { closePeriod(month: "2999-01-01") { month errors { field code } } }',
        lambda w: {},
        {("month", None)},
        None,
    ),
    "draftSettlement": (
        "operator",
        'mutation { draftSettlement(supplierId: "999999", periodStart: "2026-02-01", periodEnd: "2026-01-01") { batch { number } errors { field code } } }',
        lambda w: {},
        {("supplierId", None)},
        None,
    ),
    "paySettlement": (
        "operator",
        'mutation { paySettlement(number: "JS-20000101-000009", payoutReference: " ") { batch { number } errors { field code } } }',
        lambda w: {},
        {("number", None)},
        None,
    ),
    "confirmSettlement": (
        "supplier",
        'mutation { confirmSettlement(number: "JS-20000101-000009") { batch { number } errors { field code } } }',
        lambda w: {},
        {("number", None)},
        None,
    ),
    "disputeSettlement": (
        "supplier",
        'mutation { disputeSettlement(number: "JS-20000101-000009", reason: " ") { batch { number } errors { field code } } }',
        lambda w: {},
        {("number", None)},
        None,
    ),
    "issueStatement": (
        "operator",
        'mutation { issueStatement(periodStart: "2026-02-01", periodEnd: "2026-01-01") { statement { number } errors { field code } } }',
        lambda w: {},
        {("companyId", None)},
        None,
    ),
    "confirmStatement": (
        "buyer",
        'mutation { confirmStatement(number: "DZ-20000101-000009") { statement { number } errors { field code } } }',
        lambda w: {},
        {("number", None)},
        None,
    ),
    "disputeStatement": (
        "buyer",
        'mutation { disputeStatement(number: "DZ-20000101-000009", reason: " ") { statement { number } errors { field code } } }',
        lambda w: {},
        {("number", None)},
        None,
    ),
    "issueInvoice": (
        "operator",
        'mutation { issueInvoice(number: "KP-20000101-000009") { invoice { number } errors { field code } } }',
        lambda w: {},
        {("number", None)},
        None,
    ),
    "rejectInvoiceRequest": (
        "operator",
        'mutation { rejectInvoiceRequest(number: "KP-20000101-000009", reason: " ") { invoiceRequest { number } errors { field code } } }',
        lambda w: {},
        {("number", None)},
        None,
    ),
    "requestInvoice": (
        "buyer",
        'mutation { requestInvoice(orderNumbers: [], kind: "bogus") { invoiceRequest { number } errors { field code } } }',
        lambda w: {},
        {("kind", None)},
        None,
    ),
    "confirmInvoice": (
        "buyer",
        'mutation { confirmInvoice(number: "26310000000000000099") { invoice { number } errors { field code } } }',
        lambda w: {},
        {("number", None)},
        None,
    ),
    "requestRedInvoice": (
        "buyer",
        'mutation { requestRedInvoice(number: "26310000000000000099") { invoiceRequest { number } errors { field code } } }',
        lambda w: {},
        {("number", None)},
        None,
    ),
    # jg's part is forwarded, not shipped: no input is wrong, the whole request is
    "confirmReceipt": (
        "buyer",
        "mutation($n: String!) { confirmReceipt(number: $n) { supplierOrder { state } errors { field code } } }",
        lambda w: {"n": w["supplier_order"].number},
        {(None, "invalid_transition")},
        None,
    ),
    # a supplier accepted: the buyer can no longer cancel
    "cancelOrder": (
        "buyer",
        "mutation($n: String!) { cancelOrder(number: $n) { order { status } errors { field code } } }",
        lambda w: {"n": str(w["supplier_order"].order.number)},
        {(None, "invalid_transition")},
        _accept,
    ),
}


# after-sales: the buyer's supplier order is not delivered yet, but a request without quantities is
# refused before that; unknown requests are not found
BAD_INPUTS.update(
    {
        "requestAfterSales": (
            "buyer",
            'mutation($so: String!) { requestAfterSales(supplierOrderNumber: $so, kind: "return", '
            'reason: "quality", lines: [{lineId: "1", quantity: 0}]) '
            "{ afterSalesRequest { number } errors { field code } } }",
            lambda w: {"so": w["supplier_order"].number},
            {("lines", "required")},
            None,
        ),
        "cancelAfterSales": (
            "buyer",
            'mutation { cancelAfterSales(number: "SH-20000101-000009") { afterSalesRequest { number } '
            "errors { field code } } }",
            lambda w: {},
            {("number", None)},
            None,
        ),
        "approveAfterSales": (
            "jg_staff",
            'mutation { approveAfterSales(number: "SH-20000101-000009") { afterSalesRequest { number } '
            "errors { field code } } }",
            lambda w: {},
            {("number", None)},
            None,
        ),
        "rejectAfterSales": (
            "jg_staff",
            'mutation { rejectAfterSales(number: "SH-20000101-000009", reason: " ") { afterSalesRequest { number } '
            "errors { field code } } }",
            lambda w: {},
            {("number", None)},
            None,
        ),
    }
)


def _revoke(w):
    from companies.services import invitations

    invitations.revoke(invitation=w["invitation"], by=w["buyer"])


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_comes_back_as_errors_on_camel_case_input_fields_and_changes_nothing(world, name):
    from core.graphql.errors import is_client_field_name

    who, query, variables, expected, prepare = BAD_INPUTS[name]
    if prepare:
        prepare(world)
    cls = schema_mutations()[name]
    client = client_of(world[who])
    before = snapshot(world)
    body = gql(client, query, variables(world))
    assert "errors" not in body, body
    payload = body["data"][name]
    errors = payload["errors"]
    assert errors, payload
    for error in errors:
        field = error["field"]
        assert is_client_field_name(field), error
        assert field is None or all(p.isdigit() or p in cls.input_names() for p in field.split(".")), error
        assert "_" not in (field or ""), error
    any_code = {field for field, code in expected if code is None}
    assert {(e["field"], None if e["field"] in any_code else e["code"]) for e in errors} == expected
    for key, value in payload.items():  # the object the mutation would return is not returned
        if key not in ("errors", "basket"):
            assert value in (None, False), (key, value)
    assert changed_tables(before, snapshot(world)) == []


def test_field_names_are_camel_case_from_any_service_key():
    from django.core.exceptions import ValidationError

    from core.graphql.errors import errors_from_validation

    exc = ValidationError(
        {"payment_terms_days": "x", "region_rules.2.first_unit": "y", "__all__": "z", "lineId": "w", "tier": "v"}
    )
    fields = [e.field for e in errors_from_validation(exc, {"tier": "tier_code"})]
    assert fields == ["paymentTermsDays", "regionRules.2.firstUnit", None, "lineId", "tierCode"]


# --- queries: the same guard -------------------------------------------------------------------

PUBLIC_QUERIES = {
    "products",
    "product",
    "categories",
    "viewer",
    "productPricing",
    "tiers",
    "freightQuote",
    "carriers",
    "contractVerification",
}
SIGNED_IN = {"operator", "salesperson", "supplier", "distributor"}
RESTRICTED_QUERIES = {
    "basket": ("{ basket { numItems } }", lambda w: {}, SIGNED_IN),
    "myOrders": ("{ myOrders { totalCount } }", lambda w: {}, SIGNED_IN),
    "order": ('{ order(number: "1") { number } }', lambda w: {}, SIGNED_IN),
    "myMembership": ("{ myMembership { pointsBalance } }", lambda w: {}, {"distributor"}),
    "members": ("{ members { totalCount } }", lambda w: {}, {"operator", "salesperson"}),
    "priceExplanation": (
        'query($e: String!) { priceExplanation(company: $e, sku: "JG-HB-M8-30") { pricing { unitPrice } } }',
        lambda w: {"e": w["buyer"].email},
        {"operator", "salesperson"},  # the salesperson owns the buyer
    ),
    "freightTemplates": ("{ freightTemplates { totalCount } }", lambda w: {}, {"operator", "supplier"}),
    "shipments": ("{ shipments { totalCount } }", lambda w: {}, {"operator", "supplier", "distributor"}),
    "supplierOrders": ("{ supplierOrders { totalCount } }", lambda w: {}, {"supplier"}),
    "supplierOrder": ('{ supplierOrder(number: "x") { number } }', lambda w: {}, {"supplier"}),
    "orderSupplierParts": ('{ orderSupplierParts(orderNumber: "x") { number } }', lambda w: {}, {"distributor"}),
    "myLegalProfile": ("{ myLegalProfile { approved { uscc } pending { uscc } } }", lambda w: {}, {"supplier"}),
    "myCompany": ("{ myCompany { legalName } }", lambda w: {}, {"distributor"}),
    "companies": ("{ companies { totalCount } }", lambda w: {}, {"operator"}),
    # a company's admins only (the distributor here is another company's admin: its own, none)
    "companyInvitations": (
        "{ companyInvitations { totalCount } }",
        lambda w: {},
        {"distributor"},
    ),  # an admin: its own (none here)
    "companyAddresses": ("{ companyAddresses { label } }", lambda w: {}, {"distributor"}),
    # the distributor of the walk is another company's admin: its own rules and requests (none)
    "approvalRules": ("{ approvalRules { kind } }", lambda w: {}, {"distributor"}),
    "approvalRequests": ("{ approvalRequests { totalCount } }", lambda w: {}, {"distributor"}),
    "approvalRequest": ('{ approvalRequest(number: "x") { number } }', lambda w: {}, {"distributor"}),
    "contracts": ("{ contracts { totalCount } }", lambda w: {}, {"operator", "distributor"}),
    "contract": ('{ contract(number: "x") { number } }', lambda w: {}, {"operator", "distributor"}),
    "followUps": (
        "query($c: ID!) { followUps(companyId: $c) { id } }",
        lambda w: {"c": str(w["buyer_company"].pk)},
        {"operator", "salesperson"},  # the salesperson owns the buyer's company
    ),
    # finance: scoped lists (an operator sees all, a company's 财务/admin its own, a supplier its own)
    "receipts": ("{ receipts { number } }", lambda w: {}, {"operator", "distributor"}),
    "unclaimedReceipts": ("{ unclaimedReceipts { receivedOn } }", lambda w: {}, {"operator", "distributor"}),
    "unappliedBalance": ("{ unappliedBalance }", lambda w: {}, {"distributor"}),
    "refunds": ("{ refunds { totalCount } }", lambda w: {}, {"operator", "distributor"}),
    "refund": ('{ refund(number: "TK-1") { number } }', lambda w: {}, {"operator", "distributor"}),
    "settlementBatches": ("{ settlementBatches { totalCount } }", lambda w: {}, {"operator", "supplier"}),
    "settlementBatch": ('{ settlementBatch(number: "JS-1") { number } }', lambda w: {}, {"operator", "supplier"}),
    "statements": ("{ statements { total } }", lambda w: {}, {"operator", "distributor", "supplier"}),
    "invoiceRequests": ("{ invoiceRequests { totalCount } }", lambda w: {}, {"operator", "distributor"}),
    "invoices": ("{ invoices { totalCount } }", lambda w: {}, {"operator", "distributor"}),
    # analytics: operators and salespeople (a salesperson's numbers are their own sales)
    "analyticsPerformance": (
        "{ analyticsPerformance { totals { revenue } } }",
        lambda w: {},
        {"operator", "salesperson"},
    ),
    "analyticsTargets": ("{ analyticsTargets { owner } }", lambda w: {}, {"operator", "salesperson"}),
    # analytics, ABC: the live analysis for the back office (scoped), stored runs for operators
    "analyticsCampaigns": ("{ analyticsCampaigns { key } }", lambda w: {}, {"operator", "salesperson"}),
    "analyticsAbc": ("{ analyticsAbc { grade } }", lambda w: {}, {"operator", "salesperson"}),
    "analyticsAbcRuns": ("{ analyticsAbcRuns { totalCount } }", lambda w: {}, {"operator"}),
    "analyticsAbcRun": ('{ analyticsAbcRun(id: "1") { id } }', lambda w: {}, {"operator"}),
    "analyticsProvinces": ("{ analyticsProvinces { code revenueFen } }", lambda w: {}, {"operator", "salesperson"}),
    "analyticsCities": (
        '{ analyticsCities(provinceCode: "440000") { code } }',
        lambda w: {},
        {"operator", "salesperson"},
    ),
    # analytics, customers: the back office (a salesperson's numbers are their own customers')
    "analyticsFunnel": ("{ analyticsFunnel { total { registered } } }", lambda w: {}, {"operator", "salesperson"}),
    "analyticsSalesCycle": (
        "{ analyticsSalesCycle { total { companies } } }",
        lambda w: {},
        {"operator", "salesperson"},
    ),
    "analyticsRfm": ("{ analyticsRfm { withPayments } }", lambda w: {}, {"operator", "salesperson"}),
    "analyticsValueGrades": ("{ analyticsValueGrades { available } }", lambda w: {}, {"operator", "salesperson"}),
}


# after-sales: operators all, a supplier's staff their supplier's, a buyer their orders'
RESTRICTED_QUERIES.update(
    {
        "afterSalesRequests": (
            "{ afterSalesRequests { totalCount } }",
            lambda w: {},
            {"operator", "distributor", "supplier"},
        ),
        "afterSalesRequest": (
            '{ afterSalesRequest(number: "SH-1") { number } }',
            lambda w: {},
            {"operator", "distributor", "supplier"},
        ),
    }
)


def test_every_query_field_is_public_or_guarded():
    from config.schema import schema

    names = set(schema.graphql_schema.query_type.fields)
    assert names == PUBLIC_QUERIES | set(RESTRICTED_QUERIES), sorted(names ^ (PUBLIC_QUERIES | set(RESTRICTED_QUERIES)))


@pytest.mark.parametrize("name", sorted(RESTRICTED_QUERIES))
def test_a_restricted_query_answers_unauthenticated_or_forbidden_with_the_same_guard(world, name):
    query, variables, allowed = RESTRICTED_QUERIES[name]
    for role in ("anonymous", "distributor", "supplier", "salesperson", "operator"):
        body = gql(world[role], query, variables(world))
        if role in allowed:
            assert "errors" not in body, (role, body)
        else:
            assert body["data"] is None or body["data"].get(name) is None, (role, body)
            expected = "unauthenticated" if role == "anonymous" else FORBIDDEN
            assert [e["extensions"]["code"] for e in body["errors"]] == [expected], (role, body)


def test_a_salesperson_reads_no_supplier_or_logistics_data(world):
    """The operations a salesperson (staff, not an operator) could use before: all refused now."""
    sales = world["salesperson"]
    for query in (
        "{ freightTemplates { items { name supplierCode } } }",
        "{ shipments { items { orderNumber parcels { trackingNumber } } } }",
        "{ supplierOrders { items { number } } }",
    ):
        body = gql(sales, query)
        assert body["errors"][0]["extensions"]["code"] == FORBIDDEN, query
    # staff listed among a supplier's users is still a salesperson, not supplier staff
    world["jg"].users.add(sales)
    body = gql(sales, "{ supplierOrders { items { number } } }")
    assert body["errors"][0]["extensions"]["code"] == FORBIDDEN
    query, variables, _ = ATTACKS["acceptSupplierOrder"]
    body = gql(sales, query, variables(world))
    assert body["errors"][0]["extensions"]["code"] == FORBIDDEN
    assert SupplierOrder.objects.get(pk=world["supplier_order"].pk).state == "forwarded"
    # their own customers' members, yes; nobody else's
    body = gql(sales, "{ members { items { companyName } } }")
    assert body["data"]["members"]["items"] == [{"companyName": world["buyer_company"].legal_name}]


def _readme_operations() -> list[str]:
    """Every GraphQL operation shown in README.md (```graphql blocks and the curl example)."""
    import re
    from pathlib import Path

    from graphql import OperationDefinitionNode, parse, print_ast

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    sources = re.findall(r"```graphql\n(.*?)```", readme, re.S)
    sources += [json.loads(f'"{q}"') for q in re.findall(r'"query": "((?:[^"\\]|\\.)*)"', readme)]
    operations = []
    for source in sources:
        for definition in parse(source).definitions:
            assert isinstance(definition, OperationDefinitionNode)
            operations.append(print_ast(definition))
    return operations


def test_the_readme_examples_are_valid_against_the_schema():
    from graphql import parse, validate

    from config.schema import schema

    operations = _readme_operations()
    assert len(operations) >= 15
    for operation in operations:
        assert validate(schema.graphql_schema, parse(operation)) == [], operation
