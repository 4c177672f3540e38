"""The feuille d'émargement PDF: its content, read back with pypdf, and its size limits."""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw
from pypdf import PdfReader

from courses.models import Attendance, SlotSignature
from courses.sessions.emargement import emargement_pdf, sheet_context
from tests.conftest import make_user
from tests.storage_down import store_down

from .factories import add_participant, build_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    # Overridden settings lack SETTINGS_MODULE, read by core.content_cache (in progress).
    if not settings.SETTINGS_MODULE:
        settings.SETTINGS_MODULE = "config.test_settings"
    storages = {**settings.STORAGES}
    storages["certificates"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "private")},
    }
    settings.STORAGES = storages


def signature_png(top=20):
    image = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(10, 150), (300, top), (590, 180)], fill="black", width=5)
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def finished_session(trainer, slots=2):
    now = timezone.now()
    return build_session(
        trainer=trainer,
        slots=slots,
        start=timezone.localdate() - timedelta(days=10),
        registration_opens_at=now - timedelta(days=40),
        registration_closes_at=now - timedelta(days=12),
    )


def mark(slot, registration, status="present"):
    return Attendance.objects.create(
        slot=slot,
        registration=registration,
        status=status,
        marked_at=timezone.now(),
        method="trainer",
    )


def sign(slot, png=None, typed_name="", **owner):
    signature = SlotSignature(
        slot=slot, typed_name=typed_name, certified=True, signed_at=timezone.now(), **owner
    )
    if png:
        signature.image.save("signature.png", ContentFile(png), save=False)
    signature.save()
    return signature


def pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def image_count(reader):
    return sum(len(page.images) for page in reader.pages)


def test_sheet_holds_names_half_days_signatures_and_totals(client, trainer, django_user_model):
    session = finished_session(trainer)
    first, second = session.slots.all()
    alice = add_participant(
        session,
        make_user(django_user_model, "alice@example.org", first_name="Alice", last_name="Leroy"),
    )
    bruno = add_participant(
        session,
        make_user(django_user_model, "bruno@example.org", first_name="Bruno", last_name="Nguyen"),
    )
    mark(first, alice)
    mark(second, alice)
    sign(first, signature_png(), registration=alice)
    sign(second, typed_name="Alice Leroy", registration=alice)
    mark(first, bruno, "absent")
    mark(second, bruno, "late")
    sign(second, signature_png(top=60), registration=bruno)
    sign(first, typed_name="Dominique Formatrice", trainer=trainer)

    client.force_login(trainer)
    response = client.get(reverse("trainer:emargement", kwargs={"uuid": session.uuid}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader, text = pdf_text(response.content)
    for expected in (
        "Feuille d’émargement",
        session.title,
        session.organiser.name,
        "Alice Leroy",
        "Bruno Nguyen",
        f"{first.date:%d/%m/%Y}",
        f"{second.date:%d/%m/%Y}",
        "09:00–12:30",
        "absent·e",
        "Dominique Formatrice",
        "Heures suivies",
        "7 h",  # Alice: two half-days of 3 h 30
    ):
        assert expected in text, expected
    # Two drawn signatures (identical images would be shared); typed ones are text.
    assert image_count(reader) == 2


def test_forty_participants_six_half_days_repeat_the_header(
    trainer, django_user_model, django_assert_max_num_queries
):
    session = finished_session(trainer, slots=6)
    slots = list(session.slots.all())
    png = signature_png()
    for number in range(40):
        user = make_user(
            django_user_model, f"p{number:02d}@example.org", last_name=f"Participant {number:02d}"
        )
        registration = add_participant(session, user)
        for slot in slots[: number % 7]:
            mark(slot, registration)
            sign(slot, png, registration=registration)
    with django_assert_max_num_queries(8):
        context = sheet_context(session)
    assert len(context["rows"]) == 40
    reader, text = pdf_text(emargement_pdf(session))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        page_text = page.extract_text()
        assert "Participant·e" in page_text  # the table header on every page
        assert f"{slots[5].date:%d/%m/%Y}" in page_text
    assert "Participant 00" in text and "Participant 39" in text
    assert image_count(reader) >= 1


def longest(field, letter="W"):
    """The longest value the profile form allows for `field`, one word without a space."""
    from accounts.models import User

    return letter * User._meta.get_field(field).max_length


def test_the_longest_names_wrap_inside_their_columns(trainer, django_user_model):
    """A 150-letter name ran over the signature and hours columns and off the page."""
    from courses.sessions.signatures import TYPED_NAME_MAX_LENGTH
    from tests.pdf_layout import MM, assert_no_text_over_another, page_count, runs_of, text_runs

    def sheet(first_name, last_name, organisation, typed_name, trainer_name):
        session = finished_session(trainer, slots=6)
        trainer.first_name = trainer_name
        trainer.save()
        user = make_user(
            django_user_model,
            f"{len(first_name)}@example.org",
            first_name=first_name,
            last_name=last_name,
            organisation=organisation,
        )
        registration = add_participant(session, user)
        slots = list(session.slots.all())
        mark(slots[0], registration)
        sign(slots[0], typed_name=typed_name, registration=registration)
        sign(slots[0], typed_name=trainer_name, trainer=trainer)
        return emargement_pdf(session)

    ordinary = sheet("Alice", "Leroy", "Collège Jean Moulin", "Alice Leroy", "Dominique")
    first_name, last_name = longest("first_name"), longest("last_name", "M")
    organisation, typed_name = longest("organisation", "O"), "T" * TYPED_NAME_MAX_LENGTH
    payload = sheet(first_name, last_name, organisation, typed_name, longest("first_name", "D"))

    assert page_count(payload) == page_count(ordinary) == 1
    runs = text_runs(payload)
    header = next(run for run in runs if run.text == "Participant·e")
    slot_headers = sorted(
        (run for run in runs if run.top < header.top + 10 and run.text.count("/") == 2),
        key=lambda run: run.left,
    )
    hours = next(run for run in runs if run.text == "Heures suivies")
    # Each column runs from its header's left edge to the next column's.
    name_column = (header.left, slot_headers[0].left)
    first_slot_column = (slot_headers[0].left, slot_headers[1].left)
    for text, (left, right) in [
        (first_name, name_column),
        (last_name, name_column),
        (organisation, name_column),
        (typed_name, first_slot_column),
    ]:
        pieces = runs_of(runs, text)
        assert "".join(run.text for run in pieces) == text  # all of it is printed
        for run in pieces:
            assert left - 0.5 <= run.left and run.right <= right, (run, left, right)
            assert run.right < hours.left
    width = 297 * MM
    for run in runs:
        assert run.left >= 10 * MM - 0.5 and run.right <= width - 10 * MM + 0.5, run
    assert_no_text_over_another(runs)


def test_with_the_object_store_down_the_sheet_waits(
    client, trainer, django_user_model, monkeypatch
):
    """Signatures unreadable because the store does not answer: 503, not a sheet without them."""
    session = finished_session(trainer, slots=1)
    (slot,) = session.slots.all()
    alice = add_participant(session, make_user(django_user_model, "alice@example.org"))
    mark(slot, alice)
    sign(slot, signature_png(), registration=alice)
    store_down(monkeypatch, SlotSignature, "image")
    client.force_login(trainer)
    client.get("/")  # the site's settings and the user's Wagtail profile, created once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("trainer:emargement", kwargs={"uuid": session.uuid}))
    assert response.status_code == 503 and response["Retry-After"]
    assert not [q for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]


def test_a_signature_whose_file_is_gone_leaves_its_cell_empty(client, trainer, django_user_model):
    session = finished_session(trainer, slots=1)
    (slot,) = session.slots.all()
    alice = add_participant(session, make_user(django_user_model, "alice@example.org"))
    mark(slot, alice)
    signature = sign(slot, signature_png(), registration=alice)
    signature.image.storage.delete(signature.image.name)
    client.force_login(trainer)
    response = client.get(reverse("trainer:emargement", kwargs={"uuid": session.uuid}))
    assert response.status_code == 200
    assert image_count(pdf_text(response.content)[0]) == 0


def test_the_same_sheet_is_rendered_once_and_any_change_renders_it_again(
    trainer, django_user_model, monkeypatch
):
    """Kept for the HTML it was made from: a new mark, signature or name is a new PDF."""
    from django.core.cache import cache

    from core import pdf as core_pdf

    cache.clear()  # another test's identical sheet would be found (rightly) in the cache
    renders = []
    real_render = core_pdf.render_pdf

    def counting(html, **options):
        renders.append(html)
        return real_render(html, **options)

    monkeypatch.setattr(core_pdf, "render_pdf", counting)
    session = finished_session(trainer, slots=1)
    (slot,) = session.slots.all()
    alice = add_participant(
        session,
        make_user(django_user_model, "alice@example.org", first_name="Alice", last_name="Leroy"),
    )
    first = emargement_pdf(session)
    assert emargement_pdf(session) == first and len(renders) == 1

    mark(slot, alice)
    sign(slot, typed_name="Alice Leroy", registration=alice)
    signed = emargement_pdf(session)
    assert len(renders) == 2 and "Alice Leroy" in pdf_text(signed)[1]
    assert emargement_pdf(session) == signed and len(renders) == 2

    alice.user.last_name = "Martin"
    alice.user.save()
    assert "Alice Martin" in pdf_text(emargement_pdf(session))[1]
    assert len(renders) == 3
