"""Supplier portal and operator pages. Who may open each: S2B2BOrdersConfig.access."""

from django.urls import path, re_path

from plugins.s2b2b_orders.dashboard import ops, portal

urlpatterns = [
    # supplier portal
    path("supplier/orders/", portal.PortalOrderListView.as_view(), name="s2b2b-portal-orders"),
    path("supplier/orders/<str:number>/", portal.PortalOrderDetailView.as_view(), name="s2b2b-portal-order"),
    path("supplier/orders/<str:number>/packing-slip.pdf", portal.PackingSlipView.as_view(), name="s2b2b-packing-slip"),
    path("supplier/products/", portal.PortalProductListView.as_view(), name="s2b2b-portal-products"),
    path("supplier/products/new/", portal.PortalProductCreateView.as_view(), name="s2b2b-portal-product-create"),
    path("supplier/products/<int:pk>/", portal.PortalProductEditView.as_view(), name="s2b2b-portal-product"),
    path("supplier/legal/", portal.PortalLegalProfileView.as_view(), name="s2b2b-portal-legal"),
    path("supplier/api-tokens/", portal.PortalApiTokenListView.as_view(), name="s2b2b-portal-api-tokens"),
    path(
        "supplier/api-tokens/<int:pk>/revoke/",
        portal.PortalApiTokenRevokeView.as_view(),
        name="s2b2b-portal-api-token-revoke",
    ),
    path("supplier/legal/<int:pk>/licence/", portal.legal_licence_download, name="s2b2b-legal-licence"),
    # Oscar's live product editing: operators keep it, suppliers are sent to review
    path("catalogue/products/<int:pk>/", portal.OscarProductEditGate.as_view(), name="s2b2b-oscar-product"),
    path("catalogue/products/create/", portal.OscarProductEditGate.as_view(), name="s2b2b-oscar-product-create"),
    re_path(
        r"^catalogue/products/create/(?P<product_class_slug>[\w-]+)/$",
        portal.OscarProductEditGate.as_view(),
        name="s2b2b-oscar-product-create-class",
    ),
    # operators
    path("supplier-orders/", ops.OpsOrderListView.as_view(), name="s2b2b-ops-orders"),
    path("supplier-orders/escalations/", ops.EscalationListView.as_view(), name="s2b2b-ops-escalations"),
    path("supplier-orders/escalations/<int:pk>/", ops.EscalationActionView.as_view(), name="s2b2b-ops-escalation"),
    path("supplier-orders/profiles/", ops.ProfileListView.as_view(), name="s2b2b-ops-profiles"),
    path("supplier-orders/profiles/new/", ops.ProfileEditView.as_view(), name="s2b2b-ops-profile-create"),
    path("supplier-orders/profiles/<int:pk>/", ops.ProfileEditView.as_view(), name="s2b2b-ops-profile"),
    path("supplier-orders/scorecard/", ops.ScorecardView.as_view(), name="s2b2b-ops-scorecard"),
    path("supplier-orders/review/", ops.ReviewQueueView.as_view(), name="s2b2b-ops-review"),
    path("supplier-orders/review/<int:pk>/", ops.ReviewActionView.as_view(), name="s2b2b-ops-review-action"),
    path("supplier-orders/legal/", ops.LegalQueueView.as_view(), name="s2b2b-ops-legal"),
    path("supplier-orders/legal/<int:pk>/", ops.LegalReviewView.as_view(), name="s2b2b-ops-legal-review"),
    path("supplier-orders/<str:number>/", ops.OpsOrderDetailView.as_view(), name="s2b2b-ops-order"),
]
