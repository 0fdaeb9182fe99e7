from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import generic
from oscar.core.loading import get_class, get_model

from core.access import is_operator
from plugins.s2b2b_orders.selectors import buyer_supplier_order, hide_unapproved

Product = get_model("catalogue", "Product")
ProductDetailView = get_class("catalogue.views", "ProductDetailView")
BasketAddView = get_class("basket.views", "BasketAddView")


class ReviewedProductDetailView(ProductDetailView):
    """Oscar's product page, except that a supplier's product waiting for review is not found."""

    def get_queryset(self):
        qs = super().get_queryset()
        if is_operator(self.request.user):
            return qs
        return hide_unapproved(qs)


class ReviewedBasketAddView(BasketAddView):
    """Oscar's add-to-basket, refusing a product that is not approved for sale yet."""

    def post(self, request, *args, **kwargs):
        if not hide_unapproved(Product.objects.filter(pk=kwargs["pk"])).exists():
            raise Http404
        return super().post(request, *args, **kwargs)


class ConfirmReceiptView(generic.View):
    """The buyer confirms receipt (确认收货) of one supplier's part of their order (POST); another
    company's part and one that does not exist are the same 404."""

    http_method_names = ["post"]

    def post(self, request, number):
        from plugins.s2b2b_orders.services.receipt import confirm_receipt_as_buyer

        so = buyer_supplier_order(request.user, number)
        if so is None:
            raise Http404
        try:
            confirm_receipt_as_buyer(supplier_order=so, user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Receipt of %(supplier)s's part confirmed.") % {"supplier": so.partner.name})
        return redirect("customer:order", order_number=so.order.number)
