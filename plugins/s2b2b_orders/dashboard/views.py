"""Supplier portal (supplier staff, scoped to their supplier) and operator back office."""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic

from plugins.s2b2b_orders import selectors
from plugins.s2b2b_orders.dashboard import forms
from plugins.s2b2b_orders.models import Escalation, OutboxMessage, OutboxStatus, ProductChange, State, SupplierProfile
from plugins.s2b2b_orders.services import escalation as escalation_service
from plugins.s2b2b_orders.services import lifecycle, outbox, review
from plugins.s2b2b_orders.services.profiles import save_profile


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _day_start(d):
    return timezone.make_aware(datetime.combine(d, time.min)) if d else None


class SupplierRequired(AccessMixin):
    """Supplier staff only (users of a partner with dashboard access). Others: 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not selectors.is_supplier_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OperatorRequired(AccessMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.is_staff:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OrderListMixin:
    template_name = "s2b2b_orders/order_list.html"
    ops = False

    def get(self, request):
        form = forms.OrderFilterForm(request.GET or None)
        filters = {}
        if form.is_valid():
            data = form.cleaned_data
            filters = {
                "state": data["state"],
                "date_from": _day_start(data["date_from"]),
                "date_to": _day_start(data["date_to"] + timedelta(days=1)) if data["date_to"] else None,
                "search": data["q"].strip(),
            }
        qs = selectors.supplier_orders_for(request.user, **filters)
        page = Paginator(qs, 30).get_page(request.GET.get("page"))
        return self.render(request, form, page)

    def render(self, request, form, page):
        from django.shortcuts import render

        return render(
            request,
            self.template_name,
            {"form": form, "page_obj": page, "orders": page.object_list, "ops": self.ops, "states": State},
        )


class PortalOrderListView(SupplierRequired, OrderListMixin, generic.View):
    pass


class OpsOrderListView(OperatorRequired, OrderListMixin, generic.View):
    ops = True


class OrderDetailMixin:
    template_name = "s2b2b_orders/order_detail.html"
    ops = False

    def get_order(self):
        so = selectors.supplier_order_for(self.request.user, self.kwargs["number"])
        if so is None:
            raise Http404
        return so

    def context(self, so, **forms_):
        ctx = {
            "so": so,
            "ops": self.ops,
            "shipments": selectors.shipments_of(so),
            "reject_form": forms_.get("reject_form") or forms.RejectForm(),
            "ship_form": forms_.get("ship_form") or forms.ShipForm(),
            "reason_form": forms_.get("reason_form") or forms.ReasonForm(),
            "can": {
                "accept": lifecycle.can_transition(so, State.ACCEPTED),
                "reject": lifecycle.can_transition(so, State.REJECTED),
                "ship": lifecycle.can_transition(so, State.SHIPPED),
                "deliver": lifecycle.can_transition(so, State.DELIVERED),
                "complete": lifecycle.can_transition(so, State.COMPLETED),
                "cancel": lifecycle.can_transition(so, State.CANCELLED),
                "reroute": so.state in (State.FORWARDED, State.REJECTED) and not lifecycle.hasattr_replacement(so),
            },
        }
        return ctx

    def get(self, request, number):
        from django.shortcuts import render

        so = self.get_order()
        return render(request, self.template_name, self.context(so))

    def post(self, request, number):
        from django.shortcuts import render

        so = self.get_order()
        action = request.POST.get("action", "")
        via = lifecycle.VIA_BACK_OFFICE if self.ops else lifecycle.VIA_PORTAL
        handlers = self.allowed_actions()
        if action not in handlers:
            raise Http404
        try:
            result = handlers[action](self, so, via)
        except ValidationError as exc:
            form_for = {"reject": "reject_form", "ship": "ship_form", "cancel": "reason_form"}
            if action in form_for and getattr(self, "_form", None) is not None:
                _add_errors(self._form, exc)
                ctx = self.context(so, **{form_for[action]: self._form})
            else:
                for message in exc.messages:
                    messages.error(request, message)
                ctx = self.context(so)
            return render(request, self.template_name, ctx, status=400)
        if isinstance(result, HttpResponse):
            return result
        messages.success(request, _("Supplier order %(number)s: done.") % {"number": so.number})
        return redirect(request.path)

    # actions -----------------------------------------------------------------------------

    def do_accept(self, so, via):
        lifecycle.accept(so, actor=self.request.user, via=via)

    def do_reject(self, so, via):
        self._form = forms.RejectForm(self.request.POST)
        if not self._form.is_valid():
            raise ValidationError({"reason": _("Say why you reject this order.")})
        lifecycle.reject(so, reason=self._form.cleaned_data["reason"], actor=self.request.user, via=via)

    def do_ship(self, so, via):
        self._form = forms.ShipForm(self.request.POST, self.request.FILES)
        if not self._form.is_valid():
            raise ValidationError({})
        data = self._form.cleaned_data
        lifecycle.ship(
            so,
            carrier_code=data["carrier"],
            tracking_numbers=data["tracking_numbers"],
            vouchers=data["vouchers"],
            complete=data["complete"],
            actor=self.request.user,
            via=via,
        )

    def do_deliver(self, so, via):
        lifecycle.transition(so, State.DELIVERED, actor=self.request.user, via=via)

    def do_complete(self, so, via):
        lifecycle.transition(so, State.COMPLETED, actor=self.request.user, via=via)

    def do_cancel(self, so, via):
        self._form = forms.ReasonForm(self.request.POST)
        if not self._form.is_valid():
            raise ValidationError({"reason": _("Say why you cancel this order.")})
        lifecycle.cancel(so, reason=self._form.cleaned_data["reason"], actor=self.request.user, via=via)

    def do_reroute(self, so, via):
        new = escalation_service.reroute(so, actor=self.request.user, note=self.request.POST.get("note", ""))
        messages.success(self.request, _("Re-routed as %(number)s.") % {"number": new.number})
        return redirect("s2b2b-ops-order", number=new.number)


class PortalOrderDetailView(SupplierRequired, OrderDetailMixin, generic.View):
    def allowed_actions(self):
        return {
            "accept": OrderDetailMixin.do_accept,
            "reject": OrderDetailMixin.do_reject,
            "ship": OrderDetailMixin.do_ship,
            "deliver": OrderDetailMixin.do_deliver,
        }


class OpsOrderDetailView(OperatorRequired, OrderDetailMixin, generic.View):
    ops = True

    def allowed_actions(self):
        return {
            "deliver": OrderDetailMixin.do_deliver,
            "complete": OrderDetailMixin.do_complete,
            "cancel": OrderDetailMixin.do_cancel,
            "reroute": OrderDetailMixin.do_reroute,
        }


class PackingSlipView(generic.View):
    """Printable packing slip (PDF), for the supplier who ships it or an operator."""

    def get(self, request, number):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        if not (request.user.is_staff or selectors.is_supplier_staff(request.user)):
            raise PermissionDenied
        so = selectors.supplier_order_for(request.user, number)
        if so is None:
            raise Http404
        from weasyprint import HTML

        html = render_to_string("s2b2b_orders/pdf/packing_slip.html", {"so": so, "now": timezone.now()}, request)
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="packing-slip-{so.number}.pdf"'
        return response


# --- operators: outbox, escalations, profiles, scorecard, review ---------------------------------


class OutboxListView(OperatorRequired, generic.ListView):
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


class OutboxDetailView(OperatorRequired, generic.DetailView):
    template_name = "s2b2b_orders/ops/outbox_detail.html"
    context_object_name = "message"

    def get_queryset(self):
        return selectors.outbox_messages()


class OutboxRedriveView(OperatorRequired, generic.View):
    def post(self, request, pk):
        message = get_object_or_404(OutboxMessage, pk=pk)
        outbox.redrive(message)
        messages.success(request, _("The message will be sent again."))
        return redirect("s2b2b-ops-outbox-detail", pk=pk)


class EscalationListView(OperatorRequired, generic.ListView):
    template_name = "s2b2b_orders/ops/escalations.html"
    context_object_name = "escalations"
    paginate_by = 50

    def get_queryset(self):
        return selectors.escalations(open_only=self.request.GET.get("open") == "1")


class EscalationActionView(OperatorRequired, generic.View):
    def post(self, request, pk):
        esc = get_object_or_404(Escalation, pk=pk)
        action = request.POST.get("action")
        try:
            if action == "reroute":
                new = escalation_service.reroute(
                    esc.supplier_order, actor=request.user, note=request.POST.get("note", "")
                )
                messages.success(request, _("Re-routed as %(number)s.") % {"number": new.number})
            elif action == "dismiss":
                escalation_service.dismiss(esc, actor=request.user, note=request.POST.get("note", ""))
                messages.success(request, _("Escalation dismissed."))
            else:
                raise Http404
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("s2b2b-ops-escalations")


class ProfileListView(OperatorRequired, generic.ListView):
    template_name = "s2b2b_orders/ops/profiles.html"
    context_object_name = "profiles"

    def get_queryset(self):
        return selectors.profiles()


class ProfileEditView(OperatorRequired, generic.View):
    template_name = "s2b2b_orders/ops/profile_form.html"

    def get_instance(self, pk):
        if pk is None:
            return SupplierProfile()
        return get_object_or_404(SupplierProfile, pk=pk)

    def get(self, request, pk=None):
        from django.shortcuts import render

        return render(request, self.template_name, {"form": forms.ProfileForm(instance=self.get_instance(pk))})

    def post(self, request, pk=None):
        from django.shortcuts import render

        form = forms.ProfileForm(request.POST, instance=self.get_instance(pk))
        if form.is_valid():
            try:
                save_profile(form.instance)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Supplier profile saved."))
                return redirect("s2b2b-ops-profiles")
        return render(request, self.template_name, {"form": form}, status=400)


class ScorecardView(OperatorRequired, generic.View):
    def get(self, request):
        from django.shortcuts import render

        form = forms.ScorecardForm(request.GET or None)
        today = timezone.localdate()
        date_from, date_to = today - timedelta(days=90), today
        if form.is_valid():
            date_from = form.cleaned_data["date_from"] or date_from
            date_to = form.cleaned_data["date_to"] or date_to
        rows = selectors.scorecard(_day_start(date_from), _day_start(date_to + timedelta(days=1)))
        return render(
            request,
            "s2b2b_orders/ops/scorecard.html",
            {
                "form": form,
                "rows": rows,
                "date_from": date_from,
                "date_to": date_to,
                "ship_within_hours": int(selectors.SHIP_WITHIN.total_seconds() // 3600),
            },
        )


class ReviewQueueView(OperatorRequired, generic.ListView):
    template_name = "s2b2b_orders/ops/review.html"
    context_object_name = "changes"
    paginate_by = 50

    def get_queryset(self):
        return selectors.review_queue(self.request.GET.get("status", "pending"))


class ReviewActionView(OperatorRequired, generic.View):
    def post(self, request, pk):
        change = get_object_or_404(ProductChange, pk=pk)
        try:
            if request.POST.get("action") == "approve":
                review.approve(change, reviewer=request.user)
                messages.success(request, _("Approved: the storefront shows it now."))
            elif request.POST.get("action") == "reject":
                review.reject(change, reviewer=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, _("Rejected."))
            else:
                raise Http404
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("s2b2b-ops-review")


# --- supplier products ---------------------------------------------------------------------------


class PortalProductListView(SupplierRequired, generic.View):
    def get(self, request):
        from django.shortcuts import render

        products = selectors.products_of_supplier(request.user)
        page = Paginator(products, 50).get_page(request.GET.get("page"))
        return render(request, "s2b2b_orders/portal/products.html", {"page_obj": page, "products": page.object_list})


class PortalProductCreateView(SupplierRequired, generic.View):
    template_name = "s2b2b_orders/portal/product_form.html"

    def get(self, request):
        from django.shortcuts import render

        return render(request, self.template_name, {"form": forms.NewProductForm(), "creating": True})

    def post(self, request):
        from django.shortcuts import render

        form = forms.NewProductForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                review.create_product(
                    partner=selectors.partners_of(request.user).first(),
                    user=request.user,
                    sku=data["sku"],
                    title=data["title"],
                    description=data["description"],
                    price=data["price"],
                    stock=data["stock"],
                    cost=data["cost"],
                    categories=[data["category"]],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Product submitted: it shows in the storefront once approved."))
                return redirect("s2b2b-portal-products")
        return render(request, self.template_name, {"form": form, "creating": True}, status=400)


class PortalProductEditView(SupplierRequired, generic.View):
    template_name = "s2b2b_orders/portal/product_form.html"

    def get_product(self, pk):
        product = selectors.product_of_supplier(self.request.user, pk)
        if product is None:
            raise Http404
        return product

    def _initial(self, product):
        stockrecord = product.stockrecords.all()[0]
        return {
            "sku": product.upc,
            "title": product.title,
            "description": product.description,
            "price": stockrecord.price,
            "stock": stockrecord.num_in_stock,
            "cost": stockrecord.cost,
        }

    def get(self, request, pk):
        from django.shortcuts import render

        product = self.get_product(pk)
        form = forms.ProductChangeForm(initial=self._initial(product))
        return render(request, self.template_name, {"form": form, "product": product})

    def post(self, request, pk):
        from django.shortcuts import render

        product = self.get_product(pk)
        form = forms.ProductChangeForm(request.POST, initial=self._initial(product))
        if form.is_valid():
            data = form.cleaned_data
            partner = product.stockrecords.all()[0].partner
            try:
                review.set_stock(product=product, partner=partner, stock=data["stock"], cost=data["cost"])
                change = review.propose_change(
                    product=product,
                    partner=partner,
                    user=request.user,
                    title=data["title"],
                    description=data["description"],
                    price=data["price"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                if change is not None:
                    messages.success(request, _("Stock saved; the other changes wait for review."))
                else:
                    messages.success(request, _("Stock saved."))
                return redirect("s2b2b-portal-products")
        return render(request, self.template_name, {"form": form, "product": product}, status=400)


class OscarProductEditGate(generic.View):
    """Oscar's own product create/edit pages write live products: operators only. Supplier staff
    are sent to the portal's product pages, where changes wait for review."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_staff:
            from django.contrib.admin.views.decorators import staff_member_required
            from oscar.core.loading import get_class

            view = get_class("dashboard.catalogue.views", "ProductCreateUpdateView").as_view()
            return staff_member_required(view)(request, *args, **kwargs)
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        if not selectors.is_supplier_staff(request.user):
            raise PermissionDenied
        if "pk" in kwargs:
            return redirect("s2b2b-portal-product", pk=kwargs["pk"])
        return redirect("s2b2b-portal-product-create")
