"""The business licence (营业执照) upload: an image or a PDF, decided by its bytes (never by its
name), no larger than ``settings.COMPANY_LICENCE_MAX_BYTES`` (5 MB by default)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import files

content_type = files.image_or_pdf_type  # the content type a licence download is served with


def check_upload(upload) -> None:
    """Raise ValidationError (code ``too_big`` or ``not_image_or_pdf``) unless ``upload`` is an
    image or a PDF within the size limit."""
    limit = settings.COMPANY_LICENCE_MAX_BYTES
    problem = files.document_problem(upload, max_bytes=limit)
    if problem == files.TOO_BIG:
        raise ValidationError(
            _("The business licence is larger than %(mb)s MB.") % {"mb": f"{limit / (1024 * 1024):g}"},
            code="too_big",
        )
    if problem == files.NOT_IMAGE_OR_PDF:
        raise ValidationError(_("The business licence must be an image (JPEG, PNG) or a PDF."), code="not_image_or_pdf")
