"""« Historique des présences » of a session: every mark of every half-day, newest first.

Seen by the session's trainers and Coordination; a 404 for anyone else. Its queries
do not grow with the participants.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Attendance, AttendanceMark
from courses.models.sessions import AttendanceStatus, MarkMethod
from courses.sessions.attendance import mark_attendance, record_self_check_in
from courses.sessions.trainer.attendance import HISTORY_PER_PAGE
from tests.conftest import make_user

from .factories import add_participant, build_session, new_trainer

pytestmark = pytest.mark.django_db


def history_url(session):
    return reverse("trainer:attendance_history", kwargs={"uuid": session.uuid})


@pytest.fixture
def session(trainer):
    return build_session(trainer=trainer, slots=2)


def rows(page):
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return [
        [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip() for cell in row]
        for row in (re.findall(r"<td>(.*?)</td>", tr, re.S) for tr in body.split("<tr>")[1:])
    ]


def test_every_mark_of_every_half_day_newest_first(
    client, trainer, coordinator, session, django_user_model
):
    first, second = session.slots.all()
    lea = make_user(django_user_model, "lea@example.org", first_name="Léa", last_name="Benali")
    tom = make_user(django_user_model, "tom@example.org", first_name="Tom", last_name="Roux")
    lea_place, tom_place = add_participant(session, lea), add_participant(session, tom)
    start = first.starts_at
    mark_attendance(trainer, first, lea_place, "late", now=start + timedelta(minutes=5))
    record_self_check_in(tom, first, tom_place, now=start + timedelta(minutes=10))
    mark_attendance(trainer, second, lea_place, "excused", now=start + timedelta(minutes=20))
    mark_attendance(
        coordinator,
        first,
        lea_place,
        "present",
        reason="Arrivée à l’heure, noté en retard par erreur",
        now=first.ends_at + timedelta(hours=1),
    )

    client.force_login(trainer)
    response = client.get(history_url(session))
    assert response.status_code == 200
    page = response.content.decode()
    assert rows(page) == [
        [
            (first.ends_at + timedelta(hours=1)).astimezone().strftime("%d/%m/%Y %H:%M:%S"),
            str(first),
            "Léa Benali",
            "en retard → présent·e",
            "Camille Martin",  # the coordinator
            "correction",
            "Arrivée à l’heure, noté en retard par erreur",
        ],
        [
            (start + timedelta(minutes=20)).astimezone().strftime("%d/%m/%Y %H:%M:%S"),
            str(second),
            "Léa Benali",
            "excusé·e",
            "Camille Martin",
            "formateur·rice",
            "—",
        ],
        [
            (start + timedelta(minutes=10)).astimezone().strftime("%d/%m/%Y %H:%M:%S"),
            str(first),
            "Tom Roux",
            "présent·e",
            "Tom Roux",
            "émargement par la personne",
            "—",
        ],
        [
            (start + timedelta(minutes=5)).astimezone().strftime("%d/%m/%Y %H:%M:%S"),
            str(first),
            "Léa Benali",
            "en retard",
            "Camille Martin",
            "formateur·rice",
            "—",
        ],
    ]
    client.force_login(coordinator)
    assert client.get(history_url(session)).content.decode().count("<tr>") == 5


def test_linked_from_the_session_page(client, trainer, session):
    client.force_login(trainer)
    page = client.get(reverse("trainer:session", kwargs={"uuid": session.uuid})).content.decode()
    assert f'href="{history_url(session)}"' in page
    empty = client.get(history_url(session)).content.decode()
    assert "Aucune présence n’est encore enregistrée" in empty


def test_nobody_else_sees_it(client, session, professional):
    url = history_url(session)
    client.force_login(new_trainer())
    assert client.get(url).status_code == 404
    client.force_login(professional)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_read_only(client, trainer, session):
    client.force_login(trainer)
    assert client.post(history_url(session)).status_code == 405


def fill(session, count, django_user_model, offset=0):
    """`count` participants, each marked on every half-day then corrected once."""
    for number in range(offset, offset + count):
        user = make_user(django_user_model, f"p{number}@example.org")
        registration = add_participant(session, user)
        for slot in session.slots.all():
            now = slot.starts_at + timedelta(minutes=number)
            mark_attendance(session.trainers.get(), slot, registration, "present", now=now)
            mark_attendance(session.trainers.get(), slot, registration, "late", now=now)


@pytest.mark.parametrize("as_coordination", [False, True])
def test_queries_do_not_grow_with_participants(
    client, trainer, coordinator, session, django_user_model, as_coordination
):
    client.force_login(coordinator if as_coordination else trainer)
    fill(session, 2, django_user_model)
    client.get(history_url(session))  # the shell's first-request work
    with CaptureQueriesContext(connection) as two:
        assert client.get(history_url(session)).status_code == 200
    # Counted now: `captured_queries` reads the connection's log, which the next request resets.
    two_count = len(two.captured_queries)
    fill(session, 8, django_user_model, offset=2)
    client.get(history_url(session))  # again: per-request work the middleware caches
    with CaptureQueriesContext(connection) as ten:
        page = client.get(history_url(session)).content.decode()
    assert page.count("<tr>") == 1 + 10 * 2 * 2
    assert len(ten.captured_queries) == two_count <= 12


def test_long_histories_are_paginated(client, trainer, session, django_user_model):
    slot = session.slots.first()
    registration = add_participant(session, make_user(django_user_model, "p@example.org"))
    attendance = Attendance.objects.create(
        slot=slot,
        registration=registration,
        status="present",
        marked_at=slot.starts_at,
        method=MarkMethod.TRAINER,
    )
    AttendanceMark.objects.bulk_create(
        AttendanceMark(
            attendance=attendance,
            status=AttendanceStatus.PRESENT,
            marked_at=slot.starts_at + timedelta(seconds=n),
            method=MarkMethod.TRAINER,
        )
        for n in range(HISTORY_PER_PAGE + 1)
    )
    client.force_login(trainer)
    first_page = client.get(history_url(session)).content.decode()
    assert first_page.count("<tr>") == 1 + HISTORY_PER_PAGE
    assert "Page suivante" in first_page
    second_page = client.get(history_url(session), {"page": 2}).content.decode()
    assert second_page.count("<tr>") == 1 + 1
