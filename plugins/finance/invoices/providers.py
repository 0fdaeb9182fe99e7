"""Who issues the invoice (数电票): an ``InvoiceProvider`` turns an approved request into an issued
invoice — its 20-digit number and its PDF. ``FINANCE_INVOICE_PROVIDER`` names the class; the
built-in provider numbers and renders the invoice itself (the platform's own record), a connector
to the tax authority's platform (乐企 / 数电票 API) can replace it without touching the services.

The provider is called inside the transaction that records the invoice: if it raises
``ProviderError`` nothing is recorded and the request stays open.
"""

import zlib
from dataclasses import dataclass
from typing import Protocol

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe

from core.money import rmb_uppercase
from plugins.finance.services.ledger import SHANGHAI


class ProviderError(Exception):
    """The provider refused or failed: its message is shown to the operator."""


@dataclass(frozen=True)
class IssuedInvoice:
    number: str  # 20 digits
    pdf_bytes: bytes


class InvoiceProvider(Protocol):
    name: str

    def issue(self, request, *, lines, issued_at) -> IssuedInvoice: ...


def get_provider() -> InvoiceProvider:
    return import_string(settings.FINANCE_INVOICE_PROVIDER)()


class BuiltInProvider:
    """Numbers: ``YY`` (year) + ``RR`` (region, ``FINANCE_INVOICE_REGION``, 31 = Shanghai) + ``0``
    (channel) + a 15-digit sequence per year and region, unique (an advisory lock on PostgreSQL,
    and the Invoice number's unique constraint). The PDF is rendered with WeasyPrint in Chinese."""

    name = "built-in"

    def next_number(self, issued_at) -> str:
        from plugins.finance.models import Invoice

        day = timezone.localtime(issued_at, SHANGHAI)
        region = str(getattr(settings, "FINANCE_INVOICE_REGION", "31"))[:2].rjust(2, "0")
        stem = f"{day:%y}{region}0"
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x4650, zlib.crc32(stem.encode()) & 0x7FFFFFFF])
        last = (
            Invoice.objects.filter(number__startswith=stem).order_by("-number").values_list("number", flat=True).first()
        )
        sequence = int(last[len(stem) :]) + 1 if last else 1
        return f"{stem}{sequence:015d}"

    def issue(self, request, *, lines, issued_at) -> IssuedInvoice:
        number = self.next_number(issued_at)
        return IssuedInvoice(number=number, pdf_bytes=render_pdf(request, lines=lines, number=number, at=issued_at))


def _font_faces() -> str:
    """@font-face rules for the CJK font contracts extracts, or nothing (fontconfig's Noto Sans CJK SC)."""
    if not apps.is_installed("plugins.contracts"):
        return ""
    try:
        from plugins.contracts.pdf.fonts import cjk_font_path

        regular, bold = cjk_font_path("Regular"), cjk_font_path("Bold")
    except Exception:  # noqa: BLE001 - a missing font falls back to fontconfig's
        return ""
    return (
        f"@font-face {{ font-family: 'InvoiceCJK'; src: url('{regular.as_uri()}'); font-weight: normal; }}\n"
        f"@font-face {{ font-family: 'InvoiceCJK'; src: url('{bold.as_uri()}'); font-weight: bold; }}\n"
    )


def render_pdf(request, *, lines, number: str, at) -> bytes:
    """The invoice as a Chinese PDF (seller, buyer, lines ``*简称*品名``, totals in words)."""
    from weasyprint import HTML

    html = render_to_string(
        "finance/invoices/pdf/invoice.html",
        {
            "request": request,
            "lines": lines,
            "number": number,
            "issued_on": timezone.localtime(at, SHANGHAI).date(),
            # the seller is the platform, merchant of record: the same legal identity as its contracts
            "seller_name": settings.PLATFORM_LEGAL["legal_name"],
            "seller_tax_number": settings.PLATFORM_LEGAL["uscc"],
            "issuer": settings.FINANCE_INVOICE_ISSUER,
            "uppercase": rmb_uppercase(abs(request.amount_incl_tax)),
            "font_faces": mark_safe(_font_faces()),  # noqa: S308 - our own paths
        },
    )
    return HTML(string=html).write_pdf()
