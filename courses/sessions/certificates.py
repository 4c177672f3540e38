"""Closing a session and its « certificats de réalisation ».

When a trainer (or Coordination) marks a session « terminée », every confirmed
participant with at least one attended slot (present or late) gets a certificat de
réalisation through the certificates machinery: numbered, with a verification code,
a PDF rendered by a task, revocable, immutable once issued. It states the
organiser, the participant, the action's title, its nature (« action de
formation »), the dates attended, the hours actually attended out of the planned
hours and, when the session is linked to a module the participant completed online,
the e-learning time as well.

One certificate in force per participant and session (a partial unique constraint);
issuing serialises on the registration row, so re-running `finish_session`, or
running it twice at once, issues nothing twice. Attendance corrected after the
session was closed gives a certificate to someone who had none on the next run;
certificates already issued are never rewritten (Coordination re-issues them).

The certificate's `module` is left empty on purpose: the per-module constraint would
otherwise forbid a second session of the same module; `session.module` says it.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.text import Truncator

from accounts.roles import is_coordination
from certificates import services as certificates
from certificates.errors import CertificateError
from certificates.models import Certificate, CertificateKind
from courses.models import Attendance, ModuleCompletion, Registration, SessionSlot, TrainingSession
from courses.models.sessions import ATTENDED, RegistrationStatus, SessionStatus
from courses.sessions.attendance import (
    clean_reason,
    logger,
    record,
    require_trainer_or_coordination,
)
from courses.sessions.errors import SessionError
from courses.sessions.signals import session_finished


def attended_slots(registration):
    """The slots the participant attended (present or late), in order."""
    return list(
        SessionSlot.objects.filter(
            attendances__registration=registration, attendances__status__in=ATTENDED
        ).order_by("date", "start_time")
    )


def session_snapshot(session, registration, slots):
    """What a certificat de réalisation certifies, as it is when it is issued."""
    module = session.module
    completion = (
        ModuleCompletion.objects.filter(user_id=registration.user_id, module=module).first()
        if module is not None
        else None
    )
    objectives = certificates.objectives_text(module.objectives) if module is not None else ""
    return {
        "title": session.title,
        "publisher_name": session.organiser.name,
        "objectives_summary": Truncator(objectives).chars(certificates.OBJECTIVES_SUMMARY_LENGTH),
        "planned_minutes": session.planned_minutes,
        "achieved_minutes": sum(slot.minutes for slot in slots),
        "elearning_minutes": completion.time_spent_seconds // 60 if completion else 0,
        "started_on": slots[0].date,
        "completed_on": slots[-1].date,
        "score": None,
    }


def issue_session_certificate(registration, by=None, reason=""):
    """The participant's certificat de réalisation, created once; returns it.

    Refused (`SessionError`) for a session not finished, a registration not
    confirmed, nobody's hours attended, or a certificate that was revoked (revoking
    is deliberate: calling again does not undo it).
    """
    return _issue_once(registration, by, reason)[0]


def _issue_once(registration, by, reason):
    """(certificate, created)."""
    with transaction.atomic():
        registration = _lock(registration)
        session = registration.session
        if session.status != SessionStatus.FINISHED:
            raise SessionError("session_not_finished")
        if registration.status != RegistrationStatus.CONFIRMED or registration.user is None:
            raise SessionError("not_registered")
        existing = _current_or_revoked(registration)
        if existing is not None:
            return existing, False
        slots = attended_slots(registration)
        if not slots:
            raise SessionError("no_attendance")
        certificate = _issue(session, registration, slots)
        data = {"session_id": session.pk}
        if reason:
            data["reason"] = reason
        certificates.record("reperes.certificate_issue", certificate, by, **data)
    return certificate, True


def _lock(registration):
    try:
        return (
            Registration.objects.select_for_update(of=("self",))
            .select_related("user", "session__organiser", "session__module")
            .get(pk=registration.pk)
        )
    except Registration.DoesNotExist:
        raise SessionError("not_registered") from None


def _current_or_revoked(registration):
    existing = (
        Certificate.objects.filter(
            holder_id=registration.user_id,
            session_id=registration.session_id,
            kind=CertificateKind.ACHIEVEMENT,
        )
        .order_by("-issued_at", "-id")
        .first()
    )
    if existing is None:
        return None
    if existing.revoked_at:
        raise SessionError("certificate_revoked")
    while existing.replaced_at:  # follow re-issues to the one in force
        existing = existing.replaced_by
    return existing


def _issue(session, registration, slots):
    fields = {
        **certificates.holder_snapshot(registration.user),
        **session_snapshot(session, registration, slots),
        **certificates.issuer_snapshot(session.organiser),
    }
    try:
        return certificates._create(
            kind=CertificateKind.ACHIEVEMENT,
            holder=registration.user,
            session=session,
            issued_at=timezone.now(),
            expires_on=None,  # it certifies what happened: it does not expire
            **fields,
        )
    except CertificateError as error:
        raise SessionError(error.code) from None


# --- Closing the session -----------------------------------------------------------------------


def last_half_day_started(slots, now):
    """When a planned session may be closed (`finish_session`; the trainer's « Clôturer »)."""
    return bool(slots) and max(slot.starts_at for slot in slots) <= now


def finish_session(session, by, now=None):
    """Mark the session « terminée » and issue the certificats de réalisation.

    Allowed to its trainers and Coordination once the last half-day has started.
    Idempotent: calling it again on a finished session only issues what is missing.
    Returns the certificates in force for the session's attendees.
    """
    now = now or timezone.now()
    require_trainer_or_coordination(by, session)
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if session.status == SessionStatus.CANCELLED:
            raise SessionError("session_cancelled")
        if session.status == SessionStatus.PLANNED:
            if not last_half_day_started(list(session.slots.all()), now):
                raise SessionError("session_not_over")
            session.status = SessionStatus.FINISHED
            session.finished_at = now
            session.save(update_fields=["status", "finished_at"])
            record("reperes.session_finish", session, by)
    # One transaction per certificate: one refusal does not undo the others.
    for registration in attendees(session):
        try:
            issue_session_certificate(registration, by=by)
        except SessionError as error:
            # A revoked certificate stays revoked; anything else is for Coordination.
            logger.warning(
                "session certificate not issued",
                extra={
                    "session_id": session.pk,
                    "registration_id": registration.pk,
                    "code": error.code,
                },
            )
    # Satisfaction surveys (site/surveys/) invite the attendees; idempotent as well.
    session_finished.send(sender=TrainingSession, session=session, now=now)
    # Read back rather than collected: with several closers at once, each returns the
    # same set, whichever of them issued which certificate.
    return list(
        Certificate.objects.current()
        .filter(session=session, kind=CertificateKind.ACHIEVEMENT)
        .order_by("sequence")
    )


def attendees(session):
    """Confirmed participants with at least one attended slot (one query)."""
    attended = Attendance.objects.filter(registration=OuterRef("pk"), status__in=ATTENDED)
    return (
        Registration.objects.filter(
            session=session, status=RegistrationStatus.CONFIRMED, user__isnull=False
        )
        .filter(Exists(attended))
        .order_by("pk")
    )


def issue_session_certificate_by_hand(session, registration, by, reason):
    """Coordination issues one participant's certificate, with the reason logged."""
    if not is_coordination(by):
        raise SessionError("not_allowed")
    reason = clean_reason(reason)
    if not reason:
        raise SessionError("by_hand_reason_required")
    if registration.session_id != session.pk:
        raise SessionError("not_registered")
    certificate, created = _issue_once(registration, by, reason)
    if not created:
        return certificate  # already in force: nothing to log
    record(
        "reperes.session_certificate_by_hand",
        session,
        by,
        registration_id=registration.pk,
        certificate=certificate.number,
        reason=reason,
    )
    return certificate
