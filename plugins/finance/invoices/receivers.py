"""An executed refund (退款单 in state refunded) of an invoiced order asks for its red-letter
invoice: a full red while the buyer has not confirmed the blue invoice, a partial red for a return
or an allowance after it did (``services.invoices.red_for_refund``). Listening to the Refund row
itself keeps this area coupled to the refunds area through the model only."""

from django.db import transaction


def refund_saved(sender, *, instance, created=False, raw=False, **kwargs):
    if raw or instance.state != instance.State.REFUNDED:
        return
    from plugins.finance.models import InvoiceRequest
    from plugins.finance.services.invoices import red_for_refund

    if InvoiceRequest.objects.filter(refund=instance).exists():
        return
    with transaction.atomic():
        red_for_refund(instance)
