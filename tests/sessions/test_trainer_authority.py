"""The issue's « Bad input and authority » for the trainer area, the cases
test_trainer_views.py does not reach: another session's rows reached through one's own
session's URLs and forms.

- a slot of trainer B's session under trainer A's session URL → 404, GET and POST;
- a mark posted for a registration of B's session on A's attendance screen → ignored;
- A's session form posting the id of B's slot → refused, neither session changed.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Attendance, SlotSignature
from courses.models.sessions import AttendanceStatus
from tests.conftest import make_user

from .factories import add_participant, build_session, new_trainer
from .test_trainer_views import edit_data, running_slot, state

pytestmark = pytest.mark.django_db

SLOT_URLS = ["attendance", "checkin", "checkin_json", "slot_sign"]


@pytest.fixture
def mine(trainer):
    return build_session(trainer=trainer, title="Session de A")


@pytest.fixture
def theirs():
    return build_session(trainer=new_trainer(), title="Session de B")


@pytest.mark.parametrize("name", SLOT_URLS)
def test_a_slot_of_another_session_under_my_session_is_404(
    client, trainer, mine, theirs, django_user_model, name
):
    slot = running_slot(theirs)
    registration = add_participant(theirs, make_user(django_user_model, "b@example.org"))
    before = state(mine), state(theirs)
    client.force_login(trainer)
    url = reverse(f"trainer:{name}", kwargs={"uuid": mine.uuid, "slot_id": slot.pk})
    assert client.get(url).status_code == 404
    post = {
        f"status-{registration.pk}": "present",
        "typed_name": "A",
        "certified": "on",
        "reason": "Essai",
    }
    assert client.post(url, post).status_code == 404
    assert (state(mine), state(theirs)) == before
    assert not SlotSignature.objects.exists()


def test_marks_for_another_sessions_participant_are_ignored(
    client, trainer, mine, theirs, django_user_model
):
    my_slot, their_slot = running_slot(mine), running_slot(theirs)
    mine_registration = add_participant(mine, make_user(django_user_model, "a@example.org"))
    their_registration = add_participant(theirs, make_user(django_user_model, "b@example.org"))
    client.force_login(trainer)
    url = reverse("trainer:attendance", kwargs={"uuid": mine.uuid, "slot_id": my_slot.pk})
    response = client.post(
        url,
        {
            f"status-{mine_registration.pk}": "present",
            f"status-{their_registration.pk}": "present",
            "status-abc": "present",
        },
    )
    assert response.status_code == 302
    assert list(Attendance.objects.values_list("slot_id", "registration_id", "status")) == [
        (my_slot.pk, mine_registration.pk, AttendanceStatus.PRESENT)
    ]
    assert not their_slot.attendances.exists()


def test_my_session_form_cannot_take_over_another_sessions_slot(client, trainer, mine, theirs):
    their_slot = theirs.slots.first()
    before = state(mine), state(theirs)
    data = edit_data(mine)
    data["slots-0-id"] = str(their_slot.pk)
    client.force_login(trainer)
    response = client.post(reverse("trainer:session_edit", kwargs={"uuid": mine.uuid}), data)
    assert response.status_code == 200
    assert "Cette demi-journée n&#x27;appartient pas à la session." in response.content.decode()
    assert (state(mine), state(theirs)) == before


def test_the_session_page_queries_do_not_grow_with_participants(
    client, trainer, mine, django_user_model, django_assert_max_num_queries
):
    url = reverse("trainer:session", kwargs={"uuid": mine.uuid})
    client.force_login(trainer)
    add_participant(mine, make_user(django_user_model, "p0@example.org"))
    client.get(url)  # the shell's first-request work
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    # Counted now: `captured_queries` reads the connection's log, which the next request resets.
    ceiling = len(few.captured_queries)
    for number in range(1, 15):
        add_participant(mine, make_user(django_user_model, f"p{number}@example.org"))
    client.get(url)  # again: per-request work a middleware caches
    with django_assert_max_num_queries(ceiling):
        assert client.get(url).content.decode().count("p14@example.org") == 1


def test_a_superuser_manages_every_session_like_coordination(
    client, mine, theirs, django_user_model
):
    admin = make_user(django_user_model, "su.sessions@example.org", is_superuser=True)
    client.force_login(admin)
    content = client.get(reverse("trainer:sessions")).content.decode()
    assert mine.title in content and theirs.title in content
    assert client.get(reverse("trainer:session", kwargs={"uuid": theirs.uuid})).status_code == 200


def test_the_area_reads_the_users_groups_once_per_request(client, coordinator, theirs):
    """The area's gate, `for_trainer` and the view all ask « Coordination ? »: one query."""
    slot = running_slot(theirs)
    url = reverse("trainer:attendance", kwargs={"uuid": theirs.uuid, "slot_id": slot.pk})
    client.force_login(coordinator)
    client.get(url)  # the shell's first-request work
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "auth_group" INNER' in q["sql"]]
    assert len(reads) == 1
