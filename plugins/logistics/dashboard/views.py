"""Back office and supplier portal: freight templates (with a live preview), carriers, shipments.

Operators see everything; supplier staff only their own partner's templates and shipments
(the scoping is in selectors; an id outside it is a 404)."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import generic
from oscar.core.loading import get_model

from plugins.logistics import selectors
from plugins.logistics.calculator import FreightError
from plugins.logistics.dashboard import forms
from plugins.logistics.services import shipments as shipment_services
from plugins.logistics.services import templates as template_services

Partner = get_model("partner", "Partner")


class DashboardAccessMixin(AccessMixin):
    """Operators and supplier staff (Oscar's partner dashboard access)."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if not (user.is_staff or selectors.partner_ids_of(user)):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def partner_choices(user):
    if selectors.is_operator(user):
        return [("", _("Platform (all suppliers without their own default)"))] + list(
            Partner.objects.order_by("name").values_list("pk", "name")
        )
    return list(Partner.objects.filter(pk__in=selectors.partner_ids_of(user)).values_list("pk", "name"))


class TemplateListView(DashboardAccessMixin, generic.ListView):
    template_name = "logistics/dashboard/template_list.html"
    context_object_name = "templates"

    def get_queryset(self):
        return selectors.managed_templates(self.request.user)


class TemplateEditView(DashboardAccessMixin, generic.View):
    template_name = "logistics/dashboard/template_form.html"

    def get_template(self, pk):
        if pk is None:
            return None
        return get_object_or_404(selectors.managed_templates(self.request.user), pk=pk)

    def forms(self, template=None, data=None):
        initial, region_initial, free_initial = {}, [], []
        if template is not None:
            d = template_services.input_from_template(template)
            initial = {
                "partner": template.partner_id or "",
                "name": d.name,
                "mode": d.mode,
                "is_default": d.is_default,
                "first_unit": d.first_unit.normalize(),
                "first_price": d.first_price,
                "additional_unit": d.additional_unit.normalize(),
                "additional_price": d.additional_price,
                "excluded_provinces": d.excluded_provinces,
            }
            region_initial = [
                {
                    "provinces": r.provinces,
                    "first_unit": r.first_unit.normalize(),
                    "first_price": r.first_price,
                    "additional_unit": r.additional_unit.normalize(),
                    "additional_price": r.additional_price,
                }
                for r in d.region_rules
            ]
            free_initial = [
                {"provinces": f.provinces, "min_amount": f.min_amount or "", "min_quantity": f.min_quantity or ""}
                for f in d.free_rules
            ]
        else:
            initial = {"first_unit": "1", "additional_unit": "1", "mode": "piece"}
        form = forms.TemplateForm(data, initial=initial, partner_choices=partner_choices(self.request.user))
        regions = forms.RegionRuleFormSet(data, initial=region_initial, prefix="region")
        frees = forms.FreeRuleFormSet(data, initial=free_initial, prefix="free")
        return form, regions, frees

    def render(self, template, form, regions, frees, status=200):
        ctx = {
            "object": template,
            "products": list(selectors.products_using(template)) if template else [],
            "form": form,
            "regions": regions,
            "frees": frees,
            "preview_form": forms.PreviewForm(initial={"province": "广东省", "quantity": 1}),
        }
        return render(self.request, self.template_name, ctx, status=status)

    def get(self, request, pk=None):
        template = self.get_template(pk)
        return self.render(template, *self.forms(template))

    def post(self, request, pk=None):
        template = self.get_template(pk)
        form, regions, frees = self.forms(template, request.POST)
        if not (form.is_valid() and regions.is_valid() and frees.is_valid()):
            return self.render(template, form, regions, frees, status=400)
        partner_id = form.cleaned_data["partner"]
        if not selectors.can_manage_partner(request.user, partner_id) or (
            partner_id is None and not selectors.is_operator(request.user)
        ):
            form.add_error("partner", _("You cannot manage this supplier's templates."))
            return self.render(template, form, regions, frees, status=400)
        partner = Partner.objects.get(pk=partner_id) if partner_id else None
        data, region_forms, free_forms = forms.template_input(form, regions, frees)
        try:
            saved = template_services.save_template(partner=partner, data=data, template=template)
        except ValidationError as exc:
            forms.apply_errors(exc, form, region_forms, free_forms)
            return self.render(template, form, regions, frees, status=400)
        messages.success(request, _("Freight template “%(name)s” saved.") % {"name": saved.name})
        return redirect("logistics-dashboard:template-edit", pk=saved.pk)


class TemplateDeleteView(DashboardAccessMixin, generic.View):
    def post(self, request, pk):
        template = get_object_or_404(selectors.managed_templates(request.user), pk=pk)
        template_services.delete_template(template)
        messages.success(request, _("Freight template “%(name)s” deleted.") % {"name": template.name})
        return redirect("logistics-dashboard:template-list")


class TemplatePreviewView(DashboardAccessMixin, generic.View):
    """Live preview: the editor posts its current (unsaved) values plus the preview items;
    the answer is the fee and which rule applied, or the errors that prevent a quote."""

    def post(self, request):
        form = forms.TemplateForm(request.POST, partner_choices=partner_choices(request.user))
        regions = forms.RegionRuleFormSet(request.POST, prefix="region")
        frees = forms.FreeRuleFormSet(request.POST, prefix="free")
        province = request.POST.get("preview-province", "")
        items = []
        errors = []
        for i in range(int(request.POST.get("preview-count", "3") or 3)):
            qty = (request.POST.get(f"preview-{i}-quantity") or "").strip()
            if not qty:
                continue
            item = forms.PreviewForm(
                {
                    "province": province,
                    "quantity": qty,
                    "unit_measure": request.POST.get(f"preview-{i}-measure") or "0",
                    "unit_price": request.POST.get(f"preview-{i}-price") or "0",
                }
            )
            if not item.is_valid():
                errors.extend(f"{k}: {' '.join(v)}" for k, v in item.errors.items())
                continue
            d = item.cleaned_data
            items.append((d["quantity"], d["unit_measure"] or Decimal(0), d["unit_price"] or Decimal(0)))
        if not (form.is_valid() and regions.is_valid() and frees.is_valid()):
            errors.append(_("Complete the template above to see a preview."))
        if not items:
            errors.append(_("Add at least one item with a quantity."))
        if errors:
            return JsonResponse({"ok": False, "errors": errors}, status=400)
        data, _r, _f = forms.template_input(form, regions, frees)
        try:
            spec = template_services.spec_from_input(data)
            result = template_services.preview(spec, province, items)
        except ValidationError as exc:
            return JsonResponse({"ok": False, "errors": exc.messages}, status=400)
        except FreightError as exc:
            return JsonResponse({"ok": False, "errors": [str(exc.message)]}, status=400)
        return JsonResponse({"ok": True, **result})


class CarrierListView(DashboardAccessMixin, generic.ListView):
    template_name = "logistics/dashboard/carrier_list.html"
    context_object_name = "carriers"

    def get_queryset(self):
        return selectors.active_carriers() if not self.request.user.is_staff else selectors.all_carriers()


class ShipmentListView(DashboardAccessMixin, generic.ListView):
    template_name = "logistics/dashboard/shipment_list.html"
    context_object_name = "shipments"
    paginate_by = 50

    def get_queryset(self):
        return selectors.dashboard_shipments(self.request.user, self.request.GET.get("q", "").strip())


class ShipmentDetailView(DashboardAccessMixin, generic.View):
    template_name = "logistics/dashboard/shipment_detail.html"

    def get_shipment(self, pk):
        return get_object_or_404(selectors.dashboard_shipments(self.request.user), pk=pk)

    def render(self, shipment, event_form=None, voucher_form=None, status=200):
        parcels = list(shipment.parcels.all())
        ctx = {
            "shipment": shipment,
            "event_form": event_form or forms.TrackingEventForm(parcels=parcels),
            "voucher_form": voucher_form or forms.VoucherForm(),
            "show_vouchers": True,
        }
        return render(self.request, self.template_name, ctx, status=status)

    def get(self, request, pk):
        return self.render(self.get_shipment(pk))

    def post(self, request, pk):
        shipment = self.get_shipment(pk)
        parcels = list(shipment.parcels.all())
        if request.POST.get("action") == "voucher":
            voucher_form = forms.VoucherForm(request.POST, request.FILES)
            if voucher_form.is_valid():
                try:
                    shipment_services.add_voucher(
                        shipment=shipment, upload=voucher_form.cleaned_data["file"], uploaded_by=request.user
                    )
                except ValidationError as exc:
                    for message in exc.messages:
                        voucher_form.add_error("file", message)
            if voucher_form.errors:
                return self.render(shipment, voucher_form=voucher_form, status=400)
            messages.success(request, _("Voucher added."))
            return redirect("logistics-dashboard:shipment-detail", pk=shipment.pk)
        event_form = forms.TrackingEventForm(request.POST, parcels=parcels)
        if event_form.is_valid():
            d = event_form.cleaned_data
            parcel = next(p for p in parcels if p.pk == d["parcel"])
            try:
                shipment_services.add_tracking_event(
                    parcel=parcel,
                    occurred_at=d["occurred_at"],
                    description=d["description"],
                    status=d["status"],
                    location=d["location"],
                    entered_by=request.user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for message in errors:
                        event_form.add_error(field if field in event_form.fields else None, message)
        if event_form.errors:
            return self.render(shipment, event_form=event_form, status=400)
        messages.success(request, _("Tracking event added."))
        return redirect("logistics-dashboard:shipment-detail", pk=shipment.pk)


class TemplateProductsView(DashboardAccessMixin, generic.View):
    """Name this template on a product (by SKU), or send a product back to its supplier's default."""

    def post(self, request, pk):
        template = get_object_or_404(selectors.managed_templates(request.user), pk=pk)
        target = redirect("logistics-dashboard:template-edit", pk=template.pk)
        sku = request.POST.get("sku", "")
        product = selectors.manageable_product(request.user, sku)
        if product is None:
            messages.error(request, _("No product of yours has the SKU “%(sku)s”.") % {"sku": sku.strip()})
            return target
        if request.POST.get("action") == "remove":
            template_services.set_product_template(product=product, template=None)
            messages.success(
                request, _("%(product)s uses its supplier's default template again.") % {"product": product.title}
            )
            return target
        try:
            template_services.set_product_template(product=product, template=template)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return target
        messages.success(
            request, _("%(product)s now uses “%(template)s”.") % {"product": product.title, "template": template.name}
        )
        return target
