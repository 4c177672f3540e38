"""The complaint services: references, statuses and their codes, the answer sent once, the log."""

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import ModelLogEntry

from quality import services
from quality.errors import ComplaintError
from quality.models import Complaint, ComplaintSequence, ComplaintStatus

pytestmark = pytest.mark.django_db

S = ComplaintStatus


def log_actions(complaint):
    return list(
        ModelLogEntry.objects.filter(
            content_type__app_label="quality",
            content_type__model="complaint",
            object_id=str(complaint.pk),
        )
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )


# --- References ----------------------------------------------------------------------------


def test_references_are_consecutive_per_year(file):
    year = timezone.localdate().year
    first = file(message="Un.")
    second = file(message="Deux.")

    assert first.reference == f"R-{year}-0001"
    assert second.reference == f"R-{year}-0002"
    assert ComplaintSequence.objects.get(year=year).last_number == 2


def test_a_new_year_starts_again_at_one(file):
    year = timezone.localdate().year
    ComplaintSequence.objects.create(year=year - 1, last_number=41)

    assert file().reference == f"R-{year}-0001"


def test_a_double_submit_uses_no_number(file):
    first = file()
    again = file()
    third = file(message="Autre chose.")

    assert again.pk == first.pk
    assert third.reference.endswith("-0002")


def test_double_submit_window_is_a_minute(file, monkeypatch):
    first = file()
    later = timezone.now() + services.DOUBLE_SUBMIT_WINDOW + timezone.timedelta(seconds=1)
    monkeypatch.setattr("quality.services.timezone.now", lambda: later)

    assert file().pk != first.pk


def test_filing_is_logged_without_the_person(file):
    complaint = file()

    entry = ModelLogEntry.objects.get(action="reperes.complaint_file")
    assert entry.object_id == str(complaint.pk)
    assert entry.data["reference"] == complaint.reference
    assert "alex@example.org" not in str(entry.data) + entry.label


# --- Statuses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        [S.EN_COURS],
        [S.CLOSE],
        [S.CLOSE, S.EN_COURS],
    ],
)
def test_allowed_transitions(file, coordinator, path):
    complaint = file()
    for status in path:
        complaint = services.change_status(complaint, status, by=coordinator)
    assert complaint.status == path[-1]


@pytest.mark.parametrize(
    "start,target",
    [
        (S.RECUE, S.TRAITEE),
        (S.EN_COURS, S.RECUE),
        (S.EN_COURS, S.CLOSE),
        (S.CLOSE, S.TRAITEE),
        (S.CLOSE, S.RECUE),
        (S.RECUE, "inconnu"),
    ],
)
def test_refused_transitions_have_a_code_and_change_nothing(file, coordinator, start, target):
    complaint = file()
    Complaint.objects.filter(pk=complaint.pk).update(status=start)

    with pytest.raises(ComplaintError) as excinfo:
        services.change_status(complaint, target, by=coordinator)

    assert excinfo.value.code == "invalid_transition"
    assert Complaint.objects.get().status == start


def test_traitee_by_hand_needs_an_answer_sent(file, coordinator):
    complaint = services.change_status(file(), S.EN_COURS, by=coordinator)

    with pytest.raises(ComplaintError) as excinfo:
        services.change_status(complaint, S.TRAITEE, by=coordinator)

    assert excinfo.value.code == "answer_missing"


def test_the_same_status_changes_nothing_and_logs_nothing(file, coordinator):
    complaint = file()
    services.change_status(complaint, S.RECUE, by=coordinator)

    assert log_actions(complaint) == ["reperes.complaint_file"]


def test_closing_dates_it_and_reopening_clears_it(file, coordinator):
    complaint = services.change_status(file(), S.CLOSE, by=coordinator)
    assert complaint.closed_at is not None

    complaint = services.change_status(complaint, S.EN_COURS, by=coordinator)
    assert complaint.closed_at is None


def test_status_change_is_logged_with_who_and_what(file, coordinator):
    complaint = services.change_status(file(), S.EN_COURS, by=coordinator)

    entry = ModelLogEntry.objects.filter(action="reperes.complaint_status").get()
    assert entry.user == coordinator
    assert entry.data["previous"] == S.RECUE
    assert entry.data["status"] == S.EN_COURS
    assert entry.object_id == str(complaint.pk)


# --- Assignee ------------------------------------------------------------------------------


def test_assignee_must_be_staff(file, coordinator, professional):
    complaint = file()

    with pytest.raises(ComplaintError) as excinfo:
        services.assign_complaint(complaint, professional, by=coordinator)

    assert excinfo.value.code == "assignee_not_staff"
    complaint = services.assign_complaint(complaint, coordinator, by=coordinator)
    assert complaint.assignee == coordinator
    assert "reperes.complaint_assign" in log_actions(complaint)


def test_update_is_all_or_nothing(file, coordinator):
    complaint = file()

    with pytest.raises(ComplaintError):
        services.update_complaint(
            complaint, by=coordinator, status=S.TRAITEE, assignee=coordinator, answer="Brouillon"
        )

    complaint.refresh_from_db()
    assert (complaint.assignee, complaint.answer, complaint.status) == (None, "", S.RECUE)


# --- The answer ----------------------------------------------------------------------------


def test_answer_is_stored_dated_sent_and_marks_the_complaint_handled(file, coordinator, committed):
    complaint = committed(file)
    mail.outbox.clear()

    result = committed(
        services.answer_complaint, complaint, "Merci, c'est corrigé.", by=coordinator
    )

    assert result.sent
    complaint.refresh_from_db()
    assert complaint.status == S.TRAITEE
    assert complaint.answer == complaint.answer_sent == "Merci, c'est corrigé."
    assert complaint.answered_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alex@example.org"]
    assert complaint.reference in mail.outbox[0].subject
    assert "Merci, c'est corrigé." in mail.outbox[0].body
    assert log_actions(complaint) == [
        "reperes.complaint_file",
        "reperes.complaint_status",  # reçue → en cours
        "reperes.complaint_answer",
        "reperes.complaint_status",  # en cours → traitée
    ]


def test_sending_the_same_answer_twice_sends_one_email(file, coordinator, committed):
    complaint = file()

    first = committed(services.answer_complaint, complaint, "Réponse.", by=coordinator)
    second = committed(services.answer_complaint, complaint, "  Réponse. ", by=coordinator)

    assert (first.sent, second.sent) == (True, False)
    assert len(mail.outbox) == 1
    assert log_actions(complaint).count("reperes.complaint_answer") == 1


def test_a_corrected_answer_is_sent_again(file, coordinator, committed):
    complaint = file()
    committed(services.answer_complaint, complaint, "Réponse.", by=coordinator)
    committed(services.answer_complaint, complaint, "Réponse corrigée.", by=coordinator)

    assert len(mail.outbox) == 2
    assert "Réponse corrigée." in mail.outbox[1].body


@pytest.mark.parametrize(
    "answer,code", [("", "answer_empty"), ("   ", "answer_empty"), ("a" * 5001, "answer_too_long")]
)
def test_bad_answers_are_refused(file, coordinator, answer, code):
    complaint = file()

    with pytest.raises(ComplaintError) as excinfo:
        services.answer_complaint(complaint, answer, by=coordinator)

    assert excinfo.value.code == code
    assert Complaint.objects.get().answered_at is None


def test_a_closed_complaint_is_not_answered(file, coordinator, committed):
    complaint = services.change_status(file(), S.CLOSE, by=coordinator)

    with pytest.raises(ComplaintError) as excinfo:
        committed(services.answer_complaint, complaint, "Réponse.", by=coordinator)

    assert excinfo.value.code == "complaint_closed"
    assert mail.outbox == []


def test_an_erased_address_gets_no_answer(file, coordinator):
    complaint = file()
    Complaint.objects.filter(pk=complaint.pk).update(email="—")

    with pytest.raises(ComplaintError) as excinfo:
        services.answer_complaint(complaint, "Réponse.", by=coordinator)

    assert excinfo.value.code == "no_address"


def test_answer_email_escapes_html(file, coordinator, committed):
    complaint = file()

    committed(services.answer_complaint, complaint, "<img src=x onerror=alert(1)>", by=coordinator)

    html = mail.outbox[0].alternatives[0][0]
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_receipt_gives_the_reference_subject_and_message(file, committed, module):
    complaint = committed(
        file, subject_type="module", module=module, message="La leçon 2\nne charge pas."
    )

    message = mail.outbox[0]
    assert message.to == ["alex@example.org"]
    assert message.subject == f"[Repères] Réclamation reçue : {complaint.reference}"
    assert complaint.reference in message.body
    assert module.title in message.body
    assert "La leçon 2\nne charge pas." in message.body
    html = message.alternatives[0][0]
    assert complaint.reference in html
    assert "La leçon 2<br>ne charge pas." in html
    assert "Bonjour Alex Durand," in message.body


def test_a_rolled_back_filing_sends_no_receipt(file, committed, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr("quality.services.record", fail)

    with pytest.raises(RuntimeError):
        committed(file)

    assert Complaint.objects.count() == 0
    assert mail.outbox == []
