"""The demo's invoices: tax classes on the demo categories, blue invoices (one confirmed by its
buyer) and a red-letter one, the books still reconcile, and a second run adds nothing."""

import pytest
from django.utils import timezone

from core.demo.seed import SeedReport, seed_demo
from plugins.finance.invoices.demo import seed as invoices_seed
from plugins.finance.models import Invoice, InvoiceRequest, TaxCategory
from plugins.finance.services.reconcile import check

pytestmark = pytest.mark.django_db


def test_demo_invoices_include_a_confirmed_blue_and_a_red_letter_invoice():
    report = seed_demo()
    assert TaxCategory.objects.filter(category__name="紧固件", rate="0.13").exists()
    blue = Invoice.objects.filter(is_red=False)
    assert blue.count() >= 2 and blue.filter(buyer_confirmed_at__isnull=False).exists()
    assert blue.filter(kind="special").exists() and blue.filter(kind="normal").exists()
    red = Invoice.objects.get(is_red=True, request__red_kind="full")
    assert red.amount_incl_tax == -red.request.blue_invoice.amount_incl_tax
    assert all(len(i.number) == 20 for i in Invoice.objects.all())
    assert any(note.startswith("Invoices:") or "发票" in note or "Invoices" in note for note in report.notes)
    assert check().errors == []
    before = (InvoiceRequest.objects.count(), Invoice.objects.count(), TaxCategory.objects.count())
    invoices_seed(SeedReport(), now=timezone.now(), rng=None)
    assert (InvoiceRequest.objects.count(), Invoice.objects.count(), TaxCategory.objects.count()) == before
