"""Émargement signatures: each participant present signs each half-day, and so does a trainer.

A participant signs after checking in (present or late for the slot), and must tick
« je certifie avoir été présent·e à cette demi-journée ». The signature is drawn on
a canvas (sent as a PNG) or, for people who cannot draw one (screen reader,
motor impairment), typed as their name: both are valid for the sheet, the typed
name is printed instead of an image.

The uploaded PNG is checked with Pillow (a real PNG, a canvas-sized picture, not
blank, at most 200 KB) and stored re-encoded, without any chunk the browser may have
added, in private storage: it is printed on the PDF and shown to the session's
trainers only.

Signing is idempotent per slot: a second submission returns the first signature
unchanged (a signature is never replaced).
"""

import base64
import binascii
import io
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from accounts.names import clean_name
from courses.models import Attendance, SlotSignature
from courses.models.sessions import ATTENDED
from courses.sessions.attendance import confirmed_registration, record, require_not_cancelled
from courses.sessions.errors import SessionError

MAX_BYTES = 200 * 1024
MAX_SIZE = (1200, 600)
MIN_SIZE = (100, 40)
TYPED_NAME_MAX_LENGTH = 150
#: Participants sign at check-in; this leaves time to finish after the slot's end.
SIGNING_GRACE = timedelta(minutes=30)


DATA_URL_PREFIX = "data:image/png;base64,"


def decode_data_url(value):
    """The bytes of the canvas's `toDataURL("image/png")`, for the view's form field.

    The length is checked before decoding (base64 is 4/3 of the bytes), so an
    oversized post is refused without building it in memory a second time.
    """
    if not isinstance(value, str) or not value.startswith(DATA_URL_PREFIX):
        raise SessionError("signature_invalid")
    payload = value[len(DATA_URL_PREFIX) :]
    if len(payload) > (MAX_BYTES + 2) // 3 * 4:
        raise SessionError("signature_too_large", maximum=MAX_BYTES // 1024)
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise SessionError("signature_invalid") from None
    if len(data) > MAX_BYTES:  # padding makes the first check approximate by 2 bytes
        raise SessionError("signature_too_large", maximum=MAX_BYTES // 1024)
    return data


def clean_signature_image(data):
    """The PNG re-encoded by Pillow, or `signature_invalid` / `signature_too_large`."""
    if not isinstance(data, bytes | bytearray) or not data:
        raise SessionError("signature_invalid")
    if len(data) > MAX_BYTES:
        raise SessionError("signature_too_large", maximum=MAX_BYTES // 1024)
    try:
        with Image.open(io.BytesIO(data)) as image:
            # Size from the header, before decoding anything: no decompression bomb.
            if image.format != "PNG" or not _canvas_sized(image.size):
                raise SessionError("signature_invalid")
            image.verify()  # checksums of every chunk
        with Image.open(io.BytesIO(data)) as image:
            image = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise SessionError("signature_invalid") from None
    if all(low == high for low, high in image.getextrema()):
        raise SessionError("signature_empty")  # one colour: nothing was drawn
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def _canvas_sized(size):
    width, height = size
    return MIN_SIZE[0] <= width <= MAX_SIZE[0] and MIN_SIZE[1] <= height <= MAX_SIZE[1]


def clean_typed_name(typed_name):
    """The typed name under the name rule of accounts/names.py: it is printed on the sheet."""
    try:
        typed_name = clean_name(typed_name)
    except ValidationError as error:
        raise SessionError("typed_name_invalid") from error
    if len(typed_name) > TYPED_NAME_MAX_LENGTH:
        raise SessionError("typed_name_too_long", maximum=TYPED_NAME_MAX_LENGTH)
    return typed_name


def _signature_content(image_bytes, typed_name):
    """(PNG bytes or None, typed name): at least one of them."""
    png = clean_signature_image(image_bytes) if image_bytes is not None else None
    typed_name = clean_typed_name(typed_name)
    if png is None and not typed_name:
        raise SessionError("signature_required")
    return png, typed_name


def sign_slot(user, slot, *, image_bytes=None, typed_name="", certified=False, now=None):
    """The participant's signature of `slot`, made once; returns the `SlotSignature`."""
    now = now or timezone.now()
    session = slot.session
    require_not_cancelled(session)
    registration = confirmed_registration(user, session)
    if not certified:
        raise SessionError("certification_required")
    png, typed_name = _signature_content(image_bytes, typed_name)
    if now > slot.ends_at + SIGNING_GRACE:
        raise SessionError("signing_closed")
    with transaction.atomic():
        # The attendance row serialises the participant's parallel submissions.
        attendance = (
            Attendance.objects.select_for_update()
            .filter(slot=slot, registration=registration)
            .first()
        )
        if attendance is None or attendance.status not in ATTENDED:
            raise SessionError("not_checked_in")
        existing = SlotSignature.objects.filter(slot=slot, registration=registration).first()
        if existing is not None:
            return existing
        signature = _create(slot, png, typed_name, now, registration=registration)
        record(
            "reperes.slot_sign",
            session,
            user,
            slot_id=slot.pk,
            registration_id=registration.pk,
            typed=png is None,
        )
    return signature


def sign_slot_as_trainer(
    trainer, slot, *, image_bytes=None, typed_name="", certified=False, now=None
):
    """The trainer's signature of `slot`: one per slot, by one of the session's trainers.

    `certified` is the trainer's « je certifie l'exactitude des présences de cette
    demi-journée ». Signing before the slot has started is refused. The same trainer
    signing again gets the first signature; another trainer gets `already_signed`.
    """
    now = now or timezone.now()
    session = slot.session
    require_not_cancelled(session)
    if trainer is None or not session.trainers.filter(pk=trainer.pk).exists():
        raise SessionError("not_allowed")
    if not certified:
        raise SessionError("certification_required")
    png, typed_name = _signature_content(image_bytes, typed_name)
    if now < slot.starts_at:
        raise SessionError("signing_not_open")
    existing = _trainer_signature(slot)
    if existing is None:
        try:
            with transaction.atomic():
                signature = _create(slot, png, typed_name, now, trainer=trainer)
                record("reperes.slot_sign", session, trainer, slot_id=slot.pk, trainer=True)
            return signature
        except IntegrityError:
            existing = _trainer_signature(slot)  # another trainer signed at the same moment
    if existing.trainer_id != trainer.pk:
        raise SessionError("already_signed")
    return existing


def _trainer_signature(slot):
    return SlotSignature.objects.filter(slot=slot, registration__isnull=True).first()


def _create(slot, png, typed_name, now, **owner):
    signature = SlotSignature(
        slot=slot, typed_name=typed_name, certified=True, signed_at=now, **owner
    )
    if png is not None:
        signature.image.save("signature.png", ContentFile(png), save=False)
    signature.save()
    return signature
