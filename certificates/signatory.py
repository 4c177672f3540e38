"""The signatory's signature on a publisher's certificate template: private files only.

A signature is what makes a paper look genuine. It used to be a Wagtail image, whose
renditions are public files at guessable URLs
(`/media/images/signature-exemple.max-600x240.format-png.png`). It is now kept like
participants' signatures: in the private storage (`certificates`, PRIVATE_MEDIA_ROOT
or the private bucket), under a random name, re-encoded on upload (no metadata, no
other content riding along, at most the size the PDF prints), read from there by
the issuing service, and shown in the admin by a view that checks the permission.
"""

import io
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from core.pdf import image_data_url

logger = logging.getLogger("reperes.certificates")

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# Checked from the header before decoding: a small file can hold a huge bitmap.
MAX_PIXELS = 25_000_000
# Printed at most 55 × 16 mm: 600 × 240 px is over 250 dpi (certificates/pdf.py).
STORED_SIZE = (600, 240)
ACCEPTED_FORMATS = {"PNG", "JPEG"}

MESSAGES = {
    "signature_too_large": _("L'image de la signature dépasse %(maximum)s."),
    "signature_invalid": _(
        "La signature doit être une image PNG ou JPEG lisible (le contenu du fichier "
        "ne correspond pas à une image de ces formats)."
    ),
    "signature_too_many_pixels": _("L'image de la signature est trop grande (en pixels)."),
}


def _refuse(code, **params):
    return ValidationError(MESSAGES[code], code=code, params=params)


def clean_signature_upload(uploaded):
    """The uploaded signature as a PNG `ContentFile`, or a ValidationError.

    Re-encoded by Pillow: only pixels are kept, at most `STORED_SIZE`.
    """
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise _refuse("signature_too_large", maximum=filesizeformat(MAX_UPLOAD_BYTES))
    try:
        uploaded.seek(0)
        with Image.open(uploaded) as image:
            # Format and size from the header, before decoding anything.
            if image.format not in ACCEPTED_FORMATS:
                raise _refuse("signature_invalid")
            if image.width * image.height > MAX_PIXELS:
                raise _refuse("signature_too_many_pixels")
            image = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse("signature_invalid") from None
    image.thumbnail(STORED_SIZE)
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return ContentFile(output.getvalue(), name="signature.png")


def signature_data_url(template):
    """The template's signature as a PNG `data:` URL for the certificate, or ""."""
    if not template.signature_file:
        return ""
    try:
        return image_data_url(template.signature_file, "image/png")
    except OSError:
        logger.warning("certificate signature unreadable", extra={"template_id": template.pk})
        return ""


def delete_after_commit(name):
    """Remove a replaced or orphaned signature file once the change is committed."""
    if not name:
        return
    from certificates.models import certificate_storage

    storage = certificate_storage()
    transaction.on_commit(lambda: storage.delete(name))
