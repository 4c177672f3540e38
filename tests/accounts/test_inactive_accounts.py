"""Inactive accounts: one warning after 23 months, deletion at 24 months if warned 28 days ago."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.inactivity import months_before, purge_inactive_accounts
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2027, 3, 31, 4, 0))
WARNING_SUBJECT = "[Repères] Votre compte Repères sera bientôt supprimé"
DELETED_SUBJECT = "[Repères] Votre compte Repères a été supprimé"


@pytest.fixture
def purge(django_capture_on_commit_callbacks):
    """Run the purge at `now` as the daily command does, its e-mails sent on commit."""

    def run(now=NOW):
        with django_capture_on_commit_callbacks(execute=True):
            return purge_inactive_accounts(now=now)

    return run


def account(email, *, last_login=None, joined=None, **extra):
    user = make_user(get_user_model(), email, roles.PROFESSIONNEL, **extra)
    get_user_model().objects.filter(pk=user.pk).update(
        last_login=last_login, date_joined=joined or NOW - timedelta(days=365 * 5)
    )
    user.refresh_from_db()
    return user


def months_ago(months, days=0):
    return months_before(NOW, months) - timedelta(days=days)


def exists(user):
    return get_user_model().objects.filter(pk=user.pk).exists()


def subjects(address):
    return [m.subject for m in mail.outbox if address in m.to]


def test_months_before_keeps_the_day_or_the_end_of_the_month():
    assert months_before(NOW, 1) == NOW.replace(month=2, day=28)
    assert months_before(NOW, 23) == NOW.replace(year=2025, month=4, day=30)
    assert months_before(NOW, 24) == NOW.replace(year=2025)
    assert months_before(NOW, -1) == NOW.replace(month=4, day=30)


def test_one_warning_after_23_months(purge):
    user = account("dormant@example.org", last_login=months_ago(23, days=1))

    first = purge()
    second = purge(NOW + timedelta(days=1))

    assert (first.warned, first.deleted) == (1, 0)
    assert (second.warned, second.deleted) == (0, 0)
    user.refresh_from_db()
    assert user.inactivity_warned_at == NOW
    assert subjects("dormant@example.org") == [WARNING_SUBJECT]
    body = mail.outbox[0].body
    assert "à partir du 29 avril 2027" in body  # 24 months after the last login
    assert "http://testserver/comptes/login/" in body
    assert "http://testserver/espace/mes-donnees/" in body


def test_no_warning_before_23_months(purge):
    account("active@example.org", last_login=months_ago(23) + timedelta(days=1))

    assert purge().warned == 0
    assert not mail.outbox


def test_an_account_never_used_counts_from_its_creation(purge):
    old = account("jamais@example.org", joined=months_ago(23, days=2))
    recent = account("nouveau@example.org", joined=months_ago(22))

    assert purge().warned == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.inactivity_warned_at == NOW and recent.inactivity_warned_at is None


def test_a_login_clears_the_warning(client, purge):
    user = account("revenu@example.org", last_login=months_ago(24, days=10))
    purge()
    user.refresh_from_db()
    assert user.inactivity_warned_at == NOW

    response = client.post(
        reverse("account_login"), {"login": "revenu@example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.inactivity_warned_at is None
    # Back in use: a month later nothing happens to it.
    result = purge(NOW + timedelta(days=40))
    assert (result.warned, result.deleted) == (0, 0)
    assert exists(user)


def test_deletion_at_24_months_only_28_days_after_the_warning(purge):
    user = account("oublie@example.org", last_login=months_ago(25))

    warned = purge()  # never warned: warned now, not deleted at once
    too_soon = purge(NOW + timedelta(days=27))
    due = purge(NOW + timedelta(days=28))

    assert (warned.warned, warned.deleted) == (1, 0)
    assert (too_soon.warned, too_soon.deleted) == (0, 0)
    assert (due.warned, due.deleted) == (0, 1)
    assert not exists(user)
    assert subjects("oublie@example.org") == [WARNING_SUBJECT, DELETED_SUBJECT]
    assert "vous ne vous y étiez pas connecté·e depuis deux ans" in mail.outbox[-1].body


def test_a_warned_account_is_not_deleted_before_24_months(purge):
    user = account("bientot@example.org", last_login=months_ago(23, days=1))
    purge()

    # 28 days later the warning is old enough, but 24 months have not passed yet.
    assert purge(NOW + timedelta(days=28)).deleted == 0
    assert exists(user)
    # Once they have (last login + 24 months = 29 April), it goes.
    assert purge(NOW + timedelta(days=31)).deleted == 1
    assert not exists(user)


def test_superusers_are_left_alone(purge):
    admin = account("root@example.org", last_login=months_ago(30), is_superuser=True, is_staff=True)

    assert purge() == purge(NOW + timedelta(days=60))
    assert purge().warned == 0
    admin.refresh_from_db()
    assert admin.inactivity_warned_at is None and exists(admin)


def test_the_command_prints_its_counts():
    account("un@example.org", last_login=months_ago(23, days=1))
    account("deux@example.org", last_login=months_ago(26))
    out = StringIO()

    call_command("purge_inactive_accounts", "--now", "2027-03-31T04:00:00", stdout=out)

    assert out.getvalue().strip() == "2 comptes avertis, 0 compte supprimé."
    out = StringIO()
    call_command("purge_inactive_accounts", "--now", "2027-04-30T04:00:00", stdout=out)
    assert out.getvalue().strip() == "0 compte averti, 2 comptes supprimés."
