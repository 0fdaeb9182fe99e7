"""The base of every analytics page: the filter bar, who may see what, the report's tables and
charts, and their CSV / XLSX export (``?export=csv&table=<name>`` with the page's filters).

An area's view sets ``template_name``, ``title`` and ``definitions`` and implements
``report(filters) -> dict`` returning at least ``tables`` (list of ``Table``) and ``charts``
(list of ``Chart``); anything else in the dict goes to the template as is."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import Http404
from django.views.generic import TemplateView

from plugins.bigdata.backends.base import Filters
from plugins.bigdata.screens.filters import FilterForm
from plugins.bigdata.screens.scope import salesperson_scope, scoped
from plugins.bigdata.screens.tables import EXPORT_FORMATS, Table, export_response


class AnalyticsView(TemplateView):
    title = ""
    #: (term, definition) pairs shown under the filter bar: each metric defined once, where it is shown
    definitions: Sequence[tuple[str, str]] = ()

    def report(self, filters: Filters) -> dict:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        own = salesperson_scope(request.user)  # PermissionDenied for anyone but operators and salespeople
        form = FilterForm(request.GET, salesperson_scope=own)
        context = self.get_context_data(form=form, salesperson_scope=own, tables=[], charts=[])
        if form.is_valid():
            self.filters = scoped(request.user, form.filters())
            context.update(self.report(self.filters))
            fmt = request.GET.get("export")
            if fmt:
                return self.export(fmt, request.GET.get("table", ""), context["tables"])
            self.link_exports(context["tables"])
        return self.render_to_response(context)

    def export(self, fmt: str, name: str, tables: list[Table]):
        table = next((t for t in tables if t.name == name), None)
        if fmt not in EXPORT_FORMATS or table is None:
            raise Http404
        return export_response(table, fmt)

    def link_exports(self, tables: list[Table]) -> None:
        query = self.request.GET.copy()
        query.pop("page", None)
        for table in tables:
            table.export_urls = {}
            for fmt in EXPORT_FORMATS:
                query["export"], query["table"] = fmt, table.name
                table.export_urls[fmt] = "?" + query.urlencode()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=self.title, definitions=self.definitions)
        return context
