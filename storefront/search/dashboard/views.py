"""Operators' synonym groups (控制面板 → 搜索同义词): list and add, change, delete (after a
confirmation). Who may open them: StorefrontConfig.access (operators)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from core.dashboard.actions import add_errors
from storefront.models import SynonymGroup
from storefront.search import selectors, services, text


class SynonymForm(forms.Form):
    words = forms.CharField(
        label=gettext_lazy("Words that mean the same"),
        max_length=text.MAX_SYNONYMS * (text.MAX_WORD_LENGTH + 1),
        help_text=gettext_lazy("Separated by spaces or commas, e.g. 螺丝 螺钉"),
    )


def _list(request, form, status=200):
    return render(
        request,
        "storefront/search/synonyms.html",
        {"groups": selectors.synonym_groups(), "form": form, "page_title": _("Search synonyms")},
        status=status,
    )


class SynonymListView(generic.View):
    def get(self, request):
        return _list(request, SynonymForm())

    def post(self, request):
        form = SynonymForm(request.POST)
        if form.is_valid():
            try:
                group = services.save_synonym_group(words=form.cleaned_data["words"], by=request.user)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Synonym group “%(group)s” added.") % {"group": group})
                return redirect("storefront-dashboard:synonym-list")
        return _list(request, form, status=400)


class SynonymEditView(generic.View):
    def _page(self, request, group, form, status=200):
        context = {"group": group, "form": form, "page_title": _("Search synonyms")}
        return render(request, "storefront/search/synonym_form.html", context, status=status)

    def get(self, request, pk):
        group = get_object_or_404(SynonymGroup, pk=pk)
        return self._page(request, group, SynonymForm(initial={"words": " ".join(group.word_list())}))

    def post(self, request, pk):
        group = get_object_or_404(SynonymGroup, pk=pk)
        form = SynonymForm(request.POST)
        if form.is_valid():
            try:
                group = services.save_synonym_group(words=form.cleaned_data["words"], by=request.user, group=group)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Synonym group “%(group)s” saved.") % {"group": group})
                return redirect("storefront-dashboard:synonym-list")
        return self._page(request, group, form, status=400)


class SynonymDeleteView(generic.View):
    def post(self, request, pk):
        group = get_object_or_404(SynonymGroup, pk=pk)
        label = str(group)
        services.delete_synonym_group(group=group)
        messages.success(request, _("Synonym group “%(group)s” deleted.") % {"group": label})
        return redirect("storefront-dashboard:synonym-list")
