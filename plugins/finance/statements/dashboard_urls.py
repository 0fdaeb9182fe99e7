"""Back-office and supplier-portal routes of this area (namespace ``finance-dashboard``)."""

urlpatterns: list = []
