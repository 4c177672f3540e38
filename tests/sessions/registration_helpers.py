"""Helpers of the registration tests: people, the clock, and e-mails sent after commit."""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from accounts import roles
from tests.conftest import make_user

_numbers = itertools.count(1)

FAILING_BACKEND = "tests.sessions.registration_helpers.FailingEmailBackend"


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable")


def new_professional(email=None, **extra):
    number = next(_numbers)
    extra.setdefault("first_name", f"Alex{number}")
    return make_user(
        get_user_model(), email or f"pro{number}@example.org", roles.PROFESSIONNEL, **extra
    )


def after_close(session):
    return session.registration_closes_at + timedelta(minutes=1)


def sent_to(address):
    return [message for message in mail.outbox if address in message.to]


def subjects_to(address):
    return [message.subject for message in sent_to(address)]
