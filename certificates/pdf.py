"""The PDF of a certificate: one A4 landscape page, through the project's PDF helper.

Everything printed comes from the certificate row's snapshot fields (holder, what is
certified, issuer, images as `data:` URLs), never from the user or the module, so a
PDF rendered late (a retry, a slow queue) prints exactly what was issued. Text goes
through Django's autoescaping; the only value written into CSS is the accent colour,
validated again here. The page stays one page whatever the lengths the model
allows: long texts get smaller type (`size_class`), a word longer than its box
(a name of 150 letters without a space) wraps inside it, and texts are shortened
where the field has no hard limit (objectives, footer). Nothing is printed under
8.5 pt (tests/certificates/test_pdf_layout.py).
"""

import base64
import binascii
import datetime
import functools
import io
import logging
import re

import segno
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from weasyprint import Attachment

from certificates.badges import envelope
from certificates.models import CertificateKind
from core.french import elides
from core.pdf import PDF_ARCHIVAL_VARIANT, BundledAssetFetcher, render_pdf
from courses.models.pages import format_duration

logger = logging.getLogger("reperes.certificates")

# The same fonts as every other PDF of the process (see static/fonts/pdf/fonts.css).
CERTIFICATE_STYLESHEETS = ("fonts/pdf/fonts.css", "pdf/certificate.css")
DEFAULT_ACCENT = "#7a2e5c"
ACCENT_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")

# Shortened on paper only (the row keeps the full text): what fits the page.
OBJECTIVES_LENGTH = 420
OBJECTIVES_LENGTH_CROWDED = 220
FOOTER_LENGTH = 500

# Type sizes by length, tuned so that the longest values the model allows (150 + 150
# characters of name, 255 of title) still fit one page, each text in its box
# (tests/certificates/test_pdf_layout.py).
NAME_SIZES = ((40, "xl"), (70, "l"), (150, "m"), (220, "s"))
TITLE_SIZES = ((70, "xl"), (140, "l"))
# The signatory (150 characters) and the issuer (200) in their boxes of the page's edge.
SIGNATORY_SIZES = ((45, "l"), (90, "m"))
ISSUER_SIZES = ((60, "l"), (120, "m"))
# Beyond these lengths the body is crowded: smaller heading, one line of objectives.
CROWDED_NAME = 70
CROWDED_TITLE = 140
CROWDED_LINE = 90

FILENAME_PART_LENGTH = 60

# The embedded badge's description, in French whatever language the worker runs in.
BADGE_DESCRIPTION = (
    "Open Badge 3.0 de ce certificat : la même attestation, signée, lisible par les "
    "portefeuilles numériques et les plateformes de formation."
)

# QR code data mask (ISO/IEC 18004 § 7.8.2), see `qr_code_data_url`.
QR_MASK = 4

# Logo and signature are printed at most 55 × 16 mm: 600 × 240 px is over 250 dpi.
IMAGE_MAX_SIZE = (600, 240)
JPEG_QUALITY = 90


def size_class(text, sizes, smallest="s"):
    for limit, name in sizes:
        if len(text) <= limit:
            return name
    return smallest


def accent_colour(certificate):
    """The row's colour if it is exactly #RRGGBB: it is written into a <style>."""
    value = certificate.accent_colour or ""
    return value if ACCENT_PATTERN.fullmatch(value) else DEFAULT_ACCENT


def heading(certificate):
    if certificate.kind == CertificateKind.ACHIEVEMENT:
        return _("Certificat de réalisation")
    return _("Attestation de fin de formation")


def qr_code_data_url(url):
    """The verification URL as a QR code: a greyscale PNG `data:` URL, 1 px per module.

    Error correction « M » survives a crease or a stamp on the paper; the quiet zone
    comes from the layout, not from the image. The page enlarges the image (33 × 33 px
    for the usual URL) to 34 mm without smoothing (`image-rendering: pixelated`, i.e.
    `/Interpolate false` in the PDF), so each module prints as a sharp square, as the
    SVG path drawn before did — which WeasyPrint took several milliseconds to parse
    and draw on every render (`make bench`, tests/certificates/test_pdf.py).

    The mask is fixed (QR_MASK) rather than chosen by trying all eight, which cost
    segno ~6 ms per certificate. Any mask gives a valid symbol that every reader
    decodes; the evaluation only steers away from patterns that may trouble a poor
    scan. Over 300 random verification URLs of the same length, mask 4 was the best
    one for 57 % of them and its penalty score stayed within 12 % of the best
    (median 0 %, p90 5 %). Pillow writes the PNG (C code, a third of segno's time).
    """
    from PIL import Image

    matrix = segno.make(url, error="m", mask=QR_MASK, micro=False).matrix
    dark_is_black = bytes.maketrans(b"\x00\x01", b"\xff\x00")
    pixels = b"".join(bytes(row) for row in matrix).translate(dark_is_black)
    output = io.BytesIO()
    Image.frombytes("L", (len(matrix[0]), len(matrix)), pixels).save(output, format="PNG")
    return "data:image/png;base64," + base64.b64encode(output.getvalue()).decode("ascii")


@functools.lru_cache(maxsize=32)
def printable_image(data_url):
    """The row's PNG `data:` URL as a JPEG flattened on white, or "" if unreadable.

    WeasyPrint copies a JPEG into the PDF as it is, whereas a PNG — above all one
    with transparency — is decoded and re-compressed twice on every render; the
    result is the same on the white paper. Certificates of one publisher share the
    same logo and signature, hence the cache.
    """
    from PIL import Image

    header, _, payload = data_url.partition(",")
    if not header.startswith("data:image/") or not header.endswith(";base64"):
        return ""
    try:
        with Image.open(io.BytesIO(base64.b64decode(payload, validate=True))) as image:
            image.thumbnail(IMAGE_MAX_SIZE)
            image = image.convert("RGBA")
            flattened = Image.new("RGB", image.size, "white")
            flattened.paste(image, mask=image.getchannel("A"))
    except (binascii.Error, OSError, ValueError, Image.DecompressionBombError):
        logger.warning("certificate image unreadable, left out of the pdf")
        return ""
    output = io.BytesIO()
    flattened.save(output, format="JPEG", quality=JPEG_QUALITY, subsampling=0)
    return "data:image/jpeg;base64," + base64.b64encode(output.getvalue()).decode("ascii")


def format_date(value):
    return date_format(value, "j F Y")


def facts(certificate):
    """(label, value) pairs of the line under the title: hours, dates, score, expiry."""
    items = []
    if certificate.kind == CertificateKind.ACHIEVEMENT:
        # A certificat de réalisation states the hours actually attended out of the
        # hours planned, and the e-learning time of a linked module done online.
        items.append((_("Nature"), _("action de formation")))
        items.append(
            (
                _("Heures suivies"),
                _("%(achieved)s sur %(planned)s")
                % {
                    "achieved": format_duration(certificate.achieved_minutes),
                    "planned": format_duration(certificate.planned_minutes),
                },
            )
        )
        if certificate.elearning_minutes:
            items.append((_("Formation en ligne"), format_duration(certificate.elearning_minutes)))
    else:
        if certificate.planned_minutes:
            items.append((_("Durée prévue"), format_duration(certificate.planned_minutes)))
        if certificate.achieved_minutes:
            items.append((_("Durée réalisée"), format_duration(certificate.achieved_minutes)))
    if certificate.started_on:
        period = _("du %(start)s au %(end)s") % {
            "start": format_date(certificate.started_on),
            "end": format_date(certificate.completed_on),
        }
        items.append((_("Période"), period))
    else:
        items.append((_("Terminé le"), format_date(certificate.completed_on)))
    if certificate.score is not None:
        items.append((_("Score"), f"{certificate.score} %"))
    if certificate.expires_on:
        items.append((_("Valable jusqu'au"), format_date(certificate.expires_on)))
    return items


def holder_line(certificate):
    """The line under the name: the organisation on a certificat de réalisation, else the
    profession."""
    if certificate.kind == CertificateKind.ACHIEVEMENT and certificate.holder_organisation:
        return certificate.holder_organisation
    return certificate.holder_profession


def is_crowded(certificate):
    return (
        len(certificate.holder_name) > CROWDED_NAME
        or len(certificate.title) > CROWDED_TITLE
        or len(holder_line(certificate)) > CROWDED_LINE
        or len(certificate.publisher_name) > CROWDED_LINE
    )


def signature_alt(certificate):
    """« Signature de Claire Dupont », « Signature d'Amicale du Nid » (French elision)."""
    name = certificate.signatory_name or certificate.issuer_name
    if elides(name):
        return _("Signature d'%(name)s") % {"name": name}
    return _("Signature de %(name)s") % {"name": name}


def certificate_context(certificate):
    verification_url = certificate.get_verification_url()
    crowded = is_crowded(certificate)
    return {
        "certificate": certificate,
        "heading": heading(certificate),
        "accent": accent_colour(certificate),
        "crowded": crowded,
        "holder_line": holder_line(certificate),
        "name_size": size_class(certificate.holder_name, NAME_SIZES, smallest="xs"),
        "title_size": size_class(certificate.title, TITLE_SIZES),
        "signatory_size": size_class(certificate.signatory_name, SIGNATORY_SIZES),
        "issuer_size": size_class(certificate.issuer_name, ISSUER_SIZES),
        "signature_alt": signature_alt(certificate),
        "objectives": Truncator(" ".join(certificate.objectives_summary.split())).chars(
            OBJECTIVES_LENGTH_CROWDED if crowded else OBJECTIVES_LENGTH
        ),
        "footer_text": Truncator(" ".join(certificate.footer_text.split())).chars(FOOTER_LENGTH),
        "facts": facts(certificate),
        "logo": printable_image(certificate.logo_data) if certificate.logo_data else "",
        "signature": printable_image(certificate.signature_data)
        if certificate.signature_data
        else "",
        "issued_on": timezone.localdate(certificate.issued_at),
        "verification_url": verification_url,
        "qr_code": qr_code_data_url(verification_url),
    }


def pdf_subject(certificate):
    """« Attestation de fin de formation d'Inès Moreau : … » (French elision)."""
    values = {
        "heading": heading(certificate),
        "name": certificate.holder_name,
        "title": certificate.title,
    }
    if elides(certificate.holder_name):
        return _("%(heading)s d'%(name)s : %(title)s") % values
    return _("%(heading)s de %(name)s : %(title)s") % values


def certificate_pdf_html(certificate) -> str:
    # A certificate is a French document whatever language the worker runs in.
    with translation.override("fr"):
        context = certificate_context(certificate)
        context["subject"] = pdf_subject(certificate)
        return render_to_string("certificates/pdf/certificate.html", context)


def render_certificate_pdf_bytes(certificate, *, badge_jwt=None, url_fetcher=None) -> bytes:
    """The certificate as PDF/A-3a (archival and tagged), not yet signed.

    With `badge_jwt`, the Open Badge credential travels inside the PDF as its
    associated file (relationship « Alternative »: the same certificate, machine
    readable). The PDF is signed afterwards (certificates/signed_pdfs/signing.py).
    """
    with translation.override("fr"):
        title = f"{heading(certificate)} — {certificate.holder_name}"
    return render_pdf(
        certificate_pdf_html(certificate),
        stylesheets=CERTIFICATE_STYLESHEETS,
        title=title,
        authors=[certificate.issuer_name],
        url_fetcher=url_fetcher,
        variant=PDF_ARCHIVAL_VARIANT,
        attachments=[badge_attachment(certificate, badge_jwt)] if badge_jwt else [],
    )


def badge_attachment(certificate, badge_jwt) -> Attachment:
    """The badge file as a PDF/A-3 associated file, dated like the certificate.

    A `data:` URL read by the project's fetcher gives its MIME type
    (`application/json`, the embedded file's /Subtype that PDF/A-3 requires); the
    dates are the issue date, so rendering again gives the same attachment.
    """
    payload = base64.b64encode(envelope.file_bytes(badge_jwt)).decode("ascii")
    issued_at = certificate.issued_at.astimezone(datetime.UTC).replace(tzinfo=None)
    return Attachment(
        url=f"data:application/json;base64,{payload}",
        url_fetcher=BundledAssetFetcher(),
        name=envelope.filename(certificate),
        description=BADGE_DESCRIPTION,
        relationship="Alternative",
        created=issued_at,
        modified=issued_at,
    )


def _filename_part(text, fallback):
    return slugify(text)[:FILENAME_PART_LENGTH].strip("-") or fallback


def certificate_filename(certificate) -> str:
    """`attestation-<module-slug>-<nom>.pdf` (`certificat-realisation-…` for the other kind).

    ASCII only (slugify), each part capped, so that any browser and file system keeps
    the name whole.
    """
    # A caller may read the slug along with the certificate (`module_slug`).
    slug = getattr(certificate, "module_slug", None)
    if slug is None:
        module = certificate.module
        slug = module.slug if module else None
    return filename_of(certificate.kind, slug, certificate.title, certificate.holder_last_name)


def filename_of(kind, module_slug, title, holder_last_name) -> str:
    """`certificate_filename` from the columns it reads (the download reads only those)."""
    prefix = "certificat-realisation" if kind == CertificateKind.ACHIEVEMENT else "attestation"
    module_part = _filename_part(module_slug or title, "formation")
    name_part = _filename_part(holder_last_name, "titulaire")
    return f"{prefix}-{module_part}-{name_part}.pdf"
