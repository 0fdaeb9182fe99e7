"""Settlement pages: the back office's 结算单 (list, new batch, detail with refresh / cancel / pay,
XLSX), commission rates and commission income; the supplier portal's 我的结算单 (list, detail with
confirm / dispute, XLSX). Every object is looked up through the selectors, scoped to the asker:
another supplier's batch, or a guessed number, is a 404. Paying, drafting and changing rates
is for the finance group: the services refuse anyone else with a clear message."""

from io import BytesIO

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic

from core.dashboard.actions import DashboardActionView, add_errors
from core.tabular import safe_cell
from plugins.finance.access import may_manage_finance
from plugins.finance.models import CategoryCommission
from plugins.finance.selectors import settlement as selectors
from plugins.finance.services import settlement as service
from plugins.finance.settlement import forms


class BatchListView(generic.View):
    portal = False

    def get(self, request):
        form_class = forms.PortalFilterForm if self.portal else forms.BatchFilterForm
        form = form_class(request.GET or None)
        filters = {}
        if form.is_valid():
            filters["state"] = form.cleaned_data["state"]
            supplier = form.cleaned_data.get("supplier")
            filters["supplier_id"] = supplier.pk if supplier else None
        page = Paginator(selectors.batches_for(request.user, **filters), 30).get_page(request.GET.get("page"))
        return render(
            request,
            "finance/settlement/batch_list.html",
            {"form": form, "page_obj": page, "batches": page.object_list, "portal": self.portal},
        )


class PortalBatchListView(BatchListView):
    portal = True


class NewBatchView(generic.View):
    template_name = "finance/settlement/batch_new.html"

    def get(self, request):
        return render(request, self.template_name, {"form": forms.NewBatchForm()})

    def post(self, request):
        form = forms.NewBatchForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                batch = service.draft_batch(
                    data["supplier"], period_start=data["period_start"], period_end=data["period_end"], by=request.user
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Settlement batch %(number)s drafted.") % {"number": batch.number})
                return redirect("finance-dashboard:settlement-batch", number=batch.number)
        return render(request, self.template_name, {"form": form}, status=400)


class BatchView(DashboardActionView):
    """One batch and its lines; operators refresh, cancel and pay, the supplier confirms or disputes."""

    template_name = "finance/settlement/batch_detail.html"
    portal = False
    actions = ("refresh", "cancel", "pay")
    get = DashboardActionView.get_page

    def get_object(self):
        batch = selectors.batch_for(self.request.user, self.kwargs["number"])
        if batch is None:
            raise Http404
        return batch

    def get_context_data(self, **kwargs):
        batch = self.object
        page = Paginator(selectors.lines_of(batch), 100).get_page(self.request.GET.get("page"))
        state = batch.state
        return {
            "batch": batch,
            "portal": self.portal,
            "page_obj": page,
            "lines": page.object_list,
            "may_manage": may_manage_finance(self.request.user),
            "can": {
                "refresh": state in service.OPEN,
                "cancel": state in service.OPEN,
                "pay": state == service.S.CONFIRMED,
                "confirm": state == service.S.DRAFT,
                "dispute": state == service.S.DRAFT,
            },
            "pay_form": kwargs.get("pay_form") or forms.PayForm(),
            "cancel_form": kwargs.get("cancel_form") or forms.CancelForm(),
            "dispute_form": kwargs.get("dispute_form") or forms.DisputeForm(),
            "export_url": reverse(
                "finance-dashboard:settlement-portal-export" if self.portal else "finance-dashboard:settlement-export",
                args=[batch.number],
            ),
        }

    def get_success_message(self) -> str:
        return _("Settlement batch %(number)s: done.") % {"number": self.object.number}

    def do_refresh(self):
        service.refresh(self.object, by=self.request.user)

    def do_cancel(self):
        data = self.bind(forms.CancelForm, "cancel_form")
        service.cancel(self.object, by=self.request.user, reason=data["reason"])

    def do_pay(self):
        data = self.bind(forms.PayForm, "pay_form")
        service.pay(self.object, payout_reference=data["payout_reference"], by=self.request.user)


class PortalBatchView(BatchView):
    portal = True
    actions = ("confirm", "dispute")

    def do_confirm(self):
        service.confirm(self.object, by=self.request.user)

    def do_dispute(self):
        data = self.bind(forms.DisputeForm, "dispute_form")
        service.dispute(self.object, reason=data["reason"], by=self.request.user)


class BatchExportView(generic.View):
    """The batch as XLSX: a header block and one row per line, streamed from the database."""

    def get(self, request, number):
        from openpyxl import Workbook

        batch = selectors.batch_for(request.user, number)
        if batch is None:
            raise Http404
        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("Settlement"))
        for label, value in (
            (_("number"), batch.number),
            (_("supplier"), batch.supplier.name),
            (_("period"), f"{batch.period_start:%Y-%m-%d} – {batch.period_end:%Y-%m-%d}"),
            (_("state"), batch.get_state_display()),
            (_("goods"), batch.goods),
            (_("commission"), batch.commission),
            (_("freight"), batch.freight),
            (_("refunds"), batch.refunds),
            (_("netted balance"), batch.netted),
            (_("payable"), batch.payable),
        ):
            sheet.append([safe_cell(str(label)), safe_cell(value)])
        sheet.append([])
        sheet.append(
            [
                str(h)
                for h in (
                    _("Supplier order"),
                    _("Refund"),
                    _("Delivered"),
                    _("goods"),
                    _("commission rate"),
                    _("commission"),
                    _("freight"),
                    _("refunds"),
                    _("payable"),
                )
            ]
        )
        for line in selectors.iter_lines(batch):
            so = line.supplier_order or line.refund_allocation.supplier_order
            refund = line.refund_allocation.refund.number if line.refund_allocation_id else ""
            delivered = f"{so.delivered_at:%Y-%m-%d}" if line.supplier_order_id and so.delivered_at else ""
            sheet.append(
                [
                    safe_cell(so.number),
                    safe_cell(refund),
                    delivered,
                    line.goods,
                    line.commission_rate,
                    line.commission,
                    line.freight,
                    line.refunds,
                    line.payable,
                ]
            )
        out = BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{batch.number}.xlsx"'
        return response


class RatesView(generic.View):
    """Every supplier's commission rate and its category overrides."""

    def get(self, request):
        suppliers = list(selectors.suppliers())
        overrides: dict[int, list] = {}
        for override in CategoryCommission.objects.select_related("category").order_by("category__path"):
            overrides.setdefault(override.supplier_id, []).append(override)
        rows = [(s, s.supplier_profile.commission_rate, overrides.get(s.pk, [])) for s in suppliers]
        return render(request, "finance/settlement/rates.html", {"rows": rows})


class SupplierRatesView(DashboardActionView):
    template_name = "finance/settlement/rate_edit.html"
    actions = ("rate", "category", "remove")
    get = DashboardActionView.get_page

    def get_object(self):
        supplier = selectors.suppliers().filter(pk=self.kwargs["pk"]).first()
        if supplier is None:
            raise Http404
        return supplier

    def get_context_data(self, **kwargs):
        supplier = self.object
        return {
            "supplier": supplier,
            "overrides": selectors.rates_of(supplier),
            "rate_form": kwargs.get("rate_form")
            or forms.RateForm(initial={"rate": supplier.supplier_profile.commission_rate}),
            "category_form": kwargs.get("category_form") or forms.CategoryRateForm(),
            "may_manage": may_manage_finance(self.request.user),
        }

    def do_rate(self):
        data = self.bind(forms.RateForm, "rate_form")
        service.set_supplier_rate(self.object, rate=data["rate"], by=self.request.user)

    def do_category(self):
        data = self.bind(forms.CategoryRateForm, "category_form")
        service.set_category_rate(self.object, category=data["category"], rate=data["rate"], by=self.request.user)

    def do_remove(self):
        override = CategoryCommission.objects.filter(supplier=self.object, pk=self.request.POST.get("override")).first()
        if override is None:
            raise ValidationError(_("That category rate does not exist."))
        service.remove_category_rate(override, by=self.request.user)


class IncomeView(generic.View):
    def get(self, request):
        form = forms.IncomeFilterForm(request.GET or None)
        start = end = None
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        return render(
            request,
            "finance/settlement/income.html",
            {"form": form, "income": selectors.commission_income(start, end)},
        )
