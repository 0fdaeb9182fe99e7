"""Back office and supplier portal: freight templates (with a live preview), carriers, shipments.

Operators and supplier staff may open these pages (LogisticsConfig.access); operators see
everything, supplier staff only their own partner's templates and shipments (the scoping is in
selectors; an id outside it is a 404)."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic
from oscar.core.loading import get_model

from core.dashboard.actions import DashboardActionView
from core.digits import whole_number
from plugins.logistics import selectors
from plugins.logistics.calculator import FreightError
from plugins.logistics.dashboard import forms
from plugins.logistics.services import shipments as shipment_services
from plugins.logistics.services import templates as template_services

Partner = get_model("partner", "Partner")


def partner_choices(user):
    if selectors.is_operator(user):
        return [("", _("Platform (all suppliers without their own default)"))] + list(
            Partner.objects.order_by("name").values_list("pk", "name")
        )
    return list(Partner.objects.filter(pk__in=selectors.partner_ids_of(user)).values_list("pk", "name"))


class TemplateListView(generic.ListView):
    template_name = "logistics/dashboard/template_list.html"
    context_object_name = "templates"

    def get_queryset(self):
        return selectors.managed_templates(self.request.user)


class TemplateEditView(generic.View):
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

    def context(self, template, form, regions, frees) -> dict:
        return {
            "object": template,
            "products": list(selectors.products_using(template)) if template else [],
            "form": form,
            "regions": regions,
            "frees": frees,
            "preview_form": forms.PreviewForm(initial={"province": "广东省", "quantity": 1}),
        }

    def render(self, template, form, regions, frees, status=200):
        return render(self.request, self.template_name, self.context(template, form, regions, frees), status=status)

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


class TemplateDeleteView(generic.View):
    def post(self, request, pk):
        template = get_object_or_404(selectors.managed_templates(request.user), pk=pk)
        template_services.delete_template(template)
        messages.success(request, _("Freight template “%(name)s” deleted.") % {"name": template.name})
        return redirect("logistics-dashboard:template-list")


MAX_PREVIEW_ITEMS = 20


class TemplatePreviewView(generic.View):
    """Live preview: the editor posts its current (unsaved) values plus the preview items;
    the answer is the fee and which rule applied, or the errors that prevent a quote."""

    def post(self, request):
        form = forms.TemplateForm(request.POST, partner_choices=partner_choices(request.user))
        regions = forms.RegionRuleFormSet(request.POST, prefix="region")
        frees = forms.FreeRuleFormSet(request.POST, prefix="free")
        province = request.POST.get("preview-province", "")
        items = []
        errors = []
        # the editor sends 3 item rows; anything else (text, a 31-digit count) falls back to 3, capped
        count = whole_number(request.POST.get("preview-count", "")) or 3
        for i in range(min(count, MAX_PREVIEW_ITEMS)):
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


class CarrierListView(generic.ListView):
    template_name = "logistics/dashboard/carrier_list.html"
    context_object_name = "carriers"

    def get_queryset(self):
        return selectors.all_carriers() if selectors.is_operator(self.request.user) else selectors.active_carriers()


class ShipmentListView(generic.ListView):
    template_name = "logistics/dashboard/shipment_list.html"
    context_object_name = "shipments"
    paginate_by = 50

    def get_queryset(self):
        return selectors.dashboard_shipments(self.request.user, self.request.GET.get("q", "").strip())


class ShipmentDetailView(DashboardActionView):
    """A shipment's timeline; add a tracking event by hand or a shipping voucher."""

    template_name = "logistics/dashboard/shipment_detail.html"
    actions = ("event", "voucher")
    default_action = "event"
    get = DashboardActionView.get_page

    def get_object(self):
        return get_object_or_404(selectors.dashboard_shipments(self.request.user), pk=self.kwargs["pk"])

    def parcels(self) -> list:
        if not hasattr(self, "_parcels"):
            self._parcels = list(self.object.parcels.all())
        return self._parcels

    def get_context_data(self, **kwargs):
        return {
            "shipment": self.object,
            "event_form": kwargs.get("event_form") or forms.TrackingEventForm(parcels=self.parcels()),
            "voucher_form": kwargs.get("voucher_form") or forms.VoucherForm(),
            "show_vouchers": True,
        }

    def get_success_url(self):
        return reverse("logistics-dashboard:shipment-detail", args=[self.object.pk])

    def do_voucher(self):
        data = self.bind(forms.VoucherForm, "voucher_form")
        try:
            shipment_services.add_voucher(shipment=self.object, upload=data["file"], uploaded_by=self.request.user)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        return _("Voucher added.")

    def do_event(self):
        data = self.bind(forms.TrackingEventForm, "event_form", parcels=self.parcels())
        parcel = next(p for p in self.parcels() if p.pk == data["parcel"])
        shipment_services.add_tracking_event(
            parcel=parcel,
            occurred_at=data["occurred_at"],
            description=data["description"],
            status=data["status"],
            location=data["location"],
            entered_by=self.request.user,
        )
        return _("Tracking event added.")


class TemplateProductsView(DashboardActionView):
    """Name this template on a product (by SKU), or send a product back to its supplier's default;
    a refusal shows the template editor again with the reason."""

    template_name = "logistics/dashboard/template_form.html"
    actions = ("use", "remove")
    default_action = "use"

    def get_object(self):
        return get_object_or_404(selectors.managed_templates(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        editor = TemplateEditView(request=self.request, kwargs=self.kwargs)
        return editor.context(self.object, *editor.forms(self.object))

    def get_success_url(self):
        return reverse("logistics-dashboard:template-edit", args=[self.object.pk])

    def product(self):
        sku = self.request.POST.get("sku", "")
        product = selectors.manageable_product(self.request.user, sku)
        if product is None:
            raise ValidationError(_("No product of yours has the SKU “%(sku)s”.") % {"sku": sku.strip()})
        return product

    def do_remove(self):
        product = self.product()
        template_services.set_product_template(product=product, template=None)
        return _("%(product)s uses its supplier's default template again.") % {"product": product.title}

    def do_use(self):
        product = self.product()
        template_services.set_product_template(product=product, template=self.object)
        return _("%(product)s now uses “%(template)s”.") % {"product": product.title, "template": self.object.name}
