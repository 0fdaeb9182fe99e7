"""The business licence (营业执照) upload: an image or a PDF, decided by its bytes (never by its
name), no larger than ``settings.COMPANY_LICENCE_MAX_BYTES`` (5 MB by default)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: signatures accepted, with the content type a download is served with
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def content_type(head: bytes) -> str | None:
    """The content type of a file from its first 12 bytes; None unless an image or a PDF."""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def check_upload(upload) -> None:
    """Raise ValidationError (code ``too_big`` or ``not_image_or_pdf``) unless ``upload`` is an
    image or a PDF within the size limit."""
    limit = settings.COMPANY_LICENCE_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("The business licence is larger than %(mb)s MB.") % {"mb": f"{limit / (1024 * 1024):g}"},
            code="too_big",
        )
    upload.seek(0)
    head = upload.read(12)
    upload.seek(0)
    if content_type(head) is None:
        raise ValidationError(_("The business licence must be an image (JPEG, PNG) or a PDF."), code="not_image_or_pdf")
