"""Publishing a guide queues its PDF, so the first download is already served from storage;
a publisher changed drops the content cache (module pages show their publisher), so does
a stored PDF (cached with the guide's PDF route)."""

from functools import partial

from django.db import transaction
from wagtail.signals import page_published

from core.signals import watch_content

from .models import GuidePage, GuidePdf, Publisher


def queue_guide_pdf(sender, instance, **kwargs):
    from .tasks import render_guide_pdf

    # After commit: a worker must see the published revision.
    transaction.on_commit(partial(render_guide_pdf.enqueue, instance.pk))


def connect():
    watch_content(Publisher)
    # The stored PDF is cached with the guide's PDF route (`guides.models.routed_guide`).
    watch_content(GuidePdf)
    page_published.connect(queue_guide_pdf, sender=GuidePage, dispatch_uid="guides_queue_pdf")
