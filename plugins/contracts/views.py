"""Storefront pages of contracts.

我的合同: the contracts ``selectors.visible_contracts`` gives the asker (anything else is a 404,
guessed numbers and revisions included); a contract's page shows its text in a reading pane
(the reading tracker in static/contracts/reading.js records the time spent and whether the end
was reached), the PDF inline, the signing panel (ask for a code bound to the revision shown →
enter it → sign; every refusal of the services is shown and changes nothing), comments that open
negotiation, the approver's 用印审批, downloads of every PDF revision and of the signed evidence
report, and the evidence chain with its check.

企业中心 → 签章授权: the company's admin authorises people to sign (amount cap, end date), revokes
them, and uploads the seal image or uses the generated one.

The verification page is public: by contract number (the platform's stored document) or by
uploading a PDF, it states each signature's checks and explains them.

Evidence (``Origin.of(request)``) is recorded by the services; a view only catches their
``ValidationError`` and shows it. ``codes.CodeRejected`` is caught and answered normally, so the
request's transaction (ATOMIC_REQUESTS) commits the attempt the wrong code cost.
"""

from __future__ import annotations

import base64
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import generic
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from companies.models import CompanyMember
from companies.selectors import can, membership_of, people
from core.dashboard.actions import add_errors
from plugins.contracts import forms, lifecycle, selectors
from plugins.contracts.models import (
    CompanySeal,
    Contract,
    ContractDocument,
    DocumentStage,
    EvidenceEvent,
    EvidenceKind,
    SealGrant,
    SigningCode,
    State,
)
from plugins.contracts.services import codes, documents, evidence, seals, signing
from plugins.contracts.services import contracts as contract_services
from plugins.contracts.services.evidence import Origin

ACTIVE_TAB = "contracts"
#: the verification page records one "verified" event per document and connection in this time
VERIFIED_EVERY_SECONDS = 60


def _page(request, template, status=200, **context):
    return render(request, template, {"active_tab": ACTIVE_TAB, **context}, status=status)


def _is_party(user, contract: Contract) -> bool:
    """Whether ``user`` is an active person of the contract's company (the buyer's side)."""
    membership = membership_of(user)
    return membership is not None and membership.company_id == contract.company_id


def _contract_or_404(request, number: str) -> Contract:
    contract = selectors.contract_for(request.user, number)
    if contract is None:
        raise Http404
    return contract


def _masked(email: str) -> str:
    name, _at, domain = (email or "").partition("@")
    return f"{name[:2]}***@{domain}"


def _show_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# -- 我的合同 -----------------------------------------------------------------------------------


class ContractListView(generic.View):
    template_name = "contracts/storefront/list.html"

    def get(self, request):
        form = forms.ListFilterForm(request.GET or None)
        contracts = selectors.visible_contracts(request.user).order_by("-created_at", "-id")
        if form.is_valid():
            if form.cleaned_data.get("state"):
                contracts = contracts.filter(state=form.cleaned_data["state"])
            if form.cleaned_data.get("kind"):
                contracts = contracts.filter(kind=form.cleaned_data["kind"])
        membership = membership_of(request.user)
        return _page(
            request,
            self.template_name,
            form=form,
            contracts=list(contracts[:200]),
            membership=membership,
            waiting=selectors.visible_contracts(request.user).filter(state__in=lifecycle.SIGNABLE).count(),
        )


class ContractDetailView(generic.View):
    template_name = "contracts/storefront/detail.html"

    def get(self, request, number):
        contract = _contract_or_404(request, number)
        if _is_party(request.user, contract) and documents.current(contract) is not None:
            contract = contract_services.record_view(contract=contract, origin=Origin.of(request))
        return self.show(request, contract)

    @classmethod
    def show(cls, request, contract: Contract, status: int = 200, **forms_):
        user = request.user
        document = documents.current(contract)
        party = _is_party(user, contract)
        signable = (
            contract.state in lifecycle.SIGNABLE and document is not None and document.stage == DocumentStage.PREPARED
        )
        refusal = signing.signing_refusal(contract, user) if (signable and party) else None
        grant = seals.live_grant(contract.company, user) if party else None
        over_cap = bool(
            signable
            and grant is not None
            and grant.amount_cap is not None
            and contract.total > grant.amount_cap
            and contract.seal_approved_at is None
        )
        live_code = None
        if signable and party and refusal is None:
            live_code = (
                SigningCode.objects.filter(
                    contract=contract,
                    user=user,
                    used_at__isnull=True,
                    superseded=False,
                    expires_at__gt=timezone.now(),
                    document_sha256=document.sha256,
                )
                .order_by("-created_at")
                .first()
            )
        sha = document.sha256 if document else ""
        events = list(selectors.evidence_of(contract))
        comments = list(contract.comments.select_related("author"))
        buyers = set(
            CompanyMember.objects.filter(
                company=contract.company, user_id__in=[c.author_id for c in comments]
            ).values_list("user_id", flat=True)
        )
        for row in comments:  # the platform answers as the platform (its people stay unnamed)
            row.from_platform = row.author_id not in buyers
        return _page(
            request,
            cls.template_name,
            status,
            contract=contract,
            document=document,
            revisions=list(contract.documents.order_by("revision")),
            party=party,
            signable=signable,
            refusal=refusal,
            may_sign=signable and party and refusal is None,
            over_cap=over_cap,
            grant=grant,
            may_approve=bool(
                signable
                and party
                and contract.seal_approved_at is None
                and seals.may_approve_seal(user, contract.company)
                and _needs_seal_approval(contract)
            ),
            live_code=live_code,
            code_form=forms_.get("code_form") or forms.CodeForm(initial={"document_sha256": sha}),
            sign_form=forms_.get("sign_form") or forms.SignForm(initial={"document_sha256": sha}),
            comment_form=forms_.get("comment_form") or forms.CommentForm(),
            may_comment=party and contract.state in (State.SENT, State.NEGOTIATING),
            comments=comments,
            events=events,
            chain=evidence.check_chain(contract),
            resend_seconds=_resend_left(contract, user),
        )


def _needs_seal_approval(contract: Contract) -> bool:
    """Whether someone authorised to sign for the company is capped below the contract's total."""
    today = timezone.localdate()
    grants = SealGrant.objects.filter(company=contract.company, revoked_at__isnull=True, amount_cap__lt=contract.total)
    return grants.exclude(expires_on__lt=today).exists()


def _resend_left(contract: Contract, user) -> int:
    last = SigningCode.objects.filter(contract=contract, user=user).order_by("-created_at").first()
    if last is None:
        return 0
    left = settings.CONTRACTS_CODE_RESEND_SECONDS - int((timezone.now() - last.created_at).total_seconds())
    return max(0, left)


class _PartyPost(generic.View):
    """A POST on a contract by a person of its company; anyone else who may see it gets 404."""

    http_method_names = ["post"]

    def post(self, request, number):
        contract = _contract_or_404(request, number)
        if not _is_party(request.user, contract):
            raise Http404
        return self.act(request, contract)

    def back(self, contract: Contract, anchor: str = ""):
        return redirect(reverse("contracts:detail", args=[contract.number]) + anchor)


class ReadingView(_PartyPost):
    """The reading tracker's report (fetch/sendBeacon): seconds on the document since the last
    report and whether its end was reached. Answers with the totals."""

    def act(self, request, contract):
        try:
            seconds = int(request.POST.get("seconds") or 0)
        except ValueError:
            seconds = 0
        reached_end = request.POST.get("reached_end") in ("1", "true", "on")
        if documents.current(contract) is not None and (seconds > 0 or reached_end):
            contract = contract_services.record_view(
                contract=contract, origin=Origin.of(request), seconds=seconds, reached_end=reached_end
            )
        return JsonResponse({"read_seconds": contract.read_seconds, "read_to_end": contract.read_to_end})


class RequestCodeView(_PartyPost):
    def act(self, request, contract):
        form = forms.CodeForm(request.POST)
        if not form.is_valid():
            return ContractDetailView.show(request, contract, 400, code_form=form)
        seconds = form.cleaned_data.get("read_seconds") or 0
        reached_end = bool(form.cleaned_data.get("reached_end")) and not contract.read_to_end
        if seconds or reached_end:  # what the tracker measured since its last report
            contract = contract_services.record_view(
                contract=contract, origin=Origin.of(request), seconds=seconds, reached_end=reached_end
            )
        try:
            with transaction.atomic():
                row = signing.request_code(
                    contract=contract,
                    user=request.user,
                    document_sha256=form.cleaned_data["document_sha256"],
                    origin=Origin.of(request),
                )
        except ValidationError as exc:
            add_errors(form, exc)
            return ContractDetailView.show(request, contract, 400, code_form=form)
        messages.success(
            request,
            _("A 6-digit code was sent to %(email)s. It is valid until %(time)s.")
            % {
                "email": _masked(request.user.email),
                "time": timezone.localtime(row.expires_at).strftime("%H:%M"),
            },
        )
        return self.back(contract, "#sign")


class SignView(_PartyPost):
    def act(self, request, contract):
        form = forms.SignForm(request.POST)
        if not form.is_valid():
            return ContractDetailView.show(request, contract, 400, sign_form=form)
        try:
            contract = signing.sign_as_buyer(
                contract=contract,
                user=request.user,
                code=form.cleaned_data["code"],
                document_sha256=form.cleaned_data["document_sha256"],
                origin=Origin.of(request),
            )
        except codes.CodeRejected as exc:
            # the attempt is saved (and its evidence): answer normally so the request commits
            add_errors(form, exc)
            contract.refresh_from_db()
            return ContractDetailView.show(request, contract, 400, sign_form=form)
        except ValidationError as exc:
            add_errors(form, exc)
            contract.refresh_from_db()
            return ContractDetailView.show(request, contract, 400, sign_form=form)
        messages.success(
            request,
            _("You signed contract %(number)s. The platform countersigns it next; you will find it here.")
            % {"number": contract.number},
        )
        return self.back(contract)


class CommentView(_PartyPost):
    def act(self, request, contract):
        form = forms.CommentForm(request.POST)
        if not form.is_valid():
            return ContractDetailView.show(request, contract, 400, comment_form=form)
        try:
            with transaction.atomic():
                contract_services.comment(
                    contract=contract,
                    by=request.user,
                    body=form.cleaned_data["body"],
                    origin=Origin.of(request),
                    buyer=True,
                )
        except ValidationError as exc:
            add_errors(form, exc)
            return ContractDetailView.show(request, contract, 400, comment_form=form)
        messages.success(
            request, _("Your comment was sent to the platform, which will answer or re-issue the contract.")
        )
        return self.back(contract, "#comments")


class SealApprovalView(_PartyPost):
    """用印审批: the company's approver approves (``action=approve``); a signer above their cap
    asks the approvers for it (``action=request``)."""

    def act(self, request, contract):
        action = request.POST.get("action", "approve")
        try:
            with transaction.atomic():
                if action == "request":
                    if contract.state not in lifecycle.SIGNABLE:
                        raise ValidationError(_("Only a contract waiting for signature needs this approval."))
                    grant = seals.live_grant(contract.company, request.user)
                    over_cap = grant is not None and grant.amount_cap is not None and contract.total > grant.amount_cap
                    if not over_cap or contract.seal_approved_at is not None:
                        raise ValidationError(_("Only a signer whose limit is below the total asks for this approval."))
                    signing.request_seal_approval(contract=contract, user=request.user)
                    done = _("Your company's approvers were asked to approve the use of the seal.")
                else:
                    signing.approve_seal(contract=contract, approver=request.user, origin=Origin.of(request))
                    done = _("You approved the use of the seal: the authorised person can now sign.")
        except ValidationError as exc:
            _show_errors(request, exc)
            return ContractDetailView.show(request, contract, 400)
        messages.success(request, done)
        return self.back(contract, "#sign")


def _pdf_response(data_or_handle, *, filename: str, inline: bool):
    response = FileResponse(data_or_handle, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    return response


@xframe_options_sameorigin
def _document_view(request, number, revision):
    contract = _contract_or_404(request, number)
    document = ContractDocument.objects.filter(contract=contract, revision=revision).first()
    if document is None:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = request.GET.get("inline") == "1"
    if not inline:
        contract_services.record_download(contract=contract, document=document, origin=Origin.of(request))
    return _pdf_response(handle, filename=f"{contract.number}-r{document.revision}.pdf", inline=inline)


class DocumentView(generic.View):
    """One PDF revision: inline for the reading pane (``?inline=1``, framed by this site only), or
    downloaded (recorded in the evidence chain)."""

    http_method_names = ["get", "head"]

    def get(self, request, number, revision):
        return _document_view(request, number, revision)


class EvidenceReportView(generic.View):
    """签署报告: parties, signatures and certificates, every evidence record and the chain check,
    signed by the platform. Downloading it is itself recorded."""

    http_method_names = ["get", "head"]

    def get(self, request, number):
        from plugins.contracts.services.report import evidence_report_pdf

        contract = _contract_or_404(request, number)
        data = evidence_report_pdf(contract)
        evidence.record(
            contract,
            EvidenceKind.DOWNLOADED,
            origin=Origin.of(request),
            document_sha256=documents.sha256(data),
            detail={"evidence_report": True},
        )
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(True, f"{contract.number}-签署报告.pdf")
        response["Cache-Control"] = "private"
        return response


# -- 企业中心 → 签章授权 -------------------------------------------------------------------------


class SignersView(generic.View):
    """Who may sign the company's contracts. Every person of the company sees the list (whom to
    ask); its admins grant, revoke and set the seal image. No company: 404."""

    template_name = "contracts/storefront/signers.html"
    ACTIONS = ("grant", "revoke", "seal-upload", "seal-generate")

    def dispatch(self, request, *args, **kwargs):
        self.membership = membership_of(request.user)
        if self.membership is None:
            raise Http404
        self.company = self.membership.company
        self.is_admin = can(request.user, "manage_people", self.company)
        return super().dispatch(request, *args, **kwargs)

    def members(self):
        return [m for m in people(self.company) if m.is_active]

    def show(self, status=200, grant_form=None, seal_form=None):
        grants = SealGrant.objects.filter(company=self.company).select_related("user", "granted_by", "revoked_by")
        seal = CompanySeal.objects.filter(company=self.company).first()
        seal_data = ""
        if seal is not None and seal.image:
            try:
                with seal.image.open("rb") as handle:
                    seal_data = base64.b64encode(handle.read()).decode()
            except FileNotFoundError:
                seal_data = ""
        today = timezone.localdate()
        rows = list(grants[:200])
        for row in rows:
            row.live = row.revoked_at is None and (row.expires_on is None or row.expires_on >= today)
        return _page(
            self.request,
            self.template_name,
            status,
            active_tab="company",
            company=self.company,
            is_admin=self.is_admin,
            grants=rows,
            seal=seal,
            seal_data=seal_data,
            grant_form=grant_form or forms.GrantForm(members=self.members()),
            seal_form=seal_form or forms.SealForm(),
        )

    def get(self, request):
        return self.show()

    def post(self, request):
        if not self.is_admin:
            raise PermissionDenied
        action = request.POST.get("action", "")
        if action not in self.ACTIONS:
            raise Http404
        return getattr(self, "do_" + action.replace("-", "_"))(request)

    def do_grant(self, request):
        form = forms.GrantForm(request.POST, members=self.members())
        if not form.is_valid():
            return self.show(400, grant_form=form)
        member = CompanyMember.objects.filter(
            company=self.company, user_id=form.cleaned_data["user"], is_active=True
        ).first()
        if member is None:
            form.add_error("user", _("Only an active person of the company can be authorised to sign."))
            return self.show(400, grant_form=form)
        try:
            with transaction.atomic():
                seals.grant(
                    company=self.company,
                    user=member.user,
                    amount_cap=form.cleaned_data.get("amount_cap"),
                    expires_on=form.cleaned_data.get("expires_on"),
                    by=request.user,
                )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.show(400, grant_form=form)
        person = member.user.get_full_name() or member.user.email
        messages.success(request, _("%(person)s may now sign for the company.") % {"person": person})
        return redirect("contracts:signers")

    def do_revoke(self, request):
        try:
            pk = int(request.POST.get("grant") or 0)
        except ValueError:
            raise Http404 from None
        grant = SealGrant.objects.filter(company=self.company, pk=pk, revoked_at__isnull=True).first()
        if grant is None:
            raise Http404
        seals.revoke(grant=grant, by=request.user)
        messages.success(request, _("The signing authorisation was revoked."))
        return redirect("contracts:signers")

    def do_seal_upload(self, request):
        form = forms.SealForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.show(400, seal_form=form)
        try:
            with transaction.atomic():
                seals.upload_seal(company=self.company, upload=form.cleaned_data["image"], by=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.show(400, seal_form=form)
        messages.success(request, _("The seal image is saved; it is stamped on the company's next signatures."))
        return redirect("contracts:signers")

    def do_seal_generate(self, request):
        from plugins.contracts.services.signers import use_generated_seal

        use_generated_seal(company=self.company, by=request.user)
        messages.success(request, _("The generated seal is used for the company's next signatures."))
        return redirect("contracts:signers")


# -- verification (public) ----------------------------------------------------------------------


class VerifyView(generic.View):
    """验签: by contract number (the document as the platform stores it, its latest revision) or
    by uploading a PDF (≤ 20 MB). A number whose contract has no signature yet is answered like an
    unknown number: the page says nothing about contracts that are not signed."""

    template_name = "contracts/storefront/verify.html"

    def get(self, request):
        if "number" in request.GET:
            return self.check(request, forms.VerifyForm(request.GET))
        return self.show(request, forms.VerifyForm())

    def post(self, request):
        return self.check(request, forms.VerifyForm(request.POST, request.FILES))

    def show(self, request, form, status=200, **context):
        from plugins.contracts import verification_text

        return render(
            request,
            self.template_name,
            {
                "form": form,
                "explanations": verification_text.explanations(),
                "private_ca_notice": verification_text.private_ca_notice(),
                **context,
            },
            status=status,
        )

    def check(self, request, form):
        from plugins.contracts import verification_text
        from plugins.contracts.pdf.verify import verify_pdf

        if not form.is_valid():
            return self.show(request, form, 400)
        upload = form.cleaned_data.get("file")
        contract = stored = None
        if upload is not None:
            data = upload.read()
            stored = ContractDocument.objects.select_related("contract").filter(sha256=documents.sha256(data)).first()
            contract = stored.contract if stored is not None else None
        else:
            contract = selectors.by_number(form.cleaned_data["number"])
            stored = documents.current(contract) if contract is not None else None
            if stored is None or stored.stage == DocumentStage.PREPARED:
                form.add_error("number", _("No signed contract has this number."))
                return self.show(request, form, 404)
            data = documents.read(stored)
        result = verify_pdf(data)
        origin = Origin.of(request)
        recent = EvidenceEvent.objects.filter(
            contract=contract,
            kind=EvidenceKind.VERIFIED,
            ip=origin.ip,
            document_sha256=stored.sha256 if stored is not None else "",
            created_at__gte=timezone.now() - timedelta(seconds=VERIFIED_EVERY_SECONDS),
        )
        if stored is not None and not recent.exists():  # a reload is not a new verification
            evidence.record(
                contract,
                EvidenceKind.VERIFIED,
                origin=origin,
                document_sha256=stored.sha256,
                detail={"ok": bool(result.ok), "uploaded": upload is not None},
            )
        return self.show(
            request,
            form,
            200,
            result=result,
            checks=[verification_text.describe(check) for check in result.signatures]
            + [verification_text.describe(stamp, timestamp=True) for stamp in result.timestamps],
            contract=contract,
            stored=stored,
            is_latest=stored is not None and stored.pk == documents.current(stored.contract).pk,
            uploaded=upload is not None,
            sha256=documents.sha256(data),
        )


@require_safe
def root_certificate(request):
    """The platform's root certificate (PEM), to import as trusted in a PDF reader."""
    from plugins.contracts.pdf.pki import root_certificate_pem

    try:
        pem = root_certificate_pem()
    except Exception:  # noqa: BLE001 - no PKI configured: nothing to offer
        raise Http404 from None
    response = HttpResponse(pem, content_type="application/x-pem-file")
    response["Content-Disposition"] = content_disposition_header(True, "platform-root-ca.pem")
    return response
