"""Back-office (operators) and supplier-portal routes of finance: the ledger browser here, the
rest from the areas. Names and parties: ``plugins.finance.routes.access``."""

from django.urls import path

from plugins.finance.dashboard import ledger_views
from plugins.finance.invoices import dashboard_urls as invoices
from plugins.finance.receipts import dashboard_urls as receipts
from plugins.finance.refunds import dashboard_urls as refunds
from plugins.finance.settlement import dashboard_urls as settlement
from plugins.finance.statements import dashboard_urls as statements

app_name = "finance-dashboard"

urlpatterns = [
    path("finance/ledger/", ledger_views.LedgerView.as_view(), name="ledger"),
    path("finance/ledger/accounts/<int:pk>/", ledger_views.AccountView.as_view(), name="ledger-account"),
    *receipts.urlpatterns,
    *refunds.urlpatterns,
    *settlement.urlpatterns,
    *statements.urlpatterns,
    *invoices.urlpatterns,
]
