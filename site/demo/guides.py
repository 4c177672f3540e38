"""Demo guides: publishers, the guide index, five live guides and one in review."""

import datetime
import logging

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Audience
from guides.models import GuideIndexPage, GuidePage, Publisher
from guides.setup import ensure_editorial_setup

from .contacts import contact_ids, ensure_contacts
from .content import GUIDE_IN_REVIEW, GUIDES, PUBLISHERS

logger = logging.getLogger(__name__)

# The date the demo summaries were written against; editors update it per reference.
IN_FORCE_ON = "2026-11-01"


def ensure_publishers():
    publishers = {}
    for spec in PUBLISHERS:
        spec = dict(spec)
        key = spec.pop("key")
        publishers[key], _ = Publisher.objects.get_or_create(name=spec["name"], defaults=spec)
    return publishers


def ensure_guide_index(home):
    index = GuideIndexPage.objects.child_of(home).first()
    if index is None:
        index = GuideIndexPage(
            title="Guides juridiques",
            slug="guides",
            intro=(
                "Les repères juridiques et pratiques pour agir : ce que dit la loi, les "
                "signes à repérer, qui appeler. Contenus d'exemple relus avant publication."
            ),
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    ensure_editorial_setup(index)
    return index


def _raw_block(block_type, value):
    """Turn the compact demo notation into the blocks' raw JSON form."""
    if block_type == "heading":
        value = {"level": "h2", "anchor": slugify(value["text"])[:80], **value}
    elif block_type == "legal_reference":
        value = {"in_force_on": IN_FORCE_ON, **value}
    elif block_type == "steps":
        value = {
            "title": "Les étapes",
            "steps": [{"title": step, "detail": ""} for step in value["steps"]],
        }
    elif block_type == "contacts":
        value = {"title": "Contacts", **value}
    elif block_type == "directory_contacts":
        value = {
            "heading": value.get("heading", ""),
            "contacts": contact_ids(value["contacts"]),
        }
    elif block_type == "warning":
        value = {**value}
    elif block_type == "faq":
        value = {"title": "Questions fréquentes", "questions": value["items"]}
    return {"type": "paragraph" if block_type == "rich_text" else block_type, "value": value}


def _build_guide(spec, publishers, audiences):
    today = timezone.localdate()
    page = GuidePage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"],
        publisher=publishers[spec["publisher"]],
        last_legal_review=today - datetime.timedelta(days=spec["review_days_ago"]),
        next_review_due=today + datetime.timedelta(days=spec["next_review_in_days"]),
        body=[_raw_block(block_type, value) for block_type, value in spec["body"]],
        search_description=spec["summary"][:300],
    )
    page.audiences.set([audiences[code] for code in spec["audiences"]])
    page.topics.set(spec["topics"])
    return page


def ensure_guides(index, editor, reviewer):
    """Create the demo guides that are missing; existing ones are left untouched.

    Returns (published, in_review): how many were created live, and how many as a
    draft sent to legal review (not listed on /guides/ until a reviewer publishes it).
    """
    publishers = ensure_publishers()
    ensure_contacts()  # before the guides that show some of them
    audiences = {audience.code: audience for audience in Audience.objects.all()}
    existing = set(GuidePage.objects.child_of(index).values_list("slug", flat=True))
    published = in_review = 0
    for spec in GUIDES:
        if spec["slug"] in existing:
            continue
        page = _build_guide(spec, publishers, audiences)
        index.add_child(instance=page)
        page.save_revision(user=editor).publish(user=reviewer)
        published += 1
    if GUIDE_IN_REVIEW["slug"] not in existing:
        _submit_for_review(index, _build_guide(GUIDE_IN_REVIEW, publishers, audiences), editor)
        in_review += 1
    logger.info("demo guides created: %d published, %d in review", published, in_review)
    return published, in_review


def _submit_for_review(index, page, editor):
    page.live = False
    index.add_child(instance=page)
    page.save_revision(user=editor)
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, editor)


def demo_staff():
    User = get_user_model()
    editor = User.objects.filter(email="redaction@reperes.example").first()
    reviewer = User.objects.filter(email="relecture@reperes.example").first()
    return editor, reviewer
