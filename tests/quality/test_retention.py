"""Complaints past their retention lose their author and texts, not their figures."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from quality import figures
from quality.log_actions import COMPLAINT_EXPIRE
from quality.models import ERASED, Complaint, ComplaintStatus
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def closed(file, days_ago, **fields):
    complaint = file(**fields)
    Complaint.objects.filter(pk=complaint.pk).update(
        status=ComplaintStatus.CLOSE,
        closed_at=timezone.now() - datetime.timedelta(days=days_ago),
        answer="Merci, c'est corrigé.",
        answer_sent="Merci, c'est corrigé.",
    )
    return Complaint.objects.get(pk=complaint.pk)


def test_only_complaints_closed_past_the_retention_are_anonymised(
    file, django_user_model, settings
):
    settings.COMPLAINT_RETENTION_YEARS = 3
    author = make_user(django_user_model, "auteur@example.org", mfa=False)
    old = closed(file, 4 * 365, user=author, message="Texte ancien avec un nom.")
    recent = closed(file, 30, email="recent@example.org", message="Texte récent.")
    still_open = file(email="ouverte@example.org", message="Toujours en cours.")
    Complaint.objects.filter(pk=still_open.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=5 * 365)
    )
    before = figures.complaints_by_status()

    call_command("anonymise_complaints", stdout=open("/dev/null", "w"))  # noqa: SIM115

    old.refresh_from_db()
    assert old.filed_by is None
    assert (old.name, old.email, old.message, old.answer, old.answer_sent) == (ERASED,) * 5
    # What the audit counts stays.
    assert old.reference and old.status == ComplaintStatus.CLOSE and old.closed_at
    assert figures.complaints_by_status() == before
    recent.refresh_from_db()
    assert recent.message == "Texte récent." and recent.email == "recent@example.org"
    still_open.refresh_from_db()
    assert still_open.message == "Toujours en cours."
    entry = ModelLogEntry.objects.get(action=COMPLAINT_EXPIRE)
    assert entry.data == {"reference": old.reference}
    assert "Texte ancien" not in str(entry.data)


def test_idempotent_and_replayable_with_now(file, settings, capsys):
    settings.COMPLAINT_RETENTION_YEARS = 3
    complaint = closed(file, 10)
    later = (timezone.now() + datetime.timedelta(days=3 * 366)).isoformat()
    call_command("anonymise_complaints", "--now", later)
    call_command("anonymise_complaints", "--now", later)
    out = capsys.readouterr().out
    first, second = out.splitlines()
    assert first == "1 réclamation anonymisée."
    assert second.startswith("0 réclamation")
    assert ModelLogEntry.objects.filter(action=COMPLAINT_EXPIRE).count() == 1
    complaint.refresh_from_db()
    assert complaint.message == ERASED
