"""The buyer's after-sales pages (storefront, 我的 → 售后): the requests of the orders they may
see, one request with its timeline (cancel, send the goods back), the form opening one for a
delivered supplier part, and the photos. Another company's request or part is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic
from django.views.decorators.http import require_safe

from core.dashboard.actions import DashboardActionView, add_errors
from core.shipments import shipments
from plugins.aftersales import forms, selectors
from plugins.aftersales.services import requests as services

ACTIVE_TAB = "aftersales"


class RequestListView(generic.View):
    template_name = "aftersales/storefront/list.html"

    def get(self, request):
        form = forms.FilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        found = selectors.requests_for(
            request.user, state=filters.get("state", ""), kind=filters.get("kind", ""), search=filters.get("q", "")
        )
        return render(
            request, self.template_name, {"active_tab": ACTIVE_TAB, "form": form, "requests": list(found[:200])}
        )


class RequestCreateView(generic.View):
    template_name = "aftersales/storefront/create.html"

    def _part(self, number):
        so = selectors.buyer_supplier_order(self.request.user, number)
        if so is None:
            raise Http404
        return so

    def _show(self, so, form, status=200):
        for row in form.line_rows:
            row["value"] = form.data.get(f"quantity_{row['line'].pk}", 0) if form.is_bound else 0
        context = {
            "active_tab": ACTIVE_TAB,
            "so": so,
            "form": form,
            "rows": form.line_rows,
            "problem": services.eligibility_problem(so),
            "window_ends": services.window_ends(so),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, number):
        so = self._part(number)
        return self._show(so, forms.RequestForm(lines=selectors.lines_left(so)))

    def post(self, request, number):
        so = self._part(number)
        form = forms.RequestForm(request.POST, lines=selectors.lines_left(so))
        if not form.is_valid():
            return self._show(so, form, status=400)
        data = form.cleaned_data
        try:
            created = services.create_request(
                supplier_order=so,
                kind=data["kind"],
                reason=data["reason"],
                description=data.get("description", ""),
                refund_amount=data.get("refund_amount") or None,
                lines=form.lines(),
                photos=request.FILES.getlist("photos"),
                by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
            return self._show(so, form, status=400)
        messages.success(
            request, _("After-sales request %(number)s sent to the supplier.") % {"number": created.number}
        )
        return redirect("aftersales:detail", created.number)


class RequestDetailView(DashboardActionView):
    """One request: lines, photos, timeline; the buyer cancels it or sends the goods back."""

    template_name = "aftersales/storefront/detail.html"
    actions = ("cancel", "ship_return")
    get = DashboardActionView.get_page

    def get_object(self):
        req = selectors.request_for(self.request.user, self.kwargs["number"])
        if req is None:
            raise Http404
        return req

    def get_context_data(self, **kwargs):
        return {
            "active_tab": ACTIVE_TAB,
            "req": self.object,
            "timeline": selectors.timeline(self.object),
            "carriers": shipments().carrier_choices(),
            "ship_form": kwargs.pop("ship_form", None) or forms.ShipmentForm(),
            **kwargs,
        }

    def get_success_url(self):
        return reverse("aftersales:detail", args=[self.object.number])

    def do_cancel(self):
        services.cancel(self.object, by=self.request.user)
        return _("After-sales request %(number)s cancelled.") % {"number": self.object.number}

    def do_ship_return(self):
        data = self.bind(forms.ShipmentForm, "ship_form")
        services.ship_return(
            self.object, carrier_code=data["carrier"], tracking_number=data["tracking_number"], by=self.request.user
        )
        return _("Thank you: the supplier is told the goods are on their way.")


@require_safe
def photo_download(request, pk):
    """A request's photo, for whoever may see the request (a 404 for anyone else); served with
    the type its bytes say, never the one its name claims."""
    found = selectors.open_photo(request.user, pk)
    if found is None:
        raise Http404
    photo, handle, content_type = found
    response = FileResponse(
        handle,
        content_type=content_type or "application/octet-stream",
        as_attachment=content_type is None,
        filename=photo.filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    return response
