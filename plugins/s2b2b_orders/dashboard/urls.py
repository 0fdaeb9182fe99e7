from django.urls import path, re_path

from plugins.s2b2b_orders.dashboard import views

urlpatterns = [
    # supplier portal
    path("supplier/orders/", views.PortalOrderListView.as_view(), name="s2b2b-portal-orders"),
    path("supplier/orders/<str:number>/", views.PortalOrderDetailView.as_view(), name="s2b2b-portal-order"),
    path("supplier/orders/<str:number>/packing-slip.pdf", views.PackingSlipView.as_view(), name="s2b2b-packing-slip"),
    path("supplier/products/", views.PortalProductListView.as_view(), name="s2b2b-portal-products"),
    path("supplier/products/new/", views.PortalProductCreateView.as_view(), name="s2b2b-portal-product-create"),
    path("supplier/products/<int:pk>/", views.PortalProductEditView.as_view(), name="s2b2b-portal-product"),
    # Oscar's live product editing: operators only (suppliers go through review)
    path("catalogue/products/<int:pk>/", views.OscarProductEditGate.as_view()),
    path("catalogue/products/create/", views.OscarProductEditGate.as_view()),
    re_path(r"^catalogue/products/create/(?P<product_class_slug>[\w-]+)/$", views.OscarProductEditGate.as_view()),
    # operators
    path("supplier-orders/", views.OpsOrderListView.as_view(), name="s2b2b-ops-orders"),
    path("supplier-orders/escalations/", views.EscalationListView.as_view(), name="s2b2b-ops-escalations"),
    path("supplier-orders/escalations/<int:pk>/", views.EscalationActionView.as_view(), name="s2b2b-ops-escalation"),
    path("supplier-orders/profiles/", views.ProfileListView.as_view(), name="s2b2b-ops-profiles"),
    path("supplier-orders/profiles/new/", views.ProfileEditView.as_view(), name="s2b2b-ops-profile-create"),
    path("supplier-orders/profiles/<int:pk>/", views.ProfileEditView.as_view(), name="s2b2b-ops-profile"),
    path("supplier-orders/scorecard/", views.ScorecardView.as_view(), name="s2b2b-ops-scorecard"),
    path("supplier-orders/review/", views.ReviewQueueView.as_view(), name="s2b2b-ops-review"),
    path("supplier-orders/review/<int:pk>/", views.ReviewActionView.as_view(), name="s2b2b-ops-review-action"),
    path("supplier-orders/<str:number>/", views.OpsOrderDetailView.as_view(), name="s2b2b-ops-order"),
]
