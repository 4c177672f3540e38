"""Demo of issue 14's reach figures: publishers' members, and 90 days of guide reading.

Idempotent: members are added (not replaced), and a day already counted is left as it
is. The counts are example figures (a weekly rhythm, deterministic); they hold no
personal data, like the real ones.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from guides.models import GuideDailyCount, GuidePage, Publisher

DAYS = 90
# Who belongs to which demo publisher (by e-mail): the editor and the trainer.
MEMBERS = {
    "Observatoire départemental des violences faites aux femmes": ["redaction@reperes.example"],
    "Amicale du Nid": ["formateur@reperes.example"],
}


def ensure_publisher_members():
    User = get_user_model()
    for name, emails in MEMBERS.items():
        publisher = Publisher.objects.filter(name=name).first()
        if publisher is not None:
            publisher.members.add(*User.objects.filter(email__in=emails))


def ensure_guide_counts(today=None):
    """Example views and PDF downloads for each live guide over the last 90 days."""
    today = today or timezone.localdate()
    rows = []
    for rank, page_id in enumerate(
        GuidePage.objects.live().order_by("pk").values_list("pk", flat=True)
    ):
        for offset in range(1, DAYS + 1):
            day = today - timedelta(days=offset)
            weekday = day.weekday() < 5
            views = (12 if weekday else 3) + (offset * 7 + rank * 5) % 9
            rows.append(
                GuideDailyCount(page_id=page_id, day=day, views=views, pdf_downloads=views // 6)
            )
    GuideDailyCount.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)
