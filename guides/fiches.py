"""The « fiche de transmission » of a « Que faire ? » outcome: a one-page PDF rendered
through the project's PDF helper, once per published revision, then served from
storage (the same pattern as a guide's PDF, `guides.services`)."""

import logging

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.links import absolute_url
from core.pdf import render_pdf
from core.storage_errors import open_stored_file

from .models import OrientationFiche
from .pdf import absolutize_links
from .stored_pdfs import store_for_revision

logger = logging.getLogger("reperes.guides")

FICHE_STYLESHEETS = ("fonts/pdf/fonts.css", "pdf/fiche.css")
#: Blank lines left for the facts, as the professional notes them by hand.
FACT_LINES = 6


def fiche_html(outcome, page_url):
    html = render_to_string(
        "guides/orientation_fiche_pdf.html",
        {
            "page": outcome,
            "page_url": page_url,
            "contacts": outcome.contacts(),
            "fact_lines": range(FACT_LINES),
            "words_lines": range(FACT_LINES),
            "generated_at": timezone.localtime(),
        },
    )
    return absolutize_links(html)


def render_fiche_bytes(outcome, page_url):
    return render_pdf(
        fiche_html(outcome, page_url),
        stylesheets=FICHE_STYLESHEETS,
        title=outcome.title,
    )


def open_fiche(outcome, page_url):
    """(OrientationFiche, open file) of the outcome's published revision, rendered and
    stored on the first download of that revision."""
    existing = OrientationFiche.objects.filter(
        page=outcome, revision_id=outcome.live_revision_id
    ).first()
    if existing is not None and existing.file:
        try:
            return existing, open_stored_file(existing.file.storage, existing.file.name)
        except FileNotFoundError:
            pass  # gone: rendered again below.
    fiche = store_fiche(outcome, absolute_url(page_url))
    return fiche, fiche.file.open("rb")


def store_fiche(outcome, page_url):
    # Rendering is slow: before any lock or transaction.
    payload = render_fiche_bytes(outcome, page_url)
    fiche = store_for_revision(OrientationFiche, outcome, payload, f"fiche-{outcome.slug}.pdf")
    logger.info("fiche stored", extra={"page_id": outcome.pk, "sha256": fiche.sha256})
    return fiche


def drop_fiches(**kwargs):
    """A contact or a guide changed: the stored fiches may show it; render them again."""
    fiches = list(OrientationFiche.objects.all())
    if not fiches:
        return
    OrientationFiche.objects.filter(pk__in=[fiche.pk for fiche in fiches]).delete()
    names = [fiche.file.name for fiche in fiches if fiche.file]
    storage = OrientationFiche._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
