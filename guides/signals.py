"""Publishing a guide queues its PDF, so the first download is already served from storage;
a publisher changed drops the content cache (module pages show their publisher), so does
a stored PDF (cached with the guide's PDF route) and a contact of the directory; a
contact changed also drops the stored fiches of the « Que faire ? » outcomes."""

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import page_published

from core.page_cache import register_hit_counter
from core.signals import content_changed, watch_content

from .counters import GUIDE_READING, count_cached_reading
from .fiches import drop_fiches
from .models import Contact, ContactHours, GuidePage, GuidePdf, Publisher


def queue_guide_pdf(sender, instance, **kwargs):
    from .tasks import render_guide_pdf

    # After commit: a worker must see the published revision.
    transaction.on_commit(partial(render_guide_pdf.enqueue, instance.pk))


def connect():
    # Guide readings answered by the page cache are counted too.
    register_hit_counter(GUIDE_READING, count_cached_reading)
    watch_content(Publisher)
    # The stored PDF is cached with the guide's PDF route (`guides.models.routed_guide`).
    watch_content(GuidePdf)
    # Contacts are shown by the directory, guides and outcomes: a changed number or
    # opening hour shows at once (cached pages and fragments are dropped).
    watch_content(Contact)
    watch_content(ContactHours)
    m2m_changed.connect(
        content_changed, sender=Contact.needs.through, dispatch_uid="content-m2m-contact-needs"
    )
    page_published.connect(queue_guide_pdf, sender=GuidePage, dispatch_uid="guides_queue_pdf")
    # Outcomes of « Que faire ? » show contacts and guide sections: their stored fiches
    # are dropped when either changes (the cached pages go with the content, above).
    for model in (Contact, ContactHours):
        post_save.connect(drop_fiches, sender=model, dispatch_uid=f"guides_fiches_{model.__name__}")
        post_delete.connect(
            drop_fiches, sender=model, dispatch_uid=f"guides_fiches_del_{model.__name__}"
        )
    page_published.connect(drop_fiches, sender=GuidePage, dispatch_uid="guides_fiches_guide")
