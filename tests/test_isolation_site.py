"""Site-wide isolation: walk EVERY URL pattern of the site (the storefront, Oscar's dashboard,
Django's admin, core and every plugin) as

- supplier staff of another supplier (df's staff, against supplier jg's rows),
- a distributor (beta, against another company's — alpha's — orders),
- a salesperson (li, against alpha, a customer of another salesperson, and the operators' pages),
- anonymous,

with each pattern's URL kwargs filled from the table below with the target party's objects
(alpha's order number, jg's supplier order number, template, shipment, profile …). Each request
is answered as the table says (the access rules let the party in or not: a login redirect for
anonymous, the 403 page for a signed-in user; inside, another party's object is a 404), no
response shows the other party's data (numbers, names, secrets, addresses), and the POSTs change
no table. A pattern without an entry in the table fails the walk, so no route can skip it.
"""

import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote, unquote

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ForeignKey
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from oscar.core.loading import get_model

from core import urlaccess
from core.access import ANONYMOUS, DISTRIBUTOR, SALESPERSON, SUPPLIER
from core.services.api_tokens import issue_token
from tests import factories
from tests.s2b2b_orders.conftest import make_supplier

pytestmark = pytest.mark.django_db

User = get_user_model()
Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
ShippingAddress = get_model("order", "ShippingAddress")
UserAddress = get_model("address", "UserAddress")
Email = get_model("communication", "Email")
Notification = get_model("communication", "Notification")
ProductAlert = get_model("customer", "ProductAlert")

SUP, DIS, SAL, ANON = SUPPLIER, DISTRIBUTOR, SALESPERSON, ANONYMOUS
WALKERS = (SUP, DIS, SAL, ANON)
NOBODY: frozenset = frozenset()
SIGNED = frozenset({SUP, DIS, SAL})
MEMBERS = frozenset({DIS, SAL})  # the storefront's membership pages: not supplier staff's
ALL = frozenset(WALKERS)

ADDRESS_MARK = "隐私路88号"
GUESSED_CONTRACT = "HT-20261129-000001"
GUESSED_INVOICE = "26310000000000000001"
WEBHOOK_SECRET = "JG-WEBHOOK-SECRET-7f3a"
WEBHOOK_HOST = "erp.jg-secret.example.cn"
TEMPLATE_NAME = "精工机密运费模板"
TRACKING = "SF1234567890123"
PROPOSED_TITLE = "改名-机密标题"
OPERATOR_TOKEN = "运营机密令牌"
ALPHA_TOKEN = "阿尔法机密令牌"
JG_TOKEN = "精工机密令牌"
ALPHA_NOTE = "机密备注-阿尔法"
ALPHA_EMAIL_SUBJECT = "机密邮件-阿尔法"
ALPHA_NOTIFICATION = "机密通知-阿尔法"
ALPHA_CREDIT = "88,888"
MIXED_NOTE = "机密备注-伽马"
JG_BANK_ACCOUNT = "6222020200112233445"
JG_REPRESENTATIVE = "机密法人代表"
JG_PENDING_ADDRESS = "机密注册地址99号"
ALPHA_COMPANY = "阿尔法机密实业有限公司"
ALPHA_INVITEE = "secret.invitee@example.cn"
ALPHA_SHARED_ADDRESS = "机密仓库路7号"
ALPHA_AFTERSALES = "机密售后描述-阿尔法"
ALPHA_APPROVAL = "AP-ALPHA-77"
IMPORT_SECRET = "导入机密客户有限公司"
FOLLOW_UP_SECRET = "机密跟进-阿尔法"
ALPHA_STATEMENT = "DZ-20261101-000077"
JG_STATEMENT = "DZ-20261101-000078"


# --- the world: two suppliers, three companies, two salespeople, an operator --------------------


class World:
    """The walkers' targets: alpha (a customer of salesperson wang) buys from supplier jg."""

    def __init__(self):
        from companies.uscc import generate as generate_uscc
        from plugins.logistics.services.shipments import record_shipment
        from plugins.logistics.services.templates import TemplateInput, save_template
        from plugins.member_tiers.models import Membership, Tier
        from plugins.member_tiers.services.members import membership_for
        from plugins.s2b2b_orders.services import escalation, legal, review

        self.jg = make_supplier("jg", "苏州精工五金制品有限公司")
        self.df = make_supplier("df", "宁波东方电气设备有限公司")
        self.jg.supplier_profile.webhook_url = f"https://{WEBHOOK_HOST}/hook"
        self.jg.supplier_profile.webhook_secret = WEBHOOK_SECRET
        self.jg.supplier_profile.save()
        self.category = factories.category("紧固件")
        self.bolt = factories.product("JG-HB-M8-30", "外六角螺栓 M8×30", "32.00", 500, self.jg, (self.category,))
        self.nut = factories.product("JG-HN-M8", "六角螺母 M8", "19.80", 300, self.jg)
        self.wire = factories.product("DF-BV-2.5", "BV铜芯电线 2.5mm²", "218.00", 40, self.df)
        self.jg_staff = factories.supplier_staff(self.jg, "jgstaff")
        self.df_staff = factories.supplier_staff(self.df, "dfstaff")
        self.operator = factories.operator("op")
        self.wang = User.objects.create_user(username="wang", email="wang@example.cn", password="x", is_staff=True)
        self.li = User.objects.create_user(username="li", email="li@example.cn", password="x", is_staff=True)
        self.alpha = factories.distributor("alpha")
        self.beta = factories.distributor("beta", province="四川省")
        self.gamma = factories.distributor("gamma")
        UserAddress.objects.filter(user=self.alpha).update(line1=ADDRESS_MARK)
        self.alpha_address = UserAddress.objects.get(user=self.alpha)

        tier, _ = Tier.objects.get_or_create(code="regular", defaults={"name": "普通会员", "rank": 1})
        Membership.objects.create(company=factories.company_of(self.alpha), tier=tier, salesperson=self.wang)
        Membership.objects.create(company=factories.company_of(self.beta), tier=tier, salesperson=self.li)
        self.alpha_membership = Membership.objects.get(company__members__user=self.alpha)
        self.beta_company = factories.company_of(self.beta)
        factories.credit_line(self.alpha, limit="88888.00")

        # alpha's orders (supplier jg only), gamma's order from both suppliers, beta's own order
        self.order = factories.place_order(self.alpha, [(self.bolt, 3)])
        self.second = factories.place_order(self.alpha, [(self.nut, 2)])
        self.mixed = factories.place_order(self.gamma, [(self.bolt, 1), (self.wire, 1)])
        self.own = factories.place_order(self.beta, [(self.wire, 2)])
        ShippingAddress.objects.filter(order__user=self.alpha).update(line1=ADDRESS_MARK)
        self.line = self.order.lines.first()
        self.note = OrderNote.objects.create(order=self.order, user=self.operator, message=ALPHA_NOTE)
        # gamma's order has a line of each supplier: Oscar's own dashboard let df's staff into it
        self.mixed_note = OrderNote.objects.create(order=self.mixed, user=self.operator, message=MIXED_NOTE)
        self.mixed_jg_line = self.mixed.lines.get(partner=self.jg)
        self.so = self.order.supplier_orders.get()
        self.second_so = self.second.supplier_orders.get()
        self.shipment = record_shipment(
            order=self.order,
            partner=self.jg,
            reference=self.so.number,
            carrier_code="sf",
            tracking_numbers=[TRACKING],
            vouchers=[SimpleUploadedFile("面单.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)],
        )
        self.voucher = self.shipment.vouchers.get()
        self.escalation = escalation.escalate(self.second_so)
        self.change = review.propose_change(
            product=self.bolt,
            partner=self.jg,
            user=self.jg_staff,
            title=PROPOSED_TITLE,
            description="",
            price=Decimal("40.00"),
        )
        self.jg_uscc = generate_uscc("320500", 7001)
        legal_data = {
            "legal_name": "苏州精工五金制品有限公司",
            "uscc": self.jg_uscc,
            "province": "江苏省",
            "city": "苏州市",
            "address": "工业园区星湖街88号",
            "representative": JG_REPRESENTATIVE,
            "bank_name": "中国工商银行苏州分行",
            "bank_account": JG_BANK_ACCOUNT,
            "taxpayer_type": "general",
        }
        self.legal = legal.approve(
            legal.submit(
                partner=self.jg,
                user=self.jg_staff,
                data=legal_data,
                licence=SimpleUploadedFile("营业执照.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64),
            ),
            reviewer=self.operator,
        )
        self.legal_pending = legal.submit(
            partner=self.jg, user=self.jg_staff, data={**legal_data, "address": JG_PENDING_ADDRESS}
        )
        self.template = save_template(
            partner=self.jg,
            data=TemplateInput(
                name=TEMPLATE_NAME,
                mode="piece",
                first_unit="1",
                first_price="9.00",
                additional_unit="1",
                additional_price="1.00",
                is_default=False,
            ),
        )
        self.operator_token = issue_token(self.operator, OPERATOR_TOKEN).token
        self.alpha_token = issue_token(self.alpha, ALPHA_TOKEN).token
        self.jg_token = issue_token(self.jg_staff, JG_TOKEN).token
        self.email = Email.objects.create(user=self.alpha, subject=ALPHA_EMAIL_SUBJECT, body_text=ALPHA_EMAIL_SUBJECT)
        self.notification = Notification.objects.create(recipient=self.alpha, subject=ALPHA_NOTIFICATION, body="x")
        self.alert = ProductAlert.objects.create(product=self.bolt, user=self.alpha)
        # alpha's company (alpha its admin, with a buyer), its licence in the private storage
        self.alpha_company = factories.company(self.alpha, ALPHA_COMPANY, 77)
        self.alpha_buyer = factories.person("alphabuyer")
        from companies.services.people import add_member

        self.alpha_buyer_member = add_member(
            company=self.alpha_company, user=self.alpha_buyer, role="buyer", by=self.alpha
        )
        from companies.services import addresses, invitations

        self.alpha_invitation = invitations.invite(
            company=self.alpha_company, email=ALPHA_INVITEE, role="admin", by=self.alpha, base_url=""
        ).invitation
        self.alpha_shared_address = addresses.create(
            company=self.alpha_company,
            details={
                "label": "阿尔法总仓",
                "consignee": "张三",
                "mobile": "13800138009",
                "province": "广东省",
                "city": "深圳市",
                "district": "南山区",
                "line": ALPHA_SHARED_ADDRESS,
            },
            by=self.alpha,
        )
        from companies.approvals import notify as approval_notify
        from companies.approvals.services import create_rule

        self.alpha_rule = create_rule(
            company=self.alpha_company,
            by=self.alpha,
            kind="order_total",
            threshold=Decimal("6543.21"),
            approver_role="admin",
            step=1,
        )
        self.alpha_approval = factories.approval_request(self.alpha_company, self.alpha_buyer, ALPHA_APPROVAL)
        self.alpha_approval_link = approval_notify.link_token(self.alpha_approval, self.alpha)
        for walker in (self.df_staff, self.li):  # pages that need one create it: not the walk's doing
            membership_for(walker)

        from django.utils import timezone

        from companies.models import ImportBatch
        from plugins.member_tiers.models import FollowUp

        # wang's follow-up of alpha, due today: on wang's home, never on li's
        self.follow_up = FollowUp.objects.create(
            company=self.alpha_company,
            salesperson=self.wang,
            kind="visit",
            happened_at=timezone.now(),
            note=FOLLOW_UP_SECRET,
            next_step=FOLLOW_UP_SECRET,
            next_step_on=timezone.localdate(),
        )

        # a settlement batch of jg (finance): df's staff must not reach it
        from datetime import timedelta

        from plugins.finance.services import settlement as settlement_service

        self.settled = factories.place_order(self.alpha, [(self.nut, 1)])
        self.settled_so = self.settled.supplier_orders.get()
        type(self.settled_so).objects.filter(pk=self.settled_so.pk).update(
            state="delivered", delivered_at=timezone.now() - timedelta(days=30)
        )
        today = timezone.localdate()
        self.batch = settlement_service.draft_batch(
            self.jg, period_start=today - timedelta(days=60), period_end=today, by=self.operator
        )

        self.import_batch = ImportBatch.objects.create(
            filename="customers.csv",
            file="companies/imports/customers.csv",
            rows=[{"line": 2, "values": {"legal_name": IMPORT_SECRET, "uscc": generate_uscc("330100", 901)}}],
            uploaded_by=self.operator,
            uploaded_at=self.alpha_company.applied_at,
        )

        from plugins.finance.models import Statement

        # finance statements: alpha's (the storefront's target) and jg's (the portal's)
        for number, party in (
            (ALPHA_STATEMENT, {"company": self.alpha_company}),
            (JG_STATEMENT, {"supplier": self.jg}),
        ):
            Statement.objects.create(
                number=number,
                period_start="2026-10-01",
                period_end="2026-10-31",
                figures={"opening": 0, "closing": 8888800},
                **party,
            )

        # after-sales: alpha's request on jg's delivered part, with a photo (opened inside its window)
        from plugins.aftersales.services import requests as aftersales

        self.settled_so.refresh_from_db()
        self.aftersales = aftersales.create_request(
            supplier_order=self.settled_so,
            kind="return",
            reason="other",
            description=ALPHA_AFTERSALES,
            lines=[(self.settled_so.lines.get(), 1)],
            photos=[SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)],
            by=self.alpha,
            now=self.settled_so.delivered_at + timedelta(days=1),
        )
        self.aftersales_photo = self.aftersales.photos.get()

    def secrets(self, walker: str) -> list[str]:
        """What this walker must never see."""
        secret = [
            self.alpha.email,
            ADDRESS_MARK,
            WEBHOOK_SECRET,
            WEBHOOK_HOST,
            TEMPLATE_NAME,
            TRACKING,
            PROPOSED_TITLE,
            OPERATOR_TOKEN,
            ALPHA_TOKEN,
            JG_TOKEN,
            ALPHA_NOTE,
            ALPHA_EMAIL_SUBJECT,
            ALPHA_NOTIFICATION,
            ALPHA_CREDIT,
            MIXED_NOTE,
            JG_BANK_ACCOUNT,
            JG_REPRESENTATIVE,
            JG_PENDING_ADDRESS,
            self.jg_uscc,
            ALPHA_COMPANY,
            IMPORT_SECRET,
            FOLLOW_UP_SECRET,
            self.alpha_company.uscc,
            self.alpha_buyer.email,
            ALPHA_INVITEE,
            ALPHA_SHARED_ADDRESS,
            ALPHA_APPROVAL,
            "6543.21",
            ALPHA_STATEMENT,
            JG_STATEMENT,
            self.order.number,
            self.second.number,
            self.so.number,
            self.second_so.number,
            f"{self.mixed.number}-S1",  # jg's part of gamma's order
            self.batch.number,
            self.settled.number,
            self.settled_so.number,
            ALPHA_AFTERSALES,
            self.aftersales.number,
        ]
        if walker != SUP:  # df's staff see gamma's order number on their own part of it
            secret += [self.mixed.number, self.gamma.email]
        if walker == ANON:
            secret += [self.own.number]  # beta's order: df supplies it, li is beta's salesperson
        return secret


@pytest.fixture
def world(db):
    return World()


def walker_client(world: World, walker: str) -> Client:
    client = Client()
    user = {SUP: world.df_staff, DIS: world.beta, SAL: world.li}.get(walker)
    if user is not None:
        client.force_login(user)
    return client


# --- the walk table: one entry per route of the site -------------------------------------------


@dataclass(frozen=True)
class Route:
    """How a walker fares on one route (or on every route of a namespace, for "<ns>:*")."""

    #: the walkers the access rules let in (the others get the login redirect or the 403 page)
    open_to: frozenset = NOBODY
    #: values for the pattern's kwargs, aimed at the target party's objects
    kwargs: Callable[[World], dict] = lambda w: {}
    #: expected status of a GET / POST for a walker let in (an int, or walker → int);
    #: None: any page answer (200, 30x, 400, 404, 405), checked for leaks all the same
    get: int | dict | None = None
    post: int | dict | None = None
    #: what the POST sends (aimed at a change an attacker would want)
    data: Callable[[World], dict] = lambda w: {}
    #: the answer repeats the values the walker put in the URL (and nothing else of theirs)
    echoes: bool = False


def order(w):
    return {"number": w.order.number, "order_number": w.order.number}


def mixed(w):
    return {"number": w.mixed.number}


ADMIN = Route(kwargs=lambda w: defaultdict(lambda: "1", app_label="order", object_id=str(w.order.pk)))
OPS = Route()
OSCAR_DASHBOARD_OBJECTS = Route(
    kwargs=lambda w: defaultdict(
        lambda: str(w.bolt.pk),
        number=w.mixed.number,
        line_id=w.mixed_jg_line.pk,
        note_id=w.mixed_note.pk,
        partner_pk=w.jg.pk,
        user_pk=w.jg_staff.pk,
        parent_pk=w.bolt.pk,
        product_class_slug="industrial",
        slug="order-placed",
    )
)

ROUTES: dict[str, Route] = {
    # Django's admin: operators only (every route of the namespace, unnamed ones included)
    "admin:*": ADMIN,
    # the storefront, Oscar's and ours
    "set_language": Route(open_to=ALL, data=lambda w: {"language": "en", "next": "/"}),
    "home": Route(open_to=ALL, get=302),
    "graphql": Route(open_to=ALL, post=400),
    "catalogue:index": Route(open_to=ALL, get=200),
    "catalogue:detail": Route(open_to=ALL, kwargs=lambda w: {"product_slug": w.bolt.slug, "pk": w.bolt.pk}, get=200),
    "s2b2b-product-detail": Route(
        open_to=ALL, kwargs=lambda w: {"product_slug": w.bolt.slug, "pk": w.bolt.pk}, get=200
    ),
    "catalogue:category": Route(
        open_to=ALL, kwargs=lambda w: {"category_slug": w.category.slug, "pk": w.category.pk}, get=200
    ),
    "catalogue:range": Route(open_to=ALL, kwargs=lambda w: {"slug": "no-such-range"}, get=404),
    "search:search": Route(open_to=ALL, get=200),
    "offer:list": Route(open_to=ALL, get=200),
    "offer:detail": Route(open_to=ALL, kwargs=lambda w: {"slug": "no-such-offer"}, get=404),
    "basket:summary": Route(open_to=ALL, get=200),
    "basket:add": Route(open_to=ALL, kwargs=lambda w: {"pk": w.bolt.pk}, get=405),
    "s2b2b-basket-add": Route(open_to=ALL, kwargs=lambda w: {"pk": w.bolt.pk}, get=405),
    "basket:vouchers-add": Route(open_to=ALL),
    "basket:vouchers-remove": Route(open_to=ALL, kwargs=lambda w: {"pk": 1}),
    "basket:saved": Route(open_to=ALL),
    "wishlists:detail": Route(open_to=ALL, kwargs=lambda w: {"key": "nokey"}, get=404),
    "checkout:index": Route(open_to=MEMBERS),
    "checkout:shipping-address": Route(open_to=MEMBERS),
    "checkout:user-address-update": Route(open_to=MEMBERS, kwargs=lambda w: {"pk": w.alpha_address.pk}),
    "checkout:user-address-delete": Route(open_to=MEMBERS, kwargs=lambda w: {"pk": w.alpha_address.pk}),
    "checkout:shipping-method": Route(open_to=MEMBERS),
    "checkout:payment-method": Route(open_to=MEMBERS),
    "checkout:payment-details": Route(open_to=MEMBERS),
    "checkout:preview": Route(open_to=MEMBERS),
    "checkout:thank-you": Route(open_to=MEMBERS),
    "customer:login": Route(open_to=ALL),
    "customer:logout": Route(open_to=ALL, get=302),
    "customer:register": Route(open_to=ALL),
    "customer:summary": Route(open_to=MEMBERS, get=302),
    "customer:change-password": Route(open_to=SIGNED, get=200, post=200),
    "customer:profile-view": Route(open_to=MEMBERS, get=200),
    "customer:profile-update": Route(open_to=MEMBERS, get=200, post=200),
    "customer:profile-delete": Route(open_to=MEMBERS, get=200, post=200),
    "customer:order-list": Route(open_to=MEMBERS, get=200),
    # an order's status page for its link in an e-mail: a wrong hash sends back to the form
    "customer:anon-order-form": Route(
        open_to=ALL, kwargs=lambda w: {"order_number": w.order.number, "hash": "x"}, echoes=True
    ),
    "customer:anon-order": Route(
        open_to=ALL, kwargs=lambda w: {"order_number": w.order.number, "hash": "x"}, echoes=True
    ),
    "customer:order": Route(open_to=MEMBERS, kwargs=order, get=404, post=404),
    "customer:order-line": Route(
        open_to=MEMBERS, kwargs=lambda w: {"order_number": w.order.number, "line_id": w.line.pk}, get=404, post=404
    ),
    "customer:address-list": Route(open_to=MEMBERS, get=200),
    "customer:address-create": Route(open_to=MEMBERS, get=200, post=200),
    "customer:address-detail": Route(open_to=MEMBERS, kwargs=lambda w: {"pk": w.alpha_address.pk}, get=404, post=404),
    "customer:address-delete": Route(open_to=MEMBERS, kwargs=lambda w: {"pk": w.alpha_address.pk}, get=404, post=404),
    "customer:address-change-status": Route(
        open_to=MEMBERS,
        kwargs=lambda w: {"pk": w.alpha_address.pk, "action": "default_for_shipping"},
        get=404,
        post=404,
    ),
    "customer:email-list": Route(open_to=MEMBERS, get=200),
    "customer:email-detail": Route(open_to=MEMBERS, kwargs=lambda w: {"email_id": w.email.pk}, get=404),
    "/accounts/notifications/": Route(open_to=MEMBERS),  # unnamed (customer:*): a redirect to the inbox
    "customer:notifications-inbox": Route(open_to=SIGNED, get=200),
    "customer:notifications-archive": Route(open_to=SIGNED, get=200),
    "customer:notifications-update": Route(
        open_to=SIGNED, data=lambda w: {"selected_notification": [w.notification.pk]}
    ),
    "customer:notifications-detail": Route(open_to=SIGNED, kwargs=lambda w: {"pk": w.notification.pk}, get=404),
    "customer:alerts-list": Route(open_to=MEMBERS, get=200),
    "customer:alert-create": Route(open_to=MEMBERS, kwargs=lambda w: {"pk": w.bolt.pk}),
    "customer:alerts-confirm": Route(open_to=ALL, kwargs=lambda w: {"key": "nokey"}, get=404),
    "customer:alerts-cancel-by-key": Route(open_to=ALL, kwargs=lambda w: {"key": "nokey"}, get=404),
    "customer:alerts-cancel-by-pk": Route(open_to=MEMBERS, kwargs=lambda w: {"pk": w.alert.pk}, get=404, post=404),
    "customer:wishlists-list": Route(open_to=MEMBERS),
    "customer:wishlists-add-product": Route(
        open_to=MEMBERS, kwargs=lambda w: {"key": "nokey", "product_pk": w.bolt.pk}
    ),
    "customer:wishlists-create": Route(open_to=MEMBERS),
    "customer:wishlists-create-with-product": Route(open_to=MEMBERS, kwargs=lambda w: {"product_pk": w.bolt.pk}),
    "customer:wishlists-detail": Route(open_to=MEMBERS, kwargs=lambda w: {"key": "nokey"}),
    "customer:wishlists-update": Route(open_to=MEMBERS, kwargs=lambda w: {"key": "nokey"}),
    "customer:wishlists-delete": Route(open_to=MEMBERS, kwargs=lambda w: {"key": "nokey"}),
    "customer:wishlists-remove-product": Route(
        open_to=MEMBERS, kwargs=lambda w: {"key": "nokey", "line_pk": 1, "product_pk": w.bolt.pk}
    ),
    "customer:wishlists-move-product-to-another": Route(
        open_to=MEMBERS, kwargs=lambda w: {"key": "nokey", "line_pk": 1, "to_key": "nokey2"}
    ),
    "password-reset": Route(open_to={ANON}, get=200, post=200),
    "password-reset-done": Route(open_to={ANON}, get=200),
    "password-reset-confirm": Route(open_to={ANON}, kwargs=lambda w: {"uidb64": "MQ", "token": "x-y"}),
    "password-reset-complete": Route(open_to={ANON}, get=200),
    "storefront:quick-order": Route(open_to=MEMBERS, get=200, post=200),
    "storefront:api-tokens": Route(open_to=MEMBERS, get=200, post=200),
    "storefront:order-export": Route(open_to={DIS}, get=200, post=405),
    # the buyer's own order only: another company's is the same 404 as a missing one
    "storefront:order-cancel": Route(open_to={DIS}, kwargs=order, get=405, post=404),
    "storefront:api-token-revoke": Route(open_to=MEMBERS, kwargs=lambda w: {"pk": w.alpha_token.pk}, post=404),
    "membership:mine": Route(open_to=MEMBERS, get=200),
    "membership:redeem-points": Route(open_to=MEMBERS, get=405, post=302),
    "logistics:choose-province": Route(open_to=ALL, get=405, post=302),
    "logistics:kuaidi100-push": Route(open_to=ALL, get=405, post=400),
    "logistics:voucher": Route(open_to=SIGNED, kwargs=lambda w: {"pk": w.voucher.pk}, get=404, post=405),
    # companies: the storefront's 企业中心 is the buyers' (beta is the admin of its own company of
    # one: registering another redirects, alpha's people and licence are 404, adding an unknown
    # person to beta's company is refused); the back office is the operators'
    "companies:mine": Route(open_to={DIS}, get=200, post=405),
    "companies:register": Route(open_to={DIS}, get=302, post=302),
    "companies:signup": Route(
        open_to=ALL, get={ANON: 200, SUP: 302, DIS: 302, SAL: 302}, post={ANON: 400, SUP: 302, DIS: 302, SAL: 302}
    ),
    "companies:member-add": Route(
        open_to={DIS}, get=405, post=400, data=lambda w: {"email": "nobody@example.cn", "role": "admin"}
    ),
    "companies:member-action": Route(
        open_to={DIS},
        kwargs=lambda w: {"pk": w.alpha_buyer_member.pk, "action": "deactivate"},
        get=405,
        post=404,
    ),
    # invitations and the shared address book: alpha's admin's; beta (the admin of its own
    # company of one) reaches only its own (a bad invitation is refused: 400, nothing sent), alpha's
    # are 404; a guessed invitation token is a 404 for everyone (the real one is the invited
    # person's key)
    "companies:invite": Route(
        open_to={DIS}, get=405, post=400, data=lambda w: {"email": "not-an-address", "role": "admin"}
    ),
    "companies:invitation-action": Route(
        open_to={DIS}, kwargs=lambda w: {"pk": w.alpha_invitation.pk, "action": "revoke"}, get=405, post=404
    ),
    "companies:invitation": Route(open_to=ALL, kwargs=lambda w: {"token": "guessed-token"}, get=404, post=404),
    "companies:addresses": Route(
        open_to={DIS}, get=200, post=400, data=lambda w: {"label": "x", "line": "x", "province": "广东省"}
    ),
    "companies:address-edit": Route(
        open_to={DIS},
        kwargs=lambda w: {"pk": w.alpha_shared_address.pk},
        get=404,
        post=404,
        data=lambda w: {"label": "改写", "line": "改写"},
    ),
    "companies:address-delete": Route(
        open_to={DIS}, kwargs=lambda w: {"pk": w.alpha_shared_address.pk}, get=405, post=404
    ),
    "companies:licence": Route(open_to=SIGNED, kwargs=lambda w: {"pk": w.alpha_company.pk}, get=404, post=405),
    # purchase approval (beta belongs to no company): alpha's request is 404, its link a 403 that
    # says why, its rules a 403; the list sends a person without a company to the company centre
    # beta is its own company's admin: its (empty) approval lists and rules; alpha's are 404
    "companies:approvals": Route(open_to={DIS}, get=200, post=405),
    "companies:approval-detail": Route(
        open_to={DIS},
        kwargs=lambda w: {"number": ALPHA_APPROVAL},
        get=404,
        post=404,
        data=lambda w: {"action": "approve", "comment": "ok"},
    ),
    "companies:approval-submitted": Route(
        open_to={DIS}, kwargs=lambda w: {"number": ALPHA_APPROVAL}, get=404, post=405
    ),
    "companies:approval-link": Route(
        open_to={DIS}, kwargs=lambda w: {"token": w.alpha_approval_link}, get=403, post=405
    ),
    "companies:approval-rules": Route(
        open_to={DIS},
        get=200,
        post=400,  # a bad rule for its own company: refused, nothing made
        data=lambda w: {"kind": "order_total", "threshold": "-1", "approver_role": "admin", "step": 1},
    ),
    "companies:approval-rule-edit": Route(
        open_to={DIS},
        kwargs=lambda w: {"pk": w.alpha_rule.pk},
        get=404,
        post=404,
        data=lambda w: {"action": "deactivate"},
    ),
    # product search's synonym groups: operators only (no group in the world: an operator's 404)
    "storefront-dashboard:synonym-list": Route(data=lambda w: {"words": "螺丝 螺钉"}),
    "storefront-dashboard:synonym-edit": Route(kwargs=lambda w: {"pk": 1}, data=lambda w: {"words": "螺丝 螺钉"}),
    "storefront-dashboard:synonym-delete": Route(kwargs=lambda w: {"pk": 1}),
    "companies-dashboard:company-list": OPS,
    "companies-dashboard:verification-queue": OPS,
    "companies-dashboard:company-detail": Route(
        kwargs=lambda w: {"pk": w.alpha_company.pk}, data=lambda w: {"action": "suspend", "reason": "x"}
    ),
    # customer import with review: operators only (a salesperson is staff but not an operator)
    "companies-dashboard:import-list": OPS,
    "companies-dashboard:import-upload": OPS,
    "companies-dashboard:import-template": OPS,
    "companies-dashboard:import-detail": Route(
        kwargs=lambda w: {"pk": w.import_batch.pk}, data=lambda w: {"action": "approve"}
    ),
    # Oscar's dashboard: operators only, whatever the object
    "dashboard:*": OSCAR_DASHBOARD_OBJECTS,
    "dashboard:login": Route(open_to=ALL),
    "dashboard:logout": Route(open_to=ALL, get=405),
    # routes another one serves first: /dashboard/ (dashboard-home), Oscar's product editor (the gate)
    "dashboard:index": Route(open_to={SUP, SAL}, get=302, post=302),
    "dashboard:catalogue-product": Route(open_to={SUP}, kwargs=lambda w: {"pk": w.bolt.pk}, get=302, post=302),
    "dashboard:catalogue-product-create": Route(
        open_to={SUP}, kwargs=lambda w: {"product_class_slug": "industrial"}, get=302, post=302
    ),
    "dashboard:order-detail": Route(
        kwargs=mixed,
        data=lambda w: {"order_action": "change_order_status", "new_status": "Cancelled"},
    ),
    "dashboard:order-detail-note": Route(
        kwargs=lambda w: {"number": w.mixed.number, "note_id": w.mixed_note.pk},
        data=lambda w: {"order_action": "save_note", "message": "改写", "note_id": w.note.pk},
    ),
    "dashboard:order-shipping-address": Route(
        kwargs=mixed,
        data=lambda w: {
            "last_name": "攻击者",
            "line1": "改写路1号",
            "line4": "深圳市",
            "line3": "南山区",
            "state": "广东省",
        },
    ),
    # core
    "dashboard-home": Route(open_to={SUP, SAL}, get=302, post=302),
    "dashboard-api-tokens": OPS,
    "dashboard-api-token-revoke": Route(kwargs=lambda w: {"pk": w.operator_token.pk}),
    "dashboard-lockouts": OPS,
    "dashboard-lockout-lift": Route(kwargs=lambda w: {"pk": "1"}),
    # supplier portal: df's staff get in, jg's rows are 404
    "s2b2b-portal-orders": Route(open_to={SUP}, get=200, post=405),
    "s2b2b-portal-order": Route(open_to={SUP}, kwargs=lambda w: {"number": w.so.number}, get=404, post=404),
    "s2b2b-packing-slip": Route(open_to={SUP}, kwargs=lambda w: {"number": w.so.number}, get=404, post=405),
    "s2b2b-confirm-receipt": Route(open_to={DIS}, kwargs=lambda w: {"number": w.so.number}, get=405, post=404),
    "s2b2b-portal-products": Route(open_to={SUP}, get=200, post=405),
    "s2b2b-portal-product-create": Route(open_to={SUP}, get=200, post=400),
    "s2b2b-portal-product": Route(
        open_to={SUP},
        kwargs=lambda w: {"pk": w.bolt.pk},
        get=404,
        post=404,
        data=lambda w: {"title": "x", "price": "1", "stock": "0"},
    ),
    # 企业资料: df's staff see their own (empty) page; jg's licence is a 404; the POST is refused
    "s2b2b-portal-legal": Route(open_to={SUP}, get=200, post=400, data=lambda w: {"legal_name": "x"}),
    "s2b2b-legal-licence": Route(open_to={SUP}, kwargs=lambda w: {"pk": w.legal.pk}, get=404, post=405),
    "s2b2b-portal-api-tokens": Route(open_to={SUP}, get=200, post=200),
    "s2b2b-portal-api-token-revoke": Route(open_to={SUP}, kwargs=lambda w: {"pk": w.jg_token.pk}, get=405, post=404),
    "s2b2b-oscar-product": Route(open_to={SUP}, kwargs=lambda w: {"pk": w.bolt.pk}, get=302, post=302),
    "s2b2b-oscar-product-create": Route(open_to={SUP}, get=302, post=302),
    "s2b2b-oscar-product-create-class": Route(
        open_to={SUP}, kwargs=lambda w: {"product_class_slug": "industrial"}, get=302, post=302
    ),
    # the operators' supplier-order pages
    "s2b2b-ops-orders": OPS,
    "s2b2b-ops-order": Route(
        kwargs=lambda w: {"number": w.so.number}, data=lambda w: {"action": "cancel", "reason": "x"}
    ),
    # the kernel's outbox pages
    "core-outbox": OPS,
    "core-outbox-detail": Route(kwargs=lambda w: {"pk": w.first_pk("core", "OutboxMessage")}),
    "core-outbox-redrive": Route(kwargs=lambda w: {"pk": w.first_pk("core", "OutboxMessage")}),
    "s2b2b-ops-escalations": OPS,
    "s2b2b-ops-escalation": Route(kwargs=lambda w: {"pk": w.escalation.pk}, data=lambda w: {"action": "dismiss"}),
    "s2b2b-ops-profiles": OPS,
    "s2b2b-ops-profile-create": OPS,
    "s2b2b-ops-profile": Route(
        kwargs=lambda w: {"pk": w.jg.supplier_profile.pk},
        data=lambda w: {"webhook_url": "https://evil.example.cn/hook", "commission_rate": "0.5"},
    ),
    "s2b2b-ops-scorecard": OPS,
    "s2b2b-ops-review": OPS,
    "s2b2b-ops-review-action": Route(kwargs=lambda w: {"pk": w.change.pk}, data=lambda w: {"action": "approve"}),
    "s2b2b-ops-legal": OPS,
    "s2b2b-ops-legal-review": Route(
        kwargs=lambda w: {"pk": w.legal_pending.pk}, data=lambda w: {"action": "reject", "reason": "x"}
    ),
    # contracts: the back office is the operators' (every route of the namespace; the storefront's
    # routes are below)
    "contracts-dashboard:*": Route(
        kwargs=lambda w: defaultdict(lambda: "1", number="HT-20000101-000001", company_pk=str(w.beta_company.pk))
    ),
    # finance: the ledger browser is the operators'
    "finance-dashboard:ledger": OPS,
    "finance-dashboard:ledger-account": Route(kwargs=lambda w: {"pk": "1"}),
    # finance, refunds: the back office is the operators'; the storefront is a company's 财务/admin
    # (beta's admin gets its own list; alpha's order and a guessed refund are 404)
    "finance-dashboard:refund-list": OPS,
    "finance-dashboard:refund-detail": Route(
        kwargs=lambda w: {"number": "TK-20000101-000001"}, data=lambda w: {"action": "approve"}
    ),
    "finance-dashboard:refund-request": Route(kwargs=lambda w: {"number": w.order.number}),
    "finance:refund-list": Route(open_to={DIS}, get=200, post=405),
    "finance:refund-detail": Route(open_to={DIS}, kwargs=lambda w: {"number": "TK-20000101-000001"}, get=404, post=405),
    "finance:refund-request": Route(
        open_to={DIS},
        kwargs=lambda w: {"number": w.order.number},
        get=404,
        post=404,
        data=lambda w: {"reason": "allowance", f"amount_{w.line.pk}": "1.00"},
    ),
    # finance statements: the back office is the operators'; the supplier portal shows df's staff
    # their own (none), jg's statement is a 404; the storefront shows beta (its company's admin)
    # its own, alpha's is a 404
    "finance-dashboard:statement-list": OPS,
    "finance-dashboard:statement-issue": Route(
        data=lambda w: {
            "action": "issue",
            "company": w.alpha_company.pk,
            "period_start": "2026-10-01",
            "period_end": "2026-10-31",
        }
    ),
    "finance-dashboard:statement-disputes": OPS,
    "finance-dashboard:statement-periods": Route(data=lambda w: {"action": "close", "month": "2026-10"}),
    "finance-dashboard:statement-detail": Route(
        kwargs=lambda w: {"number": ALPHA_STATEMENT}, data=lambda w: {"action": "resolve", "resolution": "x"}
    ),
    "finance-dashboard:statement-export": Route(kwargs=lambda w: {"number": ALPHA_STATEMENT, "fmt": "csv"}),
    "finance-dashboard:statement-portal-list": Route(open_to={SUP}, get=200, post=405),
    "finance-dashboard:statement-portal-detail": Route(
        open_to={SUP},
        kwargs=lambda w: {"number": JG_STATEMENT},
        get=404,
        post=404,
        data=lambda w: {"action": "confirm"},
    ),
    "finance-dashboard:statement-portal-export": Route(
        open_to={SUP}, kwargs=lambda w: {"number": JG_STATEMENT, "fmt": "pdf"}, get=404, post=405
    ),
    "finance:statement-list": Route(open_to={DIS}, get=200, post=405),
    "finance:statement-detail": Route(
        open_to={DIS},
        kwargs=lambda w: {"number": ALPHA_STATEMENT},
        get=404,
        post=404,
        data=lambda w: {"action": "dispute", "reason": "x"},
    ),
    "finance:statement-export": Route(
        open_to={DIS}, kwargs=lambda w: {"number": ALPHA_STATEMENT, "fmt": "xlsx"}, get=404, post=405
    ),
    # finance, settlement: the back office is the operators'; df's staff reach their own portal
    # list, jg's batch is a 404 to them
    "finance-dashboard:settlement-batches": OPS,
    "finance-dashboard:settlement-batch-new": Route(
        data=lambda w: {"supplier": w.jg.pk, "period_start": "2026-01-01", "period_end": "2026-11-01"}
    ),
    "finance-dashboard:settlement-rates": OPS,
    "finance-dashboard:settlement-supplier-rates": Route(
        kwargs=lambda w: {"pk": w.jg.pk}, data=lambda w: {"action": "rate", "rate": "0.5"}
    ),
    "finance-dashboard:settlement-income": OPS,
    "finance-dashboard:settlement-batch": Route(
        kwargs=lambda w: {"number": w.batch.number}, data=lambda w: {"action": "cancel"}
    ),
    "finance-dashboard:settlement-export": Route(kwargs=lambda w: {"number": w.batch.number}),
    "finance-dashboard:settlement-portal-batches": Route(open_to={SUP}, get=200, post=405),
    "finance-dashboard:settlement-portal-batch": Route(
        open_to={SUP},
        kwargs=lambda w: {"number": w.batch.number},
        get=404,
        post=404,
        data=lambda w: {"action": "confirm"},
    ),
    "finance-dashboard:settlement-portal-export": Route(
        open_to={SUP}, kwargs=lambda w: {"number": w.batch.number}, get=404, post=405
    ),
    # finance receipts: the back office is the operators'; a company's 财务/admin sees its own
    "finance-dashboard:receipt-list": OPS,
    "finance-dashboard:receipt-unclaimed": OPS,
    "finance-dashboard:receipt-create": OPS,
    "finance-dashboard:receipt-import": OPS,
    "finance-dashboard:receipt-import-preview": Route(kwargs=lambda w: {"pk": "1"}),
    "finance-dashboard:receipt-detail": Route(kwargs=lambda w: {"number": "SK-20261129-000001"}),
    "finance:receipt-list": Route(open_to={DIS}, get=200, post=405),
    "finance:receipt-claim": Route(
        open_to={DIS},
        get=200,
        post=400,
        data=lambda w: {
            "received_on": "2026-11-29",
            "amount": "1.00",
            "payer_account": "6222",
        },
    ),
    # finance, invoices: the back office is the operators'; in the storefront a company's 财务/admin
    # (beta's admin) gets its own page, can neither invoice alpha's order nor reach a guessed
    # invoice, and a bad tax number changes nothing
    "finance-dashboard:invoice-request-list": OPS,
    "finance-dashboard:invoice-request-detail": Route(kwargs=lambda w: {"number": "KP-20000101-000001"}),
    "finance-dashboard:invoice-pdf": Route(kwargs=lambda w: {"number": GUESSED_INVOICE}),
    "finance-dashboard:invoice-red": Route(kwargs=lambda w: {"number": GUESSED_INVOICE}),
    "finance-dashboard:invoice-tax-rates": OPS,
    "finance-dashboard:invoice-tax-category": Route(
        kwargs=lambda w: {"pk": w.category.pk}, data=lambda w: {"rate": "0.06", "code": "1" * 19, "short_name": "x"}
    ),
    "finance-dashboard:invoice-tax-product": Route(
        data=lambda w: {"sku": "JG-HB-M8-30", "rate": "0.06", "code": "1" * 19, "short_name": "x"}
    ),
    "finance:invoice-list": Route(
        open_to={DIS}, get=200, post=400, data=lambda w: {"orders": [w.order.pk], "kind": "normal"}
    ),
    "finance:invoice-details": Route(open_to={DIS}, get=200, post=400, data=lambda w: {"tax_number": "坏"}),
    "finance:invoice-pdf": Route(open_to={DIS}, kwargs=lambda w: {"number": GUESSED_INVOICE}, get=404, post=404),
    "finance:invoice-confirm": Route(open_to={DIS}, kwargs=lambda w: {"number": GUESSED_INVOICE}, get=405, post=404),
    "finance:invoice-red": Route(open_to={DIS}, kwargs=lambda w: {"number": GUESSED_INVOICE}, get=405, post=404),
    # logistics: supplier staff get in, jg's templates and shipments are 404
    "logistics-dashboard:template-list": Route(open_to={SUP}, get=200, post=405),
    "logistics-dashboard:template-create": Route(open_to={SUP}, get=200, post=400),
    "logistics-dashboard:template-edit": Route(
        open_to={SUP}, kwargs=lambda w: {"pk": w.template.pk}, get=404, post=404
    ),
    "logistics-dashboard:template-delete": Route(
        open_to={SUP}, kwargs=lambda w: {"pk": w.template.pk}, get=405, post=404
    ),
    "logistics-dashboard:template-products": Route(
        open_to={SUP}, kwargs=lambda w: {"pk": w.template.pk}, get=405, post=404, data=lambda w: {"sku": "JG-HN-M8"}
    ),
    "logistics-dashboard:template-preview": Route(open_to={SUP}, get=405, post=400),
    "logistics-dashboard:carrier-list": Route(open_to={SUP}, get=200, post=405),
    "logistics-dashboard:shipment-list": Route(open_to={SUP}, get=200, post=405),
    "logistics-dashboard:shipment-detail": Route(
        open_to={SUP},
        kwargs=lambda w: {"pk": w.shipment.pk},
        get=404,
        post=404,
        data=lambda w: {
            "parcel": w.shipment.parcels.get().pk,
            "occurred_at": "2026-11-20T10:00",
            "description": "已签收",
            "status": "delivered",
        },
    ),
    # bigdata regions: back office; a salesperson sees only the sales credited to them
    "bigdata-dashboard:regions": Route(open_to={SAL}, get=200, post=405),
    "bigdata-dashboard:region-cities": Route(open_to={SAL}, kwargs=lambda w: {"code": "440000"}, get=200, post=405),
    # member_tiers: the salesperson gets in, alpha (wang's customer) is a 404; the rest is the operators'
    "member_tiers:member-list": Route(open_to={SAL}, get=200, post=405),
    "member_tiers:member-detail": Route(open_to={SAL}, kwargs=lambda w: {"pk": w.alpha_membership.pk}, get=404),
    "member_tiers:member-action": Route(
        open_to={SAL},
        kwargs=lambda w: {"pk": w.alpha_membership.pk, "action": "tags"},
        get=405,
        post=404,
        data=lambda w: {"tags": "改写"},
    ),
    "member_tiers:price-explain": Route(open_to={SAL}, get=200, post=405),
    "member_tiers:tier-list": OPS,
    "member_tiers:tier-create": OPS,
    "member_tiers:tier-edit": Route(kwargs=lambda w: {"pk": w.alpha_membership.tier_id}),
    "member_tiers:rule-list": OPS,
    "member_tiers:rule-create": OPS,
    "member_tiers:rule-edit": Route(kwargs=lambda w: {"pk": 1}),
    "member_tiers:rule-delete": Route(kwargs=lambda w: {"pk": 1}),
    "member_tiers:rule-import": OPS,
    "member_tiers:rule-import-status": Route(kwargs=lambda w: {"pk": 1}),
    "member_tiers:pricing-policy": OPS,
    "member_tiers:reassign": Route(data=lambda w: {"from_salesperson": w.wang.pk, "to_salesperson": w.li.pk}),
    # analytics, sales performance: operators and salespeople (scoped to their own sales); targets
    # and the score's weights are set by operators
    "bigdata-dashboard:performance": Route(open_to={SAL}, get=200, post=405),
    "bigdata-dashboard:performance-targets": Route(open_to={SAL}, get=200, post=405),
    "bigdata-dashboard:performance-target-editor": OPS,
    "bigdata-dashboard:performance-weights": OPS,
    # contracts in the storefront: a company's own people reach its contracts; any other number
    # (another company's, or guessed) and revision is a 404 for everyone else; 签章授权 is the
    # asker's own company's (beta's admin gets its page, a guessed grant is a 404); verification
    # and the root certificate are public
    "contracts:list": Route(open_to=SIGNED, get=200, post=405),
    "contracts:detail": Route(open_to=SIGNED, kwargs=lambda w: {"number": GUESSED_CONTRACT}, get=404, post=405),
    "contracts:document": Route(
        open_to=SIGNED, kwargs=lambda w: {"number": GUESSED_CONTRACT, "revision": 1}, get=404, post=405
    ),
    "contracts:evidence-report": Route(
        open_to=SIGNED, kwargs=lambda w: {"number": GUESSED_CONTRACT}, get=404, post=405
    ),
    "contracts:reading": Route(
        open_to=SIGNED,
        kwargs=lambda w: {"number": GUESSED_CONTRACT},
        get=405,
        post=404,
        data=lambda w: {"seconds": 600, "reached_end": "1"},
    ),
    "contracts:request-code": Route(open_to=SIGNED, kwargs=lambda w: {"number": GUESSED_CONTRACT}, get=405, post=404),
    "contracts:sign": Route(
        open_to=SIGNED,
        kwargs=lambda w: {"number": GUESSED_CONTRACT},
        get=405,
        post=404,
        data=lambda w: {"code": "123456", "document_sha256": "0" * 64, "agree": "on"},
    ),
    "contracts:comment": Route(
        open_to=SIGNED, kwargs=lambda w: {"number": GUESSED_CONTRACT}, get=405, post=404, data=lambda w: {"body": "x"}
    ),
    "contracts:approve-seal": Route(
        open_to=SIGNED,
        kwargs=lambda w: {"number": GUESSED_CONTRACT},
        get=405,
        post=404,
        data=lambda w: {"action": "approve"},
    ),
    "contracts:signers": Route(
        open_to=SIGNED,
        get={SUP: 404, DIS: 200, SAL: 404},
        post=404,
        data=lambda w: {"action": "revoke", "grant": 1},
    ),
    # analytics, ABC: the live analyses are the back office's (a salesperson's on their own sales
    # only); stored runs, their comparison and the latest product classes are the operators'
    "bigdata-dashboard:abc": Route(open_to={SAL}, get=200, post=405),
    "bigdata-dashboard:abc-xyz": Route(open_to={SAL}, get=200, post=405),
    "bigdata-dashboard:abc-runs": OPS,
    "bigdata-dashboard:abc-run-create": Route(data=lambda w: {"start": "2026-01-01", "end": "2026-01-31"}),
    "bigdata-dashboard:abc-run": Route(kwargs=lambda w: {"pk": 1}),
    "bigdata-dashboard:abc-compare": OPS,
    "bigdata-dashboard:abc-classes": OPS,
    "contracts:verify": Route(open_to=ALL, get=200, post=400),
    "contracts:root-certificate": Route(open_to=ALL, post=405),
    # analytics: marketing return (a salesperson sees their own customers' orders), activity editor (operators)
    "bigdata-dashboard:marketing": Route(open_to={SAL}, get=200, post=405),
    "bigdata-dashboard:marketing-activity-create": OPS,
    "bigdata-dashboard:marketing-activity-edit": Route(kwargs=lambda w: {"pk": "1"}),
    # analytics, customers: operators and salespeople (a salesperson's numbers are their own customers')
    "bigdata-dashboard:customers-funnel": Route(open_to={SAL}, get=200, post=405),
    "bigdata-dashboard:customers-cycle": Route(open_to={SAL}, get=200, post=405),
    "bigdata-dashboard:customers-value": Route(open_to={SAL}, get=200, post=405),
    # after-sales: the storefront is the buyers' (beta gets its own list; alpha's part, request and
    # photo are 404, cancelling alpha's request finds nothing); the portal is the suppliers' (df's
    # staff get their own list, jg's request is a 404 and cannot be approved); a photo is anyone's
    # who may see its request
    "aftersales:list": Route(open_to={DIS}, get=200, post=405),
    "aftersales:create": Route(
        open_to={DIS},
        kwargs=lambda w: {"number": w.settled_so.number},
        get=404,
        post=404,
        data=lambda w: {"kind": "refund", "reason": "quality", f"quantity_{w.settled_so.lines.get().pk}": "1"},
    ),
    "aftersales:detail": Route(
        open_to={DIS},
        kwargs=lambda w: {"number": w.aftersales.number},
        get=404,
        post=404,
        data=lambda w: {"action": "cancel"},
    ),
    "aftersales:photo": Route(open_to=SIGNED, kwargs=lambda w: {"pk": w.aftersales_photo.pk}, get=404, post=405),
    "aftersales-dashboard:list": Route(open_to={SUP}, get=200, post=405),
    "aftersales-dashboard:detail": Route(
        open_to={SUP},
        kwargs=lambda w: {"number": w.aftersales.number},
        get=404,
        post=404,
        data=lambda w: {"action": "approve"},
    ),
}


def _first_pk(self, app_label: str, model_name: str) -> int:
    model = apps.get_model(app_label, model_name)
    return model.objects.order_by("pk").values_list("pk", flat=True).first() or 1


World.first_pk = _first_pk


# --- the site's URL patterns --------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    route: str  # the full pattern, for messages
    view_name: str | None  # "dashboard:order-detail"; None for an unnamed route
    namespaces: tuple[str, ...]
    kwarg_names: tuple[str, ...]
    parts: tuple  # the pattern objects from the root down

    @property
    def key(self) -> str:
        """The walk table's key: the view name, or "/<route>" for an unnamed route."""
        return self.view_name or "/" + self.route

    def entry(self) -> Route | None:
        """The route's entry, else its namespace's ("admin:*")."""
        if self.key in ROUTES:
            return ROUTES[self.key]
        namespaces = list(self.namespaces)
        while namespaces:
            if ":".join(namespaces) + ":*" in ROUTES:
                return ROUTES[":".join(namespaces) + ":*"]
            namespaces.pop()
        return None

    def url(self, values) -> str:
        kwargs = {name: values[name] for name in self.kwarg_names}
        if self.view_name:
            return reverse(self.view_name, kwargs=kwargs)
        path = "/"
        for part in self.parts:
            piece = str(part.pattern)
            if isinstance(part.pattern, RoutePattern):
                piece = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), piece)
            else:
                piece = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), piece).strip("^$")
            path += piece
        return path


def site_patterns() -> list[Pattern]:
    found = []

    def walk(resolvers, parts, namespaces):
        for p in resolvers:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, (*parts, p), (*namespaces, p.namespace) if p.namespace else namespaces)
            elif isinstance(p, URLPattern):
                chain = (*parts, p)
                names = []
                for part in chain:
                    if isinstance(part.pattern, RoutePattern):
                        names += list(part.pattern.converters)
                    elif isinstance(part.pattern, RegexPattern):
                        names += list(part.pattern.regex.groupindex)
                view_name = ":".join((*namespaces, p.name)) if p.name else None
                route = "".join(str(part.pattern) for part in chain)
                found.append(Pattern(route, view_name, namespaces, tuple(names), chain))

    walk(get_resolver().url_patterns, (), ())
    return found


# --- what must not change -----------------------------------------------------------------------

#: tables a request may write for the asker alone: sessions, baskets, analytics counters
UNWATCHED = {
    "sessions.session",
    "basket.basket",
    "basket.line",
    "basket.lineattribute",
    "analytics.productrecord",
    "analytics.userrecord",
    "analytics.usersearch",
    "analytics.userproductview",
    "thumbnail.kvstore",  # sorl's cache of generated images
}
#: rows of the asker's own, reached through another row: label → lookup of their owner
OWNED_THROUGH = {"wishlists.line": "wishlist__owner"}


def snapshot(actor=None) -> dict:
    """Every row of every table (but the asker's own rows, by their ``user``/``owner`` field)."""
    tables = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in UNWATCHED or model._meta.proxy:
            continue
        qs = model.objects.all()
        if actor is not None:
            for f in model._meta.fields:
                if isinstance(f, ForeignKey) and f.related_model is User and f.name in ("user", "owner"):
                    qs = qs.exclude(**{f.name: actor})
            if label in OWNED_THROUGH:
                qs = qs.exclude(**{OWNED_THROUGH[label]: actor})
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in ("last_login",)]
        tables[label] = sorted(map(repr, qs.values_list(*fields)))
    return tables


def changed(before: dict, after: dict) -> dict:
    return {label: (before[label], after.get(label)) for label in before if before[label] != after.get(label)}


# --- the walk -----------------------------------------------------------------------------------

PAGE = {200, 204, 301, 302, 400, 404, 405}
LOGOUTS = {"customer:logout", "dashboard:logout", "admin:logout"}


def leaks(world: World, walker: str, response, url: str, echoed=()) -> list[str]:
    """The secrets a response shows (the URL the walker asked for, echoed back, does not count)."""
    text = response.content.decode("utf-8", "ignore") + " " + response.get("Location", "")
    for asked in {url, unquote(url), quote(url, safe=""), quote(unquote(url), safe="")}:
        text = text.replace(asked, "")
    for value in echoed:
        text = text.replace(str(value), "")
    found = []
    for secret in world.secrets(walker):
        if secret.isdigit():
            if re.search(rf"(?<![0-9A-Za-z]){re.escape(secret)}(?![0-9A-Za-z])", text):
                found.append(secret)
        elif secret in text:
            found.append(secret)
    return found


def expected(value, walker) -> int | None:
    return value.get(walker) if isinstance(value, dict) else value


@pytest.mark.parametrize("walker", WALKERS)
def test_every_route_of_the_site_as_the_wrong_party(world, walker):
    client = walker_client(world, walker)
    actor = {SUP: world.df_staff, DIS: world.beta, SAL: world.li}.get(walker)
    login = resolve_url(settings.LOGIN_URL)
    before = snapshot(actor)
    failures = []
    patterns = site_patterns()
    for pattern in patterns:
        entry = pattern.entry()
        assert entry is not None, f"no walk entry for {pattern.key} ({pattern.route})"
        values = entry.kwargs(world)
        url = pattern.url(values)
        echoed = [values[name] for name in pattern.kwarg_names] if entry.echoes else []
        for method in ("get", "post"):
            response = getattr(client, method)(url, entry.data(world) if method == "post" else {})
            status = response.status_code
            if walker not in entry.open_to:
                if walker == ANON:
                    ok = status == 302 and response["Location"].startswith(f"{login}?next=")
                else:
                    ok = status == 403 and 'id="access-denied"' in response.content.decode()
            else:
                want = expected(entry.get if method == "get" else entry.post, walker)
                ok = status == want if want is not None else status in PAGE
            if not ok:
                failures.append(f"{method.upper()} {url} ({pattern.key}) → {status}")
            if found := leaks(world, walker, response, url, echoed):
                failures.append(f"{method.upper()} {url} ({pattern.key}) shows {found}")
            if pattern.view_name in LOGOUTS and actor is not None:
                client.force_login(actor)
    assert failures == [], "\n".join(failures)
    assert changed(before, snapshot(actor)) == {}
    assert len(patterns) > 500  # the storefront, Oscar's dashboard, Django's admin, core, the plugins


def test_the_walk_table_names_every_route_and_only_routes():
    patterns = site_patterns()
    missing = sorted({p.key for p in patterns if p.entry() is None})
    assert missing == []
    keys = {p.key for p in patterns} | {
        ":".join(p.namespaces[:i]) + ":*" for p in patterns for i in range(1, len(p.namespaces) + 1)
    }
    assert sorted(set(ROUTES) - keys) == []


def test_every_route_declares_who_may_open_it_and_the_walk_agrees(world):
    """Each route outside /dashboard/ has an access rule (its name, or its namespace; under
    /dashboard/ a route without one is the operators'), and the walk table expects exactly the
    walkers let in by the rule of the route that serves its URL."""
    disagreements = []
    for pattern in site_patterns():
        entry = pattern.entry()
        path = unquote(pattern.url(entry.kwargs(world)))
        declared = urlaccess.rule_for_name(pattern.view_name, pattern.namespaces)
        if declared is None and not path.startswith(urlaccess.DASHBOARD_PREFIX):
            disagreements.append(f"{pattern.key}: no access rule")
            continue
        rule = urlaccess.parties_for(resolve(path), path)
        if set(rule) & set(WALKERS) != set(entry.open_to):
            disagreements.append(f"{pattern.key}: rule {sorted(rule)}, walk {sorted(entry.open_to)}")
    assert disagreements == []


def test_every_declared_rule_names_a_route():
    patterns = site_patterns()
    names = {p.view_name for p in patterns} | {
        ":".join(p.namespaces[:i]) + ":*" for p in patterns for i in range(1, len(p.namespaces) + 1)
    }
    assert sorted(set(urlaccess.rules()) - names) == []


# --- the exploits measured in issue #8, as regression tests ------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_supplier_staff_cannot_mark_paid_cancel_or_readdress_another_partys_order(world):
    """gamma's order has a line of df's: Oscar's dashboard let df's staff open it, change its
    status (paid, cancelled), its lines, its notes and its shipping address."""
    from core.orders import status as order_status

    df = _client(world.df_staff)
    before = snapshot()
    address = ShippingAddress.objects.get(order=world.mixed)
    url = reverse("dashboard:order-detail", args=[world.mixed.number])
    page = df.get(url)
    assert page.status_code == 403 and MIXED_NOTE not in page.content.decode()
    for status in [*order_status.PIPELINE, "Paid", "Cancelled"]:
        response = df.post(url, {"order_action": "change_order_status", "new_status": status})
        assert response.status_code == 403
    line = world.mixed_jg_line
    for action in ("create_payment_event", "create_shipping_event", "change_line_statuses", "save_note"):
        response = df.post(
            url,
            {
                "order_action": action,
                "line_id": [line.pk],
                f"selected_line_qty_{line.pk}": 1,
                "event_type": "1",
                "amount": "999",
                "new_status": "Cancelled",
                "message": "x",
            },
        )
        assert response.status_code == 403
    response = df.post(
        reverse("dashboard:order-shipping-address", args=[world.mixed.number]),
        {"last_name": "攻击者", "line1": "改写路1号", "line4": "深圳市", "state": "广东省", "country": "CN"},
    )
    assert response.status_code == 403
    assert df.get(reverse("dashboard:order-line-detail", args=[world.mixed.number, line.pk])).status_code == 403
    assert df.get(reverse("dashboard:order-list") + "?response_format=csv").status_code == 403
    assert changed(before, snapshot()) == {}
    assert ShippingAddress.objects.get(order=world.mixed).line1 == address.line1


def test_supplier_staff_see_no_platform_figures(world):
    df = _client(world.df_staff)
    for name in ("dashboard:order-stats", "dashboard:reports-index", "dashboard:order-list", "dashboard:users-index"):
        response = df.get(reverse(name))
        assert response.status_code == 403, name
        assert world.order.number not in response.content.decode()
    # /dashboard/ takes a supplier to its portal, which shows only its own supplier's orders
    response = df.get(reverse("dashboard:index"))
    assert response.status_code == 302 and response["Location"] == reverse("s2b2b-portal-orders")
    page = df.get(reverse("s2b2b-portal-orders")).content.decode()
    assert f"{world.mixed.number}-S2" in page and f"{world.mixed.number}-S1" not in page
    assert world.so.number not in page


def test_a_salesperson_cannot_read_or_change_what_operators_keep(world):
    li = _client(world.li)
    before = snapshot()
    profile = world.jg.supplier_profile
    page = li.get(reverse("s2b2b-ops-profile", args=[profile.pk]))
    assert page.status_code == 403 and WEBHOOK_SECRET not in page.content.decode()
    assert WEBHOOK_SECRET not in li.get(reverse("s2b2b-ops-profiles")).content.decode()
    response = li.post(
        reverse("s2b2b-ops-profile", args=[profile.pk]),
        {
            "partner": world.jg.pk,
            "legal_name": "x",
            "channel": "webhook",
            "webhook_url": "https://evil.example.cn/hook",
            "webhook_secret": "stolen",
            "acceptance_hours": "24",
            "commission_rate": "0.5000",
        },
    )
    assert response.status_code == 403
    assert li.post(reverse("dashboard-api-token-revoke", args=[world.operator_token.pk])).status_code == 403
    assert li.post(reverse("logistics-dashboard:template-delete", args=[world.template.pk])).status_code == 403
    response = li.post(
        reverse("logistics-dashboard:shipment-detail", args=[world.shipment.pk]),
        {
            "parcel": world.shipment.parcels.get().pk,
            "occurred_at": "2026-11-20T10:00",
            "description": "已签收",
            "status": "delivered",
        },
    )
    assert response.status_code == 403
    for name in ("core-outbox", "s2b2b-ops-review", "s2b2b-ops-escalations", "dashboard-api-tokens"):
        assert li.get(reverse(name)).status_code == 403, name
    assert changed(before, snapshot()) == {}
    profile.refresh_from_db()
    assert (profile.webhook_url, profile.webhook_secret) == (f"https://{WEBHOOK_HOST}/hook", WEBHOOK_SECRET)


def test_a_salesperson_sees_only_their_own_customers_member_pages(world):
    li = _client(world.li)
    assert li.get(reverse("dashboard:index"))["Location"] == reverse("member_tiers:member-list")
    page = li.get(reverse("member_tiers:member-list")).content.decode()
    assert world.beta_company.legal_name in page and world.alpha_company.legal_name not in page
    assert li.get(reverse("member_tiers:member-detail", args=[world.alpha_membership.pk])).status_code == 404
    own = world.beta_company.membership
    detail = li.get(reverse("member_tiers:member-detail", args=[own.pk]))
    assert detail.status_code == 200
    # the member page lists the customer's orders, but links only to pages the salesperson may open
    body = detail.content.decode()
    assert world.own.number in body
    assert reverse("dashboard:order-detail", args=[world.own.number]) not in body
    # tags are the salesperson's to keep; credit and tiers are the operators'
    assert li.post(reverse("member_tiers:member-action", args=[own.pk, "tags"]), {"tags": "重点"}).status_code == 302
    response = li.post(
        reverse("member_tiers:member-action", args=[own.pk, "credit"]),
        {"limit": "999999", "payment_terms_days": "90", "reason": "x"},
    )
    assert response.status_code == 403
    from plugins.member_tiers.models import CreditAccount

    assert not CreditAccount.objects.filter(membership=own).exists()
    # follow-ups: none on alpha (wang's customer), and wang's cannot be marked done through li's own
    from plugins.member_tiers.models import FollowUp

    follow_up = {"kind": "visit", "happened_at": "2026-01-05T10:00", "note": "x"}
    alpha_action = reverse("member_tiers:member-action", args=[world.alpha_membership.pk, "follow-up"])
    assert li.post(alpha_action, follow_up).status_code == 404
    done = reverse("member_tiers:member-action", args=[own.pk, "follow-up-done"])
    assert li.post(done, {"follow_up": world.follow_up.pk}).status_code == 404
    assert FollowUp.objects.count() == 1 and FollowUp.objects.get().done_at is None
    assert FOLLOW_UP_SECRET not in li.get(reverse("member_tiers:member-list")).content.decode()


def test_the_graphql_operations_that_were_open_to_a_salesperson_change_nothing(world):
    """Issue #8 counted 6 GraphQL operations a salesperson could use as an operator; the ones
    resting on the plugins' selectors now see the salesperson as what he is."""
    li = _client(world.li)
    before = snapshot()

    def call(query, variables=None):
        response = li.post(
            "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
        )
        return response.content.decode()

    answers = [
        call("{ freightTemplates(first: 50) { items { id name } } }"),
        call("{ shipments(first: 50) { items { parcels { trackingNumber } } } }"),
        call(
            "mutation($id: ID!) { freightTemplateDelete(id: $id) { errors { field } } }",
            {"id": str(world.template.pk)},
        ),
        call(
            'mutation($n: String!) { trackingEventAdd(trackingNumber: $n, carrierCode: "sf", '
            'occurredAt: "2026-11-20T10:00:00+08:00", description: "已签收", status: "delivered") '
            "{ errors { field } } }",
            {"n": TRACKING},
        ),
        call("{ members(first: 50) { items { email } } }"),
    ]
    for answer in answers:
        for secret in (TEMPLATE_NAME, TRACKING, world.alpha.email):
            assert secret not in answer
    assert changed(before, snapshot()) == {}


# --- menus and the denial page -----------------------------------------------------------------


@pytest.mark.parametrize("who", ["df_staff", "li", "operator", "beta"])
def test_the_dashboard_menu_shows_only_pages_the_user_may_open(world, who):
    from oscar.apps.dashboard.menu import get_nodes

    user = getattr(world, who)
    client = _client(user)
    urls = []
    for node in get_nodes(user):
        urls += [child.url for child in node.children] or ([node.url] if node.url_name else [])
    for url in urls:
        assert client.get(url).status_code in (200, 302), (who, url)
    if who == "df_staff":
        assert set(urls) >= {reverse("s2b2b-portal-orders"), reverse("logistics-dashboard:template-list")}
        assert reverse("dashboard:order-list") not in urls
    if who == "li":
        assert reverse("member_tiers:member-list") in urls
        assert not {reverse("s2b2b-ops-profiles"), reverse("dashboard-api-tokens")} & set(urls)
    if who == "beta":
        assert urls == []


def test_the_one_denial_page_speaks_the_users_language(world):
    client = _client(world.li)
    url = reverse("s2b2b-ops-profiles")
    zh = client.get(url)
    assert zh.status_code == 403 and "您无权打开此页面" in zh.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get(url)
    assert en.status_code == 403 and "You may not open this page" in en.content.decode()
    # a view refusing by itself answers the same way
    assert 'id="access-denied"' in en.content.decode()
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_operator_alerts_go_to_operators_not_to_salespeople(world):
    """Escalations and rejections alert "the operators" (s2b2b_orders' notify): a salesperson is
    staff but not an operator, and a member of the operators group is one."""
    from django.contrib.auth.models import Group

    from core.access import OPERATORS_GROUP, operator_users

    ops = User.objects.create_user(username="ops", email="ops@example.cn", password="x", is_staff=True)
    ops.groups.add(Group.objects.get_or_create(name=OPERATORS_GROUP)[0])
    assert set(operator_users()) == {world.operator, ops}
