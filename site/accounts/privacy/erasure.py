"""Deleting an account (« Supprimer mon compte », and inactive accounts after 24 months).

Policy (written on the « Données personnelles » page, issue 6):

- the profile, e-mail addresses, second factors, module progress, quiz attempts,
  session registrations (past ones too, with their attendance and signatures) and
  the calendar feed are erased with the account;
- registrations to sessions still to come are cancelled first, through the session
  service, so that the seat goes to the waiting list and the session's history says so;
- certificates already issued stay, as issued (they are snapshots): their holder link
  becomes empty and they keep answering on the verification page until
  `certificates.retention` anonymises them, CERTIFICATE_RETENTION_YEARS after issue;
- an e-mail confirms the deletion to the address of the account.

Logs name the account by id only: after deletion nothing else may point to the person.
"""

import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from courses.models import ModuleCompletion, Registration, SlotSignature
from courses.models.sessions import RegistrationStatus, SessionStatus
from courses.sessions.registrations import cancel_registration

from . import privacy_emails
from .privacy_log_actions import ACCOUNT_DELETE
from .services import AccountError

logger = logging.getLogger("reperes.accounts")

#: Why an account was deleted: recorded in the logs, and says which e-mail goes out.
REASONS = ("self", "inactivity", "coordination")


@dataclass(frozen=True)
class Deletion:
    """What `delete_account` did (`deleted` is False when the account was already gone)."""

    user_id: int
    deleted: bool
    cancelled_registrations: int = 0
    certificates_kept: int = 0


def delete_account(user, *, reason, by=None, now=None):
    """Delete `user`'s account and everything attached to it (see the module docstring).

    Atomic: either everything goes or nothing does. Idempotent: an account that no
    longer exists returns `Deletion(deleted=False)`. Superusers are refused
    (`superuser_refused`): another superuser removes them in the admin, knowingly.
    """
    if reason not in REASONS:
        raise AccountError("invalid_reason", f"Unknown deletion reason {reason!r}.")
    now = now or timezone.now()
    user_id = user.pk
    with transaction.atomic():
        locked = get_user_model().objects.select_for_update().filter(pk=user_id).first()
        if locked is None:
            logger.info("account already deleted", extra={"user_id": user_id})
            return Deletion(user_id=user_id, deleted=False)
        if locked.is_superuser:
            raise AccountError("superuser_refused", "A superuser cannot be deleted this way.")
        cancelled = cancel_upcoming_registrations(locked, now)
        signature_files = signature_files_of(locked)
        kept = locked.certificates.count()
        log(
            instance=locked,
            action=ACCOUNT_DELETE,
            user=by,
            title=f"#{user_id}",
            data={"reason": reason, "cancelled_registrations": cancelled, "certificates": kept},
        )
        privacy_emails.queue_account_deleted(locked, reason, certificates=kept)
        erase(locked)
        transaction.on_commit(lambda: delete_files(signature_files))
    logger.info(
        "account deleted",
        extra={
            "user_id": user_id,
            "reason": reason,
            "by_id": getattr(by, "pk", None),
            "cancelled_registrations": cancelled,
            "certificates_kept": kept,
        },
    )
    return Deletion(user_id, True, cancelled, kept)


def upcoming_registrations(user, now):
    """Seats and waiting-list places in planned sessions that have not started yet."""
    return Registration.objects.filter(
        Q(session__starts_at__gt=now) | Q(session__starts_at__isnull=True),
        user=user,
        session__status=SessionStatus.PLANNED,
        status__in=(RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING),
    ).select_related("session")


def cancel_upcoming_registrations(user, now):
    """Cancel them through the session service (waiting list served, history logged)."""
    registrations = list(upcoming_registrations(user, now).order_by("pk"))
    for registration in registrations:
        cancel_registration(user, registration, now, closing_account=True)
    return len(registrations)


def signature_files_of(user):
    """The stored drawings of the user's émargement signatures (removed after commit)."""
    return [
        (field.storage, field.name)
        for field in (
            signature.image
            for signature in SlotSignature.objects.filter(registration__user=user).exclude(image="")
        )
    ]


def erase(user):
    """Delete the user row; the database cascades do the rest.

    Module completions go first: they protect the quiz attempt they were granted
    for (`on_delete=PROTECT`), which the cascade would otherwise refuse to delete.
    Certificates only lose their link to the completion and to the holder.
    """
    ModuleCompletion.objects.filter(user=user).delete()
    user.delete()


def delete_files(files):
    """Remove stored files; one that cannot be removed is logged, never raised.

    Runs after the commit: the account is gone whatever happens to its files, and an
    operator can clean up what the log names.
    """
    for storage, name in files:
        try:
            storage.delete(name)
        except Exception:  # any backend's error: S3's (botocore) are not OSError
            logger.exception("file of a deleted account not removed", extra={"file": name})
