"""« Ajouter une demi-journée » on the session form, without JavaScript, and the row count's limits.

The button posts the whole form: the page comes back as typed with one more empty
row, nothing saved and nothing reported as an error. A tampered row count is refused
with a message, never a server error, and never builds more than 40 rows.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import TrainingSession
from courses.sessions.trainer.forms import MAX_SLOTS
from tests.guides.factories import PublisherFactory

from .factories import build_session
from .test_trainer_views import edit_data, form_data, state

pytestmark = pytest.mark.django_db

CREATE = "trainer:session_create"
DAY = timezone.localdate() + timedelta(days=10)


def rows_in(page):
    """The slot rows rendered in the page (the <template>'s empty row excluded)."""
    page = re.sub(r"<template.*?</template>", "", page, flags=re.S)
    return len(re.findall(r"data-slot-row(?!s)", page))


def test_the_form_offers_the_button_and_the_row_template(client, trainer):
    client.force_login(trainer)
    page = client.get(reverse(CREATE)).content.decode()
    assert 'name="add_slot"' in page and "Ajouter une demi-journée" in page
    assert "<template data-slot-template>" in page and "slots-__prefix__-date" in page
    assert "js/slot-formset.js" in page
    assert rows_in(page) == 2
    assert 'name="slots-MAX_NUM_FORMS" value="40"' in page


def test_adding_a_row_keeps_what_was_typed_and_saves_nothing(client, trainer):
    organiser = PublisherFactory()
    client.force_login(trainer)
    data = form_data(
        organiser,
        [(None, DAY, "09:00", "12:30"), (None, None, "", "")],
        title="Une session en six demi-journées",
        capacity="",  # not typed yet: no error while adding a row
        add_slot="1",
    )
    response = client.post(reverse(CREATE), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert not TrainingSession.objects.exists()
    assert 'value="Une session en six demi-journées"' in page
    assert f'name="slots-0-date" value="{DAY.isoformat()}"' in page
    assert 'name="slots-TOTAL_FORMS" value="3"' in page
    assert rows_in(page) == 3
    assert re.search(r'<input[^>]*name="slots-2-date"[^>]*autofocus', page)
    assert "Demi-journée 3 ajoutée" in page
    assert "error-summary" not in page and "Ce champ est obligatoire" not in page

    # The rows filled in the page that came back are saved together.
    data.pop("add_slot")
    data.update(
        {
            "capacity": "12",
            "slots-TOTAL_FORMS": "3",
            "slots-1-date": DAY.isoformat(),
            "slots-1-start_time": "14:00",
            "slots-1-end_time": "17:30",
            "slots-2-date": (DAY + timedelta(days=1)).isoformat(),
            "slots-2-start_time": "09:00",
            "slots-2-end_time": "12:30",
        }
    )
    response = client.post(reverse(CREATE), data)
    assert response.status_code == 302
    assert TrainingSession.objects.get().slots.count() == 3


def test_adding_a_row_to_an_existing_session_changes_nothing(client, trainer):
    session = build_session(trainer=trainer)
    before = state(session)
    client.force_login(trainer)
    data = edit_data(session, title="Titre pas encore enregistré", add_slot="1")
    data["slots-1-DELETE"] = "on"
    url = reverse("trainer:session_edit", kwargs={"uuid": session.uuid})
    page = client.post(url, data).content.decode()
    assert state(session) == before
    assert 'value="Titre pas encore enregistré"' in page
    assert rows_in(page) == 3
    # The existing rows keep their id and their « Supprimer » box, as ticked.
    first, second = session.slots.all()
    assert f'name="slots-0-id" value="{first.pk}"' in page
    assert f'name="slots-1-id" value="{second.pk}"' in page
    assert re.search(r'<input[^>]*name="slots-1-DELETE"[^>]*checked', page)
    assert 'name="slots-INITIAL_FORMS" value="2"' in page


def full_form(organiser, count, **overrides):
    return form_data(organiser, [(None, None, "", "")] * count, **overrides)


def test_no_row_beyond_the_limit(client, trainer):
    client.force_login(trainer)
    data = full_form(PublisherFactory(), MAX_SLOTS, add_slot="1")
    page = client.post(reverse(CREATE), data).content.decode()
    assert rows_in(page) == MAX_SLOTS
    assert 'name="slots-TOTAL_FORMS" value="40"' in page
    assert "Une session compte au plus 40 demi-journées." in page
    assert 'name="add_slot"' not in page  # nothing left to add
    assert "autofocus" not in page
    assert not TrainingSession.objects.exists()


def test_the_last_row_allowed_is_added(client, trainer):
    client.force_login(trainer)
    data = full_form(PublisherFactory(), MAX_SLOTS - 1, add_slot="1")
    page = client.post(reverse(CREATE), data).content.decode()
    assert rows_in(page) == MAX_SLOTS
    assert 'name="add_slot"' not in page


@pytest.mark.parametrize("add_slot", [False, True])
@pytest.mark.parametrize(
    ("total", "message"),
    [
        ("beaucoup", "Le formulaire des demi-journées est incomplet"),
        ("", "Le formulaire des demi-journées est incomplet"),
        ("100000", "Une session compte au plus 40 demi-journées."),
        ("41", "Une session compte au plus 40 demi-journées."),
    ],
)
def test_a_tampered_row_count_is_refused_cleanly(client, trainer, total, message, add_slot):
    day = DAY
    slots = [(None, day + timedelta(days=n), "09:00", "12:00") for n in range(41)]
    data = form_data(PublisherFactory(), slots, **{"slots-TOTAL_FORMS": total})
    if add_slot:
        data["add_slot"] = "1"
    client.force_login(trainer)
    response = client.post(reverse(CREATE), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert rows_in(page) <= MAX_SLOTS
    assert not TrainingSession.objects.exists()


def test_forty_filled_rows_are_saved(client, trainer):
    """The limit is 40 filled rows, not fewer (10 weeks of two half-days)."""
    slots = []
    for n in range(20):
        day = DAY + timedelta(days=n)
        slots += [(None, day, "09:00", "12:00"), (None, day, "14:00", "17:00")]
    client.force_login(trainer)
    response = client.post(reverse(CREATE), form_data(PublisherFactory(), slots))
    assert response.status_code == 302
    assert TrainingSession.objects.get().slots.count() == MAX_SLOTS


def test_the_edit_form_gives_date_inputs_iso_dates(client, trainer):
    """<input type="date"> only reads 2026-12-29: a localised 29/12/2026 shows an empty field."""
    session = build_session(slots=1, trainer=trainer)
    client.force_login(trainer)
    page = client.get(
        reverse("trainer:session_edit", kwargs={"uuid": session.uuid})
    ).content.decode()
    day = session.slots.get().date
    assert f'type="date" name="slots-0-date" value="{day.isoformat()}"' in page
