from django.urls import path

from plugins.logistics import views

app_name = "logistics"

urlpatterns = [
    path("logistics/province/", views.ChooseProvinceView.as_view(), name="choose-province"),
    path("logistics/kuaidi100/push/", views.kuaidi100_push, name="kuaidi100-push"),
    path("logistics/vouchers/<int:pk>/", views.voucher_download, name="voucher"),
]
