from django.urls import path

from plugins.member_tiers import views

app_name = "membership"

urlpatterns = [
    path("accounts/membership/", views.MyMembershipView.as_view(), name="mine"),
    path("checkout/points/", views.RedeemPointsView.as_view(), name="redeem-points"),
]
