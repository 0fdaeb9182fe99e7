from oscar.core.loading import get_class

from plugins.s2b2b_orders.selectors import hide_unapproved

ProductDetailView = get_class("catalogue.views", "ProductDetailView")


class ReviewedProductDetailView(ProductDetailView):
    """Oscar's product page, except that a supplier's product waiting for review is not found."""

    def get_queryset(self):
        qs = super().get_queryset()
        if self.request.user.is_staff:
            return qs
        return hide_unapproved(qs)
