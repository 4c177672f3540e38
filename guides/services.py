"""Domain actions on guides: producing and storing the PDF of a published revision."""

import logging

from core.storage_errors import open_stored_file

from .models import GuidePage, GuidePdf
from .pdf import render_guide_pdf_bytes
from .stored_pdfs import store_for_revision

logger = logging.getLogger("reperes.guides")


class GuidePdfError(Exception):
    def __init__(self, code, message=""):
        super().__init__(message or code)
        self.code = code


def get_or_render_guide_pdf(page: GuidePage) -> GuidePdf:
    """The stored PDF of the page's published revision, rendering it if missing.

    Idempotent: the (page, revision) unique constraint keeps one PDF per revision even
    when a worker and a download race; the loser reuses the winner's file.
    """
    if not page.live:
        raise GuidePdfError("not_live")
    existing = GuidePdf.objects.filter(page=page, revision_id=page.live_revision_id).first()
    if existing is not None and existing.file and existing.file.storage.exists(existing.file.name):
        return existing
    return store_guide_pdf(page)


def open_guide_pdf(page: GuidePage):
    """(GuidePdf, open file) of the page's published revision, rendering it if missing.

    The stored file is opened straight away (one query, no separate existence check:
    on object storage that would be one more request per download); a row whose file
    is gone is rendered again, as `get_or_render_guide_pdf` does.
    """
    if not page.live:
        raise GuidePdfError("not_live")
    # The row cached with the routed page (`guides.models.routed_guide`): no query.
    cached = page.__dict__.get("_stored_pdf")
    if cached is not None and cached.revision_id == page.live_revision_id and cached.file:
        try:
            return cached, open_stored_file(cached.file.storage, cached.file.name)
        except FileNotFoundError:
            pass  # gone: the row is read again below (rendered again since, or to render).
    existing = GuidePdf.objects.filter(page=page, revision_id=page.live_revision_id).first()
    if existing is not None and existing.file:
        try:
            return existing, open_stored_file(existing.file.storage, existing.file.name)
        except FileNotFoundError:
            pass  # gone: rendered again below. A store that does not answer is a 503.
    guide_pdf = store_guide_pdf(page)
    return guide_pdf, guide_pdf.file.open("rb")


def store_guide_pdf(page: GuidePage) -> GuidePdf:
    # Rendering is slow: do it before taking any lock or opening a transaction.
    payload = render_guide_pdf_bytes(page)
    guide_pdf = store_for_revision(GuidePdf, page, payload, f"{page.slug}.pdf")
    logger.info(
        "guide PDF stored",
        extra={
            "page_id": page.pk,
            "revision_id": page.live_revision_id,
            "sha256": guide_pdf.sha256,
        },
    )
    return guide_pdf
