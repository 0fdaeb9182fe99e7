"""The site's URLs plus one route that fails, for tests/core/test_error_pages.py (the error
handlers are the site's own: they come with the star import)."""

from django.urls import path

from config.urls import *  # noqa: F403  the site's routes and handler404/handler500
from config.urls import urlpatterns as site_urlpatterns


def _fails(request):
    raise RuntimeError("a failure with a secret detail: SELECT secret_column")


urlpatterns = [path("test-failure/", _fails, name="test-failure"), *site_urlpatterns]
