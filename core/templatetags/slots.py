"""``{% slot "name" %}``: the sections plugins add to a shared page (PluginAppConfig.template_slots).

A shared template names a place once (``{% slot "order.detail.after_lines" %}``); each
installed plugin that declares templates for it gets them rendered there, in app order, with
the page's context. A page never loads a plugin's template tags, so removing a plugin
removes its sections and nothing else.
"""

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from core.plugins import slot_templates

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context, name: str) -> str:
    parts = []
    flat = context.flatten()
    request = context.get("request")
    for template_name in slot_templates(name):
        parts.append(get_template(template_name).render(flat, request))
    return mark_safe("".join(parts))  # noqa: S308  rendered by Django templates, which escape


@register.simple_tag
def slot_filled(name: str) -> bool:
    """Whether any installed plugin adds to the slot (to hide an empty heading)."""
    return bool(slot_templates(name))
