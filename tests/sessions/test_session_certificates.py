"""Closing a session: status « terminée » and the certificats de réalisation."""

from datetime import timedelta

import pytest
from wagtail.models import ModelLogEntry

from certificates import services as certificate_services
from certificates.models import Certificate, CertificateKind, CertificateTemplate
from courses.models import ModuleCompletion
from courses.models.sessions import AttendanceStatus, SessionStatus
from courses.sessions.attendance import mark_attendance
from courses.sessions.certificates import (
    attendees,
    finish_session,
    issue_session_certificate,
    issue_session_certificate_by_hand,
)
from courses.sessions.errors import SessionError
from tests.certificates.helpers import complete_module
from tests.conftest import make_user

from .factories import add_participant, add_slot, build_session

pytestmark = pytest.mark.django_db

PRESENT, LATE, ABSENT, EXCUSED = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.ABSENT,
    AttendanceStatus.EXCUSED,
)


def during(slot, minutes=30):
    return slot.starts_at + timedelta(minutes=minutes)


def mark(session, registration, statuses):
    """Mark `registration` at each slot of the session, in order, by its trainer."""
    trainer = session.trainers.get()
    for slot, status in zip(session.slots.all(), statuses, strict=False):
        if status:
            mark_attendance(trainer, slot, registration, status, now=during(slot))


def end_of(session):
    return session.ends_at + timedelta(minutes=5)


@pytest.fixture
def session():
    # Three half-days: 3 h 30 each, 10 h 30 planned.
    session = build_session(slots=2, title="Prévenir la prostitution des mineur·e·s")
    add_slot(session, session.slots.last().date, start="14:00", end="16:00")
    return session


@pytest.fixture
def session_trainer(session):
    return session.trainers.get()


@pytest.fixture
def people(session, django_user_model):
    """Four confirmed participants: all, some, none attended, and one only excused."""
    users = [
        make_user(
            django_user_model,
            f"p{index}@example.org",
            first_name=f"Prénom{index}",
            last_name=f"Nom{index}",
            organisation="Collège Jean-Jaurès",
            profession="cpe",
        )
        for index in range(4)
    ]
    registrations = [add_participant(session, user) for user in users]
    mark(session, registrations[0], [PRESENT, PRESENT, LATE])
    mark(session, registrations[1], [ABSENT, PRESENT, None])
    mark(session, registrations[2], [ABSENT, ABSENT, ABSENT])
    mark(session, registrations[3], [EXCUSED, None, None])
    return registrations


def test_finishing_gives_a_certificate_to_each_participant_who_attended(
    session, session_trainer, people
):
    issued = finish_session(session, session_trainer, now=end_of(session))

    session.refresh_from_db()
    assert session.status == SessionStatus.FINISHED
    assert session.finished_at == end_of(session)
    assert {certificate.holder for certificate in issued} == {people[0].user, people[1].user}
    assert Certificate.objects.count() == 2


def test_the_certificate_states_the_hours_attended_out_of_the_hours_planned(
    session, session_trainer, people
):
    CertificateTemplate.objects.create(
        publisher=session.organiser,
        issuer_name="Amicale du Nid 93",
        signatory_name="Claire Exemple",
        signatory_role="Directrice",
    )
    first, second, third = session.slots.all()

    finish_session(session, session_trainer, now=end_of(session))

    full = Certificate.objects.get(holder=people[0].user)
    assert full.kind == CertificateKind.ACHIEVEMENT
    assert full.session == session
    assert full.module is None and full.completion is None
    assert full.title == "Prévenir la prostitution des mineur·e·s"
    assert full.publisher_name == session.organiser.name
    assert (full.issuer_name, full.signatory_name) == ("Amicale du Nid 93", "Claire Exemple")
    assert (full.holder_first_name, full.holder_last_name) == ("Prénom0", "Nom0")
    assert full.holder_organisation == "Collège Jean-Jaurès"
    assert full.holder_profession  # the label, in French
    assert full.planned_minutes == 210 + 210 + 120
    assert full.achieved_minutes == 210 + 210 + 120  # « en retard » counts as attended
    assert full.elearning_minutes == 0
    assert (full.started_on, full.completed_on) == (first.date, third.date)
    assert full.expires_on is None
    assert full.score is None

    partial = Certificate.objects.get(holder=people[1].user)
    assert partial.achieved_minutes == 210
    assert (partial.started_on, partial.completed_on) == (second.date, second.date)


def test_the_elearning_time_of_a_completed_linked_module_is_stated(
    session, session_trainer, people
):
    user = people[0].user
    module, completion = complete_module(user)
    ModuleCompletion.objects.filter(pk=completion.pk).update(time_spent_seconds=95 * 60 + 59)
    session.module = module
    session.save()

    finish_session(session, session_trainer, now=end_of(session))

    certificate = Certificate.objects.get(holder=user, kind=CertificateKind.ACHIEVEMENT)
    assert certificate.elearning_minutes == 95
    assert certificate.achieved_minutes == 540
    # Someone who did not complete the module online gets attended hours only.
    assert Certificate.objects.get(holder=people[1].user).elearning_minutes == 0
    # The module's own attestation is untouched, and both are in force together.
    assert Certificate.objects.current().filter(holder=user).count() == 2


def test_two_sessions_of_the_same_module_give_two_certificates(
    session, session_trainer, people, professional
):
    module, _ = complete_module(professional)
    session.module = module
    session.save()
    again = build_session(
        slots=1, module=module, start=session.slots.last().date + timedelta(days=7)
    )
    for one in (session, again):
        registration = add_participant(one, professional)
        mark(one, registration, [PRESENT])
        finish_session(one, one.trainers.get(), now=end_of(one))

    assert Certificate.objects.filter(holder=professional, kind="achievement").count() == 2


def test_finishing_again_issues_nothing_twice(session, session_trainer, people):
    first = finish_session(session, session_trainer, now=end_of(session))
    again = finish_session(session, session_trainer, now=end_of(session) + timedelta(days=1))

    assert [c.pk for c in again] == [c.pk for c in first]
    assert Certificate.objects.count() == 2
    session.refresh_from_db()
    assert session.finished_at == end_of(session)
    assert ModelLogEntry.objects.filter(action="reperes.session_finish").count() == 1


def test_finishing_again_after_a_correction_issues_the_missing_certificate(
    session, session_trainer, people
):
    finish_session(session, session_trainer, now=end_of(session))
    slot = session.slots.first()
    mark_attendance(
        session_trainer,
        slot,
        people[2],
        PRESENT,
        reason="Signature sur la feuille papier",
        now=end_of(session) + timedelta(hours=1),
    )

    finish_session(session, session_trainer, now=end_of(session) + timedelta(hours=2))

    assert Certificate.objects.get(holder=people[2].user).achieved_minutes == 210
    assert Certificate.objects.count() == 3


def test_a_revoked_certificate_is_not_issued_again(session, session_trainer, people, coordinator):
    finish_session(session, session_trainer, now=end_of(session))
    certificate = Certificate.objects.get(holder=people[0].user)
    certificate_services.revoke_certificate(certificate, by=coordinator, reason="Erreur")

    issued = finish_session(session, session_trainer, now=end_of(session))

    assert [c.holder for c in issued] == [people[1].user]
    assert Certificate.objects.count() == 2
    with pytest.raises(SessionError) as excinfo:
        issue_session_certificate(people[0])
    assert excinfo.value.code == "certificate_revoked"


def test_a_reissued_certificate_is_the_one_returned(session, session_trainer, people, coordinator):
    finish_session(session, session_trainer, now=end_of(session))
    old = Certificate.objects.get(holder=people[0].user)
    new = certificate_services.reissue_certificate(old, by=coordinator, reason="Nom")

    assert issue_session_certificate(people[0]).pk == new.pk
    # The replacement certifies the same session, with the same durations.
    assert new.session_id == old.session_id == session.pk
    assert (new.achieved_minutes, new.elearning_minutes, new.planned_minutes) == (
        old.achieved_minutes,
        old.elearning_minutes,
        old.planned_minutes,
    )
    assert Certificate.objects.current().get(holder=people[0].user, session=session) == new


def test_cancelled_participants_and_the_waiting_list_get_nothing(
    session, session_trainer, django_user_model
):
    waiting = add_participant(session, make_user(django_user_model, "w@example.org"), "waiting")
    mark(
        session, add_participant(session, make_user(django_user_model, "c@example.org")), [PRESENT]
    )
    cancelled = session.registrations.get(email="c@example.org")
    cancelled.status = "cancelled"
    cancelled.save()

    assert finish_session(session, session_trainer, now=end_of(session)) == []
    assert list(attendees(session)) == []
    for registration in (waiting, cancelled):
        with pytest.raises(SessionError) as excinfo:
            issue_session_certificate(registration)
        assert excinfo.value.code == "not_registered"


def test_the_pdf_is_rendered_once_the_certificates_commit(
    session, session_trainer, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        finish_session(session, session_trainer, now=end_of(session))

    certificate = Certificate.objects.get(holder=people[0].user)
    assert certificate.pdf
    assert certificate.pdf.read().startswith(b"%PDF")


def test_finishing_is_logged(session, session_trainer, people):
    finish_session(session, session_trainer, now=end_of(session))

    entry = ModelLogEntry.objects.get(action="reperes.session_finish")
    assert entry.object_id == str(session.pk)
    assert entry.user_id == session_trainer.pk
    assert ModelLogEntry.objects.filter(action="reperes.certificate_issue").count() == 2


# --- Refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["other_trainer", "participant", "anonymous", "nobody"])
def test_only_its_trainers_and_coordination_finish_a_session(session, people, who):
    from django.contrib.auth.models import AnonymousUser

    by = {
        "other_trainer": lambda: build_session().trainers.get(),
        "participant": lambda: people[0].user,
        "anonymous": AnonymousUser,
        "nobody": lambda: None,
    }[who]()

    with pytest.raises(SessionError) as excinfo:
        finish_session(session, by, now=end_of(session))

    assert excinfo.value.code == "not_allowed"
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED
    assert not Certificate.objects.exists()


def test_coordination_finishes_any_session(session, people, coordinator):
    assert len(finish_session(session, coordinator, now=end_of(session))) == 2


def test_a_session_is_finished_once_its_last_half_day_has_started(session, session_trainer, people):
    last = session.slots.last()
    with pytest.raises(SessionError) as excinfo:
        finish_session(session, session_trainer, now=last.starts_at - timedelta(minutes=1))
    assert excinfo.value.code == "session_not_over"
    assert not Certificate.objects.exists()

    assert finish_session(session, session_trainer, now=last.starts_at + timedelta(minutes=90))


def test_a_cancelled_session_cannot_be_finished(session, session_trainer, people):
    session.status = SessionStatus.CANCELLED
    session.save()

    with pytest.raises(SessionError) as excinfo:
        finish_session(session, session_trainer, now=end_of(session))

    assert excinfo.value.code == "session_cancelled"
    assert not Certificate.objects.exists()


def test_no_certificate_before_the_session_is_finished(session, people):
    with pytest.raises(SessionError) as excinfo:
        issue_session_certificate(people[0])
    assert excinfo.value.code == "session_not_finished"


# --- By hand -------------------------------------------------------------------------------------


def test_coordination_issues_one_by_hand_with_a_reason(
    session, session_trainer, people, coordinator
):
    finish_session(session, session_trainer, now=end_of(session))
    Certificate.objects.filter(holder=people[1].user).delete()  # e.g. lost to a failed run

    certificate = issue_session_certificate_by_hand(
        session, people[1], coordinator, "  Relance demandée par la participante "
    )

    assert certificate.holder == people[1].user
    entry = ModelLogEntry.objects.get(action="reperes.session_certificate_by_hand")
    assert entry.data["reason"] == "Relance demandée par la participante"
    assert entry.data["certificate"] == certificate.number
    issue = ModelLogEntry.objects.filter(action="reperes.certificate_issue").latest("pk")
    assert issue.data["reason"] == "Relance demandée par la participante"
    # Again: the same certificate, nothing logged twice.
    assert issue_session_certificate_by_hand(session, people[1], coordinator, "Encore").pk == (
        certificate.pk
    )
    assert ModelLogEntry.objects.filter(action="reperes.session_certificate_by_hand").count() == 1


def test_by_hand_needs_coordination(session, session_trainer, people):
    finish_session(session, session_trainer, now=end_of(session))
    Certificate.objects.all().delete()

    with pytest.raises(SessionError) as excinfo:
        issue_session_certificate_by_hand(session, people[0], session_trainer, "Motif")

    assert excinfo.value.code == "not_allowed"
    assert not Certificate.objects.exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_by_hand_needs_a_reason(session, session_trainer, people, coordinator, reason):
    finish_session(session, session_trainer, now=end_of(session))
    Certificate.objects.all().delete()

    with pytest.raises(SessionError) as excinfo:
        issue_session_certificate_by_hand(session, people[0], coordinator, reason)

    assert excinfo.value.code == "by_hand_reason_required"


def test_by_hand_needs_an_attended_slot(session, session_trainer, people, coordinator):
    finish_session(session, session_trainer, now=end_of(session))

    with pytest.raises(SessionError) as excinfo:
        issue_session_certificate_by_hand(session, people[2], coordinator, "Motif")

    assert excinfo.value.code == "no_attendance"


def test_by_hand_refuses_a_registration_of_another_session(session, people, coordinator):
    other = build_session()

    with pytest.raises(SessionError) as excinfo:
        issue_session_certificate_by_hand(other, people[0], coordinator, "Motif")

    assert excinfo.value.code == "not_registered"
