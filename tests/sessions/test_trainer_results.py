"""The « Résultats » panel of a session in /formateur/: attendance per half-day,
no-shows, satisfaction; small cells; only the session's trainers and Coordination."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import Attendance
from courses.models.sessions import AttendanceStatus, RegistrationStatus
from courses.sessions.trainer import results as trainer_results
from tests.conftest import make_user

from .factories import add_participant, build_session, new_trainer

pytestmark = pytest.mark.django_db

P, L, A, E = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.ABSENT,
    AttendanceStatus.EXCUSED,
)


def past_session(trainer, slots=2):
    return build_session(
        trainer=trainer,
        slots=slots,
        start=timezone.localdate() - timedelta(days=20),
        registration_opens_at=timezone.now() - timedelta(days=60),
    )


def participants(django_user_model, session, count, start=0):
    return [
        add_participant(
            session, make_user(django_user_model, f"part{start + n}@example.org", mfa=False)
        )
        for n in range(count)
    ]


def mark(slot, registrations, statuses):
    for registration, status in zip(registrations, statuses, strict=True):
        Attendance.objects.create(
            slot=slot,
            registration=registration,
            status=status,
            marked_at=timezone.now(),
            method="trainer",
        )


@pytest.fixture
def attended(trainer, django_user_model):
    """6 confirmed. Slot 1: P P P L A E (4 attended, 67 %). Slot 2: P P A A A A (2, 33 %).
    The fifth and sixth attended nothing: 2 no-shows (« — »: a rate of 6 people shows,
    a count of 2 does not). A cancelled registration counts nowhere."""
    session = past_session(trainer)
    people = participants(django_user_model, session, 6)
    first, second = session.slots.all()
    mark(first, people, [P, P, P, L, A, E])
    mark(second, people, [P, P, A, A, A, A])
    cancelled = participants(django_user_model, session, 1, start=50)[0]
    cancelled.status = RegistrationStatus.CANCELLED
    cancelled.save()
    mark(first, [cancelled], [P])
    return session


def test_hand_counted_attendance(attended):
    slots = list(attended.slots.all())
    figures = trainer_results.session_results(attended, slots)
    assert figures.confirmed == 6
    assert [(row.rate.part, row.rate.percent) for row in figures.slots] == [(4, 67), (2, 33)]
    assert (figures.no_shows.part, figures.no_shows.whole) == (2, 6)


def test_the_panel_on_the_session_page(client, trainer, attended):
    client.force_login(trainer)
    html = client.get(reverse("trainer:session", args=[attended.uuid])).content.decode()
    assert "Résultats" in html
    assert "67 %" in html and "33 %" in html
    assert "Présence par demi-journée (6 inscriptions confirmées)" in html


def test_fewer_than_five_people_show_no_rate(client, trainer, django_user_model):
    session = past_session(trainer, slots=1)
    people = participants(django_user_model, session, 3)
    mark(session.slots.get(), people, [P, P, A])
    figures = trainer_results.session_results(session, list(session.slots.all()))
    assert figures.slots[0].rate.hidden and figures.slots[0].rate.percent is None
    assert figures.no_shows.hidden
    client.force_login(trainer)
    html = client.get(reverse("trainer:session", args=[session.uuid])).content.decode()
    assert "&lt; 5" in html and "%" not in html.split('id="resultats"')[1].split("</section>")[0]


def test_before_the_first_half_day_there_are_no_no_shows(trainer):
    session = build_session(trainer=trainer)
    figures = trainer_results.session_results(session, list(session.slots.all()))
    assert figures.no_shows is None
    assert not any(row.past for row in figures.slots)


def test_another_trainer_gets_404_and_coordination_sees_it(client, coordinator, attended):
    url = reverse("trainer:session", args=[attended.uuid])
    client.force_login(new_trainer())
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    assert "67 %" in client.get(url).content.decode()


def test_queries_do_not_grow_with_participants(client, trainer, attended, django_user_model):
    url = reverse("trainer:session", args=[attended.uuid])
    client.force_login(trainer)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    more = participants(django_user_model, attended, 8, start=100)
    mark(attended.slots.first(), more, [P] * 8)
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


def test_satisfaction_with_response_counts(client, trainer, attended):
    """À chaud: 6 invitations, 5 answers 5 5 4 2 1 → 60 %. À froid: 2 answers, « < 5 »."""
    from tests.pilotage.satisfaction import satisfaction_answers

    organiser = attended.organiser
    satisfaction_answers("chaud", [5, 5, 4, 2, 1, None], publisher=organiser, session=attended)
    satisfaction_answers("froid", [4, 4], publisher=organiser, session=attended)
    hot, cold = trainer_results.session_results(attended, list(attended.slots.all())).satisfaction
    assert (hot.kind, hot.invited, hot.responses, hot.rate.percent) == ("chaud", 6, 5, 60)
    assert (cold.responses, cold.responses_hidden, cold.rate.percent) == (2, True, None)
    client.force_login(trainer)
    html = client.get(reverse("trainer:session", args=[attended.uuid])).content.decode()
    assert "60 %" in html and "5 / 6 invitations" in html


def test_another_sessions_answers_are_not_counted(trainer, attended):
    from tests.pilotage.satisfaction import satisfaction_answers

    other = past_session(new_trainer())
    satisfaction_answers("chaud", [5] * 6, publisher=other.organiser, session=other)
    hot, _cold = trainer_results.session_results(attended, list(attended.slots.all())).satisfaction
    assert (hot.invited, hot.responses, hot.rate.whole) == (0, 0, 0)
