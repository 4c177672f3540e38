"""What happens to a complaint: filed, assigned, moved along its statuses, answered.

Each service runs in one transaction, locks the row it changes (`select_for_update`),
is idempotent (a repeated call changes nothing and sends nothing twice), logs to
Wagtail's audit log (`quality/log_actions.py`) and refuses with a `ComplaintError`
whose `code` is stable. Views only parse the request and call these.

Statuses move forward, with two ways back (the answer was not enough, the person
wrote again):

    reçue ──→ en cours ──→ traitée ──→ close
      └───────────────────────────────↗  (nothing to handle: spam, sent twice)
    traitée ──→ en cours,  close ──→ en cours

« traitée » means « answered in writing » (the audit asks for the answer): it is
reached by `answer_complaint`, or by hand once an answer was sent.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from accounts import roles
from quality import emails
from quality.errors import ComplaintError
from quality.log_actions import (
    COMPLAINT_ANSWER,
    COMPLAINT_ANSWER_DRAFT,
    COMPLAINT_ASSIGN,
    COMPLAINT_FILE,
    COMPLAINT_STATUS,
)
from quality.models import (
    MESSAGE_MAX_LENGTH,
    Complaint,
    ComplaintSequence,
    ComplaintStatus,
)

logger = logging.getLogger("reperes.quality")

Status = ComplaintStatus
TRANSITIONS = {
    Status.RECUE: {Status.EN_COURS, Status.CLOSE},
    Status.EN_COURS: {Status.TRAITEE},
    Status.TRAITEE: {Status.CLOSE, Status.EN_COURS},
    Status.CLOSE: {Status.EN_COURS},
}
#: The same person sending the same message again within this delay files nothing new.
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=1)
REFERENCE_PREFIX = "R"


def record(action, complaint, user=None, **data):
    """Application log and Wagtail's audit log; the reference, never the person."""
    logger.info(
        action,
        extra={"complaint": complaint.reference, "user_id": getattr(user, "pk", None), **data},
    )
    log(
        instance=complaint,
        action=action,
        user=user,
        data={"reference": complaint.reference, **data},
    )


# --- References ----------------------------------------------------------------------------


def locked_sequence(year):
    """The year's counter row, locked until the filing commits.

    Two complaints filed at once wait for each other here: they get consecutive
    numbers, and the second one sees the first (the double-submit check).
    """
    ComplaintSequence.objects.bulk_create(
        [ComplaintSequence(year=year, last_number=0)], ignore_conflicts=True
    )
    return ComplaintSequence.objects.select_for_update().get(year=year)


def next_reference(sequence):
    """« R-2026-0001 »; a rolled-back filing gives its number back (same transaction)."""
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{REFERENCE_PREFIX}-{sequence.year}-{sequence.last_number:04d}"


# --- Filing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filing:
    complaint: Complaint
    created: bool


def publisher_of(module=None, session=None, guide=None):
    if module is not None:
        return module.publisher
    if session is not None:
        return session.organiser
    if guide is not None:
        return guide.publisher
    return None


def recent_duplicate(email, message, now):
    return (
        Complaint.objects.filter(
            email__iexact=email, message=message, created_at__gte=now - DOUBLE_SUBMIT_WINDOW
        )
        .order_by("pk")
        .first()
    )


def file_complaint(
    *, name, email, subject_type, message, user=None, module=None, session=None, guide=None
):
    """File a complaint and queue its receipt; `Filing(complaint, created)`.

    A logged-in person files under their account's name and address, whatever the
    form carried. The same address sending the same message within a minute (a
    double click, a reload) gets the first complaint back, and no second receipt:
    the check runs under the year's counter lock, so two requests at once see
    each other.
    """
    if user is not None and user.is_authenticated:
        name, email = user.get_full_name().strip() or user.email, user.email
    else:
        user = None
    now = timezone.now()
    with transaction.atomic():
        sequence = locked_sequence(timezone.localdate(now).year)
        duplicate = recent_duplicate(email, message, now)
        if duplicate is not None:
            logger.info("complaint double submit", extra={"complaint": duplicate.reference})
            return Filing(duplicate, created=False)
        complaint = Complaint.objects.create(
            reference=next_reference(sequence),
            created_at=now,
            filed_by=user,
            name=name,
            email=email,
            subject_type=subject_type,
            module=module,
            session=session,
            guide=guide,
            publisher=publisher_of(module, session, guide),
            message=message,
        )
        record(COMPLAINT_FILE, complaint, user, subject_type=subject_type)
        emails.queue("receipt", complaint)
    return Filing(complaint, created=True)


# --- Handling (Coordination) ---------------------------------------------------------------


def lock(complaint):
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def check_transition(current, status):
    """Raise `invalid_transition` unless `current` may move to `status`."""
    if status != current and status not in TRANSITIONS.get(current, ()):
        raise ComplaintError("invalid_transition", current=current, status=status)


def allowed_statuses(current):
    """The statuses a complaint in `current` may be given (itself included)."""
    return [current, *sorted(TRANSITIONS.get(current, ()), key=list(Status).index)]


def _move(complaint, status, by, now):
    """Apply a checked transition to a locked complaint (saved by the caller)."""
    check_transition(complaint.status, status)
    if status == complaint.status:
        return False
    if status == Status.TRAITEE and complaint.answered_at is None:
        raise ComplaintError("answer_missing")
    previous = complaint.status
    complaint.status = status
    complaint.closed_at = now if status == Status.CLOSE else None
    record(COMPLAINT_STATUS, complaint, by, previous=previous, status=status)
    return True


def change_status(complaint, status, *, by):
    """Move the complaint to `status` (see TRANSITIONS); the same status changes nothing."""
    with transaction.atomic():
        locked = lock(complaint)
        if _move(locked, status, by, timezone.now()):
            locked.save(update_fields=["status", "closed_at", "updated_at"])
    return locked


def staff_users():
    """Who may follow a complaint: active members of a staff role, and superusers."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            Q(is_superuser=True) | Q(groups__name__in=roles.STAFF_ROLES), is_active=True
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def _assign(complaint, assignee, by):
    if assignee is not None and not staff_users().filter(pk=assignee.pk).exists():
        raise ComplaintError("assignee_not_staff")
    if complaint.assignee_id == getattr(assignee, "pk", None):
        return False
    complaint.assignee = assignee
    record(COMPLAINT_ASSIGN, complaint, by, assignee_id=getattr(assignee, "pk", None))
    return True


def assign_complaint(complaint, assignee, *, by):
    """Give the complaint to a staff member to follow (None: to nobody)."""
    with transaction.atomic():
        locked = lock(complaint)
        if _assign(locked, assignee, by):
            locked.save(update_fields=["assignee", "updated_at"])
    return locked


def clean_answer(answer):
    answer = (answer or "").strip()
    if len(answer) > MESSAGE_MAX_LENGTH:
        raise ComplaintError("answer_too_long")
    return answer


def update_complaint(complaint, *, by, status, assignee, answer):
    """The admin's « Enregistrer »: assignee, draft answer, then status, in one go.

    All or nothing: a refused status leaves the assignee and the draft as they were.
    The answer is only saved here, never sent (`answer_complaint` sends it).
    """
    answer = clean_answer(answer)
    with transaction.atomic():
        locked = lock(complaint)
        changed = _assign(locked, assignee, by)
        if answer != locked.answer:
            locked.answer = answer
            record(COMPLAINT_ANSWER_DRAFT, locked, by, length=len(answer))
            changed = True
        changed = _move(locked, status, by, timezone.now()) or changed
        if changed:
            locked.save()
    return locked


@dataclass(frozen=True)
class Answer:
    complaint: Complaint
    sent: bool


def answer_complaint(complaint, answer, *, by):
    """Store the answer, mark the complaint « traitée » and e-mail the answer to its author.

    Idempotent: sending the answer that was already sent sends nothing again
    (`Answer(sent=False)`); a corrected answer goes out as a new e-mail. Refused on a
    closed complaint (`complaint_closed`), without an answer (`answer_empty`), past
    5000 characters (`answer_too_long`), or once the address is erased (`no_address`).
    """
    answer = clean_answer(answer)
    if not answer:
        raise ComplaintError("answer_empty")
    now = timezone.now()
    with transaction.atomic():
        locked = lock(complaint)
        if locked.status == Status.CLOSE:
            raise ComplaintError("complaint_closed")
        if "@" not in locked.email:
            raise ComplaintError("no_address")
        if answer == locked.answer_sent:
            return Answer(locked, sent=False)
        locked.answer = locked.answer_sent = answer
        locked.answered_at = now
        if locked.status == Status.RECUE:
            # Answered straight away: it was handled, the log says both steps.
            _move(locked, Status.EN_COURS, by, now)
        record(COMPLAINT_ANSWER, locked, by, length=len(answer))
        _move(locked, Status.TRAITEE, by, now)
        locked.save()
        emails.queue("answer", locked)
    return Answer(locked, sent=True)
