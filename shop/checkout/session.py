"""Oscar's checkout session mixin, with one more precondition on every checkout step: the person
orders for a company that may order now (companies.selectors.ordering_refusal)."""

from django.urls import reverse
from oscar.apps.checkout import exceptions
from oscar.apps.checkout.session import CheckoutSessionMixin as OscarCheckoutSessionMixin

from companies.selectors import company_of, ordering_refusal


class CheckoutSessionMixin(OscarCheckoutSessionMixin):
    def get_pre_conditions(self, request):
        return ["check_buyer_may_order", *super().get_pre_conditions(request)]

    def check_buyer_may_order(self, request):
        if not request.user.is_authenticated:
            return  # Oscar's own gateway asks a visitor to sign in first
        refusal = ordering_refusal(request.user)
        if refusal:
            target = "basket:summary" if company_of(request.user) else "companies:register"
            raise exceptions.FailedPreCondition(url=reverse(target), message=refusal)
