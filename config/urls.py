import re

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from core.graphql.view import PlatformGraphQLView
from core.plugins import url_modules

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    *([path(settings.ADMIN_URL, admin.site.urls)] if settings.ADMIN_URL else []),
    path("graphql/", PlatformGraphQLView.as_view(graphiql=True), name="graphql"),
    path("", include("storefront.urls")),
    path("dashboard/", include("core.dashboard.urls")),
    # pages the plugins add (declared on their AppConfig), before Oscar's catch-alls
    *(path("", include(module)) for module in url_modules("urls")),
    *(path("dashboard/", include(module)) for module in url_modules("dashboard_urls")),
    path("", include(apps.get_app_config("oscar").urls[0])),
]
# a view refusing with PermissionDenied answers like the access rules do (core.urlaccess.deny)
handler403 = "core.urlaccess.permission_denied"
# styled pages in the user's language, without technical details (core/errors.py)
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"

if settings.SERVE_MEDIA:
    # uploads served by Django itself: while developing and in bin/demo (DEBUG off there too)
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
