"""Oscar's checkout, with our payment step: bank transfer or on account.

The payment step shows each method's state for this order (on account: the credit available,
or disabled with the reason — storefront.payments.method_states); the preview takes the buyer's
purchase-order number and a remark to each supplier with 下订单 (PlaceOrderForm), which go onto
the order (and through a purchase approval, onto the order it places).

Thin: the choice is validated here, the payment sources come from storefront.payments,
securing the payment and the confirmation e-mail from storefront.placement (shared with an
approved purchase request), and an order the company's approval rules stop is submitted for
approval by companies.approvals instead of being placed.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from oscar.apps.checkout import exceptions
from oscar.apps.checkout import views as oscar_views
from oscar.apps.payment.exceptions import UnableToTakePayment
from oscar.core.loading import get_class, get_model

from companies import selectors as company_selectors
from companies.approvals import services as approvals
from companies.services.addresses import shipping_fields
from core.freight import basket_freight
from storefront import payments, placement

PaymentMethodForm = get_class("checkout.forms", "PaymentMethodForm")
PlaceOrderForm = get_class("checkout.forms", "PlaceOrderForm")
CheckoutSessionData = get_class("checkout.utils", "CheckoutSessionData")
Basket = get_model("basket", "Basket")

IndexView = oscar_views.IndexView


class ShippingAddressView(oscar_views.ShippingAddressView):
    """Oscar's step, plus the company's shared addresses (共享收货地址) for a member who orders:
    choosing one copies it into the session as an entered address (companies.services.addresses),
    so the order gets an ordinary shipping address. Another company's address is a 404."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["company_addresses"] = company_selectors.shipping_addresses(self.request.user)
        return ctx

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated and "company_address_id" in request.POST:
            pk = request.POST["company_address_id"]
            address = company_selectors.shipping_addresses(request.user).filter(pk=pk).first() if pk.isdigit() else None
            if address is None:
                raise Http404
            self.checkout_session.ship_to_new_address(shipping_fields(address))
            return redirect(self.get_success_url())
        return super().post(request, *args, **kwargs)


UserAddressUpdateView = oscar_views.UserAddressUpdateView
UserAddressDeleteView = oscar_views.UserAddressDeleteView
PaymentMethodView = oscar_views.PaymentMethodView


class ShippingMethodView(oscar_views.ShippingMethodView):
    def get(self, request, *args, **kwargs):
        # Say which products cannot go to the chosen province (the freight provider decides).
        if request.basket.is_shipping_required() and self.checkout_session.is_shipping_address_set():
            address = self.get_shipping_address(request.basket)
            freight = basket_freight(request.basket, address.state if address else "")
            if freight is not None and not freight.deliverable:
                messages.error(request, freight.message)
                return redirect("checkout:shipping-address")
        return super().get(request, *args, **kwargs)


class PaymentDetailsView(oscar_views.PaymentDetailsView):
    def dispatch(self, request, *args, **kwargs):
        # Placing is idempotent per basket: a second submission of the same basket (a double
        # click, a second tab) waits here for the first and is shown the order it placed.
        if request.method == "POST" and request.POST.get("action") == "place_order" and request.user.is_authenticated:
            order = placement.lock_for_placing(request.user, request.POST.get("basket_id"))
            if order is not None:
                CheckoutSessionData(request).flush()
                request.session["checkout_order_id"] = order.id
                messages.info(request, _("Order %(number)s has already been placed.") % {"number": order.number})
                return redirect("checkout:thank-you")
        return super().dispatch(request, *args, **kwargs)

    #: the checkout session's namespace for what the preview's place-order form was given
    PLACE_ORDER_SESSION = ("storefront", "place_order")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        chosen = self.checkout_session.payment_method()
        if "payment_form" not in ctx:
            ctx["payment_form"] = PaymentMethodForm(
                initial={"method": chosen}, states=self.method_states(ctx.get("order_total"))
            )
        ctx.setdefault(
            "place_order_form",
            PlaceOrderForm(
                suppliers=self.basket_suppliers(), initial=self.checkout_session._get(*self.PLACE_ORDER_SESSION, {})
            ),
        )
        ctx["supplier_groups"] = self.supplier_groups(ctx["place_order_form"])
        ctx["payment_method"] = payments.methods().get(chosen)
        ctx["bank_account"] = settings.PLATFORM_BANK_ACCOUNT
        return ctx

    def supplier_groups(self, place_order_form) -> list[dict]:
        """The basket's lines by supplier, each group with its remark field (the preview)."""
        groups: dict[int | None, dict] = {}
        for line in self.request.basket.all_lines():
            partner = line.stockrecord.partner if line.stockrecord is not None else None
            key = partner.pk if partner is not None else None
            group = groups.setdefault(
                key,
                {
                    "supplier": partner.name if partner is not None else "",
                    "lines": [],
                    "remark": place_order_form.remark_for(key) if key is not None else None,
                },
            )
            group["lines"].append(line)
        return list(groups.values())

    def method_states(self, order_total=None) -> dict:
        """Which methods can pay this order now (on account: the credit available, or why not)."""
        if order_total is None:
            order_total = self.build_submission()["order_total"]
        total = order_total.incl_tax if order_total is not None else None
        return payments.method_states(self.request.user, self.request.session, total)

    def basket_suppliers(self) -> list[tuple[int, str]]:
        """(partner id, name) of the basket's suppliers, in the order of its lines."""
        found: dict[int, str] = {}
        for line in self.request.basket.all_lines():
            if line.stockrecord is not None:
                found.setdefault(line.stockrecord.partner_id, line.stockrecord.partner.name)
        return list(found.items())

    def check_payment_data_is_captured(self, request):
        submitting_choice = request.method == "POST" and request.POST.get("action") != "place_order"
        if not submitting_choice and self.checkout_session.payment_method() not in payments.methods():
            raise exceptions.FailedPreCondition(
                url=reverse("checkout:payment-details"), message=_("Choose how you will pay.")
            )

    def handle_payment_details_submission(self, request):
        form = PaymentMethodForm(request.POST, states=self.method_states())
        if not form.is_valid():
            return self.render_payment_details(request, payment_form=form)
        self.checkout_session.pay_by(form.cleaned_data["method"])
        return self.render_preview(request, payment_form=form)

    def handle_place_order_submission(self, request):
        method = self.checkout_session.payment_method()
        if method not in payments.methods():
            messages.error(request, _("Choose how you will pay."))
            return redirect("checkout:payment-details")
        place_order_form = PlaceOrderForm(request.POST, suppliers=self.basket_suppliers())
        if not place_order_form.is_valid():
            return self.render_preview(request, place_order_form=place_order_form)
        # kept for the preview when the order is not placed after all (e.g. not enough credit)
        self.checkout_session._set(*self.PLACE_ORDER_SESSION, place_order_form.cleaned_data)
        submission = self.build_submission()
        submission["payment_kwargs"]["method"] = method
        submission["order_kwargs"].update(place_order_form.order_values())
        if submission["order_total"] is not None:
            # the company's purchase approval rules may stop the order here (companies.approvals)
            try:
                held = approvals.submit(
                    method=method,
                    session=request.session,
                    order_fields=place_order_form.order_values(),
                    **{key: submission[key] for key in approvals.SUBMISSION_KEYS},
                )
            except payments.PaymentRefused as exc:
                return self.render_payment_details(request, error=str(exc))
            except ValidationError as exc:
                return self.render_preview(request, error=" ".join(exc.messages))
            if held is not None:
                self.checkout_session.flush()
                return redirect("companies:approval-submitted", number=held.number)
        return self.submit(**submission)

    def handle_payment(self, order_number, total, method=None, **kwargs):
        # No money moves at checkout: record how it will be paid (points first, then the method;
        # on account reserves credit); the order awaits payment.
        self._order_number = order_number
        self._payment_method = method
        try:
            sources = payments.payment_sources(
                self.request.user, self.request.session, order_number, total.incl_tax, total.currency, method
            )
        except payments.PaymentRefused as exc:
            raise UnableToTakePayment(str(exc)) from exc
        for source in sources:
            self.add_payment_source(source)

    def place_order(self, *args, **kwargs):
        order = super().place_order(*args, **kwargs)
        # a method that secures the payment at checkout (on account: the credit reserved for it)
        # confirms the order at once, and it goes to its suppliers; a transfer waits for the money
        placement.secure_if_due(order, getattr(self, "_payment_method", None))
        return order

    def restore_frozen_basket(self):
        # The order was not placed: give back any credit or points reserved for it, and reopen
        # the basket — unless it was placed after all (never reopen a submitted basket). Lines
        # added meanwhile join it before it reopens: a buyer has one open basket (a constraint).
        payments.release_unplaced(getattr(self, "_order_number", None))
        try:
            frozen = self.get_submitted_basket()
        except Basket.DoesNotExist:
            return
        if frozen.lock() != Basket.FROZEN:
            return
        current = self.request.basket
        if current.id and current.id != frozen.id:
            frozen.merge(current)
            frozen.strategy = current.strategy
            self.request.basket = frozen
        frozen.thaw()

    def send_order_placed_email(self, order):
        placement.send_confirmation(order)


class ThankYouView(oscar_views.ThankYouView):
    def get_context_data(self, *args, **kwargs):
        ctx = super().get_context_data(*args, **kwargs)
        ctx["bank_account"] = settings.PLATFORM_BANK_ACCOUNT
        return ctx
