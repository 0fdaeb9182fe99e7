"""Oscar's order dashboard with the platform's status authority.

The status of an order follows its payment and its supplier orders (core.orders): an operator
cancels an order by hand (which cancels its supplier orders, releases credit and points) or
confirms its bank transfer; lines are not moved by hand, and Oscar's free-form payment events
are not offered (a payment is recorded by its service, once)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from oscar.apps.dashboard.orders import views as oscar_views
from oscar.apps.order import exceptions as order_exceptions

from core import tabular
from core.orders import payments, status
from core.orders.services import record_payment
from shop.dashboard.orders.forms import ConfirmPaymentForm
from storefront.selectors import lines_of_order

BANK_TRANSFER = "bank-transfer"


def _change_status(view, request, order, new_status: str, note: str = "") -> bool:
    old = order.status
    try:
        view.get_handler(user=request.user).handle_order_status_change(order, new_status, note_msg=note or None)
    except order_exceptions.InvalidOrderStatus as exc:
        messages.error(request, str(exc))
        return False
    messages.info(
        request,
        _("Order %(number)s: “%(old)s” → “%(new)s”.")
        % {"number": order.number, "old": status.status_label(old), "new": status.status_label(new_status)},
    )
    return True


class OrderListView(oscar_views.OrderListView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["order_statuses"] = [status.CANCELLED]  # the only status set by hand
        return ctx

    def change_order_status(self, request, order):
        new_status = request.POST.get("new_status", "").strip()
        _change_status(self, request, order, new_status)

    def download_selected_orders(self, request, orders):
        """Oscar's CSV with its headers and the statuses in the reader's language, and every text
        cell made safe for a spreadsheet: a consignee named ``=cmd|' /C calc'!A0`` is text."""
        header = {
            "number": _("Order number"),
            "value": _("Order total"),
            "date": _("Date of purchase"),
            "num_items": _("Number of items"),
            "status": _("Status"),
            "customer": _("Customer e-mail"),
            "shipping_address_name": _("Consignee"),
            "billing_address_name": _("Billing name"),
        }
        rows = []
        for order in orders:
            values = self.get_row_values(order)
            values["status"] = status.status_label(order.status)
            rows.append([values.get(column, "") for column in header])
        response = HttpResponse(
            tabular.csv_bytes(list(header.values()), rows),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f"attachment; filename={self.get_download_filename(request)}"
        return response


class OrderDetailView(oscar_views.OrderDetailView):
    order_actions = ("save_note", "delete_note", "change_order_status", "confirm_payment")
    line_actions = ()

    def get_order_lines(self):
        # every line's product, supplier and options in one query each (not per line)
        return lines_of_order(self.object)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        order = self.object
        ctx["payment_state"] = payments.payment_state(order)
        ctx["payment_state_label"] = payments.payment_state_label(order)
        if order.status == status.PENDING_PAYMENT:
            ctx["confirm_payment_form"] = kwargs.get("confirm_payment_form") or ConfirmPaymentForm(order)
        return ctx

    def change_order_status(self, request, order):
        form = self.get_order_status_form()
        if not form.is_valid():
            return self.reload_page(error=" ".join(form.errors.get("new_status", [])) or _("Choose a status."))
        new_status = form.cleaned_data["new_status"]
        note = _("Order status changed from “%(old)s” to “%(new)s”.") % {
            "old": status.status_label(order.status),
            "new": status.status_label(new_status),
        }
        _change_status(self, request, order, new_status, note)
        return self.reload_page()

    def confirm_payment(self, request, order):
        form = ConfirmPaymentForm(order, request.POST)
        if form.is_valid():
            try:
                record_payment(
                    order,
                    amount=form.cleaned_data["amount"],
                    reference=form.cleaned_data["reference"],
                    method=BANK_TRANSFER,
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    _("Payment of order %(number)s confirmed: it goes to its suppliers.") % {"number": order.number},
                )
                return redirect("dashboard:order-detail", number=order.number)
        self.object = order
        return self.render_to_response(self.get_context_data(confirm_payment_form=form), status=400)
