from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from companies.models import CompanyStatus
from companies.selectors import find_company
from core.regions import province_choices
from plugins.member_tiers.models import FollowUp, Membership, PriceRule, Tag, Tier
from plugins.member_tiers.services.rules import check_rule

User = get_user_model()
Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")


def staff_users():
    return User.objects.filter(is_staff=True, is_active=True).order_by("email")


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("E-mail or company"), required=False)
    tier = forms.ModelChoiceField(Tier.objects.all(), label=_("tier"), required=False)
    tag = forms.ModelChoiceField(Tag.objects.all(), label=_("tag"), required=False)
    grade = forms.ChoiceField(label=_("value grade"), choices=[("", "---------")] + Membership.GRADES, required=False)
    salesperson = StaffChoiceField(staff_users(), label=_("salesperson"), required=False)
    province = forms.ChoiceField(label=_("province"), required=False)
    status = forms.ChoiceField(
        label=_("company status"), choices=[("", "---------")] + CompanyStatus.choices, required=False
    )
    # bounded like the columns they filter (a bigger number would reach the database and fail there)
    min_spend = forms.DecimalField(
        label=_("total spend at least"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    min_orders = forms.IntegerField(label=_("orders at least"), required=False, min_value=0, max_value=2**31 - 1)
    inactive_days = forms.IntegerField(label=_("no order for (days)"), required=False, min_value=1, max_value=36500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["salesperson"].queryset = staff_users()
        self.fields["province"].choices = [("", "---------")] + province_choices()


class TierForm(forms.ModelForm):
    class Meta:
        model = Tier
        fields = [
            "code",
            "name",
            "rank",
            "default_discount_percent",
            "upgrade_threshold",
            "window_days",
            "points_per_yuan",
        ]

    def clean_default_discount_percent(self):
        value = self.cleaned_data["default_discount_percent"]
        if value is not None and not (0 <= value <= 100):
            raise ValidationError(_("A percentage must be between 0 and 100."))
        return value

    def clean_upgrade_threshold(self):
        value = self.cleaned_data["upgrade_threshold"]
        if value is not None and value < 0:
            raise ValidationError(_("The threshold cannot be negative."))
        return value

    def clean_points_per_yuan(self):
        value = self.cleaned_data["points_per_yuan"]
        if value is not None and value < 0:
            raise ValidationError(_("The points rate cannot be negative."))
        return value


COMPANY_HELP = _("USCC, customer code or the e-mail of one of its people")


class PriceRuleForm(forms.ModelForm):
    company_key = forms.CharField(label=_("company"), required=False, help_text=COMPANY_HELP)
    sku = forms.CharField(label=_("SKU"), required=False)

    class Meta:
        model = PriceRule
        fields = [
            "tier",
            "category",
            "kind",
            "value",
            "min_quantity",
            "valid_from",
            "valid_until",
            "floor_margin_percent",
            "floor_override_reason",
            "note",
        ]
        help_texts = {
            "floor_margin_percent": _("Empty: the platform's default floor applies."),
            "floor_override_reason": _(
                "Only to price below the floor (cost plus margin): why. Who gives it and when is recorded."
            ),
        }
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
        }

    field_order = ["tier", "company_key", "sku", "category"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            company = self.instance.company if self.instance.company_id else None
            self.fields["company_key"].initial = (company.uscc or company.customer_code) if company else ""
            self.fields["sku"].initial = self.instance.product.upc if self.instance.product_id else ""

    def clean(self):
        data = super().clean()
        key = (data.get("company_key") or "").strip()
        sku = (data.get("sku") or "").strip()
        rule = self.instance
        rule.company = None
        rule.product = None
        if key:
            rule.company = find_company(key)
            if rule.company is None:
                self.add_error("company_key", _("No such company."))
        if sku:
            rule.product = Product.objects.filter(upc__iexact=sku).first()
            if rule.product is None:
                self.add_error("sku", _("Unknown SKU “%(sku)s”.") % {"sku": sku})
        if self.errors:
            return data
        for name in self.Meta.fields:
            if name in data:
                setattr(rule, name, data[name])
        try:
            check_rule(rule)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                target = field if field in self.fields else None
                if field == "tier" and not key:
                    target = "tier"
                for message in messages:
                    self.add_error(target, message)
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))


class PricingPolicyForm(forms.Form):
    default_floor_margin_percent = forms.DecimalField(
        label=_("default floor: margin over cost (%)"),
        min_value=0,
        max_value=1000,
        max_digits=6,
        decimal_places=2,
        help_text=_("Applies to every price rule that names no floor of its own, and to tier default discounts."),
    )
    reason = forms.CharField(label=_("reason"), max_length=255)


class ExplainForm(forms.Form):
    company_key = forms.CharField(label=_("company"), help_text=COMPANY_HELP)
    sku = forms.CharField(label=_("SKU"))
    quantity = forms.IntegerField(label=_("quantity"), min_value=1, initial=1)
    on_date = forms.DateField(label=_("date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean_company_key(self):
        key = self.cleaned_data["company_key"]
        self.company = find_company(key)
        if self.company is None:
            raise ValidationError(_("No such company."))
        return key

    def clean_sku(self):
        sku = self.cleaned_data["sku"].strip()
        product = Product.objects.filter(upc__iexact=sku).first()
        if product is None or not product.stockrecords.exists():
            raise ValidationError(_("Unknown SKU “%(sku)s”.") % {"sku": sku})
        self.product = product
        return sku


class TierChangeForm(forms.Form):
    tier = forms.ModelChoiceField(Tier.objects.all(), label=_("new tier"))
    reason = forms.CharField(label=_("reason"), max_length=255)


class PointsAdjustForm(forms.Form):
    points = forms.IntegerField(label=_("points (negative to deduct)"))
    reason = forms.CharField(label=_("reason"), max_length=255)


class CreditLineForm(forms.Form):
    limit = forms.DecimalField(label=_("credit limit"), max_digits=14, decimal_places=2)
    payment_terms_days = forms.IntegerField(label=_("payment terms (days)"), initial=30)
    allow_exceed = forms.BooleanField(label=_("may exceed the limit"), required=False)
    reason = forms.CharField(label=_("reason"), max_length=255)


class CreditMovementForm(forms.Form):
    REPAYMENT, REFUND = "reimbursed", "refunded"
    kind = forms.ChoiceField(label=_("kind"), choices=[(REPAYMENT, _("repayment received")), (REFUND, _("refund"))])
    amount = forms.DecimalField(label=_("amount"), max_digits=14, decimal_places=2)
    order_number = forms.CharField(label=_("order number"), required=False)
    reason = forms.CharField(label=_("reason"), max_length=255)


class TagsForm(forms.Form):
    tags = forms.CharField(label=_("tags (comma separated)"), required=False)


class ReassignForm(forms.Form):
    from_salesperson = StaffChoiceField(staff_users(), label=_("all members of"), required=False)
    members = forms.ModelMultipleChoiceField(Membership.objects.none(), label=_("or these members"), required=False)
    to_salesperson = StaffChoiceField(staff_users(), label=_("new salesperson"))
    reason = forms.CharField(label=_("reason"), max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_salesperson"].queryset = staff_users()
        self.fields["to_salesperson"].queryset = staff_users()
        self.fields["members"].queryset = Membership.objects.select_related("company").order_by("company__legal_name")
        self.fields["members"].label_from_instance = lambda m: m.company.legal_name

    def clean(self):
        data = super().clean()
        if not data.get("from_salesperson") and not data.get("members"):
            raise ValidationError(_("Choose a salesperson whose members move, or the members to move."))
        return data

    def memberships(self):
        if self.cleaned_data.get("members"):
            return list(self.cleaned_data["members"])
        return list(Membership.objects.filter(salesperson=self.cleaned_data["from_salesperson"]))


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=FollowUp.KINDS)
    happened_at = forms.DateTimeField(
        label=_("happened at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.CharField(label=_("outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_step = forms.CharField(label=_("next step"), required=False, max_length=255)
    next_step_on = forms.DateField(
        label=_("next step on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
