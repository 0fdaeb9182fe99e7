from django.urls import path

from plugins.member_tiers.dashboard import views

app_name = "member_tiers"

urlpatterns = [
    path("members/", views.MemberListView.as_view(), name="member-list"),
    path("members/<int:pk>/", views.MemberDetailView.as_view(), name="member-detail"),
    path("members/<int:pk>/<slug:action>/", views.MemberActionView.as_view(), name="member-action"),
    path("members/tiers/", views.TierListView.as_view(), name="tier-list"),
    path("members/tiers/new/", views.TierEditView.as_view(), name="tier-create"),
    path("members/tiers/<int:pk>/", views.TierEditView.as_view(), name="tier-edit"),
    path("members/price-rules/", views.RuleListView.as_view(), name="rule-list"),
    path("members/price-rules/new/", views.RuleEditView.as_view(), name="rule-create"),
    path("members/price-rules/<int:pk>/", views.RuleEditView.as_view(), name="rule-edit"),
    path("members/price-rules/<int:pk>/delete/", views.RuleDeleteView.as_view(), name="rule-delete"),
    path("members/price-rules/import/", views.RuleImportView.as_view(), name="rule-import"),
    path("members/price-rules/import/<int:pk>/", views.RuleImportStatusView.as_view(), name="rule-import-status"),
    path("members/price-floor/", views.PricingPolicyView.as_view(), name="pricing-policy"),
    path("members/price-explanation/", views.PriceExplainView.as_view(), name="price-explain"),
    path("members/reassign/", views.ReassignView.as_view(), name="reassign"),
]
