"""The one place storefront prices come from.

List prices on the platform are VAT-inclusive CNY (含税价), so tax is never added on
top. Plugins that change what a buyer pays (member tiers) plug in here.
"""

from oscar.apps.partner import strategy


class PlatformStrategy(strategy.UseFirstStockRecord, strategy.StockRequired, strategy.NoTax, strategy.Structured):
    """One supplier offer (stock record) per product; stock must be available; prices include VAT."""

    def __init__(self, request=None, user=None, **kwargs):
        super().__init__(request)
        # Offline callers (tasks, demo data) price for a user without a request.
        if user is not None and user.is_authenticated:
            self.user = user


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return PlatformStrategy(request=request, user=user)
