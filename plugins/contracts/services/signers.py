"""The company's seal image, chosen by its admin on 企业中心 → 签章授权 (the uploaded one is
``seals.upload_seal``; this one goes back to the seal generated from the legal name)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from companies.models import Company
from plugins.contracts.models import CompanySeal
from plugins.contracts.pdf.signing import generated_seal_png


def use_generated_seal(*, company: Company, by) -> CompanySeal:
    """Replace the company's seal image with one generated from its legal name."""
    data = generated_seal_png(company.legal_name)
    with transaction.atomic():
        seal, _created = CompanySeal.objects.select_for_update().get_or_create(company=company)
        seal.image.save(f"seal-{company.pk}-generated.png", ContentFile(data), save=False)
        seal.generated = True
        seal.save()
    return seal
