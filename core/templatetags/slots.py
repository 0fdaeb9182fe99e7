"""``{% slot "name" %}``: the sections plugins add to a shared page (PluginAppConfig.template_slots).

A shared template names a place once (``{% slot "customer.order_detail.sections" %}``); each
installed plugin that declares templates for it gets them rendered there, in app order, with
the page's context (plus ``slot``, the slot's name, and any keyword arguments the tag passes,
e.g. ``{% slot "dashboard.order_list.cells" order=order %}``). A page never loads a plugin's
template tags nor names a plugin's template, so removing a plugin removes its sections and
nothing else, and a new plugin adds a section without editing a shared template.

The slots the shared templates (templates/oscar/…) declare, and who fills them today:

=================================  ==========================================  =================
slot                               where                                       filled by
=================================  ==========================================  =================
catalogue.price                    under a product's price (card and page)     member_tiers
basket.totals.shipping             basket totals, after the shipping rows      logistics
                                   (``<tr>`` rows of a two-column table)
checkout.payment_details.methods   payment step, under the ways to pay         member_tiers
checkout.preview.payment           order preview, under the payment method     member_tiers
checkout.thank_you.payment         confirmation, in the payment card           —
checkout.thank_you.sections        confirmation, after the order contents      —
customer.account.tabs              account pages' tabs (``<li class="nav-item">``)  member_tiers, companies
customer.order_list.head           order history: extra column headings        —
customer.order_list.cells          order history: extra cells (``order``)      —
customer.order_detail.summary      order page, under the status                s2b2b_orders
customer.order_detail.sections     order page, after the address: tracking,    logistics
                                   contracts, invoices …
dashboard.order_list.head          back office order list: column headings     —
dashboard.order_list.cells         back office order list: cells (``order``)   —
dashboard.order_detail.summary     back office order, under its information    s2b2b_orders
dashboard.order_detail.payment     back office order, its payment: replaces    finance
                                   the "confirm the bank transfer" form
dashboard.order_detail.tabs        back office order: tab headings             logistics
dashboard.order_detail.panes       back office order: tab panes                logistics
dashboard.line_detail.sections     back office order line, after its details   —
=================================  ==========================================  =================

Slot templates read what the page already has (``order``, ``line``, ``request``…) and ask
their own plugin's selectors for the rest, scoped to ``request.user``.
"""

from django import template
from django.template.engine import Engine
from django.utils.safestring import mark_safe

from core.plugins import slot_templates

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context, name: str, **values) -> str:
    names = slot_templates(name)
    if not names:
        return ""
    # render like {% include %}: in the page's own context, with the page's engine
    engine = context.template.engine if context.template is not None else Engine.get_default()
    with context.push(slot=name, **values):
        parts = [engine.get_template(template_name).render(context) for template_name in names]
    return mark_safe("".join(parts))  # noqa: S308  rendered by Django templates, which escape


@register.simple_tag
def slot_filled(name: str) -> bool:
    """Whether any installed plugin adds to the slot (to hide an empty heading)."""
    return bool(slot_templates(name))
