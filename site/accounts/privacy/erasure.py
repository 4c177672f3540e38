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

Each app does its own part (`registry.Erasure`, registered by the app: courses cancels
seats and removes signature drawings, certificates counts what stays); this module
runs them in one transaction around the deletion of the user row.

Logs name the account by id only: after deletion nothing else may point to the person.
"""

import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from accounts.privacy import emails, registry
from accounts.privacy.log_actions import ACCOUNT_DELETE
from accounts.services import AccountError

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
        counts = prepare(locked, now)
        files = stored_files(locked)
        deletion = Deletion(
            user_id,
            True,
            cancelled_registrations=counts.get("cancelled_registrations", 0),
            certificates_kept=counts.get("certificates", 0),
        )
        log(
            instance=locked,
            action=ACCOUNT_DELETE,
            user=by,
            title=f"#{user_id}",
            data={"reason": reason, **counts},
        )
        emails.queue_account_deleted(locked, reason, certificates=deletion.certificates_kept)
        erase(locked)
        transaction.on_commit(lambda: delete_files(files))
    logger.info(
        "account deleted",
        extra={
            "user_id": user_id,
            "reason": reason,
            "by_id": getattr(by, "pk", None),
            "cancelled_registrations": deletion.cancelled_registrations,
            "certificates_kept": deletion.certificates_kept,
        },
    )
    return deletion


def notices(user, now=None):
    """What each app tells the person before they confirm (« Supprimer mon compte »)."""
    now = now or timezone.now()
    return [
        {"template": erasure.notice, **(erasure.preview(user, now) if erasure.preview else {})}
        for erasure in registry.erasures()
        if erasure.notice
    ]


def prepare(user, now):
    """Each app's preparation (seats given back…), while everything still exists.

    Returns the counts they report, for the log entry and the e-mail.
    """
    counts = {}
    for erasure in registry.erasures():
        if erasure.prepare:
            counts.update(erasure.prepare(user, now))
    return counts


def stored_files(user):
    """Files the apps keep for the person (signature drawings…), removed after commit."""
    return [
        file for erasure in registry.erasures() if erasure.files for file in erasure.files(user)
    ]


def erase(user):
    """Delete the user row; the database cascades do the rest.

    Apps first delete what the cascade cannot (module completions protect the quiz
    attempt they were granted for). Certificates only lose their link to the
    completion and to the holder.
    """
    for erasure in registry.erasures():
        if erasure.erase:
            erasure.erase(user)
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
