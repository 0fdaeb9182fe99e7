"""Back-office pages of invoices (发票): invoice and red-letter requests (issue, reject), the PDFs,
and the tax rates of categories and products. Every operator may look; issuing, rejecting and
changing rates is for the finance group (the services refuse others)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import generic
from oscar.core.loading import get_model

from plugins.finance.access import may_manage_finance
from plugins.finance.invoices.forms import ProductTaxForm, RedForm, RejectForm, RequestFilterForm, TaxClassForm
from plugins.finance.models import Invoice, InvoiceRequest, ProductTax, Refund, TaxCategory
from plugins.finance.selectors import invoices as selectors
from plugins.finance.selectors.invoices_tax import default_rate
from plugins.finance.services import invoices as services
from plugins.finance.services import invoices_tax as tax_services

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
PAGE = 50


def _messages(exc) -> str:
    return " ".join(str(m) for m in getattr(exc, "messages", [str(exc)]))


class RequestListView(generic.View):
    template_name = "finance/invoices/dashboard/request_list.html"

    def get(self, request):
        form = RequestFilterForm(request.GET or None)
        rows = selectors.requests_for(request.user).select_related("invoice")
        if form.is_valid():
            data = form.cleaned_data
            if data["state"]:
                rows = rows.filter(state=data["state"])
            if data["kind"]:
                rows = rows.filter(kind=data["kind"])
            if data["red"] == "blue":
                rows = rows.filter(red_kind="")
            elif data["red"] == "red":
                rows = rows.exclude(red_kind="")
            if data["q"]:
                q = data["q"].strip()
                rows = rows.filter(Q(number__icontains=q) | Q(company__legal_name__icontains=q) | Q(orders__number=q))
        rows = rows.distinct()
        waiting = selectors.requests_for(request.user).filter(state=InvoiceRequest.State.REQUESTED).count()
        context = {"form": form, "rows": rows[:PAGE], "waiting": waiting, "may_act": may_manage_finance(request.user)}
        return render(request, self.template_name, context)


class RequestDetailView(generic.View):
    template_name = "finance/invoices/dashboard/request_detail.html"

    def get_request(self, number):
        return get_object_or_404(selectors.requests_for(self.request.user), number=number)

    def show(self, row, status=200, reject_form=None):
        invoice = Invoice.objects.filter(request=row).first()
        refunds = []
        if invoice is not None and not invoice.is_red:
            refunds = list(
                Refund.objects.filter(order__in=row.orders.all(), state=Refund.State.REFUNDED).exclude(
                    invoice_requests__state__in=[InvoiceRequest.State.REQUESTED, InvoiceRequest.State.ISSUED]
                )
            )
        context = {
            "row": row,
            "lines": row.lines.select_related("order"),
            "invoice": invoice,
            "reds": invoice.red_requests.all() if invoice else [],
            "refunds": refunds,
            "reject_form": reject_form or RejectForm(),
            "may_act": may_manage_finance(self.request.user),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, number):
        return self.show(self.get_request(number))

    def post(self, request, number):
        row = self.get_request(number)
        action = request.POST.get("action")
        try:
            if action == "issue":
                invoice = services.issue(row, request.user)
                messages.success(request, _("Invoice %(number)s issued.") % {"number": invoice.number})
            elif action == "reject":
                form = RejectForm(request.POST)
                if not form.is_valid():
                    return self.show(row, status=400, reject_form=form)
                services.reject(row, form.cleaned_data["reason"], request.user)
                messages.success(request, _("Invoice request %(number)s rejected.") % {"number": row.number})
            else:
                raise Http404
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, _messages(exc))
            row.refresh_from_db()
            return self.show(row, status=400)
        return redirect("finance-dashboard:invoice-request-detail", number=row.number)


def invoice_pdf(request, number):
    invoice = get_object_or_404(selectors.invoices_for(request.user), number=number)
    if not invoice.pdf:
        raise Http404
    return FileResponse(invoice.pdf.open("rb"), as_attachment=True, filename=f"{invoice.number}.pdf")


class RedView(generic.View):
    """Finance asks for a red-letter invoice of a blue one: for an executed refund, or (no refund)
    a full red for an invoicing error."""

    def post(self, request, number):
        invoice = get_object_or_404(selectors.invoices_for(request.user), number=number)
        form = RedForm(request.POST)
        refund = None
        if form.is_valid() and form.cleaned_data["refund"]:
            refund = Refund.objects.filter(number=form.cleaned_data["refund"]).first()
            if refund is None:
                messages.error(request, _("No refund has that number."))
                return redirect("finance-dashboard:invoice-request-detail", number=invoice.request.number)
        if not may_manage_finance(request.user):
            messages.error(request, _("Only the platform's finance staff may ask for red-letter invoices."))
            return redirect("finance-dashboard:invoice-request-detail", number=invoice.request.number)
        try:
            red = services.request_red(
                invoice,
                refund=refund,
                by=request.user,
                note=form.cleaned_data.get("note", "") if form.is_valid() else "",
            )
        except ValidationError as exc:
            messages.error(request, _messages(exc))
            return redirect("finance-dashboard:invoice-request-detail", number=invoice.request.number)
        messages.success(request, _("Red-letter request %(number)s made.") % {"number": red.number})
        return redirect("finance-dashboard:invoice-request-detail", number=red.number)


class TaxRatesView(generic.View):
    template_name = "finance/invoices/dashboard/tax_rates.html"

    def show(self, status=200, product_form=None):
        classes = {t.category_id: t for t in TaxCategory.objects.all()}
        categories = [(c, classes.get(c.pk)) for c in Category.objects.order_by("path")]
        context = {
            "categories": categories,
            "products": ProductTax.objects.select_related("product").order_by("product__title")[:200],
            "product_form": product_form or ProductTaxForm(),
            "default_rate": default_rate(),
            "may_act": may_manage_finance(self.request.user),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.show()


class CategoryTaxView(generic.View):
    template_name = "finance/invoices/dashboard/category_tax.html"

    def show(self, category, form, status=200):
        context = {"category": category, "form": form, "current": TaxCategory.objects.filter(category=category).first()}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        category = get_object_or_404(Category, pk=pk)
        current = TaxCategory.objects.filter(category=category).first()
        initial = (
            {"rate": f"{current.rate.normalize():f}", "code": current.code, "short_name": current.short_name}
            if current
            else {}
        )
        return self.show(category, TaxClassForm(initial=initial))

    def post(self, request, pk):
        category = get_object_or_404(Category, pk=pk)
        try:
            if request.POST.get("action") == "clear":
                tax_services.clear_category_tax(category, by=request.user)
                messages.success(request, _("The tax class of %(name)s was removed.") % {"name": category.name})
                return redirect("finance-dashboard:invoice-tax-rates")
            form = TaxClassForm(request.POST)
            if not form.is_valid():
                return self.show(category, form, status=400)
            tax_services.set_category_tax(category, by=request.user, **form.cleaned_data)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("finance-dashboard:invoice-tax-rates")
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            return self.show(category, form, status=400)
        messages.success(request, _("Tax class of %(name)s saved.") % {"name": category.name})
        return redirect("finance-dashboard:invoice-tax-rates")


class ProductTaxView(TaxRatesView):
    """Set (or, with action=clear, remove) a product's own tax class, found by SKU."""

    def post(self, request):
        form = ProductTaxForm(request.POST if request.POST.get("action") != "clear" else None)
        sku = (request.POST.get("sku") or "").strip()
        product = (
            Product.objects.filter(Q(upc=sku) | Q(stockrecords__partner_sku=sku)).distinct().first() if sku else None
        )
        try:
            if request.POST.get("action") == "clear":
                if product is None:
                    raise Http404
                tax_services.clear_product_tax(product, by=request.user)
                messages.success(request, _("The tax class of %(name)s was removed.") % {"name": product.title})
                return redirect("finance-dashboard:invoice-tax-rates")
            if not form.is_valid():
                return self.show(status=400, product_form=form)
            if product is None:
                form.add_error("sku", _("No product has this SKU."))
                return self.show(status=400, product_form=form)
            data = {k: v for k, v in form.cleaned_data.items() if k != "sku"}
            tax_services.set_product_tax(product, by=request.user, **data)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("finance-dashboard:invoice-tax-rates")
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            return self.show(status=400, product_form=form)
        messages.success(request, _("Tax class of %(name)s saved.") % {"name": product.title})
        return redirect("finance-dashboard:invoice-tax-rates")
