"""Complaints in « Mes données » and on account deletion."""

import pytest
from wagtail.models import ModelLogEntry

from accounts.privacy.erasure import delete_account
from accounts.privacy.export import personal_data
from quality import services
from quality.models import ERASED, Complaint
from tests.accounts.test_privacy_views import MY_DATA, reauthenticated

pytestmark = pytest.mark.django_db


def test_the_export_holds_my_complaints_and_nobody_elses(professional, file, coordinator):
    mine = file(user=professional, message="Mon message.")
    services.answer_complaint(mine, "Notre réponse.", by=coordinator)
    file(message="Le message de quelqu'un d'autre.")
    file(email=professional.email, message="Envoyé sans être connecté·e.")

    data = personal_data(professional)["complaints"]

    assert [row["reference"] for row in data] == [mine.reference]
    assert data[0]["message"] == "Mon message."
    assert data[0]["answer"] == "Notre réponse."
    assert data[0]["status"] == "traitee"


def test_the_export_reads_in_one_query(professional, file, django_assert_num_queries):
    from quality.privacy import complaints

    for index in range(3):
        file(user=professional, message=f"Message {index}.")
    with django_assert_num_queries(1):
        complaints(professional)


def test_my_data_page_lists_my_complaints(client, professional, file):
    mine = file(user=professional, message="Mon message.")

    html = reauthenticated(client, professional).get(MY_DATA).content.decode()

    assert "Réclamations" in html
    assert mine.reference in html


def test_deletion_keeps_the_complaint_without_its_author(
    professional, file, django_capture_on_commit_callbacks
):
    mine = file(user=professional, message="Mon message.")
    other = file(message="Autre.")

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(professional, reason="self", by=professional)

    mine.refresh_from_db()
    assert mine.filed_by is None
    assert (mine.name, mine.email) == (ERASED, ERASED)
    assert mine.message == "Mon message."
    other.refresh_from_db()
    assert (other.name, other.email) == ("Alex Durand", "alex@example.org")
    entry = ModelLogEntry.objects.get(action="reperes.complaint_erase")
    assert entry.object_id == str(mine.pk)
    assert Complaint.objects.count() == 2


def test_an_assignee_deleted_leaves_the_complaint(file, trainer, coordinator):
    complaint = services.assign_complaint(file(), trainer, by=coordinator)
    trainer.delete()

    complaint.refresh_from_db()
    assert complaint.assignee is None
