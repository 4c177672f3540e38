"""Registration to in-person sessions: slots, seats, waiting list, invitations.

Every decision about seats is taken under a lock on the session row
(`select_for_update`), so concurrent registrations, cancellations and capacity
changes see each other's result: 30 people asking for the last seat at once get
one confirmation and 29 places on the waiting list, and two cancellations at once
promote two people, never more.

Seats taken = confirmed + invited registrations (an invitation holds its seat until
the person signs up). When seats free up, the waiting list is served in `queued_at`
order, automatically, and each promoted person is told by e-mail.

Services are idempotent: asking again returns the same registration and sends no
second e-mail. E-mails leave through tasks once the transaction commits
(`session_emails.queue`), so a failing mail server never loses a registration.
Refusals raise `SessionError` with a stable code (`courses/sessions/errors.py`).
"""

import logging
from datetime import datetime
from itertools import pairwise

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from courses.models import Registration, SessionSlot, TrainingSession
from courses.models.sessions import RegistrationStatus, SessionStatus
from courses.sessions import emails as session_emails
from courses.sessions.errors import SessionError

logger = logging.getLogger("reperes.courses")

SEAT_HOLDERS = (RegistrationStatus.CONFIRMED, RegistrationStatus.INVITED)
ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING, RegistrationStatus.INVITED)
MAX_CAPACITY = 32767  # PositiveSmallIntegerField


def record(action, session, user=None, **data):
    """Log to the application log and to Wagtail's audit log, on the session.

    Registrations are named by id, never by e-mail address: the audit log is read by
    Coordination and kept longer than a registration may be.
    """
    user_id = getattr(user, "pk", None)
    logger.info(action, extra={"session_id": session.pk, "user_id": user_id, **data})
    log(instance=session, action=action, user=user, data=data)


# --- Locks and checks --------------------------------------------------------------------


def lock_session(session):
    """The session row, locked until the end of the transaction (call inside atomic)."""
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


def require_planned(session):
    if session.status == SessionStatus.CANCELLED:
        raise SessionError("session_cancelled")
    if session.status == SessionStatus.FINISHED:
        raise SessionError("session_finished")


def require_registration_open(session, now):
    if now < session.registration_opens_at:
        raise SessionError("registration_not_open")
    if now > session.registration_closes_at:
        raise SessionError("registration_closed")


def require_manager(session, user):
    """Trainers of the session and Coordination only (others: as if it did not exist)."""
    if user is None or not TrainingSession.objects.for_trainer(user).filter(pk=session.pk).exists():
        raise SessionError("not_allowed")


def seats_taken(session):
    return session.registrations.filter(status__in=SEAT_HOLDERS).count()


def free_seats(session):
    return max(session.capacity - seats_taken(session), 0)


# --- Slots --------------------------------------------------------------------------------


def schedule_changed(session):
    """Recompute the session's start, end and planned minutes from its slots.

    Returns True when the start moved (reminders already sent are then out of date).
    """
    slots = list(SessionSlot.objects.filter(session=session))
    starts_at = min((slot.starts_at for slot in slots), default=None)
    ends_at = max((slot.ends_at for slot in slots), default=None)
    planned_minutes = sum(slot.minutes for slot in slots)
    moved = starts_at != session.starts_at
    session.starts_at, session.ends_at = starts_at, ends_at
    session.planned_minutes = planned_minutes
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=starts_at, ends_at=ends_at, planned_minutes=planned_minutes
    )
    return moved


def validate_slots(slots_data):
    """Refuse empty, reversed or overlapping slots (dicts with date, start_time, end_time)."""
    if not slots_data:
        raise SessionError("no_slots")
    spans = []
    for data in slots_data:
        if data["end_time"] <= data["start_time"]:
            raise SessionError("slot_end_before_start")
        spans.append(
            (
                datetime.combine(data["date"], data["start_time"]),
                datetime.combine(data["date"], data["end_time"]),
            )
        )
    spans.sort()
    for (_start, end), (next_start, _end) in pairwise(spans):
        if next_start < end:
            raise SessionError("slots_overlap")


def set_slots(session, slots_data, by):
    """Replace the session's slots with `slots_data`, all at once or not at all.

    Each item is a dict with `date`, `start_time`, `end_time` and, to edit an existing
    slot rather than create one, its `id`. Existing slots left out are deleted, unless
    attendance or signatures were recorded on them (`slot_has_attendance`).
    """
    with transaction.atomic():
        session = lock_session(session)
        require_manager(session, by)
        require_planned(session)
        validate_slots(slots_data)
        existing = {slot.pk: slot for slot in session.slots.all()}
        kept = {data["id"] for data in slots_data if data.get("id")}
        if kept - existing.keys():
            raise SessionError("unknown_slot")
        removed = [pk for pk in existing if pk not in kept]
        if removed and (
            SessionSlot.objects.filter(pk__in=removed, attendances__isnull=False).exists()
            or SessionSlot.objects.filter(pk__in=removed, signatures__isnull=False).exists()
        ):
            raise SessionError("slot_has_attendance")
        SessionSlot.objects.filter(pk__in=removed).delete()
        for data in slots_data:
            slot = existing.get(data.get("id")) or SessionSlot(session=session)
            slot.date, slot.start_time, slot.end_time = (
                data["date"],
                data["start_time"],
                data["end_time"],
            )
            slot.save()
        if schedule_changed(session):
            # The session moved: reminders go out again before the new date.
            session.registrations.update(reminder_sent_at=None)
        record(
            "reperes.session_slots",
            session,
            by,
            slots=len(slots_data),
            removed=len(removed),
            planned_minutes=session.planned_minutes,
        )
    return list(session.slots.all())


# --- Seats and the waiting list ------------------------------------------------------------


def promote_waiting(session, now, by=None):
    """Give free seats to the waiting list in order; the promoted registrations.

    Call with the session row locked: the count of free seats is then exact.
    """
    seats = free_seats(session)
    if not seats:
        return []
    waiting = list(
        session.registrations.select_for_update()
        .filter(status=RegistrationStatus.WAITING)
        .order_by("queued_at", "pk")[:seats]
    )
    for registration in waiting:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at"])
        record(
            "reperes.session_promote",
            session,
            by,
            registration_id=registration.pk,
            participant_id=registration.user_id,
        )
        session_emails.queue("promoted", registration)
    return waiting


def take_seat_or_queue(session, registration, now):
    """Confirm `registration` if a seat is free, else put it at the end of the list."""
    if free_seats(session):
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
    else:
        registration.status = RegistrationStatus.WAITING
        registration.queued_at = now
    registration.cancelled_at = None
    registration.reminder_sent_at = None


def find_registration(session, user):
    """The user's registration in `session`, or an invitation sent to their address."""
    return (
        session.registrations.select_for_update().filter(user=user).first()
        or session.registrations.select_for_update()
        .filter(user__isnull=True, email__iexact=user.email)
        .first()
    )


def register(user, session, now=None):
    """Register `user` to `session`: a confirmed seat, or a place on the waiting list.

    Asking again returns the same registration (confirmed or waiting) unchanged; a
    cancelled registration is reactivated; an invitation sent to the user's address
    becomes a confirmed seat (it already held one).
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = lock_session(session)
        require_planned(session)
        registration = find_registration(session, user)
        if registration is not None and registration.status in (
            RegistrationStatus.CONFIRMED,
            RegistrationStatus.WAITING,
        ):
            return registration
        if registration is not None and registration.status == RegistrationStatus.INVITED:
            # Its seat was given by a trainer, whatever the registration window.
            return confirm_invitation(registration, user, now)
        require_registration_open(session, now)
        if registration is None:
            registration = Registration(session=session, user=user, email=user.email)
        take_seat_or_queue(session, registration, now)
        registration.save()
        confirmed = registration.status == RegistrationStatus.CONFIRMED
        record(
            "reperes.session_register" if confirmed else "reperes.session_waiting",
            session,
            user,
            registration_id=registration.pk,
        )
        session_emails.queue("confirmed" if confirmed else "waiting", registration)
    return registration


def cancel_registration(user, registration, now=None, *, closing_account=False):
    """The participant cancels their registration (or leaves the waiting list).

    Allowed until registrations close, or at any time before the session when the
    person deletes their account (`closing_account`, accounts/privacy/erasure.py): their seat
    must not stay taken. A freed seat goes to the first person waiting, in the same
    transaction. Cancelling again changes nothing.
    """
    now = now or timezone.now()
    if registration.user_id is None or registration.user_id != user.pk:
        raise SessionError("registration_not_found")
    with transaction.atomic():
        session = lock_session(registration.session)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            return registration
        require_planned(session)
        if now > session.registration_closes_at and not closing_account:
            raise SessionError("registration_closed")
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        record("reperes.session_unregister", session, user, registration_id=registration.pk)
        promote_waiting(session, now)
    return registration


# --- Trainers -------------------------------------------------------------------------------


def normalise_email(email):
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise SessionError("invalid_email") from None
    return email


def add_participant(trainer, session, email, now=None):
    """A trainer adds a person by e-mail address, outside the registration window.

    - An account with that address gets a confirmed seat (and the confirmation e-mail).
    - No account: an invitation holds a seat (status `invited`) and an e-mail invites
      the person to sign up with that address; `claim_invitations` confirms it then.

    There must be a free seat (`session_full`): the trainer raises the capacity first,
    rather than overtaking the waiting list by accident. Adding someone already
    confirmed or invited returns their registration unchanged.
    """
    now = now or timezone.now()
    email = normalise_email(email)
    user = get_user_model().objects.filter(email__iexact=email).first()
    with transaction.atomic():
        session = lock_session(session)
        require_manager(session, trainer)
        require_planned(session)
        if user is not None:
            registration = find_registration(session, user)
        else:
            registration = (
                session.registrations.select_for_update().filter(email__iexact=email).first()
            )
        if registration is not None and registration.status == RegistrationStatus.INVITED and user:
            # Invited before the account existed: the seat is theirs now.
            return confirm_invitation(registration, user, now)
        if registration is not None and registration.status in SEAT_HOLDERS:
            return registration
        if not free_seats(session):
            raise SessionError("session_full")
        if registration is None:
            registration = Registration(session=session, user=user, email=email)
        registration.added_by = trainer
        registration.cancelled_at = None
        registration.reminder_sent_at = None
        if user is not None:
            registration.user = user
            registration.status = RegistrationStatus.CONFIRMED
            registration.confirmed_at = now
        else:
            registration.status = RegistrationStatus.INVITED
        registration.save()
        invited = registration.status == RegistrationStatus.INVITED
        record(
            "reperes.session_invite" if invited else "reperes.session_add_participant",
            session,
            trainer,
            registration_id=registration.pk,
            participant_id=registration.user_id,
        )
        session_emails.queue("invitation" if invited else "confirmed", registration)
    return registration


def confirm_invitation(invitation, user, now):
    """Turn a locked invitation into the user's confirmed seat (the seat is already counted)."""
    invitation.user = user
    invitation.status = RegistrationStatus.CONFIRMED
    invitation.confirmed_at = now
    invitation.cancelled_at = None
    invitation.save(update_fields=["user", "status", "confirmed_at", "cancelled_at"])
    record(
        "reperes.session_claim_invitation",
        invitation.session,
        user,
        registration_id=invitation.pk,
    )
    session_emails.queue("confirmed", invitation)
    return invitation


def claim_invitations(user, now=None):
    """Link invitations sent to the user's verified addresses; their registrations.

    Only verified addresses count: whoever controls the address was invited. If the
    person already has their own registration in the session, that one takes the
    invitation's seat and the invitation is closed.
    """
    from allauth.account.models import EmailAddress

    now = now or timezone.now()
    addresses = {
        address.lower()
        for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }
    if not addresses:
        return []
    invitations = Registration.objects.filter(
        user__isnull=True, status=RegistrationStatus.INVITED, email__in=addresses
    ).values_list("pk", flat=True)
    return [claim_invitation(pk, user, now) for pk in invitations]


def claim_invitation(invitation_id, user, now):
    with transaction.atomic():
        invitation = Registration.objects.select_related("session").get(pk=invitation_id)
        session = lock_session(invitation.session)
        invitation = Registration.objects.select_for_update().get(pk=invitation_id)
        if invitation.user_id is not None or invitation.status != RegistrationStatus.INVITED:
            return invitation  # claimed meanwhile
        invitation.session = session
        own = session.registrations.select_for_update().filter(user=user).first()
        if own is None:
            return confirm_invitation(invitation, user, now)
        invitation.status = RegistrationStatus.CANCELLED
        invitation.cancelled_at = now
        invitation.save(update_fields=["status", "cancelled_at"])
        if own.status == RegistrationStatus.CONFIRMED:
            # They already had a seat: the invitation's seat goes to the waiting list.
            record("reperes.session_claim_invitation", session, user, registration_id=own.pk)
            promote_waiting(session, now)
            return own
        return confirm_invitation(own, user, now)


def claim_on_email_confirmed(sender, request, email_address, **kwargs):
    """allauth's `email_confirmed`: invitations to that address become the user's seats."""
    claim_invitations(email_address.user)


def claim_on_signed_up(sender, request, user, **kwargs):
    """allauth's `user_signed_up`: covers accounts whose address is verified at sign-up."""
    claim_invitations(user)


def set_capacity(session, capacity, by, now=None):
    """Change the number of seats; more seats serve the waiting list at once.

    Never below the seats already taken (`capacity_below_confirmed`, with both
    numbers): people holding a seat are not dropped by a number change.
    """
    now = now or timezone.now()
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        raise SessionError("invalid_capacity", maximum=MAX_CAPACITY)
    with transaction.atomic():
        session = lock_session(session)
        require_manager(session, by)
        require_planned(session)
        taken = seats_taken(session)
        if capacity < taken:
            raise SessionError("capacity_below_confirmed", capacity=capacity, taken=taken)
        if capacity != session.capacity:
            previous, session.capacity = session.capacity, capacity
            session.save(update_fields=["capacity"])
            record("reperes.session_capacity", session, by, previous=previous, capacity=capacity)
        promote_waiting(session, now, by)
    return session


def cancel_session(session, by, reason="", now=None):
    """Cancel a planned session and tell everyone holding or awaiting a seat.

    `reason` goes into the e-mail to participants and into the audit log. The
    registrations keep their status: the session's status says it is off, and the
    list of who was registered stays for the record. Cancelling again does nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = lock_session(session)
        require_manager(session, by)
        if session.status == SessionStatus.CANCELLED:
            return session
        if session.status == SessionStatus.FINISHED:
            raise SessionError("session_finished")
        session.status = SessionStatus.CANCELLED
        session.cancelled_at = now
        session.save(update_fields=["status", "cancelled_at"])
        notified = list(session.registrations.filter(status__in=ACTIVE).order_by("pk"))
        for registration in notified:
            session_emails.queue("cancelled", registration, reason=reason)
        record("reperes.session_cancel", session, by, reason=reason, notified=len(notified))
    return session
