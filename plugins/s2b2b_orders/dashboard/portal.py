"""The supplier portal: a supplier's staff see and act on their own supplier orders and
products only (the selectors scope every query to the asker's supplier; a guessed number or id
of another supplier is a 404). Who may open each page: S2B2BOrdersConfig.access."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe
from oscar.core.loading import get_class

from core.access import is_operator
from core.dashboard.actions import add_errors
from plugins.s2b2b_orders import selectors
from plugins.s2b2b_orders.dashboard import forms
from plugins.s2b2b_orders.dashboard.orders import OrderDetailView, OrderListView
from plugins.s2b2b_orders.services import legal, review
from storefront.views import ApiTokenListView as StorefrontApiTokenListView
from storefront.views import ApiTokenRevokeView as StorefrontApiTokenRevokeView


class PortalOrderListView(OrderListView):
    pass


class PortalOrderDetailView(OrderDetailView):
    actions = ("accept", "reject", "ship", "deliver")


class PackingSlipView(generic.View):
    """Printable packing slip (PDF), for the supplier who ships it or an operator."""

    def get(self, request, number):
        so = selectors.supplier_order_for(request.user, number)
        if so is None:
            raise Http404
        from weasyprint import HTML

        html = render_to_string(
            "s2b2b_orders/pdf/packing_slip.html",
            {"so": so, "now": timezone.now(), "shipments": selectors.shipments_of(so)},
            request,
        )
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="packing-slip-{so.number}.pdf"'
        return response


class PortalProductListView(generic.View):
    def get(self, request):
        products = selectors.products_of_supplier(request.user)
        page = Paginator(products, 50).get_page(request.GET.get("page"))
        return render(request, "s2b2b_orders/portal/products.html", {"page_obj": page, "products": page.object_list})


class PortalProductCreateView(generic.View):
    template_name = "s2b2b_orders/portal/product_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": forms.NewProductForm(), "creating": True})

    def post(self, request):
        form = forms.NewProductForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                review.create_product(
                    partner=selectors.partners_of(request.user).first(),
                    user=request.user,
                    sku=data["sku"],
                    title=data["title"],
                    description=data["description"],
                    price=data["price"],
                    stock=data["stock"],
                    cost=data["cost"],
                    categories=[data["category"]],
                    min_order_quantity=data["min_order_quantity"] or 1,
                    pack_multiple=data["pack_multiple"] or 1,
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Product submitted: it shows in the storefront once approved."))
                return redirect("s2b2b-portal-products")
        return render(request, self.template_name, {"form": form, "creating": True}, status=400)


class PortalProductEditView(generic.View):
    template_name = "s2b2b_orders/portal/product_form.html"

    def get_product(self, pk):
        product = selectors.product_of_supplier(self.request.user, pk)
        if product is None:
            raise Http404
        return product

    def _initial(self, product):
        stockrecord = product.stockrecords.all()[0]
        return {
            "sku": product.upc,
            "title": product.title,
            "description": product.description,
            "price": stockrecord.price,
            "stock": stockrecord.num_in_stock,
            "cost": stockrecord.cost,
            "min_order_quantity": stockrecord.min_order_quantity,
            "pack_multiple": stockrecord.pack_multiple,
        }

    def get(self, request, pk):
        product = self.get_product(pk)
        form = forms.ProductChangeForm(initial=self._initial(product))
        return render(request, self.template_name, {"form": form, "product": product})

    def post(self, request, pk):
        product = self.get_product(pk)
        form = forms.ProductChangeForm(request.POST, initial=self._initial(product))
        if form.is_valid():
            data = form.cleaned_data
            partner = product.stockrecords.all()[0].partner
            try:
                review.set_stock(
                    product=product,
                    partner=partner,
                    stock=data["stock"],
                    cost=data["cost"],
                    min_order_quantity=data["min_order_quantity"],
                    pack_multiple=data["pack_multiple"],
                )
                change = review.propose_change(
                    product=product,
                    partner=partner,
                    user=request.user,
                    title=data["title"],
                    description=data["description"],
                    price=data["price"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                if change is not None:
                    messages.success(request, _("Stock saved; the other changes wait for review."))
                else:
                    messages.success(request, _("Stock saved."))
                return redirect("s2b2b-portal-products")
        return render(request, self.template_name, {"form": form, "product": product}, status=400)


class OscarProductEditGate(generic.View):
    """Oscar's own product create/edit pages write live products: operators keep them; a
    supplier's staff are sent to the portal's product pages, where changes wait for review."""

    def dispatch(self, request, *args, **kwargs):
        if is_operator(request.user):
            view = get_class("dashboard.catalogue.views", "ProductCreateUpdateView").as_view()
            return view(request, *args, **kwargs)
        if "pk" in kwargs:
            return redirect("s2b2b-portal-product", pk=kwargs["pk"])
        return redirect("s2b2b-portal-product-create")


class PortalLegalProfileView(generic.View):
    """企业资料: the supplier's approved legal details, the version waiting for review (or the
    last rejected one, with its reason), and the form to submit changes for review."""

    template_name = "s2b2b_orders/portal/legal.html"

    def get_partner(self):
        partner = selectors.partners_of(self.request.user).order_by("pk").first()
        if partner is None:
            raise Http404
        return partner

    def context(self, partner, form=None) -> dict:
        versions = selectors.legal_state_of(partner)
        if form is None:
            source = versions["pending"] or versions["rejected"] or versions["approved"]
            initial = {name: getattr(source, name) for name in legal.FIELDS} if source else {}
            form = forms.LegalProfileForm(initial=initial)
        return {"partner": partner, **versions, "form": form}

    def get(self, request):
        partner = self.get_partner()
        return render(request, self.template_name, self.context(partner))

    def post(self, request):
        partner = self.get_partner()
        form = forms.LegalProfileForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                legal.submit(
                    partner=partner,
                    user=request.user,
                    data={name: form.cleaned_data.get(name, "") for name in legal.FIELDS},
                    licence=form.cleaned_data.get("licence"),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Submitted: your legal details change once an operator approves them."))
                return redirect("s2b2b-portal-legal")
        return render(request, self.template_name, self.context(partner, form), status=400)


@require_safe
@xframe_options_sameorigin
def legal_licence_download(request, pk):
    """A supplier's business licence, for that supplier's staff and operators; anyone else gets
    the 404 a missing one gets. The content type comes from the file's bytes, never its name.
    The review page embeds a PDF licence, so the platform's own pages may frame it."""
    licence = selectors.open_licence(request.user, pk)
    if licence is None:
        raise Http404
    response = FileResponse(
        licence.file,
        content_type=licence.content_type or "application/octet-stream",
        as_attachment=licence.content_type is None,
        filename=licence.filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    return response


class PortalApiTokenListView(StorefrontApiTokenListView):
    """API 令牌 in the portal: supplier staff's own tokens for the supplier API (GraphQL), kept
    here because the storefront's account pages are not theirs."""

    template_name = "s2b2b_orders/portal/api_tokens.html"
    revoke_url_name = "s2b2b-portal-api-token-revoke"


class PortalApiTokenRevokeView(StorefrontApiTokenRevokeView):
    list_url_name = "s2b2b-portal-api-tokens"
