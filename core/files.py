"""Private files: stored under ``PRIVATE_MEDIA_ROOT``, which no URL of the site serves.

A file that belongs to one party (a supplier's shipment vouchers …) is kept here, never under
``MEDIA_ROOT`` (served at ``MEDIA_URL`` to anyone who guesses the path). It is read back only
through a view of its own that checks who is asking. A model field names the callable
(``FileField(storage=private_storage)``), so its migration does not depend on the setting.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="core.files.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """File-system storage under ``settings.PRIVATE_MEDIA_ROOT`` (read when used, so a test's
    override applies), without URLs: ``url()`` refuses rather than point into MEDIA_URL."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError(f"{name} is a private file: link to the view that serves it, not to a URL of the storage.")


_private = PrivateStorage()

#: documents people upload (vouchers, licences): images and PDF, recognised by their first bytes
#: (never by the file's name), with the content type a download is served with
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
HEAD_BYTES = 12


def image_or_pdf_type(head: bytes) -> str | None:
    """The content type of a file from its first ``HEAD_BYTES`` bytes; None unless it is an image
    (JPEG, PNG, GIF, WebP) or a PDF."""
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def private_storage() -> PrivateStorage:
    return _private


TOO_BIG, NOT_IMAGE_OR_PDF = "too_big", "not_image_or_pdf"


def document_problem(upload, *, max_bytes: int) -> str | None:
    """Why an uploaded document (voucher, licence) is refused — ``TOO_BIG`` or
    ``NOT_IMAGE_OR_PDF`` — or None; the caller words the message. The upload is left at its
    start."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        return TOO_BIG
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return NOT_IMAGE_OR_PDF if image_or_pdf_type(head) is None else None
