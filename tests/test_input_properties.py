"""Property: hostile input on every form, import and push outside GraphQL and member_tiers' rules
never raises (a server error for the user), only field errors or accepted data, and saves nothing
when it is refused.

Values: any unicode text (with NUL), digits of other scripts (², ①, ５, ٣, 𝟓), NaN, Infinity, 1e11,
31-digit numbers, 100,000-character strings, dates that are not dates, lists where text is
expected; files of random bytes or tables of such cells. The profile keeps the examples few so
that the whole module stays well under a minute (HOSTILE below).
"""

import json
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories

pytestmark = pytest.mark.django_db

#: few examples each: these tests look for crashes, and there are ~60 surfaces
HOSTILE = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

ODD = [
    "", " ", "\x00", "a\x00b", "²", "①", "５", "٣", "𝟓", "１２", "NaN", "nan", "-NaN", "sNaN", "Infinity", "-inf",
    "1e11", "1E400", "-1e-400", "0x10", "-0", "-1", "0", "9" * 31, "9" * 400, "9" * 5000, "12.345", "0.001", "1,000.00",
    "¥100", "2026-13-45", "2026-02-30", "9999-12-31", "0001-01-01", "1/0", "[]", "{}", "null", "true",
    "<script>alert(1)</script>", "' OR 1=1 --", "=cmd|' /C calc'!A0", "\ud7ff", "\u202e", "🙂" * 50,
]  # fmt: skip
hostile_text = st.one_of(
    st.sampled_from(ODD),
    st.text(max_size=30),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
    st.sampled_from(["x" * 100_000, "9" * 100_000, "中" * 20_000]),
)


def form_data(form: forms.Form) -> st.SearchStrategy[dict]:
    """A hostile value for each field (a list of them for fields that take several)."""
    fields = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            fields[name] = st.lists(hostile_text, max_size=3)
        else:
            fields[name] = hostile_text
    return st.fixed_dictionaries(fields)


def form_files(form: forms.Form) -> st.SearchStrategy[dict]:
    names = [name for name, field in form.fields.items() if isinstance(field, forms.FileField)]
    upload = st.builds(
        lambda content, ext: SimpleUploadedFile(f"f.{ext}", content),
        st.binary(max_size=512),
        st.sampled_from(["csv", "xlsx", "png", "pdf", "jpg", "txt"]),
    )
    return st.fixed_dictionaries({name: upload for name in names})


def check_form(make, data: dict, files: dict) -> None:
    form = make(data, files)
    if form.is_valid():
        return
    assert form.errors, "an invalid form names its errors"
    for field, errors in form.errors.items():
        assert field == "__all__" or field in form.fields, field
        assert all(isinstance(str(message), str) and str(message) for message in errors)


@pytest.fixture
def world(catalogue):
    """The people and objects the forms are made for."""
    buyer = factories.distributor("propbuyer")
    order = factories.place_order(buyer, [(catalogue["bolt"], 2)])
    return {"buyer": buyer, "order": order, "catalogue": catalogue, "partner": catalogue["suppliers"]["jg"]}


def _forms(world) -> dict[str, object]:
    """Each public form, with how to make it (its constructor's own arguments included)."""
    from oscar.core.loading import get_model

    import companies.forms as companies
    import plugins.contracts.dashboard.forms as contracts_dashboard
    import plugins.contracts.dashboard.template_forms as contract_templates
    import plugins.contracts.forms as contracts
    import plugins.finance.invoices.forms as invoices
    import plugins.finance.receipts.forms as receipts
    import plugins.finance.refunds.forms as refunds
    import plugins.finance.settlement.forms as settlement
    import plugins.finance.statements.forms as statements
    import plugins.logistics.dashboard.forms as logistics
    import plugins.s2b2b_orders.dashboard.forms as supplier_orders
    import shop.address.forms as address
    import shop.checkout.forms as checkout
    import shop.dashboard.orders.forms as dashboard_orders
    import storefront.forms as storefront

    order, buyer = world["order"], world["buyer"]
    plain = [
        companies.CompanyForm, companies.RegistrationForm, companies.AddMemberForm, companies.RoleForm,
        companies.ReasonForm, companies.RequiredReasonForm, companies.CompanyFilterForm, companies.CustomerCodeForm,
        companies.InviteForm, companies.InvitationSignUpForm, companies.AddressForm, companies.ApprovalRuleForm,
        companies.DecisionForm, companies.ImportUploadForm,
        storefront.QuickOrderForm, storefront.ApiTokenForm,
        logistics.TemplateForm, logistics.RegionRuleForm, logistics.FreeRuleForm, logistics.PreviewForm,
        logistics.VoucherForm,
        supplier_orders.RejectForm, supplier_orders.ShipForm, supplier_orders.ReasonForm, supplier_orders.NoteForm,
        contracts.ListFilterForm, contracts.CodeForm, contracts.SignForm, contracts.CommentForm, contracts.SealForm,
        contracts.VerifyForm, contract_templates.VersionForm,
        contracts_dashboard.ContractFilterForm, contracts_dashboard.ReasonForm, contracts_dashboard.CommentForm,
        contracts_dashboard.CountersignBatchForm, contracts_dashboard.FrameworkForm, contracts_dashboard.PolicyForm,
        contracts_dashboard.CompanySearchForm,
        invoices.InvoicingDetailsForm, invoices.RejectForm, invoices.RedForm, invoices.TaxClassForm,
        invoices.RequestFilterForm,
        settlement.BatchFilterForm, settlement.PortalFilterForm, settlement.NewBatchForm, settlement.PayForm,
        settlement.CancelForm, settlement.DisputeForm, settlement.RateForm, settlement.CategoryRateForm,
        settlement.IncomeFilterForm,
        refunds.RejectForm, refunds.ExecuteForm, refunds.QueueFilterForm,
        receipts.ReceiptFilterForm, receipts.RecordReceiptForm, receipts.AssignForm, receipts.AllocateForm,
        receipts.VoidForm, receipts.StatementUploadForm, receipts.ClaimForm,
        statements.IssueForm, statements.PeriodForm, statements.DisputeForm, statements.ResolveForm,
        statements.CloseForm, statements.StatementFilter, statements.LedgerFilterForm,
        checkout.ShippingAddressForm, checkout.PaymentMethodForm,
    ]  # fmt: skip
    made = {cls.__module__.split(".", 1)[-1] + "." + cls.__name__: cls for cls in plain}
    Order = get_model("order", "Order")
    made |= {
        "logistics.TrackingEventForm": lambda **kw: logistics.TrackingEventForm(parcels=(), **kw),
        "contracts.GrantForm": lambda **kw: contracts.GrantForm(members=(), **kw),
        "contract_templates.CompareForm": lambda **kw: contract_templates.CompareForm(versions=(), **kw),
        "invoices.RequestForm": lambda **kw: invoices.RequestForm(orders_queryset=Order.objects.all(), **kw),
        "refunds.RefundRequestForm": lambda **kw: refunds.RefundRequestForm(order=order, **kw),
        "address.UserAddressForm": lambda **kw: address.UserAddressForm(buyer, **kw),
        "dashboard_orders.ConfirmPaymentForm": lambda **kw: dashboard_orders.ConfirmPaymentForm(order, **kw),
    }
    return made


FORM_NAMES = [
    # listed here (not built at import) so each form is its own test; _forms builds them with a database
    "forms.CompanyForm", "forms.RegistrationForm", "forms.AddMemberForm", "forms.RoleForm", "forms.ReasonForm",
    "forms.RequiredReasonForm", "forms.CompanyFilterForm", "forms.CustomerCodeForm", "forms.InviteForm",
    "forms.InvitationSignUpForm", "forms.AddressForm", "forms.ApprovalRuleForm", "forms.DecisionForm",
    "forms.ImportUploadForm", "forms.QuickOrderForm", "forms.ApiTokenForm",
    "logistics.dashboard.forms.TemplateForm", "logistics.dashboard.forms.RegionRuleForm",
    "logistics.dashboard.forms.FreeRuleForm", "logistics.dashboard.forms.PreviewForm",
    "logistics.dashboard.forms.VoucherForm", "logistics.TrackingEventForm",
    "s2b2b_orders.dashboard.forms.RejectForm", "s2b2b_orders.dashboard.forms.ShipForm",
    "s2b2b_orders.dashboard.forms.ReasonForm", "s2b2b_orders.dashboard.forms.NoteForm",
    "contracts.forms.ListFilterForm", "contracts.forms.CodeForm", "contracts.forms.SignForm",
    "contracts.forms.CommentForm", "contracts.forms.SealForm", "contracts.forms.VerifyForm", "contracts.GrantForm",
    "contracts.dashboard.template_forms.VersionForm", "contract_templates.CompareForm",
    "contracts.dashboard.forms.ContractFilterForm", "contracts.dashboard.forms.ReasonForm",
    "contracts.dashboard.forms.CommentForm", "contracts.dashboard.forms.CountersignBatchForm",
    "contracts.dashboard.forms.FrameworkForm", "contracts.dashboard.forms.PolicyForm",
    "contracts.dashboard.forms.CompanySearchForm",
    "finance.invoices.forms.InvoicingDetailsForm", "finance.invoices.forms.RejectForm",
    "finance.invoices.forms.RedForm", "finance.invoices.forms.TaxClassForm", "finance.invoices.forms.RequestFilterForm",
    "invoices.RequestForm",
    "finance.settlement.forms.BatchFilterForm", "finance.settlement.forms.PortalFilterForm",
    "finance.settlement.forms.NewBatchForm", "finance.settlement.forms.PayForm", "finance.settlement.forms.CancelForm",
    "finance.settlement.forms.DisputeForm", "finance.settlement.forms.RateForm",
    "finance.settlement.forms.CategoryRateForm", "finance.settlement.forms.IncomeFilterForm",
    "finance.refunds.forms.RejectForm", "finance.refunds.forms.ExecuteForm", "finance.refunds.forms.QueueFilterForm",
    "refunds.RefundRequestForm",
    "finance.receipts.forms.ReceiptFilterForm", "finance.receipts.forms.RecordReceiptForm",
    "finance.receipts.forms.AssignForm", "finance.receipts.forms.AllocateForm", "finance.receipts.forms.VoidForm",
    "finance.receipts.forms.StatementUploadForm", "finance.receipts.forms.ClaimForm",
    "finance.statements.forms.IssueForm", "finance.statements.forms.PeriodForm",
    "finance.statements.forms.DisputeForm", "finance.statements.forms.ResolveForm",
    "finance.statements.forms.CloseForm", "finance.statements.forms.StatementFilter",
    "finance.statements.forms.LedgerFilterForm",
    "checkout.forms.ShippingAddressForm", "checkout.forms.PaymentMethodForm",
    "address.UserAddressForm", "dashboard_orders.ConfirmPaymentForm",
]  # fmt: skip


def test_every_public_form_is_in_the_list(world):
    assert sorted(_forms(world)) == sorted(FORM_NAMES)


def _check_one_form(make) -> None:
    sample = make()

    @HOSTILE
    @given(data=form_data(sample), files=form_files(sample))
    def check(data, files):
        check_form(lambda d, f: make(data=d, files=f), data, files)

    check()


def test_every_form_answers_hostile_input_with_field_errors(world):
    # one test for all the forms: building the world once keeps the module fast
    for name, make in _forms(world).items():
        try:
            _check_one_form(make)
        except Exception as exc:
            raise AssertionError(f"{name}: {exc!r}") from exc


# --- imports: tables of hostile cells, and files that are not tables ------------------------------


def table(columns: tuple[str, ...]) -> st.SearchStrategy[tuple[str, bytes]]:
    from core.tabular import csv_bytes, xlsx_bytes

    cells = st.one_of(hostile_text.filter(lambda t: len(t) < 5000), st.integers(), st.floats())
    rows = st.lists(st.lists(cells, min_size=len(columns), max_size=len(columns)), min_size=1, max_size=4)

    def as_xlsx(rows):
        try:
            return ("t.xlsx", xlsx_bytes(columns, rows))
        except Exception:  # openpyxl refuses control characters: such a file cannot exist
            return ("t.xlsx", b"PK\x03\x04broken")

    return st.one_of(
        rows.map(lambda r: ("t.csv", csv_bytes(columns, [[str(c) for c in row] for row in r]))),
        rows.map(as_xlsx),
        st.tuples(st.sampled_from(["t.csv", "t.xlsx", "t.txt"]), st.binary(max_size=300)),
    )


def test_the_bank_statement_import_refuses_or_reads_hostile_files(db):
    from plugins.finance.models import BankStatement
    from plugins.finance.services import receipts
    from tests.finance.fixtures_receipts import clerk

    finance = clerk("propclerk")

    @HOSTILE
    @given(upload=table(receipts.COLUMNS))
    def check(upload):
        before = BankStatement.objects.count()
        try:
            statement, rows = receipts.preview_statement(SimpleUploadedFile(*upload), finance)
        except ValidationError as exc:
            assert exc.message_dict
            assert BankStatement.objects.count() == before
            return
        for row in rows:  # each row is either to be recorded or names its errors
            assert row.errors or (isinstance(row.amount, Decimal) and row.amount.is_finite())

    check()


def test_the_customer_import_refuses_or_checks_hostile_files(db):
    from companies.models import ImportBatch
    from companies.services import imports

    operator = factories.operator("propoperator")

    @HOSTILE
    @given(upload=table(imports.COLUMNS))
    def check(upload):
        before = ImportBatch.objects.count()
        try:
            submitted = imports.submit(user=operator, upload=SimpleUploadedFile(*upload))
        except ValidationError as exc:
            assert exc.message_dict
            assert ImportBatch.objects.count() == before
            return
        if not submitted.report.ok:
            assert ImportBatch.objects.count() == before

    check()


# --- pages: the storefront's quick order, address and checkout forms, as the buyer posts them ------


@pytest.mark.parametrize(
    "url, fields",
    [
        ("storefront:quick-order", ["lines"]),
        ("customer:address-create", ["first_name", "last_name", "line1", "line4", "state", "postcode",
                                     "phone_number", "country"]),
    ],
)  # fmt: skip
def test_storefront_forms_never_answer_a_server_error(client, world, url, fields):
    from oscar.core.loading import get_model

    UserAddress = get_model("address", "UserAddress")
    client.force_login(world["buyer"])
    client.raise_request_exception = True

    @HOSTILE
    @given(data=st.fixed_dictionaries({field: hostile_text for field in fields}))
    def check(data):
        before = UserAddress.objects.count()
        response = client.post(reverse(url), data)
        assert response.status_code < 500
        if response.status_code == 200:  # the form again, with its errors: nothing saved
            assert UserAddress.objects.count() == before

    check()


# --- the Kuaidi100 push, validly signed --------------------------------------------------------------

json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), hostile_text),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
event = st.fixed_dictionaries(
    {},
    optional={
        "time": st.one_of(hostile_text, json_value, st.just("2026-05-01 10:00:00")),
        "ftime": st.one_of(hostile_text, json_value, st.just("2026-05-01 10:00:00")),
        "context": st.one_of(hostile_text, json_value),
        "status": st.one_of(hostile_text, json_value),
        "areaName": st.one_of(hostile_text, json_value),
    },
)
push_body = st.one_of(
    json_value,
    st.fixed_dictionaries(
        {
            "status": st.one_of(st.just("polling"), json_value),
            "lastResult": st.one_of(
                json_value,
                st.fixed_dictionaries(
                    {
                        "com": st.one_of(st.just("yuantong"), json_value),
                        "nu": st.one_of(st.just("YT6789012345678"), json_value),
                        "state": json_value,
                        "data": st.one_of(json_value, st.lists(st.one_of(event, json_value), max_size=3)),
                    }
                ),
            ),
        }
    ),
)


def test_a_signed_kuaidi100_push_with_any_body_is_a_clear_400_or_accepted(client, world, settings):
    from plugins.logistics.adapters.kuaidi100 import sign
    from plugins.logistics.models import TrackingEvent
    from plugins.logistics.services.shipments import record_shipment

    settings.KUAIDI100_SALT = salt = "prop-salt"
    record_shipment(
        order=world["order"],
        partner=world["partner"],
        reference=f"{world['order'].number}-S1",
        carrier_code="yto",
        tracking_numbers=["YT6789012345678"],
    )
    client.raise_request_exception = True

    @HOSTILE
    @given(body=push_body, raw=st.one_of(st.none(), hostile_text))
    def check(body, raw):
        param = raw if raw is not None else json.dumps(body, ensure_ascii=False)
        before = TrackingEvent.objects.count()
        response = client.post(reverse("logistics:kuaidi100-push"), {"param": param, "sign": sign(param, salt)})
        assert response.status_code in (200, 400), response.status_code
        answer = response.json()
        assert answer["result"] is (response.status_code == 200) and answer["message"]
        if response.status_code == 400:
            assert TrackingEvent.objects.count() == before

    check()


# --- the freight template editor: its form only carries text, the service checks the numbers ------

VALID_TEMPLATE = {
    "name": "普通快递", "mode": "piece", "first_unit": "1", "first_price": "8.00", "additional_unit": "1",
    "additional_price": "2.00", "excluded_provinces": [],
    "region-TOTAL_FORMS": "1", "region-INITIAL_FORMS": "0", "region-0-provinces": ["新疆维吾尔自治区"],
    "region-0-first_unit": "1", "region-0-first_price": "20", "region-0-additional_unit": "1",
    "region-0-additional_price": "10",
    "free-TOTAL_FORMS": "1", "free-INITIAL_FORMS": "0", "free-0-min_amount": "99", "free-0-min_quantity": "",
    "preview-count": "3", "preview-province": "广东省", "preview-0-quantity": "2", "preview-0-measure": "0.5",
    "preview-0-price": "10",
}  # fmt: skip


@st.composite
def template_post(draw) -> dict:
    """A valid editor post with some of its fields replaced by hostile values (so that the hostile
    value reaches the service behind the form)."""
    data = dict(VALID_TEMPLATE)
    for key in draw(st.lists(st.sampled_from(sorted(VALID_TEMPLATE)), min_size=1, max_size=4, unique=True)):
        data[key] = draw(st.lists(hostile_text, max_size=2) if isinstance(data[key], list) else hostile_text)
    return data


def test_the_freight_template_editor_and_preview_never_answer_a_server_error(client, db):
    from plugins.logistics.models import FreightTemplate

    client.force_login(factories.operator("propfreight"))
    client.raise_request_exception = True

    @HOSTILE
    @given(data=template_post())
    def check(data):
        before = FreightTemplate.objects.count()
        preview = client.post(reverse("logistics-dashboard:template-preview"), data)
        assert preview.status_code in (200, 400) and "ok" in preview.json()
        response = client.post(reverse("logistics-dashboard:template-create"), data)
        assert response.status_code in (302, 400), response.status_code
        if response.status_code == 400:
            assert FreightTemplate.objects.count() == before

    check()


def test_a_preview_count_that_is_not_a_small_number_is_not_a_server_error(client, db):
    client.force_login(factories.operator("propcount"))
    client.raise_request_exception = True
    for count in ("abc", "9" * 31, "9" * 5000, "-1", "²"):
        response = client.post(
            reverse("logistics-dashboard:template-preview"), {**VALID_TEMPLATE, "preview-count": count}
        )
        assert response.status_code == 200 and response.json()["ok"] is True, count


def test_a_quick_order_quantity_of_thousands_of_digits_is_out_of_range(client, world):
    client.force_login(world["buyer"])
    client.raise_request_exception = True
    response = client.post(reverse("storefront:quick-order"), {"lines": "JG-HB-M8-30 " + "9" * 5000})
    assert response.status_code == 200
    assert "The quantity must be between 1 and" in response.content.decode() or "数量" in response.content.decode()


def test_a_freight_price_of_1e400_is_too_large_not_a_server_error(client, db):
    from plugins.logistics.models import FreightTemplate

    client.force_login(factories.operator("prop1e400"))
    client.raise_request_exception = True
    for field in ("additional_price", "region-0-first_unit"):
        response = client.post(
            reverse("logistics-dashboard:template-create"),
            {**VALID_TEMPLATE, field: "1E400"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 400
        assert "This number is too large." in response.content.decode() or "数值过大" in response.content.decode()
    assert FreightTemplate.objects.count() == 0
