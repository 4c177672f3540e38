"""Fixtures of the session tests."""

import pytest

from courses.sessions import registrations


@pytest.fixture
def act(django_capture_on_commit_callbacks):
    """The registration services, each call committed: its on-commit e-mails go out.

    pytest-django runs each test in a transaction that never commits, so the
    callbacks queued with `transaction.on_commit` are run at the end of each call,
    as a real commit would (a refused call queued nothing: its block rolled back).
    """

    class Committed:
        def __getattr__(self, name):
            function = getattr(registrations, name)

            def call(*args, **kwargs):
                with django_capture_on_commit_callbacks(execute=True):
                    return function(*args, **kwargs)

            return call

    return Committed()


@pytest.fixture
def role_groups(transactional_db):
    """The role groups, for tests on real transactions.

    They come from a data migration; an earlier transactional test's flush (without
    serialized rollback) removed them, so they are made again here if missing.
    """
    from django.contrib.auth.models import Group

    from accounts import roles

    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)
