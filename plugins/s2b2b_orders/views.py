from django.http import Http404
from oscar.core.loading import get_class, get_model

from core.access import is_operator
from plugins.s2b2b_orders.selectors import hide_unapproved

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
