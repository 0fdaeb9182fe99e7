"""The platform's name and logo for templates, read from settings only (no database), so the
error pages can use them when the database is down."""

from django import template
from django.conf import settings
from django.templatetags.static import static

register = template.Library()


@register.simple_tag
def platform_name() -> str:
    return settings.PLATFORM_NAME


@register.simple_tag
def platform_logo() -> str:
    return static(settings.PLATFORM_LOGO)
