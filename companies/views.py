"""Storefront 企业中心: the company's profile and verification state, its people and roles (the
admin adds people, changes roles, deactivates and reactivates them), the registration (企业认证)
and the licence download. Every page asks the selectors, scoped to the asking user."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic
from django.views.decorators.http import require_safe
from oscar.core.loading import get_class

from companies import forms, selectors
from companies import licence as licence_check
from companies.models import CompanyMember, CompanyStatus, Role
from companies.services import addresses, invitations, people, registration
from core.auth_backends import CREDENTIALS_BACKEND
from core.dashboard.actions import add_errors

EmailUserCreationForm = get_class("customer.forms", "EmailUserCreationForm")


def _page(request, template, status=200, **context):
    return render(request, template, {"active_tab": "company", **context}, status=status)


class MyCompanyView(generic.View):
    template_name = "companies/storefront/company.html"

    def get(self, request):
        return self.show(request)

    def show(self, request, status=200, **forms_):
        membership = selectors.membership_of(request.user)
        context = {
            "membership": membership,
            "deactivated": membership is None and CompanyMember.objects.filter(user=request.user).exists(),
        }
        if membership is not None:
            company = membership.company
            is_admin = selectors.can(request.user, "manage_people", company)
            context.update(
                company=company,
                is_admin=is_admin,
                history=selectors.status_history(company) if is_admin else [],
                members=selectors.people(company) if is_admin else [],
                add_form=forms_.get("add_form") or forms.AddMemberForm(),
                invite_form=forms_.get("invite_form") or forms.InviteForm(),
                invitations=selectors.pending_invitations(request.user) if is_admin else [],
                shared_addresses=selectors.company_addresses(request.user),
                role_choices=Role.choices,
                may_order_on_account=selectors.may_order_on_account(request.user),
                sees_company_orders=selectors.sees_company_orders(request.user),
                may_see_rules=selectors.can(request.user, "view_approval_rules", company),
            )
        return _page(request, self.template_name, status, **context)


def _details(cleaned: dict) -> dict:
    return {name: cleaned.get(name) for name in registration.FIELDS}


class RegisterView(generic.View):
    """Register a company (企业认证); a rejected company's admin corrects it here and re-applies."""

    template_name = "companies/storefront/register.html"

    def dispatch(self, request, *args, **kwargs):
        self.membership = selectors.membership_of(request.user)
        self.correcting = None
        if self.membership is not None:
            company = self.membership.company
            if company.status != CompanyStatus.REJECTED or not selectors.can(request.user, "reapply", company):
                return redirect("companies:mine")
            self.correcting = company
        elif CompanyMember.objects.filter(user=request.user).exists():
            messages.error(request, _("Your account was deactivated by your company's administrator."))
            return redirect("companies:mine")
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None, files=None):
        if self.correcting is None:
            return forms.RegistrationForm(data, files)
        c = self.correcting
        initial = {name: getattr(c, name) for name in registration.FIELDS}
        return forms.CompanyForm(data, files, initial=initial, licence_required=False)

    def show(self, form, status=200):
        return _page(
            self.request,
            self.template_name,
            status,
            form=form,
            correcting=self.correcting,
            terms_version=settings.USER_AGREEMENT_VERSION,
            privacy_version=settings.PRIVACY_POLICY_VERSION,
        )

    def get(self, request):
        return self.show(self.form())

    def post(self, request):
        form = self.form(request.POST, request.FILES)
        if not form.is_valid():
            return self.show(form, 400)
        data = form.cleaned_data
        try:
            if self.correcting is None:
                registration.register(
                    user=request.user,
                    details=_details(data),
                    licence=data.get("licence"),
                    consented=bool(data.get("consent")),
                )
                messages.success(request, _("Your company is registered and waits for verification."))
            else:
                registration.correct_and_reapply(
                    company=self.correcting, user=request.user, details=_details(data), licence=data.get("licence")
                )
                messages.success(request, _("Your corrected application waits for verification again."))
        except ValidationError as exc:
            add_errors(form, exc)
            return self.show(form, 400)
        return redirect("companies:mine")


class SignUpView(generic.View):
    """A new user's account and company application in one step (anonymous visitors only; a
    signed-in user registers the company from the company centre)."""

    template_name = "companies/storefront/signup.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("companies:register")
        return super().dispatch(request, *args, **kwargs)

    def show(self, account_form, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "account_form": account_form,
                "form": form,
                "terms_version": settings.USER_AGREEMENT_VERSION,
                "privacy_version": settings.PRIVACY_POLICY_VERSION,
            },
            status=status,
        )

    def get(self, request):
        return self.show(EmailUserCreationForm(), forms.RegistrationForm())

    def post(self, request):
        account_form = EmailUserCreationForm(request.POST)
        form = forms.RegistrationForm(request.POST, request.FILES)
        valid = account_form.is_valid()
        valid = form.is_valid() and valid
        if not valid:
            return self.show(account_form, form, 400)
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = account_form.save()
                registration.register(
                    user=user, details=_details(data), licence=data.get("licence"), consented=bool(data.get("consent"))
                )
        except ValidationError as exc:
            add_errors(form, exc)
            return self.show(account_form, form, 400)
        login(request, user, backend=CREDENTIALS_BACKEND)
        messages.success(request, _("Your company is registered and waits for verification."))
        return redirect("companies:mine")


class _PeopleView(generic.View):
    """A POST by the company's admin on its people; anyone else is refused."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        membership = selectors.membership_of(request.user)
        if membership is None or not selectors.can(request.user, "manage_people", membership.company):
            raise PermissionDenied
        self.company = membership.company
        return self.act(request, *args, **kwargs)

    def failed(self, exc: ValidationError, form=None):
        if form is not None:
            add_errors(form, exc)
            return MyCompanyView().show(self.request, 400, add_form=form)
        for message in exc.messages:
            messages.error(self.request, message)
        return MyCompanyView().show(self.request, 400)


class AddMemberView(_PeopleView):
    def act(self, request):
        form = forms.AddMemberForm(request.POST)
        if not form.is_valid():
            return MyCompanyView().show(request, 400, add_form=form)
        try:
            user = people.find_user(form.cleaned_data["email"])
            people.add_member(company=self.company, user=user, role=form.cleaned_data["role"], by=request.user)
        except ValidationError as exc:
            return self.failed(exc, form)
        messages.success(request, _("%(person)s was added.") % {"person": user.email})
        return redirect("companies:mine")


class MemberActionView(_PeopleView):
    ACTIONS = ("role", "deactivate", "reactivate")

    def act(self, request, pk, action):
        member = selectors.people(self.company).filter(pk=pk).first()
        if member is None or action not in self.ACTIONS:
            raise Http404
        try:
            if action == "role":
                role = request.POST.get("role", "")
                people.change_role(member=member, role=role, by=request.user)
            elif action == "deactivate":
                member = people.deactivate(member=member, by=request.user, reason=request.POST.get("reason", ""))
            else:
                people.reactivate(member=member, by=request.user)
        except ValidationError as exc:
            return self.failed(exc)
        messages.success(request, _("Saved."))
        for sentence in getattr(member, "handed_over", []) if action == "deactivate" else []:
            messages.info(request, sentence)
        return redirect(reverse("companies:mine") + "#people")


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


class InviteView(_PeopleView):
    """The admin invites a person by e-mail with a role (the link goes out by e-mail)."""

    def act(self, request):
        form = forms.InviteForm(request.POST)
        if not form.is_valid():
            return MyCompanyView().show(request, 400, invite_form=form)
        try:
            sent = invitations.invite(
                company=self.company,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
                base_url=_base_url(request),
            )
        except ValidationError as exc:
            add_errors(form, exc)
            return MyCompanyView().show(request, 400, invite_form=form)
        message = (
            _("A new invitation was sent to %(email)s; the previous link no longer works.")
            if sent.replaced
            else _("An invitation was sent to %(email)s.")
        )
        messages.success(request, message % {"email": sent.invitation.email})
        return redirect(reverse("companies:mine") + "#invitations")


class InvitationActionView(_PeopleView):
    ACTIONS = ("resend", "revoke")

    def act(self, request, pk, action):
        invitation = selectors.own_invitations(request.user).filter(pk=pk).first()
        if invitation is None or action not in self.ACTIONS:
            raise Http404
        try:
            if action == "resend":
                invitations.resend(invitation=invitation, by=request.user, base_url=_base_url(request))
                messages.success(
                    request,
                    _("The invitation was sent again to %(email)s; the previous link no longer works.")
                    % {"email": invitation.email},
                )
            else:
                invitations.revoke(invitation=invitation, by=request.user)
                messages.success(request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email})
        except ValidationError as exc:
            return self.failed(exc)
        return redirect(reverse("companies:mine") + "#invitations")


class InvitationView(generic.View):
    """The link of an invitation e-mail. Signed in: confirm and join. A visitor: sign up with the
    invited address (mobile number, consent) and join in one step, or sign in first."""

    template_name = "companies/storefront/invitation.html"

    def show(self, status=200, error=None, account_form=None, form=None):
        invitation, user = self.invitation, self.request.user
        if error is None and invitation is not None:
            error = invitations.problem(invitation, user)
        context = {
            "invitation": invitation,
            "error": error.messages[0] if error is not None else "",
            "error_code": getattr(error, "code", "") if error is not None else "",
            "token": self.kwargs["token"],
            "terms_version": settings.USER_AGREEMENT_VERSION,
            "privacy_version": settings.PRIVACY_POLICY_VERSION,
        }
        if invitation is not None and not user.is_authenticated:
            context["account_form"] = account_form or EmailUserCreationForm(initial={"email": invitation.email})
            context["form"] = form or forms.InvitationSignUpForm()
        return render(self.request, self.template_name, context, status=status)

    def dispatch(self, request, *args, **kwargs):
        self.invitation = invitations.find(kwargs["token"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, token):
        if self.invitation is None:
            return self.show(404, invitations.unknown_error())
        return self.show()

    def post(self, request, token):
        if self.invitation is None:
            return self.show(404, invitations.unknown_error())
        if request.user.is_authenticated:
            try:
                member = invitations.accept(token=token, user=request.user)
            except ValidationError as exc:
                return self.show(400, exc)
            messages.success(
                request,
                _("You joined %(company)s as %(role)s.")
                % {"company": member.company.legal_name, "role": member.get_role_display()},
            )
            return redirect("companies:mine")
        account_form = EmailUserCreationForm(request.POST)
        form = forms.InvitationSignUpForm(request.POST)
        valid = account_form.is_valid()
        valid = form.is_valid() and valid
        if not valid:
            return self.show(400, account_form=account_form, form=form)
        try:
            user, member = invitations.sign_up_and_accept(
                token=token,
                account_form=account_form,
                mobile=form.cleaned_data["mobile"],
                consented=bool(form.cleaned_data["consent"]),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    target = account_form if field == "email" else form
                    for error in errors:
                        target.add_error(field, error)
                return self.show(400, account_form=account_form, form=form)
            return self.show(400, exc, account_form=account_form, form=form)
        login(request, user, backend=CREDENTIALS_BACKEND)
        messages.success(
            request,
            _("Welcome: you joined %(company)s as %(role)s.")
            % {"company": member.company.legal_name, "role": member.get_role_display()},
        )
        return redirect("companies:mine")


class _AddressAdminView(generic.View):
    """The shared address book's pages: the company's admins only (anyone else: 403); another
    company's address is a 404, as a missing one."""

    def dispatch(self, request, *args, **kwargs):
        membership = selectors.membership_of(request.user)
        if membership is None or not selectors.can(request.user, "manage_addresses", membership.company):
            raise PermissionDenied
        self.company = membership.company
        return super().dispatch(request, *args, **kwargs)

    def address(self, pk):
        address = selectors.own_addresses(self.request.user).filter(pk=pk).first()
        if address is None:
            raise Http404
        return address

    def show(self, form, status=200, editing=None):
        return _page(
            self.request,
            "companies/storefront/addresses.html",
            status,
            company=self.company,
            addresses=selectors.own_addresses(self.request.user),
            form=form,
            editing=editing,
        )


def _address_details(form) -> dict:
    return {name: form.cleaned_data.get(name) for name in addresses.FIELDS}


class AddressListView(_AddressAdminView):
    def get(self, request):
        return self.show(forms.AddressForm())

    def post(self, request):
        form = forms.AddressForm(request.POST)
        if not form.is_valid():
            return self.show(form, 400)
        try:
            addresses.create(company=self.company, details=_address_details(form), by=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.show(form, 400)
        messages.success(request, _("The address was added to the company's address book."))
        return redirect("companies:addresses")


class AddressEditView(_AddressAdminView):
    def get(self, request, pk):
        address = self.address(pk)
        initial = {name: getattr(address, name) for name in addresses.FIELDS}
        return self.show(forms.AddressForm(initial=initial), editing=address)

    def post(self, request, pk):
        address = self.address(pk)
        form = forms.AddressForm(request.POST)
        if not form.is_valid():
            return self.show(form, 400, editing=address)
        try:
            addresses.update(address=address, details=_address_details(form), by=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
            return self.show(form, 400, editing=address)
        messages.success(request, _("Saved."))
        return redirect("companies:addresses")


class AddressDeleteView(_AddressAdminView):
    http_method_names = ["post"]

    def post(self, request, pk):
        addresses.delete(address=self.address(pk), by=request.user)
        messages.success(request, _("The address was deleted."))
        return redirect("companies:addresses")


@require_safe
def licence_download(request, pk):
    """A company's business licence, for operators and the company's admins; anyone else gets
    the 404 a missing licence gets. Served with the type its bytes say, never its name's."""
    company = selectors.licence_company(request.user, pk)
    if company is None:
        raise Http404
    try:
        handle = company.licence.storage.open(company.licence.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    kind = licence_check.content_type(handle.read(12))
    handle.seek(0)
    response = FileResponse(
        handle,
        content_type=kind or "application/octet-stream",
        as_attachment=kind is None,
        filename=company.licence_filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    return response
