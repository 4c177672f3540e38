"""Inactive accounts: a warning after 23 months without login, deletion at 24 months.

Run daily by `manage.py purge_inactive_accounts` (docs/deployment.md). An account's
last activity is its last login, or the day it was created if it never logged in.

- Inactive for more than 23 months and not warned yet: one e-mail says the account
  will be deleted a month later unless the person logs in (`inactivity_warned_at`).
- A login clears the warning (`clear_inactivity_warning`, on `user_logged_in`).
- Inactive for more than 24 months and warned at least 28 days ago: deleted with
  `delete_account(reason="inactivity")`. An account never warned (the command did
  not run, the address bounced…) is warned first, never deleted straight away.

Superusers are left alone. Every step re-reads the account under a row lock, so a
login during the run wins, and running the command twice does nothing more.
"""

import calendar
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.log_actions import log

from . import user_cache
from .privacy import emails as privacy_emails
from .privacy.erasure import delete_account
from .privacy.log_actions import INACTIVITY_WARNING

logger = logging.getLogger("reperes.accounts")

WARNING_AFTER_MONTHS = 23
DELETION_AFTER_MONTHS = 24
#: The least time between the warning and the deletion.
NOTICE = timedelta(days=28)


def months_before(moment, months):
    """The same day and time `months` calendar months earlier (clamped to the month's end)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def months_after(moment, months):
    return months_before(moment, -months)


def with_last_activity(queryset):
    return queryset.annotate(last_activity=Coalesce(F("last_login"), F("date_joined")))


def candidates():
    return with_last_activity(get_user_model().objects.filter(is_superuser=False))


def deletion_date(user, warned_at):
    """When the warned account becomes deletable: both conditions must hold."""
    last_activity = user.last_login or user.date_joined
    return max(months_after(last_activity, DELETION_AFTER_MONTHS), warned_at + NOTICE)


@dataclass(frozen=True)
class Purge:
    warned: int
    deleted: int


def purge_inactive_accounts(now=None):
    """Warn, then delete, inactive accounts (see the module docstring)."""
    now = now or timezone.now()
    deleted = delete_inactive_accounts(now)
    warned = warn_inactive_accounts(now)
    return Purge(warned=warned, deleted=deleted)


def warn_inactive_accounts(now):
    cutoff = months_before(now, WARNING_AFTER_MONTHS)
    ids = candidates().filter(last_activity__lt=cutoff, inactivity_warned_at__isnull=True)
    return sum(warn_account(pk, now) for pk in ids.values_list("pk", flat=True).order_by("pk"))


def warn_account(user_id, now):
    """Warn one account if it is still inactive and unwarned; True if warned."""
    cutoff = months_before(now, WARNING_AFTER_MONTHS)
    with transaction.atomic():
        user = (
            candidates()
            .select_for_update(of=("self",))
            .filter(pk=user_id, last_activity__lt=cutoff, inactivity_warned_at__isnull=True)
            .first()
        )
        if user is None:
            return False
        user.inactivity_warned_at = now
        user.save(update_fields=["inactivity_warned_at"])
        log(instance=user, action=INACTIVITY_WARNING, title=f"#{user.pk}")
        privacy_emails.queue_inactivity_warning(user, deletion_date(user, now))
    logger.info("inactive account warned", extra={"user_id": user_id})
    return True


def deletable(now):
    return candidates().filter(
        last_activity__lt=months_before(now, DELETION_AFTER_MONTHS),
        inactivity_warned_at__lte=now - NOTICE,
    )


def delete_inactive_accounts(now):
    ids = deletable(now).values_list("pk", flat=True).order_by("pk")
    return sum(delete_inactive_account(pk, now) for pk in ids)


def delete_inactive_account(user_id, now):
    """Delete one account if it is still deletable (checked under its row lock)."""
    with transaction.atomic():
        user = deletable(now).select_for_update(of=("self",)).filter(pk=user_id).first()
        if user is None:
            return False
        delete_account(user, reason="inactivity", now=now)
    return True


def clear_inactivity_warning(sender, request, user, **kwargs):
    """`user_logged_in`: the person is back, the warning no longer applies.

    Free for everyone else: the field was loaded with the user.
    """
    if getattr(user, "inactivity_warned_at", None) is None:
        return
    get_user_model().objects.filter(pk=user.pk).update(inactivity_warned_at=None)
    user_cache.forget(user.pk)  # an update sends no post_save
    user.inactivity_warned_at = None
    logger.info("inactivity warning cleared by login", extra={"user_id": user.pk})
