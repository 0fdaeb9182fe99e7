"""Labels for the order statuses in settings.OSCAR_ORDER_STATUS_PIPELINE (stored in English)."""

from django.utils.translation import gettext_lazy as _

STATUS_LABELS = {
    "Pending payment": _("Pending payment"),
    "Paid": _("Paid"),
    "Processing": _("Processing"),
    "Shipped": _("Shipped"),
    "Complete": _("Complete"),
    "Cancelled": _("Cancelled"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))
