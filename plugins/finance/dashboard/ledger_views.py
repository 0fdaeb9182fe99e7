"""The ledger browser (owned by the statements branch)."""

from django.http import Http404
from django.views import View


class LedgerView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class AccountView(LedgerView):
    pass
