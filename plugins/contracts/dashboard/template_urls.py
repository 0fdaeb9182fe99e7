"""The template editor's pages; the contracts dashboard includes these under
/dashboard/contracts/templates/ in the namespace "contracts-dashboard" (operators only)."""

from django.urls import path

from plugins.contracts.dashboard import template_views as views

urlpatterns = [
    path("", views.TemplateListView.as_view(), name="template-list"),
    path("<int:pk>/", views.TemplateDetailView.as_view(), name="template-detail"),
    path("<int:pk>/versions/new/", views.VersionCreateView.as_view(), name="version-create"),
    path("<int:pk>/compare/", views.VersionCompareView.as_view(), name="version-compare"),
    path("versions/<int:pk>/", views.VersionEditView.as_view(), name="version-edit"),
    path("versions/<int:pk>/preview/", views.VersionPreviewView.as_view(), name="version-preview"),
    path("versions/<int:pk>/publish/", views.VersionPublishView.as_view(), name="version-publish"),
]
