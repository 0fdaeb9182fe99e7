"""Back office (operators only: the default under /dashboard/) for contracts.

The list with filters; a contract's page (parties, money with 人民币大写 and stamp duty, PDF
revisions with their level and SHA-256, the evidence chain with its check, comments and an
answer, and the actions its state allows: issue, resend, re-issue, void, terminate, countersign,
renew); the red-line of its text against its template version; the batch countersignature; new
framework agreements; each company's contract policy. Every write goes through the workflow
services, which check the state and record the evidence (``Origin.of(request)``); a refusal shows
the page again with the reason and changes nothing.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic

from companies.models import Company, CompanyStatus
from companies.selectors import companies_for_operator, find_company
from core.dashboard.actions import DashboardActionView
from core.statemachine import history
from plugins.contracts import lifecycle, selectors
from plugins.contracts.dashboard import forms
from plugins.contracts.lifecycle import MACHINE
from plugins.contracts.models import Contract, EvidenceKind, Kind, Policy, State
from plugins.contracts.redline import redline
from plugins.contracts.services import contracts as contract_services
from plugins.contracts.services import documents, evidence, signing
from plugins.contracts.services.evidence import Origin

#: how each state shows in lists and on the page (Bootstrap badge colours)
BADGES = {
    State.DRAFT: "secondary",
    State.SENT: "info",
    State.NEGOTIATING: "warning",
    State.BUYER_SIGNED: "primary",
    State.COUNTERSIGNED: "primary",
    State.EFFECTIVE: "success",
    State.AMENDED: "success",
    State.RENEWED: "light",
    State.EXPIRED: "light",
    State.TERMINATED: "dark",
    State.VOIDED: "danger",
}

CLOSED = frozenset({State.VOIDED, State.TERMINATED, State.EXPIRED, State.RENEWED})


def badge(state: str) -> str:
    return BADGES.get(state, "secondary")


@contextmanager
def pdf_errors():
    """A PDF that cannot be made or signed (a missing font, an unreachable timestamping service)
    is a refusal to show, not a crash; what the action wrote is rolled back."""
    from plugins.contracts.pdf.fonts import FontMissing
    from plugins.contracts.pdf.signing import SigningFailed

    try:
        yield
    except (FontMissing, SigningFailed) as exc:
        raise ValidationError(str(exc)) from exc


def detail_url(contract: Contract) -> str:
    return reverse("contracts-dashboard:contract-detail", args=[contract.number])


# -- list -------------------------------------------------------------------------------------


class ContractListView(generic.ListView):
    template_name = "contracts/dashboard/contract_list.html"
    context_object_name = "contracts"
    paginate_by = 50

    def get_queryset(self):
        self.form = forms.ContractFilterForm(self.request.GET or None)
        f = self.form.cleaned_data if self.form.is_valid() else {}
        return selectors.operator_contracts(
            state=f.get("state", ""),
            kind=f.get("kind", ""),
            company=(f.get("company") or "").strip(),
            search=(f.get("q") or "").strip(),
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        for contract in ctx["contracts"]:
            contract.badge = badge(contract.state)
        ctx["form"] = self.form
        ctx["awaiting"] = selectors.awaiting_countersignature().count()
        return ctx


# -- one contract -----------------------------------------------------------------------------


def chain_head_seal(contract: Contract, events: list) -> dict | None:
    """The timestamp (or platform signature) taken over the chain head when the contract took
    effect, checked against the record it was taken over."""
    if not contract.chain_head_timestamp:
        return None
    head = next((e for e in events if e.kind == EvidenceKind.EFFECTIVE), None)
    if head is None:
        return {"ok": False, "at": None, "seq": None}
    try:
        from plugins.contracts.pdf.signing import verify_seal

        at = verify_seal(bytes(contract.chain_head_timestamp), bytes.fromhex(head.hash))
    except Exception:  # a token that cannot be read is simply not a valid seal
        at = None
    return {"ok": at is not None, "at": at, "seq": head.seq}


class ContractDetailView(DashboardActionView):
    template_name = "contracts/dashboard/contract_detail.html"
    actions = ("issue", "resend", "reissue", "void", "terminate", "countersign", "renew", "comment")
    get = DashboardActionView.get_page

    def get_object(self):
        return get_object_or_404(selectors.operator_contracts(), number=self.kwargs["number"])

    def get_success_url(self):
        return detail_url(self.object)

    def origin(self) -> Origin:
        return Origin.of(self.request)

    def allowed(self) -> dict:
        c = self.object
        renewal = c.children.filter(kind=Kind.FRAMEWORK).exclude(state=State.VOIDED).first()
        return {
            "issue": c.state == State.DRAFT,
            "reissue": c.state in (State.SENT, State.NEGOTIATING),
            "resend": c.state == State.SENT,
            "void": c.state in lifecycle.VOIDABLE,
            "terminate": c.state in lifecycle.IN_FORCE,
            "countersign": c.state == State.BUYER_SIGNED,
            "renew": c.kind == Kind.FRAMEWORK and c.state in lifecycle.IN_FORCE and renewal is None,
            "comment": c.state not in CLOSED,
            "renewal": renewal,
        }

    def get_context_data(self, **kwargs):
        c = self.object
        snapshot = c.snapshot or {}
        events = list(selectors.evidence_of(c))
        return {
            "contract": c,
            "badge": badge(c.state),
            "buyer": snapshot.get("buyer") or {},
            "seller": snapshot.get("seller") or {},
            "totals": snapshot.get("totals") or {},
            # the snapshot states it at its top level (older contracts may lack the column's copy)
            "uppercase": c.total_uppercase or snapshot.get("total_uppercase", ""),
            "documents": list(c.documents.order_by("revision")),
            "events": events,
            "chain": evidence.check_chain(c),
            "head_seal": chain_head_seal(c, events),
            "comments": c.comments.select_related("author"),
            "history": [
                {"at": h.created_at, "from": MACHINE.label(h.from_state), "to": MACHINE.label(h.to_state), "row": h}
                for h in history(c)
            ],
            "related": list(c.children.order_by("created_at")),
            "policy": contract_services.policy_of(c.company),
            "can": self.allowed(),
            "void_form": kwargs.get("void_form") or forms.ReasonForm(prefix="void"),
            "terminate_form": kwargs.get("terminate_form") or forms.ReasonForm(prefix="terminate"),
            "comment_form": kwargs.get("comment_form") or forms.CommentForm(),
        }

    def do_issue(self):
        with pdf_errors():
            contract_services.issue(contract=self.object, by=self.request.user, origin=self.origin())
        return _("Contract %(number)s was sent for signing.") % {"number": self.object.number}

    def do_reissue(self):
        with pdf_errors():
            contract_services.reissue(contract=self.object, by=self.request.user, origin=self.origin())
        return _("Contract %(number)s was re-issued with the current data and sent again.") % {
            "number": self.object.number
        }

    def do_resend(self):
        contract_services.resend(contract=self.object, by=self.request.user, origin=self.origin())
        return _("The signers of %(number)s were reminded.") % {"number": self.object.number}

    def do_void(self):
        data = self.bind(forms.ReasonForm, "void_form", prefix="void")
        contract_services.void(contract=self.object, by=self.request.user, reason=data["reason"], origin=self.origin())
        return _("Contract %(number)s was voided.") % {"number": self.object.number}

    def do_terminate(self):
        data = self.bind(forms.ReasonForm, "terminate_form", prefix="terminate")
        contract_services.terminate(
            contract=self.object, by=self.request.user, reason=data["reason"], origin=self.origin()
        )
        return _("Contract %(number)s was terminated.") % {"number": self.object.number}

    def do_countersign(self):
        with pdf_errors():
            signing.countersign(contract=self.object, by=self.request.user, origin=self.origin())
        self.object.refresh_from_db()
        return _("Contract %(number)s was countersigned and is %(state)s.") % {
            "number": self.object.number,
            "state": self.object.get_state_display(),
        }

    def do_renew(self):
        with pdf_errors():
            renewal = contract_services.renew(contract=self.object, by=self.request.user, origin=self.origin())
        messages.success(
            self.request,
            _("Renewal %(number)s was drafted; send it for signing from its page.") % {"number": renewal.number},
        )
        return redirect(detail_url(renewal))

    def do_comment(self):
        data = self.bind(forms.CommentForm, "comment_form")
        contract_services.comment(
            contract=self.object, by=self.request.user, body=data["body"], origin=self.origin(), buyer=False
        )
        return _("Your answer was added.")


class ContractRedlineView(generic.TemplateView):
    """The contract's text against the text of the template version it was made from: what the
    snapshot filled in (and anything else that differs) is marked."""

    template_name = "contracts/dashboard/contract_redline.html"

    def get_context_data(self, **kwargs):
        contract = get_object_or_404(selectors.operator_contracts(), number=self.kwargs["number"])
        return {
            "contract": contract,
            "version": contract.template_version,
            "redline": redline(contract.template_version.body, contract.html),
        }


class ContractDocumentView(generic.View):
    """One PDF revision, as stored (the download is recorded in the evidence chain)."""

    def get(self, request, number, revision):
        contract = get_object_or_404(selectors.operator_contracts(), number=number)
        document = get_object_or_404(contract.documents, revision=revision)
        data = documents.read(document)
        contract_services.record_download(contract=contract, document=document, origin=Origin.of(request))
        response = FileResponse(
            iter([data]),
            content_type="application/pdf",
            as_attachment=request.GET.get("inline") != "1",
            filename=f"{contract.number}-r{document.revision}.pdf",
        )
        response["Content-Length"] = str(len(data))
        response["X-Content-SHA256"] = document.sha256
        return response


# -- batch countersignature -------------------------------------------------------------------


class CountersignBatchView(DashboardActionView):
    """Every contract the buyer has signed, oldest first; tick, confirm once, and each is
    countersigned on its own (one that cannot be is reported with its reason, the others go on)."""

    template_name = "contracts/dashboard/countersign_batch.html"
    actions = ("countersign",)
    default_action = "countersign"
    get = DashboardActionView.get_page

    def get_context_data(self, **kwargs):
        waiting = list(selectors.awaiting_countersignature().select_related("order"))
        return {
            "contracts": waiting,
            "form": kwargs.get("form") or forms.CountersignBatchForm(),
            "results": kwargs.get("results"),
        }

    def do_countersign(self):
        data = self.bind(forms.CountersignBatchForm, "form")
        numbers = data["numbers"]
        found = {c.number: c for c in selectors.operator_contracts().filter(number__in=numbers)}
        origin = Origin.of(self.request)
        results = []
        for number in numbers:
            if number not in found:
                results.append({"number": number, "ok": False, "message": _("There is no such contract.")})
                continue
            try:  # one at a time, so a signing failure (e.g. no timestamp) stops only its own
                with pdf_errors():
                    outcome = signing.countersign_batch(contracts=[found[number]], by=self.request.user, origin=origin)
            except ValidationError as exc:
                outcome = signing.BatchResult((), ((number, " ".join(exc.messages)),))
            failed = dict(outcome.failed)
            if number in failed:
                results.append({"number": number, "ok": False, "message": failed[number]})
            else:
                results.append({"number": number, "ok": True, "message": _("Countersigned.")})
        signed = sum(1 for r in results if r["ok"])
        if signed:
            messages.success(self.request, _("%(n)s contracts countersigned.") % {"n": signed})
        if failures := len(results) - signed:
            messages.error(self.request, _("%(n)s contracts could not be countersigned.") % {"n": failures})
        self.bound_form = None
        return self.show(results=results)


# -- framework agreements ---------------------------------------------------------------------


class FrameworkCreateView(DashboardActionView):
    """A framework agreement (框架协议) for one company, drafted and (by default) sent at once."""

    template_name = "contracts/dashboard/framework_form.html"
    actions = ("create",)
    default_action = "create"
    get = DashboardActionView.get_page

    def get_context_data(self, **kwargs):
        initial = {"send": True}
        company = None
        if (pk := self.request.GET.get("company", "")).isdigit():
            company = Company.objects.filter(pk=pk).first()
            if company is not None:
                initial["company"] = company.uscc
        recent = selectors.operator_contracts(kind=Kind.FRAMEWORK)
        if company is not None:
            recent = recent.filter(company=company)
        return {
            "form": kwargs.get("form") or forms.FrameworkForm(initial=initial),
            "company": company,
            "frameworks": recent[:20],
            "months": settings.CONTRACTS_FRAMEWORK_MONTHS,
        }

    def do_create(self):
        data = self.bind(forms.FrameworkForm, "form")
        company = find_company(data["company"])
        if company is None:
            raise ValidationError({"company": _("No company has this credit code or customer code.")})
        if company.status != CompanyStatus.VERIFIED:
            raise ValidationError(
                {
                    "company": _("%(company)s is not verified; agreements are made with verified companies.")
                    % {"company": company.legal_name}
                }
            )
        valid_from = data.get("valid_from")
        if valid_from is not None and valid_from < timezone.localdate():
            raise ValidationError({"valid_from": _("An agreement cannot start in the past.")})
        origin = Origin.of(self.request)
        with pdf_errors():
            contract = contract_services.create_framework(
                company=company, by=self.request.user, valid_from=valid_from, origin=origin
            )
            if data.get("send"):
                contract_services.issue(contract=contract, by=self.request.user, origin=origin)
        messages.success(
            self.request,
            _("Framework agreement %(number)s for %(company)s was made.")
            % {"number": contract.number, "company": company.legal_name},
        )
        return redirect(detail_url(contract))


# -- contract policy --------------------------------------------------------------------------


def _framework_in_force_q():
    today = timezone.localdate()
    return Exists(
        Contract.objects.filter(
            company=OuterRef("pk"),
            kind=Kind.FRAMEWORK,
            state__in=lifecycle.IN_FORCE,
            valid_from__lte=today,
            valid_until__gte=today,
        )
    )


class PolicyListView(generic.ListView):
    """Companies with their contract policy and whether a framework agreement is in force."""

    template_name = "contracts/dashboard/policy_list.html"
    context_object_name = "companies"
    paginate_by = 50

    def get_queryset(self):
        self.form = forms.CompanySearchForm(self.request.GET or None)
        search = self.form.cleaned_data.get("q", "") if self.form.is_valid() else ""
        return (
            companies_for_operator(search=search)
            .select_related("contract_policy")
            .annotate(framework_in_force=_framework_in_force_q())
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        labels = dict(Policy.choices)
        for company in ctx["companies"]:
            policy = getattr(company, "contract_policy", None)  # none yet: the default policy
            company.policy_label = labels[policy.policy if policy else Policy.PER_ORDER]
            company.framework_required = bool(policy and policy.framework_required_for_credit)
        ctx["form"] = self.form
        return ctx


class PolicyEditView(DashboardActionView):
    template_name = "contracts/dashboard/policy_form.html"
    actions = ("save",)
    default_action = "save"
    success_message = ""
    get = DashboardActionView.get_page

    def get_object(self):
        return get_object_or_404(Company, pk=self.kwargs["company_pk"])

    def get_success_url(self):
        return reverse("contracts-dashboard:policy-edit", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        company = self.object
        policy = contract_services.policy_of(company)
        return {
            "company": company,
            "policy": policy,
            "form": kwargs.get("form")
            or forms.PolicyForm(
                initial={
                    "policy": policy.policy,
                    "framework_required_for_credit": policy.framework_required_for_credit,
                }
            ),
            "in_force": contract_services.framework_in_force(company),
            "frameworks": selectors.operator_contracts(kind=Kind.FRAMEWORK).filter(company=company)[:20],
        }

    def do_save(self):
        data = self.bind(forms.PolicyForm, "form")
        contract_services.set_policy(
            company=self.object,
            policy=data["policy"],
            framework_required_for_credit=data["framework_required_for_credit"],
            by=self.request.user,
        )
        return _("The contract policy of %(company)s was saved.") % {"company": self.object.legal_name}
