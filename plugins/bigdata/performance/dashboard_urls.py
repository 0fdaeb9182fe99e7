"""This area's back-office routes (under /dashboard/, namespace ``bigdata-dashboard``)."""

urlpatterns: list = []
