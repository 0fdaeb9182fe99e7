"""Storefront routes of finance (a company's 财务: receipts and claims, refunds, statements,
invoices), assembled from its areas. Names and parties: each area's ``routes.ACCESS``."""

from plugins.finance.invoices import urls as invoices
from plugins.finance.receipts import urls as receipts
from plugins.finance.refunds import urls as refunds
from plugins.finance.settlement import urls as settlement
from plugins.finance.statements import urls as statements

app_name = "finance"

urlpatterns = [
    *receipts.urlpatterns,
    *refunds.urlpatterns,
    *settlement.urlpatterns,
    *statements.urlpatterns,
    *invoices.urlpatterns,
]
