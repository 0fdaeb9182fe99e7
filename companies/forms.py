"""Forms of the company pages: they carry the fields; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from companies.models import CompanyStatus, Role, TaxpayerType
from core.regions import province_choices, region_attrs


class CompanyForm(forms.Form):
    legal_name = forms.CharField(label=_("legal name"), max_length=200)
    uscc = forms.CharField(
        label=_("unified social credit code"),
        max_length=40,
        help_text=_("18 characters, as printed on the business licence."),
    )
    legal_representative = forms.CharField(label=_("legal representative"), max_length=50)
    province = forms.ChoiceField(label=_("province"), choices=())
    city = forms.CharField(label=_("city"), max_length=50)
    address = forms.CharField(label=_("registered address"), max_length=200)
    industry = forms.CharField(label=_("industry"), max_length=100, required=False)
    registered_capital = forms.DecimalField(
        label=_("registered capital (10,000 yuan)"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    contact_phone = forms.CharField(label=_("mobile number"), max_length=20)
    invoice_title = forms.CharField(
        label=_("invoice title"), max_length=200, required=False, help_text=_("Leave empty to use the legal name.")
    )
    tax_number = forms.CharField(
        label=_("taxpayer identification number"),
        max_length=40,
        required=False,
        help_text=_("Leave empty to use the unified social credit code."),
    )
    invoice_address_phone = forms.CharField(label=_("address and telephone"), max_length=200, required=False)
    invoice_bank_account = forms.CharField(label=_("bank and account number"), max_length=200, required=False)
    taxpayer_type = forms.ChoiceField(label=_("taxpayer type"), choices=TaxpayerType.choices)
    expected_annual_purchase = forms.DecimalField(
        label=_("expected annual purchase (yuan)"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    licence = forms.FileField(label=_("business licence"), help_text=_("An image or a PDF, at most 5 MB."))

    def __init__(self, *args, licence_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", "---------"), *province_choices()]
        self.fields["licence"].required = licence_required
        for name in ("province", "city"):  # cascading lists (core/regions/picker.js)
            self.fields[name].widget.attrs.update(region_attrs(name))


class RegistrationForm(CompanyForm):
    consent = forms.BooleanField(
        label=_("I have read and agree to the user agreement and the privacy policy."), required=False
    )


class AddMemberForm(forms.Form):
    email = forms.CharField(label=_("e-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RequiredReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class CompanyFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=(), required=False)
    province = forms.ChoiceField(label=_("province"), choices=(), required=False)
    q = forms.CharField(label=_("name, code or customer code"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("all")), *CompanyStatus.choices]
        self.fields["province"].choices = [("", _("all")), *province_choices()]


class CustomerCodeForm(forms.Form):
    customer_code = forms.CharField(label=_("customer code"), max_length=32, required=False)


class InviteForm(forms.Form):
    email = forms.CharField(label=_("e-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("role"), choices=Role.choices, initial=Role.BUYER)


class InvitationSignUpForm(forms.Form):
    """What an invited visitor gives beside their account: a mobile number and their consent."""

    mobile = forms.CharField(label=_("mobile number"), max_length=20, required=False)
    consent = forms.BooleanField(
        label=_("I have read and agree to the user agreement and the privacy policy."), required=False
    )


class AddressForm(forms.Form):
    label = forms.CharField(label=_("label"), max_length=50, required=False, help_text=_("e.g. Head office warehouse"))
    consignee = forms.CharField(label=_("consignee"), max_length=50, required=False)
    mobile = forms.CharField(label=_("mobile number"), max_length=20, required=False)
    province = forms.ChoiceField(
        label=_("province"),
        choices=(),
        required=False,
        error_messages={"invalid_choice": _("Choose a province from the list.")},
    )
    city = forms.CharField(label=_("city"), max_length=50, required=False)
    district = forms.CharField(label=_("district / county"), max_length=50, required=False)
    line = forms.CharField(label=_("street address"), max_length=200, required=False)
    postcode = forms.CharField(label=_("postcode"), max_length=20, required=False)
    is_default = forms.BooleanField(label=_("default address of the company"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", "---------"), *province_choices()]
        for name in ("province", "city", "district"):  # cascading lists (core/regions/picker.js)
            self.fields[name].widget.attrs.update(region_attrs(name))


class ApprovalRuleForm(forms.Form):
    """A purchase approval rule; the service checks the fields against each other."""

    kind = forms.ChoiceField(label=_("kind"), choices=())
    threshold = forms.DecimalField(
        label=_("threshold"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("Yuan for an order total, freight or budget; a whole number for SKUs; empty for a role."),
    )
    buyer_role = forms.ChoiceField(label=_("buyer's role"), choices=(), required=False)
    buyer = forms.ModelChoiceField(
        label=_("buyer"),
        queryset=None,
        required=False,
        help_text=_("A monthly budget for one buyer; empty: for every buyer."),
    )
    approver_role = forms.ChoiceField(label=_("approving role"), choices=())
    step = forms.IntegerField(label=_("step"), initial=1)
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)

    def __init__(self, *args, company=None, **kwargs):
        from django.contrib.auth import get_user_model

        from companies.approvals.models import APPROVER_ROLES, ORDERING_ROLES, RuleKind

        super().__init__(*args, **kwargs)
        roles = dict(Role.choices)
        self.fields["kind"].choices = RuleKind.choices
        self.fields["buyer_role"].choices = [("", "---------"), *[(r, roles[r]) for r in ORDERING_ROLES]]
        self.fields["approver_role"].choices = [(r, roles[r]) for r in APPROVER_ROLES]
        users = get_user_model().objects.filter(company_members__company=company, company_members__is_active=True)
        self.fields["buyer"].queryset = users.order_by("email")
        self.fields["buyer"].label_from_instance = lambda u: u.get_full_name() or u.email


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
