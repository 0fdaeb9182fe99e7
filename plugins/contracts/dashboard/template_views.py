"""Back office: the contract template editor (operators only — a route under /dashboard/ without
an access rule is for operators, core.urlaccess).

Templates and their versions; a new version starts from the latest text (or the one asked for);
a draft is edited with the clause check shown beside it; a preview renders a version against a
sample snapshot (or, for a sales contract, against a real order) in a sandboxed frame; publishing
lists every missing clause and changes nothing when one is missing; two versions compare as a
red-line. Writes go through plugins.contracts.services.templates.
"""

from __future__ import annotations

from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import generic
from oscar.core.loading import get_model

from core.dashboard.actions import DashboardActionView
from plugins.contracts import clauses, redline, rendering, samples
from plugins.contracts.dashboard import template_forms as forms
from plugins.contracts.models import ContractTemplate, TemplateState, TemplateVersion
from plugins.contracts.services import templates as services

NS = "contracts-dashboard"


def versions_of(template):
    return template.versions.select_related("created_by", "published_by").order_by("-number")


class TemplateListView(DashboardActionView):
    """Every template with its published version; installs the standard texts where a kind has none."""

    template_name = "contracts/dashboard/template_list.html"
    actions = ("install-defaults",)
    default_action = "install-defaults"
    get = DashboardActionView.get_page

    def get_context_data(self, **kwargs):
        templates = list(ContractTemplate.objects.prefetch_related("versions").order_by("kind", "name"))
        for template in templates:
            versions = sorted(template.versions.all(), key=lambda v: -v.number)
            template.published = next((v for v in versions if v.state == TemplateState.PUBLISHED), None)
            template.drafts = sum(1 for v in versions if v.state == TemplateState.DRAFT)
            template.latest = versions[0] if versions else None
        kinds = {t.kind for t in templates}
        return {"templates": templates, "defaults_missing": kinds != set(services.DEFAULT_NAMES), **kwargs}

    def do_install_defaults(self):
        services.ensure_default_templates(by=self.request.user)
        return _("The standard contract templates are installed.")

    def get_success_url(self):
        return reverse(f"{NS}:template-list")


class TemplateDetailView(generic.TemplateView):
    template_name = "contracts/dashboard/template_detail.html"

    def get_context_data(self, **kwargs):
        template = get_object_or_404(ContractTemplate, pk=self.kwargs["pk"])
        versions = list(versions_of(template))
        compare = forms.CompareForm(
            versions=versions,
            initial={"a": versions[1].pk if len(versions) > 1 else None, "b": versions[0].pk if versions else None},
        )
        return {"object": template, "versions": versions, "compare_form": compare, **kwargs}


def clause_report(kind: str, body: str) -> list[str]:
    """Everything that stops a text from being published (missing clauses, forum, render errors)."""
    return services.problems(kind, body)


class VersionCreateView(DashboardActionView):
    """A new draft: prefilled with the latest version's text (or ``?from=<version id>``)."""

    template_name = "contracts/dashboard/template_version_form.html"
    actions = ("create",)
    default_action = "create"

    def get_object(self):
        return get_object_or_404(ContractTemplate, pk=self.kwargs["pk"])

    def source(self):
        versions = self.object.versions.all()
        wanted = self.request.GET.get("from", "")
        if wanted.isdigit():
            return get_object_or_404(versions, pk=int(wanted))
        return versions.order_by("-number").first()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        source = self.source()
        body = source.body if source else services.default_body(self.object.kind)
        notes = _("Based on v%(number)s") % {"number": source.number} if source else ""
        return self.show(form=forms.VersionForm(initial={"body": body, "notes": notes}), source=source)

    def get_context_data(self, **kwargs):
        form = kwargs.get("form")
        body = form["body"].value() if form is not None else ""
        return {
            "template": self.object,
            "version": None,
            "problems": clause_report(self.object.kind, body or ""),
            "clause_list": clauses.mandatory(self.object.kind),
            **kwargs,
        }

    def do_create(self):
        data = self.bind(forms.VersionForm, "form")
        self.created = services.create_version(
            template=self.object, body=data["body"], notes=data["notes"], by=self.request.user
        )
        return _("Version %(number)s saved as a draft.") % {"number": self.created.number}

    def get_success_url(self):
        return reverse(f"{NS}:version-edit", args=[self.created.pk])


class VersionEditView(DashboardActionView):
    """A version: a draft is edited (and can be published); a published or retired one is shown."""

    template_name = "contracts/dashboard/template_version_form.html"
    actions = ("save",)
    default_action = "save"

    def get_object(self):
        return get_object_or_404(TemplateVersion.objects.select_related("template"), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.show(form=forms.VersionForm(initial={"body": self.object.body, "notes": self.object.notes}))

    def get_context_data(self, **kwargs):
        version = self.object
        form = kwargs.get("form") or forms.VersionForm(initial={"body": version.body, "notes": version.notes})
        body = form["body"].value() or ""
        return {
            "template": version.template,
            "version": version,
            "editable": version.state == TemplateState.DRAFT,
            "problems": clause_report(version.template.kind, body),
            "clause_list": clauses.mandatory(version.template.kind),
            **kwargs,
            "form": form,
        }

    def do_save(self):
        data = self.bind(forms.VersionForm, "form")
        services.update_draft(version=self.object, body=data["body"], notes=data["notes"], by=self.request.user)
        return _("Version %(number)s saved.") % {"number": self.object.number}

    def get_success_url(self):
        return reverse(f"{NS}:version-edit", args=[self.object.pk])


class VersionPublishView(VersionEditView):
    """POST: publish the draft. Refused: the version's page again (400) with every problem listed."""

    actions = ("publish",)
    default_action = "publish"

    def get(self, request, *args, **kwargs):
        return redirect(f"{NS}:version-edit", pk=kwargs["pk"])

    def do_publish(self):
        services.publish(version=self.object, by=self.request.user)
        return _("Version %(number)s is published; new contracts of this kind use it.") % {"number": self.object.number}

    def action_failed(self, exc):
        if exc is not None:
            for message in exc.messages:
                messages.error(self.request, message)
        return self.show(status=400, publish_errors=exc.messages if exc is not None else [])


Order = get_model("order", "Order")


#: the preview frame's document (a sandboxed iframe's srcdoc: no script runs, the page's styles
#: do not leak in); the PDF engine uses its own page styles
FRAME = (
    '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><style>'
    'body{{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC",sans-serif;'
    "max-width:180mm;margin:10mm auto;}}</style></head><body>{body}</body></html>"
)


# the sandboxed frame (srcdoc) inherits this page's Content-Security-Policy: the contract's own
# <style> (written by operators in the template, as for the PDF) may apply there; scripts stay off
@method_decorator(csp_update({"style-src": ["'unsafe-inline'"]}), name="dispatch")
class VersionPreviewView(generic.TemplateView):
    """The version rendered against the sample snapshot of its kind, or (a sales contract) against
    the order ``?order=<number>``; shown in a sandboxed frame."""

    template_name = "contracts/dashboard/template_preview.html"

    def get_context_data(self, **kwargs):
        from plugins.contracts import snapshot

        version = get_object_or_404(TemplateVersion.objects.select_related("template"), pk=self.kwargs["pk"])
        kind = version.template.kind
        number = self.request.GET.get("order", "").strip()
        error, html, source = "", "", _("sample data")
        try:
            if number and kind == "sales":
                order = Order.objects.filter(number=number).select_related("company", "shipping_address").first()
                if order is None:
                    raise ValidationError(_("There is no order %(number)s.") % {"number": number})
                data = snapshot.sales_snapshot(order, number=_("(assigned when the contract is made)"))
                source = _("order %(number)s") % {"number": number}
            else:
                data = samples.sample_snapshot(kind)
            html = rendering.render_body(version, data)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        return {
            "template": version.template,
            "version": version,
            "html": html,
            "frame_document": FRAME.format(body=html) if html else "",
            "error": error,
            "source": source,
            "order_number": number,
            "problems": clauses.missing(kind, version.body),
            **kwargs,
        }


class VersionCompareView(generic.TemplateView):
    """Red-line of two versions of one template (``?a=<older id>&b=<newer id>&mode=text|source``)."""

    template_name = "contracts/dashboard/template_compare.html"

    def get_context_data(self, **kwargs):
        template = get_object_or_404(ContractTemplate, pk=self.kwargs["pk"])
        versions = list(versions_of(template))
        form = forms.CompareForm(self.request.GET or None, versions=versions)
        context = {"object": template, "form": form, "redline": None, **kwargs}
        if form.is_bound and form.is_valid():
            by_pk = {v.pk: v for v in versions}
            a, b = by_pk[form.cleaned_data["a"]], by_pk[form.cleaned_data["b"]]
            mode = form.cleaned_data.get("mode") or "text"
            old, new = a.body, b.body
            if mode == "text":
                sample = samples.sample_snapshot(template.kind)
                try:
                    old, new = rendering.render_body(a, sample), rendering.render_body(b, sample)
                except ValidationError as exc:
                    context["error"] = " ".join(exc.messages)
                    old, new = a.body, b.body
            else:
                old, new = redline.escape_source(a.body), redline.escape_source(b.body)
            context.update(a=a, b=b, mode=mode, redline=redline.redline(old, new), changed=redline.changed(old, new))
        return context
