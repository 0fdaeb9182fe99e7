"""Back office: the outbox's messages (filter by status and channel), one message with its
attempts, and re-drive. Operators only (``core.access.is_operator``, checked in one place)."""

from django.contrib import messages as flash
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import generic

from core.access import is_operator
from core.outbox import redrive, registry, selectors
from core.outbox.models import OutboxMessage, Status


class OperatorOnly(AccessMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_operator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OutboxListView(OperatorOnly, generic.ListView):
    template_name = "core/outbox/list.html"
    context_object_name = "messages_list"
    paginate_by = 50

    def get_queryset(self):
        return selectors.messages(
            status=self.request.GET.get("status", ""),
            channel=self.request.GET.get("channel", ""),
            search=self.request.GET.get("q", "").strip(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["statuses"] = Status.choices
        ctx["channels"] = selectors.channels()
        return ctx


class OutboxDetailView(OperatorOnly, generic.TemplateView):
    template_name = "core/outbox/detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        message = selectors.message_detail(self.kwargs["pk"])
        if message is None:
            raise Http404
        deliverer = registry.deliverers().get(message.channel)
        ctx["message"] = message
        ctx["destination"] = deliverer.describe(message) if deliverer else message.recipient
        return ctx


class OutboxRedriveView(OperatorOnly, generic.View):
    def post(self, request, pk):
        message = get_object_or_404(OutboxMessage, pk=pk)
        redrive(message, actor=request.user, reason=request.POST.get("reason", ""))
        flash.success(request, _("The message will be sent again."))
        return redirect("core-outbox-detail", pk=pk)
