"""Back-office pages of receipts (operators; acting is for the finance group): 收款单 list and
detail (approve, void, assign, allocate), the 待认领 queue, recording a receipt (prefilled from an
order), and 银行流水导入 (upload → matching preview → apply)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic
from oscar.core.loading import get_model

from core.dashboard.actions import DashboardActionView
from plugins.finance.access import may_manage_finance
from plugins.finance.models import BankStatement, Receipt
from plugins.finance.receipts import forms
from plugins.finance.selectors.receipts import left_of, unapplied_of
from plugins.finance.services import receipts as service

Order = get_model("order", "Order")


def _finance_only(user) -> None:
    if not may_manage_finance(user):
        raise ValidationError(_("Only the finance team may do this."))


def _call(fn, *args, **kwargs):
    """A service call whose refusal of the asker shows as the page's error (not a bare 403)."""
    try:
        return fn(*args, **kwargs)
    except PermissionDenied as exc:
        raise ValidationError(str(exc) or _("Only the finance team may do this.")) from exc


class ReceiptListView(generic.ListView):
    template_name = "finance/receipts/dashboard/list.html"
    context_object_name = "receipts"
    paginate_by = 50
    unclaimed_only = False

    def get_queryset(self):
        self.form = forms.ReceiptFilterForm(self.request.GET or None)
        qs = Receipt.objects.select_related("company").order_by("-received_on", "-id")
        if self.unclaimed_only:
            qs = qs.filter(state=Receipt.State.UNCLAIMED)
        if self.form.is_valid():
            data = self.form.cleaned_data
            if data.get("state") and not self.unclaimed_only:
                qs = qs.filter(state=data["state"])
            if data.get("q"):
                q = data["q"].strip()
                qs = qs.filter(
                    Q(number__icontains=q)
                    | Q(bank_reference__icontains=q)
                    | Q(payer_name__icontains=q)
                    | Q(memo__icontains=q)
                    | Q(company__legal_name__icontains=q)
                )
            if data.get("since"):
                qs = qs.filter(received_on__gte=data["since"])
            if data.get("until"):
                qs = qs.filter(received_on__lte=data["until"])
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = self.form
        ctx["unclaimed_only"] = self.unclaimed_only
        ctx["total"] = self.object_list.aggregate(s=Sum("amount"))["s"] or 0
        ctx["may_manage"] = may_manage_finance(self.request.user)
        return ctx


class UnclaimedView(ReceiptListView):
    unclaimed_only = True


class RecordReceiptView(DashboardActionView):
    template_name = "finance/receipts/dashboard/record.html"
    actions = ("record",)
    default_action = "record"

    def get(self, request, *args, **kwargs):
        initial = {}
        number = request.GET.get("order", "")
        order = Order.objects.filter(number=number).select_related("company").first() if number else None
        if order is not None:
            initial = {
                "orders": order.number,
                "amount": order.total_incl_tax,
                "payer_name": order.company.legal_name if order.company_id else "",
                "memo": order.number,
            }
        return self.show(form=forms.RecordReceiptForm(initial=initial), order=order)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.bound_form or forms.RecordReceiptForm())
        kwargs["may_manage"] = may_manage_finance(self.request.user)
        return kwargs

    def do_record(self):
        _finance_only(self.request.user)
        data = self.bind(forms.RecordReceiptForm, "form")
        orders = data["order_objects"]
        self.receipt = _call(
            service.record_receipt,
            bank_reference=data["bank_reference"],
            received_on=data["received_on"],
            amount=data["amount"],
            payer_name=data["payer_name"],
            payer_account=data["payer_account"],
            payer_bank=data["payer_bank"],
            memo=data["memo"],
            company=orders[0].company if orders else None,
            orders=orders,
            by=self.request.user,
        )
        return _("Receipt %(number)s recorded.") % {"number": self.receipt.number}

    def get_success_url(self):
        return reverse("finance-dashboard:receipt-detail", args=[self.receipt.number])


class ReceiptDetailView(DashboardActionView):
    template_name = "finance/receipts/dashboard/detail.html"
    actions = ("approve", "void", "assign", "allocate")

    def get_object(self):
        return get_object_or_404(Receipt.objects.select_related("company", "statement"), number=self.kwargs["number"])

    get = DashboardActionView.get_page

    def get_context_data(self, **kwargs):
        receipt = self.object
        ctx = {
            "receipt": receipt,
            "allocations": receipt.allocations.select_related("order").order_by("id"),
            "left": left_of(receipt),
            "unapplied": unapplied_of(receipt.company) if receipt.company_id else None,
            "may_manage": may_manage_finance(self.request.user),
            "void_form": forms.VoidForm(),
            "assign_form": forms.AssignForm(),
            "allocate_form": forms.AllocateForm(),
        }
        ctx.update(kwargs)
        return ctx

    def get_success_url(self):
        return reverse("finance-dashboard:receipt-detail", args=[self.object.number])

    def do_approve(self):
        _finance_only(self.request.user)
        _call(service.approve, self.object, self.request.user)
        return _("Receipt %(number)s approved.") % {"number": self.object.number}

    def do_void(self):
        _finance_only(self.request.user)
        data = self.bind(forms.VoidForm, "void_form")
        _call(service.void, self.object, data["reason"], self.request.user)
        return _("Receipt %(number)s voided.") % {"number": self.object.number}

    def do_assign(self):
        _finance_only(self.request.user)
        data = self.bind(forms.AssignForm, "assign_form")
        company = data["company_object"]
        orders = forms.orders_of(data.get("orders", ""), company)
        _call(service.assign, self.object, company=company, orders=orders, by=self.request.user)
        return _("Receipt %(number)s assigned to %(company)s.") % {
            "number": self.object.number,
            "company": company.legal_name,
        }

    def do_allocate(self):
        _finance_only(self.request.user)
        data = self.bind(forms.AllocateForm, "allocate_form")
        order = Order.objects.filter(number=data["order"].strip(), company_id=self.object.company_id).first()
        if order is None or self.object.company_id is None:
            raise ValidationError({"order": _("No order %(number)s of this company.") % {"number": data["order"]}})
        _call(service.allocate, self.object, order, data["amount"], self.request.user)
        return _("¥%(amount)s applied to order %(order)s.") % {"amount": data["amount"], "order": order.number}


class StatementImportView(DashboardActionView):
    template_name = "finance/receipts/dashboard/import.html"
    actions = ("upload",)
    default_action = "upload"

    def get(self, request, *args, **kwargs):
        return self.show()

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.bound_form or forms.StatementUploadForm())
        kwargs["statements"] = BankStatement.objects.select_related("uploaded_by", "applied_by")[:20]
        kwargs["may_manage"] = may_manage_finance(self.request.user)
        return kwargs

    def do_upload(self):
        _finance_only(self.request.user)
        data = self.bind(forms.StatementUploadForm, "form")
        statement, _rows = _call(service.preview_statement, data["file"], self.request.user)
        return redirect("finance-dashboard:receipt-import-preview", pk=statement.pk)


class StatementPreviewView(DashboardActionView):
    template_name = "finance/receipts/dashboard/preview.html"
    actions = ("apply",)
    default_action = "apply"

    def get_object(self):
        return get_object_or_404(BankStatement, pk=self.kwargs["pk"])

    get = DashboardActionView.get_page

    def get_context_data(self, **kwargs):
        try:
            rows = service.statement_rows(self.object) if self.object.applied_at is None else []
        except (ValidationError, OSError):
            rows = []
        kwargs.update(
            statement=self.object,
            rows=rows,
            bad=sum(1 for r in rows if r.errors),
            receipts=self.object.receipts.select_related("company").order_by("id"),
            may_manage=may_manage_finance(self.request.user),
        )
        return kwargs

    def do_apply(self):
        _finance_only(self.request.user)
        made = _call(service.apply_statement, self.object, self.request.user)
        return _("%(count)d receipts recorded from the statement.") % {"count": len(made)}

    def get_success_url(self):
        return reverse("finance-dashboard:receipt-import-preview", args=[self.object.pk])
