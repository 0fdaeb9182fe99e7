"""``{% may_open "url-name" arg… as ok %}``: link to a page only when the access rules let the
user open it (core.urlaccess), so a page never offers a link that answers 403."""

from django import template

from core.urlaccess import may_open as _may_open

register = template.Library()


@register.simple_tag(takes_context=True)
def may_open(context, url_name: str, *args) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return user is not None and _may_open(user, url_name, args=args or None)
