"""Self check-in: the QR code and the short code the trainer shows during a slot.

Both change every minute and are derived, never stored:

- the **token** (in the QR code's URL) is `django.core.signing` output with its own
  salt, carrying the slot id and the index of the 60-second window it was made in:
  forging one needs the SECRET_KEY, and it names its slot;
- the **short code** (6 symbols to type, Crockford base32: no I, L, O or U, typed in
  any case) is an HMAC of the slot id and window under a key derived from the same
  secret. Nothing is looked up: a typed code is checked against the slots whose
  check-in is open right now (a handful in a département), so a code also tells
  which slot it belongs to.

A token or code is accepted during its own window and the next one (a code typed
just as the screen changes still works; so does a small clock difference between
two app servers, one window ahead). Older → `checkin_expired`.

Check-in is open from 15 minutes before the slot starts (people sign in at the door)
until the slot ends; after that only the trainer corrects attendance, with a reason.

The device: the view passes a random id it keeps in a long-lived cookie. Only a keyed
hash of it is stored on the mark (`AttendanceMark.device`), enough to tell the trainer
that one phone checked in several people (`shared_devices`), useless to anyone else.
"""

import hmac
from collections import namedtuple
from datetime import UTC, datetime, timedelta

from django.core import signing
from django.db.models import Count
from django.utils import timezone
from django.utils.crypto import salted_hmac

from courses.models import AttendanceMark, Registration, SessionSlot
from courses.models.sessions import MarkMethod, RegistrationStatus, SessionStatus
from courses.sessions.attendance import (
    confirmed_registration,
    opens_at,
    record_self_check_in,
    require_not_cancelled,
)
from courses.sessions.errors import SessionError

TOKEN_SALT = "reperes.courses.checkin.token"  # noqa: S105  (a salt, not a secret)
CODE_SALT = "reperes.courses.checkin.code"
DEVICE_SALT = "reperes.courses.checkin.device"
WINDOW_SECONDS = 60
CODE_LENGTH = 6
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# How far back a code still reads as « expiré » rather than « inconnu ».
_EXPIRED_LOOKBACK = 30
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})
_IGNORED = str.maketrans("", "", "- \t\u00a0")

CheckIn = namedtuple("CheckIn", "token short_code expires_at")


# --- Windows, tokens and codes -----------------------------------------------------------------


def window_of(now):
    return int(now.timestamp()) // WINDOW_SECONDS


def window_end(window):
    return datetime.fromtimestamp((window + 1) * WINDOW_SECONDS, tz=UTC)


def make_token(slot_id, window):
    # A plain Signer: the window is the timestamp, a second one would lengthen the QR code.
    return signing.Signer(salt=TOKEN_SALT).sign_object([slot_id, window])


def make_code(slot_id, window):
    digest = salted_hmac(CODE_SALT, f"{slot_id}:{window}", algorithm="sha256").digest()
    value = int.from_bytes(digest[:8], "big")
    symbols = []
    for _ in range(CODE_LENGTH):
        value, digit = divmod(value, len(CODE_ALPHABET))
        symbols.append(CODE_ALPHABET[digit])
    return "".join(symbols)


def normalise_code(raw):
    """The typed code in canonical form, or None when it cannot be one."""
    code = raw.translate(_IGNORED).upper().translate(_FOLD)
    if len(code) != CODE_LENGTH or any(symbol not in CODE_ALPHABET for symbol in code):
        return None
    return code


def device_hash(device_id):
    """A keyed hash of the device cookie: comparable between marks, not reversible."""
    if not device_id:
        return ""
    return salted_hmac(DEVICE_SALT, str(device_id)[:200], algorithm="sha256").hexdigest()


def is_open(slot, now):
    return opens_at(slot) <= now <= slot.ends_at


def _fresh(window, now):
    """Its own window, the next one (grace), or one ahead (clock skew between servers)."""
    return abs(window_of(now) - window) <= 1


# --- The trainer's screen ----------------------------------------------------------------------


def current_checkin(slot, now=None):
    """`(token, short_code, expires_at)` to show now; `expires_at` is when it changes.

    Refused outside the slot's check-in time (`checkin_closed`) and for a cancelled
    session. Who may see it is the view's business (the session's trainers).
    """
    now = now or timezone.now()
    require_not_cancelled(slot.session)
    if slot.session.status == SessionStatus.FINISHED or not is_open(slot, now):
        raise SessionError("checkin_closed")
    window = window_of(now)
    return CheckIn(make_token(slot.pk, window), make_code(slot.pk, window), window_end(window))


# --- The participant ---------------------------------------------------------------------------


def check_in(user, token_or_code, *, slot=None, device_id="", now=None):
    """Mark `user` present at the slot the token or code belongs to; returns the Attendance.

    `slot`, when the page already knows it, must be the token's slot
    (`checkin_other_slot`). Idempotent: checking in again changes nothing.
    """
    now = now or timezone.now()
    raw = (token_or_code or "").strip() if isinstance(token_or_code, str) else ""
    if not raw or len(raw) > 200:
        raise SessionError("checkin_invalid")
    # Signed tokens always hold a ":"; short codes never do.
    read = _slot_of_token if ":" in raw else _slot_of_code
    slot = read(user, raw, slot, now)
    session = slot.session
    require_not_cancelled(session)
    if session.status == SessionStatus.FINISHED or not is_open(slot, now):
        raise SessionError("checkin_closed")
    registration = confirmed_registration(user, session)
    registration.session = session
    return record_self_check_in(user, slot, registration, device=device_hash(device_id), now=now)


def _slot_of_token(user, token, slot, now):
    try:
        slot_id, window = signing.Signer(salt=TOKEN_SALT).unsign_object(token)
    except (signing.BadSignature, TypeError, ValueError):
        raise SessionError("checkin_invalid") from None
    if not isinstance(slot_id, int) or not isinstance(window, int):
        raise SessionError("checkin_invalid")
    if slot is not None and slot.pk != slot_id:
        raise SessionError("checkin_other_slot")
    if not _fresh(window, now):
        raise SessionError("checkin_expired")
    if slot is None:
        slot = SessionSlot.objects.select_related("session").filter(pk=slot_id).first()
        if slot is None:
            raise SessionError("checkin_invalid")
    return slot


def _slot_of_code(user, raw, slot, now):
    code = normalise_code(raw)
    if code is None:
        raise SessionError("checkin_invalid")
    current = window_of(now)
    candidates = [slot] if slot is not None else _candidates(user, now)
    for candidate in candidates:
        if any(_matches(code, candidate.pk, current + offset) for offset in (1, 0, -1)):
            return candidate
    for candidate in candidates:
        if any(
            _matches(code, candidate.pk, current - back) for back in range(2, _EXPIRED_LOOKBACK)
        ):
            raise SessionError("checkin_expired")
    if slot is not None and _matches_elsewhere(code, slot, now):
        raise SessionError("checkin_other_slot")
    raise SessionError("checkin_invalid")


def _matches(code, slot_id, window):
    return hmac.compare_digest(code, make_code(slot_id, window))


def _open_slots(now):
    """Slots whose check-in is open now, in every planned session (one query)."""
    today = timezone.localdate(now)
    slots = SessionSlot.objects.filter(
        date__range=(today - timedelta(days=1), today + timedelta(days=1)),
        session__status=SessionStatus.PLANNED,
    ).select_related("session")
    return [slot for slot in slots if is_open(slot, now)]


def _candidates(user, now):
    """Open slots, the user's own sessions first (two queries).

    Every running session is considered, not only the user's, so that a person who
    is not registered is told so (and asks the trainer) rather than « code inconnu ».
    """
    running = _open_slots(now)
    mine = set(
        Registration.objects.filter(
            user_id=user.pk,
            status=RegistrationStatus.CONFIRMED,
            session_id__in={slot.session_id for slot in running},
        ).values_list("session_id", flat=True)
    )
    return sorted(running, key=lambda slot: slot.session_id not in mine)


def _matches_elsewhere(code, slot, now):
    """The code of another open slot (the page was for the wrong half-day)."""
    current = window_of(now)
    return any(
        _matches(code, other.pk, current + offset)
        for other in _open_slots(now)
        if other.pk != slot.pk
        for offset in (1, 0, -1)
    )


# --- Flags for the trainer ---------------------------------------------------------------------


def shared_devices(slot):
    """Devices that checked in more than one person at `slot`: {device hash: [registrations]}.

    Not proof of anything (colleagues share a phone when one has no battery), so it
    is shown to the trainer, who looks around the room. Two queries.
    """
    devices = (
        AttendanceMark.objects.filter(attendance__slot=slot, method=MarkMethod.SELF_CHECK_IN)
        .exclude(device="")
        .values("device")
        .annotate(people=Count("attendance__registration", distinct=True))
        .filter(people__gt=1)
        .values_list("device", flat=True)
    )
    marks = (
        AttendanceMark.objects.filter(attendance__slot=slot, device__in=list(devices))
        .select_related("attendance__registration__user")
        .order_by("marked_at", "pk")
    )
    shared = {}
    for mark in marks:
        people = shared.setdefault(mark.device, [])
        if mark.attendance.registration not in people:
            people.append(mark.attendance.registration)
    return shared
