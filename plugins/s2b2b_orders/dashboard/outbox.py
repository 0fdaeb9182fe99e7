"""Operators: the outbox of messages to suppliers (portal, e-mail, webhook), one message's
attempts, re-driving a dead letter. Operators only (S2B2BOrdersConfig.access)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import generic

from plugins.s2b2b_orders import selectors
from plugins.s2b2b_orders.models import OutboxMessage, OutboxStatus
from plugins.s2b2b_orders.services import outbox


class OutboxListView(generic.ListView):
    template_name = "s2b2b_orders/ops/outbox.html"
    context_object_name = "messages_list"
    paginate_by = 50

    def get_queryset(self):
        return selectors.outbox_messages(
            status=self.request.GET.get("status", ""), channel=self.request.GET.get("channel", "")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["statuses"] = OutboxStatus.choices
        return ctx


class OutboxDetailView(generic.DetailView):
    template_name = "s2b2b_orders/ops/outbox_detail.html"
    context_object_name = "message"

    def get_queryset(self):
        return selectors.outbox_messages()


class OutboxRedriveView(generic.View):
    def post(self, request, pk):
        message = get_object_or_404(OutboxMessage, pk=pk)
        outbox.redrive(message)
        messages.success(request, _("The message will be sent again."))
        return redirect("s2b2b-ops-outbox-detail", pk=pk)
