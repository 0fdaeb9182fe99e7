"""What member_tiers provides to the kernel's hooks (declared on MemberTiersConfig): member
prices (core.pricing), paying on account, and the checkout's payment sources (points and credit,
plugins.member_tiers.services.checkout)."""

from django.utils.translation import gettext_lazy as _

from plugins.member_tiers.pricing import PriceBook
from storefront.payments import ON_ACCOUNT, PaymentMethod


class Pricing:
    #: nothing beyond the stock record itself: the price floor reads its cost field
    stockrecord_related = ()

    def price_book(self, user) -> PriceBook:
        return PriceBook(user)


pricing = Pricing()

ON_ACCOUNT_METHOD = PaymentMethod(
    ON_ACCOUNT,
    _("Pay on account"),
    _("The order is charged to your company account and paid within your agreed payment terms."),
    secured_at_checkout=True,
)
