"""The feuille d'émargement PDF: its content, read back with pypdf, and its size limits."""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw
from pypdf import PdfReader

from courses.models import Attendance, SlotSignature
from courses.sessions.emargement import emargement_pdf, sheet_context
from tests.conftest import make_user

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
