"""Mass assignment: fields a form does not offer are ignored, whatever is POSTed.

Every form of the site names its fields explicitly; these tests post, with valid
data, the fields an attacker would add (`is_staff`, `is_superuser`, `groups`,
`user`, `holder`, `score`, `status`, `created_by`, `trainers`, `method`,
`marked_by`…) and check that none of them took effect. Forms covered elsewhere:
the profile (tests/accounts/test_accounts_profile.py,
`test_profile_edit_cannot_touch_other_fields`) and quiz answers
(tests/courses/test_learning_views.py, `test_posted_score_and_passed_are_ignored`).
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from courses.models import Attendance, Registration, TrainingSession
from courses.models.sessions import AttendanceStatus, RegistrationStatus, SessionStatus
from tests.accounts.test_accounts_signup import SIGNUP_URL, signup_data
from tests.conftest import make_user
from tests.guides.factories import PublisherFactory
from tests.sessions.factories import add_participant, build_session, new_trainer, refresh_times
from tests.sessions.test_trainer_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(django_user_model):
    return make_user(django_user_model, "autre@example.org", roles.PROFESSIONNEL)


def test_signup_ignores_staff_flags_and_groups(client, django_user_model):
    coordination = Group.objects.get(name=roles.COORDINATION)

    client.post(
        SIGNUP_URL,
        signup_data(
            is_staff="on",
            is_superuser="on",
            is_active="on",
            groups=coordination.pk,
            user_permissions="1",
            inactivity_warned_at="2020-01-01",
        ),
    )

    user = django_user_model.objects.get(email__iexact="nouvelle.personne@example.org")
    assert not user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [roles.PROFESSIONNEL]
    assert not user.user_permissions.exists()
    assert user.inactivity_warned_at is None


def test_a_trainer_creating_a_session_cannot_set_its_trainers_owner_or_status(
    client, trainer, other
):
    someone_else = new_trainer()
    day = timezone.localdate() + timedelta(days=10)
    client.force_login(trainer)

    client.post(
        reverse("trainer:session_create"),
        form_data(
            PublisherFactory(),
            [(None, day, "09:00", "12:30")],
            trainers=[someone_else.pk],
            created_by=other.pk,
            status=SessionStatus.FINISHED,
            uuid="00000000-0000-0000-0000-000000000001",
            planned_minutes="9999",
        ),
    )

    session = TrainingSession.objects.get(title="Repérer les signaux")
    assert list(session.trainers.all()) == [trainer]
    assert session.created_by == trainer
    assert session.status == SessionStatus.PLANNED
    assert str(session.uuid) != "00000000-0000-0000-0000-000000000001"
    assert session.planned_minutes == 210


def test_registering_cannot_register_someone_else_or_skip_the_waiting_list(
    client, professional, other
):
    session = build_session(slots=1, capacity=1)
    add_participant(session, make_user(type(other), "assis@example.org"))
    client.force_login(professional)

    client.post(
        reverse("sessions:register", kwargs={"uuid": session.uuid}),
        {"user": other.pk, "email": other.email, "status": RegistrationStatus.CONFIRMED},
    )

    mine = Registration.objects.get(session=session, user=professional)
    assert mine.status == RegistrationStatus.WAITING
    assert mine.email == professional.email
    assert not Registration.objects.filter(session=session, user=other).exists()


def test_attendance_marks_record_who_and_how_from_the_request_not_the_form(client, professional):
    session = build_session(
        slots=1,
        start=timezone.localdate(),
        registration_opens_at=timezone.now() - timedelta(days=10),
    )
    slot = session.slots.get()
    registration = add_participant(session, professional)
    trainer = session.trainers.get()
    other_trainer = new_trainer()
    client.force_login(trainer)
    url = reverse("trainer:attendance", kwargs={"uuid": session.uuid, "slot_id": slot.pk})
    # The slot runs now, so that a mark is a plain trainer mark (not a correction).
    start = timezone.localtime()
    slot.start_time = (start - timedelta(minutes=5)).time()
    slot.end_time = (start + timedelta(hours=2)).time()
    if slot.end_time < slot.start_time:
        pytest.skip("too close to midnight for a same-day slot")
    slot.save()
    refresh_times(session)

    client.post(
        url,
        {
            f"status-{registration.pk}": AttendanceStatus.PRESENT,
            "method": "self_checkin",
            "marked_by": other_trainer.pk,
            "marked_at": "2020-01-01T00:00",
            "device": "forged",
        },
    )

    attendance = Attendance.objects.get(registration=registration, slot=slot)
    assert attendance.status == AttendanceStatus.PRESENT
    assert attendance.marked_by == trainer
    assert attendance.method == "trainer"
    assert attendance.marked_at > timezone.now() - timedelta(minutes=5)
    mark = attendance.history.get()
    assert mark.device == ""
