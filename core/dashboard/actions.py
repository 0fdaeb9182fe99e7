"""The dashboard action base: a back-office page whose buttons POST an ``action``.

    class SupplierOrderPage(DashboardActionView):
        template_name = "s2b2b_orders/order_detail.html"
        actions = ("accept", "reject")                    # what may be POSTed here
        action_parties = {"reject": (OPERATOR,)}          # optional: who may do one of them

        def get_object(self):                             # scoped to the asker, 404 otherwise
            ...
        def get_context_data(self, **kwargs):             # the page, with any bound form
            ...
        def do_reject(self):
            data = self.bind(forms.RejectForm, "reject_form")
            lifecycle.reject(self.object, reason=data["reason"], actor=self.request.user)

A POST looks the object up first (so a guessed id is a 404 whatever the action), then runs
``do_<action>`` inside a savepoint. Bad input — an invalid form (``bind``) or a
ValidationError from a service — rolls the savepoint back, puts each message on the bound
form's field (or the form, or the page's messages when no form is bound) and shows the page
again with status 400. Success: ``success_message`` (or what the handler returns as a string)
and a redirect to ``get_success_url()``; a handler may also return its own response. An
action not in ``actions`` is a 400; an action outside ``action_parties`` gets the platform's
one denial response (core.urlaccess.deny). Who may open the page at all is declared on the
AppConfig (``access``), not here.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import generic

from core.access import party_of


class _FormInvalid(Exception):
    pass


def add_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a ValidationError's messages on the form: by field where the form has that field,
    on the form as a whole otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class DashboardActionView(generic.View):
    #: The actions this page accepts; each runs the method ``do_<action>``.
    actions: tuple[str, ...] = ()
    #: The action of a POST that names none (a page with one main form).
    default_action: str | None = None
    #: action → parties allowed to run it, for actions narrower than the page itself.
    action_parties: dict[str, tuple[str, ...]] = {}
    #: The page shown again (status 400) when an action fails.
    template_name: str | None = None
    success_message = _("Done.")

    object = None
    bound_form: forms.BaseForm | None = None
    bound_form_name: str | None = None

    # --- what a page provides -----------------------------------------------------------------

    def get_object(self):
        return None

    def get_context_data(self, **kwargs) -> dict:
        return {"object": self.object, **kwargs}

    def get_success_url(self) -> str:
        return self.request.get_full_path()

    def get_success_message(self) -> str:
        return str(self.success_message)

    def get_action(self) -> str:
        """The action asked for: the POSTed ``action`` (or ``default_action``)."""
        return self.request.POST.get("action") or self.default_action or ""

    # --- helpers for pages and handlers -------------------------------------------------------

    def show(self, status: int = 200, **context) -> HttpResponse:
        return render(self.request, self.template_name, self.get_context_data(**context), status=status)

    def get_page(self, request, *args, **kwargs) -> HttpResponse:
        """A page's GET: the object, then the page (subclasses that are pages set ``get = get_page``)."""
        self.object = self.get_object()
        return self.show()

    def bind(self, form_class, name: str | None = None, **kwargs) -> dict:
        """Bind ``form_class`` to the POST (and files); return its cleaned data, or fail the
        action with the form's errors. ``name`` is its context name when the page is shown again."""
        form = form_class(self.request.POST, self.request.FILES or None, **kwargs)
        self.bound_form, self.bound_form_name = form, name
        if not form.is_valid():
            raise _FormInvalid
        return form.cleaned_data

    # --- the POST -----------------------------------------------------------------------------

    def post(self, request, *args, **kwargs):
        from core import urlaccess

        self.object = self.get_object()
        self.action = self.get_action()
        if self.action not in self.actions:
            return self.action_failed(ValidationError(gettext("Unknown action.")))
        parties = self.action_parties.get(self.action)
        if parties is not None and party_of(request.user) not in parties:
            return urlaccess.deny(request)
        handler = getattr(self, f"do_{self.action.replace('-', '_')}")
        try:
            with transaction.atomic():
                result = handler()
        except _FormInvalid:
            return self.action_failed(None)
        except ValidationError as exc:
            return self.action_failed(exc)
        if isinstance(result, HttpResponse):
            return result
        messages.success(request, result if isinstance(result, str) else self.get_success_message())
        return redirect(self.get_success_url())

    def action_failed(self, exc: ValidationError | None) -> HttpResponse:
        if exc is not None and self.bound_form is not None:
            add_errors(self.bound_form, exc)
        elif exc is not None:
            for message in exc.messages:
                messages.error(self.request, message)
        if self.bound_form is not None and self.bound_form_name is None:
            for errors in self.bound_form.errors.values():
                for message in errors:
                    messages.error(self.request, message)
        context = {self.bound_form_name: self.bound_form} if self.bound_form_name else {}
        if self.template_name is None:
            return redirect(self.get_success_url())
        return self.show(status=400, **context)
