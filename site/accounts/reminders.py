"""The one-click « ne plus recevoir de rappels » link of the learning reminder e-mails.

The link carries a signed token (`django.core.signing`, its own salt) naming the
person; it works without logging in, because it is read from a mailbox. GET shows a
confirmation page, POST turns `User.learning_reminders` off: mail scanners that
follow links never change anything. A tampered or expired token changes nothing.
"""

import logging
from datetime import timedelta

from django.core import signing
from django.db import transaction
from wagtail.log_actions import log

from . import user_cache
from .models import User

logger = logging.getLogger(__name__)

TOKEN_SALT = "reperes.accounts.learning-reminders-optout"  # noqa: S105 (a salt, not a secret)
#: Long enough for an e-mail read late; the profile page does the same any time.
TOKEN_MAX_AGE = timedelta(days=90)


class ReminderTokenError(Exception):
    """A refused opt-out link; `code` is stable: "invalid" or "expired"."""

    def __init__(self, code):
        self.code = code
        super().__init__(code)


def optout_token(user):
    return signing.dumps({"u": user.pk, "e": user.email}, salt=TOKEN_SALT, compress=True)


def user_from_token(token, max_age=None):
    """The active person the token names, or ReminderTokenError.

    The token also holds the address it was sent to: after a change of address an
    old e-mail's link no longer names the account.
    """
    try:
        data = signing.loads(
            token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE if max_age is None else max_age
        )
    except signing.SignatureExpired:
        raise ReminderTokenError("expired") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise ReminderTokenError("invalid") from None
    if not isinstance(data, dict):
        raise ReminderTokenError("invalid")
    user = User.objects.filter(pk=data.get("u"), email=data.get("e"), is_active=True).first()
    if user is None:
        raise ReminderTokenError("invalid")
    return user


def turn_off_learning_reminders(user, via="link"):
    """Idempotent: True when this call turned them off, False when already off."""
    with transaction.atomic():
        changed = User.objects.filter(pk=user.pk, learning_reminders=True).update(
            learning_reminders=False
        )
        if changed:
            user_cache.forget(user.pk)  # an update sends no post_save
            log(
                instance=user,
                action="reperes.learning_reminders_off",
                user=user,
                data={"via": via},
            )
    user.learning_reminders = False
    if changed:
        logger.info("user %s turned learning reminders off (%s)", user.pk, via)
    return bool(changed)
