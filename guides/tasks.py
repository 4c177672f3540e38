"""Background work for guides (django_tasks; immediate backend by default)."""

from django_tasks import task

from .models import GuidePage
from .services import get_or_render_guide_pdf


@task()
def render_guide_pdf(page_id: int) -> str | None:
    """Render and store the PDF of a guide's published revision; returns its sha256."""
    page = GuidePage.objects.live().filter(pk=page_id).first()
    if page is None:
        return None
    return get_or_render_guide_pdf(page).sha256
