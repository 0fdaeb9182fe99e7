from django.urls import path

from storefront.search.dashboard import views

app_name = "storefront-dashboard"

urlpatterns = [
    path("search/synonyms/", views.SynonymListView.as_view(), name="synonym-list"),
    path("search/synonyms/<int:pk>/", views.SynonymEditView.as_view(), name="synonym-edit"),
    path("search/synonyms/<int:pk>/delete/", views.SynonymDeleteView.as_view(), name="synonym-delete"),
]
