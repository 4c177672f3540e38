"""delete_account: what goes, what stays (certificates), the waiting list, idempotency."""

import logging

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from accounts.privacy.erasure import delete_account
from accounts.services import AccountError
from certificates.models import Certificate, CertificateKind
from courses.models import (
    AttemptAnswer,
    Attendance,
    AttendanceMark,
    CalendarFeed,
    Enrolment,
    LessonProgress,
    ModuleCompletion,
    QuizAttempt,
    Registration,
    SlotSignature,
)
from courses.models.sessions import RegistrationStatus
from tests.certificates.test_holder_views import store_pdf
from tests.conftest import make_user
from tests.sessions.registration_helpers import after_close, new_professional, subjects_to

from .privacy_helpers import full_history, upcoming_full_session

pytestmark = pytest.mark.django_db

DELETED_SUBJECT = "[Repères] Votre compte Repères a été supprimé"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run `function` as if its transaction committed (e-mails, file removal)."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def history(professional):
    return full_history(professional)


def rows_of(user_id):
    """How many rows of each personal kind still point to the account."""
    return {
        "email addresses": EmailAddress.objects.filter(user_id=user_id).count(),
        "authenticators": Authenticator.objects.filter(user_id=user_id).count(),
        "enrolments": Enrolment.objects.filter(user_id=user_id).count(),
        "lessons": LessonProgress.objects.filter(user_id=user_id).count(),
        "attempts": QuizAttempt.objects.filter(user_id=user_id).count(),
        "answers": AttemptAnswer.objects.filter(attempt__user_id=user_id).count(),
        "completions": ModuleCompletion.objects.filter(user_id=user_id).count(),
        "registrations": Registration.objects.filter(user_id=user_id).count(),
        "attendances": Attendance.objects.filter(registration__user_id=user_id).count(),
        "marks": AttendanceMark.objects.filter(attendance__registration__user_id=user_id).count(),
        "signatures": SlotSignature.objects.filter(registration__user_id=user_id).count(),
        "calendar feeds": CalendarFeed.objects.filter(user_id=user_id).count(),
    }


def test_the_account_and_everything_attached_are_erased(committed, professional, history):
    user_id = professional.pk
    assert all(rows_of(user_id).values()), rows_of(user_id)
    signature = SlotSignature.objects.get(registration__user=professional)
    drawing = (signature.image.storage, signature.image.name)
    assert drawing[0].exists(drawing[1])

    result = committed(delete_account, professional, reason="self", by=professional)

    assert result.deleted and result.user_id == user_id
    assert result.cancelled_registrations == 1
    assert result.certificates_kept == 2
    assert not get_user_model().objects.filter(pk=user_id).exists()
    assert not any(rows_of(user_id).values()), rows_of(user_id)
    # The drawn signature is a personal file: removed from storage after the commit.
    assert not drawing[0].exists(drawing[1])
    # The registration history rows are gone, not merely cancelled.
    assert not Registration.objects.filter(email="pro@example.org").exists()


def test_certificates_stay_as_issued_and_verifiable(client, committed, professional, history):
    certificates = list(Certificate.objects.filter(holder=professional).order_by("kind"))
    assert {c.kind for c in certificates} == {
        CertificateKind.COMPLETION,
        CertificateKind.ACHIEVEMENT,
    }
    for certificate in certificates:
        store_pdf(certificate)  # what the render task leaves once the issue commits

    committed(delete_account, professional, reason="self", by=professional)

    for certificate in certificates:
        certificate.refresh_from_db()
        assert certificate.holder_id is None and certificate.completion_id is None
        assert certificate.holder_name == "Camille Martin"
        assert certificate.anonymised_at is None
        assert certificate.pdf.storage.exists(certificate.pdf.name)
        page = client.get(certificate.get_verification_path())
        assert page.status_code == 200
        html = page.content.decode()
        assert "Authentique" in html and "Camille Martin" in html
    # The certificat de réalisation still says what was attended: one half-day of two.
    achievement = next(c for c in certificates if c.kind == CertificateKind.ACHIEVEMENT)
    assert achievement.achieved_minutes == 210 and achievement.planned_minutes == 420


def test_an_upcoming_seat_goes_to_the_waiting_list(committed, professional, history):
    waiting = history["waiting"]

    committed(delete_account, professional, reason="self", by=professional)

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert subjects_to(waiting.user.email)[-1].startswith("[Repères] Une place s")
    # Trainers read it in the session's history: the cancellation, then the promotion.
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(history["upcoming"].pk))
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["reperes.session_unregister", "reperes.session_promote"]


def test_a_seat_is_freed_even_after_registrations_closed(committed, professional):
    session, _seat, waiting = upcoming_full_session(professional)

    committed(delete_account, professional, reason="self", now=after_close(session))

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_a_confirmation_goes_to_the_address_of_the_account(committed, professional, history):
    mail.outbox.clear()

    committed(delete_account, professional, reason="self", by=professional)

    sent = [m for m in mail.outbox if m.subject == DELETED_SUBJECT]
    assert [m.to for m in sent] == [["pro@example.org"]]
    body = sent[0].body
    assert "Bonjour Camille," in body
    assert "comme vous l'avez demandé" in body
    assert "Les 2 certificats qui vous ont été délivrés restent vérifiables" in body
    assert "pendant 3 ans" in body
    assert "http://testserver/verifier/" in body


def test_deleting_again_does_nothing(committed, professional, history):
    committed(delete_account, professional, reason="self", by=professional)
    mail.outbox.clear()

    again = committed(delete_account, professional, reason="self", by=professional)

    assert again.deleted is False
    assert not mail.outbox


def test_a_superuser_is_refused(committed, django_user_model):
    admin = make_user(django_user_model, "admin@example.org", is_superuser=True, is_staff=True)

    with pytest.raises(AccountError) as excinfo:
        committed(delete_account, admin, reason="self", by=admin)

    assert excinfo.value.code == "superuser_refused"
    assert django_user_model.objects.filter(pk=admin.pk).exists()
    assert not mail.outbox


def test_an_unknown_reason_is_refused(professional):
    with pytest.raises(AccountError) as excinfo:
        delete_account(professional, reason="whim")
    assert excinfo.value.code == "invalid_reason"


def test_other_people_keep_their_records(committed, professional, history):
    other = new_professional(email="autre@example.org")
    other_history = full_history(other)
    before = rows_of(other.pk)

    committed(delete_account, professional, reason="self", by=professional)

    assert rows_of(other.pk) == before
    assert Certificate.objects.filter(holder=other).count() == 2
    assert other_history["waiting"].user_id != professional.pk


def test_a_trainer_can_leave_and_the_marks_they_made_stay(committed, professional, history):
    trainer = history["trainer"]
    registration = history["past_registration"]

    result = committed(delete_account, trainer, reason="self", by=trainer)

    assert result.deleted
    marks = Attendance.objects.filter(registration=registration)
    assert marks.count() == 2 and all(mark.marked_by_id is None for mark in marks)
    assert history["past_session"].trainers.count() == 0
    assert rows_of(professional.pk)["attendances"] == 2


def test_sessions_on_other_devices_end(client, professional, history):
    from django.test import Client

    other_device = Client()
    other_device.force_login(professional)
    assert other_device.get(reverse("courses:dashboard")).status_code == 200

    delete_account(professional, reason="self", by=professional)

    response = other_device.get(reverse("courses:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_logs_name_the_account_by_id_only(committed, professional, history, caplog):
    caplog.set_level(logging.INFO)
    user_id = professional.pk

    committed(delete_account, professional, reason="self", by=professional)

    deletions = [r for r in caplog.records if r.getMessage() == "account deleted"]
    assert [(r.user_id, r.reason) for r in deletions] == [(user_id, "self")]
    for record in caplog.records:
        text = record.getMessage() + str(record.__dict__)
        assert "pro@example.org" not in text and "Martin" not in text
    entry = ModelLogEntry.objects.get(action="reperes.account_delete")
    assert entry.label == f"#{user_id}"
    assert entry.data["reason"] == "self"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_deletions_at_once_delete_once(professional):
    from tests.concurrency import run_in_parallel

    session, _seat, waiting = upcoming_full_session(professional)
    mail.outbox.clear()
    copies = [get_user_model().objects.get(pk=professional.pk) for _ in range(2)]

    results, errors = run_in_parallel(
        lambda user: delete_account(user, reason="self", by=user), copies
    )

    assert errors == []
    assert sorted(result.deleted for result in results) == [False, True]
    assert [m.to for m in mail.outbox if m.subject == DELETED_SUBJECT] == [["pro@example.org"]]
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert session.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 1


def test_a_file_that_cannot_be_removed_is_logged_and_the_others_still_go(caplog, tmp_path):
    from django.core.files.storage import FileSystemStorage

    from accounts.privacy.erasure import delete_files

    class UnreachableStorage:  # fails as a remote storage does: not with OSError
        def delete(self, name):
            raise RuntimeError("bucket unreachable")

    local = FileSystemStorage(location=tmp_path)
    (tmp_path / "signature.png").write_bytes(b"png")

    delete_files([(UnreachableStorage(), "remote.png"), (local, "signature.png")])

    assert not (tmp_path / "signature.png").exists()
    assert "file of a deleted account not removed" in caplog.text
