"""Absolute links for messages that leave the site (e-mails, QR codes on documents)."""

from django.contrib.sites.models import Site


def absolute(path: str) -> str:
    return f"https://{Site.objects.get_current().domain}{path}"
