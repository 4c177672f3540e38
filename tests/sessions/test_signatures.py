"""Émargement signatures: checked-in participants sign each half-day once; a trainer too."""

import io
from datetime import timedelta

import pytest
from PIL import Image, ImageDraw, PngImagePlugin

from courses.models import SlotSignature
from courses.models.sessions import AttendanceStatus, SessionStatus
from courses.sessions.attendance import mark_attendance
from courses.sessions.errors import SessionError
from courses.sessions.signatures import (
    MAX_BYTES,
    clean_signature_image,
    decode_data_url,
    sign_slot,
    sign_slot_as_trainer,
)
from tests.conftest import make_user

from .factories import add_participant, build_session, new_trainer

pytestmark = pytest.mark.django_db


def drawing(size=(600, 200), mode="RGBA", format="PNG", stroke=True, **save):
    """A canvas export: transparent (or white) background, one dark stroke."""
    background = (0, 0, 0, 0) if mode == "RGBA" else "white"
    image = Image.new(mode, size, background)
    if stroke:
        ImageDraw.Draw(image).line([(10, 10), (size[0] - 10, size[1] - 10)], fill="black", width=4)
    output = io.BytesIO()
    image.save(output, format=format, **save)
    return output.getvalue()


def noisy_png(size):
    """A PNG that compresses badly: random pixels, to exceed the byte limit."""
    import os

    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


@pytest.fixture
def session():
    return build_session(slots=2)


@pytest.fixture
def slot(session):
    return session.slots.first()


@pytest.fixture
def session_trainer(session):
    return session.trainers.get()


@pytest.fixture
def registration(session, professional):
    return add_participant(session, professional)


@pytest.fixture
def checked_in(slot, registration, session_trainer):
    mark_attendance(session_trainer, slot, registration, AttendanceStatus.PRESENT, now=during(slot))
    return registration


def during(slot, minutes=30):
    return slot.starts_at + timedelta(minutes=minutes)


def refused(code, function, *args, **kwargs):
    with pytest.raises(SessionError) as excinfo:
        function(*args, **kwargs)
    assert excinfo.value.code == code, excinfo.value.code
    assert not SlotSignature.objects.exists()


# --- The participant -----------------------------------------------------------------------------


def test_a_checked_in_participant_signs_with_a_drawing(slot, checked_in, professional):
    now = during(slot, 35)

    signature = sign_slot(professional, slot, image_bytes=drawing(), certified=True, now=now)

    assert signature.registration == checked_in
    assert signature.certified is True
    assert signature.signed_at == now
    assert signature.trainer is None
    assert signature.image.storage.exists(signature.image.name)
    assert signature.image.name.startswith(f"signatures/{slot.session.uuid}/{slot.pk}/")
    with signature.image.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        assert stored.format == "PNG" and stored.size == (600, 200)


def test_the_stored_png_is_re_encoded_without_extra_chunks(slot, checked_in, professional):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    signature = sign_slot(
        professional, slot, image_bytes=drawing(pnginfo=info), certified=True, now=during(slot)
    )

    with signature.image.open("rb") as handle:
        content = handle.read()
    assert b"<script>" not in content
    assert Image.open(io.BytesIO(content)).text == {}


def test_a_typed_name_is_an_accessible_alternative(slot, checked_in, professional):
    signature = sign_slot(
        professional,
        slot,
        typed_name="  Camille\u00a0 Marti\u0300n ",
        certified=True,
        now=during(slot),
    )

    # The name rule of accounts/names.py: one line, single spaces, NFC.
    assert signature.typed_name == "Camille Martìn"
    assert not signature.image


@pytest.mark.parametrize(
    "typed_name",
    ["Thomas\u202egnp.exe", "Camille\nMartin", "Cam\u200bille", "Ine\u0301\u0300\u0302s"],
)
def test_a_typed_name_follows_the_name_rule(slot, checked_in, professional, typed_name):
    refused(
        "typed_name_invalid",
        sign_slot,
        professional,
        slot,
        typed_name=typed_name,
        certified=True,
        now=during(slot),
    )


def test_a_trainer_typed_name_follows_the_name_rule(slot, session_trainer):
    refused(
        "typed_name_invalid",
        sign_slot_as_trainer,
        session_trainer,
        slot,
        typed_name="Dominique\u2067",
        certified=True,
        now=during(slot),
    )


def test_signing_again_returns_the_first_signature(slot, checked_in, professional):
    first = sign_slot(
        professional, slot, typed_name="Camille Martin", certified=True, now=during(slot)
    )
    again = sign_slot(
        professional, slot, image_bytes=drawing(), certified=True, now=during(slot, 40)
    )

    assert again.pk == first.pk
    assert not again.image
    assert SlotSignature.objects.count() == 1


def test_a_late_participant_signs_too(slot, registration, session_trainer, professional):
    mark_attendance(session_trainer, slot, registration, AttendanceStatus.LATE, now=during(slot))

    assert sign_slot(professional, slot, typed_name="C. Martin", certified=True, now=during(slot))


def test_each_half_day_is_signed_separately(session, registration, session_trainer, professional):
    first, second = session.slots.all()
    for slot in (first, second):
        mark_attendance(session_trainer, slot, registration, "present", now=during(slot))
        sign_slot(professional, slot, typed_name="C. Martin", certified=True, now=during(slot))

    assert SlotSignature.objects.filter(registration=registration).count() == 2


def test_the_attestation_must_be_ticked(slot, checked_in, professional):
    refused(
        "certification_required",
        sign_slot,
        professional,
        slot,
        image_bytes=drawing(),
        certified=False,
        now=during(slot),
    )


def test_a_signature_needs_a_drawing_or_a_name(slot, checked_in, professional):
    refused(
        "signature_required",
        sign_slot,
        professional,
        slot,
        typed_name="  ",
        certified=True,
        now=during(slot),
    )


@pytest.mark.parametrize("status", [AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED, None])
def test_only_present_or_late_participants_sign(
    slot, registration, session_trainer, professional, status
):
    if status:
        mark_attendance(session_trainer, slot, registration, status, now=during(slot))

    refused(
        "not_checked_in",
        sign_slot,
        professional,
        slot,
        image_bytes=drawing(),
        certified=True,
        now=during(slot),
    )


def test_someone_not_registered_cannot_sign(slot, django_user_model):
    stranger = make_user(django_user_model, "inconnue@example.org")

    refused(
        "not_registered",
        sign_slot,
        stranger,
        slot,
        image_bytes=drawing(),
        certified=True,
        now=during(slot),
    )


def test_signing_closes_half_an_hour_after_the_slot(slot, checked_in, professional):
    late = slot.ends_at + timedelta(minutes=31)

    refused(
        "signing_closed", sign_slot, professional, slot, typed_name="C", certified=True, now=late
    )
    assert sign_slot(
        professional, slot, typed_name="C", certified=True, now=slot.ends_at + timedelta(minutes=29)
    )


def test_a_cancelled_session_takes_no_signature(session, slot, checked_in, professional):
    session.status = SessionStatus.CANCELLED
    session.save()

    refused(
        "session_cancelled",
        sign_slot,
        professional,
        slot,
        typed_name="C",
        certified=True,
        now=during(slot),
    )


# --- Bad images ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "image_bytes",
    [
        pytest.param(drawing(format="JPEG", mode="RGB"), id="jpeg"),
        pytest.param(drawing(format="GIF", mode="RGB"), id="gif"),
        pytest.param(drawing(format="WEBP", mode="RGB"), id="webp"),
        pytest.param(b"<svg xmlns='http://www.w3.org/2000/svg'/>", id="svg"),
        pytest.param(b"%PDF-1.7\n", id="pdf"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, id="png-magic-only"),
        pytest.param(drawing()[:-30], id="truncated-png"),
        pytest.param(drawing()[:60] + b"X" + drawing()[61:], id="corrupted-chunk"),
        pytest.param(b"", id="empty"),
        pytest.param("iVBORw0KGgo=", id="text-not-bytes"),
        pytest.param(drawing(size=(1201, 200)), id="too-wide"),
        pytest.param(drawing(size=(600, 601)), id="too-high"),
        pytest.param(drawing(size=(20, 20)), id="too-small"),
    ],
)
def test_anything_but_a_canvas_png_is_refused(slot, checked_in, professional, image_bytes):
    refused(
        "signature_invalid",
        sign_slot,
        professional,
        slot,
        image_bytes=image_bytes,
        certified=True,
        now=during(slot),
    )


def test_a_png_over_200_kb_is_refused(slot, checked_in, professional):
    heavy = noisy_png((300, 300))
    assert len(heavy) > MAX_BYTES

    refused(
        "signature_too_large",
        sign_slot,
        professional,
        slot,
        image_bytes=heavy,
        certified=True,
        now=during(slot),
    )


def test_the_largest_canvas_is_accepted():
    # A drawing on the largest canvas allowed stays well under the byte limit.
    png = drawing(size=(1200, 600))
    assert len(png) <= MAX_BYTES
    assert clean_signature_image(png)


@pytest.mark.parametrize("mode", ["RGBA", "RGB"])
def test_a_blank_canvas_is_refused(slot, checked_in, professional, mode):
    refused(
        "signature_empty",
        sign_slot,
        professional,
        slot,
        image_bytes=drawing(mode=mode, stroke=False),
        certified=True,
        now=during(slot),
    )


def test_a_decompression_bomb_is_refused_from_its_header():
    # 1 bit per pixel, 20 000 × 20 000: a few KB on disk, 400 Mpx once decoded.
    image = Image.new("1", (20000, 20000))
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    assert len(output.getvalue()) < MAX_BYTES

    with pytest.raises(SessionError) as excinfo:
        clean_signature_image(output.getvalue())
    assert excinfo.value.code == "signature_invalid"


# --- The trainer ---------------------------------------------------------------------------------


def test_the_trainer_signs_each_slot_once(slot, session_trainer):
    now = during(slot, 200)

    signature = sign_slot_as_trainer(
        session_trainer, slot, image_bytes=drawing(), certified=True, now=now
    )
    again = sign_slot_as_trainer(
        session_trainer, slot, typed_name="D. Leroy", certified=True, now=now
    )

    assert again.pk == signature.pk
    assert signature.trainer == session_trainer
    assert signature.registration is None
    assert SlotSignature.objects.count() == 1


def test_a_second_trainer_cannot_sign_a_signed_slot(session, slot, session_trainer):
    second = new_trainer()
    session.trainers.add(second)
    sign_slot_as_trainer(
        session_trainer, slot, typed_name="D. Leroy", certified=True, now=during(slot)
    )

    with pytest.raises(SessionError) as excinfo:
        sign_slot_as_trainer(second, slot, typed_name="A. Autre", certified=True, now=during(slot))

    assert excinfo.value.code == "already_signed"


def test_trainer_and_participants_sign_the_same_slot(
    slot, checked_in, professional, session_trainer
):
    sign_slot(professional, slot, typed_name="C. Martin", certified=True, now=during(slot))
    sign_slot_as_trainer(
        session_trainer, slot, typed_name="D. Leroy", certified=True, now=during(slot)
    )

    assert SlotSignature.objects.filter(slot=slot).count() == 2


@pytest.mark.parametrize("who", ["other_trainer", "coordinator", "participant"])
def test_only_the_sessions_trainers_sign_as_trainer(
    slot, checked_in, who, coordinator, professional
):
    by = {
        "other_trainer": build_session().trainers.get(),
        "coordinator": coordinator,
        "participant": professional,
    }[who]

    refused(
        "not_allowed",
        sign_slot_as_trainer,
        by,
        slot,
        typed_name="X",
        certified=True,
        now=during(slot),
    )


def test_the_trainer_does_not_sign_before_the_slot(slot, session_trainer):
    refused(
        "signing_not_open",
        sign_slot_as_trainer,
        session_trainer,
        slot,
        typed_name="D. Leroy",
        certified=True,
        now=slot.starts_at - timedelta(minutes=1),
    )


def test_the_trainer_certifies_too(slot, session_trainer):
    refused(
        "certification_required",
        sign_slot_as_trainer,
        session_trainer,
        slot,
        typed_name="D. Leroy",
        now=during(slot),
    )


def test_the_trainer_signature_image_is_checked_like_the_participants(slot, session_trainer):
    refused(
        "signature_invalid",
        sign_slot_as_trainer,
        session_trainer,
        slot,
        image_bytes=drawing(format="JPEG", mode="RGB"),
        certified=True,
        now=during(slot),
    )


# --- The canvas's data: URL ----------------------------------------------------------------------


def test_the_canvas_data_url_is_decoded():
    import base64

    png = drawing()

    assert decode_data_url("data:image/png;base64," + base64.b64encode(png).decode()) == png


@pytest.mark.parametrize(
    "value",
    [
        "data:image/jpeg;base64,AAAA",
        "data:image/svg+xml;base64,PHN2Zy8+",
        "data:image/png;base64,not base64!",
        "data:image/png,rawbytes",
        "https://example.org/signature.png",
        "",
        None,
        b"data:image/png;base64,AAAA",
    ],
)
def test_anything_but_a_png_data_url_is_refused(value):
    with pytest.raises(SessionError) as excinfo:
        decode_data_url(value)
    assert excinfo.value.code == "signature_invalid"


def test_an_oversized_data_url_is_refused_before_decoding():
    import base64

    value = "data:image/png;base64," + base64.b64encode(b"\0" * (MAX_BYTES + 1)).decode()

    with pytest.raises(SessionError) as excinfo:
        decode_data_url(value)
    assert excinfo.value.code == "signature_too_large"
    # Exactly the limit decodes (and is then checked as an image).
    at_limit = "data:image/png;base64," + base64.b64encode(b"\0" * MAX_BYTES).decode()
    assert len(decode_data_url(at_limit)) == MAX_BYTES


def test_anonymous_people_cannot_sign(slot):
    from django.contrib.auth.models import AnonymousUser

    refused(
        "not_registered",
        sign_slot,
        AnonymousUser(),
        slot,
        typed_name="X",
        certified=True,
        now=during(slot),
    )
