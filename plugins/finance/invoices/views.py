"""Storefront pages of invoices (发票) for a company's 财务 or admin: request an invoice for paid
orders, the requests and invoices, download a PDF, confirm a blue invoice, ask for a red-letter
invoice; the company's invoicing details. Someone else's invoice number is a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import generic

from companies.services.invoicing import update_invoicing
from plugins.finance.access import company_for_finance
from plugins.finance.invoices.forms import InvoicingDetailsForm, RedForm, RequestForm
from plugins.finance.models import Refund
from plugins.finance.selectors import invoices as selectors
from plugins.finance.services import invoices as services

ACTIVE_TAB = "invoices"


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


class _CompanyFinance(generic.View):
    """The asker's company (its 财务 or admin), else 403."""

    def dispatch(self, request, *args, **kwargs):
        self.company = company_for_finance(request.user)
        if self.company is None:
            raise PermissionDenied(_("Invoices are for your company's finance staff and administrator."))
        return super().dispatch(request, *args, **kwargs)

    def invoice(self, number):
        return get_object_or_404(selectors.invoices_for(self.request.user), number=number)


class InvoiceListView(_CompanyFinance):
    template_name = "finance/invoices/storefront/list.html"

    def form(self, data=None):
        return RequestForm(data, orders_queryset=selectors.invoiceable_orders(self.company))

    def show(self, form, status=200, errors=()):
        user = self.request.user
        context = {
            "active_tab": ACTIVE_TAB,
            "company": self.company,
            "form": form,
            "errors": errors,
            "missing_special": services.missing_details(self.company, "special"),
            "requests": selectors.requests_for(user).select_related("invoice")[:50],
            "invoices": selectors.invoices_for(user)[:50],
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.show(self.form())

    def post(self, request):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.show(form, status=400)
        try:
            made = services.request_invoice(
                self.company,
                form.cleaned_data["orders"],
                form.cleaned_data["kind"],
                request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            return self.show(form, status=400, errors=_errors(exc))
        messages.success(request, _("Invoice request %(number)s sent.") % {"number": made.number})
        return redirect("finance:invoice-list")


class InvoicingDetailsView(_CompanyFinance):
    template_name = "finance/invoices/storefront/details.html"

    def show(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"active_tab": ACTIVE_TAB, "company": self.company, "form": form},
            status=status,
        )

    def get(self, request):
        initial = {name: getattr(self.company, name) for name in InvoicingDetailsForm.base_fields}
        return self.show(InvoicingDetailsForm(initial=initial))

    def post(self, request):
        form = InvoicingDetailsForm(request.POST)
        if form.is_valid():
            try:
                update_invoicing(company=self.company, details=form.cleaned_data, by=request.user)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, _("Invoicing details saved."))
                return redirect("finance:invoice-list")
        return self.show(form, status=400)


def invoice_pdf(request, number):
    company = company_for_finance(request.user)
    if company is None:
        raise Http404
    invoice = get_object_or_404(selectors.invoices_for(request.user), number=number)
    if not invoice.pdf:
        raise Http404
    return FileResponse(invoice.pdf.open("rb"), as_attachment=True, filename=f"{invoice.number}.pdf")


class ConfirmView(_CompanyFinance):
    def post(self, request, number):
        invoice = self.invoice(number)
        try:
            services.confirm_received(invoice, request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(_errors(exc)))
        else:
            messages.success(request, _("Invoice %(number)s confirmed.") % {"number": invoice.number})
        return redirect("finance:invoice-list")


class RedView(_CompanyFinance):
    """The buyer asks for a red-letter invoice: for a refund of one of its orders, or (no refund)
    a full red for an invoicing error."""

    def post(self, request, number):
        invoice = self.invoice(number)
        form = RedForm(request.POST)
        refund = None
        if form.is_valid() and form.cleaned_data["refund"]:
            refund = Refund.objects.filter(company=self.company, number=form.cleaned_data["refund"]).first()
            if refund is None:
                messages.error(request, _("No refund of your company has that number."))
                return redirect("finance:invoice-list")
        try:
            red = services.request_red(
                invoice,
                refund=refund,
                by=request.user,
                note=form.cleaned_data.get("note", "") if form.is_valid() else "",
            )
        except ValidationError as exc:
            messages.error(request, " ".join(_errors(exc)))
        else:
            messages.success(request, _("Red-letter request %(number)s sent.") % {"number": red.number})
        return redirect("finance:invoice-list")
